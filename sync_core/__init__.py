"""The pure decision core of the economic_sync engine (no I/O, stdlib only, never imports Odoo).

- ``canonical``: canonical forms of field values so equal values compare equal on both sides, and
  the JSON form of a stored base (docs/SYNC.md §1, §3).
- ``merge``: the per-field three-way merge of one bound record, strategies and the next base (§3).
- ``matching``: matching an unbound record by the connection's keys before creating it (§4).
- ``vat_numbers``: CVR and VAT numbers: one canonical form, e-conomic's spelling, Odoo's VAT and
  registry fields (issue 15).

The Odoo addon imports it as ``from ..sync_core import ...``, the pure tests as ``sync_core``;
every import inside the package is relative.
"""

from .canonical import (
    KINDS,
    FieldSpec,
    canonical,
    canonical_record,
    dump_base,
    load_base,
    parse_datetime,
)
from .matching import (
    COUNTRY_CALLING_CODES,
    MatchResult,
    build_index,
    match,
    normalise,
    normalise_email,
    normalise_number,
    normalise_phone,
    normalise_text,
    normalise_vat,
)
from .identity import is_other_record, same_name
from .merge import STRATEGIES, Change, Conflict, MergeResult, decide_newer, merge
from .vat_numbers import canonical_vat, economic_vat, local_vat, odoo_vat, vat_prefix

__all__ = [
    "is_other_record",
    "same_name",
    "KINDS",
    "FieldSpec",
    "canonical",
    "canonical_record",
    "dump_base",
    "load_base",
    "parse_datetime",
    "STRATEGIES",
    "Change",
    "Conflict",
    "MergeResult",
    "decide_newer",
    "merge",
    "COUNTRY_CALLING_CODES",
    "MatchResult",
    "build_index",
    "match",
    "normalise",
    "normalise_email",
    "normalise_number",
    "normalise_phone",
    "normalise_text",
    "normalise_vat",
    "canonical_vat",
    "economic_vat",
    "local_vat",
    "odoo_vat",
    "vat_prefix",
]
