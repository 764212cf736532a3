"""Webhook delivery like e-conomic's (docs/ECONOMIC.md §8): classic webhooks (registered through the admin
API, merge fields in the URL, POST or GET) and webhooks-API hooks (`postData` with merge fields,
`contentType`, `customHeaders`; POST).

One request per event, no retries: a failed delivery is recorded, never sent again.  A pool of
worker threads delivers, so requests of a burst overlap and arrive in no particular order.  The
last `KEEP` deliveries are kept for `GET /__sandbox__/webhooks/deliveries`, with counters over
all of them; `POST /__sandbox__/webhooks/wait` waits until every queued request is answered."""

import collections
import http.client
import queue
import threading
import time
from urllib.parse import quote, urlsplit

#: classic type -> (webhooks-API event type, merge fields)
TYPES = {
    "customer_updated": ("CUSTOMER_UPDATED", ("NEWNUMBER", "OLDNUMBER")),
    "product_updated": ("PRODUCT_UPDATED", ("NEWNUMBER", "OLDNUMBER")),
    "invoice_booked": ("INVOICE_BOOKED", ("INVOICENO",)),
    "daybook_booked": ("JOURNAL_BOOKED", ("DAYBOOKNO", "FROMSERIALNO", "TOSERIALNO")),
}
ALIASES = dict(
    {api.lower(): name for name, (api, _f) in TYPES.items()},
    day_book_booked="daybook_booked",
)
RESOURCE_TYPES = {"customers": "customer_updated", "products": "product_updated"}
API_TYPES = {name: api for name, (api, _f) in TYPES.items()}
EVENT_TYPES = [
    {
        "name": "CUSTOMER_UPDATED",
        "description": "A customer was created, updated, deleted or renumbered.",
        "mergeFields": [
            {"fieldName": "[NEWNUMBER]", "description": "The customer's (new) number."},
            {"fieldName": "[OLDNUMBER]", "description": "The customer's previous number."},
        ],
    },
    {
        "name": "PRODUCT_UPDATED",
        "description": "A product was created, updated, deleted or renumbered.",
        "mergeFields": [
            {"fieldName": "[NEWNUMBER]", "description": "The product's (new) number."},
            {"fieldName": "[OLDNUMBER]", "description": "The product's previous number."},
        ],
    },
    {
        "name": "INVOICE_BOOKED",
        "description": "An invoice was booked.",
        "mergeFields": [{"fieldName": "[INVOICENO]", "description": "The booked invoice number."}],
    },
    {
        "name": "JOURNAL_BOOKED",
        "description": "A journal (day book) was booked.",
        "mergeFields": [
            {"fieldName": "[DAYBOOKNO]", "description": "The journal number."},
            {"fieldName": "[FROMSERIALNO]", "description": "First voucher number."},
            {"fieldName": "[TOSERIALNO]", "description": "Last voucher number."},
        ],
    },
]
WORKERS = 8  # concurrent deliveries
TIMEOUT = 10.0  # seconds per request (e-conomic's own timeout is unknown)
KEEP = 10000  # deliveries kept for GET /webhooks/deliveries
RESPONSE_KEEP = 500  # characters of a receiver's answer kept per delivery
LOOPBACK = ("127.0.0.1", "localhost", "::1")
USER_AGENT = "economic-sandbox-webhooks"
MAX_BURST = 200000  # events per burst call (e-conomic: 100,000 in a product import)
COUNTERS = ("emitted", "delivered", "succeeded", "failed")


def substitute(text, fields, encode=False):
    """Replace `[FIELD]` by its value; `encode`: percent-encoded (a value put into a URL)."""
    for k, v in fields.items():
        v = "" if v is None else str(v)
        text = text.replace("[%s]" % k, quote(v, safe="") if encode else v)
    return text


def classic_type(raw):
    typ = str(raw or "").strip().lower()
    typ = ALIASES.get(typ, typ)
    if typ not in TYPES:
        raise ValueError("type must be one of %s" % sorted(TYPES))
    return typ


