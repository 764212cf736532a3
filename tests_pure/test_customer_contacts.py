"""Customer contacts through the customersapi v3.1.0 OpenAPI service (sandbox + client, real HTTP),
sharing one store with the legacy `/customers/{n}/contacts`; plus the keep-alive latency fix."""

import datetime
import time

import jsonschema
import pytest
import requests
from client_helpers import Sleeper
from spec_helpers import load_openapi

from economic_client import ConflictError, EconomicClient, F, ValidationError

CONTACTS = "/customersapi/v3.1.0/Contacts"


class Admin:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, path, payload=None):
        resp = requests.request(method, self.url + path, json=payload, timeout=30)
        assert resp.status_code < 300, resp.text
        return resp.json() if resp.content else None

    def reset(self, **kw):
        kw.setdefault("seed", "demo")
        return self.call("POST", "/reset", kw)

    def requests(self, path):
        return [r for r in self.call("GET", "/requests") if r["path"] == path]


@pytest.fixture
def admin(sandbox):
    adm = Admin(sandbox.info["admin_url"])
    adm.reset()
    yield adm
    adm.call("POST", "/clock", {"now": None})
    adm.reset()


@pytest.fixture
def client(sandbox):
    info = sandbox.info
    with EconomicClient(
        info["app_secret_token"],
        info["agreement_grant_token"],
        rest_url=info["rest_url"],
        apis_url=info["apis_url"],
        timeout=10,
        max_attempts=2,
        sleep=Sleeper(),
        random=lambda: 0.5,
    ) as cli:
        yield cli


# ------------------------------------------------------------------ OpenAPI 3.0 → JSON Schema

_NON_JSON_SCHEMA = {"nullable", "readOnly", "writeOnly", "example", "format", "discriminator"}


