"""Invoices in the sandbox as e-conomic books them (issue 8 §5): booking (orderNumber, sendBy,
bookWithNumber, the draft gone, no changes afterwards), recipient.cvr from the customer, PDFs,
VAT rates from the product group's sales account, the agreement's rounding, payments and the
paid/unpaid/overdue/not-due views, the customer's invoice template.  Real HTTP against an
in-process sandbox; responses checked against e-conomic's published schemas."""

import re
from decimal import Decimal

import pytest
import requests

from economic_sandbox import Sandbox


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo") as s:
        yield s


class Api:
    def __init__(self, sb):
        self.base = sb.info["rest_url"]
        self.admin_url = sb.info["admin_url"]
        self.s = requests.Session()
        self.s.headers.update(
            {
                "X-AppSecretToken": sb.info["app_secret_token"],
                "X-AgreementGrantToken": sb.info["agreement_grant_token"],
            }
        )

    def __getattr__(self, method):
        def call(path, **kw):
            return self.s.request(method.upper(), self.base + path, **kw)

        return call

    def admin(self, method, path, payload=None):
        return requests.request(method, self.admin_url + path, json=payload, timeout=30)

    def ok(self, method, path, payload=None):
        r = self.s.request(method, self.base + path, json=payload)
        assert r.status_code in (200, 201), (path, r.status_code, r.text[:500])
        return r.json()

    def draft(self, lines, customer=1, zone=None, currency="DKK", **extra):
        body = {
            "date": "2026-08-14",
            "currency": currency,
            "customer": {"customerNumber": customer},
            "layout": {"layoutNumber": 19},
            "paymentTerms": {"paymentTermsNumber": 1},
            "recipient": {"name": "Recipient", "vatZone": {"vatZoneNumber": zone or 1}},
            "lines": [
                {"product": {"productNumber": p}, "quantity": q, "unitNetPrice": price}
                for p, q, price in lines
            ],
        }
        body.update(extra)
        return self.ok("POST", "/invoices/drafts", body)

    def book(self, draft_number, **extra):
        body = dict({"draftInvoice": {"draftInvoiceNumber": draft_number}}, **extra)
        return self.post("/invoices/booked", json=body)

    def view(self, name):
        items = self.ok("GET", "/invoices/%s?pagesize=1000" % name)["collection"]
        return {i["bookedInvoiceNumber"] for i in items}


@pytest.fixture()
def api(sb):
    a = Api(sb)
    assert a.admin("POST", "/reset", {"seed": "demo"}).status_code == 200
    return a


# ---------------------------------------------------------------- booking


def test_booked_invoice_carries_the_draft_number_and_the_draft_is_gone(api, schema):
    d = api.draft([("50", 2, 100)])
    r = api.book(d["draftInvoiceNumber"])
    assert r.status_code == 201, r.text
    b = r.json()
    assert b["orderNumber"] == d["draftInvoiceNumber"]
    assert (b["grossAmount"], b["remainder"], b["remainderInBaseCurrency"]) == (250, 250, 250)
    assert r.headers["Location"] == b["self"]
    assert api.get("/invoices/drafts/%d" % d["draftInvoiceNumber"]).status_code == 404
    got = api.ok("GET", "/invoices/booked/%d" % b["bookedInvoiceNumber"])
    assert got["orderNumber"] == d["draftInvoiceNumber"]
    schema("invoices.booked.bookedInvoiceNumber.get", got)
    listed = api.ok(
        "GET", "/invoices/booked?filter=bookedInvoiceNumber$eq:%d" % b["bookedInvoiceNumber"]
    )
    assert listed["collection"][0]["orderNumber"] == d["draftInvoiceNumber"]
    schema("invoices.booked.get", listed)


