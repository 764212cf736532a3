"""Constants of the purchases entity module."""

ENTITY = "purchase"
BINDING = "economic.purchase.binding"
#: e-conomic's entry type of a booked supplier invoice (``economic.entry.entry_type``)
SUPPLIER_INVOICE = "supplierInvoice"
#: the payment status of a booked supplier invoice, from its remainder (a credit note is
#: never overdue)
PAYMENT_STATUS = [
    ("paid", "Paid"),
    ("partial", "Partly Paid"),
    ("unpaid", "Unpaid"),
    ("overdue", "Overdue"),
]
#: vouchers built per batch (one search of their entries, one create of their bills)
VOUCHER_BATCH = 200


def payment_status(remainder, gross, due_date, today, refund=False):
    """paid / partly paid / unpaid / overdue of a supplier invoice from e-conomic's remainder
    (signed as the creditor entry: negative for a bill) and its gross amount."""
    if not round(remainder or 0.0, 2):
        return "paid"
    if not refund and due_date and due_date < today:
        return "overdue"
    if gross and abs(remainder) < abs(gross):
        return "partial"
    return "unpaid"


def purchase_key(year, voucher, supplier=None, invoice=None):
    """The binding's text key: ``year/voucher``, or ``year/voucher/supplier/invoice`` for one
    of several supplier invoices of a voucher."""
    if supplier is None:
        return "%s/%s" % (year, voucher)
    return "%s/%s/%s/%s" % (year, voucher, supplier, invoice or "")


def key_of_voucher(key, year, voucher):
    """Whether the binding key ``key`` names a supplier invoice of ``voucher`` of ``year`` (a
    year such as ``2016/2017`` and a supplier invoice number may hold slashes: keys are
    compared, never split)."""
    head = purchase_key(year, voucher)
    return key == head or key.startswith(head + "/")
