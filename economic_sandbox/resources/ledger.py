"""The ledger's master data: VAT zones and types, accounts, accounting years and their entries."""

import datetime as dt
from decimal import Decimal

from .. import errors
from ..validation import B, D, O
from .base import Resource, collection, ref

ACCOUNT_TYPES = [
    "profitAndLoss",
    "status",
    "totalFrom",
    "heading",
    "headingStart",
    "sumInterval",
    "sumAlpha",
]


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
        if "draftBalance" in rec:
            out["draftBalance"] = rec["draftBalance"]
        if rec.get("barred"):
            out["barred"] = True
        if "vatAccount" in rec:
            out["vatAccount"] = ref(ctx, "vat-accounts", "vatCode", rec["vatAccount"]["vatCode"])
        for name in ("contraAccount", "totalFromAccount"):
            if name in rec:
                out[name] = ref(ctx, "accounts", "accountNumber", rec[name]["accountNumber"])
        if rec.get("accountsSummed"):
            out["accountsSummed"] = [
                {
                    side: ref(ctx, "accounts", "accountNumber", interval[side]["accountNumber"])
                    for side in ("fromAccount", "toAccount")
                }
                for interval in rec["accountsSummed"]
            ]
        out["accountingYears"] = ctx.link("accounts", n, "accounting-years")
        out["self"] = ctx.link("accounts", n)
        return out


class VatAccounts(Resource):
    """`/vat-accounts[/{vatCode}]` (GET only, keyed by the string vatCode, not filterable)."""

    path = "vat-accounts"
    key = "vatCode"
    key_type = str
    filterable = []
    sortable = ["vatCode", "name", "ratePercentage"]

    def render(self, ctx, rec):
        code = rec["vatCode"]
        out = {"vatCode": code, "name": rec["name"], "ratePercentage": rec["ratePercentage"]}
        if rec.get("barred"):
            out["barred"] = True
        for name in ("account", "contraAccount"):
            if rec.get(name):
                out[name] = ref(ctx, "accounts", "accountNumber", rec[name]["accountNumber"])
        vt = rec["vatType"]["vatTypeNumber"]
        vat_type = ctx.st.t("vat-types").get(vt) or {}
        out["vatType"] = ref(ctx, "vat-types", "vatTypeNumber", vt, name=vat_type.get("name", ""))
        out["self"] = self.self_link(ctx, code)
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
        router.add("GET", r"accounting-years/([^/]+)/periods", self.h_periods)
        router.add("GET", r"accounting-years/([^/]+)/periods/([^/]+)", self.h_period)
        router.add(
            "GET", r"accounting-years/([^/]+)/periods/([^/]+)/entries", self.h_period_entries
        )

    def _year(self, ctx, y):
        rec = ctx.st.t("accounting-years").get(y)
        if rec is None:
            raise errors.not_found()
        return rec

    def h_entries(self, ctx, y):
        self._year(ctx, y)
        return collection(ctx, ENTRIES, records=year_entries(ctx.st, y), create=False)

    def h_periods(self, ctx, y):
        rec = self._year(ctx, y)
        return collection(
            ctx, PERIODS, records=periods(rec), render=PERIODS.renderer(rec), create=False
        )

    def _period(self, ctx, y, raw):
        rec = self._year(ctx, y)
        for p in periods(rec):
            if str(p["periodNumber"]) == raw:
                return rec, p
        raise errors.not_found()

    def h_period(self, ctx, y, raw):
        rec, p = self._period(ctx, y, raw)
        return 200, PERIODS.renderer(rec)(ctx, p), {}

    def h_period_entries(self, ctx, y, raw):
        _rec, p = self._period(ctx, y, raw)
        recs = [e for e in year_entries(ctx.st, y) if p["fromDate"] <= e["date"] <= p["toDate"]]
        return collection(ctx, ENTRIES, records=recs, create=False)


def year_entries(st, year):
    """The booked entries of `year`, in entry-number order (the table is filled in that order)."""
    with st.lock:
        return [e for e in st.t("entries").values() if e["_year"] == year]


def periods(year):
    """An accounting year's periods: one per calendar month of its span, numbered from 1."""
    out = []
    start = dt.date.fromisoformat(year["fromDate"])
    end = dt.date.fromisoformat(year["toDate"])
    while start <= end:
        nxt = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        last = min(nxt - dt.timedelta(days=1), end)
        out.append(
            {
                "periodNumber": len(out) + 1,
                "fromDate": start.isoformat(),
                "toDate": last.isoformat(),
            }
        )
        start = nxt
    return out


class Periods(Resource):
    key = "periodNumber"
    filterable = ["periodNumber", "fromDate", "toDate"]
    sortable = filterable
    default_sort = [("periodNumber", False, False)]

    def renderer(self, year):
        y = year["year"]

        def render(ctx, p):
            base = ctx.link("accounting-years", y, "periods", p["periodNumber"])
            out = dict(p)
            out["accountingYear"] = ref(ctx, "accounting-years", "year", y)
            if year.get("closed"):
                out["closed"] = True
            out.update({"entries": base + "/entries", "totals": base + "/totals", "self": base})
            return out

        return render


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


ENTRIES = Entries()
PERIODS = Periods()


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


VAT_ZONES = VatZones()
ACCOUNTS = Accounts()