def _check_url(url):
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("url must be an absolute http(s) URL")


class Webhooks:
    def __init__(self, sandbox):
        self.sb = sandbox
        self.lock = threading.Lock()
        self.idle = threading.Condition(self.lock)
        self.q = queue.Queue()
        self.threads = []
        self.pending = 0
        self.generation = 0
        self._clear()

    def _clear(self):
        self.classic = []
        self.next_hook = 1
        self.next_delivery = 1
        self.deliveries = collections.deque(maxlen=KEEP)
        self.counters = dict.fromkeys(COUNTERS, 0)
        self.downgrade = {"enabled": False, "rewrite": {}}

    def reset(self):
        """Forget registrations, deliveries, counters and the downgrade; drop queued events."""
        with self.lock:
            self.generation += 1
            self._clear()
        dropped = 0
        while True:
            try:
                job = self.q.get_nowait()
            except queue.Empty:
                break
            if job is None:  # a stop() sentinel: keep it
                self.q.put(None)
                break
            dropped += 1
        self._done(dropped)

    # ------------------------------------------------------------- classic registrations
    def register(self, spec):
        typ = classic_type(spec.get("type"))
        url = spec.get("url")
        _check_url(url)
        method = str(spec.get("method") or "POST").upper()
        if method not in ("POST", "GET"):
            raise ValueError("method must be POST or GET")
        with self.lock:
            hook = {"id": self.next_hook, "type": typ, "url": url, "method": method}
            self.next_hook += 1
            self.classic.append(hook)
            return dict(hook)

    def unregister(self, hook_id=None):
        with self.lock:
            before = len(self.classic)
            self.classic = [h for h in self.classic if hook_id is not None and h["id"] != hook_id]
            return before - len(self.classic)

    def set_downgrade(self, data):
        """Test-only: deliver https:// URLs of loopback hosts over plain http (`enabled`), and/or
        rewrite URL prefixes (`rewrite`: {"https://odoo.test": "http://127.0.0.1:8069"})."""
        with self.lock:
            if "enabled" in data:
                self.downgrade["enabled"] = bool(data["enabled"])
            if "rewrite" in data:
                rewrite = data["rewrite"] or {}
                if not isinstance(rewrite, dict):
                    raise ValueError("rewrite must be an object of URL prefixes")
                for target in rewrite.values():
                    _check_url(target)
                self.downgrade["rewrite"] = {str(k): str(v) for k, v in rewrite.items()}
            return {
                "enabled": self.downgrade["enabled"],
                "rewrite": dict(self.downgrade["rewrite"]),
            }

    # ------------------------------------------------------------- events
    def record_change(self, resource, kind, old_key, new_key):
        """A customer/product was created, updated, deleted or renumbered (`kind`).  Create,
        update and delete carry the record's number as both NEWNUMBER and OLDNUMBER."""
        typ = RESOURCE_TYPES.get(resource)
        if typ:
            self.emit(typ, {"NEWNUMBER": new_key, "OLDNUMBER": old_key}, kind)

    def invoice_booked(self, number):
        self.emit("invoice_booked", {"INVOICENO": number}, "booked")

    def daybook_booked(self, journal, first, last):
        self.emit(
            "daybook_booked",
            {"DAYBOOKNO": journal, "FROMSERIALNO": first, "TOSERIALNO": last},
            "booked",
        )

    def emit(self, typ, fields, event):
        self._enqueue(self._makers(typ), [(fields, event)])

    def burst(self, spec):
        """`{"type", "numbers": [..], "repeat": k}` (or `"events": [{merge fields}]`): one event
        per number (or event) and repeat, queued at once; records are not touched."""
        typ = classic_type(spec.get("type"))
        repeat = int(spec.get("repeat", 1))
        if not 1 <= repeat <= 100000:
            raise ValueError("repeat must be 1..100000")
        events = spec.get("events")
        if events is None:
            events = [_fields_of(typ, n, spec) for n in spec.get("numbers") or []]
        elif not all(isinstance(e, dict) for e in events):
            raise ValueError("events must be objects of merge fields")
        if len(events) * repeat > MAX_BURST:
            raise ValueError("at most %d events per burst" % MAX_BURST)
        items = [({k.upper(): v for k, v in e.items()}, "burst") for e in events] * repeat
        return {"events": len(items), "queued": self._enqueue(self._makers(typ), items)}

    def _makers(self, typ):
        """One function per receiver of `typ` (classic hooks, the API webhook): fields → job."""
        with self.lock:
            hooks = [dict(h) for h in self.classic if h["type"] == typ]
        makers = [_classic_maker(typ, h) for h in hooks]
        api = self.sb.state.t("openapi/webhooks").get(API_TYPES[typ])
        if api and not api.get("isDisabled"):
            makers.append(_api_maker(typ, dict(api)))
        return makers

    def _enqueue(self, makers, items):
        if not makers or not items:
            return 0
        jobs = [make(fields, event) for fields, event in items for make in makers]
        with self.lock:
            self.pending += len(jobs)
            self.counters["emitted"] += len(jobs)
            gen = self.generation
            for job in jobs:
                job["id"] = self.next_delivery
                job["generation"] = gen
                self.next_delivery += 1
        for job in jobs:
            self.q.put(job)
        return len(jobs)

    # ------------------------------------------------------------- delivery threads
    def start(self):
        if not self.threads:
            self.threads = [
                threading.Thread(target=self._run, daemon=True, name="sandbox-webhooks-%d" % i)
                for i in range(WORKERS)
            ]
            for t in self.threads:
                t.start()

    def stop(self):
        for _t in self.threads:
            self.q.put(None)
        for t in self.threads:
            t.join(timeout=TIMEOUT + 1)
        self.threads = []

    def _run(self):
        while True:
            job = self.q.get()
            if job is None:
                return
            result = self._deliver(job)
            with self.lock:
                if job["generation"] == self.generation:
                    self.deliveries.append(result)
                    self.counters["delivered"] += 1
                    self.counters["succeeded" if _ok(result) else "failed"] += 1
            self._done(1)

    def _done(self, n):
        if n:
            with self.lock:
                self.pending -= n
                if self.pending <= 0:
                    self.idle.notify_all()

    def _target(self, url):
        with self.lock:
            rewrite = sorted(self.downgrade["rewrite"].items(), key=lambda kv: -len(kv[0]))
            enabled = self.downgrade["enabled"]
        for prefix, repl in rewrite:
            if url.startswith(prefix):
                return repl + url[len(prefix) :]
        parts = urlsplit(url)
        if enabled and parts.scheme == "https" and parts.hostname in LOOPBACK:
            return "http" + url[len("https") :]
        return url

    def _deliver(self, job):
        result = {k: v for k, v in job.items() if k != "generation"}
        result["time"] = self.sb.state.clock.stamp()
        target = self._target(job["url"])
        if target != job["url"]:
            result["delivered_to"] = target
        started = time.monotonic()
        try:
            result["status"], result["response"] = _send(
                target, job["method"], job["headers"], job["body"]
            )
        except Exception as e:  # refused, timeout, TLS, bad URL: recorded, never retried
            result["status"] = None
            result["error"] = repr(e)
        result["ms"] = round((time.monotonic() - started) * 1000, 1)
        return result

    # ------------------------------------------------------------- admin views
    def wait_idle(self, timeout=5.0):
        with self.lock:
            return self.idle.wait_for(lambda: self.pending <= 0, timeout)

    def stats(self):
        with self.lock:
            return dict(self.counters, pending=self.pending, kept=len(self.deliveries))

    def list_deliveries(self, query):
        since = int(query.get("since") or 0)
        typ = query.get("type")
        with self.lock:
            out = [d for d in self.deliveries if d["id"] > since]
        if typ:
            out = [d for d in out if typ in (d["type"], d["event_type"])]
        return sorted(out, key=lambda d: d["id"])

    def clear_deliveries(self):
        with self.lock:
            self.deliveries.clear()
            self.counters = dict.fromkeys(COUNTERS, 0)


