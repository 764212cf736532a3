"""The sandbox books a shop's day as e-conomic does (issue 18 §4): one voucher of one-sided
finance vouchers (``POST /journals/{n}/vouchers`` answers the array of vouchers), booking the
journal turns the drafts into ledger entries and refuses a voucher that does not balance, a
draft entry can be deleted, and the cash customer 99999999 is not in the seeds (so a missing
cash customer can be tested). Answers checked against e-conomic's published schemas."""

import datetime
from decimal import Decimal

import pytest
import requests

from economic_client import EconomicError, F, NotFoundError

D = Decimal
#: the sandbox's journal 1 ("Daglig") takes any entry and has no default contra account
DAILY = 1
CASH_CUSTOMER = 99999999


def _day():
    return datetime.date.today().isoformat()


def _year():
    return str(datetime.date.today().year)


def _entry(account, amount, vno, vat=None, text="Kasse"):
    e = {
        "account": {"accountNumber": account},
        "amount": amount,
        "currency": {"code": "DKK"},
        "date": _day(),
        "text": text,
        "voucher": {"voucherNumber": vno},
    }
    if vat:
        e["vatAccount"] = {"vatCode": vat}
    return e


def _day_voucher(vno, cash="1250.00", card="250.00"):
    """A shop's day: cash and card debited, sales with 25 % VAT and without credited, gross."""
    return {
        "accountingYear": {"year": _year()},
        "entries": {
            "financeVouchers": [
                _entry(5810, D(cash), vno, text="Kasse: Cash"),
                _entry(5820, D(card), vno, text="Kasse: Card"),
                _entry(1010, -D("1250.00"), vno, "U25", text="Kasse: 25%"),
                _entry(1030, -D("250.00"), vno, text="Kasse: 0%"),
            ]
        },
    }


def test_one_voucher_of_one_sided_entries_is_answered_as_an_array(client, admin, schema):
    body = _day_voucher(7001)
    schema("journals.journalNumber.vouchers.post", body)
    made = client.journals.vouchers(DAILY).create(body)
    assert isinstance(made, list) and len(made) == 1
    voucher = made[0]
    assert voucher["voucherNumber"] == 7001
    entries = voucher["entries"]["financeVouchers"]
    assert [e["amount"] for e in entries] == [
        D("1250.00"),
        D("250.00"),
        D("-1250.00"),
        D("-250.00"),
    ]
    assert all("contraAccount" not in e for e in entries)
    assert all(e["voucher"]["voucherNumber"] == 7001 for e in entries)
    assert len({e["journalEntryNumber"] for e in entries}) == 4
    assert entries[2]["vatAccount"]["vatCode"] == "U25"
    schema("journals.journalNumber.vouchers.accountingYear-voucherNumber.get", voucher)
    for e in entries:
        schema("journals.journalNumber.entries.entryNumber.get", e)
    assert client.journals.voucher(DAILY, _year(), 7001) == voucher
    # the journal's next number is past the one given
    auto = client.journals.vouchers(DAILY).create(
        {
            "accountingYear": {"year": _year()},
            "entries": {"financeVouchers": [dict(_entry(5810, 1, 1), voucher={})]},
        }
    )
    assert auto[0]["voucherNumber"] == 7002


def test_the_voucher_number_of_the_body_groups_its_entries(client, admin):
    body = _day_voucher(None)
    for e in body["entries"]["financeVouchers"]:
        del e["voucher"]
    body["voucherNumber"] = 8100
    made = client.journals.vouchers(DAILY).create(body)
    assert [v["voucherNumber"] for v in made] == [8100]
    assert len(made[0]["entries"]["financeVouchers"]) == 4


def test_booking_turns_the_drafts_into_entries_with_the_vat_split(client, admin):
    made = client.journals.vouchers(DAILY).create(_day_voucher(7100))
    out = admin.call("POST", "/journals/book", {"journal": DAILY})
    assert (out["fromSerialNo"], out["toSerialNo"]) == (7100, 7100)
    assert client.journals.entries(DAILY).list() == []
    with pytest.raises(NotFoundError):
        client.journals.voucher(DAILY, _year(), made[0]["voucherNumber"])
    booked = client.accounting_years.entries(_year()).list(
        filter=F("voucherNumber").eq(7100), sort="entryNumber"
    )
    assert sum(e["amount"] for e in booked) == 0
    by_account = {e["account"]["accountNumber"]: e["amount"] for e in booked}
    # e-conomic splits the VAT off the gross: 1250 × 25 / 125
    assert by_account == {
        5810: D("1250.00"),
        5820: D("250.00"),
        1010: D("-1000.00"),
        6902: D("-250.00"),
        1030: D("-250.00"),
    }
    assert all(e["entryType"] == "financeVoucher" for e in booked)


def test_an_unbalanced_voucher_refuses_the_booking_and_a_draft_entry_can_be_deleted(client, admin):
    good = client.journals.vouchers(DAILY).create(_day_voucher(7200))
    bad = client.journals.vouchers(DAILY).create(_day_voucher(7201, cash="1249.99"))
    before = client.accounting_years.entries(_year()).count()
    answer = requests.post(admin.url + "/journals/book", json={"journal": DAILY}, timeout=10)
    assert answer.status_code == 400
    assert "7201" in answer.text and "0.01" in answer.text
    # nothing booked, every draft still there
    assert client.accounting_years.entries(_year()).count() == before
    assert len(client.journals.entries(DAILY).list()) == 8
    # the bad voucher's drafts deleted (204), the good one books
    for e in bad[0]["entries"]["financeVouchers"]:
        assert client.journals.entries(DAILY).delete(e["journalEntryNumber"]) in (None, {}, "")
    with pytest.raises(NotFoundError):
        client.journals.entries(DAILY).get(
            bad[0]["entries"]["financeVouchers"][0]["journalEntryNumber"]
        )
    out = admin.call("POST", "/journals/book", {"journal": DAILY})
    assert (out["fromSerialNo"], out["toSerialNo"]) == (7200, 7200)
    assert len(out["entries"]) == len(good[0]["entries"]["financeVouchers"]) + 1  # + the VAT


def test_the_cash_customer_is_not_in_the_seeds(client, admin):
    with pytest.raises(NotFoundError):
        client.customers.get(CASH_CUSTOMER)
    admin.reset(seed="empty", customers=30)
    with pytest.raises(NotFoundError):
        client.customers.get(CASH_CUSTOMER)
    # it can be made with its number (what the connection's button does)
    group = client.customer_groups.list()[0]["customerGroupNumber"]
    made = client.customers.create(
        {
            "customerNumber": CASH_CUSTOMER,
            "name": "Kontantsalg",
            "currency": "DKK",
            "customerGroup": {"customerGroupNumber": group},
            "paymentTerms": {"paymentTermsNumber": 1},
            "vatZone": {"vatZoneNumber": 1},
        }
    )
    assert made["customerNumber"] == CASH_CUSTOMER
    assert client.customers.get(CASH_CUSTOMER)["name"] == "Kontantsalg"
    with pytest.raises(EconomicError):
        client.customers.create(dict(made, name="Again"))
