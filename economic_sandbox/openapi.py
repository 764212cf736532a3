"""OpenAPI services on the "apis" host: suppliersapi v2.0.0 (Contacts, Groups) and webhooksapi v1.0.0.

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
    pred = compile_filter(node)
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
            recs = _filtered(ctx, self.records(ctx), self.filterable)
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
            return 200, len(_filtered(ctx, self.records(ctx), self.filterable)), {}

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
