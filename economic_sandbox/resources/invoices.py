"""Draft invoices (docs/ECONOMIC.md §4.10) and what drafts and booked invoices share: the write rules,
filters and rendering.  Pricing: `invoice_pricing.py`; booking, booked invoices and the
paid/unpaid/overdue/not-due views: `booked.py`; PDFs: `../invoice_pdf.py`."""

from decimal import Decimal

from .. import errors
from ..validation import A, D, E, I, N, O, Ref, S
from .base import Resource, ref
from .invoice_pricing import due_date, price_lines
from .master import PAYMENT_TERMS_TYPES

__all__ = ["DRAFTS", "Drafts", "due_date", "price_lines", "fill_recipient", "pdf_answer"]

LINE_RULE = O(
    {
        "lineNumber": I(min=1),
        "sortKey": I(min=1),
        "description": S(max=2500),
        "product": Ref("products", "productNumber", key_type=str),
        "quantity": N(),
        "unitNetPrice": N(scale=2),
        "discountPercentage": N(min=0, max=100),
        "unitCostPrice": N(),
        "unit": Ref("units", "unitNumber"),
        "accrual": O({"startDate": D(req=True), "endDate": D(req=True)}),
        "departmentalDistribution": Ref(None, "departmentalDistributionNumber"),
        "deliveryDate": D(),
        "totalNetAmount": N(ro=True),
        "marginInBaseCurrency": N(ro=True),
        "marginPercentage": N(ro=True),
    }
)

DRAFT_RULE = O(
    {
        "date": D(req=True),
        "currency": S(req=True, min=3, max=3, ref="currencies", upper=True),
        "exchangeRate": N(min=0, max=999999999999),
        "dueDate": D(),
        "customer": Ref("customers", "customerNumber", req=True),
        "layout": Ref("layouts", "layoutNumber", req=True),
        "paymentTerms": Ref(
            "payment-terms",
            "paymentTermsNumber",
            req=True,
            extra={
                "paymentTermsType": E(PAYMENT_TERMS_TYPES + ["avtaleGiro"]),
                "daysOfCredit": I(min=0),
                "name": S(max=50),
            },
        ),
        "project": Ref(None, "projectNumber"),
        "recipient": O(
            {
                "name": S(req=True, max=250),
                "address": S(max=250),
                "zip": S(max=50),
                "city": S(max=250),
                "country": S(max=50),
                "ean": S(max=13),
                "publicEntryNumber": S(max=40),
                "cvr": S(max=40),
                "mobilePhone": S(max=50),
                "attention": Ref(None, "customerContactNumber"),
                "vatZone": Ref("vat-zones", "vatZoneNumber", req=True),
                "nemHandelType": E(["ean", "corporateIdentificationNumber", "pNumber", "peppol"]),
            },
            req=True,
        ),
        "deliveryLocation": Ref(None, "deliveryLocationNumber"),
        "delivery": O(
            {
                "address": S(max=255),
                "zip": S(max=30),
                "city": S(max=50),
                "country": S(max=50),
                "deliveryTerms": S(max=100),
                "deliveryDate": D(),
            }
        ),
        "notes": O({"heading": S(max=250), "textLine1": S(max=1000), "textLine2": S(max=1000)}),
        "references": O(
            {
                "customerContact": Ref(None, "customerContactNumber"),
                "salesPerson": Ref("employees", "employeeNumber"),
                "vendorReference": Ref("employees", "employeeNumber"),
                "other": S(max=250),
            }
        ),
        "lines": A(LINE_RULE),
    }
)

LINES_RULE = O({"lines": A(LINE_RULE, req=True)})

