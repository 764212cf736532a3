"""Master data: self, customers (+contacts), suppliers (+contacts), groups, VAT zones, payment terms,
layouts, currencies, units, products, product groups, accounts, accounting years, employees."""

from decimal import Decimal

from .. import errors
from ..validation import A, B, D, E, I, N, O, Ref, S
from .base import Resource, collection, ref

PAYMENT_TERMS_TYPES = [
    "net",
    "invoiceMonth",
    "paidInCash",
    "prepaid",
    "dueDate",
    "factoring",
    "invoiceWeekStartingSunday",
    "invoiceWeekStartingMonday",
    "creditcard",
]
ACCOUNT_TYPES = [
    "profitAndLoss",
    "status",
    "totalFrom",
    "heading",
    "headingStart",
    "sumInterval",
    "sumAlpha",
]


def _refs(ctx, rec, out, spec):
    """Copy reference objects `name → (resource, keyName)` from rec into out, with self links."""
    for name, (resource, key_name) in spec.items():
        v = rec.get(name)
        if v and v.get(key_name) is not None:
            extra = {k: x for k, x in v.items() if k != key_name}
            out[name] = ref(ctx, resource, key_name, v[key_name], **extra)


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
        from .invoices import RESOURCES as INV

        cn = self.parse_key(raw)
        if cn not in ctx.st.t("customers"):
            raise errors.not_found()
        res = INV["invoices/" + kind]
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


class VatZones(Resource):
    path = "vat-zones"
    key = "vatZoneNumber"
    filterable = []  # not filterable: every property is refused
    sortable = ["vatZoneNumber", "name"]

    def render(self, ctx, rec):
        return {
            "name": rec["name"],
            "vatZoneNumber": rec["vatZoneNumber"],
            "enabledForCustomer": rec["enabledForCustomer"],
            "enabledForSupplier": rec["enabledForSupplier"],
            "self": ctx.link("vat-zones", rec["vatZoneNumber"]),
        }


class PaymentTerms(Resource):
    path = "payment-terms"
    key = "paymentTermsNumber"
    filterable = []
    sortable = ["name", "daysOfCredit"]
    methods = ("GET", "POST", "PUT", "DELETE")
    auto_number = True
    rule = O(
        {
            "paymentTermsNumber": I(min=1),
            "name": S(req=True, min=1, max=50),
            "paymentTermsType": E(PAYMENT_TERMS_TYPES, req=True),
            "daysOfCredit": I(min=0),
            "description": S(max=1000),
            "contraAccountForPrepaidAmount": Ref("accounts", "accountNumber"),
            "contraAccountForRemainderAmount": Ref("accounts", "accountNumber"),
            "percentageForPrepaidAmount": N(min=0, max=100),
            "percentageForRemainderAmount": N(min=0, max=100),
            "creditCardCompany": Ref("customers", "customerNumber"),
        }
    )
    singular = "payment term"
    create_description = "Create new payment terms."

    def prepare(self, ctx, clean, key, old):
        if old:
            for f in ("paymentTermsType", "daysOfCredit"):
                if clean.get(f, old.get(f)) != old.get(f):
                    raise errors.validation(
                        {
                            f: {
                                "errors": [
                                    {
                                        "errorCode": "E06151",
                                        "message": "%s cannot be changed on update." % f,
                                        "value": clean.get(f),
                                        "developerHint": "Create new payment terms instead.",
                                    }
                                ]
                            }
                        }
                    )
        return dict(clean)

    def render(self, ctx, rec):
        n = rec["paymentTermsNumber"]
        out = {"paymentTermsNumber": n}
        for f in (
            "daysOfCredit",
            "name",
            "paymentTermsType",
            "description",
            "percentageForPrepaidAmount",
            "percentageForRemainderAmount",
        ):
            if f in rec:
                out[f] = rec[f]
        _refs(
            ctx,
            rec,
            out,
            {
                "contraAccountForPrepaidAmount": ("accounts", "accountNumber"),
                "contraAccountForRemainderAmount": ("accounts", "accountNumber"),
                "creditCardCompany": ("customers", "customerNumber"),
            },
        )
        out["self"] = ctx.link("payment-terms", n)
        return out

    def on_change(self, *a):
        pass


