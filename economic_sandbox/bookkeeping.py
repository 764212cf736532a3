"""The ledger as e-conomic books it (docs/ECONOMIC.md §4.8-4.9): booked entries per accounting
year, the VAT split of a journal line, how each kind of journal entry lands in the ledger, and the
settling of open items (supplier invoices by supplier payments).

A journal line's `amount` is gross (VAT included).  A side with a VAT code (`vatAccount` on the
account side, `contraVatAccount` on the contra side) is split into the net amount on its account
(carrying `vatAccount.vatCode`) and the VAT on the VAT code's account:
VAT = round(gross × rate / (100 + rate), 2), the net takes the rest (net + VAT = gross exactly);
amounts in base currency the same way.  A reverse-charge code (one with a `contraAccount`, e.g.
IEUV) leaves the side whole and adds VAT = round(amount × rate / 100, 2) on its account and the
opposite on its contra account.  Entries of a closed accounting year never change."""

from decimal import Decimal

from . import errors
from .resources.invoice_pricing import HUNDRED, ZERO, r2

#: entry kind -> (fallback ledger account of the party side, sign of that side, party field)
BOOKING = {
    "financeVoucher": (None, 1, None),
    "customerPayment": (5600, -1, "customer"),
    "manualCustomerInvoice": (5600, 1, "customer"),
    "supplierInvoice": (6800, -1, "supplier"),
    "supplierPayment": (6800, 1, "supplier"),
}
#: party field -> (party table, key, group field, group table, group key)
PARTIES = {
    "customer": ("customers", "customerNumber", "customerGroup", "customer-groups"),
    "supplier": ("suppliers", "supplierNumber", "supplierGroup", "supplier-groups"),
}
OPEN_ITEMS = ("manualCustomerInvoice", "supplierInvoice")
#: a journal kind whose ledger entries carry another entryType (the entries schema's enum)
LEDGER_TYPE = {"manualCustomerInvoice": "manualDebtorInvoice"}


def year_of(st, date):
    """The accounting year (its key) whose span holds `date` (YYYY-MM-DD), or None."""
    for y, rec in st.t("accounting-years").items():
        if rec["fromDate"] <= date <= rec["toDate"]:
            return y
    return None


def is_closed(st, year):
    rec = st.t("accounting-years").get(year)
    return bool(rec and rec.get("closed"))


def add_ledger_entry(st, entry):
    """Append a booked entry to the ledger of the accounting year containing `entry['date']`."""
    year = year_of(st, entry["date"])
    if year is None:
        return None
    n = st.next_counter("entry")
    rec = dict(entry, entryNumber=n, _year=year)
    st.t("entries")[n] = rec
    return rec


def vat_split(st, account, amount, base, code):
    """One side of a journal line as ledger parts `(account, amount, base, vatCode or None)`."""
    if not code:
        return [(account, amount, base, None)]
    vat = st.t("vat-accounts")[code]
    rate = Decimal(vat["ratePercentage"])
    vat_acc = vat["account"]["accountNumber"]
    if vat.get("contraAccount"):
        v, vb = r2(amount * rate / HUNDRED), r2(base * rate / HUNDRED)
        parts = [(account, amount, base, code)]
        if v or vb:
            parts += [
                (vat_acc, v, vb, None),
                (vat["contraAccount"]["accountNumber"], -v, -vb, None),
            ]
        return parts
    v, vb = r2(amount * rate / (HUNDRED + rate)), r2(base * rate / (HUNDRED + rate))
    parts = [(account, amount - v, base - vb, code)]
    if v or vb:
        parts.append((vat_acc, v, vb, None))
    return parts


def party_account(st, e, party, fallback):
    """The ledger account of the party side: the customer's/supplier's group account, else
    `fallback` (5600 debtors, 6800 creditors)."""
    table, key, group_field, group_table = PARTIES[party]
    rec = st.t(table).get(e.get(party, {}).get(key)) or {}
    group = st.t(group_table).get((rec.get(group_field) or {}).get(group_field + "Number"))
    return ((group or {}).get("account") or {}).get("accountNumber") or fallback


def ledger_side(e, account, amount, base, code=None, party=None):
    """A ledger entry of journal entry `e` on `account`; `party`: the party side (it carries the
    customer/supplier and, for an invoice, the open remainder)."""
    out = {
        "entryType": LEDGER_TYPE.get(e["entryType"], e["entryType"]),
        "date": e["date"],
        "amount": amount,
        "amountInBaseCurrency": base,
        "currency": e["currency"]["code"],
        "account": {"accountNumber": account},
        "voucherNumber": e["voucher"]["voucherNumber"],
    }
    if code:
        out["vatAccount"] = {"vatCode": code}
    for name in ("text", "supplierInvoiceNumber", "dueDate", "quantity1", "quantity2"):
        if name in e:
            out[name] = e[name]
    if e.get("customerInvoice"):
        out["invoiceNumber"] = str(e["customerInvoice"])
    if party and party in e:
        out[party] = dict(e[party])
        if e["entryType"] in OPEN_ITEMS:
            out["remainder"], out["remainderInBaseCurrency"] = amount, base
    return out


