"""Draft invoices, booking, booked invoices and the paid/unpaid/overdue/not-due views (research §4.10–4.13).

Totals are computed by the server with Decimal: line totalNetAmount = round(qty × unitNetPrice ×
(1 − discount/100), 2); VAT by the recipient's VAT zone (Domestic 25 %, others 0 %) and the product
group (groups flagged VAT-free → 0 %); *InBaseCurrency via exchangeRate (per 100 units)."""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .. import errors
from ..validation import A, D, E, I, N, O, Ref, S
from .base import Resource, collection, ref
from .master import PAYMENT_TERMS_TYPES

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
DOMESTIC_VAT = Decimal(25)


def r2(x):
    return Decimal(x).quantize(TWO, rounding=ROUND_HALF_UP)


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

BOOK_RULE = O(
    {
        "draftInvoice": Ref(
            "invoices/drafts", "draftInvoiceNumber", req=True, label="draftInvoice"
        ),
        "bookWithNumber": I(min=1, max=999999999),
        "sendBy": E(["none", "EAN", "Email"]),
    }
)

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


def _err(field, code, message, value=None, hint="Please check your request data."):
    e = {"errorCode": code, "message": message}
    if value is not None:
        e["value"] = value
    e["developerHint"] = hint
    return {field: {"errors": [e]}}


def due_date(terms, date_s, given):
    d = dt.date.fromisoformat(date_s)
    typ = terms.get("paymentTermsType")
    days = int(terms.get("daysOfCredit") or 0)
    if typ == "dueDate":
        if not given:
            raise errors.validation(
                _err(
                    "dueDate",
                    "E04042",
                    "dueDate is missing a value.",
                    hint="Payment terms of type dueDate require a dueDate.",
                )
            )
        if given < date_s:
            raise errors.validation(
                _err("dueDate", "E04760", "dueDate cannot be earlier than date.", given)
            )
        return given
    if typ == "invoiceMonth":
        last = calendar.monthrange(d.year, d.month)[1]
        return (dt.date(d.year, d.month, last) + dt.timedelta(days=days)).isoformat()
    if typ in ("paidInCash", "prepaid"):
        return date_s
    if typ == "invoiceWeekStartingMonday":
        return (d + dt.timedelta(days=6 - d.weekday() + days)).isoformat()
    if typ == "invoiceWeekStartingSunday":
        return (d + dt.timedelta(days=(5 - d.weekday()) % 7 + days)).isoformat()
    return (d + dt.timedelta(days=days)).isoformat()


