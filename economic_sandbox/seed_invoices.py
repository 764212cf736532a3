"""Seeded invoices: the demo's booked invoices and drafts, and N generated booked invoices for
benchmarks (`invoices=N`, `lines_per_invoice=L`: 5,000 × 5 lines in about a second)."""

import datetime as dt
from decimal import Decimal

CREDIT_NOTE_EVERY = 10  # every 10th generated invoice is a credit note (negative quantities)
DISCOUNT_EVERY = 7  # every 7th generated line carries a 10 % discount


def invoice(sb, cust_no, date, lines):
    """An invoice record for customer `cust_no` priced like a draft; `lines`: (productNumber,
    quantity, unitNetPrice[, discountPercentage])."""
    from .resources.invoices import due_date, fill_recipient, price_lines

    st = sb.state
    c = st.t("customers")[cust_no]
    rec = {
        "date": date.isoformat(),
        "currency": c["currency"],
        "exchangeRate": Decimal(100)
        if c["currency"] == st.base_currency
        else st.t("currencies")[c["currency"]]["rate"],
        "paymentTerms": {"paymentTermsNumber": c["paymentTerms"]["paymentTermsNumber"]},
        "customer": {"customerNumber": cust_no},
        "recipient": {
            "name": c["name"],
            "vatZone": {"vatZoneNumber": c["vatZone"]["vatZoneNumber"]},
        },
        "layout": {"layoutNumber": c.get("layout", {}).get("layoutNumber", 19)},
        "lines": [_line(i, spec) for i, spec in enumerate(lines)],
    }
    for f in ("address", "zip", "city", "country", "ean"):
        if f in c:
            rec["recipient"][f] = c[f]
    rec["recipient"] = fill_recipient(st, cust_no, rec["recipient"])
    rec["dueDate"] = due_date(
        st.t("payment-terms")[rec["paymentTerms"]["paymentTermsNumber"]], rec["date"], None
    )
    st.base_url_hint = ""
    price_lines(st, rec)
    return rec


def _line(i, spec):
    p, q, price = spec[:3]
    line = {
        "lineNumber": i + 1,
        "sortKey": i + 1,
        "product": {"productNumber": p},
        "quantity": Decimal(q),
        "unitNetPrice": Decimal(price),
    }
    if len(spec) > 3:
        line["discountPercentage"] = Decimal(spec[3])
    return line


def book(sb, cust_no, date, lines, paid=False):
    """A booked invoice as if a draft had been booked (without `orderNumber`: it had no draft)."""
    from .resources.booked import post_booked

    st = sb.state
    rec = invoice(sb, cust_no, date, lines)
    if paid:
        rec["remainder"] = rec["remainderInBaseCurrency"] = Decimal("0.00")
    return post_booked(st, rec, st.t("invoices/booked").next_number())


def draft(sb, cust_no, date, lines):
    st = sb.state
    rec = invoice(sb, cust_no, date, lines)
    num = st.t("invoices/drafts").next_number()
    rec["draftInvoiceNumber"] = num
    rec["soap"] = {"currentInvoiceHandle": {"id": num}}
    rec["lastUpdated"] = st.clock.stamp()
    st.t("invoices/drafts")[num] = rec


def generate_invoices(sb, count, lines_per_invoice=5, customers=None, products=None):
    """`count` booked invoices of `lines_per_invoice` lines for the generated customers and
    products (all customers / products not barred when none were generated), dated over the last
    90 days: products of every group in turn (25 % and 0 % VAT), varied quantities and prices, a
    10 % discount on every 7th line, every 10th invoice a credit note."""
    st = sb.state
    prods = st.t("products")
    custs = customers or list(st.t("customers").sorted_keys())
    pnos = [p for p in (products or prods.sorted_keys()) if not prods[p].get("barred")]
    if not custs or not pnos:
        return
    today = st.clock.today()
    lines = max(1, int(lines_per_invoice))
    for i in range(count):
        sign = -1 if i % CREDIT_NOTE_EVERY == CREDIT_NOTE_EVERY - 1 else 1
        specs = []
        for j in range(lines):
            k = i * lines + j
            price = Decimal(10 + k * 37 % 990) + Decimal("0.95")
            spec = (pnos[k % len(pnos)], sign * (1 + k % 5), price)
            specs.append(spec + (10,) if k % DISCOUNT_EVERY == 0 else spec)
        book(sb, custs[i % len(custs)], today - dt.timedelta(days=i % 90), specs)
