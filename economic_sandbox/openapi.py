"""OpenAPI services on the "apis" host: suppliersapi v2.0.0 (Contacts, Groups), customersapi v3.1.0
(Contacts) and webhooksapi v1.0.0.

Conventions (research §9): cursor listing `{items, cursor?}` (1000 per page), `/paged` bare arrays
(pageSize 1..100, default 20), `/count` bare integers, create returns only the id, PUT needs the
current `objectVersion` (409 otherwise) and answers 204, errors are application/problem+json."""

import json
from urllib.parse import urlsplit

from . import errors
from .filters import apply_sort, compile_filter, parse_filter, parse_sort
from .resources.base import Router
from .webhooks import EVENT_TYPES

SUP = r"suppliersapi/v2\.0\.0"
CUST = r"customersapi/v3\.1\.0"
WH = r"webhooksapi/v1\.0\.0"
CURSOR_PAGE = 1000


def problem(status, title, code, errs=None, prop=None):
    e = errors.ApiError(status, title, problem_code=code)
    e.problem_errors = (
        errs if errs is not None else [{"message": title, "errorCode": code, "property": prop}]
    )
    return e


def _q(ctx, name, default=None):
    for k, v in ctx.query.items():
        if k.lower() == name.lower():
            return v
    return default


def _filtered(ctx, recs, allowed):
    flt = _q(ctx, "filter")
    if not flt:
        return recs
    try:
        node = parse_filter(flt, allowed)
    except errors.ApiError as e:
        msgs = e.errors if isinstance(e.errors, list) else [e.message]
        raise problem(
            400,
            "Bad filter request.",
            "BadFilterRequest",
            [{"message": m, "errorCode": "BadFilterRequest", "property": None} for m in msgs],
        )
    pred = compile_filter(node, text_in=True)
    return [r for r in recs if pred(r)]


class Service:
    """A generic OpenAPI collection over one store table."""

    def __init__(self, table, key, filterable, sortable, wire):
        self.table, self.key, self.filterable, self.sortable, self.wire = (
            table,
            key,
            filterable,
            sortable,
            wire,
        )

    def records(self, ctx):
        tbl = ctx.st.t(self.table)
        return [tbl[k] for k in tbl.sorted_keys()]

    def filtered(self, ctx):
        return _filtered(ctx, self.records(ctx), self.filterable)

    def h_cursor(self, ctx):
        with ctx.st.lock:
            recs = _filtered(ctx, self.records(ctx), self.filterable)
            cur = _q(ctx, "cursor")
            if cur:
                try:
                    ck = type(recs[0][self.key])(cur) if recs else cur
                except ValueError:
                    raise problem(400, "Invalid cursor.", "InvalidCursor")
                recs = [r for r in recs if r[self.key] >= ck]
            page = recs[:CURSOR_PAGE]
            body = {"items": [self.wire(ctx, r) for r in page]}
            if len(recs) > CURSOR_PAGE:
                body["cursor"] = str(recs[CURSOR_PAGE][self.key])
        return 200, body, {}

    def h_paged(self, ctx):
        try:
            ps = int(_q(ctx, "pageSize", 20))
            sk = int(_q(ctx, "skipPages", 0))
            if not (1 <= ps <= 100) or not (0 <= sk <= 100):
                raise ValueError
        except ValueError:
            raise problem(
                400,
                "Validation error.",
                "InvalidPaging",
                [
                    {
                        "message": "pageSize must be between 1 and 100 and skipPages between 0 and 100.",
                        "errorCode": "InvalidPaging",
                        "property": "pageSize",
                    }
                ],
            )
        with ctx.st.lock:
            recs = self.filtered(ctx)
            srt = _q(ctx, "sort")
            if srt:
                try:
                    recs = apply_sort(recs, parse_sort(srt, self.sortable))
                except errors.ApiError:
                    raise problem(400, "Bad sort request.", "BadSortRequest")
            page = recs[:10000][sk * ps : (sk + 1) * ps]
            return 200, [self.wire(ctx, r) for r in page], {}

    def h_count(self, ctx):
        with ctx.st.lock:
            return 200, len(self.filtered(ctx)), {}

    def h_get(self, ctx, raw):
        key = self.parse(raw)
        rec = ctx.st.t(self.table).get(key)
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        return 200, self.wire(ctx, rec), {}

    def parse(self, raw):
        try:
            return int(raw)
        except ValueError:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])


