"""Seeded ledger entries: the demo's year of bookkeeping beside its booked invoices, and N booked
entries of one accounting year in bulk for benchmarks (admin `POST /seed/entries`).

The demo books, as a bookkeeper would in the day book (bookkeeping.py does the booking): last
year (closed) a supplier invoice, its payment and the rent; this year two suppliers' invoices,
one with lines at 25 % (I25), 6.25 % (REP) and without VAT on one voucher, a supplier credit
note, a supplier payment, finance vouchers (rent, phone with VAT, bank fees, salaries).  Their
vouchers are numbered from 20001 (supplier invoices and payments) and 30001 (finance vouchers),
apart from the invoices' numbers."""

import datetime as dt
from decimal import Decimal

from . import errors
from .bookkeeping import (
    add_ledger_entry,
    after_booking,
    journal_line_entries,
    supplier_invoice_entries,
    vat_split,
)
from .resources.invoice_pricing import HUNDRED, r2

SUPPLIER_VOUCHERS = 20000
FINANCE_VOUCHERS = 30000


class _Book:
    """Books the demo's vouchers, numbering them per series."""

    def __init__(self, st):
        self.st = st
        self.numbers = {SUPPLIER_VOUCHERS: SUPPLIER_VOUCHERS, FINANCE_VOUCHERS: FINANCE_VOUCHERS}

    def _voucher(self, series):
        self.numbers[series] += 1
        return {"voucherNumber": self.numbers[series]}

    def _post(self, e):
        e.setdefault("currency", {"code": "DKK"})
        e.setdefault("amountDefaultCurrency", Decimal(e["amount"]))
        for side in journal_line_entries(self.st, e):
            add_ledger_entry(self.st, side)
        after_booking(self.st, e)

    def finance(self, day, account, amount, text, contra=5820, code=None):
        e = {
            "entryType": "financeVoucher",
            "date": day.isoformat(),
            "amount": Decimal(amount),
            "text": text,
            "account": {"accountNumber": account},
            "contraAccount": {"accountNumber": contra},
            "voucher": self._voucher(FINANCE_VOUCHERS),
        }
        if code:
            e["vatAccount"] = {"vatCode": code}
        self._post(e)

    def supplier_invoice(self, day, supplier, number, lines, text):
        e = {
            "supplier": {"supplierNumber": supplier},
            "date": day.isoformat(),
            "dueDate": (day + dt.timedelta(days=30)).isoformat(),
            "supplierInvoiceNumber": number,
            "text": text,
            "currency": {"code": "DKK"},
            "voucher": self._voucher(SUPPLIER_VOUCHERS),
        }
        for side in supplier_invoice_entries(self.st, e, lines):
            add_ledger_entry(self.st, side)

    def supplier_payment(self, day, supplier, amount, number=None):
        e = {
            "entryType": "supplierPayment",
            "supplier": {"supplierNumber": supplier},
            "date": day.isoformat(),
            "amount": Decimal(amount),
            "text": "Betaling %s" % (number or supplier),
            "contraAccount": {"accountNumber": 5820},
            "voucher": self._voucher(SUPPLIER_VOUCHERS),
        }
        if number:
            e["supplierInvoiceNumber"] = number
        self._post(e)


def demo_ledger(sb):
    st = sb.state
    today = st.clock.today()
    first = dt.date(today.year, 1, 1)
    last_year = dt.date(today.year - 1, 1, 1)

    def ago(days):  # a date this year: `days` before today, never before January 1st
        return max(first, today - dt.timedelta(days=days))

    book = _Book(st)
    # last year, closed: an invoice, its payment, the rent
    book.supplier_invoice(
        last_year + dt.timedelta(days=40), 25, "S-2024", [(3600, "2500.00", "I25")], "Tryksager"
    )
    book.supplier_payment(last_year + dt.timedelta(days=60), 25, "2500.00", "S-2024")
    book.finance(last_year + dt.timedelta(days=35), 3410, "12500.00", "Husleje", code="I25")
    # this year
    book.finance(ago(70), 3410, "12500.00", "Husleje", code="I25")
    book.supplier_invoice(
        ago(50),
        25,
        "S-1001",
        [(3600, "1250.00", "I25"), (2750, "531.25", "REP"), (3628, "75.00", None)],
        "Kontorartikler, frokostmøde og gebyr",
    )
    book.supplier_invoice(ago(45), 26, "K-7788", [(3600, "3750.00", "I25")], "Printerpapir")
    book.supplier_invoice(ago(30), 26, "K-7790", [(3600, "-625.00", "I25")], "Kreditnota papir")
    book.supplier_invoice(ago(10), 25, "S-1002", [(3640, "6250.00", "I25")], "Revisor")
    book.supplier_payment(ago(20), 25, "1856.25", "S-1001")
    book.finance(ago(25), 3620, "499.00", "Telefon", code="I25")
    book.finance(ago(15), 3628, "35.00", "Bankgebyr")
    book.finance(ago(5), 2210, "32000.00", "Lønninger")


# ---------------------------------------------------------------- bulk: admin POST /seed/entries

