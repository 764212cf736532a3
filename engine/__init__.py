"""Plain-Python adapters of the sync engine (no Odoo imports): how one e-conomic entity's
records map to Odoo values, driven by the connection's field mappings and ``sync_core``."""

from .adapters import (
    Adapter,
    Lookups,
    Mapping,
    MissingMapping,
    get_path,
)
from .partner import ADAPTER_CLASSES, PARTNER_MAPPINGS

__all__ = [
    "ADAPTER_CLASSES",
    "PARTNER_MAPPINGS",
    "Adapter",
    "Lookups",
    "Mapping",
    "MissingMapping",
    "get_path",
]
