"""The sandbox's ledger (docs/ECONOMIC.md §4.8-4.9, economic_sandbox/bookkeeping.py) through the
client over loopback HTTP: the VAT split when a journal is booked, supplier invoices and payments
as e-conomic books them, customer payments that pay booked invoices, and booked invoices as
double entry.  Every test starts from a fresh demo seed (the ``admin`` fixture)."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
import requests

from economic_client import F, NotFoundError

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
                _supplier_invoice(27, 1000, "A-1"),
                _supplier_invoice(27, 600, "A-2"),
                _supplier_invoice(26, 300, "B-1"),
            ]
        },
    )
    pay = {
        "supplier": {"supplierNumber": 27},  # no open invoices in the demo
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
        if "remainder" in e and e["supplierInvoiceNumber"] in ("A-1", "A-2", "B-1")
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
        if "remainder" in e and e["supplierInvoiceNumber"] in ("A-1", "A-2", "B-1")
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


# ---------------------------------------------------------------- step 4: accounting years


def test_closed_year_refuses_vouchers_and_bookings(client, admin):
    from economic_client import ValidationError

    years = {y["year"]: y for y in client.accounting_years.list()}
    last = str(_today().year - 1)
    assert years[last].get("closed") is True and not years[_year()].get("closed")
    day = "%s-06-30" % last
    with pytest.raises(ValidationError) as err:
        client.journals.create_vouchers(
            1, _voucher({"financeVouchers": [_fin(3600, 10, date=day)]}, last)
        )
    assert "closed" in str(err.value.errors)
    # an entry dated in a closed year on a voucher of an open year: refused too, nothing kept
    with pytest.raises(ValidationError):
        client.journals.create_vouchers(
            1, _voucher({"financeVouchers": [_fin(3600, 10), _fin(3600, 10, date=day)]})
        )
    assert client.journals.entries(1).list() == []
    # a draft whose year was closed after it was entered cannot be booked
    client.journals.create_vouchers(1, _voucher({"financeVouchers": [_fin(3600, 10)]}))
    admin.call(
        "POST",
        "/edit",
        {"resource": "accounting-years", "key": _year(), "changes": {"closed": True}},
    )
    r = requests.post(admin.url + "/journals/book", json={"journal": 1}, timeout=10)
    assert r.status_code == 400 and "closed" in r.text
    assert len(client.journals.entries(1).list()) == 1


def test_closed_year_entries_never_change(client, admin):
    """Payments booked in the next year settle the invoices but leave a closed year's entries."""
    this, nxt = _year(), str(_today().year + 1)
    _book(client, admin, 1, {"supplierInvoices": [_supplier_invoice(25, 500, "OLD")]})
    n = client.booked_invoices.list()[0]["bookedInvoiceNumber"]
    admin.call(
        "POST", "/edit", {"resource": "accounting-years", "key": this, "changes": {"closed": True}}
    )
    before = client.accounting_years.entries(this).list()
    pay = {
        "supplier": {"supplierNumber": 25},
        "amount": 500,
        "date": "%s-01-15" % nxt,
        "contraAccount": {"accountNumber": 5820},
        "supplierInvoiceNumber": "OLD",
    }
    assert _book(client, admin, 1, {"supplierPayments": [pay]}, year=nxt)
    r = admin.call(
        "POST", "/payments", {"bookedInvoiceNumber": n, "amount": 1, "date": "%s-01-15" % nxt}
    )
    assert r["remainder"] != client.booked_invoices.get(n)["grossAmount"]
    assert client.accounting_years.entries(this).list() == before