@pytest.mark.parametrize("send_by", ["ean", "EAN", "none", "Email"])
def test_send_by_accepts_lower_case_ean(api, send_by):
    recipient = {
        "name": "Jensen's Cykler ApS",
        "ean": "5790001234567",
        "vatZone": {"vatZoneNumber": 1},
    }
    d = api.draft([("50", 1, 100)], customer=3, recipient=recipient)
    r = api.book(d["draftInvoiceNumber"], sendBy=send_by)
    assert r.status_code == 201, r.text
    assert r.json()["recipient"]["ean"] == "5790001234567"


def test_send_by_refusals(api):
    n = api.draft([("50", 1, 100)])["draftInvoiceNumber"]  # the recipient has no EAN
    for value, code in (("ean", "E04200"), ("EAN", "E04200"), ("Ean", None), ("email", None)):
        r = api.book(n, sendBy=value)
        assert r.status_code == 400, value
        err = r.json()["errors"]["sendBy"]["errors"][0]
        assert code is None or err["errorCode"] == code
    assert api.get("/invoices/drafts/%d" % n).status_code == 200


def test_book_with_number_fills_gaps_and_a_used_number_is_refused(api, schema):
    assert _booked_numbers(api) == [1, 2, 3, 4]
    d1, d2, d3, d4 = (api.draft([("50", 1, 100)])["draftInvoiceNumber"] for _ in range(4))
    assert api.book(d1, bookWithNumber=10).json()["bookedInvoiceNumber"] == 10
    assert api.book(d2, bookWithNumber=7).json()["bookedInvoiceNumber"] == 7  # a gap
    r = api.book(d3, bookWithNumber=7)
    assert r.status_code == 400
    err = r.json()["errors"]["bookWithNumber"]["errors"][0]
    assert err["errorCode"] == "E06010" and err["value"] == 7
    assert api.get("/invoices/drafts/%d" % d3).status_code == 200  # nothing was booked
    r = api.put("/invoices/booked/8", json={"draftInvoice": {"draftInvoiceNumber": d3}})
    assert r.status_code == 201 and r.json()["bookedInvoiceNumber"] == 8
    assert r.json()["orderNumber"] == d3
    schema("invoices.booked.bookedInvoiceNumber.get", r.json())
    r = api.put("/invoices/booked/8", json={"draftInvoice": {"draftInvoiceNumber": d4}})
    assert r.status_code == 400 and "bookWithNumber" in r.json()["errors"]
    r = api.put(
        "/invoices/booked/9", json={"draftInvoice": {"draftInvoiceNumber": d4}, "bookWithNumber": 5}
    )
    assert r.status_code == 400 and "bookWithNumber" in r.json()["errors"]
    assert api.book(d4).json()["bookedInvoiceNumber"] == 11  # after the highest
    assert _booked_numbers(api) == [1, 2, 3, 4, 7, 8, 10, 11]


def _booked_numbers(api):
    items = api.ok("GET", "/invoices/booked?pagesize=1000")["collection"]
    return sorted(i["bookedInvoiceNumber"] for i in items)


def test_booked_invoices_cannot_be_changed_or_deleted(api):
    before = api.ok("GET", "/invoices/booked/1")
    r = api.delete("/invoices/booked/1")
    assert r.status_code == 405
    r = api.put("/invoices/booked/1", json=dict(before, netAmount=1))
    assert r.status_code == 400
    assert api.ok("GET", "/invoices/booked/1") == before


# ---------------------------------------------------------------- drafts


def test_new_draft_recipient_cvr_comes_from_the_customer(api, schema):
    d = api.draft([("50", 1, 100)], customer=1)
    assert d["recipient"]["cvr"] == "22001884"
    got = api.ok("GET", "/invoices/drafts/%d" % d["draftInvoiceNumber"])
    assert got["recipient"]["cvr"] == "22001884"
    schema("invoices.drafts.draftInvoiceNumber.get", got)
    sent = api.draft(
        [("50", 1, 100)],
        customer=1,
        recipient={"name": "X", "cvr": "11112222", "vatZone": {"vatZoneNumber": 1}},
    )
    assert sent["recipient"]["cvr"] == "11112222"
    assert "cvr" not in api.draft([("50", 1, 100)], customer=2, zone=2)["recipient"]
    b = api.book(d["draftInvoiceNumber"]).json()
    assert b["recipient"]["cvr"] == "22001884"