class PaymentTypes(Resource):
    path = "payment-types"
    key = "paymentTypeNumber"
    filterable = []
    sortable = ["paymentTypeNumber", "name"]

    def render(self, ctx, rec):
        return {
            "paymentTypeNumber": rec["paymentTypeNumber"],
            "name": rec["name"],
            "self": ctx.link("payment-types", rec["paymentTypeNumber"]),
        }


class Layouts(Resource):
    path = "layouts"
    key = "layoutNumber"
    filterable = []
    sortable = ["layoutNumber", "name"]

    def render(self, ctx, rec):
        out = {"layoutNumber": rec["layoutNumber"], "name": rec["name"]}
        if rec.get("deleted"):
            out["deleted"] = True
        out["self"] = ctx.link("layouts", rec["layoutNumber"])
        return out


class Currencies(Resource):
    path = "currencies"
    key = "code"
    key_type = str
    filterable = []
    sortable = ["code", "name"]

    def parse_key(self, raw):
        return raw.upper()

    def render(self, ctx, rec):
        return {
            "code": rec["code"],
            "name": rec["name"],
            "isoNumber": rec["isoNumber"],
            "self": ctx.link("currencies", rec["code"]),
        }


class Units(Resource):
    path = "units"
    key = "unitNumber"
    filterable = []
    sortable = ["unitNumber", "name"]
    methods = ("GET", "POST", "PUT", "DELETE")
    auto_number = True
    rule = O({"unitNumber": I(min=1), "name": S(req=True, min=1, max=100)})
    singular = "unit"
    create_description = "Create a new unit."

    def render(self, ctx, rec):
        n = rec["unitNumber"]
        return {
            "unitNumber": n,
            "name": rec["name"],
            "products": ctx.link("units", n, "products"),
            "self": ctx.link("units", n),
        }

    def check_delete(self, ctx, key, rec):
        if any(p.get("unit", {}).get("unitNumber") == key for p in ctx.st.t("products").values()):
            raise errors.bad_request(
                "Cannot delete unit.",
                "You can't delete a unit that is in use.",
                errors=["Unit %d is in use." % key],
            )

    def on_change(self, *a):
        pass


class ProductGroups(Resource):
    path = "product-groups"
    key = "productGroupNumber"
    filterable = []
    sortable = ["productGroupNumber", "name"]

    def render(self, ctx, rec):
        n = rec["productGroupNumber"]
        out = {
            "productGroupNumber": n,
            "name": rec["name"],
            "salesAccounts": ctx.link("product-groups", n, "sales-accounts"),
            "products": ctx.link("product-groups", n, "products"),
            "inventoryEnabled": bool(rec.get("inventoryEnabled")),
            "self": ctx.link("product-groups", n),
        }
        return out

    def register(self, router):
        super().register(router)
        router.add("GET", r"product-groups/([^/]+)/products", self.h_products)

    def h_products(self, ctx, raw):
        g = self.parse_key(raw)
        if g not in ctx.st.t("product-groups"):
            raise errors.not_found()
        recs = [
            p for p in ctx.st.t("products").values() if p["productGroup"]["productGroupNumber"] == g
        ]
        return collection(ctx, Products(), records=recs, create=False)


PRODUCT_RULE = O(
    {
        "productNumber": S(req=True, min=1, max=25),
        "name": S(req=True, min=1, max=300),
        "description": S(max=500),
        "costPrice": N(),
        "recommendedPrice": N(),
        "salesPrice": N(),
        "barCode": S(max=50),
        "barred": B(),
        "productGroup": Ref("product-groups", "productGroupNumber", req=True),
        "unit": Ref("units", "unitNumber"),
        "departmentalDistribution": Ref(None, "departmentalDistributionNumber"),
        "inventory": O({"packageVolume": N(), "recommendedCostPrice": N()}),
        "lastUpdated": S(ro=True),
    }
)