def journal_line_entries(st, e):
    """The ledger entries (not yet stored) one draft journal entry `e` books into."""
    fallback, sign, party = BOOKING[e["entryType"]]
    amount, base = Decimal(e["amount"]) * sign, Decimal(e["amountDefaultCurrency"]) * sign
    if party:
        main = party_account(st, e, party, fallback)
    else:
        main = e["account"]["accountNumber"]
    code = (e.get("vatAccount") or {}).get("vatCode")
    out = []
    for i, (acc, a, b, c) in enumerate(vat_split(st, main, amount, base, code)):
        out.append(ledger_side(e, acc, a, b, c, party if i == 0 else None))
    if e.get("contraAccount"):
        contra = e["contraAccount"]["accountNumber"]
        code = (e.get("contraVatAccount") or {}).get("vatCode")
        for acc, a, b, c in vat_split(st, contra, -amount, -base, code):
            out.append(ledger_side(e, acc, a, b, c))
    return out


def supplier_invoice_entries(st, e, lines):
    """A supplier invoice of several lines on one voucher, as e-conomic books a purchase: one
    creditor entry for the total (with the open remainder) and per line `(account, gross,
    vatCode or None)` its expense entry and VAT (vat_split).  `e`: the journal-entry fields
    (supplier, date, dueDate, supplierInvoiceNumber, text, currency, exchangeRate, voucher);
    negative amounts make a credit note."""
    rate_x = Decimal(e.get("exchangeRate", HUNDRED)) / HUNDRED
    total = sum(Decimal(g) for _a, g, _c in lines)
    head = dict(
        e, entryType="supplierInvoice", amount=total, amountDefaultCurrency=r2(total * rate_x)
    )
    fallback, _sign, party = BOOKING["supplierInvoice"]
    creditor = party_account(st, head, party, fallback)
    out = [ledger_side(head, creditor, -total, -head["amountDefaultCurrency"], None, party)]
    for account, gross, code in lines:
        gross = Decimal(gross)
        for acc, a, b, c in vat_split(st, account, gross, r2(gross * rate_x), code):
            out.append(ledger_side(head, acc, a, b, c))
    # the base amounts of the lines rounded one by one: the creditor takes the difference
    out[0]["amountInBaseCurrency"] -= sum(x["amountInBaseCurrency"] for x in out)
    out[0]["remainderInBaseCurrency"] = out[0]["amountInBaseCurrency"]
    return out


def settle_entries(st, candidates, paid):
    """Lower the open remainders of `candidates` (ledger entries, oldest first) by `paid` (the
    payment's amount on the party side, signed: it settles remainders of the opposite sign);
    entries of closed years are left alone.  Returns what was left unsettled."""
    left = Decimal(paid)
    for e in candidates:
        rem = Decimal(e.get("remainder", ZERO))
        if not left or not rem or (rem > 0) == (left > 0) or is_closed(st, e["_year"]):
            continue
        take = min(abs(left), abs(rem)) * (1 if left > 0 else -1)
        new = rem + take
        e["remainder"] = new
        amount = Decimal(e["amount"])
        e["remainderInBaseCurrency"] = (
            r2(new * Decimal(e["amountInBaseCurrency"]) / amount) if new and amount else r2(0)
        )
        left -= take
    return left


def supplier_payment_settles(st, e):
    """A booked supplier payment lowers its supplier's open supplier-invoice entries (that
    `supplierInvoiceNumber` if given, else oldest first)."""
    sn = (e.get("supplier") or {}).get("supplierNumber")
    if sn is None:
        return
    number = e.get("supplierInvoiceNumber")
    open_items = [
        x
        for x in st.t("entries").values()
        if x.get("entryType") == "supplierInvoice"
        and x.get("supplier", {}).get("supplierNumber") == sn
        and "remainder" in x
        and (number is None or x.get("supplierInvoiceNumber") == number)
    ]
    open_items.sort(key=lambda x: x["entryNumber"])
    settle_entries(st, open_items, Decimal(e["amount"]))


def closed_error(field, year, index=None, group=None):
    """e-conomic's validation error for an entry or voucher in a closed accounting year."""
    e = {
        "errorCode": "E04300",
        "message": "Accounting year %s is closed: no entries can be added to it." % year,
        "value": year,
        "developerHint": "Use a date in an open accounting year.",
    }
    body = {field: {"errors": [e]}}
    if group is not None:
        body = {"entries": {group: [dict(arrayIndex=index, **body)]}}
    return errors.validation(body)


def refuse_closed(st, drafts):
    """Refuse (400) to book draft entries dated in a closed accounting year."""
    for e in drafts:
        year = year_of(st, e["date"])
        if year is not None and is_closed(st, year):
            raise closed_error("date", year)


