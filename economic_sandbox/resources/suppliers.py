"""Suppliers (+ their contacts, read through the legacy API) of the legacy REST API."""

from .. import errors
from ..validation import B, I, O, Ref, S
from .base import Resource, collection, ref
from .base import refs as _refs

# ------------------------------------------------------------------ suppliers

SUPPLIER_RULE = O(
    {
        "supplierNumber": I(min=1, max=999999999),
        "name": S(req=True, min=1, max=255),
        "currency": S(req=True, min=3, max=3, ref="currencies"),
        "supplierGroup": Ref("supplier-groups", "supplierGroupNumber", req=True),
        "paymentTerms": Ref("payment-terms", "paymentTermsNumber", req=True),
        "vatZone": Ref("vat-zones", "vatZoneNumber", req=True),
        "layout": Ref("layouts", "layoutNumber"),
        "costAccount": Ref("accounts", "accountNumber"),
        "salesPerson": Ref("employees", "employeeNumber"),
        "address": S(max=255),
        "zip": S(max=10),
        "city": S(max=50),
        "country": S(max=50),
        "email": S(max=100),
        "phone": S(max=20),
        "bankAccount": S(max=50),
        "corporateIdentificationNumber": S(max=40),
        "defaultInvoiceText": S(max=100),
        "barred": B(),
        "attention": Ref(None, "supplierContactNumber"),
        "supplierContact": Ref(None, "supplierContactNumber"),
        "remittanceAdvice": O(
            {"creditorId": S(max=50), "paymentType": Ref("payment-types", "paymentTypeNumber")}
        ),
    }
)


class Suppliers(Resource):
    path = "suppliers"
    key = "supplierNumber"
    filterable = [
        "address",
        "bankAccount",
        "barred",
        "city",
        "corporateIdentificationNumber",
        "country",
        "currency",
        "defaultInvoiceText",
        "email",
        "name",
        "supplierGroup.supplierGroupNumber",
        "supplierNumber",
        "zip",
    ]
    sortable = [
        "address",
        "bankAccount",
        "city",
        "corporateIdentificationNumber",
        "country",
        "currency",
        "defaultInvoiceText",
        "email",
        "name",
        "supplierNumber",
        "zip",
    ]
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = SUPPLIER_RULE
    auto_number = True
    singular = "supplier"
    create_description = "Create a new supplier."

    def prepare(self, ctx, clean, key, old):
        rec = dict(clean)
        if "layout" not in rec:
            rec["layout"] = {"layoutNumber": ctx.st.self_info.get("defaultLayout", 19)}
        return rec

    def render(self, ctx, rec):
        n = rec["supplierNumber"]
        out = {"supplierNumber": n, "name": rec["name"], "currency": rec["currency"]}
        _refs(
            ctx,
            rec,
            out,
            {
                "paymentTerms": ("payment-terms", "paymentTermsNumber"),
                "vatZone": ("vat-zones", "vatZoneNumber"),
                "supplierGroup": ("supplier-groups", "supplierGroupNumber"),
            },
        )
        for f in (
            "address",
            "zip",
            "city",
            "country",
            "email",
            "phone",
            "bankAccount",
            "corporateIdentificationNumber",
            "defaultInvoiceText",
            "barred",
        ):
            if f in rec:
                out[f] = rec[f]
        _refs(
            ctx,
            rec,
            out,
            {
                "costAccount": ("accounts", "accountNumber"),
                "salesPerson": ("employees", "employeeNumber"),
                "layout": ("layouts", "layoutNumber"),
            },
        )
        for name in ("attention", "supplierContact"):
            if name in rec:
                k = rec[name]["supplierContactNumber"]
                out[name] = {
                    "supplierContactNumber": k,
                    "self": ctx.link("suppliers", n, "contacts", k),
                }
        if "remittanceAdvice" in rec:
            ra = dict(rec["remittanceAdvice"])
            if "paymentType" in ra:
                ra["paymentType"] = ref(
                    ctx,
                    "payment-types",
                    "paymentTypeNumber",
                    ra["paymentType"]["paymentTypeNumber"],
                )
            out["remittanceAdvice"] = ra
        base = ctx.link("suppliers", n)
        out["contacts"] = base + "/contacts"
        out["metaData"] = {
            "delete": {
                "description": "Delete this supplier.",
                "href": base,
                "httpMethod": "delete",
            },
            "replace": {"description": "Replace this supplier.", "href": base, "httpMethod": "put"},
        }
        out["self"] = base
        return out

    def on_change(self, ctx, kind, old_key, new_key):
        pass

    def register(self, router):
        super().register(router)
        router.add("GET", r"suppliers/([^/]+)/contacts", self.h_contacts)
        router.add("GET", r"suppliers/([^/]+)/contacts/([^/]+)", self.h_contact)

    def _contact_wire(self, ctx, c):
        n = c["supplierNumber"]
        out = {"supplierContactNumber": c["number"], "name": c["name"]}
        for f in ("email", "phone", "notes"):
            if c.get(f):
                out[f] = c[f]
        out["supplier"] = ref(ctx, "suppliers", "supplierNumber", n)
        out["self"] = ctx.link("suppliers", n, "contacts", c["number"])
        return out

    def h_contacts(self, ctx, raw):
        n = self.parse_key(raw)
        with ctx.st.lock:
            if n not in ctx.st.t("suppliers"):
                raise errors.not_found()
            recs = [c for c in ctx.st.t("supplier-contacts").values() if c["supplierNumber"] == n]
        return collection(
            ctx,
            SupplierContactsView(),
            records=recs,
            render=lambda c, r: self._contact_wire(c, r),
            create=False,
        )

    def h_contact(self, ctx, raw, raw_k):
        n, k = self.parse_key(raw), self.parse_key(raw_k)
        c = ctx.st.t("supplier-contacts").get(k)
        if c is None or c["supplierNumber"] != n:
            raise errors.not_found()
        return 200, self._contact_wire(ctx, c), {}


class SupplierContactsView(Resource):
    filterable = ["supplierContactNumber", "name", "email"]
    sortable = ["supplierContactNumber", "name", "email"]
    default_sort = [("number", False, False)]
