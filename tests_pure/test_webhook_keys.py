"""The webhook declarations' pure parts (issue 16): ``WebhookEvent`` (merge fields by their
accepted names, the webhooks API's body) and each entity package's key parser, which turns a
request's merge fields into ``(key, old key)`` or refuses it (the controller answers 400)."""

import importlib
import importlib.abc
import importlib.machinery
import json
import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: the addon's folders, imported as bare packages under this name
ROOT = "economic_sync_pure"


class _BarePackages(importlib.abc.MetaPathFinder):
    """The addon's folders as packages whose ``__init__`` is not run (it imports Odoo): a pure
    module of an Odoo package, and the pure modules it imports, load alone."""

    def find_spec(self, name, path=None, target=None):
        if name != ROOT and not name.startswith(ROOT + "."):
            return None
        folder = os.path.join(REPO, *name.split(".")[1:])
        if not os.path.isdir(folder):
            return None  # a module: found in its package's folder as usual
        spec = importlib.machinery.ModuleSpec(name, None, is_package=True)
        spec.submodule_search_locations = [folder]
        return spec


def addon_module(dotted):
    """A pure module of the addon (``models.sync_partner.webhook_keys``), without Odoo."""
    if not any(isinstance(finder, _BarePackages) for finder in sys.meta_path):
        sys.meta_path.insert(0, _BarePackages())
    return importlib.import_module("%s.%s" % (ROOT, dotted))


declaration = addon_module("models.webhooks.declaration")
customer_keys = addon_module("models.sync_partner.webhook_keys").customer_keys
product_keys = addon_module("models.sync_product.webhook_keys").product_keys
invoice_keys = addon_module("models.sync_invoice.webhook_keys").invoice_keys
daybook_keys = addon_module("models.sync_entry.webhook_keys").daybook_keys


def customer_event(**changes):
    values = dict(
        type="customer_updated",
        segment="customer-updated",
        api_type="CUSTOMER_UPDATED",
        label="Customer updated",
        entity="customer",
        merge_fields="new=[NEWNUMBER]&old=[OLDNUMBER]",
        aliases={"new": ("new", "newnumber"), "old": ("old", "oldnumber")},
        keys=customer_keys,
    )
    values.update(changes)
    return declaration.WebhookEvent(**values)


# ---------------------------------------------------------------- numbers
@pytest.mark.parametrize(
    "value,key", [("2", "2"), ("0042", "42"), (str(declaration.MAX_INT), "999999999")]
)
def test_number_accepts_a_positive_number_up_to_economics_largest(value, key):
    assert declaration.number(value, "new") == key


@pytest.mark.parametrize(
    "value,message",
    [
        (None, "new is missing"),
        ("abc", "new must be a number, not 'abc'"),
        ("-3", "new must be a number, not '-3'"),
        ("0", "new must be a number, not '0'"),
        ("1000000000", "new must be a number, not '1000000000'"),
        ("[NEWNUMBER]", "new must be a number, not '[NEWNUMBER]'"),
        ("9" * 60, "new must be a number, not '%s'" % ("9" * 40)),
    ],
)
def test_number_refuses_what_is_not_a_record_number(value, message):
    with pytest.raises(ValueError) as error:
        declaration.number(value, "new")
    assert str(error.value) == message


# ---------------------------------------------------------------- the entities' parsers
def test_customer_keys():
    assert customer_keys({"new": "3"}) == ("3", "3")
    assert customer_keys({"new": "3003", "old": "3"}) == ("3003", "3")
    assert customer_keys({"new": "07", "old": "07"}) == ("7", "7")
    for values, what in (
        ({}, "new is missing"),
        ({"old": "3"}, "new is missing"),
        ({"new": "abc"}, "new must be a number"),
        ({"new": "2", "old": "x"}, "old must be a number"),
    ):
        with pytest.raises(ValueError, match=what):
            customer_keys(values)


def test_product_keys_are_text():
    assert product_keys({"new": "50"}) == ("50", "50")
    assert product_keys({"new": "P-100 Æble", "old": "P-1"}) == ("P-100 Æble", "P-1")
    assert product_keys({"new": "x" * 25}) == ("x" * 25, "x" * 25)
    for values, what in (
        ({}, "new must be a product number"),
        ({"new": "[NEWNUMBER]"}, "new must be a product number"),
        ({"new": "x" * 26}, "new must be a product number"),
        ({"new": "a\x07b"}, "new must be a product number"),
        ({"new": "50", "old": "[OLDNUMBER]"}, "old must be a product number"),
    ):
        with pytest.raises(ValueError, match=what):
            product_keys(values)


def test_invoice_keys():
    assert invoice_keys({"invoice": "7"}) == ("7", None)
    with pytest.raises(ValueError, match="invoice is missing"):
        invoice_keys({})
    with pytest.raises(ValueError, match="invoice must be a number"):
        invoice_keys({"invoice": "[INVOICENO]"})


def test_daybook_keys():
    assert daybook_keys({"daybook": "1", "from": "10", "to": "12"}) == ("1:10-12", None)
    for values, what in (
        ({"from": "10", "to": "12"}, "daybook is missing"),
        ({"daybook": "1", "to": "12"}, "from is missing"),
        ({"daybook": "1", "from": "10", "to": "x"}, "to must be a number"),
    ):
        with pytest.raises(ValueError, match=what):
            daybook_keys(values)


# ---------------------------------------------------------------- the declaration
def test_merge_fields_are_read_by_their_accepted_names():
    event = customer_event()
    # e-conomic's own names, a JSON body's numbers, surrounding blanks; unknown names ignored
    assert event.values({"newnumber": " 3003 ", "oldnumber": 3, "other": "x"}) == {
        "new": "3003",
        "old": "3",
    }
    # the first accepted name with a value wins; an empty value counts as none
    assert event.values({"new": "", "newnumber": "5", "old": None}) == {"new": "5"}
    assert event.values({"new": "4", "newnumber": "5"}) == {"new": "4"}
    assert event.parse({"newnumber": "3003", "oldnumber": "3"}) == ("3003", "3")
    with pytest.raises(ValueError, match="new is missing"):
        event.parse({"number": "3"})


def test_the_webhooks_api_body_holds_the_urls_merge_fields():
    assert customer_event().post_data() == '{"new": "[NEWNUMBER]", "old": "[OLDNUMBER]"}'
    daybook = customer_event(merge_fields="daybook=[DAYBOOKNO]&from=[FROMSERIALNO]&to=[TOSERIALNO]")
    assert json.loads(daybook.post_data()) == {
        "daybook": "[DAYBOOKNO]",
        "from": "[FROMSERIALNO]",
        "to": "[TOSERIALNO]",
    }


def test_a_whole_entity_event_passes_its_related_entities():
    assert customer_event().pass_entities() == ["customer"]
    related = customer_event(related=("customer", "customer_contact"))
    assert related.pass_entities() == ["customer", "customer_contact"]
    assert customer_event().sequence == 100