def _body(ctx):
    try:
        b = ctx.body
    except errors.ApiError:
        raise problem(
            400,
            "Validation error.",
            "InvalidJson",
            [
                {
                    "message": "The request body is not valid JSON.",
                    "errorCode": "InvalidJson",
                    "property": None,
                }
            ],
        )
    if not isinstance(b, dict):
        raise problem(
            400,
            "Validation error.",
            "InvalidJson",
            [{"message": "Expected a JSON object.", "errorCode": "InvalidJson", "property": None}],
        )
    return b


def _str(b, name, maxlen, required=False, code="ValidationError"):
    v = b.get(name)
    if v is None:
        if required:
            raise problem(
                400,
                "Validation error.",
                code,
                [
                    {
                        "message": "The %s field is required." % name,
                        "errorCode": code,
                        "property": name,
                    }
                ],
            )
        return None
    if not isinstance(v, str):
        raise problem(
            400,
            "Validation error.",
            "ValidationError",
            [
                {
                    "message": "The field %s must be a string." % name,
                    "errorCode": "ValidationError",
                    "property": name,
                }
            ],
        )
    if len(v) > maxlen:
        raise problem(
            400,
            "Validation error.",
            "ValidationError",
            [
                {
                    "message": "The field %s must be a string with a maximum length of %d."
                    % (name, maxlen),
                    "errorCode": "ValidationError",
                    "property": name,
                }
            ],
        )
    return v


# ------------------------------------------------------------------ suppliersapi


def _contact_wire(ctx, c):
    out = {
        "number": c["number"],
        "supplierNumber": c["supplierNumber"],
        "userInterfaceNumber": c["number"],
        "name": c["name"],
    }
    for f in ("email", "phone", "notes"):
        if c.get(f) is not None:
            out[f] = c[f]
    out["lastUpdated"] = c["lastUpdated"]
    out["objectVersion"] = c["objectVersion"]
    out["isDeleted"] = False
    out["active"] = True
    return out


def _group_wire(ctx, g):
    return {
        "number": g["supplierGroupNumber"],
        "name": g["name"],
        "accountNumber": g["account"]["accountNumber"],
        "objectVersion": g.setdefault("objectVersion", ctx.st.object_version()),
    }


CONTACTS = Service(
    "supplier-contacts",
    "number",
    [
        "number",
        "supplierNumber",
        "userInterfaceNumber",
        "name",
        "email",
        "lastUpdated",
        "isDeleted",
        "active",
    ],
    ["number", "supplierNumber"],
    _contact_wire,
)


class _GroupService(Service):
    def records(self, ctx):
        tbl = ctx.st.t("supplier-groups")
        return [
            dict(tbl[k], number=k, accountNumber=tbl[k]["account"]["accountNumber"])
            for k in tbl.sorted_keys()
        ]


GROUPS = _GroupService(
    "supplier-groups",
    "number",
    ["number", "name", "accountNumber"],
    ["number", "accountNumber"],
    _group_wire,
)


