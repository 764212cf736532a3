"""The sandbox's Idempotency-Key cache (docs/ECONOMIC.md §7.3) and the `hang_after_commit` fault (issue 6)."""

import subprocess
import sys
import threading
import time

import pytest
import requests
from wait_helpers import stays_false, wait_until

from economic_sandbox import Sandbox

CUSTOMER = {
    "name": "Acme A/S",
    "currency": "DKK",
    "customerGroup": {"customerGroupNumber": 1},
    "paymentTerms": {"paymentTermsNumber": 1},
    "vatZone": {"vatZoneNumber": 1},
}


@pytest.fixture(scope="module")
def sb():
    with Sandbox(seed="demo") as s:
        yield s


@pytest.fixture()
def s(sb):
    admin = sb.info["admin_url"]
    requests.post(admin + "/reset", json={"seed": "demo"})
    sess = requests.Session()
    sess.headers.update(
        {
            "X-AppSecretToken": sb.info["app_secret_token"],
            "X-AgreementGrantToken": sb.info["agreement_grant_token"],
        }
    )
    sess.rest, sess.admin = sb.info["rest_url"], admin
    yield sess
    sess.close()
    requests.post(admin + "/clock", json={"now": None, "offset_seconds": 0})
    requests.delete(admin + "/faults")


def _customers(s):
    return s.get(s.rest + "/customers").json()["pagination"]["results"]


def _log(s, path="/customers", method="POST"):
    log = requests.get(s.admin + "/requests").json()
    return [e for e in log if e["path"] == path and e["method"] == method]


# ---------------------------------------------------------------- the cache
def test_refusal_is_replayed_for_its_key_even_with_a_corrected_body(s):
    h = {"Idempotency-Key": "refused-1"}
    r1 = s.post(s.rest + "/customers", json=dict(CUSTOMER, name=""), headers=h)
    assert r1.status_code == 400 and "X-ResultFromCache" not in r1.headers
    r2 = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert r2.status_code == 400 and r2.headers["X-ResultFromCache"] == "true"
    assert r2.json() == r1.json()
    assert _customers(s) == 7  # the corrected body was not run
    # a new key runs it
    r3 = s.post(s.rest + "/customers", json=CUSTOMER, headers={"Idempotency-Key": "refused-2"})
    assert r3.status_code == 201 and _customers(s) == 8


def test_answer_replayed_with_status_body_and_header(s):
    h = {"Idempotency-Key": "same-1"}
    r1 = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    r2 = s.post(s.rest + "/customers", json=dict(CUSTOMER, name="Other"), headers=h)
    assert (r1.status_code, r2.status_code) == (201, 201)
    assert r2.json() == r1.json() and r2.headers["X-ResultFromCache"] == "true"
    assert r2.headers["Content-Type"] == r1.headers["Content-Type"]
    # a 404 refusal is replayed too, even once the record exists
    h = {"Idempotency-Key": "put-404"}
    n = r1.json()["customerNumber"]
    assert s.delete(s.rest + "/customers/%d" % (n + 1), headers=h).status_code == 404
    s.post(s.rest + "/customers", json=CUSTOMER)  # now customer n + 1 exists
    r = s.delete(s.rest + "/customers/%d" % (n + 1), headers=h)
    assert r.status_code == 404 and r.headers["X-ResultFromCache"] == "true"
    assert s.get(s.rest + "/customers/%d" % (n + 1)).status_code == 200


def test_key_kept_one_hour_by_the_sandbox_clock(s):
    start = "2026-03-02T10:00:00Z"
    requests.post(s.admin + "/clock", json={"now": start})
    h = {"Idempotency-Key": "hour-1"}
    n = s.post(s.rest + "/customers", json=CUSTOMER, headers=h).json()["customerNumber"]
    requests.post(s.admin + "/clock", json={"now": "2026-03-02T10:59:59Z"})
    r = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert r.headers.get("X-ResultFromCache") == "true" and r.json()["customerNumber"] == n
    assert _customers(s) == 8
    # past the hour the key is forgotten: the request runs again
    requests.post(s.admin + "/clock", json={"now": "2026-03-02T11:00:00Z"})
    r = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert r.status_code == 201 and "X-ResultFromCache" not in r.headers
    assert r.json()["customerNumber"] == n + 1 and _customers(s) == 9
    # ... and is remembered again from then on
    r = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert r.headers.get("X-ResultFromCache") == "true" and r.json()["customerNumber"] == n + 1


def test_key_expiry_follows_the_clock_offset(s):
    h = {"Idempotency-Key": "offset-1"}
    s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    requests.post(s.admin + "/clock", json={"offset_seconds": 3500})
    assert s.post(s.rest + "/customers", json=CUSTOMER, headers=h).headers.get("X-ResultFromCache")
    requests.post(s.admin + "/clock", json={"offset_seconds": 3700})
    r = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert "X-ResultFromCache" not in r.headers and _customers(s) == 9