# ---------------------------------------------------------------- PDF


def pdf_parts(body):
    """Assert `body` is a well-formed PDF (header, xref offsets, trailer); return its text."""
    assert body.startswith(b"%PDF-1.")
    assert body.rstrip().endswith(b"%%EOF")
    start = int(re.search(rb"startxref\s+(\d+)\s+%%EOF\s*$", body).group(1))
    assert body[start:].startswith(b"xref\n")
    head = re.match(rb"xref\n0 (\d+)\n", body[start:])
    count = int(head.group(1))
    entries = body[start + head.end() :].split(b"\n")[:count]
    assert entries[0] == b"0000000000 65535 f "
    for number, entry in enumerate(entries[1:], start=1):
        offset = int(entry[:10])
        assert body[offset:].startswith(b"%d 0 obj" % number), number
    assert re.search(rb"trailer\s*<<.*?/Size %d.*?/Root 1 0 R" % count, body, re.S)
    return body.decode("cp1252")


def test_pdf_of_drafts_and_booked_invoices(api):
    d = api.ok("GET", "/invoices/drafts/1")
    r = api.get("/invoices/drafts/1/pdf")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    assert d["pdf"]["download"] == api.base + "/invoices/drafts/1/pdf"
    text = pdf_parts(r.content)
    assert "Draft invoice 1" in text and "Tøj & Co Grossisten" in text.replace("\\", "")
    assert "Total: DKK %.2f" % d["grossAmount"] in text
    b = api.ok("GET", "/invoices/booked/3")
    r = api.get("/invoices/booked/3/pdf")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    text = pdf_parts(r.content)
    assert "Invoice 3" in text and "Decathlon" in text
    assert "Total: EUR %.2f" % b["grossAmount"] in text
    credit = api.ok("GET", "/invoices/booked/4")
    assert credit["grossAmount"] < 0
    text = pdf_parts(api.get("/invoices/booked/4/pdf").content)
    assert "Credit note 4" in text and "Invoice 4" not in text
    assert "Total: DKK %.2f" % credit["grossAmount"] in text
    assert api.get("/invoices/booked/999/pdf").status_code == 404
    assert api.get("/invoices/drafts/999/pdf").status_code == 404
    assert api.get("/invoices/booked/x/pdf").status_code == 404


# ---------------------------------------------------------------- VAT rates and rounding


def test_vat_rate_follows_the_product_groups_sales_account(api, schema):
    groups = {g["productGroupNumber"]: g for g in api.ok("GET", "/product-groups")["collection"]}
    assert 5 in groups  # the test-only group (account 1015, VAT code U12 at 12 %: not Danish)
    assert api.ok("GET", "/accounts/1015")["vatAccount"]["vatCode"] == "U12"
    assert api.ok("GET", "/vat-accounts/U12")["ratePercentage"] == 12
    food = {
        "productNumber": "FOOD-1",
        "name": "Rugbrød",
        "productGroup": {"productGroupNumber": 5},
        "salesPrice": 30,
    }
    api.ok("POST", "/products", food)
    d = api.draft([("50", 2, 100), ("FOOD-1", 3, 33.33), ("EXPORT-1", 1, 200), ("51", 1, 10)])
    assert d["netAmount"] == 200 + 99.99 + 200 + 10
    assert d["vatAmount"] == 50 + 12  # 25 % of 200, 12 % of 99.99 = 11.9988 → 12.00, 0, 0
    assert d["grossAmount"] == d["netAmount"] + d["vatAmount"]
    b = api.book(d["draftInvoiceNumber"]).json()
    rates = [(line["vatRate"], line["vatAmount"]) for line in b["lines"]]
    assert rates == [(25, 50), (12, 12), (0, 0), (0, 0)]
    schema("invoices.booked.bookedInvoiceNumber.get", b)
    # EU and abroad: the group's sales accounts there carry 0 %
    assert api.draft([("50", 1, 100), ("FOOD-1", 1, 100)], customer=2, zone=2)["vatAmount"] == 0
    # a group without a sales account for the zone: 25 % domestic unless VAT-free, else 0 %
    edit = {"resource": "product-groups", "key": 5, "changes": {"salesAccounts": None}}
    assert api.admin("POST", "/edit", edit).status_code == 200
    assert api.draft([("FOOD-1", 1, 100)])["vatAmount"] == 25
    assert api.draft([("FOOD-1", 1, 100)], customer=5, zone=3)["vatAmount"] == 0


