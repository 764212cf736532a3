"""Payments of booked invoices as an e-conomic user registers them (admin `POST /payments`), and
the agreement's invoice settings (admin `POST /settings`).

A payment moves the invoice's `remainder` towards 0 by the amount (in the invoice's currency): a
credit note (negative remainder) is refunded the same way.  `remainderInBaseCurrency` follows at
the invoice's exchange rate, the customer's `balance` and the remainder of the invoice's
customer-invoice entry in the ledger follow, and a `customerPayment` voucher is added (the
debtor side on 5600, the bank side on 5820).  The
paid/unpaid/overdue/not-due views read the remainder."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from . import errors
from .resources.invoice_pricing import HUNDRED, TWO, ZERO, r2

PAYMENT_VOUCHERS = 50000  # payments get voucher numbers 50001... (the "Indbetalinger" journal)
BANK = 5820  # the contra account of a payment (the "Indbetalinger" journal's)


def _refuse(field, message, value=None):
    e = {"errorCode": "E04000", "message": message}
    if value is not None:
        e["value"] = value
    e["developerHint"] = "Sandbox admin API: see docs/CONTRACTS.md."
    return errors.validation({field: {"errors": [e]}})


def _decimal(value, field):
    try:
        out = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _refuse(field, "%s is not a number." % field, value) from None
    if not out.is_finite():
        raise _refuse(field, "%s is not a number." % field, value)
    return out


def _date(st, value):
    if value is None:
        return st.clock.today().isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _refuse("date", "date must be YYYY-MM-DD.", value) from None


def settle_invoice(st, num, amount):
    """Lower booked invoice `num`'s remainder towards 0 by `amount` (its currency, at most the
    remainder; a credit note's negative remainder the same way); `remainderInBaseCurrency` follows
    at the invoice's rate, and so does its customer-invoice ledger entry (not in a closed year).
    Returns (paid, paid_base, new_rem, new_base), `paid` signed like the remainder.  Shared by the
    admin payment below and a booked `customerPayment` journal entry (bookkeeping.after_booking);
    the caller moves the customer's balance."""
    from .bookkeeping import is_closed

    booked = st.t("invoices/booked")
    inv = booked[num]
    rem = Decimal(inv.get("remainder", ZERO))
    paid = min(abs(Decimal(amount)), abs(rem))
    paid = paid if rem > 0 else -paid
    new_rem = rem - paid
    new_base = r2(new_rem * Decimal(inv["exchangeRate"]) / HUNDRED) if new_rem else r2(0)
    paid_base = Decimal(inv.get("remainderInBaseCurrency", ZERO)) - new_base
    booked[num] = dict(inv, remainder=new_rem, remainderInBaseCurrency=new_base)
    for e in st.t("entries").values():
        if (
            e.get("entryType") == "customerInvoice"
            and e.get("bookedInvoice", {}).get("bookedInvoiceNumber") == num
            and not is_closed(st, e["_year"])
        ):
            e["remainder"], e["remainderInBaseCurrency"] = new_rem, new_base
    return paid, paid_base, new_rem, new_base


def pay(st, data):
    """Register a payment `{"bookedInvoiceNumber", "amount", "date"?}`; returns the payment."""
    from .bookkeeping import add_ledger_entry

    try:
        num = int(data["bookedInvoiceNumber"])
    except (KeyError, TypeError, ValueError):
        raise _refuse("bookedInvoiceNumber", "bookedInvoiceNumber is required.") from None
    amount = abs(r2(_decimal(data.get("amount"), "amount")))
    date = _date(st, data.get("date"))
    with st.lock:
        inv = st.t("invoices/booked").get(num)
        if inv is None:
            raise errors.not_found()
        rem = Decimal(inv.get("remainder", ZERO))
        if rem == ZERO:
            raise _refuse("bookedInvoiceNumber", "Invoice %d is already paid." % num, num)
        if amount == ZERO or amount > abs(rem):
            raise _refuse(
                "amount",
                "The amount must be above 0 and at most the remainder %s." % abs(rem),
                data.get("amount"),
            )
        paid, paid_base, new_rem, new_base = settle_invoice(st, num, amount)
        cn = inv["customer"]["customerNumber"]
        cust = st.t("customers").get(cn)
        if cust is not None:
            cust["balance"] = r2(Decimal(cust.get("balance", 0)) - paid_base)
        seq = len(st.payments) + 1
        payment = {
            "paymentNumber": seq,
            "bookedInvoiceNumber": num,
            "amount": paid,
            "amountInBaseCurrency": paid_base,
            "currency": inv["currency"],
            "date": date,
            "remainder": new_rem,
            "remainderInBaseCurrency": new_base,
        }
        st.payments.append(payment)
        add_ledger_entry(
            st,
            {
                "entryType": "customerPayment",
                "date": date,
                "amount": -paid,
                "amountInBaseCurrency": -paid_base,
                "currency": inv["currency"],
                "text": "Payment of invoice %d" % num,
                "customer": {"customerNumber": cn},
                "account": {"accountNumber": 5600},
                "voucherNumber": PAYMENT_VOUCHERS + seq,
                "invoiceNumber": str(num),
            },
        )
        add_ledger_entry(  # the bank side of the same voucher
            st,
            {
                "entryType": "customerPayment",
                "date": date,
                "amount": paid,
                "amountInBaseCurrency": paid_base,
                "currency": inv["currency"],
                "text": "Payment of invoice %d" % num,
                "account": {"accountNumber": BANK},
                "voucherNumber": PAYMENT_VOUCHERS + seq,
            },
        )
        return payment


def configure(st, data):
    """`{"invoice_rounding": step | {currency or "*": step} | null}`; returns the settings."""
    if "invoice_rounding" in data:
        value = data["invoice_rounding"]
        raw = value if isinstance(value, dict) else {"*": value}
        steps = {}
        for cur, step in raw.items():
            if step in (None, "", 0, "0"):
                continue
            step = _decimal(step, "invoice_rounding")
            if step <= ZERO or step > HUNDRED or step != step.quantize(TWO):
                raise _refuse("invoice_rounding", "A step between 0.01 and 100.", str(step))
            steps["*" if cur == "*" else str(cur).upper()] = step
        with st.lock:
            st.settings["invoice_rounding"] = steps
    return settings(st)


def settings(st):
    return {"invoice_rounding": {k: str(v) for k, v in st.settings["invoice_rounding"].items()}}
