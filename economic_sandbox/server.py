"""HTTP layer: two loopback servers (legacy REST and OpenAPI "apis" host), auth, headers, faults,
idempotency, rate limiting and the request log.  `Sandbox` is the in-process entry point."""

import collections
import random
import select
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import errors
from .ratelimit import Bucket
from .store import State
from .util import dumps, request_id

APP_SECRET = "sandbox-app-secret"
GRANT = "sandbox-agreement-grant"
IDEMPOTENCY_TTL = 3600.0  # seconds of the sandbox clock (admin /clock moves it)
HANG_DEFAULT = 30.0
REQUEST_LOG_MAX = 100_000
ADMIN_PREFIX = "/__sandbox__"


def _flag(value):
    """A JSON/CLI boolean: True, False, "true", "false", 1, 0."""
    if isinstance(value, str):
        return value.strip().lower() not in ("", "0", "false", "no", "off")
    return bool(value)


class _Drop(Exception):
    """Close the connection without answering."""


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []
        self.next_id = 0

    def add(self, spec):
        with self.lock:
            self.next_id += 1
            f = dict(spec)
            f["id"] = self.next_id
            f.setdefault("times", 1)
            f.setdefault("skip", 0)
            f["_seen"] = 0
            # "probability": the fault strikes each matching request with that chance (a
            # deterministic "seed" makes a run repeatable); others pass untouched
            f["_random"] = random.Random(f.get("seed", 0))
            self.items.append(f)
            return f["id"]

    def clear(self):
        with self.lock:
            self.items.clear()

    def match(self, method, path, host, flt=None):
        with self.lock:
            for f in list(self.items):
                if f.get("method") and f["method"].upper() != method:
                    continue
                if f.get("filter_contains") and f["filter_contains"] not in (flt or ""):
                    continue
                if f.get("host") and f["host"] != host:
                    continue
                if not path.startswith(f.get("path") or "/"):
                    continue
                f["_seen"] += 1
                if f["_seen"] <= f["skip"]:
                    continue
                if "probability" in f and f["_random"].random() >= float(f["probability"]):
                    continue
                times = f.get("times")
                if times is not None and times >= 0:
                    if times == 0:
                        self.items.remove(f)
                        continue
                    f["times"] = times - 1
                    if f["times"] == 0:
                        self.items.remove(f)
                return f
        return None