def _contact_fields(ctx, b, existing=None):
    name = _str(b, "name", 255)
    if not name or not name.strip():
        raise problem(
            400,
            "Validation error.",
            "SupplierContactNameNullOrEmpty",
            [
                {
                    "message": "Supplier contact name cannot be empty.",
                    "errorCode": "SupplierContactNameNullOrEmpty",
                    "property": "name",
                }
            ],
        )
    sn = b.get("supplierNumber")
    if not isinstance(sn, int) or isinstance(sn, bool) or not 1 <= sn <= 999999999:
        raise problem(
            400,
            "Validation error.",
            "ValidationError",
            [
                {
                    "message": "The field SupplierNumber must be between 1 and 999999999.",
                    "errorCode": "ValidationError",
                    "property": "supplierNumber",
                }
            ],
        )
    if sn not in ctx.st.t("suppliers"):
        raise problem(
            400,
            "Validation error.",
            "SupplierDoesNotExist",
            [
                {
                    "message": "The supplier does not exist.",
                    "errorCode": "SupplierDoesNotExist",
                    "property": "supplierNumber",
                }
            ],
        )
    if existing is not None and existing["supplierNumber"] != sn:
        raise problem(
            400,
            "Validation error.",
            "SupplierNumberMismatch",
            [
                {
                    "message": "The supplier number cannot be updated.",
                    "errorCode": "SupplierNumberMismatch",
                    "property": "supplierNumber",
                }
            ],
        )
    for c in ctx.st.t("supplier-contacts").values():
        if (
            c["supplierNumber"] == sn
            and c["name"].casefold() == name.casefold()
            and (existing is None or c["number"] != existing["number"])
        ):
            raise problem(
                400,
                "Validation error.",
                "SupplierContactNameAlreadyExists",
                [
                    {
                        "message": "This supplier already has a contact with the same name.",
                        "errorCode": "SupplierContactNameAlreadyExists",
                        "property": "name",
                    }
                ],
            )
    return {
        "name": name,
        "supplierNumber": sn,
        "email": _str(b, "email", 255),
        "phone": _str(b, "phone", 50),
        "notes": _str(b, "notes", 2000),
    }


