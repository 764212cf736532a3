"""The sandbox's ledger (docs/ECONOMIC.md §4.8-4.9, economic_sandbox/bookkeeping.py) through the
client over loopback HTTP: the VAT split when a journal is booked, supplier invoices and payments
as e-conomic books them, customer payments that pay booked invoices, and booked invoices as
double entry.  Every test starts from a fresh demo seed (the ``admin`` fixture)."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest

from economic_client import F

D = Decimal


def _today():
    return datetime.date.today()


def _year():
    return str(_today().year)


def _voucher(entries, year=None):
    return {"accountingYear": {"year": year or _year()}, "entries": entries}


def _book(client, admin, journal, entries, year=None):
    """Post one voucher of draft entries to `journal`, book the journal as a user would; returns
    the booked ledger entries (all of them, in entry-number order)."""
    client.journals.create_vouchers(journal, _voucher(entries, year))
    out = admin.call("POST", "/journals/book", {"journal": journal})
    numbers = out["entries"]
    flt = F("entryNumber").gte(min(numbers)) & F("entryNumber").lte(max(numbers))
    return client.accounting_years.entries(year or _year()).list(filter=flt, sort="entryNumber")


def _all_entries(client, flt):
    """Entries matching `flt` in every accounting year (the demo's invoices may be last year's)."""
    out = []
    for y in client.accounting_years.list():
        out += client.accounting_years.entries(y["year"]).list(filter=flt, sort="entryNumber")
    return out


def _by_account(entries):
    out = defaultdict(list)
    for e in entries:
        out[e["account"]["accountNumber"]].append(e)
    return out


def _fin(account, amount, contra=5820, **extra):
    e = {
        "account": {"accountNumber": account},
        "contraAccount": {"accountNumber": contra},
        "amount": amount,
        "date": _today().isoformat(),
        "text": "Test",
    }
    e.update(extra)
    return e


# ---------------------------------------------------------------- step 1: the VAT split


def test_seed_vat_codes_all_have_an_account(client, admin):
    codes = client.vat_accounts.list()
    assert codes and all(c["account"]["accountNumber"] for c in codes)


def test_vat_on_the_account_side_splits_net_and_vat(client, admin):
    entries = _book(
        client, admin, 1, {"financeVouchers": [_fin(3600, 1250, vatAccount={"vatCode": "I25"})]}
    )
    acc = _by_account(entries)
    assert set(acc) == {3600, 6903, 5820}
    net, vat, bank = acc[3600][0], acc[6903][0], acc[5820][0]
    assert (net["amount"], vat["amount"], bank["amount"]) == (1000, 250, -1250)
    assert net["vatAccount"]["vatCode"] == "I25" and "vatAccount" not in vat
    assert "vatAccount" not in bank
    for e in (net, vat, bank):
        assert e["entryType"] == "financeVoucher" and e["text"] == "Test"
        assert e["voucherNumber"] == net["voucherNumber"] and e["date"] == net["date"]
    assert sum(e["amount"] for e in entries) == 0


def test_vat_rounds_to_cents_and_net_takes_the_rest(client, admin):
    # 99.99 at 25 %: VAT 19.998 -> 20.00, net 79.99; 10.01 at 6.25 %: 0.5888 -> 0.59, net 9.42
    entries = _book(
        client,
        admin,
        1,
        {
            "financeVouchers": [
                _fin(3620, D("99.99"), vatAccount={"vatCode": "I25"}),
                _fin(2750, D("10.01"), vatAccount={"vatCode": "REP"}),
            ]
        },
    )
    acc = _by_account(entries)
    assert acc[3620][0]["amount"] == D("79.99")
    assert sorted(e["amount"] for e in acc[6903]) == [D("0.59"), D("20.00")]
    assert acc[2750][0]["amount"] == D("9.42")
    assert sum(e["amount"] for e in entries) == 0
    assert sum(e["amountInBaseCurrency"] for e in entries) == 0


def test_vat_on_the_contra_side_and_in_foreign_currency(client, admin):
    # sales on the contra side (credit): VAT on 6902; EUR at 745.87 per 100
    entries = _book(
        client,
        admin,
        1,
        {
            "financeVouchers": [
                _fin(
                    5820,
                    D("125.00"),
                    contra=1010,
                    contraVatAccount={"vatCode": "U25"},
                    currency={"code": "EUR"},
                )
            ]
        },
    )
    acc = _by_account(entries)
    sale, vat, bank = acc[1010][0], acc[6902][0], acc[5820][0]
    assert (sale["amount"], vat["amount"], bank["amount"]) == (-100, -25, 125)
    assert sale["vatAccount"]["vatCode"] == "U25" and sale["currency"] == "EUR"
    base = D("125.00") * D("7.4587")  # 932.3375 -> 932.34
    assert bank["amountInBaseCurrency"] == D("932.34")
    assert vat["amountInBaseCurrency"] == -(base / 5).quantize(D("0.01"))  # 186.47
    assert sale["amountInBaseCurrency"] == D("-932.34") - vat["amountInBaseCurrency"]
    assert sum(e["amountInBaseCurrency"] for e in entries) == 0


def test_reverse_charge_vat_adds_both_sides(client, admin):
    # IEUV (EU goods): the purchase stays whole, 25 % on 6906 and the opposite on 6907
    entries = _book(
        client, admin, 1, {"financeVouchers": [_fin(1320, 400, vatAccount={"vatCode": "IEUV"})]}
    )
    acc = _by_account(entries)
    assert acc[1320][0]["amount"] == 400 and acc[1320][0]["vatAccount"]["vatCode"] == "IEUV"
    assert (acc[6906][0]["amount"], acc[6907][0]["amount"], acc[5820][0]["amount"]) == (
        100,
        -100,
        -400,
    )


def test_unknown_vat_code_is_refused(client, admin):
    from economic_client import ValidationError

    with pytest.raises(ValidationError):
        client.journals.create_vouchers(
            1, _voucher({"financeVouchers": [_fin(3600, 100, vatAccount={"vatCode": "NOPE"})]})
        )


# ---------------------------------------------------------------- step 2: suppliers, payments


def _supplier_invoice(supplier, amount, number, contra=3600, code="I25", **extra):
    e = {
        "supplier": {"supplierNumber": supplier},
        "amount": amount,
        "date": _today().isoformat(),
        "dueDate": (_today() + datetime.timedelta(days=30)).isoformat(),
        "supplierInvoiceNumber": number,
        "contraAccount": {"accountNumber": contra},
        "text": "Bill %s" % number,
    }
    if code:
        e["contraVatAccount"] = {"vatCode": code}
    e.update(extra)
    return e


def test_supplier_invoice_books_creditor_expense_and_vat(client, admin):
    entries = _book(client, admin, 1, {"supplierInvoices": [_supplier_invoice(25, 1250, "S-100")]})
    acc = _by_account(entries)
    assert set(acc) == {6800, 3600, 6903}  # the supplier group's account (Diverse: 6800)
    cred, cost, vat = acc[6800][0], acc[3600][0], acc[6903][0]
    assert (cred["amount"], cost["amount"], vat["amount"]) == (-1250, 1000, 250)
    assert cred["supplier"]["supplierNumber"] == 25
    assert cred["supplierInvoiceNumber"] == "S-100" and cred["dueDate"]
    assert (cred["remainder"], cred["remainderInBaseCurrency"]) == (-1250, -1250)
    assert cost["vatAccount"]["vatCode"] == "I25"
    assert {e["entryType"] for e in entries} == {"supplierInvoice"}
    assert len({e["voucherNumber"] for e in entries}) == 1


def test_supplier_credit_note_has_the_opposite_sign(client, admin):
    entries = _book(client, admin, 1, {"supplierInvoices": [_supplier_invoice(26, -500, "CN-1")]})
    acc = _by_account(entries)
    assert (acc[6800][0]["amount"], acc[6800][0]["remainder"]) == (500, 500)
    assert (acc[3600][0]["amount"], acc[6903][0]["amount"]) == (-400, -100)


def test_supplier_payment_lowers_the_invoice_remainder(client, admin):
    _book(
        client,
        admin,
        1,
        {
            "supplierInvoices": [
                _supplier_invoice(25, 1000, "A-1"),
                _supplier_invoice(25, 600, "A-2"),
                _supplier_invoice(26, 300, "B-1"),
            ]
        },
    )
    pay = {
        "supplier": {"supplierNumber": 25},
        "amount": 250,
        "date": _today().isoformat(),
        "contraAccount": {"accountNumber": 5820},
        "supplierInvoiceNumber": "A-2",
    }
    paid = _book(client, admin, 1, {"supplierPayments": [pay]})
    assert {e["account"]["accountNumber"]: e["amount"] for e in paid} == {6800: 250, 5820: -250}
    rest = {
        e["supplierInvoiceNumber"]: e["remainder"]
        for e in client.accounting_years.entries(_year()).list(
            filter=F("entryType").eq("supplierInvoice")
        )
        if "remainder" in e
    }
    assert rest == {"A-1": -1000, "A-2": -350, "B-1": -300}
    # without an invoice number: the supplier's oldest open invoices first
    pay = dict(pay, amount=1200)
    del pay["supplierInvoiceNumber"]
    _book(client, admin, 1, {"supplierPayments": [pay]})
    rest = {
        e["supplierInvoiceNumber"]: e["remainder"]
        for e in client.accounting_years.entries(_year()).list(
            filter=F("entryType").eq("supplierInvoice")
        )
        if "remainder" in e
    }
    assert rest == {"A-1": 0, "A-2": -150, "B-1": -300}


def test_customer_payment_in_a_journal_pays_the_booked_invoice(client, admin):
    inv = client.booked_invoices.get(1)
    balance = client.customers.get(1)["balance"]
    pay = {
        "customer": {"customerNumber": 1},
        "amount": 1000,
        "date": _today().isoformat(),
        "customerInvoice": 1,
    }
    entries = _book(client, admin, 2, {"customerPayments": [pay]})  # contra 5820 from the journal
    assert {e["account"]["accountNumber"]: e["amount"] for e in entries} == {
        5600: -1000,
        5820: 1000,
    }
    assert all(e["entryType"] == "customerPayment" for e in entries)
    after = client.booked_invoices.get(1)
    assert after["remainder"] == inv["remainder"] - 1000
    assert after["remainderInBaseCurrency"] == inv["remainderInBaseCurrency"] - 1000
    assert client.customers.get(1)["balance"] == balance - 1000
    debtor = _all_entries(client, F("entryType").eq("customerInvoice") & F("voucherNumber").eq(1))
    debtor = [e for e in debtor if "bookedInvoice" in e]
    assert [e["remainder"] for e in debtor] == [after["remainder"]]
    # a foreign-currency invoice paid in the journal in DKK: settled at the invoice's rate
    eur = client.booked_invoices.get(3)
    pay = dict(pay, customer={"customerNumber": 2}, customerInvoice=3, amount=D("745.87"))
    _book(client, admin, 2, {"customerPayments": [pay]})
    assert client.booked_invoices.get(3)["remainder"] == eur["remainder"] - 100


# ---------------------------------------------------------------- step 3: booked invoices


def _vouchers(entries):
    out = defaultdict(list)
    for e in entries:
        out[e["voucherNumber"]].append(e)
    return out


def test_booked_invoices_are_double_entry(client, admin):
    admin.reset(seed="demo", customers=3, products=8, invoices=20, lines_per_invoice=3)
    booked = {b["bookedInvoiceNumber"]: b for b in client.booked_invoices.list()}
    entries = _all_entries(client, F("entryType").eq("customerInvoice"))
    vouchers = _vouchers(entries)
    assert set(vouchers) == set(booked)
    for number, lines in vouchers.items():
        inv = booked[number]
        assert sum(e["amount"] for e in lines) == 0, number
        assert sum(e["amountInBaseCurrency"] for e in lines) == 0, number
        debtor = [e for e in lines if "bookedInvoice" in e]
        assert len(debtor) == 1 and debtor[0]["account"]["accountNumber"] == 5600
        assert debtor[0]["amount"] == inv["grossAmount"]
        vat = [e for e in lines if e["account"]["accountNumber"] in (6902,)]
        assert -sum(e["amount"] for e in vat) == inv["vatAmount"]
        revenue = [e for e in lines if e not in debtor and e not in vat]
        assert -sum(e["amount"] for e in revenue) == inv["netAmount"] + inv["roundingAmount"]
        assert {e["date"] for e in lines} == {inv["date"]}


def test_demo_invoice_revenue_per_product_group(client, admin):
    lines = _all_entries(client, F("entryType").eq("customerInvoice") & F("voucherNumber").eq(1))
    # invoice 1: 10 T-shirts (group 1, 700.00) and 2 consultant hours (group 3, 1,700.00), 25 %
    by = {(e["account"]["accountNumber"], e["amount"]) for e in lines}
    assert by == {(5600, 3000), (1010, -700), (1010, -1700), (6902, -600)}
    assert all(
        e.get("vatAccount", {}).get("vatCode") == "U25"
        for e in lines
        if e["account"]["accountNumber"] == 1010
    )
    # invoice 3: EUR to Decathlon (EU zone): revenue on 1025 (UEUV, 0 %), no VAT entry
    eur = _all_entries(client, F("entryType").eq("customerInvoice") & F("voucherNumber").eq(3))
    assert {e["account"]["accountNumber"] for e in eur} == {5600, 1025}
