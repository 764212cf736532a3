"""`make demo` has a point of sale with a day of sales (tools/demo_shop.py, tools/harness.py)."""

import importlib.util
import json
import os

from conftest import REPO

from economic_sandbox import seed


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(REPO, *path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _harness():
    return _load("economic_sync_harness_shop", ("tools", "harness.py"))


def test_demo_shop_script_calls_the_set_up_with_the_demo_shop():
    harness = _harness()
    script = harness.demo_shop_script()
    with open(os.path.join(REPO, "tools", "demo_shop.py")) as f:
        assert script.startswith(f.read())
    assert script.rstrip().splitlines()[-1] == (
        "print('DEMO-SHOP', _json.dumps(demo_shop(env, DEMO_SHOP)), flush=True)"
    )
    compile(script, "demo_shop", "exec")
    assert harness.DEMO_SHOP_APP == "point_of_sale"


def test_demo_day_has_what_the_issue_asks_to_try():
    """Two tax rates, a discount, a return, cash with change and card."""
    shop = _load("economic_sync_demo_shop", ("tools", "demo_shop.py")).DEMO_SHOP
    taxes = {name: tax for name, _price, tax in shop["products"]}
    assert set(taxes.values()) == {"tax_s1", "tax_s0"}
    lines = [line for order in shop["orders"] for line in order[2]]
    assert {taxes[name] for name, _qty, _discount in lines} == {"tax_s1", "tax_s0"}
    assert any(discount for _name, _qty, discount in lines)
    assert any(qty < 0 for _name, qty, _discount in lines)
    methods = {method for order in shop["orders"] for method, _amount in order[3]}
    assert methods == set(shop["methods"]) == {"Cash", "Card"}
    assert any(order[4] for order in shop["orders"]), "some cash change"
    # the sandbox's chart has these accounts (Kasse, Bankkonto)
    numbers = {row[0]: row[2] for row in seed.ACCOUNTS}
    assert all(numbers[n] == "status" for _kind, n in shop["methods"].values())
    # the products of the taxes go in the groups that carry their VAT (services: no stock)
    groups = {row[0]: row for row in seed.PRODUCT_GROUPS}
    vat_free = {tax: groups[group][2] for tax, (_n, _name, group) in shop["tax_products"].items()}
    assert vat_free == {"tax_s1": False, "tax_s0": True}
    assert not any(groups[group][3] for _n, _name, group in shop["tax_products"].values())
    assert not {n for n, *_rest in shop["tax_products"].values()} & {
        row[0] for row in seed.DEMO_PRODUCTS
    }


def test_demo_shop_summary_says_what_was_set_up_or_why_not():
    harness = _harness()
    info = {
        "config": "Butik",
        "day": "2026-12-07",
        "session": "POS/00001",
        "orders": 6,
        "total": 612.3,
        "methods": {"Cash": 5810, "Card": None},
        "connection": True,
        "tax_products": {"S-DK-25": "DAG25", "S-DK-0": "DAG0"},
    }
    text = harness.demo_shop_summary("DEMO-SHOP " + json.dumps(info))
    for part in (
        "Butik",
        "POS/00001",
        "2026-12-07",
        "6 orders",
        "612.30 DKK",
        "Cash → e-conomic 5810",
        "Card → e-conomic not mapped",
        "S-DK-25 on DAG25",
    ):
        assert part in text, text
    info["session"] = None
    assert "sold already" in harness.demo_shop_summary("DEMO-SHOP " + json.dumps(info))
    assert "could not be set up" in harness.demo_shop_summary(None)