def price_lines(st, inv):
    """Complete lines and compute every total on `inv` (in place)."""
    zone = inv["recipient"]["vatZone"]["vatZoneNumber"]
    rate_x = Decimal(inv["exchangeRate"]) / HUNDRED
    net = vat = cost = Decimal(0)
    line_errors = []
    for i, line in enumerate(inv.get("lines", [])):
        line.setdefault("lineNumber", i + 1)
        line.setdefault("sortKey", i + 1)
        pno = line.get("product", {}).get("productNumber")
        if pno is None:
            if "quantity" in line or "unitNetPrice" in line:
                line_errors.append(
                    {
                        "arrayIndex": i,
                        "product": {
                            "errors": [
                                {
                                    "errorCode": "E04500",
                                    "message": "No identifiers present on product. "
                                    "Please include either a self link or a productNumber.",
                                    "developerHint": "Find a list of resources at %s/products."
                                    % st.base_url_hint,
                                }
                            ]
                        },
                    }
                )
            line.setdefault("description", "")
            continue
        prod = st.t("products")[pno]
        if "quantity" not in line:
            line_errors.append(
                {
                    "arrayIndex": i,
                    "quantity": {
                        "errors": [
                            {
                                "errorCode": "E04730",
                                "message": "Property quantity must have a value when product is set.",
                                "developerHint": "Please check your request data.",
                            }
                        ]
                    },
                }
            )
            continue
        line.setdefault("description", prod.get("name", ""))
        if "unitNetPrice" not in line:
            line["unitNetPrice"] = r2(prod.get("salesPrice", 0))
        if "unitCostPrice" not in line and "costPrice" in prod:
            line["unitCostPrice"] = r2(prod["costPrice"])
        if "unit" not in line and "unit" in prod:
            line["unit"] = {"unitNumber": prod["unit"]["unitNumber"]}
        line.setdefault("discountPercentage", Decimal(0))
        q, p, disc = (
            Decimal(line["quantity"]),
            Decimal(line["unitNetPrice"]),
            Decimal(line["discountPercentage"]),
        )
        total = r2(q * p * (1 - disc / HUNDRED))
        group = st.t("product-groups").get(prod["productGroup"]["productGroupNumber"], {})
        vat_rate = DOMESTIC_VAT if zone == 1 and not group.get("vatFree") else Decimal(0)
        line_vat = r2(total * vat_rate / HUNDRED)
        line["totalNetAmount"] = total
        line["vatRate"] = vat_rate
        line["vatAmount"] = line_vat
        c = r2(q * Decimal(line.get("unitCostPrice", 0)))
        line["marginInBaseCurrency"] = r2((total - c) * rate_x)
        line["marginPercentage"] = r2((total - c) / total * HUNDRED) if total else Decimal(0)
        net += total
        vat += line_vat
        cost += c
    if line_errors:
        raise errors.validation({"lines": line_errors})
    gross = net + vat
    inv["netAmount"] = r2(net)
    inv["vatAmount"] = r2(vat)
    inv["grossAmount"] = r2(gross)
    inv["roundingAmount"] = Decimal("0.00")
    inv["netAmountInBaseCurrency"] = r2(net * rate_x)
    inv["grossAmountInBaseCurrency"] = r2(gross * rate_x)
    inv["costPriceInBaseCurrency"] = r2(cost * rate_x)
    inv["marginInBaseCurrency"] = r2((net - cost) * rate_x)
    inv["marginPercentage"] = r2((net - cost) / net * HUNDRED) if net else Decimal(0)


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


