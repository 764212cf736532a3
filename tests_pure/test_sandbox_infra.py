"""Sandbox infrastructure: auth, headers, rate limit, idempotency, faults, webhooks, OpenAPI services, CLI."""

import json
import os
import re
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from economic_sandbox import Sandbox

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
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
    requests.post(sb.info["admin_url"] + "/reset", json={"seed": "demo"})
    sess = requests.Session()
    sess.headers.update(
        {
            "X-AppSecretToken": sb.info["app_secret_token"],
            "X-AgreementGrantToken": sb.info["agreement_grant_token"],
        }
    )
    sess.rest, sess.apis, sess.admin = (
        sb.info["rest_url"],
        sb.info["apis_url"],
        sb.info["admin_url"],
    )
    return sess


def test_auth(s):
    assert requests.get(s.rest + "/customers").status_code == 401
    r = requests.get(
        s.rest + "/customers", headers={"X-AppSecretToken": "x", "X-AgreementGrantToken": "y"}
    )
    assert r.status_code == 401 and r.json()["httpStatusCode"] == 401
    demo = {"X-AppSecretToken": "demo", "X-AgreementGrantToken": "demo"}
    assert requests.get(s.rest + "/customers", headers=demo).status_code == 200
    r = requests.post(s.rest + "/customers", headers=demo, json=CUSTOMER)
    assert r.status_code == 401 and "message" in r.json()
    assert requests.delete(s.rest + "/customers/2", headers=demo).status_code == 401
    assert requests.get(s.rest + "/customers/2", headers=demo).status_code == 200
    assert (
        requests.get(s.apis + "/suppliersapi/v2.0.0/Contacts")
        .headers["Content-Type"]
        .startswith("application/problem+json")
    )


def test_headers(s):
    r = s.get(s.rest + "/self")
    assert re.fullmatch(r"[0-9a-f]{16}-CPH", r.headers["X-RequestId"])
    assert int(r.headers["X-CallCost"]) >= 1
    assert re.fullmatch(r"token-limit-10000-per-60-seconds: \d+/10000", r.headers["X-RateLimiting"])
    assert "X-RateLimiting" in s.get(s.apis + "/webhooksapi/v1.0.0/EventTypes").headers


def test_rate_limit_429(s):
    requests.post(s.admin + "/rate-limit", json={"limit": 5, "per_seconds": 60})
    try:
        codes = [s.get(s.rest + "/self").status_code for _ in range(7)]
        assert codes[:5] == [200] * 5 and codes[-1] == 429
        r = s.get(s.rest + "/self")
        assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1
        assert r.json()["httpStatusCode"] == 429
    finally:
        requests.post(s.admin + "/rate-limit", json={"limit": 10000, "per_seconds": 60})


def test_idempotency_replay(s):
    h = {"Idempotency-Key": "key-1"}
    r1 = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    r2 = s.post(s.rest + "/customers", json=CUSTOMER, headers=h)
    assert r1.status_code == r2.status_code == 201
    assert r2.headers["X-ResultFromCache"] == "true" and "X-ResultFromCache" not in r1.headers
    assert r1.json()["customerNumber"] == r2.json()["customerNumber"]
    assert s.get(s.rest + "/customers").json()["pagination"]["results"] == 8
    d1 = s.delete(s.rest + "/customers/8", headers={"Idempotency-Key": "del"})
    d2 = s.delete(s.rest + "/customers/8", headers={"Idempotency-Key": "del"})
    assert d1.status_code == d2.status_code == 204 and d2.headers["X-ResultFromCache"] == "true"


def test_drop_after_commit_then_retry(s):
    requests.post(
        s.admin + "/faults",
        json={"method": "POST", "path": "/customers", "fault": "drop_after_commit"},
    )
    h = {"Idempotency-Key": "dac-1"}
    with pytest.raises(requests.exceptions.ConnectionError):
        s.post(s.rest + "/customers", json=dict(CUSTOMER, name="Once"), headers=h)
    r = s.post(s.rest + "/customers", json=dict(CUSTOMER, name="Once"), headers=h)
    assert r.status_code == 201 and r.headers["X-ResultFromCache"] == "true"
    found = s.get(s.rest + "/customers", params={"filter": "name$eq:Once"}).json()["collection"]
    assert len(found) == 1
    log = requests.get(s.admin + "/requests").json()
    assert [e["status"] for e in log if e["path"] == "/customers" and e["method"] == "POST"] == [
        "dropped",
        201,
    ]


