"""Plain-Python client for Visma e-conomic (legacy REST API and OpenAPI services).

Only the standard library and ``requests``; never imports Odoo.  The Odoo addon imports it as
``odoo.addons.economic_sync.economic_client``, the pure tests as ``economic_client``, so every
import inside the package is relative.

Services on ``EconomicClient`` (``economic_client/resources.py`` has the full list), among them
what the Odoo side reads first for products, the chart of accounts and VAT codes:

* ``client.products`` (key ``productNumber``, a string): ``iter/list/page/count/get``,
  ``create(data, idempotency_key=...)``, ``replace(number, data)``, ``delete(number)``.  A product:
  ``productNumber, name, description, costPrice, recommendedPrice, salesPrice, barCode, barred,
  lastUpdated, productGroup {productGroupNumber, name, salesAccounts, products, inventoryEnabled,
  self}, unit {unitNumber, name, products, self}, inventory {available, inStock,
  orderedByCustomers, orderedFromSuppliers, packageVolume, recommendedCostPrice[, grossWeight,
  netWeight]} (only on agreements with the inventory module), invoices {drafts, booked, self},
  pricing, self``.
* ``client.product_groups`` (key ``productGroupNumber``): ``{productGroupNumber, name,
  salesAccounts, products, inventoryEnabled, accrual?, self}``; ``sales_accounts(n)`` →
  ``[{"salesAccount": <account>, "vatZone": {vatZoneNumber, name, ...}}]``.
* ``client.units`` (key ``unitNumber``): ``{unitNumber, name, products, self}``.
* ``client.accounts`` (key ``accountNumber``): ``{accountNumber, accountType, balance,
  draftBalance?, blockDirectEntries, debitCredit, name, barred?, vatAccount {vatCode, self}?,
  contraAccount?, totalFromAccount?, accountsSummed?, accountingYears, self}``.
* ``client.accounting_years`` (key ``year``, a string): ``{fromDate, toDate, year, closed?,
  periods, entries, totals, vouchers, self}``.
* ``client.vat_accounts`` (key ``vatCode``, a string): ``{vatCode, name, ratePercentage, barred?,
  account {accountNumber, self}, contraAccount?, vatType {vatTypeNumber, name, self}, self}``.

Collections are paged lazily over ``pagination.nextPage``; a collection with no results carries
no page links at all (e-conomic sends ``pagination.developerHint`` instead), which ``iter``,
``count`` and ``page`` handle.
"""

from .client import (
    AUTO,
    EconomicClient,
    EconomicResponse,
    encode_legacy_id,
    parse_rate_limit,
    parse_retry_after,
)
from .errors import (
    AuthenticationError,
    ConflictError,
    EconomicError,
    EconomicTimeout,
    ForbiddenError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnsafeURLError,
    ValidationError,
)
from .filters import AnyOf, F, Filter, and_, build_filter, or_

__all__ = [
    "AUTO",
    "EconomicClient",
    "EconomicResponse",
    "encode_legacy_id",
    "parse_rate_limit",
    "parse_retry_after",
    "EconomicError",
    "AuthenticationError",
    "ForbiddenError",
    "NotFoundError",
    "ValidationError",
    "ConflictError",
    "RateLimitedError",
    "ServerError",
    "NetworkError",
    "EconomicTimeout",
    "InvalidResponseError",
    "UnsafeURLError",
    "F",
    "AnyOf",
    "Filter",
    "and_",
    "or_",
    "build_filter",
]
