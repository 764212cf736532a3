"""Matching before create (docs/SYNC.md §4).

A remote record with no binding, or a local one about to be pushed, is first matched against the
other side by the connection's matching keys, in order (for customers e.g. ``customer_number``,
``vat``, ``email``, ``phone``): the first key whose value is present *and* finds at least one
candidate decides - one candidate binds (``'unique'``), several are reported for the user to pick
(``'ambiguous'``, never a guess), and when no key finds anything the record is created
(``'none'``).  A key whose value is absent, or present with no candidate, passes to the next key.

Values are normalised per key before they are compared (``normalise``):

- ``email`` (and ``*email*`` keys): lowercased, stripped; several addresses separated by commas,
  semicolons or spaces are each a value, and any of them matches.
- ``phone``/``mobile`` (and ``*phone*`` keys): digits only.  An international number (``+CC`` or
  ``00CC``) of the agreement's country loses its country code, so ``+45 12 34 56 78`` equals
  ``12345678`` when ``default_country_code`` is ``45``; other international numbers keep a
  leading ``+`` (``+4612345678`` never equals the Danish ``4612345678``).  National trunk zeros are
  not touched.
- ``vat``/``cvr`` (and ``*vat*``, ``corporate_identification_number``): uppercase letters and
  digits only; a leading prefix equal to the agreement's ``country`` (ISO 3166 alpha-2, ``EL`` for
  ``GR``) is stripped, so ``DK12345678`` equals ``12345678`` for a Danish agreement.
- ``*_number``/``number`` keys (``customer_number``, ``supplier_number``...): an int; ``0`` and
  non-numbers are absent.
- any other key: the stripped, case-folded text with inner whitespace collapsed.

``build_index`` builds the candidate lookup ``{key: {normalised value: [ids]}}`` from an iterable
in one pass, so the engine indexes a page of remote records (or a batch of local candidates) with
no query per record; ``match`` then looks a record up in it.
"""

import re
from collections import namedtuple
from decimal import Decimal, InvalidOperation

__all__ = [
    "MatchResult",
    "build_index",
    "match",
    "normalise",
    "normalise_email",
    "normalise_number",
    "normalise_phone",
    "normalise_text",
    "normalise_vat",
    "COUNTRY_CALLING_CODES",
]

MatchResult = namedtuple("MatchResult", ["status", "ids", "key"])
MatchResult.__doc__ = """``status`` is ``'unique'``, ``'ambiguous'`` or ``'none'``; ``ids`` the
candidates found (a tuple, in index order, empty for ``'none'``); ``key`` the matching key that
decided (``None`` for ``'none'``)."""

# Calling codes for the agreement's country when no default_country_code is given.
COUNTRY_CALLING_CODES = {
    "DK": "45",
    "SE": "46",
    "NO": "47",
    "FI": "358",
    "IS": "354",
    "FO": "298",
    "GL": "299",
    "DE": "49",
    "NL": "31",
    "BE": "32",
    "FR": "33",
    "ES": "34",
    "IT": "39",
    "AT": "43",
    "CH": "41",
    "GB": "44",
    "IE": "353",
    "PL": "48",
    "PT": "351",
    "EE": "372",
    "LV": "371",
    "LT": "370",
    "LU": "352",
    "CZ": "420",
    "SK": "421",
    "HU": "36",
    "SI": "386",
    "HR": "385",
    "GR": "30",
    "CY": "357",
    "MT": "356",
    "RO": "40",
    "BG": "359",
    "US": "1",
    "CA": "1",
}

_EMAIL_SPLIT = re.compile(r"[\s,;]+")
_NON_DIGIT = re.compile(r"\D+")
_NON_ALNUM = re.compile(r"[^0-9A-Z]+")


def _absent(value):
    return value is None or value is False or (isinstance(value, str) and not value.strip())


def _calling_code(default_country_code, country):
    if default_country_code not in (None, False, ""):
        code = _NON_DIGIT.sub("", str(default_country_code)).lstrip("0")
        return code or None
    if country:
        return COUNTRY_CALLING_CODES.get(str(country).strip().upper())
    return None


def normalise_email(value):
    """The addresses in ``value``, lowercased, as a tuple (empty when absent)."""
    if _absent(value):
        return ()
    parts = (p.strip().lower() for p in _EMAIL_SPLIT.split(str(value)))
    return tuple(dict.fromkeys(p for p in parts if p))