def test_entries_filters_sort_and_paging(client, admin):
    admin.reset(seed="demo")
    year = _year()
    _book(
        client,
        admin,
        1,
        {
            "supplierInvoices": [_supplier_invoice(25, 100 + i, "P-%d" % i) for i in range(5)],
            "financeVouchers": [_fin(3600, 10 + i) for i in range(5)],
        },
    )
    coll = client.accounting_years.entries(year)
    every = coll.list(sort="entryNumber")
    numbers = [e["entryNumber"] for e in every]
    assert numbers == sorted(numbers) and len(numbers) > 20
    mid = numbers[len(numbers) // 2]
    assert [e["entryNumber"] for e in coll.list(filter="entryNumber$gt:%d" % mid)] == [
        n for n in numbers if n > mid
    ]
    vouchers = sorted({e["voucherNumber"] for e in every if e["entryType"] == "financeVoucher"})
    a, b = vouchers[1], vouchers[3]
    span = coll.list(filter="voucherNumber$gte:%d$and:voucherNumber$lte:%d" % (a, b))
    assert {e["voucherNumber"] for e in span} >= {a, b}
    assert all(a <= e["voucherNumber"] <= b for e in span)
    sup = coll.list(filter="entryType$eq:supplierInvoice")
    assert {e["entryType"] for e in sup} == {"supplierInvoice"}
    assert len(sup) == len([e for e in every if e["entryType"] == "supplierInvoice"]) >= 15
    # paging: 7 a page, nextPage links followed by the client, same entries
    page = coll.page(page_size=7, sort="entryNumber")
    assert len(page["collection"]) == 7 and "nextPage" in page["pagination"]
    assert [e["entryNumber"] for e in coll.iter(page_size=7, sort="entryNumber")] == numbers
    assert coll.page(page_size=1000)["pagination"]["pageSize"] == 1000


def test_periods_and_their_entries(client, admin):
    year = _year()
    periods = client.accounting_years.periods(year).list()
    assert [p["periodNumber"] for p in periods] == list(range(1, 13))
    assert (
        periods[0]["fromDate"] == "%s-01-01" % year and periods[-1]["toDate"] == "%s-12-31" % year
    )
    month = _today().month
    mine = client.accounting_years.periods(year).get(month)
    assert mine["fromDate"][5:7] == "%02d" % month
    _book(client, admin, 1, {"financeVouchers": [_fin(3600, 10)]})
    got = client.accounting_years.get_url(mine["entries"])
    assert got["collection"] and all(e["date"][5:7] == "%02d" % month for e in got["collection"])


# ---------------------------------------------------------------- step 5: a voucher's drafts


def test_voucher_get_while_it_has_drafts(client, admin):
    made = client.journals.create_vouchers(
        1,
        [
            # two entries on one voucher (an entry without a number gets a voucher of its own)
            _voucher(
                {
                    "financeVouchers": [
                        _fin(3600, 10, voucher={"voucherNumber": 100}),
                        _fin(3620, 20, voucher={"voucherNumber": 100}),
                    ]
                }
            ),
            _voucher({"supplierInvoices": [_supplier_invoice(25, 125, "V-1")]}),
        ],
    )
    assert len(made) == 2
    for v in made:
        got = client.journals.voucher(1, _year(), v["voucherNumber"])
        assert got == v  # the same shape and content as the POST answered
    first = made[0]["voucherNumber"]
    fin = client.journals.voucher(1, _year(), first)["entries"]["financeVouchers"]
    assert [e["amount"] for e in fin] == [10, 20]
    # one draft deleted: the rest stays; all gone (deleted or booked): 404
    client.journals.entries(1).delete(fin[0]["journalEntryNumber"])
    assert len(client.journals.voucher(1, _year(), first)["entries"]["financeVouchers"]) == 1
    admin.call("POST", "/journals/book", {"journal": 1})
    for v in made:
        with pytest.raises(NotFoundError):
            client.journals.voucher(1, _year(), v["voucherNumber"])
    for key in ("%s-999" % _year(), "1999-1", "nonsense"):
        with pytest.raises(NotFoundError):
            client.journals.vouchers(1).get(key)
    with pytest.raises(NotFoundError):
        client.journals.voucher(2, _year(), first)  # another journal's voucher


# ---------------------------------------------------------------- step 7: e-conomic's schemas


def test_ledger_responses_validate_against_the_schemas(client, admin, schema):
    year = _year()
    body = _voucher(
        {
            "financeVouchers": [_fin(3600, 125, vatAccount={"vatCode": "I25"})],
            "supplierInvoices": [_supplier_invoice(25, 125, "SC-1")],
            "supplierPayments": [
                {
                    "supplier": {"supplierNumber": 25},
                    "amount": 50,
                    "date": _today().isoformat(),
                    "contraAccount": {"accountNumber": 5820},
                }
            ],
        }
    )
    schema("journals.journalNumber.vouchers.post", body)  # what the tests send is valid too
    made = client.journals.create_vouchers(1, body)
    pay = _voucher(
        {
            "customerPayments": [
                {
                    "customer": {"customerNumber": 1},
                    "amount": 5,
                    "date": _today().isoformat(),
                    "customerInvoice": 1,
                }
            ]
        }
    )
    schema("journals.journalNumber.vouchers.post", pay)
    client.journals.create_vouchers(2, pay)
    v = made[0]
    schema(
        "journals.journalNumber.vouchers.accountingYear-voucherNumber.get",
        client.journals.voucher(1, year, v["voucherNumber"]),
    )
    schema("journals.get", client.journals.page())
    schema("journals.journalNumber.get", client.journals.get(2))
    schema("journals.journalNumber.entries.get", client.journals.entries(1).page())
    k = client.journals.entries(1).list()[0]["journalEntryNumber"]
    schema("journals.journalNumber.entries.entryNumber.get", client.journals.entries(1).get(k))
    admin.call("POST", "/journals/book", {"journal": 1})
    admin.call("POST", "/journals/book", {"journal": 2})
    schema("accounting-years.get", client.accounting_years.page())
    for y in client.accounting_years.list():
        schema("accounting-years.accountingYear.get", client.accounting_years.get(y["year"]))
        schema(
            "accounting-years.accountingYear.entries.get",
            client.accounting_years.entries(y["year"]).page(page_size=1000),
        )
    periods = client.accounting_years.periods(year)
    schema("accounting-years.accountingYear.periods.get", periods.page())
    p = periods.get(_today().month)
    schema("accounting-years.accountingYear.periods.accountingYearPeriod.get", p)
    schema(
        "accounting-years.accountingYear.periods.accountingYearPeriod.entries.get",
        client.accounting_years.get_url(p["entries"]),
    )


# ---------------------------------------------------------------- step 6: seeds


def test_demo_seed_has_a_year_of_bookkeeping(client, admin):
    last = str(_today().year - 1)
    old = client.accounting_years.entries(last).list()
    assert old and client.accounting_years.get(last)["closed"] is True
    entries = _all_entries(client, None)
    kinds = {e["entryType"] for e in entries}
    assert kinds >= {
        "customerInvoice",
        "supplierInvoice",
        "supplierPayment",
        "financeVoucher",
    }
    for number, lines in _vouchers(entries).items():
        assert sum(e["amountInBaseCurrency"] for e in lines) == 0, number
    creditors = [e for e in entries if e["entryType"] == "supplierInvoice" and "supplier" in e]
    assert len({e["supplier"]["supplierNumber"] for e in creditors}) >= 2
    assert any(e["amount"] > 0 for e in creditors)  # a supplier credit note
    assert any(e["remainder"] == 0 for e in creditors)  # one paid by the supplier payment
    # one supplier invoice with two VAT codes and a line without VAT on one voucher
    mixed = [
        lines
        for lines in _vouchers(e for e in entries if e["entryType"] == "supplierInvoice").values()
        if len({x.get("vatAccount", {}).get("vatCode") for x in lines}) >= 3
    ]
    assert mixed
    lines = mixed[0]
    creditor = [e for e in lines if "supplier" in e][0]
    assert sum(e["amount"] for e in lines if e is not creditor) == -creditor["amount"]


def test_bulk_entries_are_fast_realistic_and_balanced(client, admin):
    import time

    year = _year()
    before = client.accounting_years.entries(year).count()
    start = time.monotonic()
    out = admin.call("POST", "/seed/entries", {"year": year, "count": 50000})
    assert time.monotonic() - start < 10  # seconds, not minutes (about 0.2 s here)
    first, last = out["entries"]
    assert last - first + 1 == 50000
    assert client.accounting_years.entries(year).count() == before + 50000
    page = client.accounting_years.entries(year).list(
        filter=F("entryNumber").gte(first) & F("entryNumber").lte(first + 2999)
    )
    assert {e["entryType"] for e in page} == {
        "supplierInvoice",
        "customerPayment",
        "financeVoucher",
        "supplierPayment",
    }
    customers = {c["customerNumber"] for c in client.customers.list()}
    suppliers = {s["supplierNumber"] for s in client.suppliers.list()}
    for e in page:
        assert e.get("customer", {}).get("customerNumber", 1) in customers
        assert e.get("supplier", {}).get("supplierNumber", 25) in suppliers
        assert e["date"][:4] == year and e["date"] <= _today().isoformat()
    assert len({e["date"] for e in page}) > 5
    assert {e.get("vatAccount", {}).get("vatCode") for e in page} >= {"I25", "REP", None}
    for number, lines in _vouchers(page).items():
        if number != page[-1]["voucherNumber"]:  # the page may cut the last voucher
            assert sum(e["amount"] for e in lines) == 0, number
    # exact counts, also small ones; errors
    for n in (2, 3, 4, 5, 7):
        got = admin.call("POST", "/seed/entries", {"year": year, "count": n})["entries"]
        assert got[1] - got[0] + 1 == n
    assert (
        requests.post(
            admin.url + "/seed/entries", json={"year": "1999", "count": 5}, timeout=10
        ).status_code
        == 404
    )
    assert (
        requests.post(
            admin.url + "/seed/entries", json={"year": year, "count": 1}, timeout=10
        ).status_code
        == 400
    )
