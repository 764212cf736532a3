"""The client services the Odoo side uses for products, accounts and VAT codes, and its paging
over both collection shapes e-conomic sends (page links present, or suppressed when empty)."""

from decimal import Decimal

import pytest
from client_helpers import Admin, ScriptedServer, Sleeper

from economic_client import EconomicClient, F
from economic_client.resources import Collection, Resource

HINT = "Pagination links are suppressed when there are no results."


def make_client(url, apis_url=None, tokens=("secret", "grant"), **kw):
    return EconomicClient(
        *tokens,
        rest_url=url,
        apis_url=apis_url or url,
        timeout=5,
        max_attempts=2,
        sleep=Sleeper(),
        random=lambda: 0.5,
        **kw,
    )


# ---------------------------------------------------------------- scripted shapes


@pytest.fixture
def server():
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


def page(url, items, sk, ps, total, links=True):
    pag = {
        "skipPages": sk,
        "pageSize": ps,
        "maxPageSizeAllowed": 1000,
        "results": total,
        "resultsWithoutFilter": total,
    }
    if not total:
        pag["developerHint"] = HINT
    elif links:
        last = (total - 1) // ps
        pag["firstPage"] = "%s/products?skippages=0&pagesize=%d" % (url, ps)
        if sk:
            pag["previousPage"] = "%s/products?skippages=%d&pagesize=%d" % (url, sk - 1, ps)
        if sk < last:
            pag["nextPage"] = "%s/products?skippages=%d&pagesize=%d" % (url, sk + 1, ps)
        pag["lastPage"] = "%s/products?skippages=%d&pagesize=%d" % (url, last, ps)
    return {"collection": items, "pagination": pag, "self": url + "/products"}


def test_iter_count_page_on_an_empty_collection_without_links(server):
    empty = page(server.url, [], 0, 1000, 0)
    server.add(200, empty).add(200, empty).add(200, empty)
    with make_client(server.url) as client:
        assert client.products.list() == []
        assert client.products.count() == 0
        got = client.products.page()
        assert got["collection"] == [] and got["pagination"]["developerHint"] == HINT
    assert len(server.requests) == 3  # one request each, nothing followed


def test_iter_follows_next_page_over_pages_with_previous_page(server):
    url = server.url
    items = [{"productNumber": str(n)} for n in range(1, 6)]
    server.add(200, page(url, items[0:2], 0, 2, 5))
    server.add(200, page(url, items[2:4], 1, 2, 5))
    server.add(200, page(url, items[4:5], 2, 2, 5))
    with make_client(url) as client:
        assert [p["productNumber"] for p in client.products.iter(page_size=2)] == list("12345")
    paths = [r["path"] for r in server.requests]
    assert "skippages=0" in paths[0] and "skippages=1" in paths[1] and "skippages=2" in paths[2]


def test_iter_stops_when_a_page_has_no_links_at_all(server):
    """A page whose pagination carries no links (only counts) ends the iteration."""
    server.add(200, page(server.url, [{"productNumber": "1"}], 0, 1000, 1, links=False))
    with make_client(server.url) as client:
        assert client.products.list() == [{"productNumber": "1"}]
        server.add(200, {"collection": [{"productNumber": "1"}]})  # no pagination at all
        assert client.products.count() == 1
    assert len(server.requests) == 2


# ---------------------------------------------------------------- against the sandbox


@pytest.fixture
def admin(sandbox):
    adm = Admin(sandbox.info["admin_url"])
    adm.reset()
    yield adm
    adm.reset()


@pytest.fixture
def client(sandbox):
    info = sandbox.info
    tokens = (info["app_secret_token"], info["agreement_grant_token"])
    with make_client(info["rest_url"], info["apis_url"], tokens=tokens) as cli:
        yield cli


def test_services_exist_with_their_keys(client):
    expected = {
        "products": (Resource, "productNumber", "/products"),
        "product_groups": (Collection, "productGroupNumber", "/product-groups"),
        "units": (Resource, "unitNumber", "/units"),
        "accounts": (Collection, "accountNumber", "/accounts"),
        "accounting_years": (Resource, "year", "/accounting-years"),
        "vat_accounts": (Collection, "vatCode", "/vat-accounts"),
    }
    for attr, (cls, key, path) in expected.items():
        service = getattr(client, attr)
        assert isinstance(service, cls), attr
        assert (service.key, service.path) == (key, path), attr