class Booked(Resource):
    path = "invoices/booked"
    key = "bookedInvoiceNumber"
    filterable = BOOKED_FILTERS
    sortable = ["bookedInvoiceNumber"] + SORT_COMMON + ["remainder", "grossAmount", "netAmount"]
    create_description = "Book a draft invoice."
    view = None

    def _render(self, ctx, rec, lines):
        n = rec["bookedInvoiceNumber"]
        base = ctx.link("invoices/booked", n)
        out = {"bookedInvoiceNumber": n}
        if "orderNumber" in rec:
            out["orderNumber"] = rec["orderNumber"]
        render_invoice_common(ctx, rec, out)
        for f in ("marginInBaseCurrency", "marginPercentage", "costPriceInBaseCurrency"):
            out.pop(f, None)
        out["pdf"] = {"download": base + "/pdf"}
        if lines:
            out["lines"] = render_lines(ctx, rec, booked=True)
        out["sent"] = base + "/sent"
        out["self"] = base
        return out

    def render(self, ctx, rec):
        return self._render(ctx, rec, True)

    def render_list(self, ctx, rec):
        return self._render(ctx, rec, False)

    def register(self, router):
        router.add("GET", r"invoices/booked", self.h_list)
        router.add("GET", r"invoices/booked/([^/]+)", self.h_get)
        router.add("POST", r"invoices/booked", self.h_book)
        router.add("PUT", r"invoices/booked/([^/]+)", self.h_book_put)
        for view in ("paid", "unpaid", "overdue", "not-due"):
            router.add("GET", r"invoices/" + view, lambda ctx, v=view: self.h_view(ctx, v))
        router.add("GET", r"invoices", self.h_root)

    def h_root(self, ctx):
        return (
            200,
            {
                k: ctx.link("invoices", p)
                for k, p in (
                    ("booked", "booked"),
                    ("drafts", "drafts"),
                    ("notDue", "not-due"),
                    ("overdue", "overdue"),
                    ("paid", "paid"),
                    ("sent", "sent"),
                    ("totals", "totals"),
                    ("unpaid", "unpaid"),
                )
            }
            | {"self": ctx.link("invoices")},
            {},
        )

    def h_list(self, ctx):
        return collection(ctx, self, table=ctx.st.t(self.table), create=self.create_description)

    def h_view(self, ctx, view):
        today = ctx.st.clock.today().isoformat()
        zero = Decimal(0)

        def keep(r):
            rem = r.get("remainder", zero)
            if view == "paid":
                return rem == zero
            if view == "unpaid":
                return rem != zero
            if view == "overdue":
                return rem != zero and r["dueDate"] < today
            return rem != zero and r["dueDate"] >= today

        with ctx.st.lock:
            recs = [r for r in ctx.st.t(self.table).values() if keep(r)]
        return collection(ctx, self, records=recs, create=False)

    def h_book_put(self, ctx, raw):
        try:
            num = int(raw)
        except ValueError:
            raise errors.not_found()
        body = ctx.body
        if isinstance(body, dict) and "bookWithNumber" in body and body["bookWithNumber"] != num:
            raise errors.validation(
                _err(
                    "bookWithNumber",
                    "E04100",
                    "bookWithNumber must match the number in the URL.",
                    body["bookWithNumber"],
                )
            )
        body = dict(body) if isinstance(body, dict) else body
        if isinstance(body, dict):
            body["bookWithNumber"] = num
        return self.h_book(ctx, body=body)

    def h_book(self, ctx, body=None):
        body = ctx.body if body is None else body
        clean, errs = ctx.validator().validate(BOOK_RULE, body)
        if errs:
            raise errors.validation(errs)
        with ctx.st.lock:
            st = ctx.st
            drafts, booked = st.t("invoices/drafts"), st.t(self.table)
            dn = clean["draftInvoice"]["draftInvoiceNumber"]
            draft = drafts.get(dn)
            if draft is None:
                raise errors.validation(
                    _err("draftInvoice", "E06000", "draftInvoice does not exist.", dn)
                )
            num = clean.get("bookWithNumber")
            if num is not None and num in booked:
                raise errors.validation(
                    _err(
                        "bookWithNumber",
                        "E06010",
                        "An invoice with the number %d has already been booked." % num,
                        num,
                        hint="Choose another bookWithNumber or leave it out.",
                    )
                )
            if num is None:
                num = booked.next_number()
            if clean.get("sendBy") == "EAN" and not draft["recipient"].get("ean"):
                raise errors.validation(
                    _err("sendBy", "E04200", "The recipient has no EAN number.", "EAN")
                )
            rec = {
                k: v
                for k, v in draft.items()
                if k not in ("lastUpdated", "soap", "draftInvoiceNumber")
            }
            rec["bookedInvoiceNumber"] = num
            rec["remainder"] = draft["grossAmount"]
            rec["remainderInBaseCurrency"] = draft["grossAmountInBaseCurrency"]
            booked[num] = rec
            del drafts[dn]
            cust = st.t("customers").get(rec["customer"]["customerNumber"])
            if cust is not None:
                cust["balance"] = Decimal(cust.get("balance", 0)) + rec["grossAmountInBaseCurrency"]
            from .journals import add_ledger_entry

            add_ledger_entry(
                st,
                {
                    "entryType": "customerInvoice",
                    "date": rec["date"],
                    "amount": rec["grossAmount"],
                    "amountInBaseCurrency": rec["grossAmountInBaseCurrency"],
                    "currency": rec["currency"],
                    "text": "Invoice %d" % num,
                    "customer": {"customerNumber": rec["customer"]["customerNumber"]},
                    "account": {"accountNumber": 5600},
                    "voucherNumber": num,
                    "invoiceNumber": str(num),
                    "bookedInvoice": {"bookedInvoiceNumber": num},
                    "dueDate": rec["dueDate"],
                    "remainder": rec["remainder"],
                    "remainderInBaseCurrency": rec["remainderInBaseCurrency"],
                },
            )
            ctx.sb.webhooks.invoice_booked(num)
            out = self.render(ctx, rec)
        return 201, out, {"Location": out["self"]}


DRAFTS = Drafts()
BOOKED = Booked()
RESOURCES = {"invoices/drafts": DRAFTS, "invoices/booked": BOOKED}