INVOICE_FILTERS = [
    "currency",
    "exchangeRate",
    "date",
    "paymentTerms.paymentTermsNumber",
    "customer.customerNumber",
    "recipient.name",
    "recipient.address",
    "recipient.zip",
    "recipient.city",
    "recipient.country",
    "recipient.ean",
    "recipient.publicEntryNumber",
    "deliveryLocation.deliveryLocationNumber",
    "delivery.address",
    "delivery.zip",
    "delivery.city",
    "delivery.country",
    "delivery.deliveryTerms",
    "delivery.deliveryDate",
    "notes.heading",
    "notes.textLine1",
    "notes.textLine2",
    "references.salesPerson.employeeNumber",
    "references.vendorReference.employeeNumber",
    "references.other",
]
DRAFT_FILTERS = (
    ["draftInvoiceNumber"] + INVOICE_FILTERS + ["lastUpdated", "soap.currentInvoiceHandle.id"]
)
BOOKED_FILTERS = ["bookedInvoiceNumber"] + INVOICE_FILTERS + ["recipient.vatZone.vatZoneNumber"]
SORT_COMMON = [
    "currency",
    "exchangeRate",
    "date",
    "customer.customerNumber",
    "recipient.name",
    "recipient.address",
    "recipient.zip",
    "recipient.city",
    "recipient.country",
    "recipient.ean",
    "delivery.address",
    "delivery.zip",
    "delivery.city",
    "delivery.country",
    "delivery.deliveryDate",
    "notes.heading",
    "references.other",
    "dueDate",
]


def fill_recipient(st, customer_number, recipient):
    """The recipient as e-conomic stores it: `cvr` filled from the customer's
    `corporateIdentificationNumber` when the request did not send one (real recorded drafts)."""
    cust = st.t("customers").get(customer_number) or {}
    if "cvr" in recipient or not cust.get("corporateIdentificationNumber"):
        return recipient
    return dict(recipient, cvr=cust["corporateIdentificationNumber"])


def pdf_answer(ctx, rec, title, number):
    """200 `application/pdf`: the invoice `rec` as a small PDF (a negative gross: a credit note)."""
    from ..invoice_pdf import invoice_pdf

    body = invoice_pdf(ctx.st, rec, title, number)
    return 200, body, {"Content-Type": "application/pdf"}


def render_terms(ctx, n):
    t = ctx.st.t("payment-terms").get(n, {})
    out = {"paymentTermsNumber": n}
    for f in ("daysOfCredit", "name", "paymentTermsType"):
        if f in t:
            out[f] = t[f]
    out["self"] = ctx.link("payment-terms", n)
    return out


def render_invoice_common(ctx, rec, out):
    for f in (
        "date",
        "currency",
        "exchangeRate",
        "netAmount",
        "netAmountInBaseCurrency",
        "grossAmount",
        "grossAmountInBaseCurrency",
        "marginInBaseCurrency",
        "marginPercentage",
        "vatAmount",
        "roundingAmount",
        "costPriceInBaseCurrency",
        "remainder",
        "remainderInBaseCurrency",
        "dueDate",
    ):
        if f in rec:
            out[f] = rec[f]
    out["paymentTerms"] = render_terms(ctx, rec["paymentTerms"]["paymentTermsNumber"])
    out["customer"] = ref(ctx, "customers", "customerNumber", rec["customer"]["customerNumber"])
    rcp = {k: v for k, v in rec["recipient"].items() if k not in ("vatZone", "attention")}
    z = rec["recipient"]["vatZone"]["vatZoneNumber"]
    zr = ctx.st.t("vat-zones").get(z, {})
    rcp["vatZone"] = {
        "name": zr.get("name", ""),
        "vatZoneNumber": z,
        "enabledForCustomer": zr.get("enabledForCustomer", True),
        "enabledForSupplier": zr.get("enabledForSupplier", True),
        "self": ctx.link("vat-zones", z),
    }
    if "attention" in rec["recipient"]:
        k = rec["recipient"]["attention"]["customerContactNumber"]
        rcp["attention"] = {
            "customerContactNumber": k,
            "self": ctx.link("customers", rec["customer"]["customerNumber"], "contacts", k),
        }
    out["recipient"] = rcp
    if "deliveryLocation" in rec:
        k = rec["deliveryLocation"]["deliveryLocationNumber"]
        out["deliveryLocation"] = {
            "deliveryLocationNumber": k,
            "self": ctx.link(
                "customers", rec["customer"]["customerNumber"], "delivery-locations", k
            ),
        }
    for f in ("delivery", "notes"):
        if f in rec:
            out[f] = dict(rec[f])
    if "references" in rec:
        refs = {}
        r = rec["references"]
        if "customerContact" in r:
            k = r["customerContact"]["customerContactNumber"]
            cn = rec["customer"]["customerNumber"]
            refs["customerContact"] = {
                "customerContactNumber": k,
                "customer": ref(ctx, "customers", "customerNumber", cn),
                "self": ctx.link("customers", cn, "contacts", k),
            }
        for f in ("salesPerson", "vendorReference"):
            if f in r:
                refs[f] = ref(ctx, "employees", "employeeNumber", r[f]["employeeNumber"])
        if "other" in r:
            refs["other"] = r["other"]
        out["references"] = refs
    out["layout"] = ref(ctx, "layouts", "layoutNumber", rec["layout"]["layoutNumber"])
    if "project" in rec:
        out["project"] = ref(ctx, "projects", "projectNumber", rec["project"]["projectNumber"])


