"""A clone with nothing beside it: the schema tests find e-conomic's published schemas where
``$ECONOMIC_SPEC_DIR`` says, else in the per-user cache that the harness fills when the network
allows, else they are skipped with one line saying why (tools/economic_spec.py, tools/harness.py).
Downloads go to a local HTTP server or a ``file://`` folder here, never to the internet."""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from spec_helpers import ECONOMIC_SPEC, REPO

SPEC = ECONOMIC_SPEC
OPENAPI = {"openapi": "3.0.1", "info": {"title": "Customers", "version": "3.1.0"}, "paths": {}}


def _mirror(folder):
    """A folder laid out like e-conomic's schemas, one small file for each of ``FILES``."""
    for name in SPEC.FILES:
        path = Path(folder) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.startswith("openapi/"):
            path.write_text(json.dumps(OPENAPI))
        else:
            path.write_bytes(b'\xef\xbb\xbf{"$schema": "http://json-schema.org/draft-03/schema#",}')
    return Path(folder)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """A mirror served over HTTP on loopback: ``(base URL, its folder)``."""
    folder = _mirror(tmp_path / "mirror")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield "http://127.0.0.1:%d" % httpd.server_address[1], folder
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(**values):
    env = {k: v for k, v in os.environ.items() if not k.startswith("ECONOMIC_SPEC_")}
    env.update({k: str(v) for k, v in values.items()})
    return env


def test_found_where_the_variable_says_else_in_a_current_cache(tmp_path):
    nowhere = tmp_path / "nowhere"
    assert SPEC.find_spec(_env(ECONOMIC_SPEC_DIR=nowhere)) == (
        None,
        "ECONOMIC_SPEC_DIR=%s holds no legacy-schemas/ folder" % nowhere,
    )
    given = _mirror(tmp_path / "given")
    assert SPEC.find_spec(_env(ECONOMIC_SPEC_DIR=given))[0] == given
    cache = tmp_path / "cache"
    folder, why = SPEC.find_spec(_env(ECONOMIC_SPEC_CACHE=cache))
    assert folder is None and why == "no ECONOMIC_SPEC_DIR, nothing in the cache %s" % cache
    # a cache filled for another list of files is not used (the tests would miss files)
    _mirror(cache)
    (cache / SPEC.STAMP).write_text("another list\n")
    folder, why = SPEC.find_spec(_env(ECONOMIC_SPEC_CACHE=cache))
    assert folder is None and "filled for another list of files" in why
    (cache / SPEC.STAMP).write_text(SPEC.files_digest() + "\n")
    assert SPEC.find_spec(_env(ECONOMIC_SPEC_CACHE=cache)) == (cache, "cache %s" % cache)
    # the default cache sits beside the harness's Odoo and virtualenv
    assert SPEC.spec_cache(_env(XDG_CACHE_HOME=tmp_path)) == (
        tmp_path / "economic_sync" / "economic-spec"
    )


def test_e_conomic_urls():
    urls = SPEC.sources(_env())
    assert urls["legacy-schemas/customers.get.schema.json"] == (
        "https://restapi.e-conomic.com/schema/customers.get.schema.json"
    )
    assert urls["openapi/openapi-Customers.json"] == (
        "https://apis.e-conomic.com/customersapi/redoc.html"
    )
    assert sorted(urls) == sorted(SPEC.FILES)
    mirrored = SPEC.sources(_env(ECONOMIC_SPEC_URL="file:///srv/spec/"))
    assert mirrored["openapi/openapi-Customers.json"] == (
        "file:///srv/spec/openapi/openapi-Customers.json"
    )


def test_fetch_fills_the_cache_from_a_local_http_server(served, tmp_path):
    base, mirror = served
    cache = tmp_path / "cache"
    env = _env(ECONOMIC_SPEC_CACHE=cache, ECONOMIC_SPEC_URL=base)
    assert SPEC.fetch_spec(cache, SPEC.sources(env)) == (True, None)
    assert SPEC.find_spec(env) == (cache, "cache %s" % cache)
    legacy = "legacy-schemas/customers.get.schema.json"
    assert (cache / legacy).read_bytes() == (mirror / legacy).read_bytes()  # byte for byte
    assert json.loads((cache / "openapi/openapi-Customers.json").read_text()) == OPENAPI
    assert not list(tmp_path.glob("cache.*"))  # no partial or old folder left
    # what the tests read comes from there
    from spec_helpers import load_openapi, load_schema

    assert load_schema(str(cache), "customers.get")["$schema"].endswith("draft-03/schema#")
    assert load_openapi(str(cache), "openapi-Customers.json")["info"]["version"] == "3.1.0"


def test_the_openapi_document_is_read_from_its_redoc_page(served, tmp_path):
    """e-conomic serves no openapi.json: the document is in the state of the service's ReDoc
    page (a page built by redoc-cli)."""
    base, mirror = served
    state = {"menu": {"activeItemIdx": -1}, "spec": {"data": OPENAPI}, "options": {}}
    page = (
        '<!DOCTYPE html><html><head><title>Customers</title></head><body><div id="redoc">'
        "</div><script>const __redoc_state = %s;\nRedoc.hydrate(__redoc_state, "
        'document.getElementById("redoc"));</script></body></html>' % json.dumps(state)
    )
    (mirror / "customersapi").mkdir()
    (mirror / "customersapi" / "redoc.html").write_text(page)
    urls = SPEC.sources(_env(ECONOMIC_SPEC_URL=base))
    urls["openapi/openapi-Customers.json"] = base + "/customersapi/redoc.html"
    cache = tmp_path / "cache"
    assert SPEC.fetch_spec(cache, urls) == (True, None)
    assert json.loads((cache / "openapi/openapi-Customers.json").read_text()) == OPENAPI


