"""Products, product groups, units, accounts and VAT accounts in the sandbox: e-conomic's shapes
(checked against the published draft-03 schemas and the real recorded responses), the inventory
module switch, the pagination links of real responses, product writes and the generated seed."""

import re
import time

import jsonschema
import pytest
import requests
from spec_helpers import check, load_schema

from economic_sandbox import Sandbox

NO_RESULTS_HINT = "Pagination links are suppressed when there are no results."
PAGE_LINKS = ("firstPage", "previousPage", "nextPage", "lastPage")


class Api:
    def __init__(self, sb):
        self.sb = sb
        self.base = sb.info["rest_url"]
        self.admin_url = sb.info["admin_url"]
        self.s = requests.Session()
        self.s.headers.update(
            {
                "X-AppSecretToken": sb.info["app_secret_token"],
                "X-AgreementGrantToken": sb.info["agreement_grant_token"],
            }
        )

    def get(self, path, status=200, **params):
        r = self.s.get(self.base + path, params=params)
        assert r.status_code == status, (path, r.status_code, r.text[:500])
        return r.json()

    def send(self, method, path, body=None, key=None):
        headers = {"Idempotency-Key": key} if key else {}
        return self.s.request(method, self.base + path, json=body, headers=headers)

    def admin(self, path, payload=None, method="POST"):
        r = requests.request(method, self.admin_url + path, json=payload, timeout=30)
        assert r.status_code < 300, r.text
        return r.json()


@pytest.fixture
def api():
    sb = Sandbox(seed="demo")
    sb.start()
    try:
        yield Api(sb)
    finally:
        sb.stop()


def product_body(number, **extra):
    body = {"productNumber": number, "name": "Product " + number}
    body["productGroup"] = {"productGroupNumber": 1}
    body.update(extra)
    return body


# ---------------------------------------------------------------- inventory module


def test_products_carry_inventory_with_the_module_and_validate(schema, api):
    assert 15 in [m["moduleNumber"] for m in api.get("/self")["modules"]]
    body = api.get("/products", pagesize=1000)
    schema("products.get", body)
    assert all("inventory" in p for p in body["collection"])
    item = api.get("/products/1")
    schema("products.productNumber.get", item)
    # the real recorded shape (available = inStock - orderedByCustomers)
    assert item["inventory"] == {
        "available": 110.0,
        "inStock": 120.0,
        "orderedByCustomers": 10.0,
        "orderedFromSuppliers": 0.0,
        "packageVolume": 0.0,
        "recommendedCostPrice": 0.0,
        "netWeight": 0.18,
    }
    assert item["barCode"] == "5701234000011"
    assert api.get("/product-groups/1")["inventoryEnabled"] is True
    assert api.get("/product-groups/3")["inventoryEnabled"] is False


def test_without_the_module_no_product_carries_inventory(schema, api):
    api.admin("/reset", {"seed": "demo", "inventory": False, "products": 30})
    assert 15 not in [m["moduleNumber"] for m in api.get("/self")["modules"]]
    body = api.get("/products", pagesize=1000)
    schema("products.get", body)
    assert len(body["collection"]) == 36
    assert not any("inventory" in p for p in body["collection"])
    item = api.get("/products/1")
    schema("products.productNumber.get", item)
    assert "inventory" not in item
    assert not any(g["inventoryEnabled"] for g in api.get("/product-groups")["collection"])


def test_module_switch_without_reset_and_sandbox_option(api):
    assert api.admin("/modules", {"inventory": False}) == {"inventory": False}
    assert "inventory" not in api.get("/products/1")
    assert 15 not in [m["moduleNumber"] for m in api.get("/self")["modules"]]
    api.admin("/modules", {"inventory": True})
    assert api.get("/products/1")["inventory"]["inStock"] == 120.0
    sb = Sandbox(seed="demo", inventory=False)
    sb.start()
    try:
        assert "inventory" not in Api(sb).get("/products/1")
    finally:
        sb.stop()


