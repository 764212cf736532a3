"""Fixtures of the process tests: a fresh database per test (copied from the harness's template,
the addon installed without demo data), the e-conomic sandbox in this process, and Odoo run in
``odoo shell`` subprocesses with real commits (see ``process_helpers``)."""

import itertools
import json
import os
import sys
import urllib.request

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)

from process_helpers import OdooDatabase, OdooSetup  # noqa: E402

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def odoo_setup():
    return OdooSetup.from_environ()


@pytest.fixture
def odoo_db(odoo_setup):
    """A database of this test's own; every ``odoo shell`` it started is killed at the end."""
    db = OdooDatabase(odoo_setup, "%s_p%d_%d" % (odoo_setup.template, os.getpid(), next(_numbers)))
    db.create()
    try:
        yield db
    finally:
        for process in db.runs:
            process.kill()
        db.drop()


class SandboxFixture:
    def __init__(self, sandbox):
        self.sb = sandbox
        self.info = sandbox.info

    def admin(self, method, path, payload=None):
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.info["admin_url"] + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def requests(self):
        return self.admin("GET", "/requests")

    def rest(self, method, path, payload=None):
        """e-conomic's REST API as a user of the agreement would call it (not the addon)."""
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(
            self.info["rest_url"].rstrip("/") + path,
            data=data,
            method=method,
            headers={
                "Content-Type": "application/json",
                "X-AppSecretToken": self.info["app_secret_token"],
                "X-AgreementGrantToken": self.info["agreement_grant_token"],
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def book(self, draft_number):
        """Book a draft, as the bookkeeper does in e-conomic."""
        return self.rest(
            "POST", "/invoices/booked", {"draftInvoice": {"draftInvoiceNumber": draft_number}}
        )


@pytest.fixture
def sandbox():
    """The sandbox (demo seed) in this process, over real HTTP on loopback."""
    from economic_sandbox import Sandbox

    sb = Sandbox(seed="demo")
    sb.start()
    try:
        yield SandboxFixture(sb)
    finally:
        sb.stop()