#: (expense account, VAT code): the lines of generated supplier invoices and finance vouchers
_EXPENSES = [(3600, "I25"), (3620, "I25"), (3640, "I25"), (3410, "I25"), (2750, "REP")]
#: expense accounts without VAT (generated finance vouchers without VAT)
_NO_VAT = [3628, 1330, 2210, 4410]


def bulk_entries(st, year, count):
    """`count` booked entries in accounting year `year`, written straight into the ledger (50,000
    in about a second): in turn a supplier invoice (creditor, expense, VAT: 3 entries), a customer
    payment (debtor, bank: 2), a finance voucher with VAT (expense, VAT, bank: 3), a supplier
    payment (creditor, bank: 2) and a finance voucher without VAT (2); each voucher sums to 0.
    Dated over the year up to today, voucher numbers after the year's highest, customers and
    suppliers that exist.  Returns `{"year", "entries": [first, last], "vouchers": [first, last]}`."""
    with st.lock:
        rec = st.t("accounting-years").get(year)
        if rec is None:
            raise errors.not_found()
        if count < 2:
            raise errors.bad_request("count must be at least 2.")
        return _bulk(st, rec, count)


def _bulk(st, rec, count):
    year = rec["year"]
    start = dt.date.fromisoformat(rec["fromDate"])
    end = min(dt.date.fromisoformat(rec["toDate"]), max(st.clock.today(), start))
    span = (end - start).days + 1
    customers = sorted(st.t("customers"))[:500]
    suppliers = sorted(st.t("suppliers"))[:500]
    entries = st.t("entries")
    voucher = max([e["voucherNumber"] for e in entries.values() if e["_year"] == year] + [60000])
    first_entry, first_voucher, made, i = st.counters["entry"] + 1, voucher + 1, 0, 0
    vouchers = max(count * 5 // 12, 1)  # about 2.4 entries a voucher: dates spread over the span
    while made < count:
        left = count - made
        voucher += 1
        day = (start + dt.timedelta(days=i * span // vouchers % span)).isoformat()
        pattern = i % 5 if left > 4 else (0 if left == 3 else 4)
        for side in _generated(st, pattern, i, day, voucher, customers, suppliers):
            st.counters["entry"] += 1
            n = st.counters["entry"]
            side.update(entryNumber=n, _year=year, voucherNumber=voucher, date=day)
            dict.__setitem__(entries, n, side)
            made += 1
        i += 1
    entries._sorted = None
    return {
        "year": year,
        "entries": [first_entry, st.counters["entry"]],
        "vouchers": [first_voucher, voucher],
    }


def _side(kind, account, amount, text, **extra):
    out = {
        "entryType": kind,
        "amount": amount,
        "amountInBaseCurrency": amount,
        "currency": "DKK",
        "account": {"accountNumber": account},
        "text": text,
    }
    out.update(extra)
    return out


def _generated(st, pattern, i, day, voucher, customers, suppliers):
    amount = r2(Decimal(100 + i * 7919 % 20000) + Decimal(i % 100) / HUNDRED)
    account, code = _EXPENSES[i // 5 % len(_EXPENSES)]  # not in step with the 5 patterns
    if (pattern in (0, 3) and not suppliers) or (pattern == 1 and not customers):
        pattern = 2 if pattern == 0 else 4  # the same number of entries without the party
    if pattern == 0:  # a supplier invoice, every third one paid
        sn = suppliers[i % len(suppliers)]
        number = "G-%d" % voucher
        open_ = Decimal(0) if i % 3 else -amount
        head = _side(
            "supplierInvoice",
            6800,
            -amount,
            "Faktura %s" % number,
            supplier={"supplierNumber": sn},
            supplierInvoiceNumber=number,
            dueDate=day,
            remainder=open_,
            remainderInBaseCurrency=open_,
        )
        rest = []
        for acc, a, _b, c in vat_split(st, account, amount, amount, code):
            rest.append(
                _side("supplierInvoice", acc, a, head["text"], supplierInvoiceNumber=number)
            )
            if c:
                rest[-1]["vatAccount"] = {"vatCode": c}
        return [head] + rest
    if pattern == 1:  # a customer payment
        cn = {"customerNumber": customers[i % len(customers)]}
        return [
            _side("customerPayment", 5600, -amount, "Indbetaling", customer=cn),
            _side("customerPayment", 5820, amount, "Indbetaling"),
        ]
    if pattern == 3:  # a supplier payment
        sn = {"supplierNumber": suppliers[i % len(suppliers)]}
        return [
            _side("supplierPayment", 6800, amount, "Betaling", supplier=sn),
            _side("supplierPayment", 5820, -amount, "Betaling"),
        ]
    if pattern == 2:  # a finance voucher with VAT
        out = []
        for acc, a, _b, c in vat_split(st, account, amount, amount, code):
            out.append(_side("financeVoucher", acc, a, "Udgift"))
            if c:
                out[-1]["vatAccount"] = {"vatCode": c}
    else:  # a finance voucher without VAT
        out = [_side("financeVoucher", _NO_VAT[i // 5 % len(_NO_VAT)], amount, "Udgift")]
    return out + [_side("financeVoucher", 5820, -amount, "Udgift")]
