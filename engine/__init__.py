"""Plain-Python adapters of the sync engine (no Odoo imports): how one e-conomic entity's
records map to partner values, driven by the connection's field mappings and ``sync_core``."""

from .adapters import (
    ADAPTER_CLASSES,
    DEFAULT_MAPPINGS,
    Adapter,
    Lookups,
    Mapping,
    MissingMapping,
    get_path,
)

__all__ = [
    "ADAPTER_CLASSES",
    "DEFAULT_MAPPINGS",
    "Adapter",
    "Lookups",
    "Mapping",
    "MissingMapping",
    "get_path",
]
