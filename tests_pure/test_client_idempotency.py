"""Client against the sandbox: garbled answers retried, explicit Idempotency-Keys on every create,
and customer numbers reused after a delete (issue 6)."""

import pytest
from client_helpers import customer_payload

from economic_client import InvalidResponseError


# ---------------------------------------------------------------- malformed answers
def test_paged_listing_with_page_2_garbled_once_yields_every_record(client, admin, sleeper):
    admin.reset(seed="empty", customers=2500)
    admin.clear_requests()
    admin.fault(method="GET", path="/customers", fault="malformed", skip=1, times=1)
    numbers = [c["customerNumber"] for c in client.customers.iter()]
    assert numbers == list(range(1, 2501))
    pages = admin.requests(path="/customers", method="GET")
    assert [p["query"].split("skippages=")[1][:1] for p in pages] == ["0", "1", "1", "2"]
    assert len(sleeper.calls) == 1


def test_garbled_write_with_key_retried_one_record(client, admin):
    before = len(admin.records("customers"))
    admin.fault(method="POST", path="/customers", fault="malformed", times=1)
    created = client.customers.create(customer_payload("Garbled Once"))
    posts = admin.requests(path="/customers", method="POST")
    assert len(posts) == 2 and posts[0]["idempotency_key"] == posts[1]["idempotency_key"]
    assert len(admin.records("customers")) == before + 1
    assert created["name"] == "Garbled Once"


def test_garbled_write_without_key_not_retried(client, admin, sleeper):
    admin.fault(method="POST", path="/customers", fault="malformed", times=1)
    with pytest.raises(InvalidResponseError):
        client.request("POST", "/customers", json=customer_payload("No Key"), idempotency_key=None)
    assert len(admin.requests(path="/customers", method="POST")) == 1 and sleeper.calls == []


# ---------------------------------------------------------------- explicit keys on creates
DRAFT = {
    "date": "2026-08-14",
    "currency": "DKK",
    "customer": {"customerNumber": 1},
    "layout": {"layoutNumber": 19},
    "paymentTerms": {"paymentTermsNumber": 1},
    "recipient": {"name": "Tøj & Co", "vatZone": {"vatZoneNumber": 1}},
    "lines": [{"product": {"productNumber": "50"}, "quantity": 2, "unitNetPrice": 100}],
}
SUPPLIER = {
    "name": "Leverandør ApS",
    "currency": "DKK",
    "supplierGroup": {"supplierGroupNumber": 1},
    "paymentTerms": {"paymentTermsNumber": 1},
    "vatZone": {"vatZoneNumber": 1},
}

# (name, call(client, key), table counted, path of the POST)
CREATES = [
    (
        "customers",
        lambda c, k: c.customers.create(customer_payload("Keyed"), idempotency_key=k),
        "customers",
        "/customers",
    ),
    (
        "suppliers",
        lambda c, k: c.suppliers.create(SUPPLIER, idempotency_key=k),
        "suppliers",
        "/suppliers",
    ),
    (
        "customers.contacts(n)",
        lambda c, k: c.customers.contacts(1).create({"name": "Kontakt"}, idempotency_key=k),
        "customer-contacts",
        "/customers/1/contacts",
    ),
    (
        "customer_contacts_api",
        lambda c, k: c.customer_contacts_api.create(
            {"customerNumber": 2, "name": "API Kontakt"}, idempotency_key=k
        ),
        "customer-contacts",
        "/customersapi/v3.1.0/Contacts",
    ),
    (
        "supplier_contacts",
        lambda c, k: c.supplier_contacts.create(
            {"supplierNumber": 25, "name": "Karen " + k}, idempotency_key=k
        ),
        "supplier-contacts",
        "/suppliersapi/v2.0.0/Contacts",
    ),
    (
        "draft_invoices",
        lambda c, k: c.draft_invoices.create(DRAFT, idempotency_key=k),
        "invoices/drafts",
        "/invoices/drafts",
    ),
    (
        "products",
        lambda c, k: c.products.create(
            {"productNumber": k, "name": "Keyed", "productGroup": {"productGroupNumber": 1}},
            idempotency_key=k,
        ),
        "products",
        "/products",
    ),
    (
        "units",
        lambda c, k: c.units.create({"name": "kasse"}, idempotency_key=k),
        "units",
        "/units",
    ),
]


@pytest.mark.parametrize("call,table,path", [c[1:] for c in CREATES], ids=[c[0] for c in CREATES])
def test_create_sends_the_given_key_and_repeats_make_one_record(client, admin, call, table, path):
    before = len(admin.records(table))
    first = call(client, "odoo-partner-7-conn-1")
    assert not client.last_response.from_cache
    second = call(client, "odoo-partner-7-conn-1")
    assert client.last_response.from_cache  # X-ResultFromCache: true
    assert first == second
    assert len(admin.records(table)) == before + 1
    posts = admin.requests(path=path, method="POST")
    assert [p["idempotency_key"] for p in posts] == ["odoo-partner-7-conn-1"] * 2
    # another key is another record
    call(client, "odoo-partner-8-conn-1")
    assert len(admin.records(table)) == before + 2


def test_create_without_key_generates_one(client, admin):
    client.customers.create(customer_payload("A"))
    client.customers.create(customer_payload("B"))
    keys = [p["idempotency_key"] for p in admin.requests(path="/customers", method="POST")]
    assert len(keys) == 2 and all(len(k) == 36 for k in keys) and keys[0] != keys[1]


# ---------------------------------------------------------------- numbers reused
def test_deleted_highest_customer_number_is_reused(client, admin):
    highest = max(c["customerNumber"] for c in client.customers.list())
    lower = client.customers.create(customer_payload("Lower"))
    made = client.customers.create(customer_payload("Gone Soon"))
    assert (lower["customerNumber"], made["customerNumber"]) == (highest + 1, highest + 2)
    client.customers.delete(made["customerNumber"])
    again = client.customers.create(customer_payload("Someone Else"))
    # e-conomic gives max+1: the deleted customer's number now names another customer
    assert again["customerNumber"] == made["customerNumber"]
    assert client.customers.get(again["customerNumber"])["name"] == "Someone Else"
    # a deleted number below the highest is not reused
    client.customers.delete(lower["customerNumber"])
    assert client.customers.create(customer_payload("Third"))["customerNumber"] == highest + 3
