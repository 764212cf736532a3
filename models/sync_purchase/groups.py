"""Booked supplier-invoice entries grouped into supplier invoices (no Odoo here).

A supplier invoice booked in e-conomic is entries of type ``supplierInvoice`` of one voucher
(docs/ECONOMIC.md §4.15): the creditor entry, which names the supplier (negative: a bill, a
credit on the creditor account; positive: a credit note from the supplier), carries the total
with VAT, the supplier's invoice number, the due date and the remainder; the VAT entries are on
the accounts of VAT codes; the others are the expense entries, net, each with its account and
VAT code. A voucher may hold several supplier invoices: they are told apart by supplier and
supplier invoice number; an entry without a supplier goes to the supplier invoice of its
number where exactly one has it, else to the creditor entry booked before it (e-conomic books
each journal line's entries together, creditor first)."""

from decimal import Decimal

from .const import purchase_key

CENT = Decimal("0.01")


def dec(value):
    """An amount as a Decimal of 2 decimals."""
    return Decimal(str(value or 0)).quantize(CENT)


class SupplierInvoice:
    """One supplier invoice of a voucher: its creditor, VAT and expense entries (records of
    ``economic.entry`` or anything with their attributes)."""

    def __init__(self, year, voucher, supplier, invoice):
        self.year = year
        self.voucher = voucher
        self.supplier = supplier
        self.invoice = invoice or ""
        self.creditors = []
        self.vat = []
        self.lines = []
        self.key = purchase_key(year, voucher)

    @property
    def identity(self):
        """What a binding of it holds: (year, voucher, supplier, supplier invoice number)."""
        return (self.year, self.voucher, self.supplier, self.invoice)

    @property
    def total(self):
        """The creditor side, signed as e-conomic books it (negative: a bill)."""
        return sum((dec(e.amount) for e in self.creditors), Decimal(0))

    @property
    def total_base(self):
        return sum((dec(e.amount_base) for e in self.creditors), Decimal(0))

    @property
    def refund(self):
        """A credit note from the supplier: the creditor side is a debit."""
        return self.total > 0

    @property
    def sign(self):
        """Odoo's bill lines are positive on a bill and on a refund alike."""
        return -1 if self.refund else 1

    @property
    def vat_total(self):
        return sum((dec(e.amount) for e in self.vat), Decimal(0))

    @property
    def vat_total_base(self):
        return sum((dec(e.amount_base) for e in self.vat), Decimal(0))

    @property
    def first(self):
        """The first creditor entry: date, due date, currency, text."""
        return self.creditors[0]


def group_voucher(year, voucher, entries, vat_accounts):
    """The supplier invoices of one voucher's ``entries`` (of type supplierInvoice);
    ``vat_accounts``: the account numbers VAT is booked on (the VAT codes' accounts and
    contra accounts). Supplier invoices without a creditor entry are not returned."""
    entries = sorted(entries, key=lambda e: e.entry_number)
    invoices = {}
    for entry in entries:
        if entry.supplier_number:
            ident = (entry.supplier_number, entry.supplier_invoice_number or "")
            if ident not in invoices:
                invoices[ident] = SupplierInvoice(year, voucher, *ident)
    if not invoices:
        return []
    by_number = {}
    for ident in invoices:
        by_number.setdefault(ident[1], []).append(ident)
    current = next(iter(invoices))
    for entry in entries:
        if entry.supplier_number:
            current = (entry.supplier_number, entry.supplier_invoice_number or "")
            invoices[current].creditors.append(entry)
            continue
        named = by_number.get(entry.supplier_invoice_number or None, [])
        invoice = invoices[named[0] if len(named) == 1 else current]
        if entry.account_number in vat_accounts:
            invoice.vat.append(entry)
        elif dec(entry.amount) or dec(entry.amount_base):
            invoice.lines.append(entry)
    if len(invoices) > 1:
        for invoice in invoices.values():
            invoice.key = purchase_key(year, voucher, invoice.supplier, invoice.invoice)
    return list(invoices.values())