def test_product_links_match_the_real_sample(api):
    p = api.get("/products/EXPORT-1")
    base = api.base + "/products/EXPORT-1"
    assert p["invoices"] == {
        "drafts": base + "/invoices/drafts",
        "booked": base + "/invoices/booked",
        "self": base + "/invoices",
    }
    assert p["pricing"] == {
        "currencySpecificSalesPrices": base + "/pricing/currency-specific-sales-prices"
    }
    assert set(p["productGroup"]) == {
        "productGroupNumber",
        "name",
        "salesAccounts",
        "products",
        "inventoryEnabled",
        "self",
    }
    assert p["unit"] == {
        "unitNumber": 1,
        "name": "stk.",
        "products": api.base + "/units/1/products",
        "self": api.base + "/units/1",
    }
    assert isinstance(p["productNumber"], str)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", p["lastUpdated"])


# ---------------------------------------------------------------- pagination links


def test_pages_after_the_first_carry_previous_page(api):
    first = api.get("/products", pagesize=2)["pagination"]
    assert "previousPage" not in first and "nextPage" in first
    second = api.get("/products", pagesize=2, skippages=1)["pagination"]
    assert "skippages=0" in second["previousPage"] and "skippages=2" in second["nextPage"]
    last = api.get("/products", pagesize=2, skippages=2)["pagination"]
    assert "skippages=1" in last["previousPage"] and "nextPage" not in last
    assert last["firstPage"].endswith("skippages=0&pagesize=2")
    assert last["lastPage"].endswith("skippages=2&pagesize=2")
    flt = api.get(
        "/products", pagesize=1, skippages=1, filter="productGroup.productGroupNumber$eq:1"
    )
    assert "filter=" in flt["pagination"]["previousPage"]


@pytest.mark.parametrize(
    "path,params",
    [
        ("/products", {"filter": "name$eq:no such product"}),
        ("/customers", {"filter": "customerNumber$gt:999999"}),
        ("/product-groups/1/products", {"filter": "productNumber$eq:none"}),
    ],
)
def test_an_empty_collection_carries_no_page_links(api, path, params):
    body = api.get(path, **params)
    assert body["collection"] == []
    pag = body["pagination"]
    assert not set(PAGE_LINKS) & set(pag), pag
    assert pag["developerHint"] == NO_RESULTS_HINT
    assert pag["results"] == 0 and pag["resultsWithoutFilter"] > 0
    assert "self" in body


def test_an_empty_table_carries_no_page_links(schema, api):
    api.admin("/reset", {"seed": "empty"})
    body = api.get("/products")
    schema("products.get", body)
    assert body["pagination"] == {
        "skipPages": 0,
        "pageSize": 20,
        "maxPageSizeAllowed": 1000,
        "results": 0,
        "resultsWithoutFilter": 0,
        "developerHint": NO_RESULTS_HINT,
    }


# ---------------------------------------------------------------- groups, units, ledger


def test_product_group_sales_accounts_per_vat_zone(schema, api):
    body = api.get("/product-groups/1/sales-accounts")
    schema("product-groups.productGroupNumber.sales-accounts.get", body)
    by_zone = {
        r["vatZone"]["vatZoneNumber"]: r["salesAccount"]["accountNumber"]
        for r in body["collection"]
    }
    assert by_zone == {1: 1010, 2: 1025, 3: 1020, 4: 1030}
    first = body["collection"][0]
    assert first["vatZone"]["name"] == "Domestic"
    assert first["salesAccount"]["vatAccount"]["vatCode"] == "U25"
    assert first["salesAccount"]["self"] == api.base + "/accounts/1010"
    group = api.get("/product-groups/3")
    schema("product-groups.productGroupNumber.get", group)
    assert group["accrual"] == {"accountNumber": 5660, "self": api.base + "/accounts/5660"}
    assert group["salesAccounts"] == api.base + "/product-groups/3/sales-accounts"
    api.get("/product-groups/99/sales-accounts", status=404)


def test_group_and_unit_products(api):
    in_group = api.get("/product-groups/3/products")["collection"]
    assert [p["productNumber"] for p in in_group] == ["50"]
    in_unit = api.get("/units/2/products")["collection"]
    assert [p["productNumber"] for p in in_unit] == ["50"]
    api.get("/units/99/products", status=404)


