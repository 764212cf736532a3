"""Plain-Python client for Visma e-conomic (legacy REST API and OpenAPI services).

Only the standard library and ``requests``; never imports Odoo.  The Odoo addon imports it as
``odoo.addons.economic_sync.economic_client``, the pure tests as ``economic_client``, so every
import inside the package is relative.
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