class Products(Resource):
    path = "products"
    key = "productNumber"
    key_type = str
    filterable = [
        "productNumber",
        "description",
        "name",
        "costPrice",
        "recommendedPrice",
        "salesPrice",
        "barCode",
        "lastUpdated",
        "unit.unitNumber",
        "productGroup.productGroupNumber",
        "barred",
    ]
    sortable = [
        "productNumber",
        "description",
        "name",
        "costPrice",
        "recommendedPrice",
        "salesPrice",
        "barCode",
        "lastUpdated",
    ]
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = PRODUCT_RULE
    stamp = True
    singular = "product"
    create_description = "Create a new product."

    def prepare(self, ctx, clean, key, old):
        rec = dict(clean)
        rec.setdefault("barred", False)
        return rec

    def render(self, ctx, rec):
        n = rec["productNumber"]
        out = {"productNumber": n}
        for f in (
            "description",
            "name",
            "costPrice",
            "recommendedPrice",
            "salesPrice",
            "barCode",
            "barred",
            "lastUpdated",
        ):
            if f in rec:
                out[f] = rec[f]
        g = rec["productGroup"]["productGroupNumber"]
        grp = ctx.st.t("product-groups").get(g)
        out["productGroup"] = (
            ProductGroups().render(ctx, grp)
            if grp
            else ref(ctx, "product-groups", "productGroupNumber", g)
        )
        if "unit" in rec:
            u = ctx.st.t("units").get(rec["unit"]["unitNumber"])
            out["unit"] = (
                Units().render(ctx, u)
                if u
                else ref(ctx, "units", "unitNumber", rec["unit"]["unitNumber"])
            )
        if "inventory" in rec:
            out["inventory"] = rec["inventory"]
        base = self.self_link(ctx, n)
        out["invoices"] = {"drafts": base + "/invoices/drafts", "booked": base + "/invoices/booked"}
        out["pricing"] = {
            "currencySpecificSalesPrices": base + "/pricing/currency-specific-sales-prices"
        }
        out["metaData"] = {
            "delete": {"description": "Delete this product.", "href": base, "httpMethod": "delete"},
            "replace": {"description": "Replace this product.", "href": base, "httpMethod": "put"},
        }
        out["self"] = base
        return out

    def check_delete(self, ctx, key, rec):
        for tname in ("invoices/drafts", "invoices/booked"):
            for inv in ctx.st.t(tname).values():
                for line in inv.get("lines", ()):
                    if line.get("product", {}).get("productNumber") == key:
                        raise errors.bad_request(
                            "Cannot delete product.",
                            "The product is used on one or more invoices.",
                            errors=["Product %s is in use." % key],
                            error_code="E06150",
                        )


class Accounts(Resource):
    path = "accounts"
    key = "accountNumber"
    filterable = [
        "accountNumber",
        "accountType",
        "balance",
        "barred",
        "blockDirectEntries",
        "debitCredit",
        "name",
    ]
    sortable = [
        "accountNumber",
        "accountType",
        "balance",
        "blockDirectEntries",
        "debitCredit",
        "name",
    ]

    def render(self, ctx, rec):
        n = rec["accountNumber"]
        out = {
            "accountNumber": n,
            "accountType": rec["accountType"],
            "balance": rec.get("balance", Decimal(0)),
            "blockDirectEntries": rec.get("blockDirectEntries", False),
            "debitCredit": rec["debitCredit"],
            "name": rec["name"],
        }
        if rec.get("barred"):
            out["barred"] = True
        if "vatAccount" in rec:
            out["vatAccount"] = ref(ctx, "vat-accounts", "vatCode", rec["vatAccount"]["vatCode"])
        out["accountingYears"] = ctx.link("accounts", n, "accounting-years")
        out["self"] = ctx.link("accounts", n)
        return out


class AccountingYears(Resource):
    path = "accounting-years"
    key = "year"
    key_type = str
    filterable = ["fromDate", "toDate", "year"]
    sortable = ["fromDate", "toDate", "year"]
    default_sort = [("fromDate", False, False)]
    methods = ("GET", "POST")
    rule = O({"fromDate": D(req=True), "toDate": D(req=True), "closed": B()})
    create_description = "Create a new accounting year."

    def render(self, ctx, rec):
        y = rec["year"]
        base = ctx.link("accounting-years", y)
        out = {"fromDate": rec["fromDate"], "toDate": rec["toDate"], "year": y}
        if rec.get("closed"):
            out["closed"] = True
        out.update(
            {
                "periods": base + "/periods",
                "entries": base + "/entries",
                "totals": base + "/totals",
                "vouchers": base + "/vouchers",
                "self": base,
            }
        )
        return out

    def h_post(self, ctx):
        clean = self.validate(ctx, ctx.body)
        if clean["toDate"] < clean["fromDate"]:
            raise errors.validation(
                {
                    "toDate": {
                        "errors": [
                            {
                                "errorCode": "E04760",
                                "message": "toDate must be after fromDate.",
                                "value": clean["toDate"],
                                "developerHint": "Please check your request data.",
                            }
                        ]
                    }
                }
            )
        with ctx.st.lock:
            tbl = self.tbl(ctx)
            y = clean["fromDate"][:4]
            if clean["fromDate"][5:] != "01-01" or clean["toDate"][:4] != y:
                y = "%s/%s" % (clean["fromDate"][:4], clean["toDate"][:4])
            while y in tbl:
                y = y + "a"
            rec = dict(clean, year=y)
            tbl[y] = rec
            body = self.render(ctx, rec)
        return 201, body, {"Location": body["self"]}

    def register(self, router):
        super().register(router)
        router.add("GET", r"accounting-years/([^/]+)/entries", self.h_entries)

    def h_entries(self, ctx, y):
        if y not in ctx.st.t("accounting-years"):
            raise errors.not_found()
        recs = [e for e in ctx.st.t("entries").values() if e["_year"] == y]
        return collection(ctx, Entries(), records=recs, create=False)