def test_vat_accounts(schema, api):
    body = api.get("/vat-accounts")
    schema("vat-accounts.get", body)
    codes = {v["vatCode"]: v for v in body["collection"]}
    assert {"U25", "I25", "IEUV", "UEUV", "REP"} <= set(codes)
    u25 = api.get("/vat-accounts/U25")
    schema("vat-accounts.id.get", u25)
    assert u25 == codes["U25"]
    assert u25["ratePercentage"] == 25.0
    assert u25["account"] == {"accountNumber": 6902, "self": api.base + "/accounts/6902"}
    assert u25["vatType"] == {
        "vatTypeNumber": 1,
        "name": "Outgoing Sales Domestic",
        "self": api.base + "/vat-types/1",
    }
    assert codes["IEUV"]["contraAccount"]["accountNumber"] == 6907
    assert codes["I12"]["barred"] is True and "barred" not in u25
    api.get("/vat-accounts/NOPE", status=404)
    # not filterable (docs/ECONOMIC.md §3.2)
    api.get("/vat-accounts", status=400, filter="vatCode$eq:U25")


def test_accounts_shapes(schema, api):
    body = api.get("/accounts", pagesize=1000)
    schema("accounts.get", body)
    accounts = {a["accountNumber"]: a for a in body["collection"]}
    types = {a["accountType"] for a in accounts.values()}
    assert {"heading", "headingStart", "profitAndLoss", "status", "totalFrom"} <= types
    assert "sumInterval" in types
    assert accounts[1010]["vatAccount"] == {
        "vatCode": "U25",
        "self": api.base + "/vat-accounts/U25",
    }
    assert accounts[3630]["barred"] is True
    assert accounts[5820]["balance"] == 125000.0
    assert accounts[1090]["totalFromAccount"]["accountNumber"] == 1001
    assert accounts[1390]["accountsSummed"][0]["fromAccount"]["accountNumber"] == 1010
    for n in (1010, 1090, 1390):
        schema("accounts.accountNumber.get", api.get("/accounts/%d" % n))
    assert api.get("/accounts", filter="barred$eq:true")["collection"][0]["accountNumber"] == 3630


def test_accounting_years_and_units_validate(schema, api):
    years = api.get("/accounting-years")
    schema("accounting-years.get", years)
    assert all(isinstance(y["year"], str) for y in years["collection"])
    schema("units.get", api.get("/units"))


def test_schema_check_catches_a_wrong_shape(spec_dir):
    """The schema check itself is not vacuous: a string inStock fails it."""
    bad = {"productNumber": "1", "name": "x", "self": "http://x/products/1"}
    bad["productGroup"] = {"productGroupNumber": 1, "self": "http://x/product-groups/1"}
    bad["inventory"] = {"inStock": "many"}
    with pytest.raises(AssertionError):
        check(load_schema(spec_dir, "products.productNumber.get"), bad)
    jsonschema.Draft3Validator(load_schema(spec_dir, "products.productNumber.get")).validate(
        dict(bad, inventory={"inStock": 1.0})
    )


# ---------------------------------------------------------------- product writes


def test_product_post_put_delete_and_last_updated(api):
    api.admin("/clock", {"now": "2026-03-01T10:00:00Z"})
    r = api.send("POST", "/products", product_body("P-1", salesPrice=10, barCode="123"))
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["productNumber"] == "P-1" and made["lastUpdated"] == "2026-03-01T10:00:00Z"
    assert made["inventory"]["inStock"] == 0.0 and made["inventory"]["recommendedCostPrice"] == 0.0
    assert r.headers["Location"].endswith("/products/P-1")
    # a duplicate number is refused
    assert api.send("POST", "/products", product_body("P-1")).status_code == 400
    # stock figures are e-conomic's: a PUT keeps them, writable inventory fields are taken
    api.admin(
        "/edit", {"resource": "products", "key": "P-1", "changes": {"inventory": {"inStock": 7}}}
    )
    api.admin("/clock", {"now": "2026-03-01T11:00:00Z"})
    body = product_body("P-1", salesPrice=12.5, inventory={"packageVolume": 2, "inStock": 999})
    r = api.send("PUT", "/products/P-1", body)
    assert r.status_code == 200, r.text
    put = r.json()
    assert put["salesPrice"] == 12.5 and "barCode" not in put  # a PUT replaces
    assert put["inventory"]["inStock"] == 7.0 and put["inventory"]["packageVolume"] == 2.0
    assert put["lastUpdated"] == "2026-03-01T11:00:00Z"
    api.admin("/clock", {"now": "2026-03-01T12:00:00Z"})
    api.admin("/edit", {"resource": "products", "key": "P-1", "changes": {"name": "Edited"}})
    assert api.get("/products/P-1")["lastUpdated"] == "2026-03-01T12:00:00Z"
    assert api.send("DELETE", "/products/P-1").status_code == 204
    api.get("/products/P-1", status=404)
    # a product on an invoice cannot be deleted
    assert api.send("DELETE", "/products/1").status_code == 400