def test_faults(s):
    fid = requests.post(
        s.admin + "/faults",
        json={"path": "/self", "fault": "error", "status": 503, "times": 2, "skip": 1},
    ).json()["id"]
    assert fid
    assert [s.get(s.rest + "/self").status_code for _ in range(4)] == [200, 503, 503, 200]
    requests.post(s.admin + "/faults", json={"path": "/self", "fault": "malformed"})
    r = s.get(s.rest + "/self")
    assert r.status_code == 200
    with pytest.raises(ValueError):
        r.json()
    requests.post(s.admin + "/faults", json={"path": "/self", "fault": "429", "retry_after": 7})
    r = s.get(s.rest + "/self")
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    requests.post(s.admin + "/faults", json={"path": "/self", "fault": "drop"})
    with pytest.raises(requests.exceptions.ConnectionError):
        s.get(s.rest + "/self")
    requests.post(s.admin + "/faults", json={"path": "/self", "fault": "latency", "delay": 0.3})
    t = time.monotonic()
    assert s.get(s.rest + "/self").status_code == 200 and time.monotonic() - t >= 0.3
    requests.post(s.admin + "/faults", json={"path": "/self", "fault": "error", "times": 5})
    requests.delete(s.admin + "/faults")
    assert s.get(s.rest + "/self").status_code == 200


def test_fault_probability_is_repeatable(s):
    """``probability`` strikes that share of the matching requests, the same ones for the same
    ``seed``; ``times: null`` keeps the fault for good."""

    def run(seed):
        requests.delete(s.admin + "/faults")
        requests.post(
            s.admin + "/faults",
            json={
                "path": "/self",
                "fault": "error",
                "status": 503,
                "times": None,
                "probability": 0.2,
                "seed": seed,
            },
        )
        return [s.get(s.rest + "/self").status_code for _ in range(200)]

    first = run(7)
    assert 20 <= first.count(503) <= 60, first.count(503)
    assert set(first) == {200, 503}
    assert run(7) == first
    assert run(8) != first
    requests.delete(s.admin + "/faults")


def test_admin_records_edit_renumber(s):
    assert requests.get(s.admin + "/records/customers/1").json()["name"] == "Tøj & Co Grossisten"
    requests.post(s.admin + "/clock", json={"now": "2031-01-01T00:00:00Z"})
    try:
        requests.post(
            s.admin + "/edit",
            json={"resource": "customers", "key": 2, "changes": {"name": "Renamed"}},
        )
        c = s.get(s.rest + "/customers/2").json()
        assert c["name"] == "Renamed" and c["lastUpdated"] == "2031-01-01T00:00:00Z"
    finally:
        requests.post(s.admin + "/clock", json={"now": None})
    assert (
        requests.post(
            s.admin + "/renumber", json={"resource": "customers", "old": 2, "new": 9}
        ).status_code
        == 200
    )
    assert s.get(s.rest + "/customers/9").json()["name"] == "Renamed"
    assert s.get(s.rest + "/customers/2").status_code == 404
    r = requests.post(s.admin + "/create", json={"resource": "customers", "record": CUSTOMER})
    assert r.status_code == 201
    assert (
        requests.post(
            s.admin + "/delete", json={"resource": "products", "key": "EXPORT-1"}
        ).status_code
        == 400
    )
    assert (
        requests.post(s.admin + "/delete", json={"resource": "customers", "key": 3}).status_code
        == 400
    )
    assert (
        requests.post(s.admin + "/delete", json={"resource": "customers", "key": 4}).status_code
        == 200
    )


class _Receiver:
    def __init__(self):
        self.hits = []
        outer = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.hits.append((self.path, dict(self.headers), body.decode()))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *a):
                pass

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = "http://127.0.0.1:%d" % self.srv.server_address[1]
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()


