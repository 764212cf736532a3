"""Master data: self, payment terms and types, layouts, currencies, employees, and the list of
every legacy master-data resource (customers and groups: parties.py, suppliers: suppliers.py,
units/products/groups: products.py, accounts/years/entries/VAT: ledger.py)."""

from .. import errors
from ..validation import E, I, N, O, Ref, S
from .base import Resource
from .base import refs as _refs
from .ledger import (
    ACCOUNT_TYPES,
    AccountingYears,
    Accounts,
    Entries,
    VatAccounts,
    VatTypes,
    VatZones,
)
from .parties import CustomerContacts, CustomerGroups, Customers, SupplierGroups
from .products import ProductGroups, Products, Units
from .suppliers import Suppliers

__all__ = [
    "ACCOUNT_TYPES",
    "PAYMENT_TERMS_TYPES",
    "RESOURCES",
    "AccountingYears",
    "Accounts",
    "CustomerContacts",
    "CustomerGroups",
    "Customers",
    "Entries",
    "ProductGroups",
    "Products",
    "SupplierGroups",
    "Suppliers",
    "Units",
    "VatAccounts",
    "VatTypes",
    "VatZones",
    "self_handler",
]

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
    VatAccounts(),
]
