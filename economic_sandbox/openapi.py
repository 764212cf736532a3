"""OpenAPI services on the "apis" host: suppliersapi v2.0.0 (Contacts, Groups), customersapi v3.1.0
(Contacts) and webhooksapi v1.0.0.

Conventions (docs/ECONOMIC.md §9): cursor listing `{items, cursor?}` (1000 per page), `/paged` bare arrays
(pageSize 1..100, default 20), `/count` bare integers, create returns only the id, PUT needs the
current `objectVersion` (409 otherwise) and answers 204, errors are application/problem+json.

This module holds suppliersapi and the router; shared pieces live in openapi_common.py,
customersapi Contacts in openapi_customers.py, webhooksapi in openapi_webhooks.py."""

from .openapi_common import Service, _body, _check_version, _str, problem
from .resources.base import Router
from .webhooks import EVENT_TYPES

SUP = r"suppliersapi/v2\.0\.0"
CUST = r"customersapi/v3\.1\.0"
WH = r"webhooksapi/v1\.0\.0"


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


def build_apis_router():
    from .openapi_customers import (
        CUSTOMER_CONTACTS,
        customer_contact_delete,
        customer_contact_post,
        customer_contact_put,
    )
    from .openapi_webhooks import WEBHOOKS, webhook_delete, webhook_post, webhook_put

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


def __getattr__(name):
    """Names that moved to openapi_customers.py / openapi_webhooks.py stay importable from here."""
    from . import openapi_customers, openapi_webhooks

    for module in (openapi_customers, openapi_webhooks):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(name)