def test_classic_and_api_webhooks(s, sb):
    rx = _Receiver()
    try:
        requests.post(
            s.admin + "/webhooks",
            json={"type": "customer_updated", "url": rx.url + "/c?new=[NEWNUMBER]&old=[OLDNUMBER]"},
        )
        requests.post(
            s.admin + "/webhooks", json={"type": "invoice_booked", "url": rx.url + "/i/[INVOICENO]"}
        )
        wh = {
            "eventType": "PRODUCT_UPDATED",
            "name": "p",
            "url": rx.url.replace("http://", "https://") + "/p/[NEWNUMBER]",
            "contentType": "application/json",
            "postData": '{"product": "[NEWNUMBER]"}',
            "customHeaders": [{"key": "X-Secret", "value": "s3cr3t"}],
        }
        requests.post(s.admin + "/webhooks/https-downgrade", json={"enabled": True})
        assert s.post(s.apis + "/webhooksapi/v1.0.0/webhooks", json=wh).status_code == 201
        n = s.post(s.rest + "/customers", json=CUSTOMER).json()["customerNumber"]
        requests.post(s.admin + "/renumber", json={"resource": "customers", "old": n, "new": 4242})
        s.put(s.rest + "/products/1", json={"name": "T", "productGroup": {"productGroupNumber": 1}})
        d = s.get(s.rest + "/invoices/drafts").json()["collection"][0]["draftInvoiceNumber"]
        b = s.post(
            s.rest + "/invoices/booked", json={"draftInvoice": {"draftInvoiceNumber": d}}
        ).json()
        # every event was queued by the request that caused it; the sandbox records a delivery
        # after the receiver answered it: wait until the queue is drained, then all is there
        done = requests.post(s.admin + "/webhooks/wait", json={"timeout": 20}).json()
        assert done["idle"] and done["pending"] == 0, done
        hits = rx.hits
        paths = sorted(h[0] for h in hits)
        assert "/c?new=%d&old=%d" % (n, n) in paths and "/c?new=4242&old=%d" % n in paths
        assert "/i/%d" % b["bookedInvoiceNumber"] in paths
        p = [h for h in hits if h[0] == "/p/1"][0]
        assert p[1]["X-Secret"] == "s3cr3t" and json.loads(p[2]) == {"product": "1"}
        deliveries = requests.get(s.admin + "/webhooks/deliveries").json()
        assert len(hits) == len(deliveries) == done["delivered"] == 4, (hits, deliveries)
        assert all(x["status"] == 200 for x in deliveries)
    finally:
        rx.srv.shutdown()


def test_suppliersapi_contacts(s):
    base = s.apis + "/suppliersapi/v2.0.0/Contacts"
    r = s.post(base, json={"supplierNumber": 25, "name": "New Contact", "email": "nc@example.com"})
    assert r.status_code == 201 and set(r.json()) == {"number"}
    n = r.json()["number"]
    c = s.get("%s/%d" % (base, n)).json()
    assert c["name"] == "New Contact" and c["objectVersion"]
    assert s.put(base, json=dict(c, name="Changed")).status_code == 204
    r = s.put(base, json=dict(c, name="Stale"))
    assert r.status_code == 409 and r.headers["Content-Type"].startswith("application/problem+json")
    assert r.json()["status"] == 409 and r.json()["traceId"]
    assert s.get(base + "/count").json() == 3
    assert s.get(base + "/count", params={"filter": "supplierNumber$eq:25"}).json() == 2
    assert len(s.get(base + "/paged", params={"pageSize": 2}).json()) == 2
    items = s.get(base).json()
    assert "cursor" not in items and len(items["items"]) == 3
    r = s.post(base, json={"supplierNumber": 999, "name": "x"})
    assert r.status_code == 400 and r.json()["errorCode"] == "SupplierDoesNotExist"
    assert s.delete("%s/%d" % (base, n)).status_code == 204
    r = s.get("%s/%d" % (base, n))
    assert r.status_code == 404 and r.json()["errorCode"] == "ResourceNotFound"
    g = s.get(s.apis + "/suppliersapi/v2.0.0/Groups").json()["items"]
    assert g[0] == {
        "number": 1,
        "name": "Diverse",
        "accountNumber": 6800,
        "objectVersion": g[0]["objectVersion"],
    }