def render_lines(ctx, rec, booked=False):
    out = []
    for line in rec.get("lines", []):
        l2 = {}
        for f in (
            "lineNumber",
            "sortKey",
            "description",
            "deliveryDate",
            "quantity",
            "unitNetPrice",
            "discountPercentage",
            "unitCostPrice",
        ):
            if f in line:
                l2[f] = line[f]
        if booked:
            for f in ("vatRate", "vatAmount"):
                if f in line:
                    l2[f] = line[f]
        for f in ("totalNetAmount", "marginInBaseCurrency", "marginPercentage"):
            if f in line and (not booked or f == "totalNetAmount"):
                l2[f] = line[f]
        if "accrual" in line:
            l2["accrual"] = dict(line["accrual"])
        if "unit" in line:
            u = line["unit"]["unitNumber"]
            ur = ctx.st.t("units").get(u, {})
            l2["unit"] = {
                "unitNumber": u,
                "name": ur.get("name", ""),
                "products": ctx.link("units", u, "products"),
                "self": ctx.link("units", u),
            }
        if "product" in line:
            l2["product"] = ref(ctx, "products", "productNumber", line["product"]["productNumber"])
        out.append(l2)
    return out


class Drafts(Resource):
    path = "invoices/drafts"
    key = "draftInvoiceNumber"
    filterable = DRAFT_FILTERS
    sortable = ["draftInvoiceNumber"] + SORT_COMMON
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = DRAFT_RULE
    stamp = True
    auto_number = True
    singular = "draft invoice"
    create_description = "Create a new draft invoice."

    def prepare(self, ctx, clean, key, old):
        st = ctx.st
        rec = dict(clean)
        rec.pop("draftInvoiceNumber", None)
        terms = st.t("payment-terms")[rec["paymentTerms"]["paymentTermsNumber"]]
        sent_type = rec["paymentTerms"].get("paymentTermsType")
        if sent_type is not None and sent_type != terms.get("paymentTermsType"):
            raise errors.validation(
                {
                    "paymentTerms": {
                        "paymentTermsType": {
                            "errors": [
                                {
                                    "errorCode": "E07180",
                                    "message": "Payment terms type does not match the type "
                                    "on the payment terms specified.",
                                    "value": sent_type,
                                    "developerHint": "Match the type on the payment terms or omit the property.",
                                }
                            ]
                        }
                    }
                }
            )
        rec["paymentTerms"] = {"paymentTermsNumber": rec["paymentTerms"]["paymentTermsNumber"]}
        rec["currency"] = rec["currency"].upper()
        if "exchangeRate" not in rec:
            rec["exchangeRate"] = (
                Decimal(100)
                if rec["currency"] == st.base_currency
                else Decimal(st.t("currencies")[rec["currency"]].get("rate", 100))
            )
        rec["dueDate"] = due_date(terms, rec["date"], rec.get("dueDate"))
        rec["lines"] = [dict(l) for l in rec.get("lines", [])]
        rec["recipient"] = fill_recipient(st, rec["customer"]["customerNumber"], rec["recipient"])
        st.base_url_hint = ctx.base
        price_lines(st, rec)
        rec["soap"] = {"currentInvoiceHandle": {"id": key}}
        return rec

    def _render(self, ctx, rec, lines):
        n = rec["draftInvoiceNumber"]
        base = ctx.link("invoices/drafts", n)
        out = {
            "draftInvoiceNumber": n,
            "soap": rec["soap"],
            "templates": {
                "bookingInstructions": base + "/templates/booking-instructions",
                "self": base + "/templates",
            },
            "attachment": base + "/attachment",
        }
        render_invoice_common(ctx, rec, out)
        out["pdf"] = {"download": base + "/pdf"}
        out["lastUpdated"] = rec["lastUpdated"]
        if lines:
            out["lines"] = render_lines(ctx, rec)
        out["self"] = base
        return out

    def render(self, ctx, rec):
        return self._render(ctx, rec, True)

    def render_list(self, ctx, rec):
        return self._render(ctx, rec, False)

    def on_change(self, *a):
        pass

    def h_delete(self, ctx, raw):
        key = self.parse_key(raw)
        with ctx.st.lock:
            if ctx.st.t(self.table).pop(key, None) is None:
                raise errors.not_found()
        return (
            200,
            {
                "message": "Deleted invoice.",
                "deletedCount": 1,
                "deletedItems": [
                    {"draftInvoiceNumber": key, "self": ctx.link("invoices/drafts", key)}
                ],
            },
            {},
        )

    def h_delete_all(self, ctx):
        from ..filters import compile_filter, parse_filter

        flt = {k.lower(): v for k, v in ctx.query.items()}.get("filter")
        pred = compile_filter(parse_filter(flt, self.filterable)) if flt else (lambda r: True)
        with ctx.st.lock:
            tbl = ctx.st.t(self.table)
            keys = [k for k in tbl.sorted_keys() if pred(tbl[k])]
            for k in keys:
                del tbl[k]
        return (
            200,
            {
                "message": "Deleted %d invoice%s." % (len(keys), "" if len(keys) == 1 else "s"),
                "deletedCount": len(keys),
                "deletedItems": [
                    {"draftInvoiceNumber": k, "self": ctx.link("invoices/drafts", k)} for k in keys
                ],
            },
            {},
        )

    def h_add_lines(self, ctx, raw):
        key = self.parse_key(raw)
        clean, errs = ctx.validator().validate(LINES_RULE, ctx.body)
        if errs:
            raise errors.validation(errs)
        with ctx.st.lock:
            rec = ctx.st.t(self.table).get(key)
            if rec is None:
                raise errors.not_found()
            new = dict(rec)
            start = len(rec.get("lines", []))
            new_lines = [dict(l) for l in rec.get("lines", [])]
            for i, l in enumerate(clean["lines"]):
                l = dict(l)
                l.setdefault("lineNumber", start + i + 1)
                l.setdefault("sortKey", start + i + 1)
                new_lines.append(l)
            new["lines"] = new_lines
            ctx.st.base_url_hint = ctx.base
            price_lines(ctx.st, new)
            new["lastUpdated"] = ctx.st.clock.stamp()
            ctx.st.t(self.table)[key] = new
            return 201, self.render(ctx, new), {}

    def h_booking_instructions(self, ctx, raw):
        key = self.parse_key(raw)
        if key not in ctx.st.t(self.table):
            raise errors.not_found()
        return (
            200,
            {
                "draftInvoice": {
                    "draftInvoiceNumber": key,
                    "self": ctx.link("invoices/drafts", key),
                },
                "self": ctx.link("invoices/drafts", key, "templates/booking-instructions"),
            },
            {},
        )

    def h_templates(self, ctx, raw):
        key = self.parse_key(raw)
        if key not in ctx.st.t(self.table):
            raise errors.not_found()
        return (
            200,
            {
                "bookingInstructions": ctx.link(
                    "invoices/drafts", key, "templates/booking-instructions"
                ),
                "self": ctx.link("invoices/drafts", key, "templates"),
            },
            {},
        )

    def register(self, router):
        super().register(router)
        router.add("DELETE", r"invoices/drafts", self.h_delete_all)
        router.add("POST", r"invoices/drafts/([^/]+)/lines", self.h_add_lines)
        router.add(
            "GET",
            r"invoices/drafts/([^/]+)/templates/booking-instructions",
            self.h_booking_instructions,
        )
        router.add("GET", r"invoices/drafts/([^/]+)/templates", self.h_templates)
        router.add("GET", r"invoices/drafts/([^/]+)/pdf", self.h_pdf)

    def h_pdf(self, ctx, raw):
        key = self.parse_key(raw)
        with ctx.st.lock:
            rec = ctx.st.t(self.table).get(key)
            if rec is None:
                raise errors.not_found()
            return pdf_answer(ctx, rec, "Draft invoice", key)


DRAFTS = Drafts()
