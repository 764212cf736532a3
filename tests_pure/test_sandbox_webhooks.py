"""Webhooks of the sandbox over real HTTP: classic webhooks (merge fields in the URL, POST or GET,
one request per event, no retries), bursts, the webhooks API (validation, HTTPS only, one webhook
per event type, delivery of postData with custom headers) and the client's ``webhooks``."""

import collections
import datetime
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from wait_helpers import stays_false

from economic_client import ConflictError, EconomicClient, NotFoundError, ValidationError
from economic_sandbox import Sandbox
from economic_sandbox import webhooks as wh_module
from economic_sandbox.util import encode_id

CUSTOMER = {
    "name": "Acme A/S",
    "currency": "DKK",
    "customerGroup": {"customerGroupNumber": 1},
    "paymentTerms": {"paymentTermsNumber": 1},
    "vatZone": {"vatZoneNumber": 1},
}
PRODUCT = {"name": "Widget", "productGroup": {"productGroupNumber": 1}}
WH_API = "/webhooksapi/v1.0.0"


class Receiver:
    """An HTTP server on a thread recording every request: (method, path, headers, body)."""

    def __init__(self, status=200, delay=0.0):
        self.hits = []
        self.status = status
        self.active = self.max_active = 0
        self.lock = threading.Lock()
        outer = self

        class H(BaseHTTPRequestHandler):
            def _any(self):
                with outer.lock:
                    outer.active += 1
                    outer.max_active = max(outer.max_active, outer.active)
                if delay:
                    time.sleep(delay)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                with outer.lock:
                    outer.hits.append((self.command, self.path, dict(self.headers), body))
                    outer.active -= 1
                self.send_response(outer.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            do_GET = do_POST = _any

            def log_message(self, *a):
                pass

        self.srv = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.srv.daemon_threads = True
        self.port = self.srv.server_address[1]
        self.url = "http://127.0.0.1:%d" % self.port
        threading.Thread(
            target=self.srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def close(self):
        self.srv.shutdown()
        self.srv.server_close()

    def paths(self):
        return sorted(h[1] for h in self.hits)


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


@pytest.fixture()
def rx():
    r = Receiver()
    yield r
    r.close()


def _wait(s, timeout=10):
    out = requests.post(s.admin + "/webhooks/wait", json={"timeout": timeout}).json()
    assert out["idle"] and out["pending"] == 0
    return out


def _register(s, typ, url, method=None):
    spec = {"type": typ, "url": url}
    if method:
        spec["method"] = method
    r = requests.post(s.admin + "/webhooks", json=spec)
    assert r.status_code == 201, r.text
    return r.json()


def _closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


# ------------------------------------------------------------------ classic webhooks


def test_customer_updated_on_every_change_rest_and_admin(s, rx):
    hook = _register(s, "customer_updated", rx.url + "/c?new=[NEWNUMBER]&old=[OLDNUMBER]")
    assert hook["method"] == "POST" and hook["type"] == "customer_updated"
    n = s.post(s.rest + "/customers", json=CUSTOMER).json()["customerNumber"]
    assert s.put(s.rest + "/customers/%d" % n, json=dict(CUSTOMER, name="B")).status_code == 200
    requests.post(
        s.admin + "/edit", json={"resource": "customers", "key": n, "changes": {"name": "C"}}
    )
    requests.post(s.admin + "/renumber", json={"resource": "customers", "old": n, "new": 9001})
    assert s.delete(s.rest + "/customers/9001").status_code == 204
    m = requests.post(s.admin + "/create", json={"resource": "customers", "record": CUSTOMER})
    m = m.json()["customerNumber"]
    requests.post(s.admin + "/delete", json={"resource": "customers", "key": m})
    s.put(s.rest + "/products/1", json=dict(PRODUCT, name="not a customer"))
    _wait(s)
    same = "/c?new=%d&old=%d"
    assert rx.paths() == sorted(
        [same % (n, n)] * 3  # create, update (REST), edit (admin)
        + ["/c?new=9001&old=%d" % n, same % (9001, 9001), same % (m, m), same % (m, m)]
    )
    assert {h[0] for h in rx.hits} == {"POST"}
    assert all(h[3] == "" and h[2]["Content-Length"] == "0" for h in rx.hits)
    deliveries = requests.get(s.admin + "/webhooks/deliveries").json()
    assert len(deliveries) == 7 and {d["status"] for d in deliveries} == {200}
    assert sorted(d["event"] for d in deliveries) == sorted(
        ["create", "update", "update", "renumber", "delete", "create", "delete"]
    )
    assert deliveries[0]["kind"] == "classic" and deliveries[0]["event_type"] == "CUSTOMER_UPDATED"


def test_product_updated_by_get_with_encoded_numbers(s, rx):
    _register(s, "PRODUCT_UPDATED", rx.url + "/p/[NEWNUMBER]/[OLDNUMBER]", method="get")
    assert requests.get(s.admin + "/webhooks").json()[0]["type"] == "product_updated"
    r = s.post(s.rest + "/products", json=dict(PRODUCT, productNumber="A B/1"))
    assert r.status_code == 201
    s.put(s.rest + "/products/" + encode_id("A B/1"), json=dict(PRODUCT, name="W2"))
    requests.post(s.admin + "/renumber", json={"resource": "products", "old": "A B/1", "new": "X9"})
    s.delete(s.rest + "/products/X9")
    s.post(s.rest + "/customers", json=CUSTOMER)  # not a product event
    _wait(s)
    assert {h[0] for h in rx.hits} == {"GET"}
    assert rx.paths() == sorted(["/p/A%20B%2F1/A%20B%2F1"] * 2 + ["/p/X9/A%20B%2F1", "/p/X9/X9"])


def test_invoice_booked_by_post_and_put(s, rx):
    _register(s, "invoice_booked", rx.url + "/i?no=[INVOICENO]")
    drafts = [
        d["draftInvoiceNumber"] for d in s.get(s.rest + "/invoices/drafts").json()["collection"]
    ]
    assert len(drafts) >= 2
    b1 = s.post(
        s.rest + "/invoices/booked", json={"draftInvoice": {"draftInvoiceNumber": drafts[0]}}
    )
    b1 = b1.json()["bookedInvoiceNumber"]
    r = s.put(
        s.rest + "/invoices/booked/777", json={"draftInvoice": {"draftInvoiceNumber": drafts[1]}}
    )
    assert r.status_code == 201
    _wait(s)
    assert rx.paths() == sorted(["/i?no=%d" % b1, "/i?no=777"])


def test_daybook_booked_when_a_journal_is_booked(s, rx):
    _register(s, "daybook_booked", rx.url + "/d?j=[DAYBOOKNO]&f=[FROMSERIALNO]&t=[TOSERIALNO]")
    year = str(datetime.date.today().year)
    day = datetime.date.today().isoformat()
    entry = {
        "account": {"accountNumber": 3600},
        "contraAccount": {"accountNumber": 5820},
        "amount": 100,
        "date": day,
        "text": "Rent",
    }
    vouchers = [
        {"accountingYear": {"year": year}, "entries": {"financeVouchers": [dict(entry)]}}
        for _ in range(3)
    ]
    made = s.post(s.rest + "/journals/1/vouchers", json=vouchers).json()
    numbers = [v["voucherNumber"] for v in made]
    before = s.get(s.rest + "/accounting-years/%s/entries" % year).json()["pagination"]["results"]
    r = requests.post(s.admin + "/journals/book", json={"journal": 1})
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["fromSerialNo"], out["toSerialNo"]) == (min(numbers), max(numbers))
    assert len(out["entries"]) == 6  # the account side and the contra side of each entry
    assert s.get(s.rest + "/journals/1/entries").json()["collection"] == []
    ledger = s.get(s.rest + "/accounting-years/%s/entries?pagesize=1000" % year).json()
    assert ledger["pagination"]["results"] == before + 6
    mine = [e for e in ledger["collection"] if e["entryNumber"] in out["entries"]]
    assert sorted(e["voucherNumber"] for e in mine) == sorted(numbers * 2)
    assert sum(e["amount"] for e in mine) == 0
    # nothing left to book: refused, nothing sent
    assert requests.post(s.admin + "/journals/book", json={"journal": 1}).status_code == 400
    assert requests.post(s.admin + "/journals/book", json={"journal": 99}).status_code == 404
    _wait(s)
    assert rx.paths() == ["/d?j=1&f=%d&t=%d" % (min(numbers), max(numbers))]


def test_failed_deliveries_are_recorded_not_retried(s):
    bad = Receiver(status=500)
    try:
        _register(s, "customer_updated", bad.url + "/x?n=[NEWNUMBER]")
        _register(s, "customer_updated", "http://127.0.0.1:%d/y" % _closed_port())
        n = s.post(s.rest + "/customers", json=CUSTOMER).json()["customerNumber"]
        out = _wait(s)
        # no retry: neither receiver is called again
        stays_false(
            lambda: len(bad.hits) > 1
            or requests.get(s.admin + "/webhooks/stats").json()["delivered"] > 2,
            0.3,
            lambda: "a failed delivery was retried: %r" % bad.hits,
        )
        assert [h[1] for h in bad.hits] == ["/x?n=%d" % n]
        assert (out["emitted"], out["delivered"], out["failed"], out["succeeded"]) == (2, 2, 2, 0)
        got = {d["hook"]: d for d in requests.get(s.admin + "/webhooks/deliveries").json()}
        statuses = sorted(str(d["status"]) for d in got.values())
        assert statuses == ["500", "None"]
        assert [d["error"] for d in got.values() if d["status"] is None][0]
        assert [d["response"] for d in got.values() if d["status"] == 500] == ["ok"]
    finally:
        bad.close()


def test_registration_refusals_unregister_and_reset(s, rx):
    for spec in (
        {"type": "project_updated", "url": rx.url},
        {"type": "customer_updated", "url": "ftp://x/y"},
        {"type": "customer_updated", "url": rx.url, "method": "PUT"},
    ):
        assert requests.post(s.admin + "/webhooks", json=spec).status_code == 400
    a = _register(s, "customer_updated", rx.url + "/a")
    _register(s, "customer_updated", rx.url + "/b")
    assert requests.delete(s.admin + "/webhooks/%d" % a["id"]).json() == {"removed": 1}
    assert requests.delete(s.admin + "/webhooks/%d" % a["id"]).status_code == 404
    s.post(s.rest + "/customers", json=CUSTOMER)
    _wait(s)
    assert rx.paths() == ["/b"]
    requests.post(s.admin + "/reset", json={"seed": "demo"})
    assert requests.get(s.admin + "/webhooks").json() == []
    assert requests.get(s.admin + "/webhooks/deliveries").json() == []
    assert requests.get(s.admin + "/webhooks/stats").json()["emitted"] == 0


# ------------------------------------------------------------------ bursts


def test_burst_concurrent_unordered_bounded(s, sb, monkeypatch):
    slow = Receiver(delay=0.005)
    try:
        monkeypatch.setattr(wh_module, "KEEP", 500)
        requests.post(s.admin + "/reset", json={"seed": "demo"})  # the deliveries list: 500 kept
        _register(s, "customer_updated", slow.url + "/c?new=[NEWNUMBER]&old=[OLDNUMBER]")
        started = time.monotonic()
        r = requests.post(
            s.admin + "/webhooks/burst",
            json={"type": "customer_updated", "numbers": list(range(1, 201)), "repeat": 10},
        )
        assert r.status_code == 202 and r.json() == {"events": 2000, "queued": 2000}
        out = _wait(s, timeout=60)
        elapsed = time.monotonic() - started
        assert (out["emitted"], out["delivered"], out["succeeded"]) == (2000, 2000, 2000)
        assert out["kept"] == 500
        counts = collections.Counter(h[1] for h in slow.hits)
        assert len(counts) == 200 and set(counts.values()) == {10}
        assert counts["/c?new=7&old=7"] == 10
        assert slow.max_active > 1  # delivered concurrently
        assert elapsed < 2000 * 0.005  # faster than one at a time
        kept = requests.get(s.admin + "/webhooks/deliveries").json()
        assert len(kept) == 500 and kept[-1]["id"] == 2000 and kept[0]["event"] == "burst"
        since = requests.get(s.admin + "/webhooks/deliveries", params={"since": 1990}).json()
        assert [d["id"] for d in since] == list(range(1991, 2001))
    finally:
        slow.close()


def test_burst_of_explicit_events_and_daybooks(s, rx):
    _register(s, "product_updated", rx.url + "/p?n=[NEWNUMBER]&o=[OLDNUMBER]")
    _register(s, "daybook_booked", rx.url + "/d/[DAYBOOKNO]/[FROMSERIALNO]-[TOSERIALNO]")
    r = requests.post(
        s.admin + "/webhooks/burst",
        json={"type": "product_updated", "events": [{"newnumber": "B", "oldnumber": "A"}]},
    )
    assert r.json()["queued"] == 1
    requests.post(
        s.admin + "/webhooks/burst",
        json={"type": "journal_booked", "numbers": [1, 2], "from": 5, "to": 8, "repeat": 2},
    )
    bad = requests.post(s.admin + "/webhooks/burst", json={"type": "nope", "numbers": [1]})
    assert bad.status_code == 400
    _wait(s)
    assert rx.paths() == sorted(["/p?n=B&o=A"] + ["/d/1/5-8", "/d/2/5-8"] * 2)


# ------------------------------------------------------------------ webhooks API


def _api_hook(url, event_type="CUSTOMER_UPDATED", **extra):
    return dict(
        {"eventType": event_type, "name": "Odoo", "url": url, "contentType": "application/json"},
        **extra,
    )


def _code(r):
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == 400 and body["errors"][0]["errorCode"] == body["errorCode"]
    return body["errorCode"]


def test_api_event_types(s):
    types = {t["name"]: t for t in s.get(s.apis + WH_API + "/EventTypes").json()}
    assert set(types) >= {"CUSTOMER_UPDATED", "PRODUCT_UPDATED", "INVOICE_BOOKED", "JOURNAL_BOOKED"}
    fields = [f["fieldName"] for f in types["JOURNAL_BOOKED"]["mergeFields"]]
    assert fields == ["[DAYBOOKNO]", "[FROMSERIALNO]", "[TOSERIALNO]"]
    assert [f["fieldName"] for f in types["CUSTOMER_UPDATED"]["mergeFields"]] == [
        "[NEWNUMBER]",
        "[OLDNUMBER]",
    ]


def test_api_validation(s):
    base = s.apis + WH_API + "/webhooks"
    ok = "https://odoo.example.com/hook?n=[NEWNUMBER]"
    assert _code(s.post(base, json=_api_hook("http://127.0.0.1:8069/h"))) == (
        "WebhookInvalidUrlScheme"
    )
    r = s.post(base, json=_api_hook("http://example.com/h"))
    assert r.json()["errors"][0]["message"] == "Only HTTPS is allowed for the webhook URL."
    for url in ("not a url", "https://", "https://exa mple.com/x", "/relative"):
        assert _code(s.post(base, json=_api_hook(url))) == "WebhookInvalidUrl", url
    assert _code(s.post(base, json=_api_hook(ok, "NOPE"))) == "WebhookInvalidType"
    many = [{"key": "X-K%d" % i, "value": "v"} for i in range(6)]
    assert _code(s.post(base, json=_api_hook(ok, customHeaders=many))) == (
        "WebhookCustomHeadersTooMany"
    )
    five = [{"key": "X-K%d" % i, "value": "v" * 200} for i in range(5)]
    assert _code(s.post(base, json=_api_hook(ok, customHeaders=five))) == (
        "WebhookCustomHeadersTooLong"
    )
    for bad in ({"key": "X-K", "value": "a\r\nb"}, {"key": "X\nK", "value": "v"}):
        assert _code(s.post(base, json=_api_hook(ok, customHeaders=[bad]))) == (
            "WebhookCustomHeaderInvalid"
        )
    assert _code(s.post(base, json={"eventType": "CUSTOMER_UPDATED", "url": ok})) == (
        "ValidationError"
    )
    assert s.get(base + "/count").json() == 0
    r = s.post(base, json=_api_hook(ok, customHeaders=[{"key": "X-Secret", "value": "s"}]))
    assert r.status_code == 201 and r.json() == {"eventType": "CUSTOMER_UPDATED"}
    assert _code(s.post(base, json=_api_hook(ok))) == "WebhookAlreadyExistsForEventType"
    got = s.get(base + "/CUSTOMER_UPDATED").json()
    assert got["customHeaders"] == [{"key": "X-Secret", "value": "s"}] and got["objectVersion"]
    no_version = {k: v for k, v in got.items() if k != "objectVersion"}
    assert _code(s.put(base, json=no_version)) == "ValidationError"
    assert s.put(base, json=dict(got, name="renamed")).status_code == 204
    stale = s.put(base, json=dict(got, name="stale"))
    assert stale.status_code == 409 and stale.json()["errorCode"] == "UpdateConflict"
    fresh = s.get(base + "/CUSTOMER_UPDATED").json()
    assert _code(s.put(base, json=dict(fresh, url="http://example.com"))) == (
        "WebhookInvalidUrlScheme"
    )
    assert s.put(base, json=dict(fresh, eventType="PRODUCT_UPDATED")).status_code == 404
    assert s.get(base + "/count").json() == 1
    assert [w["name"] for w in s.get(base + "/paged").json()] == ["renamed"]
    assert s.get(base, params={"filter": "eventType$eq:INVOICE_BOOKED"}).json() == {"items": []}
    assert s.delete(base + "/CUSTOMER_UPDATED").status_code == 204
    assert s.delete(base + "/CUSTOMER_UPDATED").status_code == 404
    assert s.get(base + "/CUSTOMER_UPDATED").status_code == 404


def test_api_delivery_postdata_headers_and_https_downgrade(s, rx):
    base = s.apis + WH_API + "/webhooks"
    hook = _api_hook(
        "https://127.0.0.1:%d/hook/[NEWNUMBER]" % rx.port,
        postData='{"new": "[NEWNUMBER]", "old": "[OLDNUMBER]"}',
        contentType="application/vnd.test+json",
        customHeaders=[{"key": "X-Secret", "value": "s3cr3t"}, {"key": "X-Other", "value": "1"}],
    )
    assert s.post(base, json=hook).status_code == 201
    n = s.post(s.rest + "/customers", json=CUSTOMER).json()["customerNumber"]
    _wait(s)
    assert rx.hits == []  # https to a plain http receiver: the TLS handshake fails, recorded
    failed = requests.get(s.admin + "/webhooks/deliveries").json()
    assert [d["status"] for d in failed] == [None] and failed[0]["kind"] == "api"
    down = requests.post(s.admin + "/webhooks/https-downgrade", json={"enabled": True})
    assert down.json() == {"enabled": True, "rewrite": {}}
    requests.post(s.admin + "/renumber", json={"resource": "customers", "old": n, "new": 4242})
    _wait(s)
    (method, path, headers, body) = rx.hits[0]
    assert (method, path, json.loads(body)) == (
        "POST",
        "/hook/4242",
        {"new": "4242", "old": str(n)},
    )
    assert headers["Content-Type"] == "application/vnd.test+json"
    assert headers["X-Secret"] == "s3cr3t" and headers["X-Other"] == "1"
    last = requests.get(s.admin + "/webhooks/deliveries").json()[-1]
    assert last["delivered_to"] == "http://127.0.0.1:%d/hook/4242" % rx.port
    # disabled: nothing sent; enabled again: sent
    got = s.get(base + "/CUSTOMER_UPDATED").json()
    assert s.put(base, json=dict(got, isDisabled=True)).status_code == 204
    disabled = s.get(base + "/CUSTOMER_UPDATED").json()
    assert disabled["isDisabled"] is True and disabled["lastDisabledDate"]
    s.put(s.rest + "/customers/4242", json=dict(CUSTOMER, name="Quiet"))
    _wait(s)
    assert len(rx.hits) == 1
    assert s.put(base, json=dict(disabled, isDisabled=False)).status_code == 204
    s.put(s.rest + "/customers/4242", json=dict(CUSTOMER, name="Loud"))
    _wait(s)
    assert len(rx.hits) == 2


def test_api_delivery_rewrite_map_and_classic_alongside(s, rx):
    base = s.apis + WH_API + "/webhooks"
    requests.post(
        s.admin + "/webhooks/https-downgrade",
        json={"rewrite": {"https://odoo.test": rx.url + "/odoo"}},
    )
    assert (
        s.post(
            base,
            json=_api_hook("https://odoo.test/wh?i=[INVOICENO]", "INVOICE_BOOKED", postData=""),
        ).status_code
        == 201
    )
    _register(s, "invoice_booked", rx.url + "/classic/[INVOICENO]")
    d = s.get(s.rest + "/invoices/drafts").json()["collection"][0]["draftInvoiceNumber"]
    b = s.post(s.rest + "/invoices/booked", json={"draftInvoice": {"draftInvoiceNumber": d}})
    b = b.json()["bookedInvoiceNumber"]
    _wait(s)
    assert rx.paths() == sorted(["/odoo/wh?i=%d" % b, "/classic/%d" % b])
    got = requests.get(s.admin + "/webhooks/https-downgrade").json()
    assert got == {"enabled": False, "rewrite": {"https://odoo.test": rx.url + "/odoo"}}


# ------------------------------------------------------------------ the client


@pytest.fixture()
def client(s, sb):
    info = sb.info
    with EconomicClient(
        info["app_secret_token"],
        info["agreement_grant_token"],
        rest_url=info["rest_url"],
        apis_url=info["apis_url"],
        timeout=5,
        max_attempts=2,
        sleep=lambda _s: None,
    ) as cli:
        yield cli


def test_client_webhooks(client, s, rx):
    names = [t["name"] for t in client.webhooks.event_types()]
    assert "JOURNAL_BOOKED" in names and "PRODUCT_UPDATED" in names
    assert client.webhooks.list() == [] and client.webhooks.count() == 0
    with pytest.raises(NotFoundError):
        client.webhooks.get("PRODUCT_UPDATED")
    hook = _api_hook(
        "https://127.0.0.1:%d/p" % rx.port,
        "PRODUCT_UPDATED",
        postData="[NEWNUMBER]",
        contentType="text/plain",
        customHeaders=[{"key": "X-Secret", "value": "one"}],
    )
    assert client.webhooks.create(hook) == {"eventType": "PRODUCT_UPDATED"}
    with pytest.raises(ValidationError) as info:
        client.webhooks.create(hook)
    assert info.value.error_code == "WebhookAlreadyExistsForEventType"
    with pytest.raises(ValidationError) as info:
        client.webhooks.create(_api_hook("http://example.com/x", "INVOICE_BOOKED"))
    assert info.value.error_code == "WebhookInvalidUrlScheme"
    got = client.webhooks.get("PRODUCT_UPDATED")
    client.webhooks.update(dict(got, name="renamed"))
    with pytest.raises(ConflictError):
        client.webhooks.update(dict(got, name="stale"))
    with pytest.raises(ValueError):
        client.webhooks.update({k: v for k, v in got.items() if k != "objectVersion"})
    saved = client.webhooks.save(dict(hook, customHeaders=[{"key": "X-Secret", "value": "two"}]))
    assert saved["customHeaders"] == [{"key": "X-Secret", "value": "two"}]
    assert saved["name"] == "Odoo"
    created = client.webhooks.save(_api_hook("https://odoo.example.com/c", "CUSTOMER_UPDATED"))
    assert created["eventType"] == "CUSTOMER_UPDATED"
    assert [w["eventType"] for w in client.webhooks.list()] == [
        "CUSTOMER_UPDATED",
        "PRODUCT_UPDATED",
    ]
    # what it registered is what is delivered
    requests.post(s.admin + "/webhooks/https-downgrade", json={"enabled": True})
    s.put(s.rest + "/products/1", json=dict(PRODUCT, name="Via client"))
    _wait(s)
    (method, path, headers, body) = rx.hits[0]
    assert (method, path, body, headers["X-Secret"]) == ("POST", "/p", "1", "two")
    assert headers["Content-Type"] == "text/plain"
    client.webhooks.delete("PRODUCT_UPDATED")
    assert [w["eventType"] for w in client.webhooks.list()] == ["CUSTOMER_UPDATED"]