def contact_post(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        f = _contact_fields(ctx, b)
        tbl = ctx.st.t("supplier-contacts")
        n = tbl.next_number()
        tbl[n] = dict(
            f, number=n, lastUpdated=ctx.st.clock.stamp(), objectVersion=ctx.st.object_version()
        )
    return 201, {"number": n}, {}


def _check_version(b, rec):
    if b.get("objectVersion") != rec.get("objectVersion"):
        raise problem(
            409,
            "The resource has been updated by another user.",
            "UpdateConflict",
            [
                {
                    "message": "Update conflict. Version does not match.",
                    "errorCode": "UpdateConflict",
                    "property": "objectVersion",
                }
            ],
        )


def contact_put(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        tbl = ctx.st.t("supplier-contacts")
        n = b.get("number")
        rec = tbl.get(n) if isinstance(n, int) else None
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        _check_version(b, rec)
        f = _contact_fields(ctx, b, existing=rec)
        tbl[n] = dict(
            f, number=n, lastUpdated=ctx.st.clock.stamp(), objectVersion=ctx.st.object_version()
        )
    return 204, None, {}


def contact_delete(ctx, raw):
    n = CONTACTS.parse(raw)
    with ctx.st.lock:
        tbl = ctx.st.t("supplier-contacts")
        if n not in tbl:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        for s in ctx.st.t("suppliers").values():
            for name in ("attention", "supplierContact"):
                if s.get(name, {}).get("supplierContactNumber") == n:
                    raise problem(400, "Validation error.", "SupplierContactIsInUse")
        del tbl[n]
    return 204, None, {}


# ------------------------------------------------------------------ customersapi v3.1.0 Contacts
# Same store as the legacy /customers/{n}/contacts (economic_sandbox/contacts.py): `number` is the
# agreement-wide customerContactNumber, `userInterfaceNumber` the per-customer sortKey.

_CMP = ("$eq:", "$ne:", "$lt:", "$lte:", "$gt:", "$gte:")
_CMP_IN = _CMP + ("$in:", "$nin:")
# the spec's x-filterable per property (openapi-Customers.json components.schemas.Contact)
CUSTOMER_CONTACT_FILTERS = {
    "number": _CMP_IN,
    "customerNumber": _CMP_IN,
    "userInterfaceNumber": _CMP_IN,
    "name": _CMP_IN + ("$like:",),
    "email": _CMP_IN + ("$like:",),
    "eInvoiceId": _CMP,
    "lastUpdated": _CMP,
    "isDeleted": _CMP,
    "active": _CMP,
}
CUSTOMER_CONTACT_SORTS = ["number", "customerNumber"]
_FLAGS = (
    "receiveQuotes",
    "receiveOrders",
    "receiveInvoices",
    "receiveEInvoices",
    "receiveStatementOfAccounts",
    "receiveReminders",
)


def _check_ops(node, ops):
    if node[0] in ("and", "or"):
        for child in node[1]:
            _check_ops(child, ops)
        return
    _, prop, op, _val = node
    if op not in ops.get(prop, ()):
        raise problem(
            400,
            "Bad filter request.",
            "BadFilterRequest",
            [
                {
                    "message": "Operator '%s' is not allowed on property '%s'."
                    % (op.strip("$:"), prop),
                    "errorCode": "BadFilterRequest",
                    "property": prop,
                }
            ],
        )


def _customer_contact_wire(ctx, c):
    from .contacts import NOTIFICATION_FLAGS

    out = {
        "number": c["customerContactNumber"],
        "customerNumber": c["customer"]["customerNumber"],
        "userInterfaceNumber": c.get("sortKey") or c["customerContactNumber"],
        "name": c.get("name") or "",
    }
    for f in ("email", "phone", "notes", "eInvoiceId"):
        if c.get(f) is not None:
            out[f] = c[f]
    out["lastUpdated"] = c["lastUpdated"]
    notes = set(c.get("emailNotifications") or ())
    for legacy, flag in NOTIFICATION_FLAGS.items():
        out[flag] = legacy in notes
    out["receiveEInvoices"] = bool(c.get("receiveEInvoices"))
    out["receiveStatementOfAccounts"] = bool(c.get("receiveStatementOfAccounts"))
    out["objectVersion"] = c["objectVersion"]
    out["isDeleted"] = False
    out["active"] = True
    return out


class _CustomerContactService(Service):
    """Cursor listing walks the number-sorted keys from the cursor and stops after 1001 matches,
    so a page costs O(page) unless the filter is selective."""

    def _predicate(self, ctx):
        flt = _q(ctx, "filter")
        if not flt:
            return None
        try:
            node = parse_filter(flt, list(CUSTOMER_CONTACT_FILTERS))
        except errors.ApiError as e:
            msgs = e.errors if isinstance(e.errors, list) else [e.message]
            raise problem(
                400,
                "Bad filter request.",
                "BadFilterRequest",
                [{"message": m, "errorCode": "BadFilterRequest", "property": None} for m in msgs],
            )
        _check_ops(node, CUSTOMER_CONTACT_FILTERS)
        return compile_filter(node, text_in=True)

    def _wires(self, ctx, start=0):
        tbl = ctx.st.t("customer-contacts")
        keys = tbl.sorted_keys()
        for k in keys[start:]:
            yield _customer_contact_wire(ctx, tbl[k])

    def filtered(self, ctx):
        pred = self._predicate(ctx)
        return [w for w in self._wires(ctx) if pred is None or pred(w)]

    def h_cursor(self, ctx):
        import bisect

        with ctx.st.lock:
            pred = self._predicate(ctx)
            start = 0
            cur = _q(ctx, "cursor")
            if cur:
                try:
                    ck = int(cur)
                except ValueError:
                    raise problem(400, "Invalid cursor.", "InvalidCursor")
                start = bisect.bisect_left(ctx.st.t("customer-contacts").sorted_keys(), ck)
            items = []
            for w in self._wires(ctx, start):
                if pred is None or pred(w):
                    items.append(w)
                    if len(items) > CURSOR_PAGE:
                        break
            body = {"items": items[:CURSOR_PAGE]}
            if len(items) > CURSOR_PAGE:
                body["cursor"] = str(items[CURSOR_PAGE]["number"])
        return 200, body, {}

    def h_get(self, ctx, raw):
        key = self.parse(raw)
        with ctx.st.lock:
            rec = ctx.st.t("customer-contacts").get(key)
            if rec is None:
                raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
            return 200, _customer_contact_wire(ctx, rec), {}


CUSTOMER_CONTACTS = _CustomerContactService(
    "customer-contacts",
    "number",
    list(CUSTOMER_CONTACT_FILTERS),
    CUSTOMER_CONTACT_SORTS,
    lambda ctx, wire: wire,  # filtered() already yields wire dicts
)


def _invalid(prop, message, code="ValidationError"):
    return problem(
        400, "Validation error.", code, [{"message": message, "errorCode": code, "property": prop}]
    )


def _customer_contact_fields(ctx, b, existing=None):
    from .contacts import NOTIFICATION_FLAGS

    name = _str(b, "name", 255, required=True)
    if not name.strip():
        raise _invalid("name", "The name field is required.")
    cn = b.get("customerNumber")
    if not isinstance(cn, int) or isinstance(cn, bool) or not 1 <= cn <= 999999999:
        raise _invalid(
            "customerNumber", "The field CustomerNumber must be between 1 and 999999999."
        )
    if cn not in ctx.st.t("customers"):
        raise _invalid("customerNumber", "The customer does not exist.", "CustomerDoesNotExist")
    if existing is not None and existing["customer"]["customerNumber"] != cn:
        raise _invalid(
            "customerNumber", "The customer number cannot be updated.", "CustomerNumberMismatch"
        )
    f = {"name": name, "customer": {"customerNumber": cn}}
    for prop, maxlen in (("email", 255), ("phone", 50), ("notes", 2000), ("eInvoiceId", 50)):
        v = _str(b, prop, maxlen)
        if v is not None:
            f[prop] = v
    flags = {}
    for prop in _FLAGS:
        v = b.get(prop, False)
        if v is None:
            v = False
        if not isinstance(v, bool):
            raise _invalid(prop, "The field %s must be a boolean." % prop)
        flags[prop] = v
    notes = [legacy for legacy, flag in NOTIFICATION_FLAGS.items() if flags[flag]]
    if notes:
        f["emailNotifications"] = notes
    for prop in ("receiveEInvoices", "receiveStatementOfAccounts"):
        if flags[prop]:
            f[prop] = True
    return f


def customer_contact_post(ctx):
    from . import contacts

    b = _body(ctx)
    with ctx.st.lock:
        f = _customer_contact_fields(ctx, b)
        n = contacts.next_number(ctx.st)
        rec = dict(
            f,
            customerContactNumber=n,
            sortKey=contacts.next_sort_key(ctx.st, f["customer"]["customerNumber"]),
        )
        contacts.table(ctx.st)[n] = contacts.touch(ctx.st, rec)
    return 201, {"number": n}, {}


def customer_contact_put(ctx, raw=None):
    from . import contacts

    b = _body(ctx)
    n = b.get("number")
    if raw is not None:
        n = CUSTOMER_CONTACTS.parse(raw)
        if b.get("number") not in (None, n):
            raise _invalid("number", "The number in the body differs from the one in the URL.")
    with ctx.st.lock:
        tbl = contacts.table(ctx.st)
        rec = tbl.get(n) if isinstance(n, int) and not isinstance(n, bool) else None
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        _check_version(b, rec)
        f = _customer_contact_fields(ctx, b, existing=rec)
        new = dict(f, customerContactNumber=n, sortKey=rec.get("sortKey"))
        tbl[n] = contacts.touch(ctx.st, new)
    return 204, None, {}


def customer_contact_delete(ctx, raw):
    from . import contacts

    n = CUSTOMER_CONTACTS.parse(raw)
    with ctx.st.lock:
        tbl = contacts.table(ctx.st)
        if n not in tbl:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        cn = tbl[n]["customer"]["customerNumber"]
        cust = ctx.st.t("customers").get(cn) or {}
        for name in ("attention", "customerContact"):
            if (cust.get(name) or {}).get("customerContactNumber") == n:
                raise _invalid(
                    "number", "The contact is in use by its customer.", "CustomerContactIsInUse"
                )
        del tbl[n]
    return 204, None, {}


# ------------------------------------------------------------------ webhooksapi

WEBHOOK_FILTERS = ["eventType", "name", "url", "isDisabled", "lastDisabledDate", "lastUpdated"]
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _wh_wire(ctx, w):
    out = {
        "eventType": w["eventType"],
        "name": w["name"],
        "url": w["url"],
        "contentType": w["contentType"],
    }
    if w.get("postData") is not None:
        out["postData"] = w["postData"]
    if w.get("customHeaders"):
        out["customHeaders"] = [dict(h) for h in w["customHeaders"]]
    if w.get("isDisabled"):
        out["isDisabled"] = True
    if w.get("lastDisabledDate"):
        out["lastDisabledDate"] = w["lastDisabledDate"]
    out["lastUpdated"] = w["lastUpdated"]
    out["objectVersion"] = w["objectVersion"]
    return out


class _WebhookService(Service):
    def records(self, ctx):
        tbl = ctx.st.t("openapi/webhooks")
        return [tbl[k] for k in tbl.sorted_keys()]

    def parse(self, raw):
        return raw


WEBHOOKS = _WebhookService(
    "openapi/webhooks", "eventType", WEBHOOK_FILTERS, ["eventType", "name"], _wh_wire
)


def _wh_error(code, message, prop):
    return problem(
        400, "Validation error.", code, [{"message": message, "errorCode": code, "property": prop}]
    )


def _webhook_fields(ctx, b):
    et = _str(b, "eventType", 100, required=True)
    if et not in {e["name"] for e in EVENT_TYPES}:
        raise _wh_error(
            "WebhookInvalidType", "An unknown/unsupported webhook event type.", "eventType"
        )
    name = _str(b, "name", 100, required=True)
    url = _str(b, "url", 1000, required=True)
    ctype = _str(b, "contentType", 50, required=True)
    post = _str(b, "postData", 4000)
    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and parts.hostname
    except ValueError:
        ok = False
    if not ok:
        raise _wh_error("WebhookInvalidUrl", "The URL has invalid format (check RFC 3986).", "url")
    if parts.scheme != "https" and parts.hostname not in LOCAL_HOSTS:
        raise _wh_error(
            "WebhookInvalidUrlScheme", "Only HTTPS is allowed for the webhook URL.", "url"
        )
    headers = b.get("customHeaders") or []
    if not isinstance(headers, list):
        raise _wh_error(
            "WebhookCustomHeaderInvalid",
            "customHeaders must be a list of key/value pairs.",
            "customHeaders",
        )
    if len(headers) > 5:
        raise _wh_error(
            "WebhookCustomHeadersTooMany", "At most 5 custom headers are allowed.", "customHeaders"
        )
    clean_headers = []
    for h in headers:
        if (
            not isinstance(h, dict)
            or not isinstance(h.get("key"), str)
            or not isinstance(h.get("value"), str)
            or not h["key"]
            or any(not (32 <= ord(ch) < 127) for ch in h["key"])
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in h["value"])
        ):
            raise _wh_error(
                "WebhookCustomHeaderInvalid",
                "One or more custom headers contain invalid characters (e.g. CRLF or non-printable).",
                "customHeaders",
            )
        clean_headers.append({"key": h["key"], "value": h["value"]})
    if len(json.dumps(clean_headers)) > 1000:
        raise _wh_error(
            "WebhookCustomHeadersTooLong",
            "Custom headers exceed the maximum allowed length "
            "(1000 characters when serialized as JSON).",
            "customHeaders",
        )
    dis = b.get("isDisabled", False)
    return {
        "eventType": et,
        "name": name,
        "url": url,
        "contentType": ctype,
        "postData": post,
        "customHeaders": clean_headers,
        "isDisabled": bool(dis),
    }


def webhook_post(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        f = _webhook_fields(ctx, b)
        tbl = ctx.st.t("openapi/webhooks")
        if f["eventType"] in tbl:
            raise _wh_error(
                "WebhookAlreadyExistsForEventType",
                "A webhook for this event type already exists for the agreement. Only one webhook per "
                "event type is allowed.",
                "eventType",
            )
        tbl[f["eventType"]] = dict(
            f,
            lastUpdated=ctx.st.clock.stamp(),
            objectVersion=ctx.st.object_version(),
            lastDisabledDate=ctx.st.clock.stamp() if f["isDisabled"] else None,
        )
    return 201, {"eventType": f["eventType"]}, {}


def webhook_put(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        tbl = ctx.st.t("openapi/webhooks")
        rec = tbl.get(b.get("eventType"))
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        _check_version(b, rec)
        f = _webhook_fields(ctx, b)
        ldd = rec.get("lastDisabledDate")
        if f["isDisabled"] and not rec.get("isDisabled"):
            ldd = ctx.st.clock.stamp()
        tbl[f["eventType"]] = dict(
            f,
            lastUpdated=ctx.st.clock.stamp(),
            objectVersion=ctx.st.object_version(),
            lastDisabledDate=ldd,
        )
    return 204, None, {}


def webhook_delete(ctx, et):
    with ctx.st.lock:
        tbl = ctx.st.t("openapi/webhooks")
        if et not in tbl:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        del tbl[et]
    return 204, None, {}


def build_apis_router():
    r = Router()
    r.add("GET", CUST + "/Contacts", CUSTOMER_CONTACTS.h_cursor)
    r.add("POST", CUST + "/Contacts", customer_contact_post)
    r.add("PUT", CUST + "/Contacts", customer_contact_put)
    r.add("GET", CUST + "/Contacts/paged", CUSTOMER_CONTACTS.h_paged)
    r.add("GET", CUST + "/Contacts/count", CUSTOMER_CONTACTS.h_count)
    r.add("GET", CUST + "/Contacts/([^/]+)", CUSTOMER_CONTACTS.h_get)
    r.add("PUT", CUST + "/Contacts/([^/]+)", customer_contact_put)
    r.add("DELETE", CUST + "/Contacts/([^/]+)", customer_contact_delete)
    r.add("GET", SUP + "/Contacts", CONTACTS.h_cursor)
    r.add("POST", SUP + "/Contacts", contact_post)
    r.add("PUT", SUP + "/Contacts", contact_put)
    r.add("GET", SUP + "/Contacts/paged", CONTACTS.h_paged)
    r.add("GET", SUP + "/Contacts/count", CONTACTS.h_count)
    r.add("GET", SUP + "/Contacts/([^/]+)", CONTACTS.h_get)
    r.add("DELETE", SUP + "/Contacts/([^/]+)", contact_delete)
    r.add("GET", SUP + "/Groups", GROUPS.h_cursor)
    r.add("GET", SUP + "/Groups/paged", GROUPS.h_paged)
    r.add("GET", SUP + "/Groups/count", GROUPS.h_count)
    r.add("GET", SUP + "/Groups/([^/]+)", GROUPS.h_get)
    r.add("GET", WH + "/EventTypes", lambda ctx: (200, EVENT_TYPES, {}))
    r.add("GET", WH + "/webhooks", WEBHOOKS.h_cursor)
    r.add("POST", WH + "/webhooks", webhook_post)
    r.add("PUT", WH + "/webhooks", webhook_put)
    r.add("GET", WH + "/webhooks/paged", WEBHOOKS.h_paged)
    r.add("GET", WH + "/webhooks/count", WEBHOOKS.h_count)
    r.add("GET", WH + "/webhooks/([A-Z0-9_]+)", WEBHOOKS.h_get)
    r.add("DELETE", WH + "/webhooks/([A-Z0-9_]+)", webhook_delete)
    return r
