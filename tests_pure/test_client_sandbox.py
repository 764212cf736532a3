"""The e-conomic client against the real sandbox over loopback HTTP.

Uses the session-scoped ``sandbox`` fixture from ``conftest.py``; every test starts from a fresh
``POST /reset`` so the order of tests does not matter.
"""

import logging
from decimal import Decimal

import pytest
from client_helpers import customer_payload
from wait_helpers import wait_until

from economic_client import (
    AuthenticationError,
    EconomicClient,
    EconomicTimeout,
    F,
    InvalidResponseError,
    NetworkError,
    ServerError,
    ValidationError,
)

SPECIAL_NAME = "Ø & Sønner (A/S) $50*, [x]"


def test_client_sandbox_get_self(client, admin):
    me = client.get_self()
    assert me["agreementNumber"]
    assert client.rate_limit and client.rate_limit["limit"] > 0


def test_client_paging_over_2500_customers(client, admin):
    admin.reset(seed="empty", customers=2500)
    admin.clear_requests()
    numbers = [c["customerNumber"] for c in client.customers.iter()]
    assert len(numbers) == 2500 and len(set(numbers)) == 2500
    pages = admin.requests(path="/customers", method="GET")
    assert len(pages) == 3
    assert all("pagesize=1000" in p["query"] for p in pages)
    assert client.customers.count() == 2500


def test_client_exact_filter_on_special_name(client, admin):
    created = client.customers.create(customer_payload(SPECIAL_NAME, creditLimit=Decimal("10.5")))
    client.customers.create(customer_payload(SPECIAL_NAME + " junior"))
    client.customers.create(customer_payload("Ø & Sønner"))
    found = client.customers.list(filter=F("name").eq(SPECIAL_NAME))
    assert [c["customerNumber"] for c in found] == [created["customerNumber"]]
    assert found[0]["name"] == SPECIAL_NAME
    # $like keeps the wildcard but escapes the rest
    liked = client.customers.list(filter=F("name").like("*(A/S) $50*"))
    assert sorted(c["name"] for c in liked) == sorted([SPECIAL_NAME, SPECIAL_NAME + " junior"])
    assert client.customers.get(created["customerNumber"])["name"] == SPECIAL_NAME


def test_client_in_with_450_values_is_split(client, admin):
    admin.reset(seed="empty", customers=600)
    admin.clear_requests()
    wanted = list(range(1, 451))
    found = list(client.customers.iter(filter=F("customerNumber").in_(wanted)))
    assert sorted(c["customerNumber"] for c in found) == wanted
    log = admin.requests(path="/customers", method="GET")
    assert len(log) == 3
    # $nin over 200 values stays one request ($and: of chunks)
    admin.clear_requests()
    rest = client.customers.list(filter=F("customerNumber").nin(wanted))
    assert len(rest) == 150 and len(admin.requests(path="/customers")) == 1


def test_client_any_of_finds_text_values_where_in_finds_nothing(client, admin):
    admin.reset(seed="empty", customers=100)
    emails = ["customer%d@example.com" % n for n in range(1, 91)] + ["nobody@example.com"]
    # $in: on text matches nothing, as on the live API
    assert client.customers.list(filter=F("email").in_(emails[:5])) == []
    admin.clear_requests()
    found = list(client.customers.iter(filter=F("email").any_of(emails)))
    assert sorted(c["customerNumber"] for c in found) == list(range(1, 91))
    assert len(admin.requests(path="/customers", method="GET")) == 3  # 91 values: 40 + 40 + 11
    # contains: "customer1@" is in customer1, customer10..19 and customer100; items once each
    liked = client.customers.list(
        filter=F("email").any_of(["customer1@", "CUSTOMER10@"], like=True)
    )
    assert sorted(c["customerNumber"] for c in liked) == [1, 10]
    liked = client.customers.list(
        filter=F("email").any_of(["ustomer1", "ustomer10", "ustomer100"], like=True, limit=1)
    )
    assert sorted(c["customerNumber"] for c in liked) == [1] + list(range(10, 20)) + [100]


def test_client_429_retried_after_retry_after(client, admin, sleeper):
    admin.fault(method="GET", path="/self", fault="429", retry_after=3, times=1)
    assert client.get_self()["agreementNumber"]
    assert sleeper.calls == [3]
    assert [r["status"] for r in admin.requests(path="/self")] == [429, 200]


def test_client_5xx_retried_then_server_error(client, admin, sleeper):
    admin.fault(method="GET", path="/customers", fault="error", status=503, times=10)
    with pytest.raises(ServerError) as info:
        client.customers.list()
    assert info.value.status == 503
    assert info.value.request_id  # X-RequestId kept
    assert len(admin.requests(path="/customers")) == client.max_attempts == 4
    assert len(sleeper.calls) == 3
    assert sleeper.calls[0] < sleeper.calls[1] < sleeper.calls[2]  # exponential