def normalise_phone(value, default_country_code=None, country=None):
    """The phone number as digits, see the module docstring (a tuple of 0 or 1 value)."""
    if _absent(value):
        return ()
    text = str(value).strip()
    digits = _NON_DIGIT.sub("", text)
    international = text.startswith("+")
    if not international and digits.startswith("00") and text.lstrip().startswith("00"):
        international = True
        digits = digits[2:]
    if not digits:
        return ()
    if international:
        code = _calling_code(default_country_code, country)
        if code and digits.startswith(code) and len(digits) > len(code):
            return (digits[len(code) :],)
        return ("+" + digits,)
    return (digits,)


def normalise_vat(value, country=None):
    """The VAT/CVR number as uppercase alphanumerics, without the agreement's country prefix."""
    if _absent(value):
        return ()
    text = _NON_ALNUM.sub("", str(value).upper())
    if country:
        country = str(country).strip().upper()
        for prefix in (country, "EL") if country == "GR" else (country,):
            if text.startswith(prefix) and len(text) > len(prefix):
                text = text[len(prefix) :]
                break
    return (text,) if text else ()


def normalise_number(value):
    """A record number (customer/supplier/product number as int); ``0``/non-numbers are absent."""
    if _absent(value) or value is True:
        return ()
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return ()
    if not number.is_finite() or number != number.to_integral_value() or number == 0:
        return ()
    return (int(number),)


def normalise_text(value):
    """Any other key: stripped, case-folded, inner whitespace collapsed."""
    if _absent(value):
        return ()
    text = " ".join(str(value).split()).casefold()
    return (text,) if text else ()


def normalise(key, value, *, default_country_code=None, country=None):
    """The normalised values (a tuple, empty = absent) of ``value`` for the matching key ``key``."""
    low = key.lower()
    if "email" in low:
        return normalise_email(value)
    if "phone" in low or "mobile" in low:
        return normalise_phone(value, default_country_code, country)
    if "vat" in low or "cvr" in low or low == "corporate_identification_number":
        return normalise_vat(value, country)
    if low.endswith("number"):
        return normalise_number(value)
    return normalise_text(value)


def _values(key, value, normalisers, default_country_code, country):
    if normalisers and key in normalisers:
        out = normalisers[key](value)
        if out is None:
            return ()
        out = out if isinstance(out, (tuple, list, set, frozenset)) else (out,)
        return tuple(dict.fromkeys(v for v in out if v is not None))
    return normalise(key, value, default_country_code=default_country_code, country=country)


def _get(record, key):
    return record.get(key)


def build_index(
    records,
    keys,
    id_of,
    *,
    value_of=None,
    default_country_code=None,
    country=None,
    normalisers=None,
):
    """``{key: {normalised value: [ids]}}`` over ``records``, read once (any iterable).

    ``id_of(record)`` gives a record's id; ``value_of(record, key)`` its value for a matching key
    (default ``record.get(key)``).  ``normalisers`` (key → callable(value) → value or tuple of
    values) replace the built-in normaliser of a key; pass the same ones (and the same
    ``country``/``default_country_code``) to ``match``.  An id is listed once per value.
    """
    keys = list(keys)
    value_of = value_of or _get
    index = {key: {} for key in keys}
    for record in records:
        rid = id_of(record)
        for key in keys:
            bucket = index[key]
            values = _values(key, value_of(record, key), normalisers, default_country_code, country)
            for value in values:
                ids = bucket.get(value)
                if ids is None:
                    bucket[value] = [rid]
                elif ids[-1] != rid:
                    ids.append(rid)
    return index


def match(
    keys, values, index, *, default_country_code=None, country=None, normalisers=None, exclude=()
):
    """Match one record (``values``: key → value) against ``index`` (from ``build_index``).

    The keys are tried in order; the first whose value is present and has candidates decides.
    ``exclude``: ids never returned (the record itself when matching a side against itself).
    """
    exclude = set(exclude or ())
    for key in keys:
        normalised = _values(key, values.get(key), normalisers, default_country_code, country)
        if not normalised:
            continue
        bucket = index.get(key) or {}
        found = {}
        for value in normalised:
            for rid in bucket.get(value, ()):
                if rid not in exclude:
                    found[rid] = None
        if len(found) == 1:
            return MatchResult("unique", tuple(found), key)
        if found:
            return MatchResult("ambiguous", tuple(found), key)
    return MatchResult("none", (), None)