def _ok(result):
    return result.get("status") is not None and 200 <= result["status"] < 300


def _fields_of(typ, number, spec):
    if typ in ("customer_updated", "product_updated"):
        return {"NEWNUMBER": number, "OLDNUMBER": number}
    if typ == "invoice_booked":
        return {"INVOICENO": number}
    return {
        "DAYBOOKNO": number,
        "FROMSERIALNO": spec.get("from", 1),
        "TOSERIALNO": spec.get("to", spec.get("from", 1)),
    }


def _classic_maker(typ, hook):
    """Classic: the configured URL with the merge fields put in (percent-encoded), POST with an
    empty body or GET; no other payload is documented for classic webhooks."""

    def make(fields, event):
        return {
            "kind": "classic",
            "hook": hook["id"],
            "type": typ,
            "event_type": API_TYPES[typ],
            "event": event,
            "fields": fields,
            "url": substitute(hook["url"], fields, encode=True),
            "method": hook["method"],
            "headers": {"User-Agent": USER_AGENT},
            "body": "",
        }

    return make


def _api_maker(typ, api):
    """Webhooks API: POST to the URL (merge fields put in, percent-encoded), body = postData with
    the merge fields put in as they are, Content-Type = contentType, plus the custom headers."""
    headers = {"User-Agent": USER_AGENT, "Content-Type": api.get("contentType") or ""}
    for kv in api.get("customHeaders") or []:
        headers[kv["key"]] = kv["value"]

    def make(fields, event):
        return {
            "kind": "api",
            "type": typ,
            "event_type": API_TYPES[typ],
            "event": event,
            "fields": fields,
            "url": substitute(api["url"], fields, encode=True),
            "method": "POST",
            "headers": dict(headers),
            "body": substitute(api.get("postData") or "", fields),
        }

    return make