def test_client_post_retried_after_drop_creates_one_record(client, admin):
    before = len(admin.records("customers"))
    admin.fault(method="POST", path="/customers", fault="drop_after_commit", times=1)
    created = client.customers.create(customer_payload("Dropped Once A/S"))
    posts = admin.requests(path="/customers", method="POST")
    assert len(posts) == 2
    assert (
        posts[0]["idempotency_key"] and posts[0]["idempotency_key"] == posts[1]["idempotency_key"]
    )
    assert client.last_response.from_cache  # X-ResultFromCache: true
    assert len(admin.records("customers")) == before + 1
    assert created["name"] == "Dropped Once A/S"


def test_client_post_with_caller_key_reused(client, admin):
    admin.fault(method="POST", path="/customers", fault="error", status=500, times=1)
    client.customers.create(customer_payload("Keyed"), idempotency_key="caller-key-42")
    keys = [r["idempotency_key"] for r in admin.requests(path="/customers", method="POST")]
    assert keys == ["caller-key-42", "caller-key-42"]


def test_client_post_without_key_not_retried(client, admin, sleeper):
    before = len(admin.records("customers"))
    admin.fault(method="POST", path="/customers", fault="drop_after_commit", times=1)
    with pytest.raises(NetworkError):
        client.request("POST", "/customers", json=customer_payload("No Key"), idempotency_key=None)
    posts = admin.requests(path="/customers", method="POST")
    assert len(posts) == 1 and posts[0]["idempotency_key"] is None
    assert sleeper.calls == []
    # the record was made: that is exactly why the client must not send it again
    assert len(admin.records("customers")) == before + 1


def test_client_wrong_tokens(sandbox, admin, sleeper):
    info = sandbox.info
    bad = EconomicClient(
        "wrong-secret-xyz",
        "wrong-grant-xyz",
        rest_url=info["rest_url"],
        apis_url=info["apis_url"],
        sleep=sleeper,
    )
    with pytest.raises(AuthenticationError) as info_:
        bad.get_self()
    assert info_.value.status == 401 and info_.value.log_id
    assert "wrong-secret-xyz" not in str(info_.value)
    demo = EconomicClient("demo", "demo", rest_url=info["rest_url"], sleep=sleeper)
    assert demo.get_self()
    with pytest.raises(AuthenticationError):  # the demo agreement is read-only
        demo.customers.create(customer_payload("Nope"))
    assert sleeper.calls == []


def test_client_timeout(sandbox, admin, sleeper):
    info = sandbox.info
    cli = EconomicClient(
        info["app_secret_token"],
        info["agreement_grant_token"],
        rest_url=info["rest_url"],
        timeout=0.3,
        max_attempts=2,
        sleep=sleeper,
    )
    admin.fault(method="GET", path="/self", fault="latency", delay=1.0, times=5)
    with pytest.raises(EconomicTimeout):
        cli.get_self()
    assert len(admin.requests(path="/self")) == 2  # GETs are retried
    # a POST timeout without idempotency key is not retried
    admin.fault(method="POST", path="/customers", fault="latency", delay=1.0, times=5)
    with pytest.raises(EconomicTimeout):
        cli.request("POST", "/customers", json=customer_payload("Slow"), idempotency_key=None)
    assert len(admin.requests(path="/customers", method="POST")) == 1
    # the sandbox finishes the delayed requests before the next test (no request still running)
    wait_until(
        lambda: all(r["status"] is not None for r in admin.requests()),
        timeout=5,
        message=lambda: "requests still running: %r" % admin.requests(),
    )


def test_client_validation_error_with_array_index(client, admin):
    customer = client.customers.create(customer_payload("Invoice Me"))
    layout = client.layouts.first()
    product = client.products.first()
    draft = {
        "date": "2026-08-14",
        "currency": "DKK",
        "customer": {"customerNumber": customer["customerNumber"]},
        "layout": {"layoutNumber": layout["layoutNumber"]},
        "paymentTerms": {"paymentTermsNumber": 1},
        "recipient": {"name": "Invoice Me", "vatZone": {"vatZoneNumber": 1}},
        "lines": [
            {
                "product": {"productNumber": product["productNumber"]},
                "quantity": 1,
                "unitNetPrice": Decimal("10.00"),
            },
            {
                "product": {"productNumber": product["productNumber"]},
                "quantity": 1,
                "unitNetPrice": Decimal("10.12345"),
            },
        ],
    }
    with pytest.raises(ValidationError) as info:
        client.draft_invoices.create(draft)
    err = info.value
    assert err.status == 400 and err.log_id
    errs = [f for f in err.field_errors if f["path"] == "lines.unitNetPrice"]
    assert errs and errs[0]["array_index"] == 1 and errs[0]["error_code"] == "E04740"
    assert errs[0]["value"] == Decimal("10.12345")