def test_rounding_of_the_gross_amount(api, schema):
    assert api.admin("GET", "/settings").json() == {"invoice_rounding": {}}
    plain = api.draft([("50", 1, 100.10)])
    assert (plain["grossAmount"], plain["roundingAmount"]) == (125.13, 0)  # 100.10 + 25.03
    r = api.admin("POST", "/settings", {"invoice_rounding": "0.25"})
    assert r.status_code == 200 and r.json() == {"invoice_rounding": {"*": "0.25"}}
    d = api.draft([("50", 1, 100.10)])
    assert (d["netAmount"], d["vatAmount"], d["grossAmount"]) == (100.10, 25.03, 125.25)
    assert d["roundingAmount"] == 0.12 and d["grossAmountInBaseCurrency"] == 125.25
    schema("invoices.drafts.draftInvoiceNumber.get", d)
    b = api.book(d["draftInvoiceNumber"]).json()
    assert (b["grossAmount"], b["roundingAmount"], b["remainder"]) == (125.25, 0.12, 125.25)
    credit = api.draft([("50", -1, 100.10)])
    assert (credit["grossAmount"], credit["roundingAmount"]) == (-125.25, -0.12)
    # per currency: DKK to whole kroner, EUR not rounded; foreign amounts in base currency
    r = api.admin("POST", "/settings", {"invoice_rounding": {"dkk": "1.00"}})
    assert r.json() == {"invoice_rounding": {"DKK": "1.00"}}
    assert api.draft([("50", 1, 100.10)])["grossAmount"] == 125
    eur = api.draft([("50", 1, 100.10)], customer=2, zone=1, currency="EUR")
    assert (eur["grossAmount"], eur["roundingAmount"]) == (125.13, 0)
    assert eur["grossAmountInBaseCurrency"] == float(
        (Decimal("125.13") * Decimal("7.4587")).quantize(Decimal("0.01"))
    )
    api.admin("POST", "/settings", {"invoice_rounding": {"EUR": "0.50"}})
    eur = api.draft([("50", 1, 100.10)], customer=2, zone=1, currency="EUR")
    assert (eur["grossAmount"], eur["roundingAmount"]) == (125.0, -0.13)
    assert eur["grossAmountInBaseCurrency"] == 932.34  # 125 × 7.4587 = 932.3375
    for bad in ("-1", "0.001", "x"):
        assert api.admin("POST", "/settings", {"invoice_rounding": bad}).status_code == 400
    api.admin("POST", "/settings", {"invoice_rounding": None})
    assert api.draft([("50", 1, 100.10)])["grossAmount"] == 125.13
    api.admin("POST", "/settings", {"invoice_rounding": "0.25"})
    api.admin("POST", "/reset", {"seed": "demo"})  # a reset is a fresh agreement
    assert api.admin("GET", "/settings").json() == {"invoice_rounding": {}}


# ---------------------------------------------------------------- payments