def _send(url, method, headers, body):
    """One request on a fresh connection (no keep-alive, no proxy); (status, answer text)."""
    parts = urlsplit(url)
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
        data = body.encode("utf-8") if method == "POST" else None
        hdrs = dict(headers, Connection="close")
        if method == "POST":
            hdrs["Content-Length"] = str(len(data))
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return resp.status, resp.read(RESPONSE_KEEP * 4).decode("utf-8", "replace")[:RESPONSE_KEEP]
    finally:
        conn.close()


def admin_call(sb, method, path, query, data):
    """`/__sandbox__/webhooks...` admin calls (docs/CONTRACTS.md); None when not one of them."""
    wh = sb.webhooks
    if path == "/webhooks":
        if method == "POST":
            return 201, wh.register(data)
        if method == "GET":
            with wh.lock:
                return 200, [dict(h) for h in wh.classic]
        if method == "DELETE":
            return 200, {"removed": wh.unregister()}
    if path.startswith("/webhooks/") and path[len("/webhooks/") :].isdigit():
        if method == "DELETE":
            removed = wh.unregister(int(path[len("/webhooks/") :]))
            return (200, {"removed": removed}) if removed else (404, {"error": "no such webhook"})
    if path == "/webhooks/deliveries":
        if method == "GET":
            return 200, wh.list_deliveries(query)
        if method == "DELETE":
            wh.clear_deliveries()
            return 200, {"ok": True}
    if path == "/webhooks/stats" and method == "GET":
        return 200, wh.stats()
    if path == "/webhooks/burst" and method == "POST":
        return 202, wh.burst(data)
    if path == "/webhooks/wait" and method == "POST":
        idle = wh.wait_idle(float(data.get("timeout", 10)))
        return 200, dict(wh.stats(), idle=idle)
    if path == "/webhooks/https-downgrade":
        if method == "POST":
            return 200, wh.set_downgrade(data)
        if method == "GET":
            return 200, wh.set_downgrade({})
    return None