def test_drop_after_commit_leaves_the_answer_cached(s):
    for body, key, status in ((dict(CUSTOMER, name=""), "dac-400", 400), (CUSTOMER, "dac", 201)):
        requests.post(
            s.admin + "/faults",
            json={"method": "POST", "path": "/customers", "fault": "drop_after_commit"},
        )
        h = {"Idempotency-Key": key}
        with pytest.raises(requests.exceptions.ConnectionError):
            s.post(s.rest + "/customers", json=body, headers=h)
        r = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
        assert r.status_code == status and r.headers["X-ResultFromCache"] == "true"
    assert _customers(s) == 8
    requests.post(
        s.admin + "/faults",
        json={"method": "DELETE", "path": "/customers/8", "fault": "drop_after_commit"},
    )
    with pytest.raises(requests.exceptions.ConnectionError):
        s.delete(s.rest + "/customers/8", headers={"Idempotency-Key": "dac-del"})
    r = s.delete(s.rest + "/customers/8", headers={"Idempotency-Key": "dac-del"})
    assert r.status_code == 204 and r.headers["X-ResultFromCache"] == "true"
    assert _customers(s) == 7


# ---------------------------------------------------------------- hang_after_commit
_CALLER = """
import sys, requests
requests.post(sys.argv[1] + "/customers", json={"name": "Hung A/S", "currency": "DKK",
    "customerGroup": {"customerGroupNumber": 1}, "paymentTerms": {"paymentTermsNumber": 1},
    "vatZone": {"vatZoneNumber": 1}}, headers={"X-AppSecretToken": sys.argv[2],
    "X-AgreementGrantToken": sys.argv[3], "Idempotency-Key": "hang-1"}, timeout=120)
print("answered")
"""


def _wait_status(s, wanted, timeout=10.0, path="/customers", method="POST"):
    def last():
        entries = _log(s, path, method)
        return entries[-1] if entries and entries[-1]["status"] == wanted else None

    return wait_until(
        last,
        timeout,
        lambda: "no %s %s with status %r: %r" % (method, path, wanted, _log(s)),
    )


def test_hang_after_commit_lets_a_test_kill_the_caller(s, sb):
    requests.post(
        s.admin + "/faults",
        json={"method": "POST", "path": "/customers", "fault": "hang_after_commit"},
    )
    info = sb.info
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _CALLER,
            s.rest,
            info["app_secret_token"],
            info["agreement_grant_token"],
        ],
        stdout=subprocess.PIPE,
    )
    try:
        entry = _wait_status(s, "hanging")
        assert entry["idempotency_key"] == "hang-1"
        # committed: the record exists while the caller still waits for its answer
        names = [c["name"] for c in requests.get(s.admin + "/records/customers").json()]
        assert "Hung A/S" in names
        # the sandbox keeps serving other connections meanwhile (admin API and the API itself)
        t0 = time.monotonic()
        assert requests.get(s.admin + "/faults", timeout=5).status_code == 200
        assert s.get(s.rest + "/customers/1", timeout=5).status_code == 200
        assert time.monotonic() - t0 < 2.0
        # the answer keeps waiting (default delay: 30 s): for a second nothing answers the caller
        stays_false(
            lambda: proc.poll() is not None or _log(s)[-1]["status"] != "hanging",
            1.0,
            lambda: "the hanging request was answered early: %r" % _log(s)[-1],
        )
    finally:
        proc.kill()
        proc.wait()
    # the killed caller's connection closed: the handler stops waiting and answers nobody
    _wait_status(s, "dropped", timeout=3.0)
    # the caller's next run sends the same key and gets e-conomic's cached answer
    r = s.post(s.rest + "/customers", json=CUSTOMER, headers={"Idempotency-Key": "hang-1"})
    assert r.status_code == 201 and r.headers["X-ResultFromCache"] == "true"
    assert r.json()["name"] == "Hung A/S" and _customers(s) == 8


def test_hang_after_commit_answers_after_the_delay(s):
    requests.post(
        s.admin + "/faults",
        json={
            "method": "DELETE",
            "path": "/customers/7",
            "fault": "hang_after_commit",
            "delay": 0.5,
        },
    )
    t0 = time.monotonic()
    r = s.delete(s.rest + "/customers/7", timeout=10)
    assert r.status_code == 204 and 0.5 <= time.monotonic() - t0 < 5
    assert _log(s, "/customers/7", "DELETE")[-1]["status"] == 204
    assert s.get(s.rest + "/customers/7").status_code == 404


def test_sandbox_stops_promptly_while_a_handler_hangs():
    box = Sandbox(seed="demo").start()
    info = box.info
    headers = {
        "X-AppSecretToken": info["app_secret_token"],
        "X-AgreementGrantToken": info["agreement_grant_token"],
    }
    idle = requests.Session()  # an idle keep-alive connection must not hold stop() either
    assert idle.get(info["rest_url"] + "/self", headers=headers).status_code == 200
    requests.post(info["admin_url"] + "/faults", json={"fault": "hang_after_commit", "path": "/"})
    outcome = []

    def call():
        try:
            outcome.append(
                requests.post(
                    info["rest_url"] + "/customers", json=CUSTOMER, headers=headers, timeout=60
                )
            )
        except requests.exceptions.ConnectionError as exc:
            outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    wait_until(
        lambda: any(e["status"] == "hanging" for e in box.request_log),
        10,
        "the request did not hang",
    )
    t0 = time.monotonic()
    box.stop()
    assert time.monotonic() - t0 < 3.0
    caller.join(5)
    assert not caller.is_alive()
    assert isinstance(outcome[0], requests.exceptions.ConnectionError)  # nobody answered it
    # the idle keep-alive connection was closed too: a stopped sandbox answers nothing
    with pytest.raises(requests.exceptions.ConnectionError):
        idle.get(info["rest_url"] + "/self", headers=headers, timeout=5)
    idle.close()


def test_unknown_fault_refused(s):
    r = requests.post(s.admin + "/faults", json={"fault": "hang_forever"})
    assert r.status_code == 400
