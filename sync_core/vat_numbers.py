"""CVR and VAT numbers between e-conomic and Odoo (issue 15).

e-conomic keeps a customer's or supplier's number in ``corporateIdentificationNumber``: for a
company of the agreement's country (a Danish agreement: a Danish company) its registry number
without a country prefix (the CVR, ``29403473``); for a foreign company usually its VAT number,
with its country prefix, as the user typed it. Odoo keeps the VAT number in ``vat`` (with
``base_vat`` installed, validated on every write) and the registry number in
``company_registry``.

**Canonical form** (both sides compare it, the base stores it): the number compact (uppercase
letters and digits) with a country prefix: the one it has, else its country's VAT prefix (the
record's country, else the agreement's; ``EL`` for Greece). e-conomic's ``29403473`` of a Danish
customer and Odoo's ``DK29403473`` (or ``DK 29 40 34 73``, or the bare CVR Odoo accepts for a
Danish partner) are all ``DK29403473``: the merge never flips between the spellings.

**To e-conomic** (``economic_vat``): a number of the agreement's country, of a record of that
country, without its prefix (e-conomic expects the bare CVR), any other as it is.

**To Odoo** (``odoo_vat``): the VAT field gets the prefixed number when Odoo's validation accepts
it; the registry field gets the number of the agreement's country without its prefix (the CVR),
and any number Odoo refuses (the VAT field is then left empty, so the partner is never refused
for it). A valid foreign VAT number leaves the registry as it is.

**From Odoo** (``local_vat``): the VAT field, else the registry field (where a refused number is
kept), in canonical form with the partner's country.
"""

import re

__all__ = [
    "VAT_PREFIX",
    "canonical_vat",
    "economic_vat",
    "local_vat",
    "odoo_vat",
    "vat_prefix",
]

#: VAT prefixes that are not the country's ISO code
VAT_PREFIX = {"GR": "EL"}
#: prefixes a VAT number may carry besides the ISO codes of countries (Greece, Northern
#: Ireland, the EU's non-Union OSS scheme)
EXTRA_PREFIXES = frozenset({"EL", "XI", "EU"})

_NON_ALNUM = re.compile(r"[^0-9A-Za-z]+")


def vat_prefix(country):
    """The VAT prefix of a country (ISO code), or None."""
    if not country:
        return None
    country = str(country).strip().upper()
    return VAT_PREFIX.get(country, country) or None


def _compact(value):
    if value in (None, False) or value is True:
        return None
    text = _NON_ALNUM.sub("", str(value)).upper()
    return text or None


def _prefix_of(text, prefixes):
    head = text[:2]
    if len(text) > 2 and head.isalpha() and (head in prefixes or head in EXTRA_PREFIXES):
        return head
    return None


def canonical_vat(value, country=None, prefixes=frozenset()):
    """The canonical number: compact, with its prefix, else ``country``'s VAT prefix.

    ``country``: the ISO code of the record's country, else the agreement's (None: no prefix
    is added). ``prefixes``: the ISO codes a number may start with (Odoo's countries)."""
    text = _compact(value)
    if text is None or _prefix_of(text, prefixes):
        return text
    prefix = vat_prefix(country)
    return prefix + text if prefix else text


def economic_vat(canonical, home=None, country=None):
    """The number as e-conomic keeps it: a number of the agreement's country (``home``) of a
    record of that country (``country``; None: unknown, so the agreement's) without its prefix
    (the bare CVR of a Danish agreement), any other as it is (a bare number of a record of
    another country would read as that country's)."""
    if not canonical:
        return None
    prefix = vat_prefix(home)
    if (
        prefix
        and canonical.startswith(prefix)
        and len(canonical) > len(prefix)
        and vat_prefix(country or home) == prefix
    ):
        return canonical[len(prefix) :]
    return canonical


def local_vat(vat, registry, country=None, prefixes=frozenset()):
    """The canonical number of an Odoo partner: its VAT number, else its registry number
    (where a number Odoo refused is kept), with the partner's country (else the agreement's)."""
    return canonical_vat(_compact(vat) or registry, country, prefixes)


def odoo_vat(canonical, valid, country=None, home=None, prefixes=frozenset()):
    """``(vat, registry)`` to write into Odoo for a canonical number; ``None`` for a field left
    as it is.

    - ``valid``: whether Odoo's validation accepts ``canonical`` as a VAT number.
    - ``country``: the partner's country (ISO code), else None (the agreement's, ``home``).

    The VAT field holds the number when valid, else nothing. The registry holds a number of the
    agreement's country (the CVR) and any refused number, without the prefix of the partner's
    country (so ``local_vat`` reads back the same canonical number)."""
    if not canonical:
        return False, False
    own = vat_prefix(country or home)
    home_prefix = vat_prefix(home)
    prefix = canonical[:2]
    bare = canonical[2:] if prefix == own and len(canonical) > 2 else canonical
    if bare != canonical and _prefix_of(bare, prefixes):
        bare = canonical  # the rest would read as another country's number
    if valid:
        registry = canonical[2:] if home_prefix and prefix == home_prefix else None
        return canonical, registry
    return False, bare
