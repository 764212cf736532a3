"""Customers (+ their contacts and groups) and supplier groups of the legacy REST API."""

from decimal import Decimal

from .. import errors
from ..validation import A, B, E, I, N, O, Ref, S
from .base import Resource, collection, ref
from .base import refs as _refs
from .ledger import Accounts

# ------------------------------------------------------------------ customers

CUSTOMER_RULE = O(
    {
        "customerNumber": I(min=1, max=999999999),
        "name": S(req=True, min=1, max=255),
        "currency": S(req=True, min=3, max=3, ref="currencies"),
        "customerGroup": Ref("customer-groups", "customerGroupNumber", req=True),
        "paymentTerms": Ref("payment-terms", "paymentTermsNumber", req=True),
        "vatZone": Ref("vat-zones", "vatZoneNumber", req=True),
        "address": S(max=510),
        "city": S(max=50),
        "zip": S(max=30),
        "country": S(max=50),
        "email": S(max=255),
        "telephoneAndFaxNumber": S(max=255),
        "mobilePhone": S(max=50),
        "corporateIdentificationNumber": S(max=40),
        "pNumber": S(min=10, max=10),
        "ean": S(max=13),
        "vatNumber": S(max=20),
        "publicEntryNumber": S(max=50),
        "website": S(max=255),
        "creditLimit": N(),
        "barred": B(),
        "eInvoicingDisabledByDefault": B(),
        "layout": Ref("layouts", "layoutNumber"),
        "salesPerson": Ref("employees", "employeeNumber"),
        "attention": Ref(None, "customerContactNumber"),
        "customerContact": Ref(None, "customerContactNumber"),
        "defaultDeliveryLocation": Ref(None, "deliveryLocationNumber"),
        "balance": N(ro=True),
        "dueAmount": N(ro=True),
        "lastUpdated": S(ro=True),
    }
)
CUSTOMER_SCALARS = [
    "address",
    "balance",
    "barred",
    "city",
    "corporateIdentificationNumber",
    "pNumber",
    "country",
    "creditLimit",
    "currency",
    "customerNumber",
    "dueAmount",
    "ean",
    "email",
    "name",
    "publicEntryNumber",
    "telephoneAndFaxNumber",
    "mobilePhone",
    "eInvoicingDisabledByDefault",
    "vatNumber",
    "website",
    "zip",
]


