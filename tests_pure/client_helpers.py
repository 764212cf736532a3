"""Helpers for the client tests: a scripted local HTTP server, a recording sleep, the sandbox's
admin API and a valid customer payload.

Holds no tests (its name does not start with ``test_``, so pytest does not collect it); imported by
the test modules and ``conftest.py``.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests


class ScriptedServer:
    """A tiny HTTP server on 127.0.0.1 answering from a script.

    ``server.add(status, body=None, headers=None)`` queues an answer; ``body`` may be a dict/list
    (sent as JSON), bytes/str (sent as is) or a callable ``(server, request) -> (status, headers,
    body)``.  When the script is empty, ``server.default`` answers.  Every request is recorded
    in ``server.requests`` as ``{"method", "path", "headers", "body"}``.
    """

    def __init__(self):
        self.script = []
        self.requests = []
        self.default = (200, {}, {"ok": True})
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers.items()),
                    "body": body,
                }
                with outer.lock:
                    outer.requests.append(request)
                    answer = outer.script.pop(0) if outer.script else outer.default
                if callable(answer):
                    answer = answer(outer, request)
                status, headers, payload = answer
                if payload is None:
                    data = b""
                elif isinstance(payload, (dict, list)):
                    data = json.dumps(payload).encode()
                    headers = dict({"Content-Type": "application/json"}, **headers)
                elif isinstance(payload, str):
                    data = payload.encode()
                else:
                    data = payload
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def add(self, status=200, body=None, headers=None):
        self.script.append(body if callable(body) else (status, headers or {}, body))
        return self

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Sleeper:
    """Records the delays instead of sleeping."""

    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


class Admin:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def call(self, method, path, payload=None):
        resp = requests.request(method, self.url + path, json=payload, timeout=30)
        assert resp.status_code < 300, resp.text
        return resp.json() if resp.content else None

    def reset(self, **kw):
        kw.setdefault("seed", "demo")
        return self.call("POST", "/reset", kw)

    def fault(self, **kw):
        return self.call("POST", "/faults", kw)

    def requests(self, path=None, method=None):
        log = self.call("GET", "/requests")
        return [
            r
            for r in log
            if (path is None or r["path"] == path) and (method is None or r["method"] == method)
        ]

    def clear_requests(self):
        self.call("DELETE", "/requests")

    def records(self, resource):
        return self.call("GET", "/records/" + resource)


def customer_payload(name, **extra):
    data = {
        "name": name,
        "currency": "DKK",
        "customerGroup": {"customerGroupNumber": 1},
        "paymentTerms": {"paymentTermsNumber": 1},
        "vatZone": {"vatZoneNumber": 1},
    }
    data.update(extra)
    return data