def test_products_crud_with_idempotency_key(client, admin):
    before = client.products.count()
    body = {
        "productNumber": "ODOO-7",
        "name": "Made from Odoo",
        "productGroup": {"productGroupNumber": 2},
        "unit": {"unitNumber": 1},
        "salesPrice": 99.5,
        "barCode": "4006381333931",
    }
    made = client.products.create(body, idempotency_key="odoo-product-7-conn-1")
    again = client.products.create(body, idempotency_key="odoo-product-7-conn-1")
    assert client.last_response.from_cache and again == made
    assert client.products.count() == before + 1
    assert [r["productNumber"] for r in admin.records("products")].count("ODOO-7") == 1
    assert made["productNumber"] == "ODOO-7" and made["salesPrice"] == Decimal("99.5")
    assert made["productGroup"]["name"] == "Varer u/moms"
    assert made["inventory"]["available"] == 0
    got = client.products.get("ODOO-7")
    assert got["barCode"] == "4006381333931" and got["lastUpdated"]
    replaced = client.products.replace("ODOO-7", dict(body, name="Renamed"))
    assert replaced["name"] == "Renamed"
    found = client.products.list(filter=F("barCode").eq("4006381333931"))
    assert [p["productNumber"] for p in found] == ["ODOO-7"]
    client.products.delete("ODOO-7")
    assert client.products.count(filter=F("productNumber").eq("ODOO-7")) == 0
    assert client.products.list(filter=F("productNumber").eq("ODOO-7")) == []


def test_products_paging_and_incremental_filter(client, admin):
    admin.reset(seed="empty", products=45)
    numbers = [p["productNumber"] for p in client.products.iter(page_size=10)]
    assert len(numbers) == 45 == len(set(numbers)) == client.products.count()
    assert all(isinstance(n, str) for n in numbers)
    admin.call("POST", "/clock", {"now": "2031-05-05T05:05:05Z"})
    admin.call("POST", "/edit", {"resource": "products", "key": "GEN-00007", "changes": {}})
    changed = client.products.list(
        filter=F("lastUpdated").gte("2031-05-05T00:00:00Z"), sort="lastUpdated"
    )
    assert [p["productNumber"] for p in changed] == ["GEN-00007"]
    assert client.products.list(filter=F("lastUpdated").gte("2040-01-01T00:00:00Z")) == []
    assert client.products.count(filter=F("lastUpdated").gte("2040-01-01T00:00:00Z")) == 0


def test_products_without_the_inventory_module(client, admin):
    admin.reset(inventory=False)
    assert all("inventory" not in p for p in client.products.iter())


def test_product_groups_units_accounts_years_vat(client, admin):
    groups = {g["productGroupNumber"]: g for g in client.product_groups.iter()}
    assert groups[1]["name"] == "Varer m/moms" and groups[1]["inventoryEnabled"] is True
    sales = client.product_groups.sales_accounts(1)
    assert isinstance(sales, list)
    assert {s["vatZone"]["vatZoneNumber"]: s["salesAccount"]["accountNumber"] for s in sales} == {
        1: 1010,
        2: 1025,
        3: 1020,
        4: 1030,
    }
    assert [p["productNumber"] for p in client.product_groups.products(4).iter()] == ["51"]
    assert {u["unitNumber"]: u["name"] for u in client.units.iter()}[2] == "timer"
    assert [p["productNumber"] for p in client.units.products(2).iter()] == ["50"]
    account = client.accounts.get(1010)
    assert account["vatAccount"]["vatCode"] == "U25" and account["debitCredit"] == "credit"
    assert client.accounts.count(filter=F("accountType").eq("heading")) >= 2
    years = [y["year"] for y in client.accounting_years.iter()]
    assert years == sorted(years) and all(isinstance(y, str) for y in years)
    vat = {v["vatCode"]: v for v in client.vat_accounts.iter()}
    assert vat["I25"]["ratePercentage"] == Decimal("25")
    assert vat["I25"]["vatType"]["name"] == "Ingoing Purchase Domestic"
    assert client.vat_accounts.get("U25")["account"]["accountNumber"] == 6902
    assert client.vat_accounts.count() == len(vat)
