"""`make demo` tells the user how to connect to its sandbox by hand (tools/harness.py)."""

import importlib.util
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