def test_client_draft_invoice_book_and_decimals(client, admin):
    customer = client.customers.create(customer_payload("Booker"))
    layout = client.layouts.first()
    product = client.products.first()
    draft = client.draft_invoices.create(
        {
            "date": "2026-08-14",
            "currency": "DKK",
            "customer": {"customerNumber": customer["customerNumber"]},
            "layout": {"layoutNumber": layout["layoutNumber"]},
            "paymentTerms": {"paymentTermsNumber": 1},
            "recipient": {"name": "Booker", "vatZone": {"vatZoneNumber": 1}},
            "lines": [
                {
                    "product": {"productNumber": product["productNumber"]},
                    "quantity": 3,
                    "unitNetPrice": Decimal("153.44"),
                    "discountPercentage": Decimal("10"),
                }
            ],
        }
    )
    assert isinstance(draft["netAmount"], Decimal)
    assert draft["netAmount"] == Decimal("414.29")
    number = draft["draftInvoiceNumber"]
    with_lines = client.draft_invoices.add_lines(
        number,
        [
            {
                "product": {"productNumber": product["productNumber"]},
                "quantity": 1,
                "unitNetPrice": Decimal("0.10"),
            }
        ],
    )
    assert with_lines["netAmount"] == Decimal("414.39")
    booked = client.draft_invoices.book(number)
    assert booked["netAmount"] == Decimal("414.39")
    assert isinstance(booked["grossAmount"], Decimal)
    got = client.booked_invoices.get(booked["bookedInvoiceNumber"])
    assert got["bookedInvoiceNumber"] == booked["bookedInvoiceNumber"]
    unpaid = client.invoices.unpaid.list(
        filter=F("customer.customerNumber").eq(customer["customerNumber"])
    )
    assert [i["bookedInvoiceNumber"] for i in unpaid] == [booked["bookedInvoiceNumber"]]


def test_client_decimal_amounts_round_trip(client, admin):
    created = client.customers.create(
        customer_payload("Decimal A/S", creditLimit=Decimal("12345.67"))
    )
    got = client.customers.get(created["customerNumber"])
    assert got["creditLimit"] == Decimal("12345.67") and isinstance(got["creditLimit"], Decimal)
    assert isinstance(got["balance"], Decimal)
    replaced = client.customers.replace(
        created["customerNumber"], customer_payload("Decimal A/S", creditLimit=Decimal("0.10"))
    )
    assert replaced["creditLimit"] == Decimal("0.10")
    client.customers.delete(created["customerNumber"])


def test_client_malformed_body_retried(client, admin, sleeper):
    # garbled once: retried like a 5xx, the listing succeeds
    admin.fault(method="GET", path="/customers", fault="malformed", times=1)
    assert len(client.customers.list()) == 7
    assert [r["status"] for r in admin.requests(path="/customers")] == [200, 200]
    assert len(sleeper.calls) == 1
    # garbled every time: InvalidResponseError after max_attempts, with the 5xx backoff
    admin.clear_requests()
    admin.fault(method="GET", path="/customers", fault="malformed", times=100)
    with pytest.raises(InvalidResponseError) as info:
        client.customers.list()
    assert info.value.status == 200 and info.value.request_id
    assert len(admin.requests(path="/customers")) == client.max_attempts == 4
    assert sleeper.calls[1:] == [0.375, 0.75, 1.5]


def test_client_rate_limit_slowdown(client, admin, sleeper):
    admin.call("POST", "/rate-limit", {"limit": 20, "per_seconds": 60})
    try:
        for _ in range(20):
            client.get_self()
        assert client.rate_limit["used"] >= 19
        # the 20th call found the bucket over 90 % full (19/20) and waited first:
        # about (19 - 18) tokens * 60 s / 20 tokens = 3 s, never more than a full refill
        assert sleeper.calls, "the client should have slowed down"
        assert all(0 < s <= 6.0 for s in sleeper.calls)
        assert sleeper.calls[0] == pytest.approx(3.0, abs=0.5)
        assert not any(r["status"] == 429 for r in admin.requests(path="/self"))
    finally:
        admin.call("POST", "/rate-limit", {"limit": 10000, "per_seconds": 60})


