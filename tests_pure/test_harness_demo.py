"""`make demo` tells the user how to connect to its sandbox by hand (tools/harness.py)."""

import importlib.util
import json
import os

import requests
from conftest import REPO


def _harness():
    spec = importlib.util.spec_from_file_location(
        "economic_sync_harness", os.path.join(REPO, "tools", "harness.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_prints_the_sandbox_tokens_and_urls(sandbox):
    info = sandbox.info
    lines = _harness().sandbox_summary(info)
    text = "\n".join(lines)
    assert "Connect to e-conomic" in lines[0]
    values = {}
    for line in lines[1:]:
        label, _sep, value = line.strip().rpartition("  ")
        values[label.strip()] = value
    assert values == {
        "App Secret Token": info["app_secret_token"],
        "Agreement Grant Token": info["agreement_grant_token"],
        "REST API URL": info["rest_url"],
        "OpenAPI URL": info["apis_url"],
        "sandbox admin API": info["admin_url"],
    }, text
    # what is printed connects: the tokens and the REST URL answer /self
    response = requests.get(
        values["REST API URL"] + "/self",
        headers={
            "X-AppSecretToken": values["App Secret Token"],
            "X-AgreementGrantToken": values["Agreement Grant Token"],
        },
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["agreementNumber"]


def _demo_company_module():
    spec = importlib.util.spec_from_file_location(
        "economic_sync_demo_company", os.path.join(REPO, "tools", "demo_company.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_company_is_the_sandbox_agreements_danish_company():
    """The demo's Odoo company and the sandbox's demo agreement are one Danish business: same
    name and CVR, an ApS in Denmark on Odoo's Danish chart, in the agreement's currency."""
    from economic_sandbox import seed

    params = _demo_company_module().DEMO_COMPANY
    agreement = seed.SELF["company"]
    assert params["name"] == agreement["name"] and params["name"].endswith(" ApS")
    assert params["vat"] == "DK" + agreement["companyIdentificationNumber"]
    assert (params["country_code"], params["chart_template"], params["language"]) == (
        "DK",
        "dk",
        "da_DK",
    )
    assert params["currency"] == seed.CURRENCIES[0][0] == "DKK"  # the agreement's base currency
    assert (params["street"], params["zip"], params["city"]) == (
        agreement["addressLine1"],
        agreement["zip"],
        agreement["city"],
    )


def test_demo_company_script_calls_the_set_up_with_the_demo_company():
    """What ``make demo`` hands to ``odoo shell``: the file, then one call printing its result."""
    harness = _harness()
    script = harness.demo_company_script()
    with open(os.path.join(REPO, "tools", "demo_company.py")) as f:
        assert script.startswith(f.read())
    assert script.rstrip().splitlines()[-1] == (
        "print('DEMO-COMPANY', _json.dumps(danish_company(env, DEMO_COMPANY)), flush=True)"
    )
    compile(script, "demo_company", "exec")


def test_demo_company_summary_says_what_was_set_up_or_why_not():
    harness = _harness()
    info = {
        "status": "created",
        "name": "Fjordby Handel ApS",
        "country": "DK",
        "currency": "DKK",
        "chart_template": "dk",
        "company_registry": "29403473",
        "taxes": 69,
        "fiscal_positions": 4,
        "languages": ["da_DK", "en_US"],
        "admin_language": "en_US",
    }
    text = harness.demo_company_summary("DEMO-COMPANY " + json.dumps(info))
    for part in ("Fjordby Handel ApS", "DKK", "69 taxes", "CVR 29403473", "da_DK, en_US"):
        assert part in text, text
    info.update(status="kept", name="My Company", currency="USD", chart_template="generic_coa")
    text = harness.demo_company_summary("DEMO-COMPANY " + json.dumps(info))
    assert "kept as it is" in text and "rm -rf .demo" in text, text
    assert "could not be set up" in harness.demo_company_summary(None)


def test_demo_ports_can_be_moved(monkeypatch):
    """A second demo beside the usual one (another clone): its own Odoo and PostgreSQL ports."""
    harness = _harness()
    monkeypatch.delenv("DEMO_HTTP_PORT", raising=False)
    monkeypatch.delenv("DEMO_PG_PORT", raising=False)
    assert (harness.demo_http_port(), harness.demo_pg_port()) == (8069, 54329)
    monkeypatch.setenv("DEMO_HTTP_PORT", "8079")
    monkeypatch.setenv("DEMO_PG_PORT", "54339")
    assert (harness.demo_http_port(), harness.demo_pg_port()) == (8079, 54339)
