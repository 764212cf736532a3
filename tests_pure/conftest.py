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


@pytest.fixture(scope="session")
def spec_dir():
    return os.environ.get("ECONOMIC_SPEC_DIR") or os.path.join(
        REPO, "..", "shared", "economic-spec"
    )


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