def _entry(api, number):
    years = [y["year"] for y in api.ok("GET", "/accounting-years")["collection"]]
    for year in years:
        for e in api.ok("GET", "/accounting-years/%s/entries?pagesize=1000" % year)["collection"]:
            if e.get("bookedInvoice", {}).get("bookedInvoiceNumber") == number:
                return e
    return None


def test_a_payment_lowers_the_remainder_balance_and_ledger_and_moves_the_views(api):
    api.admin("POST", "/clock", {"now": "2026-08-20T12:00:00Z"})
    try:
        d = api.draft([("50", 2, 100)])  # 250.00, due 2026-08-22
        n = api.book(d["draftInvoiceNumber"]).json()["bookedInvoiceNumber"]
        balance = api.ok("GET", "/customers/1")["balance"]
        assert n in api.view("unpaid") and n in api.view("not-due") and n not in api.view("paid")
        r = api.admin(
            "POST",
            "/payments",
            {"bookedInvoiceNumber": n, "amount": "100.00", "date": "2026-08-20"},
        )
        assert r.status_code == 201, r.text
        assert r.json()["remainder"] == 150 and r.json()["amount"] == 100
        b = api.ok("GET", "/invoices/booked/%d" % n)
        assert (b["remainder"], b["remainderInBaseCurrency"], b["grossAmount"]) == (150, 150, 250)
        assert api.ok("GET", "/customers/1")["balance"] == pytest.approx(balance - 100)
        entry = _entry(api, n)
        assert (entry["remainder"], entry["remainderInBaseCurrency"]) == (150, 150)
        api.admin("POST", "/clock", {"now": "2026-09-01T12:00:00Z"})
        assert n in api.view("overdue") and n not in api.view("not-due")
        r = api.admin("POST", "/payments", {"bookedInvoiceNumber": n, "amount": "150.01"})
        assert r.status_code == 400 and "amount" in r.json()["errors"]
        assert api.ok("GET", "/invoices/booked/%d" % n)["remainder"] == 150
        r = api.admin("POST", "/payments", {"bookedInvoiceNumber": n, "amount": 150})
        assert r.status_code == 201
        assert n in api.view("paid") and n not in api.view("unpaid") | api.view("overdue")
        assert api.ok("GET", "/customers/1")["balance"] == pytest.approx(balance - 250)
        assert _entry(api, n)["remainder"] == 0
        r = api.admin("POST", "/payments", {"bookedInvoiceNumber": n, "amount": 1})
        assert r.status_code == 400
        assert (
            api.admin("POST", "/payments", {"bookedInvoiceNumber": 999, "amount": 1}).status_code
            == 404
        )
        paid = [p for p in api.admin("GET", "/payments").json() if p["bookedInvoiceNumber"] == n]
        assert [p["amount"] for p in paid] == [100, 150]
    finally:
        api.admin("POST", "/clock", {"now": None})


def test_foreign_currency_payment_and_refunded_credit_note(api):
    eur = api.ok("GET", "/invoices/booked/3")  # Decathlon, EUR at 745.87
    half = (Decimal(str(eur["remainder"])) / 2).quantize(Decimal("0.01"))
    r = api.admin("POST", "/payments", {"bookedInvoiceNumber": 3, "amount": str(half)})
    assert r.status_code == 201
    left = Decimal(str(eur["remainder"])) - half
    b = api.ok("GET", "/invoices/booked/3")
    assert b["remainder"] == float(left)
    assert b["remainderInBaseCurrency"] == float(
        (left * Decimal("7.4587")).quantize(Decimal("0.01"))
    )
    credit = api.ok("GET", "/invoices/booked/4")
    assert credit["remainder"] < 0 and 4 in api.view("unpaid")
    balance = api.ok("GET", "/customers/1")["balance"]
    r = api.admin(
        "POST", "/payments", {"bookedInvoiceNumber": 4, "amount": credit["remainder"] * 2}
    )
    assert r.status_code == 400
    r = api.admin("POST", "/payments", {"bookedInvoiceNumber": 4, "amount": credit["remainder"]})
    assert r.status_code == 201 and r.json()["remainder"] == 0
    assert 4 in api.view("paid") and 4 not in api.view("unpaid")
    assert api.ok("GET", "/customers/1")["balance"] == pytest.approx(balance - credit["remainder"])