class Customers(Resource):
    path = "customers"
    key = "customerNumber"
    filterable = [
        "address",
        "balance",
        "barred",
        "city",
        "corporateIdentificationNumber",
        "country",
        "creditLimit",
        "currency",
        "customerNumber",
        "ean",
        "email",
        "lastUpdated",
        "name",
        "publicEntryNumber",
        "telephoneAndFaxNumber",
        "mobilePhone",
        "vatNumber",
        "website",
        "zip",
        "customerGroup.customerGroupNumber",
        "pNumber",
    ]
    sortable = [
        "address",
        "balance",
        "city",
        "corporateIdentificationNumber",
        "country",
        "creditLimit",
        "currency",
        "customerNumber",
        "ean",
        "email",
        "lastUpdated",
        "name",
        "publicEntryNumber",
        "telephoneAndFaxNumber",
        "mobilePhone",
        "vatNumber",
        "website",
        "zip",
    ]
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = CUSTOMER_RULE
    stamp = True
    auto_number = True
    singular = "customer"
    create_description = "Create a new customer."

    def prepare(self, ctx, clean, key, old):
        rec = dict(clean)
        rec["balance"] = old.get("balance", Decimal("0")) if old else Decimal("0")
        rec["dueAmount"] = old.get("dueAmount", Decimal("0")) if old else Decimal("0")
        if rec.get("barred") is False:
            del rec["barred"]
        for name in ("attention", "customerContact"):
            if name in rec:
                cn = rec[name]["customerContactNumber"]
                hit = ctx.st.t("customer-contacts").get(cn)
                if hit is None or hit["customer"]["customerNumber"] != key:
                    raise errors.validation(
                        {
                            name: {
                                "errors": [
                                    {
                                        "errorCode": "E06000",
                                        "message": "%s does not exist." % name,
                                        "value": cn,
                                        "developerHint": "Find a list of contacts at %s."
                                        % ctx.link("customers", key, "contacts"),
                                    }
                                ]
                            }
                        }
                    )
        rec.pop("defaultDeliveryLocation", None)
        return rec

    def render(self, ctx, rec):
        n = rec["customerNumber"]
        out = {"customerNumber": n, "currency": rec["currency"]}
        _refs(
            ctx,
            rec,
            out,
            {
                "paymentTerms": ("payment-terms", "paymentTermsNumber"),
                "customerGroup": ("customer-groups", "customerGroupNumber"),
            },
        )
        for f in CUSTOMER_SCALARS:
            if f in rec and f not in out:
                if f == "barred" and not rec[f]:
                    continue
                out[f] = rec[f]
        _refs(
            ctx,
            rec,
            out,
            {
                "vatZone": ("vat-zones", "vatZoneNumber"),
                "layout": ("layouts", "layoutNumber"),
                "salesPerson": ("employees", "employeeNumber"),
            },
        )
        for name in ("attention", "customerContact"):
            if name in rec:
                cn = rec[name]["customerContactNumber"]
                out[name] = {
                    "customerContactNumber": cn,
                    "customer": ref(ctx, "customers", "customerNumber", n),
                    "self": ctx.link("customers", n, "contacts", cn),
                }
        if "lastUpdated" in rec:
            out["lastUpdated"] = rec["lastUpdated"]
        base = ctx.link("customers", n)
        out["contacts"] = base + "/contacts"
        out["templates"] = {
            "invoice": base + "/templates/invoice",
            "invoiceLine": base + "/templates/invoiceline",
            "self": base + "/templates",
        }
        out["totals"] = {
            "drafts": ctx.link("invoices/totals/drafts/customers", n),
            "booked": ctx.link("invoices/totals/booked/customers", n),
            "self": base + "/totals",
        }
        out["deliveryLocations"] = base + "/delivery-locations"
        out["invoices"] = {
            "drafts": base + "/invoices/drafts",
            "booked": base + "/invoices/booked",
            "self": base + "/invoices",
        }
        out["metaData"] = {
            "delete": {
                "description": "Delete this customer.",
                "href": base,
                "httpMethod": "delete",
            },
            "replace": {"description": "Replace this customer.", "href": base, "httpMethod": "put"},
        }
        out["self"] = base
        return out

    def check_delete(self, ctx, key, rec):
        for tname in ("invoices/drafts", "invoices/booked"):
            for inv in ctx.st.t(tname).values():
                if inv.get("customer", {}).get("customerNumber") == key:
                    raise errors.bad_request(
                        "Cannot delete customer.",
                        "The customer is referenced by one or more invoices and cannot be deleted.",
                        errors=["Customer %d is in use by invoices." % key],
                        error_code="E06150",
                    )
        from ..contacts import drop_customer

        drop_customer(ctx.st, key)

    def register(self, router):
        super().register(router)
        contacts = CustomerContacts()
        router.add("GET", r"customers/([^/]+)/contacts", contacts.h_list)
        router.add("POST", r"customers/([^/]+)/contacts", contacts.h_post)
        router.add("GET", r"customers/([^/]+)/contacts/([^/]+)", contacts.h_get)
        router.add("PUT", r"customers/([^/]+)/contacts/([^/]+)", contacts.h_put)
        router.add("DELETE", r"customers/([^/]+)/contacts/([^/]+)", contacts.h_delete)
        router.add("GET", r"customers/([^/]+)/invoices/(drafts|booked)", self.h_invoices)

    def h_invoices(self, ctx, raw, kind):
        from .booked import BOOKED
        from .invoices import DRAFTS

        cn = self.parse_key(raw)
        if cn not in ctx.st.t("customers"):
            raise errors.not_found()
        res = DRAFTS if kind == "drafts" else BOOKED
        recs = [
            r
            for r in ctx.st.t("invoices/" + kind).values()
            if r["customer"]["customerNumber"] == cn
        ]
        return collection(ctx, res, records=recs, create=False)


CONTACT_RULE = O(
    {
        "customerContactNumber": I(min=1),
        "name": S(req=True, min=1, max=255),
        "email": S(max=255),
        "phone": S(max=50),
        "eInvoiceId": S(max=50),
        "notes": S(max=2000),
        "sortKey": I(min=1),
        "emailNotifications": A(E(["invoices", "orders", "quotations", "reminders"])),
        "deleted": B(ro=True),
        "customer": O({}, ro=True),
    }
)


