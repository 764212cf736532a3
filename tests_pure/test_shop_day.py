"""Pure tests of sync_core.shop_day (issue 18 §1): the day's sales grouped per tax or per
product, the lines of the draft invoice and the entries of the cash-journal voucher to the
cent, the difference a correcting draft holds, what to do with a day (create, amend, correct,
nothing), and where e-conomic's VAT would differ from Odoo's."""

import datetime
from decimal import Decimal as D

import pytest

from sync_core.shop_day import (
    AMEND,
    CORRECT,
    CREATE,
    DELETE,
    NOTHING,
    DayFacts,
    PaymentRow,
    SaleRow,
    SentDocument,
    add_contents,
    allocate,
    balance,
    content_totals,
    credit_groups,
    day_reference,
    decide,
    difference,
    dump_content,
    group_sales,
    invoice_content,
    invoice_lines,
    invoice_vat_notes,
    load_content,
    money,
    price_lines,
    shop_code,
    voucher_content,
    voucher_entries,
    voucher_vat_notes,
)

TAX25, TAX0 = (1,), (2,)


def sale(tax, net, vat, qty=1, product=10, account=100, ret=False, label="Bike"):
    return SaleRow(
        tax_ids=tax,
        tax_label="25% Moms" if tax == TAX25 else "Momsfri",
        account_id=account,
        product_id=product,
        label=label,
        quantity=D(str(qty)),
        net=D(net),
        vat=D(vat),
        is_return=ret,
    )


SALES = (
    sale(TAX25, "100.00", "25.00", qty=2, product=10),
    sale(TAX25, "33.33", "8.33", qty=1, product=11, label="Bell"),
    sale(TAX0, "50.00", "0.00", qty=5, product=12, label="Book"),
    sale(TAX25, "-40.00", "-10.00", qty=-1, product=10, ret=True),
)


# ---------------------------------------------------------------- the interface
def test_the_interface_dataclasses_are_frozen_and_hashable():
    facts = DayFacts(
        shop_ref="account.journal,7",
        shop_name="Kasse",
        day=datetime.date(2026, 3, 1),
        currency="DKK",
        sources=("account.move,55",),
        sales=SALES,
        payments=(
            PaymentRow("account.account,12", "Cash", 5810, "", D("100.00")),
            PaymentRow("account.account,13", "Card", None, "Map the card account", D("66.66")),
        ),
    )
    assert hash(facts)
    with pytest.raises(AttributeError):
        facts.day = datetime.date(2026, 3, 2)
    assert facts.payments[1].missing == "Map the card account"


# ---------------------------------------------------------------- prices to the cent
@pytest.mark.parametrize(
    "qty, net",
    [
        ("3", "100.00"),
        ("2", "100.00"),
        ("-3", "-100.00"),
        ("7", "0.05"),
        ("1", "12.34"),
        ("0", "9.99"),
        ("2.5", "10.01"),
        ("-0.5", "-3.33"),
        ("1000", "9999.99"),
    ],
)
def test_price_lines_add_up_to_the_net_exactly(qty, net):
    lines = price_lines(D(qty), D(net))
    assert sum(money(q * p) for q, p in lines) == D(net)
    assert all(p == p.quantize(D("0.01")) for _q, p in lines)
    assert len(lines) <= 2
    if D(qty) and D(qty) == D(qty).to_integral_value():
        assert sum(q for q, _p in lines) == D(qty)


def test_price_lines_one_line_when_the_price_is_exact():
    assert price_lines(D(2), D("100.00")) == [(D(2), D("50.00"))]
    assert price_lines(D(3), D("100.00")) == [(D(2), D("33.33")), (D(1), D("33.34"))]
    assert price_lines(D(-3), D("-100.00")) == [(D(-2), D("33.33")), (D(-1), D("33.34"))]
    assert price_lines(D(0), D(0)) == []


# ---------------------------------------------------------------- grouping
def test_group_per_tax_keeps_returns_apart_and_sums():
    groups = group_sales(SALES, "tax")
    by_key = {g.key: g for g in groups}
    assert set(by_key) == {"tax:1", "tax:1:return", "tax:2"}
    assert (by_key["tax:1"].net, by_key["tax:1"].vat, by_key["tax:1"].quantity) == (
        D("133.33"),
        D("33.33"),
        D(3),
    )
    assert by_key["tax:1:return"].net == D("-40.00")
    assert by_key["tax:1:return"].is_return
    assert by_key["tax:2"].label == "Momsfri"
    assert sum(g.gross for g in groups) == D("166.66")