def after_booking(st, e):
    """What booking journal entry `e` does besides its ledger entries: a customer payment pays
    the booked invoice `customerInvoice` (payments.settle_invoice, as an admin payment does) and
    lowers the customer's balance; a manual customer invoice raises it; a supplier payment
    settles its supplier's open invoice entries."""
    from .payments import settle_invoice

    kind = e["entryType"]
    if kind == "supplierPayment":
        supplier_payment_settles(st, e)
        return
    if kind not in ("customerPayment", "manualCustomerInvoice"):
        return
    base = Decimal(e["amountDefaultCurrency"])
    cn = (e.get("customer") or {}).get("customerNumber")
    inv = (
        st.t("invoices/booked").get(e.get("customerInvoice")) if kind == "customerPayment" else None
    )
    if inv is not None:
        cn = cn or inv["customer"]["customerNumber"]
        if inv["currency"] == e["currency"]["code"]:
            amount = Decimal(e["amount"])
        else:
            amount = r2(base * HUNDRED / Decimal(inv["exchangeRate"]))
        if amount > 0:
            settle_invoice(st, inv["bookedInvoiceNumber"], amount)
    cust = st.t("customers").get(cn)
    if cust is not None:
        sign = -1 if kind == "customerPayment" else 1
        cust["balance"] = r2(Decimal(cust.get("balance", 0)) + sign * base)


def _sales_account(st, line, zone):
    """A product line's revenue account: its product group's sales account for the VAT zone,
    else 1010 (sales with VAT) for a line with VAT and 1030 (without) for one without."""
    pno = (line.get("product") or {}).get("productNumber")
    prod = st.t("products").get(pno) or {}
    group = st.t("product-groups").get((prod.get("productGroup") or {}).get("productGroupNumber"))
    sales = (group or {}).get("salesAccounts") or {}
    acc = sales.get(zone, sales.get(str(zone)))
    if acc is None:
        acc = 1010 if Decimal(line.get("vatRate", 0)) else 1030
    return acc


def invoice_entries(st, inv, num, receivables):
    """The ledger entries of booked invoice `inv` (number `num`), all `customerInvoice` on
    voucher `num`: the debtor entry (gross, on `receivables`, with the customer, the booked
    invoice and the remainder), one revenue entry per product line (minus its net, on its sales
    account, with that account's VAT code) and one VAT entry per VAT code (on the code's
    account).  Amounts sum to 0; so do amounts in base currency (the rounding of the base
    amounts, and the invoice's `roundingAmount`, go to the last revenue entry)."""
    rate_x = Decimal(inv["exchangeRate"]) / HUNDRED
    common = {
        "entryType": "customerInvoice",
        "date": inv["date"],
        "currency": inv["currency"],
        "text": "Invoice %d" % num,
        "voucherNumber": num,
        "invoiceNumber": str(num),
    }
    debtor = dict(
        common,
        amount=inv["grossAmount"],
        amountInBaseCurrency=inv["grossAmountInBaseCurrency"],
        customer={"customerNumber": inv["customer"]["customerNumber"]},
        account={"accountNumber": receivables},
        bookedInvoice={"bookedInvoiceNumber": num},
        dueDate=inv["dueDate"],
        remainder=inv["remainder"],
        remainderInBaseCurrency=inv["remainderInBaseCurrency"],
    )
    zone = inv["recipient"]["vatZone"]["vatZoneNumber"]
    revenue, vat = [], {}
    for line in inv.get("lines", []):
        if "totalNetAmount" not in line:
            continue
        acc = _sales_account(st, line, zone)
        code = ((st.t("accounts").get(acc) or {}).get("vatAccount") or {}).get("vatCode")
        net = Decimal(line["totalNetAmount"])
        e = dict(common, amount=-net, account={"accountNumber": acc})
        if code:
            e["vatAccount"] = {"vatCode": code}
        revenue.append(e)
        line_vat = Decimal(line.get("vatAmount", 0))
        if line_vat:
            key = code if code in st.t("vat-accounts") else None
            vat[key] = vat.get(key, ZERO) + line_vat
    out = [debtor]
    for code, amount in vat.items():
        acc = st.t("vat-accounts")[code]["account"]["accountNumber"] if code else 6902
        out.append(dict(common, amount=-amount, account={"accountNumber": acc}))
    if not revenue:  # an invoice of text lines only: its total on the sales account
        revenue.append(dict(common, amount=ZERO, account={"accountNumber": 1010}))
    out[1:1] = revenue
    for e in out[1:]:
        e["amountInBaseCurrency"] = r2(e["amount"] * rate_x)
    last = revenue[-1]
    last["amount"] -= sum(e["amount"] for e in out)
    last["amountInBaseCurrency"] -= sum(e["amountInBaseCurrency"] for e in out)
    return [e for e in out if e["amount"] or e["amountInBaseCurrency"] or e is debtor]