class Entries(Resource):
    key = "entryNumber"
    filterable = [
        "amount",
        "supplierInvoiceNumber",
        "amountInBaseCurrency",
        "currency",
        "date",
        "dueDate",
        "project.projectNumber",
        "costType.costTypeNumber",
        "entryNumber",
        "text",
        "entryType",
        "customer.customerNumber",
        "supplier.supplierNumber",
        "supplier.supplierGroup.supplierGroupNumber",
        "unit1.unitNumber",
        "unit2.unitNumber",
        "quantity1",
        "quantity2",
        "voucherNumber",
        "remainder",
        "remainderInBaseCurrency",
    ]
    sortable = filterable
    default_sort = [("entryNumber", False, False)]

    def render(self, ctx, rec):
        out = {k: v for k, v in rec.items() if not k.startswith("_")}
        for name, (res, kn) in {
            "account": ("accounts", "accountNumber"),
            "customer": ("customers", "customerNumber"),
            "supplier": ("suppliers", "supplierNumber"),
            "vatAccount": ("vat-accounts", "vatCode"),
        }.items():
            if name in rec:
                out[name] = ref(ctx, res, kn, rec[name][kn])
        if "bookedInvoice" in rec:
            out["bookedInvoice"] = ref(
                ctx,
                "invoices/booked",
                "bookedInvoiceNumber",
                rec["bookedInvoice"]["bookedInvoiceNumber"],
            )
        out["accountingYear"] = ref(ctx, "accounting-years", "year", rec["_year"])
        out["self"] = ctx.link("accounting-years", rec["_year"], "entries", rec["entryNumber"])
        return out


class Employees(Resource):
    path = "employees"
    key = "employeeNumber"
    filterable = ["employeeNumber", "name", "barred"]
    sortable = ["employeeNumber", "name"]

    def render(self, ctx, rec):
        n = rec["employeeNumber"]
        out = {"employeeNumber": n, "name": rec["name"]}
        if rec.get("email"):
            out["email"] = rec["email"]
        out["self"] = ctx.link("employees", n)
        return out


class VatTypes(Resource):
    path = "vat-types"
    key = "vatTypeNumber"
    filterable = []
    sortable = ["vatTypeNumber", "name"]

    def render(self, ctx, rec):
        return {
            "vatTypeNumber": rec["vatTypeNumber"],
            "name": rec["name"],
            "self": ctx.link("vat-types", rec["vatTypeNumber"]),
        }


def self_handler(ctx):
    info = dict(ctx.st.self_info.get("wire", {}))
    info["settings"] = {"baseCurrency": ctx.st.base_currency}
    info["self"] = ctx.link("self")
    if "application" in info:
        info["application"] = dict(
            info["application"], self=ctx.link("apps", info["application"]["appNumber"])
        )
    if "user" in info and "language" in info["user"]:
        u = dict(info["user"])
        u["language"] = dict(
            u["language"], self=ctx.link("languages", u["language"]["languageNumber"])
        )
        info["user"] = u
    info["modules"] = [
        dict(m, self=ctx.link("modules/agreement", m["moduleNumber"]))
        for m in info.get("modules", [])
    ]
    return 200, info, {}


RESOURCES = [
    Customers(),
    Suppliers(),
    CustomerGroups(),
    SupplierGroups(),
    VatZones(),
    PaymentTerms(),
    PaymentTypes(),
    Layouts(),
    Currencies(),
    Units(),
    Products(),
    ProductGroups(),
    Accounts(),
    AccountingYears(),
    Employees(),
    VatTypes(),
]