def test_group_per_product():
    groups = group_sales(SALES, "product")
    keys = [g.key for g in groups]
    assert keys == sorted(keys)
    assert "product:10:tax:1" in keys and "product:10:tax:1:return" in keys
    assert {g.label for g in groups} == {"Bike", "Bell", "Book"}
    assert group_sales(SALES, "product") == groups  # stable


def test_credit_groups_per_account_and_taxes():
    rows = SALES + (sale(TAX25, "10.00", "2.50", account=101),)
    credits = credit_groups(rows)
    assert credits[(100, TAX25)] == ("25% Moms", D("93.33"), D("23.33"))
    assert credits[(101, TAX25)][1:] == (D("10.00"), D("2.50"))
    assert credits[(100, TAX0)][1:] == (D("50.00"), D("0.00"))


def test_allocate_puts_the_difference_on_the_largest_share():
    assert allocate(D("10.01"), [D("5.00"), D("5.00")]) == [D("5.01"), D("5.00")]
    assert allocate(D("-1.00"), [D("2.00"), D("-3.01")]) == [D("2.00"), D("-3.00")]
    assert allocate(D("1"), []) == []


# ---------------------------------------------------------------- invoice
def _invoice(grouping="tax"):
    groups = group_sales(SALES, grouping)
    return invoice_content(
        groups,
        lambda g: "P25" if g.tax_ids == TAX25 else "P0",
        lambda g: "%s (%s)" % (g.label, g.quantity),
        grouping,
    )


def test_invoice_per_tax_one_line_per_tax_and_return_totals_equal():
    content = _invoice()
    lines = invoice_lines(content)
    assert len(lines) == 3
    assert [line["lineNumber"] for line in lines] == [1, 2, 3]
    total = sum(money(line["quantity"] * line["unitNetPrice"]) for line in lines)
    assert total == sum(money(s.net) for s in SALES)
    returned = [line for line in lines if line["quantity"] < 0]
    assert len(returned) == 1
    assert returned[0]["unitNetPrice"] == D("40.00")
    assert {line["product"]["productNumber"] for line in lines} == {"P25", "P0"}
    assert content_totals(content) == (D("143.33"), D("23.33"), D("166.66"))


def test_invoice_per_product_prices_quantities():
    content = _invoice("product")
    lines = invoice_lines(content)
    book = [line for line in lines if line["description"].startswith("Book")]
    assert [(line["quantity"], line["unitNetPrice"]) for line in book] == [(D(5), D("10.00"))]
    total = sum(money(line["quantity"] * line["unitNetPrice"]) for line in lines)
    assert total == D("143.33")


def test_invoice_vat_notes_say_where_economic_rounds_otherwise():
    rows = (sale(TAX25, "0.10", "0.03"), sale(TAX25, "0.10", "0.03"), sale(TAX0, "5", "0"))
    content = invoice_content(group_sales(rows), lambda g: "P", lambda g: g.label)
    rates = {"tax:1": D(25), "tax:2": D(0)}
    # Odoo rounded per line (0.03 + 0.03), e-conomic per invoice line: 0.20 × 25 % = 0.05
    assert invoice_vat_notes(content, rates.get) == [("tax:1", D("0.06"), D("0.05"))]
    assert invoice_vat_notes(content, lambda key: None) == []


# ---------------------------------------------------------------- voucher
def _voucher():
    credits = [
        (1010, "U25", "25% Moms", D("166.66"), D("33.33")),
        (1030, None, "Momsfri", D("50.00"), D("0.00")),
        (1010, "U25", "25% Moms", D("-50.00"), D("-10.00")),
    ]
    debits = [
        ("pos.payment.method,1", 5810, "Cash", D("100.00")),
        ("card", 5820, "Card", D("66.66")),
    ]
    return voucher_content(credits, debits)