# ---------------------------------------------------------------- the customer's invoice template


def test_customer_invoice_template(api, schema):
    links = api.ok("GET", "/customers/1/templates")
    schema("customers.customerNumber.templates.get", links)
    t = api.ok("GET", "/customers/1/templates/invoice")
    schema("customers.customerNumber.templates.invoice.get", t)
    assert t["customer"]["customerNumber"] == 1 and t["currency"] == "DKK"
    assert t["paymentTerms"]["paymentTermsNumber"] == 1 and t["layout"]["layoutNumber"] == 19
    rcp = t["recipient"]
    assert (rcp["name"], rcp["address"], rcp["zip"], rcp["city"], rcp["country"]) == (
        "Tøj & Co Grossisten",
        "Vejlevej 21",
        "7000",
        "Fredericia",
        "Danmark",
    )
    assert rcp["cvr"] == "22001884" and rcp["vatZone"]["vatZoneNumber"] == 1
    assert rcp["attention"]["customerContactNumber"] == 1
    assert t["references"]["salesPerson"]["employeeNumber"] == 1
    # Decathlon: EUR, EU zone, its own layout; the template books as it is once it has lines
    t2 = api.ok("GET", "/customers/2/templates/invoice")
    assert (t2["currency"], t2["layout"]["layoutNumber"]) == ("EUR", 21)
    assert t2["recipient"]["vatZone"]["vatZoneNumber"] == 2 and "cvr" not in t2["recipient"]
    t2["lines"] = [{"product": {"productNumber": "50"}, "quantity": 1, "unitNetPrice": 100}]
    d = api.ok("POST", "/invoices/drafts", t2)
    assert (d["currency"], d["exchangeRate"], d["vatAmount"]) == ("EUR", 745.87, 0)
    assert api.get("/customers/999/templates/invoice").status_code == 404


# ---------------------------------------------------------------- the bench seed


def test_bench_seed_of_booked_invoices(sb, api):
    import time

    t0 = time.monotonic()
    r = api.admin(
        "POST", "/reset", {"seed": "empty", "customers": 300, "products": 200, "invoices": 5000}
    )
    seconds = time.monotonic() - t0
    assert r.status_code == 200 and seconds < 10, seconds
    booked = sb.state.t("invoices/booked")
    assert len(booked) == 5000
    customers, products = sb.state.t("customers"), sb.state.t("products")
    rates, credit_notes = set(), 0
    for inv in booked.values():
        assert len(inv["lines"]) == 5 and inv["customer"]["customerNumber"] in customers
        assert all(line["product"]["productNumber"] in products for line in inv["lines"])
        assert inv["netAmount"] == sum(line["totalNetAmount"] for line in inv["lines"])
        assert inv["vatAmount"] == sum(line["vatAmount"] for line in inv["lines"])
        assert inv["grossAmount"] == inv["netAmount"] + inv["vatAmount"]
        rates |= {line["vatRate"] for line in inv["lines"]}
        credit_notes += inv["grossAmount"] < 0
    assert rates == {0, 25} and credit_notes == 500
    assert any(line.get("discountPercentage") for line in booked[1]["lines"])
    page = api.ok("GET", "/invoices/booked?pagesize=1000&skippages=4")
    assert len(page["collection"]) == 1000 and page["pagination"]["results"] == 5000
    assert len(api.ok("GET", "/invoices/booked/5000")["lines"]) == 5
    r = api.admin("POST", "/reset", {"seed": "demo", "invoices": 3, "lines_per_invoice": 2})
    assert r.status_code == 200
    assert [len(sb.state.t("invoices/booked")[n]["lines"]) for n in (5, 6, 7)] == [2, 2, 2]
