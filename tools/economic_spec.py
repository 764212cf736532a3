"""e-conomic's published schemas, for the tests that check the sandbox against them (stdlib only).

The schema tests of the pure tier read them from a folder laid out like this:

    legacy-schemas/<name>.schema.json   the legacy REST API's JSON Schema (draft-03) files, as
                                        e-conomic publishes them at
                                        https://restapi.e-conomic.com/schema/<name>.schema.json
    openapi/openapi-<Service>.json      the OpenAPI documents of the newer services
                                        (apis.e-conomic.com), as their ReDoc pages carry them

That folder is ``$ECONOMIC_SPEC_DIR`` when it is set, else the per-user cache
``~/.cache/economic_sync/economic-spec`` (``$XDG_CACHE_HOME`` is honoured,
``$ECONOMIC_SPEC_CACHE`` names another folder), which ``make test`` fills from e-conomic's public
URLs when the network allows (``fetch_spec``; ``$ECONOMIC_SPEC_URL`` names a mirror laid out like
the folder above, ``http(s)://`` or ``file://``). With neither, the schema tests are skipped,
saying why. The files are never copied into the repository.

``FILES`` lists what the tests read: a test that reads another file fails until it is added
here, so that the cache always holds what the tests need.
"""

import hashlib
import http.client
import json
import os
import shutil
import urllib.request
from pathlib import Path

ENV_DIR = "ECONOMIC_SPEC_DIR"
ENV_CACHE = "ECONOMIC_SPEC_CACHE"
ENV_MIRROR = "ECONOMIC_SPEC_URL"
LEGACY_SCHEMA_URL = "https://restapi.e-conomic.com/schema/%s.schema.json"
#: the legacy REST API's schemas the tests read
LEGACY_SCHEMAS = (
    "accounting-years.accountingYear.entries.get",
    "accounting-years.accountingYear.get",
    "accounting-years.accountingYear.periods.accountingYearPeriod.entries.get",
    "accounting-years.accountingYear.periods.accountingYearPeriod.get",
    "accounting-years.accountingYear.periods.get",
    "accounting-years.get",
    "accounts.accountNumber.get",
    "accounts.get",
    "currencies.code.get",
    "currencies.get",
    "customer-groups.customerGroupNumber.get",
    "customer-groups.get",
    "customers.customerNumber.contacts.contactNumber.get",
    "customers.customerNumber.contacts.get",
    "customers.customerNumber.get",
    "customers.customerNumber.templates.get",
    "customers.customerNumber.templates.invoice.get",
    "customers.get",
    "employees.employeeNumber.get",
    "employees.get",
    "invoices.booked.bookedInvoiceNumber.get",
    "invoices.booked.get",
    "invoices.drafts.draftInvoiceNumber.get",
    "invoices.drafts.get",
    "invoices.not-due.get",
    "invoices.overdue.get",
    "invoices.paid.get",
    "invoices.unpaid.get",
    "journals.get",
    "journals.journalNumber.entries.entryNumber.get",
    "journals.journalNumber.entries.get",
    "journals.journalNumber.get",
    "journals.journalNumber.vouchers.accountingYear-voucherNumber.get",
    "journals.journalNumber.vouchers.post",
    "layouts.get",
    "layouts.layoutNumber.get",
    "payment-terms.get",
    "payment-terms.paymentTermsNumber.get",
    "payment-types.get",
    "payment-types.paymentTypeNumber.get",
    "product-groups.get",
    "product-groups.productGroupNumber.get",
    "product-groups.productGroupNumber.products.get",
    "product-groups.productGroupNumber.sales-accounts.get",
    "products.get",
    "products.productNumber.get",
    "self.get",
    "suppliers.get",
    "suppliers.supplierNumber.get",
    "units.get",
    "units.unitNumber.get",
    "vat-accounts.get",
    "vat-accounts.id.get",
    "vat-types.get",
    "vat-types.id.get",
    "vat-zones.get",
    "vat-zones.vatZoneNumber.get",
)
#: the OpenAPI documents the tests read: e-conomic serves no openapi.json; each document is
#: embedded in its service's ReDoc page
OPENAPI_DOCS = {
    "openapi-Customers.json": "https://apis.e-conomic.com/customersapi/redoc.html",
}
#: every file the tests read, relative to the folder
FILES = tuple(
    ["legacy-schemas/%s.schema.json" % name for name in LEGACY_SCHEMAS]
    + ["openapi/%s" % name for name in OPENAPI_DOCS]
)
#: in the cache: the digest of ``FILES`` it was filled for (a cache for another list is stale)
STAMP = ".economic_sync-files.sha256"
TIMEOUT = 10
#: where a ReDoc page built by redoc-cli keeps its state (the document under spec.data)
_REDOC_STATE = "__redoc_state = "


