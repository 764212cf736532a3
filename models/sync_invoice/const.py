"""Constants of the invoice entity module (invoices and credit notes, issue 8)."""

from decimal import Decimal

ENTITIES = ("invoice", "credit_note")
BINDING = "economic.invoice.binding"
#: the move types each entity covers
MOVE_TYPES = {"invoice": "out_invoice", "credit_note": "out_refund"}
#: the context key of the sync's own writes on locked moves
SYNC_WRITE = "economic_sync_write"
#: fields of a move booked in e-conomic that nobody changes any more (docs/SYNC.md §6)
LOCKED_MOVE_FIELDS = frozenset(
    {
        "partner_id",
        "commercial_partner_id",
        "invoice_date",
        "date",
        "invoice_date_due",
        "currency_id",
        "invoice_currency_rate",
        "journal_id",
        "move_type",
        "invoice_line_ids",
        "line_ids",
        "invoice_payment_term_id",
        "amount_total",
        "amount_untaxed",
        "amount_tax",
        "name",
        "tax_totals",
    }
)
#: fields of the lines of such a move nobody changes
LOCKED_LINE_FIELDS = frozenset(
    {
        "product_id",
        "quantity",
        "price_unit",
        "discount",
        "tax_ids",
        "account_id",
        "debit",
        "credit",
        "balance",
        "amount_currency",
        "partner_id",
        "currency_id",
        "date",
        "move_id",
        "display_type",
    }
)
#: default number of days back the pull re-reads booked invoices by date (``bookWithNumber``
#: can book a number below the highest seen)
DEFAULT_WINDOW_DAYS = 31
#: the e-conomic payment status of a booked invoice (or credit note: never overdue)
PAYMENT_STATUS = [
    ("paid", "Paid"),
    ("partial", "Partly Paid"),
    ("unpaid", "Unpaid"),
    ("overdue", "Overdue"),
]
#: e-conomic's document state of a binding
DOC_STATES = [("draft", "Draft in e-conomic"), ("booked", "Booked in e-conomic")]

CENT = Decimal("0.01")


def dec(value):
    """An e-conomic amount as a Decimal of 2 decimals."""
    return Decimal(str(value or 0)).quantize(CENT)


def is_credit_note(record):
    """e-conomic has no credit-note resource: an invoice with a negative gross amount is one."""
    return dec(record.get("grossAmount")) < 0