def test_rate_limits_are_per_client(client, admin, sleeper):
    """e-conomic's limits are per agreement: two connections (two agreements, one client each,
    as each pass builds its own) run side by side; one agreement's full bucket and 429s slow its
    own client only (docs/ENGINE.md, "Schedule: one scheduled action per connection")."""
    from client_helpers import Admin, Sleeper

    from economic_sandbox import Sandbox

    other = Sandbox(seed="demo")
    other.start()
    other_sleeper = Sleeper()
    info = other.info
    try:
        with EconomicClient(
            info["app_secret_token"],
            info["agreement_grant_token"],
            rest_url=info["rest_url"],
            apis_url=info["apis_url"],
            timeout=5,
            sleep=other_sleeper,
        ) as other_client:
            admin.call("POST", "/rate-limit", {"limit": 20, "per_seconds": 60})
            admin.fault(method="GET", path="/self", fault="429", retry_after=2, times=1)
            for _ in range(20):
                client.get_self()
                other_client.get_self()
            assert 2 in sleeper.calls, "the 429 was waited for by its own client"
            assert len(sleeper.calls) > 1, "its own client slowed down near its limit"
            assert other_sleeper.calls == [], "the other agreement's client never waited"
            assert other_client.rate_limit["used"] <= 20
            assert client.rate_limit["limit"] == 20 and other_client.rate_limit["limit"] == 10000
            statuses = [r["status"] for r in Admin(info["admin_url"]).requests(path="/self")]
            assert statuses == [200] * 20
    finally:
        admin.call("POST", "/rate-limit", {"limit": 10000, "per_seconds": 60})
        other.stop()


def test_client_tokens_never_logged(sandbox, client, admin, caplog):
    caplog.set_level(logging.DEBUG)
    info = sandbox.info
    admin.fault(method="GET", path="/customers", fault="error", status=500, times=2)
    client.customers.list()
    with pytest.raises(ValidationError) as err:
        client.customers.list(filter="bogusProp$eq:1")
    assert "/customers" in caplog.text and "X-RequestId" in caplog.text
    for token in (info["app_secret_token"], info["agreement_grant_token"]):
        assert token not in caplog.text
        assert token not in str(err.value) and token not in repr(err.value)


def test_client_supplier_contacts_openapi(client, admin):
    supplier = client.suppliers.create(
        {
            "name": "Leverandør ApS",
            "currency": "DKK",
            "supplierGroup": {"supplierGroupNumber": 1},
            "paymentTerms": {"paymentTermsNumber": 1},
            "vatZone": {"vatZoneNumber": 1},
        }
    )
    number = supplier["supplierNumber"]
    made = client.supplier_contacts.create({"supplierNumber": number, "name": "Karen"})
    contacts = list(client.suppliers.contacts(number))
    assert [c["name"] for c in contacts] == ["Karen"]
    contact = client.supplier_contacts.get(contacts[0]["number"])
    contact["name"] = "Karen Jensen"
    client.supplier_contacts.update(contact)
    assert client.supplier_contacts.get(contact["number"])["name"] == "Karen Jensen"
    assert made


def test_client_webhooks_openapi(client, admin):
    types = client.webhooks.event_types()
    assert any(t["name"] == "CUSTOMER_UPDATED" for t in types)
    client.webhooks.create(
        {
            "eventType": "CUSTOMER_UPDATED",
            "name": "sync",
            "url": "https://example.com/hook",
            "contentType": "application/json",
        }
    )
    hooks = client.webhooks.list()
    assert [h["eventType"] for h in hooks] == ["CUSTOMER_UPDATED"]
    client.webhooks.delete("CUSTOMER_UPDATED")
    assert client.webhooks.list() == []


def test_client_master_data_services(client, admin):
    assert client.vat_zones.list()
    assert client.payment_terms.list()
    assert client.layouts.list()
    assert client.currencies.get("DKK")["code"] == "DKK"
    assert client.units.list()
    assert client.product_groups.list()
    assert client.customer_groups.list()
    assert client.supplier_groups.list()
    assert client.accounts.list()
    years = client.accounting_years.list()
    assert years
    list(client.accounting_years.entries(years[0]["year"]).iter())
    assert client.journals.list()
    product = client.products.create(
        {
            "productNumber": "A_B/1 2",
            "name": "Odd number",
            "productGroup": {"productGroupNumber": 1},
            "salesPrice": Decimal("9.95"),
        }
    )
    assert client.products.get("A_B/1 2")["salesPrice"] == Decimal("9.95")
    assert product["productNumber"] == "A_B/1 2"
    contact = client.customers.contacts(client.customers.first()["customerNumber"]).create(
        {"name": "Kontakt"}
    )
    assert contact["name"] == "Kontakt"