def test_webhooksapi_crud(s):
    base = s.apis + "/webhooksapi/v1.0.0/webhooks"
    names = [e["name"] for e in s.get(s.apis + "/webhooksapi/v1.0.0/EventTypes").json()]
    assert {"CUSTOMER_UPDATED", "PRODUCT_UPDATED", "INVOICE_BOOKED"} <= set(names)
    wh = {
        "eventType": "CUSTOMER_UPDATED",
        "name": "hook",
        "url": "https://example.com/h",
        "contentType": "application/json",
    }
    r = s.post(base, json=wh)
    assert r.status_code == 201 and r.json() == {"eventType": "CUSTOMER_UPDATED"}
    assert s.post(base, json=wh).json()["errorCode"] == "WebhookAlreadyExistsForEventType"
    assert (
        s.post(base, json=dict(wh, eventType="INVOICE_BOOKED", url="http://example.com/h")).json()[
            "errorCode"
        ]
        == "WebhookInvalidUrlScheme"
    )
    assert (
        s.post(base, json=dict(wh, eventType="INVOICE_BOOKED", url="not a url")).json()["errorCode"]
        == "WebhookInvalidUrl"
    )
    assert s.post(base, json=dict(wh, eventType="NOPE")).json()["errorCode"] == "WebhookInvalidType"
    many = [{"key": "K%d" % i, "value": "v"} for i in range(6)]
    assert (
        s.post(base, json=dict(wh, eventType="INVOICE_BOOKED", customHeaders=many)).json()[
            "errorCode"
        ]
        == "WebhookCustomHeadersTooMany"
    )
    bad = [{"key": "K", "value": "a\r\nb"}]
    assert (
        s.post(base, json=dict(wh, eventType="INVOICE_BOOKED", customHeaders=bad)).json()[
            "errorCode"
        ]
        == "WebhookCustomHeaderInvalid"
    )
    got = s.get(base + "/CUSTOMER_UPDATED").json()
    assert s.put(base, json=dict(got, name="renamed")).status_code == 204
    assert s.put(base, json=dict(got, name="stale")).status_code == 409
    assert s.get(base + "/count").json() == 1
    assert s.get(base + "/paged").json()[0]["name"] == "renamed"
    assert s.get(base).json()["items"][0]["eventType"] == "CUSTOMER_UPDATED"
    assert s.delete(base + "/CUSTOMER_UPDATED").status_code == 204
    assert s.get(base + "/CUSTOMER_UPDATED").status_code == 404


def test_cli_first_line_and_sigterm():
    p = subprocess.Popen(
        [sys.executable, "-m", "economic_sandbox", "--seed", "empty", "--customers", "3"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        info = json.loads(p.stdout.readline())
        assert set(info) == {
            "rest_url",
            "apis_url",
            "app_secret_token",
            "agreement_grant_token",
            "admin_url",
        }
        r = requests.get(
            info["rest_url"] + "/customers",
            headers={
                "X-AppSecretToken": info["app_secret_token"],
                "X-AgreementGrantToken": info["agreement_grant_token"],
            },
        )
        assert r.json()["pagination"]["results"] == 3
    finally:
        p.terminate()
        assert p.wait(10) == 0


def test_large_seed_is_fast():
    t = time.monotonic()
    with Sandbox(seed="empty", customers=50000) as big:
        h = {
            "X-AppSecretToken": big.info["app_secret_token"],
            "X-AgreementGrantToken": big.info["agreement_grant_token"],
        }
        r = requests.get(
            big.info["rest_url"] + "/customers",
            params={"pagesize": 1000, "skippages": 49},
            headers=h,
        )
        assert r.json()["collection"][-1]["customerNumber"] == 50000
        assert "nextPage" not in r.json()["pagination"]
    assert time.monotonic() - t < 15


def test_concurrent_creates(s):
    def work():
        for _ in range(10):
            assert s.post(s.rest + "/customers", json=CUSTOMER).status_code == 201

    threads = [threading.Thread(target=work) for _ in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    nums = [
        c["customerNumber"]
        for c in s.get(s.rest + "/customers", params={"pagesize": 1000}).json()["collection"]
    ]
    assert len(nums) == 57 and len(set(nums)) == 57