class CustomerContacts(Resource):
    path = "customers/{n}/contacts"
    table = "customer-contacts"
    key = "customerContactNumber"
    rule = CONTACT_RULE
    filterable = ["customerContactNumber", "email", "name", "phone", "eInvoiceId", "sortKey"]
    sortable = ["customerContactNumber", "email", "name", "phone", "eInvoiceId", "sortKey"]
    create_description = "Create a new contact for this customer."

    def _contacts(self, ctx, raw_cn, create=False):
        from .. import contacts

        cn = Resource.parse_key(self, raw_cn)
        if cn not in ctx.st.t("customers"):
            raise errors.not_found()
        return cn, contacts.of_customer(ctx.st, cn)

    def render(self, ctx, rec):
        cn, k = rec["customer"]["customerNumber"], rec["customerContactNumber"]
        out = {"customerContactNumber": k}
        for f in ("email", "name", "phone", "eInvoiceId", "notes", "emailNotifications"):
            if f in rec:
                out[f] = rec[f]
        out["customer"] = ref(ctx, "customers", "customerNumber", cn)
        if "sortKey" in rec:
            out["sortKey"] = rec["sortKey"]
        out["self"] = ctx.link("customers", cn, "contacts", k)
        return out

    def h_list(self, ctx, raw_cn):
        with ctx.st.lock:
            cn, tbl = self._contacts(ctx, raw_cn)
            recs = list(tbl.values())
        return collection(ctx, self, records=recs)

    def h_get(self, ctx, raw_cn, raw):
        with ctx.st.lock:
            cn, tbl = self._contacts(ctx, raw_cn)
            rec = tbl.get(self.parse_key(raw))
            if rec is None:
                raise errors.not_found()
            return 200, self.render(ctx, rec), {}

    def _write(self, ctx, raw_cn, body, key=None):
        from .. import contacts

        if not isinstance(body, dict):
            raise errors.bad_request("Validation error.", "Send a JSON object.")
        clean = self.validate(ctx, body)
        with ctx.st.lock:
            cn, mine = self._contacts(ctx, raw_cn, create=True)
            everyone = contacts.table(ctx.st)
            if key is None:
                key = clean.get("customerContactNumber")
                if key is None or key in everyone:
                    key = contacts.next_number(ctx.st)
            elif key in everyone and key not in mine:
                raise errors.not_found()  # another customer's contact
            old = mine.get(key)
            rec = dict(clean)
            rec["customerContactNumber"] = key
            rec["customer"] = {"customerNumber": cn}
            if "sortKey" not in rec:
                rec["sortKey"] = (
                    old.get("sortKey") if old else contacts.next_sort_key(ctx.st, cn)
                ) or contacts.next_sort_key(ctx.st, cn)
            if old:  # keep what only the customersapi view knows
                for f in contacts.OPENAPI_ONLY_FLAGS:
                    if f in old:
                        rec[f] = old[f]
            everyone[key] = contacts.touch(ctx.st, rec)
            return old is not None, self.render(ctx, rec)

    def h_post(self, ctx, raw_cn):
        existed, body = self._write(ctx, raw_cn, ctx.body)
        return 201, body, {"Location": body["self"]}

    def h_put(self, ctx, raw_cn, raw):
        existed, body = self._write(ctx, raw_cn, ctx.body, key=self.parse_key(raw))
        return (200 if existed else 201), body, {}

    def h_delete(self, ctx, raw_cn, raw):
        from .. import contacts

        with ctx.st.lock:
            cn, tbl = self._contacts(ctx, raw_cn)
            key = self.parse_key(raw)
            if key not in tbl:
                raise errors.not_found()
            del contacts.table(ctx.st)[key]
        return 204, None, {}


# ------------------------------------------------------------------ groups and small master data


class CustomerGroups(Resource):
    path = "customer-groups"
    key = "customerGroupNumber"
    filterable = ["customerGroupNumber", "name", "account.accountNumber"]
    sortable = ["customerGroupNumber", "name"]
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = O(
        {
            "customerGroupNumber": I(req=True, min=1),
            "name": S(max=50),
            "account": Ref("accounts", "accountNumber", req=True),
            "layout": Ref("layouts", "layoutNumber"),
        }
    )
    singular = "customer group"
    create_description = "Create a new customer group."

    def render(self, ctx, rec):
        n = rec["customerGroupNumber"]
        out = {"customerGroupNumber": n}
        if "name" in rec:
            out["name"] = rec["name"]
        acc = ctx.st.t("accounts").get(rec["account"]["accountNumber"])
        out["account"] = (
            Accounts.render(Accounts(), ctx, acc)
            if acc
            else ref(ctx, "accounts", "accountNumber", rec["account"]["accountNumber"])
        )
        if "layout" in rec:
            lay = ctx.st.t("layouts").get(rec["layout"]["layoutNumber"], {})
            out["layout"] = ref(
                ctx,
                "layouts",
                "layoutNumber",
                rec["layout"]["layoutNumber"],
                **({"name": lay["name"]} if "name" in lay else {}),
            )
        out["customers"] = ctx.link("customer-groups", n, "customers")
        out["self"] = ctx.link("customer-groups", n)
        return out

    def check_delete(self, ctx, key, rec):
        if any(
            c["customerGroup"]["customerGroupNumber"] == key for c in ctx.st.t("customers").values()
        ):
            raise errors.bad_request(
                "Cannot delete customer group.",
                "The group is in use by customers.",
                errors=["Customer group %d is in use." % key],
            )

    def on_change(self, *a):
        pass

    def register(self, router):
        super().register(router)
        router.add("GET", r"customer-groups/([^/]+)/customers", self.h_customers)

    def h_customers(self, ctx, raw):
        g = self.parse_key(raw)
        if g not in ctx.st.t("customer-groups"):
            raise errors.not_found()
        cust = Customers()
        recs = [
            c
            for c in ctx.st.t("customers").values()
            if c["customerGroup"]["customerGroupNumber"] == g
        ]
        return collection(ctx, cust, records=recs, create=False)


class SupplierGroups(Resource):
    path = "supplier-groups"
    key = "supplierGroupNumber"
    filterable = ["supplierGroupNumber", "name"]
    sortable = ["supplierGroupNumber", "name"]

    def render(self, ctx, rec):
        n = rec["supplierGroupNumber"]
        out = {
            "supplierGroupNumber": n,
            "name": rec["name"],
            "account": ref(ctx, "accounts", "accountNumber", rec["account"]["accountNumber"]),
            "suppliers": ctx.link("supplier-groups", n, "suppliers"),
            "self": ctx.link("supplier-groups", n),
        }
        return out