def test_voucher_balances_and_merges_account_and_code():
    content = _voucher()
    assert balance(content) == 0
    assert content["credit:1010:U25"]["amount"] == D("-116.66")
    assert content["credit:1010:U25"]["odoo_vat"] == D("23.33")
    assert content_totals(content) == (D("166.66"), D("-166.66"), D("0.00"))
    entries = voucher_entries(content, "2026-03-01", "Kasse 2026-03-01 (AJ7)", "DKK")
    assert sum(e["amount"] for e in entries) == 0
    assert entries[0]["amount"] > 0  # debits first
    assert {e["account"]["accountNumber"] for e in entries} == {1010, 1030, 5810, 5820}
    u25 = [e for e in entries if e.get("vatAccount")]
    assert [e["vatAccount"]["vatCode"] for e in u25] == ["U25"]
    assert all("contraAccount" not in e for e in entries)
    assert all(e["text"].startswith("Kasse 2026-03-01 (AJ7): ") for e in entries)


def test_unbalanced_voucher_is_seen():
    content = voucher_content(
        [(1010, "U25", "x", D("10.00"), D("2.00"))], [("a", 5810, "c", D("9.99"))]
    )
    assert balance(content) == D("-0.01")


def test_voucher_vat_notes_compare_the_split_of_the_gross():
    content = voucher_content(
        [(1010, "U25", "x", D("1.05"), D("0.22"))], [("a", 5810, "c", D("1.05"))]
    )
    # e-conomic: 1.05 × 25 / 125 = 0.21; Odoo said 0.22
    assert voucher_vat_notes(content, lambda key: D(25) if "U25" in key else None) == [
        ("credit:1010:U25", D("0.22"), D("0.21"))
    ]


# ---------------------------------------------------------------- differences and decisions
def test_difference_and_sum_of_contents():
    sent = _invoice()
    late = invoice_content(
        group_sales(SALES + (sale(TAX25, "10.00", "2.50"),)),
        lambda g: "P25" if g.tax_ids == TAX25 else "P0",
        lambda g: g.label,
    )
    diff = difference(late, sent)
    assert list(diff) == ["tax:1"]
    assert (diff["tax:1"]["net"], diff["tax:1"]["vat"], diff["tax:1"]["quantity"]) == (
        D("10.00"),
        D("2.50"),
        D(1),
    )
    assert difference(add_contents(sent, diff), late) == {}
    gone = difference({}, sent)
    assert content_totals(gone) == (D("-143.33"), D("-23.33"), D("-166.66"))
    assert load_content(dump_content(sent)) == sent


def test_decide_create_nothing_amend_correct_delete():
    target = _invoice()
    assert decide(target, []).action == CREATE
    assert decide({}, []).action == NOTHING
    draft = SentDocument(1, "draft", target)
    assert decide(target, [draft]).action == NOTHING
    more = add_contents(
        target,
        {"tax:9": {"product": "P", "description": "x", "net": D(1), "vat": D(0), "quantity": D(1)}},
    )
    decision = decide(more, [draft])
    assert (decision.action, decision.document) == (AMEND, 1)
    assert decision.content == more
    booked = SentDocument(1, "booked", target)
    decision = decide(more, [booked])
    assert decision.action == CORRECT
    assert list(decision.content) == ["tax:9"]
    # a correction still a draft is amended, the booked document stays as it is
    correction = SentDocument(2, "draft", decision.content)
    again = add_contents(more, {"tax:9": {"net": D(1), "vat": D(0), "quantity": D(1)}})
    decision = decide(again, [booked, correction])
    assert (decision.action, decision.document) == (AMEND, 2)
    assert decision.content["tax:9"]["net"] == D(2)
    # the correction made unnecessary: it goes
    decision = decide(target, [booked, correction])
    assert (decision.action, decision.document) == (DELETE, 2)


def test_references():
    day = datetime.date(2026, 3, 1)
    assert shop_code("account.journal,7") == "AJ7"
    assert shop_code("pos.config,3") == "PC3"
    assert day_reference("Kasse", "account.journal,7", day) == "Kasse 2026-03-01 (AJ7)"
    assert day_reference("Kasse", "pos.config,3", day, 2) == "Kasse 2026-03-01 (PC3) #2"
    assert len(day_reference("x" * 400, "pos.config,3", day, 12)) == 200
