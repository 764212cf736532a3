"""customersapi v3.1.0 Contacts on the "apis" host (see openapi.py for the conventions)."""

from . import errors
from .filters import compile_filter, parse_filter
from .openapi_common import CURSOR_PAGE, Service, _body, _check_version, _q, _str, problem

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
