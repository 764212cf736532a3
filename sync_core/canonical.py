"""Canonical forms of synced field values (docs/SYNC.md §1 "base", §3, §5).

The three-way merge (§3) compares an Odoo value L, an e-conomic value R and the stored base B.
Those comparisons are only meaningful when equal values look equal on both sides: Odoo reads
``False`` for an empty char field where e-conomic omits the key, e-conomic sends ``100.0`` where
Odoo holds ``100.00``, a reference is ``{"customerGroupNumber": 1, "self": "..."}`` on one side
and the bare number on the other.  ``canonical(spec, value)`` maps every such spelling to one
value:

``str``
    stripped at both ends, ``\\r\\n`` and ``\\r`` turned into ``\\n``; ``None``, ``False`` and the
    empty (or blank) string are all ``None``.  Other scalars (an ``int`` zip code) become ``str``.
``decimal``
    a ``Decimal`` quantised to ``spec.places`` places (default 2, ROUND_HALF_UP), so
    ``Decimal('100.000000')``, ``100``, ``100.0`` and ``'100'`` are all ``Decimal('100.00')``.
    Floats go through their shortest ``repr`` (``0.1`` is ``Decimal('0.1')``, not the binary
    expansion).  ``-0`` becomes ``0``.  ``None``/``False``/``''`` are ``None``.
``int``
    an ``int``; integral floats/Decimals/digit strings accepted; ``None``/``False``/``''`` are
    ``None``.
``bool``
    ``True``/``False``.  **An absent boolean is ``False``** (``None`` → ``False``): Odoo booleans
    are never null and e-conomic omits false flags such as ``barred``, so treating ``None`` apart
    would report a difference that is not there.  ``'true'``/``'false'``/``'1'``/``'0'`` accepted.
``date``
    an ISO string.  A date (or a ``YYYY-MM-DD`` string) gives ``'YYYY-MM-DD'``; a datetime (or an
    ISO datetime string) gives ``'YYYY-MM-DDTHH:MM:SSZ'`` in UTC, to the second (fractions are
    dropped; naive datetimes are UTC, as Odoo stores them).  ``datetime`` forces the datetime form
    (a bare date is midnight UTC).
``ref``
    the key of the referenced record: ``{"customerGroupNumber": 1, "self": ...}`` → ``1``.  The
    key read is ``spec.key`` when given, otherwise the only entry named ``...Number`` or ``id``.
    A bare int (the Odoo side, already mapped to the e-conomic number) or digit string → ``int``;
    a non-numeric key (a currency ``code``) → the stripped string.

``canonical`` is idempotent: the canonical form of a canonical value is itself, so the merge can
canonicalise its inputs again at no risk.

The base is stored as JSON in Odoo: ``dump_base``/``load_base`` round-trip a canonical record
exactly, Decimals included (same value, same number of places).
"""

import json
import math
import re
from collections import namedtuple
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "KINDS",
    "FieldSpec",
    "canonical",
    "canonical_record",
    "dump_base",
    "load_base",
    "parse_datetime",
]

KINDS = ("str", "decimal", "bool", "int", "date", "datetime", "ref")

_FieldSpec = namedtuple("FieldSpec", ["name", "kind", "places", "key"])


class FieldSpec(_FieldSpec):
    """A synced field: ``FieldSpec(name, kind='str', places=2, key=None)``.

    ``kind`` is one of ``KINDS``; ``places`` the decimals kept for ``decimal`` fields; ``key`` the
    dict key read for a ``ref`` field (guessed when ``None``, see the module docstring).
    """

    __slots__ = ()

    def __new__(cls, name, kind="str", places=2, key=None):
        if not name or not isinstance(name, str):
            raise ValueError("FieldSpec needs a field name")
        if kind not in KINDS:
            raise ValueError(
                "unknown field kind %r for %r (one of %s)" % (kind, name, ", ".join(KINDS))
            )
        if kind == "decimal" and (
            not isinstance(places, int) or isinstance(places, bool) or places < 0
        ):
            raise ValueError("places must be a non-negative int, got %r for %r" % (places, name))
        return super().__new__(cls, name, kind, places, key)


def _empty(value):
    """None, False and the blank string mean "no value" for every kind but bool."""
    return value is None or value is False or (isinstance(value, str) and not value.strip())


def _canon_str(value):
    if _empty(value):
        return None
    if value is True:
        raise TypeError("a boolean is not a string value")
    if not isinstance(value, str):
        value = str(value)
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value or None


_QUANTS = {}


def _canon_decimal(value, places):
    if _empty(value):
        return None
    if value is True:
        raise TypeError("a boolean is not a number")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("not a finite number: %r" % (value,))
        value = Decimal(repr(value))
    elif isinstance(value, int):
        value = Decimal(value)
    elif isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError("not a number: %r" % (value,)) from None
    elif not isinstance(value, Decimal):
        raise TypeError("not a number: %r" % (value,))
    if not value.is_finite():
        raise ValueError("not a finite number: %r" % (value,))
    quant = _QUANTS.get(places)
    if quant is None:
        quant = _QUANTS[places] = Decimal(1).scaleb(-places)
    value = value.quantize(quant, rounding=ROUND_HALF_UP)
    if value.is_zero():
        value = Decimal(0).quantize(quant)  # never -0
    return value


