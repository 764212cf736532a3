"""Pure tests of sync_core: canonical forms, the three-way merge (docs/SYNC.md §3), matching (§4)."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from sync_core import (
    Change,
    FieldSpec,
    build_index,
    canonical,
    canonical_record,
    decide_newer,
    dump_base,
    is_other_record,
    load_base,
    match,
    merge,
    normalise_email,
    normalise_phone,
    normalise_vat,
)

SPECS = [
    FieldSpec("name"),
    FieldSpec("phone"),
    FieldSpec("email"),
    FieldSpec("payment_terms", "ref", key="paymentTermsNumber"),
    FieldSpec("credit_limit", "decimal"),
    FieldSpec("barred", "bool"),
]

BASE = {
    "name": "Acme",
    "phone": "11111111",
    "email": "a@acme.dk",
    "payment_terms": 1,
    "credit_limit": Decimal("1000.00"),
    "barred": False,
}


def rec(**changes):
    values = dict(BASE)
    values.update(changes)
    return values


def run(
    base=BASE, local=None, remote=None, *, pull=True, push=True, strategy="economic_wins", **kw
):
    return merge(
        SPECS,
        base,
        local if local is not None else dict(BASE),
        remote if remote is not None else dict(BASE),
        pull=pull,
        push=push,
        strategy=strategy,
        **kw,
    )


# --------------------------------------------------------------------------- canonical forms


class TestCanonical:
    def test_decimal_places_make_equal_values_equal(self):
        spec = FieldSpec("amount", "decimal")
        assert canonical(spec, Decimal("100.000000")) == canonical(spec, 100) == Decimal("100")
        assert str(canonical(spec, Decimal("100.000000"))) == "100.00"
        assert canonical(spec, 100.0) == canonical(spec, "100") == Decimal("100.00")
        assert canonical(spec, 0.1 + 0.2) == Decimal("0.30")
        assert canonical(spec, Decimal("2.345")) == Decimal("2.35")  # half up
        assert str(canonical(spec, -0.001)) == "0.00"

    def test_decimal_places_per_field(self):
        spec = FieldSpec("price", "decimal", places=4)
        assert str(canonical(spec, 1.23456)) == "1.2346"
        assert canonical(spec, Decimal("1.23454")) != canonical(spec, Decimal("1.23456"))

    def test_string_whitespace_and_newlines(self):
        spec = FieldSpec("address")
        assert canonical(spec, "  Vej 1\r\n2100 Kbh \r") == "Vej 1\n2100 Kbh"
        assert canonical(spec, "Vej 1\r2100") == canonical(spec, "Vej 1\n2100")

    def test_empty_string_none_and_false_are_the_same(self):
        spec = FieldSpec("phone")
        assert canonical(spec, "") is None
        assert canonical(spec, "   ") is None
        assert canonical(spec, None) is None
        assert canonical(spec, False) is None
        assert canonical(FieldSpec("amount", "decimal"), "") is None
        assert canonical(FieldSpec("n", "int"), False) is None

    def test_absent_boolean_is_false(self):
        spec = FieldSpec("barred", "bool")
        assert canonical(spec, None) is False
        assert canonical(spec, True) is True
        assert canonical(spec, "false") is False

    def test_int(self):
        spec = FieldSpec("n", "int")
        assert canonical(spec, " 12 ") == 12
        assert canonical(spec, 12.0) == 12
        with pytest.raises(ValueError):
            canonical(spec, 12.5)

    def test_dates_and_datetimes_as_iso_utc_seconds(self):
        spec = FieldSpec("when", "date")
        assert canonical(spec, date(2024, 3, 1)) == "2024-03-01"
        assert canonical(spec, "2024-03-01") == "2024-03-01"
        cph = timezone(timedelta(hours=1))
        aware = datetime(2024, 3, 1, 10, 0, 5, 999999, tzinfo=cph)
        assert canonical(spec, aware) == "2024-03-01T09:00:05Z"
        assert canonical(spec, datetime(2024, 3, 1, 9, 0, 5)) == "2024-03-01T09:00:05Z"
        assert canonical(spec, "2024-03-01T09:00:05.123Z") == "2024-03-01T09:00:05Z"
        assert canonical(spec, "2024-03-01T10:00:05+01:00") == "2024-03-01T09:00:05Z"
        assert canonical(FieldSpec("at", "datetime"), date(2024, 3, 1)) == "2024-03-01T00:00:00Z"

    def test_reference_is_its_key(self):
        assert (
            canonical(
                FieldSpec("group", "ref"),
                {"customerGroupNumber": 1, "self": "https://x/customer-groups/1"},
            )
            == 1
        )
        assert canonical(FieldSpec("group", "ref"), 1) == 1
        assert canonical(FieldSpec("group", "ref"), None) is None
        spec = FieldSpec("zone", "ref", key="vatZoneNumber")
        assert canonical(spec, {"vatZoneNumber": 2, "name": "EU", "enabledForCustomer": True}) == 2
        assert canonical(FieldSpec("currency", "ref", key="code"), {"code": " DKK "}) == "DKK"

    def test_canonical_is_idempotent(self):
        cases = [
            (FieldSpec("s"), " a\r\nb "),
            (FieldSpec("d", "decimal"), 1.005),
            (FieldSpec("t", "date"), datetime(2024, 1, 1, 12, 30)),
            (FieldSpec("r", "ref"), {"layoutNumber": 19}),
            (FieldSpec("b", "bool"), None),
        ]
        for spec, raw in cases:
            once = canonical(spec, raw)
            assert canonical(spec, once) == once

    def test_canonical_record_fills_missing_fields(self):
        record = canonical_record(
            SPECS,
            {
                "name": " Acme ",
                "paymentTerms": "ignored",
                "payment_terms": {"paymentTermsNumber": 3},
            },
        )
        assert record == {
            "name": "Acme",
            "phone": None,
            "email": None,
            "payment_terms": 3,
            "credit_limit": None,
            "barred": False,
        }

    def test_unknown_kind_rejected(self):
        with pytest.raises(ValueError):
            FieldSpec("x", "float")


class TestBaseJson:
    def test_round_trip_keeps_decimals_exact(self):
        base = {
            "amount": Decimal("100.00"),
            "rate": Decimal("0.1235"),
            "name": "Æblegård",
            "n": 7,
            "barred": False,
            "phone": None,
            "date": "2024-03-01",
        }
        loaded = load_base(dump_base(base))
        assert loaded == base
        assert str(loaded["amount"]) == "100.00"
        assert isinstance(loaded["rate"], Decimal)

    def test_empty_base(self):
        assert load_base(None) == {}
        assert load_base("") == {}
        assert load_base(False) == {}
        assert load_base(dump_base(None)) == {}

    def test_stable_text(self):
        assert dump_base({"b": 1, "a": 2}) == dump_base({"a": 2, "b": 1})


# --------------------------------------------------------------------------- merge, rules §3.1-6


class TestRules:
    def test_rule1_nothing_changed(self):
        result = run()
        assert result.unchanged
        assert result.to_local == {} and result.to_remote == {} and result.conflicts == []
        assert result.new_base() == BASE

    def test_rule2_only_remote_changed_is_pulled(self):
        result = run(remote=rec(name="Acme A/S"))
        assert result.to_local == {"name": "Acme A/S"}
        assert result.to_remote == {}
        assert result.changes == [Change("name", "local", "Acme", "Acme A/S")]
        assert result.new_base()["name"] == "Acme A/S"

    def test_rule2_pull_off_writes_nothing_and_keeps_base(self):
        result = run(remote=rec(name="Acme A/S"), pull=False)
        assert result.to_local == {}
        assert result.held == {"name": "remote"}
        assert result.new_base() == BASE

    def test_rule3_only_local_changed_is_pushed(self):
        result = run(local=rec(phone="22222222"))
        assert result.to_remote == {"phone": "22222222"}
        assert result.to_local == {}
        assert result.changes == [Change("phone", "remote", "11111111", "22222222")]
        assert result.new_base()["phone"] == "22222222"

    def test_rule3_push_off_keeps_local_and_base(self):
        result = run(local=rec(phone="22222222"), push=False)
        assert result.to_remote == {} and result.to_local == {}
        assert result.held == {"phone": "local"}
        assert result.new_base() == BASE  # found again next pass

    def test_rule3_stale_pull_never_overwrites_a_local_edit(self):
        # The remote snapshot was fetched before the seller edited the phone in Odoo.
        result = run(local=rec(phone="22222222"), remote=rec(phone="11111111"), push=False)
        assert "phone" not in result.to_local
        assert result.conflicts == []
        assert result.new_base()["phone"] == "11111111"

    def test_rule4_both_changed_different_fields_the_seed_scenario(self):
        # The seller changed the phone in Odoo, the bookkeeper the payment terms in e-conomic.
        local = rec(phone="22222222")
        remote = rec(payment_terms={"paymentTermsNumber": 5, "self": "https://x/payment-terms/5"})
        result = run(local=local, remote=remote, strategy=None)
        assert result.to_remote == {"phone": "22222222"}
        assert result.to_local == {"payment_terms": 5}
        assert result.conflicts == []
        new = result.new_base()
        assert new["phone"] == "22222222" and new["payment_terms"] == 5
        assert new["name"] == "Acme"

    def test_rule4_within_pull_and_push(self):
        result = run(local=rec(phone="22222222"), remote=rec(payment_terms=5), push=False)
        assert result.to_remote == {}
        assert result.to_local == {"payment_terms": 5}
        new = result.new_base()
        assert new["payment_terms"] == 5 and new["phone"] == "11111111"

    def test_rule5_same_field_same_value_is_no_conflict(self):
        result = run(local=rec(email="new@acme.dk"), remote=rec(email=" new@acme.dk "))
        assert result.conflicts == []
        assert result.to_local == {} and result.to_remote == {}
        assert not result.unchanged  # the base moves
        assert result.new_base()["email"] == "new@acme.dk"

    def test_rule5_same_field_different_values_is_a_recorded_conflict(self):
        result = run(local=rec(name="Acme Local"), remote=rec(name="Acme Remote"))
        assert len(result.conflicts) == 1
        conflict = result.conflicts[0]
        assert (conflict.field, conflict.base, conflict.local, conflict.remote) == (
            "name",
            "Acme",
            "Acme Local",
            "Acme Remote",
        )
        assert conflict.decision == "remote" and conflict.strategy == "economic_wins"

    def test_rule6_base_is_what_both_sides_hold(self):
        result = run(local=rec(phone="22222222"), remote=rec(name="Acme A/S", credit_limit="5000"))
        new = result.new_base()
        assert new == rec(phone="22222222", name="Acme A/S", credit_limit=Decimal("5000.00"))

    def test_rule6_failed_writes_keep_the_old_base(self):
        result = run(local=rec(phone="22222222"), remote=rec(name="Acme A/S"))
        assert result.new_base(remote_written=False) == rec(name="Acme A/S")
        assert result.new_base(local_written=False) == rec(phone="22222222")
        assert result.new_base(local_written=False, remote_written=False) == BASE

    def test_canonical_equality_means_no_change(self):
        local = rec(credit_limit=1000.0, phone=" 11111111 ", barred=None)
        remote = rec(credit_limit=Decimal("1000.000000"), email="a@acme.dk\r\n")
        assert run(local=local, remote=remote).unchanged


class TestStrategies:
    local = rec(name="Acme Local")
    remote = rec(name="Acme Remote")

    def conflict(self, strategy, **kw):
        result = run(local=self.local, remote=self.remote, strategy=strategy, **kw)
        assert len(result.conflicts) == 1
        return result, result.conflicts[0]

    def test_economic_wins_takes_remote(self):
        result, conflict = self.conflict("economic_wins")
        assert conflict.decision == "remote" and conflict.applied
        assert result.to_local == {"name": "Acme Remote"} and result.to_remote == {}
        assert result.new_base()["name"] == "Acme Remote"

    def test_local_wins_takes_local(self):
        result, conflict = self.conflict("local_wins")
        assert conflict.decision == "local" and conflict.applied
        assert result.to_remote == {"name": "Acme Local"} and result.to_local == {}
        assert result.new_base()["name"] == "Acme Local"

    def test_newer_wins_local_newer(self):
        t = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
        result, conflict = self.conflict(
            "newer_wins", local_changed_at=t + timedelta(seconds=1), remote_changed_at=t
        )
        assert conflict.decision == "local"
        assert result.to_remote == {"name": "Acme Local"}

    def test_newer_wins_remote_newer_naive_and_aware_mixed(self):
        # Odoo's write_date is naive UTC; e-conomic's lastUpdated is an ISO string with Z.
        result, conflict = self.conflict(
            "newer_wins",
            local_changed_at=datetime(2024, 5, 1, 12, 0),
            remote_changed_at="2024-05-01T12:00:01Z",
        )
        assert conflict.decision == "remote"
        assert result.to_local == {"name": "Acme Remote"}

    def test_newer_wins_timezones_compared_in_utc(self):
        # 13:30 in Copenhagen (+01:00) is 12:30 UTC, later than 12:00 UTC.
        result, conflict = self.conflict(
            "newer_wins",
            local_changed_at="2024-01-15T13:30:00+01:00",
            remote_changed_at=datetime(2024, 1, 15, 12, 0),
        )
        assert conflict.decision == "local"

    def test_newer_wins_tie_goes_to_economic(self):
        t = datetime(2024, 5, 1, 12, 0)
        result, conflict = self.conflict(
            "newer_wins", local_changed_at=t, remote_changed_at=t.replace(tzinfo=timezone.utc)
        )
        assert conflict.decision == "remote"
        assert result.to_local == {"name": "Acme Remote"}

    def test_newer_wins_same_second_is_a_tie(self):
        # Odoo's write date has microseconds, e-conomic's lastUpdated whole seconds: an Odoo
        # edit 0.7 s into the second e-conomic stamped is the same second, a tie (e-conomic)
        result, conflict = self.conflict(
            "newer_wins",
            local_changed_at=datetime(2024, 5, 1, 12, 0, 0, 700000),
            remote_changed_at="2024-05-01T12:00:00Z",
        )
        assert conflict.decision == "remote"
        assert result.to_local == {"name": "Acme Remote"}

    def test_newer_wins_missing_stamps(self):
        t = datetime(2024, 5, 1, 12, 0)
        assert decide_newer(t, None) == "local"
        assert decide_newer(None, t) == "remote"
        assert decide_newer(None, None) == "remote"

    def test_newer_wins_per_field_stamps(self):
        t = datetime(2024, 5, 1, 12, 0)
        result, conflict = self.conflict(
            "newer_wins",
            local_changed_at={"name": t},
            remote_changed_at={"name": t - timedelta(hours=1)},
        )
        assert conflict.decision == "local"

    def test_read_only_takes_remote_and_never_pushes(self):
        local = rec(name="Acme Local", phone="22222222")
        result = run(local=local, remote=self.remote, strategy="read_only", push=True)
        assert result.conflicts[0].decision == "remote"
        assert result.to_local == {"name": "Acme Remote"}
        assert result.to_remote == {}  # not even the one-sided phone change
        assert result.held == {"phone": "local"}
        assert result.new_base()["phone"] == "11111111"

    def test_no_strategy_is_undecided_and_writes_nothing(self):
        result, conflict = self.conflict(None)
        assert conflict.decision == "undecided" and not conflict.applied
        assert conflict.strategy is None
        assert result.to_local == {} and result.to_remote == {}
        assert result.new_base()["name"] == "Acme"
        assert not result.unchanged

    def test_local_winner_with_push_off_keeps_base(self):
        result, conflict = self.conflict("local_wins", push=False)
        assert conflict.decision == "local" and not conflict.applied
        assert result.to_remote == {} and result.to_local == {}
        assert result.new_base()["name"] == "Acme"

    def test_remote_winner_with_pull_off_keeps_base(self):
        result, conflict = self.conflict("economic_wins", pull=False)
        assert conflict.decision == "remote" and not conflict.applied
        assert result.to_local == {} and result.to_remote == {}
        assert result.new_base()["name"] == "Acme"

    def test_override_reverses_the_strategy(self):
        result, conflict = self.conflict("economic_wins", overrides={"name": "local"})
        assert conflict.decision == "local" and conflict.overridden
        assert result.to_remote == {"name": "Acme Local"} and result.to_local == {}
        assert result.new_base()["name"] == "Acme Local"

    def test_override_decides_an_undecided_conflict(self):
        result, conflict = self.conflict(None, overrides={"name": "remote"})
        assert conflict.decision == "remote" and conflict.applied
        assert result.to_local == {"name": "Acme Remote"}

    def test_override_does_not_revert_a_one_sided_change(self):
        result = run(remote=rec(name="Acme A/S"), overrides={"name": "local"})
        assert result.to_local == {"name": "Acme A/S"} and result.to_remote == {}
        assert result.conflicts == []

    def test_bad_strategy_and_override_rejected(self):
        with pytest.raises(ValueError):
            run(strategy="odoo_wins")
        with pytest.raises(ValueError):
            run(overrides={"name": "both"})


class TestInitialBind:
    def test_equal_fields_agree_and_become_the_base(self):
        local = rec(credit_limit=1000)
        remote = rec(credit_limit="1000.0000")
        result = merge(SPECS, None, local, remote, pull=True, push=False, strategy=None)
        assert result.conflicts == [] and result.to_local == {} and result.to_remote == {}
        assert result.new_base() == BASE

    def test_difference_without_strategy_pulls_remote_when_pull_on(self):
        result = merge(
            SPECS, {}, rec(phone="22222222"), rec(), pull=True, push=False, strategy=None
        )
        assert result.to_local == {"phone": "11111111"}
        conflict = result.conflicts[0]
        assert conflict.initial and conflict.decision == "remote" and conflict.base is None
        assert result.new_base() == BASE

    def test_difference_without_strategy_keeps_local_when_pull_off(self):
        result = merge(
            SPECS, {}, rec(phone="22222222"), rec(), pull=False, push=False, strategy=None
        )
        assert result.to_local == {} and result.to_remote == {}
        assert "phone" not in result.new_base()
        assert result.new_base()["name"] == "Acme"

    def test_difference_without_strategy_and_push_on_is_undecided(self):
        result = merge(SPECS, {}, rec(phone="22222222"), rec(), pull=True, push=True, strategy=None)
        assert result.conflicts[0].decision == "undecided"
        assert result.to_local == {} and result.to_remote == {}

    def test_difference_follows_the_strategy(self):
        result = merge(
            SPECS, {}, rec(phone="22222222"), rec(), pull=True, push=True, strategy="local_wins"
        )
        assert result.to_remote == {"phone": "22222222"}
        assert result.new_base()["phone"] == "22222222"

    def test_field_added_to_the_synced_set_is_bound_like_a_new_record(self):
        base = {k: v for k, v in BASE.items() if k != "email"}
        result = run(base=base, local=rec(email="x@acme.dk"), pull=True, push=False, strategy=None)
        assert result.to_local == {"email": "a@acme.dk"}
        assert result.new_base() == BASE

    def test_base_from_json_drives_the_next_pass(self):
        first = run(remote=rec(credit_limit=Decimal("2500.5")))
        stored = dump_base(first.new_base())
        second = run(
            base=load_base(stored),
            local=rec(credit_limit=Decimal("2500.50")),
            remote=rec(credit_limit=2500.5),
        )
        assert second.unchanged


# --------------------------------------------------------------------------- matching §4

KEYS = ["customer_number", "vat", "email", "phone"]

CANDIDATES = [
    {
        "id": 1,
        "customer_number": 101,
        "vat": "DK12345678",
        "email": "info@acme.dk",
        "phone": "+45 12 34 56 78",
    },
    {
        "id": 2,
        "customer_number": 102,
        "vat": None,
        "email": "Sales@Beta.dk, boss@beta.dk",
        "phone": "87654321",
    },
    {"id": 3, "customer_number": 103, "vat": "55555555", "email": "shared@group.dk", "phone": None},
    {
        "id": 4,
        "customer_number": 104,
        "vat": "55 55 55 55",
        "email": "shared@group.dk",
        "phone": "0046 70 123 45 67",
    },
]


def index(**kw):
    return build_index(CANDIDATES, KEYS, lambda r: r["id"], **kw)


def find(values, **kw):
    kw.setdefault("country", "DK")
    kw.setdefault("default_country_code", "45")
    idx = index(country=kw["country"], default_country_code=kw["default_country_code"])
    return match(KEYS, values, idx, **kw)


class TestMatching:
    def test_unique_match_binds(self):
        result = find({"customer_number": "101"})
        assert (result.status, result.ids, result.key) == ("unique", (1,), "customer_number")

    def test_ambiguous_is_reported_with_every_candidate(self):
        result = find({"vat": "55555555"})
        assert result.status == "ambiguous"
        assert set(result.ids) == {3, 4} and result.key == "vat"

    def test_none_when_no_key_finds_anything(self):
        result = find(
            {"customer_number": 999, "vat": "DK99999999", "email": "x@y.dk", "phone": "99999999"}
        )
        assert (result.status, result.ids, result.key) == ("none", (), None)

    def test_keys_are_tried_in_order(self):
        # The customer number is present and unique: it decides, though the email is ambiguous.
        assert find({"customer_number": 103, "email": "shared@group.dk"}).ids == (3,)
        # Absent values pass to the next key.
        result = find({"customer_number": None, "vat": "", "email": "shared@group.dk"})
        assert (result.status, result.key) == ("ambiguous", "email")
        # A present value without candidates passes too.
        result = find({"customer_number": 999, "email": "info@acme.dk"})
        assert (result.status, result.ids, result.key) == ("unique", (1,), "email")

    def test_first_deciding_key_wins_even_if_a_later_one_would_be_unique(self):
        result = find({"email": "shared@group.dk", "phone": "+46 70 123 45 67"})
        assert result.status == "ambiguous" and result.key == "email"

    def test_email_normalisation(self):
        assert normalise_email(" Info@ACME.dk ") == ("info@acme.dk",)
        assert normalise_email("a@x.dk, b@x.dk;c@x.dk d@x.dk") == (
            "a@x.dk",
            "b@x.dk",
            "c@x.dk",
            "d@x.dk",
        )
        assert find({"email": "BOSS@beta.dk"}).ids == (2,)
        assert find({"email": "other@x.dk sales@beta.dk"}).ids == (2,)

    def test_phone_normalisation(self):
        assert normalise_phone("+45 12 34 56 78", "45") == normalise_phone("12345678", "45")
        assert normalise_phone("0045 12345678", 45) == ("12345678",)
        assert normalise_phone("+46 70 123 45 67", "45") == ("+46701234567",)
        assert normalise_phone("+46 70 123 45 67", "45") != normalise_phone("46701234567", "45")
        assert normalise_phone("+45 12 34 56 78", country="DK") == ("12345678",)
        assert find({"phone": "12 34 56 78"}).ids == (1,)
        assert find({"phone": "+4587654321"}).ids == (2,)
        assert find({"phone": "+46701234567"}).ids == (4,)

    def test_vat_normalisation(self):
        assert normalise_vat("DK12345678", "DK") == normalise_vat("12345678", "DK") == ("12345678",)
        assert normalise_vat("dk-1234 5678", "DK") == ("12345678",)
        assert normalise_vat("SE556677889901", "DK") == ("SE556677889901",)
        assert normalise_vat("EL123456789", "GR") == ("123456789",)
        assert find({"vat": "12345678"}).ids == (1,)
        assert find({"vat": "DK 12 34 56 78"}).ids == (1,)

    def test_customer_number_is_an_int(self):
        assert find({"customer_number": " 102 "}).ids == (2,)
        assert find({"customer_number": 102.0}).ids == (2,)
        assert find({"customer_number": 0, "email": "info@acme.dk"}).key == "email"

    def test_build_index_reads_the_records_once(self):
        seen = []

        def records():
            for r in CANDIDATES:
                seen.append(r["id"])
                yield r

        idx = build_index(
            records(), KEYS, lambda r: r["id"], country="DK", default_country_code="45"
        )
        assert seen == [1, 2, 3, 4]
        assert idx["customer_number"][101] == [1]
        assert idx["vat"]["55555555"] == [3, 4]
        assert idx["email"]["boss@beta.dk"] == [2]
        assert idx["phone"]["12345678"] == [1]

    def test_exclude_the_record_itself(self):
        result = find({"vat": "55555555"}, exclude=[3])
        assert (result.status, result.ids) == ("unique", (4,))

    def test_value_of_reads_raw_records(self):
        raw = [{"customerNumber": 7, "corporateIdentificationNumber": "DK11223344"}]
        fields = {"customer_number": "customerNumber", "vat": "corporateIdentificationNumber"}
        idx = build_index(
            raw,
            ["customer_number", "vat"],
            lambda r: r["customerNumber"],
            value_of=lambda r, k: r.get(fields[k]),
            country="DK",
        )
        result = match(["customer_number", "vat"], {"vat": "11223344"}, idx, country="DK")
        assert (result.status, result.ids, result.key) == ("unique", (7,), "vat")


class TestIsOtherRecord:
    """A reused e-conomic number: the record now at a bound number is another record."""

    keys = ("corporateIdentificationNumber", "email", "telephoneAndFaxNumber")
    base = {"name": "Hansen & Søn A/S", "corporateIdentificationNumber": "12345678", "email": None}

    def test_same_name_is_the_same_record(self):
        remote = {"name": "hansen  &  søn a/s", "corporateIdentificationNumber": "87654321"}
        assert not is_other_record(self.base, remote, self.keys)

    def test_rename_with_the_same_cvr_is_the_same_record(self):
        remote = {"name": "Hansen Holding A/S", "corporateIdentificationNumber": "12345678"}
        assert not is_other_record(self.base, remote, self.keys)

    def test_other_name_and_other_cvr_is_another_record(self):
        remote = {"name": "Jensen ApS", "corporateIdentificationNumber": "99999999"}
        assert is_other_record(self.base, remote, self.keys)

    def test_rename_without_shared_keys_stays_the_same_record(self):
        remote = {"name": "Jensen ApS", "email": "info@jensen.dk"}
        assert not is_other_record(self.base, remote, self.keys)

    def test_number_seen_deleted_then_other_name_is_another_record(self):
        remote = {"name": "Jensen ApS"}
        assert is_other_record(self.base, remote, self.keys, deleted=True)
        assert not is_other_record(self.base, dict(self.base), self.keys, deleted=True)

    def test_no_base_is_the_same_record(self):
        assert not is_other_record({}, {"name": "X"}, self.keys, deleted=True)