def test_fetch_from_a_file_url(tmp_path):
    mirror = _mirror(tmp_path / "mirror")
    cache = tmp_path / "cache"
    urls = SPEC.sources(_env(ECONOMIC_SPEC_URL=mirror.as_uri()))
    assert SPEC.fetch_spec(cache, urls) == (True, None)
    assert sorted(str(p.relative_to(cache)) for p in cache.rglob("*.json")) == sorted(SPEC.FILES)


def test_fetch_without_network_fails_fast_and_quietly(tmp_path, capfd):
    cache = tmp_path / "cache"
    urls = SPEC.sources(_env(ECONOMIC_SPEC_URL="http://127.0.0.1:%d" % _closed_port()))
    started = time.monotonic()
    ok, why = SPEC.fetch_spec(cache, urls)
    assert time.monotonic() - started < 2
    assert not ok and "Connection refused" in why, why
    assert capfd.readouterr() == ("", "")  # no traceback, no noise
    assert list(tmp_path.iterdir()) == []  # nothing half-written


def test_all_or_nothing_a_current_cache_survives_a_failed_fetch(served, tmp_path):
    base, mirror = served
    cache = tmp_path / "cache"
    urls = SPEC.sources(_env(ECONOMIC_SPEC_URL=base))
    assert SPEC.fetch_spec(cache, urls)[0]
    first = (cache / SPEC.FILES[0]).read_bytes()
    (mirror / SPEC.FILES[-1]).unlink()  # the last file now answers 404
    (mirror / SPEC.FILES[0]).write_text('{"changed": true}')
    ok, why = SPEC.fetch_spec(cache, urls)
    assert not ok and "404" in why and SPEC.FILES[-1] in why
    assert (cache / SPEC.FILES[0]).read_bytes() == first  # the cache as it was
    assert SPEC.find_spec(_env(ECONOMIC_SPEC_CACHE=cache))[0] == cache
    # an HTML error page is not a schema
    (mirror / SPEC.FILES[-1]).write_text(json.dumps(OPENAPI))
    (mirror / SPEC.FILES[0]).write_text("<html>Service Unavailable</html>")
    ok, why = SPEC.fetch_spec(tmp_path / "other", urls)
    assert not ok and "not a JSON schema" in why


def test_prepare_spec_uses_the_shared_folder_beside_the_clone_else_fetches(served, tmp_path):
    base, _mirror_folder = served
    clone = tmp_path / "work" / "economic_sync"
    clone.mkdir(parents=True)
    cache = tmp_path / "cache"
    # nothing beside the clone: fetched into the cache
    env = _env(ECONOMIC_SPEC_CACHE=cache, ECONOMIC_SPEC_URL=base)
    assert SPEC.prepare_spec(clone, env) == (cache, "cache %s" % cache)
    assert "ECONOMIC_SPEC_DIR" not in env
    # the project's development layout: ../shared/economic-spec
    beside = _mirror(tmp_path / "work" / "shared" / "economic-spec")
    env = _env(ECONOMIC_SPEC_CACHE=tmp_path / "unused")
    assert SPEC.prepare_spec(clone, env) == (beside, "ECONOMIC_SPEC_DIR=%s" % beside)
    assert env["ECONOMIC_SPEC_DIR"] == str(beside)
    assert not (tmp_path / "unused").exists()
    # no network: the reason says so
    env = _env(
        ECONOMIC_SPEC_CACHE=tmp_path / "empty",
        ECONOMIC_SPEC_URL="http://127.0.0.1:%d" % _closed_port(),
    )
    folder, why = SPEC.prepare_spec(tmp_path / "alone" / "economic_sync", env)
    assert folder is None and "fetching them failed" in why and "Connection refused" in why


def test_harness_pure_tier_without_schemas_skips_them_in_one_line_and_is_green(tmp_path):
    """``make test``'s pure tier on a machine without the schemas (only the schema tests'
    file, to stay quick): green, the schema tests skipped, one line saying why."""
    nowhere = tmp_path / "nowhere"
    env = _env(
        ECONOMIC_SPEC_DIR=nowhere,
        ECONOMIC_SPEC_CACHE=tmp_path / "empty-cache",
        ECONOMIC_SPEC_URL="http://127.0.0.1:%d" % _closed_port(),
    )
    run = subprocess.run(
        [
            sys.executable,
            os.path.join(REPO, "tools", "harness.py"),
            "test",
            "--pure-only",
            "tests_pure/test_sandbox_schemas.py",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    lines = [line for line in run.stdout.splitlines() if line.startswith("schema tests:")]
    assert lines == [
        "schema tests: SKIPPED (ECONOMIC_SPEC_DIR=%s holds no legacy-schemas/ folder)" % nowhere
    ], output
    assert re.search(r"^\d+ passed, \d+ skipped in ", run.stdout, re.M), output  # pytest's
    assert re.search(r"^total: [1-9]\d* passed, 0 failed$", run.stdout, re.M), output
    assert "Odoo tier: not run (--pure-only)" in run.stdout
    assert not (tmp_path / "empty-cache").exists()  # nothing fetched, nothing cached