def test_product_validation(api):
    r = api.send("POST", "/products", {"productNumber": "X", "name": "No group"})
    assert r.status_code == 400 and "productGroup" in r.text
    r = api.send("POST", "/products", product_body("X", productGroup={"productGroupNumber": 99}))
    assert r.status_code == 400 and "E06000" in r.text
    r = api.send("POST", "/products", product_body("X" * 26))
    assert r.status_code == 400
    r = api.send("POST", "/products", product_body("X", productNumber=5))
    assert r.status_code == 400  # product numbers are strings


def test_product_idempotent_create_makes_one_product(api):
    before = len(api.admin("/records/products", method="GET"))
    first = api.send("POST", "/products", product_body("IDEM-1"), key="odoo-product-1")
    again = api.send("POST", "/products", product_body("IDEM-1"), key="odoo-product-1")
    assert first.status_code == again.status_code == 201
    assert again.headers.get("X-ResultFromCache") == "true"
    assert first.json() == again.json()
    assert len(api.admin("/records/products", method="GET")) == before + 1
    # the same body under another key is a duplicate number
    other = api.send("POST", "/products", product_body("IDEM-1"), key="odoo-product-2")
    assert other.status_code == 400


def test_product_filter_and_sort(api):
    api.admin("/clock", {"now": "2030-01-01T00:00:00Z"})
    api.send("PUT", "/products/2", product_body("2", name="Changed later"))
    got = api.get("/products", filter="lastUpdated$gte:2029-12-31T00:00:00Z")["collection"]
    assert [p["productNumber"] for p in got] == ["2"]
    newest = api.get("/products", sort="-lastUpdated", pagesize=1)["collection"][0]
    assert newest["productNumber"] == "2"
    numbers = [p["productNumber"] for p in api.get("/products", sort="productNumber")["collection"]]
    assert numbers == sorted(numbers, key=str.casefold)  # strings: "100" before "2"
    assert numbers.index("100") < numbers.index("2")
    assert [
        p["productNumber"] for p in api.get("/products", filter="productNumber$eq:50")["collection"]
    ] == ["50"]
    assert (
        api.get("/products", filter="barCode$eq:5701234000011")["collection"][0]["productNumber"]
        == "1"
    )
    # not filterable / not sortable (schema and docs/ECONOMIC.md §3.2/3.3)
    api.get("/products", status=400, filter="inventory.inStock$gt:1")
    api.get("/products", status=400, sort="barred")


# ---------------------------------------------------------------- generated products


def test_generated_products_are_fast_realistic_and_valid(schema):
    t0 = time.perf_counter()
    sb = Sandbox(seed="empty", products=20000)
    sb.start()
    try:
        elapsed = time.perf_counter() - t0
        assert elapsed < 2.0, elapsed
        prods = sb.state.tables["products"]
        assert len(prods) == 20000
        recs = list(prods.values())
        assert {p["productGroup"]["productGroupNumber"] for p in recs} == {1, 2, 3, 4}
        assert len({p["unit"]["unitNumber"] for p in recs}) >= 4
        with_barcode = [p for p in recs if p.get("barCode")]
        assert 0 < len(with_barcode) < len(recs)
        assert len({p["barCode"] for p in with_barcode}) == len(with_barcode)
        assert len({p["name"] for p in recs}) == len(recs)
        assert any(p["barred"] for p in recs) and not all(p["barred"] for p in recs)
        api = Api(sb)
        page = api.get("/products", pagesize=1000, skippages=19)
        schema("products.get", page)
        assert page["pagination"]["results"] == 20000
        assert "nextPage" not in page["pagination"] and "previousPage" in page["pagination"]
        stocked = api.get("/products/GEN-00002")["inventory"]
        assert stocked["inStock"] == 1.0 and stocked["available"] == 0.0
    finally:
        sb.stop()


def test_reset_generates_products_through_the_admin_api(api):
    api.admin("/reset", {"seed": "empty", "products": 250, "inventory": "false"})
    assert api.get("/products", pagesize=1)["pagination"]["results"] == 250
    assert "inventory" not in api.get("/products/GEN-00250")
