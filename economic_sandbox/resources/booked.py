"""Booking (docs/ECONOMIC.md §4.11), booked invoices and the paid/unpaid/overdue/not-due views (§4.12-4.13).

A booked invoice is the draft's record with `bookedInvoiceNumber`, `orderNumber` (the number of
the draft it was booked from, as real recorded bookings show), `remainder` and
`remainderInBaseCurrency`; the draft is gone.  Booked invoices are immutable: no PUT (a PUT to
`/invoices/booked/{n}` books a draft with that number, a used number is refused) and no DELETE
(405).  Payments (`payments.py`, admin API) lower the remainder."""

from decimal import Decimal

from .. import errors
from ..validation import E, I, O, Ref
from .base import Resource, collection
from .invoice_pricing import err as _err
from .invoices import (
    BOOKED_FILTERS,
    SORT_COMMON,
    pdf_answer,
    render_invoice_common,
    render_lines,
)

BOOK_RULE = O(
    {
        "draftInvoice": Ref(
            "invoices/drafts", "draftInvoiceNumber", req=True, label="draftInvoice"
        ),
        "bookWithNumber": I(min=1, max=999999999),
        # the schema writes EAN; real use shows "ean" accepted too (docs/ECONOMIC.md §4.12)
        "sendBy": E(["none", "EAN", "ean", "Email"]),
    }
)
CUSTOMER_RECEIVABLES = 5600


def post_booked(st, rec, num):
    """Store `rec` as booked invoice `num` with its full remainder, add it to the customer's
    balance and write its customer-invoice voucher to the ledger (bookkeeping.invoice_entries:
    the debtor entry, revenue per line, VAT per code)."""
    from ..bookkeeping import add_ledger_entry, invoice_entries

    rec["bookedInvoiceNumber"] = num
    rec.setdefault("remainder", rec["grossAmount"])
    rec.setdefault("remainderInBaseCurrency", rec["grossAmountInBaseCurrency"])
    st.t("invoices/booked")[num] = rec
    cust = st.t("customers").get(rec["customer"]["customerNumber"])
    if cust is not None:
        cust["balance"] = Decimal(cust.get("balance", 0)) + rec["remainderInBaseCurrency"]
    for entry in invoice_entries(st, rec, num, CUSTOMER_RECEIVABLES):
        add_ledger_entry(st, entry)
    return rec


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
        router.add("GET", r"invoices/booked/([^/]+)/pdf", self.h_pdf)
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
            send_by = clean.get("sendBy")
            if send_by in ("EAN", "ean") and not draft["recipient"].get("ean"):
                raise errors.validation(
                    _err("sendBy", "E04200", "The recipient has no EAN number.", send_by)
                )
            rec = {
                k: v
                for k, v in draft.items()
                if k not in ("lastUpdated", "soap", "draftInvoiceNumber")
            }
            rec["orderNumber"] = dn
            del drafts[dn]
            post_booked(st, rec, num)
            ctx.sb.webhooks.invoice_booked(num)
            out = self.render(ctx, rec)
        return 201, out, {"Location": out["self"]}

    def h_pdf(self, ctx, raw):
        key = self.parse_key(raw)
        with ctx.st.lock:
            rec = ctx.st.t(self.table).get(key)
            if rec is None:
                raise errors.not_found()
            return pdf_answer(ctx, rec, "Invoice", key)


BOOKED = Booked()
