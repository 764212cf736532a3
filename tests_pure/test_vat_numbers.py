"""Pure tests of sync_core.vat_numbers: one canonical CVR/VAT number for e-conomic's and Odoo's
spellings, e-conomic's spelling back, Odoo's VAT and registry fields (issue 15)."""

import pytest

from sync_core import canonical_vat, economic_vat, local_vat, odoo_vat, vat_prefix

COUNTRIES = frozenset({"DK", "SE", "DE", "BE", "GR", "FI", "US", "NO"})


@pytest.mark.parametrize(
    ("value", "country", "expected"),
    [
        # a Danish CVR as e-conomic keeps it, and as Odoo may: one value
        ("29403473", "DK", "DK29403473"),
        ("DK29403473", "DK", "DK29403473"),
        ("dk 29 40 34 73", "DK", "DK29403473"),
        ("29 40-34.73", None, "29403473"),
        # a foreign number keeps its own prefix, whatever the record's country
        ("SE556677889901", "DK", "SE556677889901"),
        ("DE 123 456 788", "SE", "DE123456788"),
        # an unprefixed one gets its country's (Greece: EL)
        ("0477472701", "BE", "BE0477472701"),
        ("094259216", "GR", "EL094259216"),
        ("EL094259216", "DK", "EL094259216"),
        # no number
        (None, "DK", None),
        (False, "DK", None),
        (" - ", "DK", None),
    ],
)
def test_canonical_vat(value, country, expected):
    assert canonical_vat(value, country, COUNTRIES) == expected


def test_canonical_vat_is_idempotent():
    for value in ("29403473", "SE556677889901", "0477472701"):
        once = canonical_vat(value, "BE", COUNTRIES)
        assert canonical_vat(once, "BE", COUNTRIES) == once


def test_letters_that_are_no_country_are_not_a_prefix():
    assert canonical_vat("AB123", "DK", COUNTRIES) == "DKAB123"


def test_vat_prefix():
    assert vat_prefix("gr") == "EL"
    assert vat_prefix("DK") == "DK"
    assert vat_prefix(None) is None


def test_economic_vat_drops_only_the_agreements_prefix():
    assert economic_vat("DK29403473", "DK") == "29403473"
    assert economic_vat("SE556677889901", "DK") == "SE556677889901"
    assert economic_vat("DK29403473", "SE") == "DK29403473"
    assert economic_vat("DK29403473", None) == "DK29403473"
    # of a record of another country: kept whole (bare, it would read as that country's)
    assert economic_vat("DK29403473", "DK", "SE") == "DK29403473"
    assert economic_vat("DK29403473", "DK", "DK") == "29403473"
    assert economic_vat(None, "DK") is None


def test_local_vat_reads_the_vat_else_the_registry():
    assert local_vat("DK29403473", "29403473", "DK", COUNTRIES) == "DK29403473"
    assert local_vat("29403473", False, "DK", COUNTRIES) == "DK29403473"
    # a refused CVR kept in the registry is the same number as e-conomic's
    assert local_vat(False, "12345678", "DK", COUNTRIES) == canonical_vat(
        "12345678", "DK", COUNTRIES
    )
    assert local_vat(False, False, "DK", COUNTRIES) is None


@pytest.mark.parametrize(
    ("canonical", "valid", "country", "expected"),
    [
        # a Danish CVR: DK + CVR as VAT number, the CVR as registry
        ("DK29403473", True, "DK", ("DK29403473", "29403473")),
        ("DK29403473", True, None, ("DK29403473", "29403473")),
        # refused: no VAT number, the CVR kept as registry
        ("DK12345678", False, "DK", (False, "12345678")),
        ("DK12345678", False, None, (False, "12345678")),
        # a valid foreign VAT number: the registry is left as it is (None)
        ("SE556677889901", True, "SE", ("SE556677889901", None)),
        # a refused foreign number: kept in the registry, bare where the country says its prefix
        ("SE1234", False, "SE", (False, "1234")),
        ("DE1234", False, "SE", (False, "DE1234")),
        # a Danish number on a Swedish partner: kept whole, so it reads back the same
        ("DK12345678", False, "SE", (False, "DK12345678")),
        # the rest would read as another country's number: kept whole
        ("DKSE1234", False, "DK", (False, "DKSE1234")),
        (None, True, "DK", (False, False)),
    ],
)
def test_odoo_vat(canonical, valid, country, expected):
    assert odoo_vat(canonical, valid, country, "DK", COUNTRIES) == expected


@pytest.mark.parametrize(
    ("value", "country", "valid"),
    [
        ("29403473", "DK", True),
        ("12345678", "DK", False),
        ("12345678", None, False),
        ("SE556677889901", "SE", True),
        ("1234", "SE", False),
        ("DK12345678", "SE", False),
        ("0477472701", "BE", True),
    ],
)
def test_round_trip_is_stable(value, country, valid):
    """What Odoo is given reads back as the number e-conomic has, and e-conomic's spelling
    canonicalises to it again: the merge sees no change on either side."""
    canonical = canonical_vat(value, country or "DK", COUNTRIES)
    vat, registry = odoo_vat(canonical, valid, country, "DK", COUNTRIES)
    assert local_vat(vat, registry or False, country or "DK", COUNTRIES) == canonical
    sent = economic_vat(canonical, "DK", country)
    assert canonical_vat(sent, country or "DK", COUNTRIES) == canonical
