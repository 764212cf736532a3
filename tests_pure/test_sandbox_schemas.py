"""Sandbox responses validate against e-conomic's own draft-03 schemas (legacy REST)."""

import re

import pytest
import requests
from spec_helpers import check, load_schema


@pytest.fixture(scope="module")
def api(sandbox):
    s = requests.Session()
    s.headers.update(
        {
            "X-AppSecretToken": sandbox.info["app_secret_token"],
            "X-AgreementGrantToken": sandbox.info["agreement_grant_token"],
            "Content-Type": "application/json",
        }
    )
    base = sandbox.info["rest_url"]

    def get(path, **params):
        r = s.get(base + path, params=params)
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.json()

    return get


COLLECTIONS = [
    ("/customers", "customers.get", "customers.customerNumber.get", "/customers/1"),
    (
        "/customers/1/contacts",
        "customers.customerNumber.contacts.get",
        "customers.customerNumber.contacts.contactNumber.get",
        "/customers/1/contacts/1",
    ),
    ("/suppliers", "suppliers.get", "suppliers.supplierNumber.get", "/suppliers/25"),
    (
        "/customer-groups",
        "customer-groups.get",
        "customer-groups.customerGroupNumber.get",
        "/customer-groups/2",
    ),
    ("/vat-zones", "vat-zones.get", "vat-zones.vatZoneNumber.get", "/vat-zones/1"),
    (
        "/payment-terms",
        "payment-terms.get",
        "payment-terms.paymentTermsNumber.get",
        "/payment-terms/1",
    ),
    (
        "/payment-types",
        "payment-types.get",
        "payment-types.paymentTypeNumber.get",
        "/payment-types/1",
    ),
    ("/layouts", "layouts.get", "layouts.layoutNumber.get", "/layouts/19"),
    ("/currencies", "currencies.get", "currencies.code.get", "/currencies/EUR"),
    ("/units", "units.get", "units.unitNumber.get", "/units/1"),
    ("/products", "products.get", "products.productNumber.get", "/products/1"),
    (
        "/product-groups",
        "product-groups.get",
        "product-groups.productGroupNumber.get",
        "/product-groups/1",
    ),
    ("/accounts", "accounts.get", "accounts.accountNumber.get", "/accounts/5600"),
    ("/accounting-years", "accounting-years.get", "accounting-years.accountingYear.get", None),
    ("/journals", "journals.get", None, None),
    (
        "/invoices/drafts",
        "invoices.drafts.get",
        "invoices.drafts.draftInvoiceNumber.get",
        "/invoices/drafts/1",
    ),
    (
        "/invoices/booked",
        "invoices.booked.get",
        "invoices.booked.bookedInvoiceNumber.get",
        "/invoices/booked/1",
    ),
    ("/invoices/paid", "invoices.paid.get", None, None),
    ("/invoices/unpaid", "invoices.unpaid.get", None, None),
    ("/invoices/overdue", "invoices.overdue.get", None, None),
    ("/invoices/not-due", "invoices.not-due.get", None, None),
    ("/employees", "employees.get", "employees.employeeNumber.get", "/employees/1"),
    ("/vat-types", "vat-types.get", "vat-types.id.get", "/vat-types/1"),
    ("/vat-accounts", "vat-accounts.get", "vat-accounts.id.get", "/vat-accounts/U25"),
    (
        "/product-groups/1/sales-accounts",
        "product-groups.productGroupNumber.sales-accounts.get",
        None,
        None,
    ),
    (
        "/product-groups/1/products",
        "product-groups.productGroupNumber.products.get",
        None,
        None,
    ),
]


@pytest.mark.parametrize("path,coll_schema,item_schema,item_path", COLLECTIONS)
def test_collection_and_item_validate(spec_dir, api, path, coll_schema, item_schema, item_path):
    body = api(path, pagesize=1000)
    assert body["collection"], path
    check(load_schema(spec_dir, coll_schema), body)
    if item_schema and item_path:
        check(load_schema(spec_dir, item_schema), api(item_path))


def test_self_validates(spec_dir, api):
    check(load_schema(spec_dir, "self.get"), api("/self"))


def test_accounting_year_and_entries_validate(spec_dir, api):
    years = api("/accounting-years")["collection"]
    year = [y for y in years if api("/accounting-years/%s/entries" % y["year"])["collection"]][0][
        "year"
    ]
    check(
        load_schema(spec_dir, "accounting-years.accountingYear.get"),
        api("/accounting-years/" + year),
    )
    check(
        load_schema(spec_dir, "accounting-years.accountingYear.entries.get"),
        api("/accounting-years/%s/entries" % year),
    )


def test_formats(api):
    c = api("/customers/1")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", c["lastUpdated"])
    assert "barred" not in c
    assert c["self"].endswith("/customers/1")
    assert c["customerGroup"]["self"].endswith("/customer-groups/1")
    d = api("/invoices/drafts/1")
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", d["date"]) and re.fullmatch(
        r"\d{4}-\d{2}-\d{2}", d["dueDate"]
    )
    assert "lines" not in api("/invoices/drafts")["collection"][0]
    assert "lastUpdated" not in api("/suppliers/25")
    assert "lastUpdated" not in api("/invoices/booked/1")