def _canon_int(value):
    if _empty(value):
        return None
    if value is True:
        raise TypeError("a boolean is not an integer")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError("not an integer: %r" % (text,)) from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not an integer: %r" % (value,))
    if isinstance(value, (float, Decimal)):
        if isinstance(value, Decimal) and not value.is_finite() or value != int(value):
            raise ValueError("not an integer: %r" % (value,))
        return int(value)
    raise TypeError("not an integer: %r" % (value,))


_TRUE = {"true", "1", "yes", "y", "t"}
_FALSE = {"false", "0", "no", "n", "f", ""}


def _canon_bool(value):
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, (int, Decimal)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        low = value.strip().lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
    raise ValueError("not a boolean: %r" % (value,))


_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?\s*$"
)


def parse_datetime(value):
    """A ``date``, ``datetime`` or ISO string as a ``date`` or an aware UTC ``datetime``.

    Naive datetimes are taken as UTC (Odoo's storage).  Accepts ``Z``, ``+01:00``, ``+0100``,
    fractions of seconds (kept here, dropped by ``canonical``).  Works on Python 3.10.
    """
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise TypeError("not a date: %r" % (value,))
    m = _ISO.match(value)
    if not m:
        raise ValueError("not an ISO date/datetime: %r" % (value,))
    y, mo, d, h, mi, s, frac, tz = m.groups()
    if h is None:
        return date(int(y), int(mo), int(d))
    micro = int((frac or "0")[:6].ljust(6, "0"))
    tzinfo = timezone.utc
    if tz and tz not in ("Z", "z"):
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        offset = int(digits[:2]) * 60 + int(digits[2:4] or 0)
        tzinfo = timezone(sign * timedelta(minutes=offset))
    dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0), micro, tzinfo=tzinfo)
    return dt.astimezone(timezone.utc)


def _fmt_dt(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _canon_date(value, force_datetime):
    if _empty(value):
        return None
    parsed = parse_datetime(value)
    if isinstance(parsed, datetime):
        return _fmt_dt(parsed)
    if force_datetime:
        return _fmt_dt(datetime.combine(parsed, time(0), tzinfo=timezone.utc))
    return parsed.isoformat()


def _ref_key(value, key):
    if key is not None:
        return value.get(key)
    names = [k for k in value if k == "id" or k.endswith("Number")]
    if len(names) != 1:
        raise ValueError("cannot tell the key of reference %r: give FieldSpec(key=...)" % (value,))
    return value[names[0]]


def _canon_ref(value, key):
    if isinstance(value, dict):
        value = _ref_key(value, key)
    if _empty(value):
        return None
    if value is True:
        raise TypeError("a boolean is not a reference")
    if isinstance(value, int):
        return int(value)
    if isinstance(value, str):
        value = value.strip()
        return int(value) if re.fullmatch(r"[+-]?\d+", value) else value
    return _canon_int(value)


def canonical(spec, value):
    """The canonical form of ``value`` for the field ``spec`` (a ``FieldSpec``)."""
    kind = spec.kind
    if kind == "str":
        return _canon_str(value)
    if kind == "decimal":
        return _canon_decimal(value, spec.places)
    if kind == "int":
        return _canon_int(value)
    if kind == "bool":
        return _canon_bool(value)
    if kind == "date":
        return _canon_date(value, False)
    if kind == "datetime":
        return _canon_date(value, True)
    if kind == "ref":
        return _canon_ref(value, spec.key)
    raise ValueError("unknown field kind %r" % (kind,))


def canonical_record(specs, values):
    """``{spec.name: canonical(spec, values.get(spec.name))}`` for every spec.

    A field missing from ``values`` is canonicalised from ``None`` (so it is ``None``, or
    ``False`` for a bool): e-conomic omits empty fields, Odoo reads them as ``False``.
    """
    values = values or {}
    return {spec.name: canonical(spec, values.get(spec.name)) for spec in specs}


_DEC_TAG = "$decimal"


def _json_default(value):
    if isinstance(value, Decimal):
        return {_DEC_TAG: str(value)}
    raise TypeError("not a canonical value: %r (%s)" % (value, type(value).__name__))


def _json_hook(obj):
    if len(obj) == 1 and _DEC_TAG in obj:
        return Decimal(obj[_DEC_TAG])
    return obj


def dump_base(base):
    """A canonical record as a JSON string (sorted keys; Decimals tagged to come back exact)."""
    return json.dumps(
        base or {},
        default=_json_default,
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )


def load_base(text):
    """The canonical record stored by ``dump_base``; an empty/``None``/``False`` text is ``{}``."""
    if not text:
        return {}
    if isinstance(text, (bytes, bytearray)):
        text = text.decode("utf-8")
    base = json.loads(text, object_hook=_json_hook)
    if not isinstance(base, dict):
        raise ValueError("a stored base is a JSON object, got %s" % type(base).__name__)
    return base