def files_digest():
    return hashlib.sha256("\n".join(FILES).encode()).hexdigest()


def spec_cache(environ=None):
    """The per-user cache folder of the schemas (it may not exist)."""
    environ = os.environ if environ is None else environ
    if environ.get(ENV_CACHE):
        return Path(environ[ENV_CACHE])
    base = environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "economic_sync" / "economic-spec"


def find_spec(environ=None):
    """``(folder, why)``: where the schema tests find the schemas, or ``(None, why not)``."""
    environ = os.environ if environ is None else environ
    given = environ.get(ENV_DIR)
    if given:
        if (Path(given) / "legacy-schemas").is_dir():
            return Path(given), "%s=%s" % (ENV_DIR, given)
        return None, "%s=%s holds no legacy-schemas/ folder" % (ENV_DIR, given)
    cache = spec_cache(environ)
    stamp = cache / STAMP
    if stamp.is_file() and stamp.read_text().strip() == files_digest():
        return cache, "cache %s" % cache
    if cache.exists():
        return None, "no %s; the cache %s was filled for another list of files" % (ENV_DIR, cache)
    return None, "no %s, nothing in the cache %s" % (ENV_DIR, cache)


def sources(environ=None):
    """``{file: URL}`` of every file of ``FILES``: e-conomic's, or the mirror's."""
    environ = os.environ if environ is None else environ
    mirror = (environ.get(ENV_MIRROR) or "").rstrip("/")
    if mirror:
        return {name: "%s/%s" % (mirror, name) for name in FILES}
    urls = {"legacy-schemas/%s.schema.json" % n: LEGACY_SCHEMA_URL % n for n in LEGACY_SCHEMAS}
    urls.update({"openapi/%s" % name: url for name, url in OPENAPI_DOCS.items()})
    return urls


def _openapi_document(body):
    """The OpenAPI document of a download: the JSON document itself, or the one a ReDoc page
    carries in its state."""
    text = body.decode("utf-8-sig")
    if _REDOC_STATE in text:
        start = text.index(_REDOC_STATE) + len(_REDOC_STATE)
        state, _end = json.JSONDecoder().raw_decode(text, start)
        doc = state["spec"]["data"]
    else:
        doc = json.loads(text)
    if not isinstance(doc, dict) or "openapi" not in doc:
        raise ValueError("not an OpenAPI document")
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


def _download(name, url, timeout):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        body = response.read()
    if name.startswith("openapi/"):
        return _openapi_document(body)
    if not body.decode("utf-8-sig").lstrip().startswith("{"):
        raise ValueError("not a JSON schema")
    return body  # byte for byte as published


def fetch_spec(cache=None, urls=None, timeout=TIMEOUT):
    """Download every file of ``FILES`` into the cache: all of them or nothing (the cache is
    replaced only when every download succeeded); the first failure stops. ``(True, None)`` or
    ``(False, why)``, never an exception for a network or content problem."""
    cache = Path(cache) if cache else spec_cache()
    urls = urls or sources()
    partial = cache.with_name(cache.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    try:
        for name in FILES:
            target = partial / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                target.write_bytes(_download(name, urls[name], timeout))
            except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException) as exc:
                return False, "%s: %s" % (urls.get(name, name), exc)
        (partial / STAMP).write_text(files_digest() + "\n")
        old = cache.with_name(cache.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if cache.exists():
            cache.rename(old)
        partial.rename(cache)
        shutil.rmtree(old, ignore_errors=True)
        return True, None
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def beside_the_clone(repo):
    """The development layout: the project's shared folder beside the clone holds the schemas
    (``../shared/economic-spec``); None elsewhere."""
    folder = Path(repo).resolve().parent / "shared" / "economic-spec"
    return folder if (folder / "legacy-schemas").is_dir() else None


def prepare_spec(repo, environ):
    """What ``make test`` does before the pure tier: the schemas from ``$ECONOMIC_SPEC_DIR``,
    else from the shared folder beside the clone (``ECONOMIC_SPEC_DIR`` is set in ``environ``
    then), else from the cache, fetched first when it is missing or stale.
    Returns ``(folder or None, why)``."""
    if not environ.get(ENV_DIR):
        beside = beside_the_clone(repo)
        if beside:
            environ[ENV_DIR] = str(beside)
    folder, why = find_spec(environ)
    if folder or environ.get(ENV_DIR):
        return folder, why
    ok, failure = fetch_spec(spec_cache(environ), sources(environ))
    if not ok:
        return None, "%s; fetching them failed (%s)" % (why, failure)
    return find_spec(environ)