class Sandbox:
    """A stateful e-conomic look-alike on loopback.  See README.md and docs/CONTRACTS.md."""

    def __init__(
        self,
        seed="demo",
        customers=0,
        suppliers=0,
        products=0,
        invoices=0,
        host="127.0.0.1",
        port=0,
        apis_port=0,
        contacts_per_customer=0,
        inventory=True,
        lines_per_invoice=5,
    ):
        from .webhooks import Webhooks

        self.host, self.port, self.apis_port = host, port, apis_port
        self.seed_args = dict(
            seed=seed,
            customers=customers,
            suppliers=suppliers,
            products=products,
            invoices=invoices,
            contacts_per_customer=contacts_per_customer,
            inventory=inventory,
            lines_per_invoice=lines_per_invoice,
        )
        self.state = State()
        self.faults = Faults()
        self.bucket_config = (10000, 60)
        self.buckets = {}
        self.buckets_lock = threading.Lock()
        self.idem = {}
        self.idem_lock = threading.Lock()
        self.idem_key_locks = collections.defaultdict(threading.Lock)
        self._stopping = threading.Event()  # set by stop(): hangs and latency faults end at once
        self.request_log = collections.deque(maxlen=REQUEST_LOG_MAX)
        self.webhooks = Webhooks(self)
        self._servers = []
        self.rest_url = self.apis_url = None
        self._build_routers()

    # ---------------------------------------------------------------- lifecycle
    def _build_routers(self):
        from .openapi import build_apis_router
        from .resources import build_router

        self.rest_router = build_router()
        self.apis_router = build_apis_router()

    def start(self):
        self._stopping.clear()
        rest = _make_server(self, self.host, self.port, "rest")
        apis = _make_server(self, self.host, self.apis_port, "apis")
        self._servers = [rest, apis]
        self.rest_url = "http://%s:%d" % (self.host, rest.server_address[1])
        self.apis_url = "http://%s:%d" % (self.host, apis.server_address[1])
        self.reset(**self.seed_args)
        for srv in self._servers:
            t = threading.Thread(
                target=srv.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
            )
            t.start()
        self.webhooks.start()
        return self

    def stop(self):
        self._stopping.set()
        for srv in self._servers:
            srv.shutdown()
            # handler threads are daemons, never joined: without this, idle keep-alive
            # connections would still be answered (and hangs go on) after stop()
            srv.close_connections()
            srv.server_close()
        self._servers = []
        self.webhooks.stop()

    def __enter__(self):
        if not self._servers:
            self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    @property
    def info(self):
        return {
            "rest_url": self.rest_url,
            "apis_url": self.apis_url,
            "app_secret_token": APP_SECRET,
            "agreement_grant_token": GRANT,
            "admin_url": self.rest_url + ADMIN_PREFIX,
        }

    def reset(
        self,
        seed="demo",
        customers=0,
        suppliers=0,
        products=0,
        invoices=0,
        contacts_per_customer=0,
        inventory=True,
        lines_per_invoice=5,
    ):
        """Empty the agreement and seed it again (`inventory`: with the inventory module;
        `invoices` booked invoices of `lines_per_invoice` lines each)."""
        from .seed import load_seed

        with self.state.lock:
            self.state.reset_tables()
            load_seed(
                self,
                seed,
                int(customers or 0),
                int(suppliers or 0),
                int(products or 0),
                int(invoices or 0),
                int(contacts_per_customer or 0),
                inventory=_flag(inventory),
                lines_per_invoice=int(lines_per_invoice or 5),
            )
        self.faults.clear()
        with self.idem_lock:
            self.idem.clear()
        with self.buckets_lock:
            self.buckets.clear()
        self.request_log.clear()
        self.webhooks.reset()

    def bucket(self, agreement):
        with self.buckets_lock:
            b = self.buckets.get(agreement)
            if b is None:
                b = self.buckets[agreement] = Bucket(*self.bucket_config)
            return b

    def configure_rate_limit(self, limit, per_seconds):
        with self.buckets_lock:
            self.bucket_config = (int(limit), float(per_seconds))
            for b in self.buckets.values():
                b.configure(*self.bucket_config)

    # ---------------------------------------------------------------- request pipeline
    def handle(self, h, host):
        """Process one HTTP request on handler `h`; returns (status, headers, body_bytes)."""
        split = urlsplit(h.path)
        path = split.path
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        method = h.command
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        if host == "rest" and path.startswith(ADMIN_PREFIX):
            from .admin import handle_admin

            status, payload = handle_admin(self, method, path[len(ADMIN_PREFIX) :], query, body)
            return status, {"Content-Type": "application/json; charset=utf-8"}, dumps(payload)
        idem_key = h.headers.get("Idempotency-Key")
        entry = {
            "method": method,
            "path": path,
            "query": split.query,
            "status": None,
            "idempotency_key": idem_key,
            "host": host,
            "time": self.state.clock.stamp(),
        }
        self.request_log.append(entry)
        rid = request_id()
        try:
            status, headers, payload, after = self._pipeline(
                h, host, method, path, query, split.query, body, idem_key, rid
            )
            if after == "drop":  # the work is committed; the answer is never sent
                raise _Drop()
            if after is not None:  # committed; the answer waits (the log says "hanging")
                entry["status"] = "hanging"
                if not self._hang(h, after):
                    raise _Drop()
        except _Drop:
            entry["status"] = "dropped"
            raise
        entry["status"] = status
        headers.setdefault("X-RequestId", rid)
        return status, headers, payload

    def _hang(self, h, seconds):
        """Wait `seconds` before answering, unless the client disconnects or the sandbox stops
        first (then False: nobody to answer).  Only this handler's thread waits: every connection
        has its own thread, and no lock is held here."""
        deadline = time.monotonic() + seconds
        sock = h.connection
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                return True
            try:
                readable = select.select([sock], [], [], min(left, 0.1))[0]
                if readable and not sock.recv(1, socket.MSG_PEEK):
                    return False  # EOF: the client closed the connection (or was killed)
            except OSError:
                return False
            if readable:  # the client sent more bytes (pipelining): keep waiting, without spinning
                self._stopping.wait(min(left, 0.1))
        return False

    def _error(self, host, err, rid):
        if host == "apis":
            body = err.problem_body(self.state.clock, rid)
            ctype = "application/problem+json; charset=utf-8"
        else:
            body = err.legacy_body(self.state.clock, rid)
            ctype = "application/json; charset=utf-8"
        headers = {"Content-Type": ctype}
        headers.update(err.headers)
        return err.status, headers, dumps(body)

    def _pipeline(self, h, host, method, path, query, raw_query, body, idem_key, rid):
        flt = next((v for k, v in query.items() if k.lower() == "filter"), None)
        fault = self.faults.match(method, path, host, flt if isinstance(flt, str) else None)
        after = None  # "drop" or the seconds to hang once the work is committed
        if fault:
            kind = str(fault.get("fault"))
            if kind == "latency":
                self._stopping.wait(float(fault.get("delay", 1.0)))
            elif kind == "drop":
                raise _Drop()
            elif kind == "drop_after_commit":
                after = "drop"
            elif kind == "hang_after_commit":
                delay = fault.get("delay")
                after = HANG_DEFAULT if delay is None else float(delay)
            elif kind == "malformed":
                return (
                    200,
                    {"Content-Type": "application/json; charset=utf-8"},
                    b'{"collection": [{"broken',
                    None,
                )
            elif kind == "429":
                ra = int(fault.get("retry_after", 1))
                err = errors.ApiError(
                    429,
                    "Too many requests.",
                    "You have made too many calls towards our API. You are over your quota. "
                    "Need to wait a bit. Check info in the response headers.",
                    headers={"Retry-After": str(ra)},
                )
                return self._error(host, err, rid) + (None,)
            elif kind == "error":
                st = int(fault.get("status", 500))
                err = errors.ApiError(
                    st,
                    fault.get("message", "An internal error occurred."),
                    "Sandbox injected fault.",
                )
                return self._error(host, err, rid) + (None,)
        status, headers, payload = self._authed(
            h, host, method, path, query, raw_query, body, idem_key, rid
        )
        return status, headers, payload, after

    def _authed(self, h, host, method, path, query, raw_query, body, idem_key, rid):
        app = h.headers.get("X-AppSecretToken")
        grant = h.headers.get("X-AgreementGrantToken")
        demo = False
        if query.get("demo", "").lower() == "true" and host == "rest" and not app and not grant:
            app = grant = "demo"
        if app == "demo" and grant == "demo":
            demo = True
        elif app != APP_SECRET or grant != GRANT:
            status, headers, payload = self._error(host, errors.unauthorized(), rid)
            headers["X-CallCost"] = "1"
            headers["X-RateLimiting"] = self.bucket(grant or "-").header()
            return status, headers, payload
        bucket = self.bucket(grant)
        cost = 1 if method == "GET" else 2
        ok, retry_after = bucket.take(cost)
        rl_headers = {"X-CallCost": str(cost)}
        if not ok:
            err = errors.ApiError(
                429,
                "Too many requests.",
                "You have made too many calls towards our API. You are over your quota. "
                "Need to wait a bit. Check info in the response headers.",
                headers={"Retry-After": str(retry_after)},
                problem_code="TooManyRequests",
            )
            status, headers, payload = self._error(host, err, rid)
            headers.update(rl_headers)
            headers["X-RateLimiting"] = bucket.header()
            return status, headers, payload
        if demo and method != "GET":
            status, headers, payload = self._error(host, errors.unauthorized(demo_write=True), rid)
        elif idem_key and method != "GET":
            status, headers, payload = self._idempotent(
                (idem_key, app, grant), host, method, path, query, raw_query, body, rid
            )
        else:
            status, headers, payload = self._dispatch(
                host, method, path, query, raw_query, body, demo, rid
            )
        headers.update(rl_headers)
        headers["X-RateLimiting"] = bucket.header()
        return status, headers, payload

    def _idempotent(self, ck, host, method, path, query, raw_query, body, rid):
        """A write with an Idempotency-Key: a repeat of the key within IDEMPOTENCY_TTL seconds
        of the sandbox clock gets the first answer again, whatever it was (a 400 refusal
        included), with `X-ResultFromCache: true`; past that the key is forgotten.  A 5xx
        (a sandbox internal error) is not cached: the work was not done."""
        with self.idem_key_locks[ck]:
            now = self.state.clock.now()
            with self.idem_lock:
                hit = self.idem.get(ck)
                if hit and (now - hit[0]).total_seconds() >= IDEMPOTENCY_TTL:
                    del self.idem[ck]
                    hit = None
            if hit:
                headers = dict(hit[2])
                headers["X-ResultFromCache"] = "true"
                return hit[1], headers, hit[3]
            status, headers, payload = self._dispatch(
                host, method, path, query, raw_query, body, False, rid
            )
            if status < 500:
                with self.idem_lock:
                    self.idem[ck] = (now, status, dict(headers), payload)
            return status, headers, payload

    def _dispatch(self, host, method, path, query, raw_query, body, demo, rid):
        from .resources.base import Ctx

        ctx = Ctx(self, method, path.strip("/"), query, raw_query, body, demo, host)
        try:
            if host == "rest":
                status, payload, headers = self.rest_router.dispatch(ctx)
            else:
                status, payload, headers = self.apis_router.dispatch(ctx)
        except errors.ApiError as e:
            return self._error(host, e, rid)
        except Exception as e:  # a sandbox bug: answer like e-conomic's 500
            import traceback

            traceback.print_exc()
            err = errors.ApiError(
                500, "An unexpected error occurred.", "Sandbox internal error: %r" % (e,)
            )
            return self._error(host, err, rid)
        headers = dict(headers)
        if payload is None:
            return status, headers, b""
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        if isinstance(payload, (bytes, str)):
            return status, headers, payload if isinstance(payload, bytes) else payload.encode()
        return status, headers, dumps(payload)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: requests.Session reuses the connection
    disable_nagle_algorithm = True  # TCP_NODELAY on every accepted socket (StreamRequestHandler)
    server_version = "economic-sandbox"
    sys_version = ""

    def log_message(self, fmt, *args):  # quiet
        pass

    def _do(self):
        sb = self.server.sandbox
        try:
            status, headers, payload = sb.handle(self, self.server.kind)
        except _Drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        # Status line, headers and body leave in ONE sendall: http.server would otherwise write
        # the headers and the body in two sends, and Nagle + the client's delayed ACK stall every
        # keep-alive answer by ~40 ms.
        self.send_response(status)  # buffers status line, Server, Date
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(payload)))
        self._headers_buffer.append(b"\r\n")  # end_headers() would flush on its own
        data = b"".join(self._headers_buffer)
        self._headers_buffer = []
        if self.command != "HEAD":
            data += payload
        self.wfile.write(data)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _do


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, *a, **kw):
        self._conns = set()
        self._conns_lock = threading.Lock()
        super().__init__(*a, **kw)

    def process_request(self, request, client_address):
        with self._conns_lock:
            self._conns.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._conns_lock:
            self._conns.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        """Shut down every open connection: a handler waiting for the next keep-alive request
        (or hanging) returns at once and its thread ends."""
        with self._conns_lock:
            conns = list(self._conns)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def _make_server(sandbox, host, port, kind):
    srv = _Server((host, port), _Handler)
    srv.sandbox = sandbox
    srv.kind = kind
    return srv
