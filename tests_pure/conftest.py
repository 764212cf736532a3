"""Shared fixtures of the pure test tier: repo root on sys.path, the spec dir, a running sandbox."""

import os
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO not in sys.path:
    sys.path.insert(0, REPO)


def _skip_addon_package_setup():
    """The repository root is the Odoo addon (an `__init__.py` importing odoo); pytest >= 8 treats it
    as a Package and imports it during setup.  The pure tier has no odoo: skip that import."""
    from _pytest.python import Package

    original = Package.setup

    def setup(self):
        if os.path.abspath(str(self.path)) != REPO:
            original(self)

    Package.setup = setup


_skip_addon_package_setup()


# ---------------------------------------------------------------- e-conomic's published schemas
def spec_folder():
    """The folder of e-conomic's published schemas (``$ECONOMIC_SPEC_DIR``, else the per-user
    cache: tools/economic_spec.py); without one the calling test, or subtest, is skipped, with
    the one reason below."""
    from spec_helpers import ECONOMIC_SPEC

    folder, why = ECONOMIC_SPEC.find_spec()
    if folder is None:
        pytest.skip("e-conomic's published schemas not found (%s)" % why)
    return str(folder)


def pytest_report_header(config):
    """One line at the top of every run: where the schemas come from, or why their checks are
    skipped (``make test`` prints the same after the run)."""
    from spec_helpers import ECONOMIC_SPEC

    folder, why = ECONOMIC_SPEC.find_spec()
    return "schema tests: %s (%s)" % ("RAN" if folder else "SKIPPED", why)


@pytest.fixture(scope="session")
def spec_dir():
    """For a test that is about the schemas: skipped as a whole without them."""
    return spec_folder()


@pytest.fixture
def schema(subtests):
    """``schema(name, body)`` validates ``body`` against e-conomic's legacy schema ``name``
    (``customers.get``) in a subtest of its own: without the schemas that check is skipped and
    the rest of the test, the sandbox's behaviour, still runs."""
    from spec_helpers import check, load_schema

    def validate(name, body):
        with subtests.test(msg="e-conomic schema"):
            check(load_schema(spec_folder(), name), body)

    return validate


@pytest.fixture(scope="session")
def sandbox():
    from economic_sandbox import Sandbox

    sb = Sandbox(seed="demo")
    sb.start()
    try:
        yield sb
    finally:
        sb.stop()


# ---------------------------------------------------------------- client against the sandbox
@pytest.fixture
def admin(sandbox):
    """The sandbox's admin API, reset before and after the test."""
    from client_helpers import Admin

    adm = Admin(sandbox.info["admin_url"])
    adm.reset()
    yield adm
    adm.reset()


@pytest.fixture
def sleeper():
    from client_helpers import Sleeper

    return Sleeper()


@pytest.fixture
def client(request, sandbox, sleeper):
    """A client of the sandbox that records its back-off instead of sleeping; a test module
    sets ``CLIENT_MAX_ATTEMPTS`` for another number of attempts (default 4)."""
    from economic_client import EconomicClient

    info = sandbox.info
    with EconomicClient(
        info["app_secret_token"],
        info["agreement_grant_token"],
        rest_url=info["rest_url"],
        apis_url=info["apis_url"],
        timeout=5,
        max_attempts=getattr(request.module, "CLIENT_MAX_ATTEMPTS", 4),
        sleep=sleeper,
        random=lambda: 0.5,
    ) as cli:
        yield cli