def _to_json_schema(node):
    """OpenAPI 3.0 schema → draft 7: `nullable: true` widens the type with null, `x-*` and other
    OpenAPI-only keywords are dropped, `$ref`s point into `definitions`."""
    if isinstance(node, list):
        return [_to_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key.startswith("x-") or key in _NON_JSON_SCHEMA:
            continue
        if key == "$ref":
            out[key] = value.replace("#/components/schemas/", "#/definitions/")
        elif key == "properties":
            out[key] = {name: _to_json_schema(sub) for name, sub in value.items()}
        else:
            out[key] = _to_json_schema(value)
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    return out


@pytest.fixture(scope="module")
def customers_spec(spec_dir):
    return load_openapi(spec_dir, "openapi-Customers.json")


def _validator(spec, name):
    defs = {k: _to_json_schema(v) for k, v in spec["components"]["schemas"].items()}
    schema = dict(defs[name], definitions=defs)
    return jsonschema.Draft7Validator(schema)


def _assert_valid(validator, instance):
    errs = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errs, "\n".join("%s: %s" % (list(e.path), e.message) for e in errs[:10])


# ------------------------------------------------------------------ tests


def test_listing_all_contacts_in_cursor_pages(client, admin):
    admin.reset(seed="empty", customers=1250, contacts_per_customer=2)
    started = time.monotonic()
    contacts = list(client.customer_contacts_api.iter())
    assert time.monotonic() - started < 10
    assert len(contacts) == 2500
    assert len(admin.requests(CONTACTS)) == 3
    assert [c["number"] for c in contacts] == list(range(1, 2501))
    assert {c["customerNumber"] for c in contacts} == set(range(1, 1251))
    assert {c["userInterfaceNumber"] for c in contacts} == {1, 2}
    assert client.customer_contacts_api.count() == 2500
    assert client.customer_contacts_api.count(filter=F("customerNumber").in_([1, 2, 3])) == 6


def test_seeding_10000_customers_with_2_contacts_is_fast(sandbox, admin):
    started = time.monotonic()
    admin.reset(seed="demo", customers=10000, contacts_per_customer=2)
    assert time.monotonic() - started < 3
    assert len(admin.call("GET", "/records/customer-contacts")) == 20004


def test_filter_last_updated_after_admin_edit(client, admin):
    admin.call("POST", "/clock", {"now": "2026-03-01T10:00:00Z"})  # the seed's lastUpdated
    admin.reset(seed="empty", customers=20, contacts_per_customer=2)
    assert client.customer_contacts_api.count() == 40
    before = client.customer_contacts_api.get(10)
    admin.call(
        "POST", "/clock", {"now": "2026-03-01T12:00:00Z"}
    )  # a later instant, then a user edit
    admin.call(
        "POST", "/edit", {"resource": "customer-contacts", "key": 10, "changes": {"name": "Edited"}}
    )
    admin.call(
        "POST",
        "/create",
        {"resource": "customers/7/contacts", "record": {"name": "Brand New", "email": "bn@x.dk"}},
    )
    since = datetime.datetime(2026, 3, 1, 11, 0, tzinfo=datetime.timezone.utc)
    changed = client.customer_contacts_api.list(filter=F("lastUpdated").gte(since))
    assert sorted(c["name"] for c in changed) == ["Brand New", "Edited"]
    assert all(c["lastUpdated"] == "2026-03-01T12:00:00Z" for c in changed)
    assert changed[0]["objectVersion"] != before["objectVersion"]
    new = [c for c in changed if c["name"] == "Brand New"][0]
    assert new["customerNumber"] == 7 and new["userInterfaceNumber"] == 3
    assert new["number"] == 41  # agreement-wide max + 1
    # naive / date-only filter values are UTC as well
    assert client.customer_contacts_api.count(filter="lastUpdated$gte:2026-03-01T11:00:00") == 2
    assert client.customer_contacts_api.count(filter="lastUpdated$lt:2026-03-02") == 41
    # admin delete: gone from both views
    admin.call("POST", "/delete", {"resource": "customers/7/contacts", "key": new["number"]})
    assert client.customer_contacts_api.count(filter=F("lastUpdated").gte(since)) == 1
    assert [c["customerContactNumber"] for c in client.customers.contacts(7).list()] == [
        c["number"] for c in client.customer_contacts_api.list(filter={"customerNumber": 7})
    ]


def test_filter_customer_number_in_and_bad_filters(client, admin):
    admin.reset(seed="empty", customers=30, contacts_per_customer=3)
    got = client.customer_contacts_api.list(filter=F("customerNumber").in_([1, 5, 20]))
    assert sorted({c["customerNumber"] for c in got}) == [1, 5, 20]
    assert len(got) == 9
    assert client.customer_contacts_api.count(filter=F("name").like("Contact 3*")) == 30
    assert client.customer_contacts_api.count(filter=F("isDeleted").eq(True)) == 0
    with pytest.raises(ValidationError) as err:
        client.customer_contacts_api.list(filter=F("phone").eq("1"))  # "not filterable"
    assert err.value.error_code == "BadFilterRequest"
    with pytest.raises(ValidationError) as err:
        client.customer_contacts_api.list(filter=F("lastUpdated").like("2026"))  # no like there
    assert err.value.error_code == "BadFilterRequest"
    page = client.customer_contacts_api.page(skip_pages=1, page_size=5, sort="-number")
    assert [c["number"] for c in page] == [85, 84, 83, 82, 81]
    assert client.customer_contacts_api.page(page_size=100, filter={"customerNumber": 2}) == [
        client.customer_contacts_api.get(n) for n in (4, 5, 6)
    ]


def test_legacy_and_openapi_views_agree(client, admin):
    admin.reset(seed="demo", customers=3, contacts_per_customer=2)
    openapi = {c["number"]: c for c in client.customer_contacts_api.iter()}
    legacy = {}
    for customer in client.customers.iter():
        for c in client.customers.contacts(customer["customerNumber"]).iter():
            legacy[c["customerContactNumber"]] = c
    assert sorted(openapi) == sorted(legacy) == list(range(1, 11))
    for number, c in legacy.items():
        o = openapi[number]
        assert o["customerNumber"] == c["customer"]["customerNumber"]
        assert o["userInterfaceNumber"] == c["sortKey"]
        assert (o["name"], o.get("email"), o.get("phone")) == (
            c["name"],
            c.get("email"),
            c.get("phone"),
        )
    # a legacy write shows in the OpenAPI view and the other way round
    made = client.customers.contacts(2).create(
        {"name": "Legacy Made", "emailNotifications": ["invoices", "reminders"]}
    )
    o = client.customer_contacts_api.get(made["customerContactNumber"])
    assert (o["customerNumber"], o["name"], o["receiveInvoices"], o["receiveReminders"]) == (
        2,
        "Legacy Made",
        True,
        True,
    )
    assert o["number"] == 11 and o["userInterfaceNumber"] == 2
    created = client.customer_contacts_api.create(
        {"customerNumber": 3, "name": "Api Made", "receiveOrders": True, "phone": "123"}
    )
    assert list(created) == ["number"]
    c = client.customers.contacts(3).get(created["number"])
    assert (c["name"], c["phone"], c["emailNotifications"]) == ("Api Made", "123", ["orders"])
    client.customer_contacts_api.delete(created["number"])
    assert created["number"] not in [
        c["customerContactNumber"] for c in client.customers.contacts(3)
    ]


def test_replace_needs_current_object_version(client, admin):
    contact = client.customer_contacts_api.get(2)
    stale = dict(contact)
    contact["email"] = "daphne@new.example"
    client.customer_contacts_api.replace(2, contact)
    fresh = client.customer_contacts_api.get(2)
    assert (
        fresh["email"] == "daphne@new.example" and fresh["objectVersion"] != stale["objectVersion"]
    )
    stale["name"] = "Lost update"
    with pytest.raises(ConflictError) as err:
        client.customer_contacts_api.replace(2, stale)
    assert err.value.error_code == "UpdateConflict"
    # a legacy PUT changes the objectVersion too
    client.customers.contacts(1).replace(2, {"name": "Daphne Crane"})
    with pytest.raises(ConflictError):
        client.customer_contacts_api.replace(2, fresh)
    with pytest.raises(ValidationError):
        client.customer_contacts_api.create({"customerNumber": 999999, "name": "Nobody's"})


def test_contact_shape_validates_against_the_openapi_spec(client, admin, customers_spec, sandbox):
    admin.reset(seed="demo", customers=2, contacts_per_customer=2)
    client.customer_contacts_api.create(
        {
            "customerNumber": 1,
            "name": "Full",
            "email": "f@x.dk",
            "notes": "n",
            "eInvoiceId": "E1",
            "receiveEInvoices": True,
            "receiveStatementOfAccounts": True,
        }
    )
    contact = _validator(customers_spec, "Contact")
    page = client.request("GET", CONTACTS, base="apis")
    _assert_valid(_validator(customers_spec, "ContactCursorResults"), page)
    for item in page["items"]:
        _assert_valid(contact, item)
    _assert_valid(contact, client.customer_contacts_api.get(1))
    for item in client.customer_contacts_api.page(page_size=100):
        _assert_valid(contact, item)
    assert isinstance(client.customer_contacts_api.count(), int)
    # the sandbox's filter table is the spec's x-filterable
    from economic_sandbox.openapi import CUSTOMER_CONTACT_FILTERS

    spec_ops = {
        name: {"$%s:" % op.strip() for op in prop["x-filterable"].split(",")}
        for name, prop in customers_spec["components"]["schemas"]["Contact"]["properties"].items()
        if prop.get("x-filterable") != "not filterable"
    }
    assert {k: set(v) for k, v in CUSTOMER_CONTACT_FILTERS.items()} == spec_ops


def test_keep_alive_answers_without_nagle_stall(sandbox):
    s = requests.Session()
    s.headers.update(
        {
            "X-AppSecretToken": sandbox.info["app_secret_token"],
            "X-AgreementGrantToken": sandbox.info["agreement_grant_token"],
        }
    )
    url = sandbox.info["rest_url"] + "/customers/1"
    s.get(url).raise_for_status()
    started = time.monotonic()
    for _ in range(50):
        r = s.get(url)
        assert r.status_code == 200
    # was ~44 ms per request (Nagle + delayed ACK); now ~1 ms
    assert time.monotonic() - started < 1.0
    pool = s.get_adapter(url).poolmanager.connection_from_url(url)
    assert pool.num_connections == 1  # one keep-alive connection reused throughout
