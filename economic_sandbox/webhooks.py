"""Webhook delivery: classic (admin-registered, merge fields in the URL) and webhooks-API hooks
(`postData` with merge fields, `customHeaders`).  A background thread delivers; results are kept
for `GET /__sandbox__/webhooks/deliveries`."""

import json
import queue
import threading
import urllib.error
import urllib.request

CLASSIC_TYPES = {"customers": "customer_updated", "products": "product_updated"}
API_TYPES = {
    "customer_updated": "CUSTOMER_UPDATED",
    "product_updated": "PRODUCT_UPDATED",
    "invoice_booked": "INVOICE_BOOKED",
}
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
TIMEOUT = 3.0


def substitute(text, fields):
    for k, v in fields.items():
        text = text.replace("[%s]" % k, "" if v is None else str(v))
    return text


class Webhooks:
    def __init__(self, sandbox):
        self.sb = sandbox
        self.lock = threading.Lock()
        self.classic = []
        self.deliveries = []
        self.q = queue.Queue()
        self.thread = None
        self.pending = 0
        self.idle = threading.Condition(self.lock)

    def reset(self):
        with self.lock:
            self.classic = []
            self.deliveries = []

    def register(self, spec):
        typ = spec.get("type")
        if typ not in API_TYPES:
            raise ValueError("type must be one of %s" % sorted(API_TYPES))
        with self.lock:
            hook = {
                "id": len(self.classic) + 1,
                "type": typ,
                "url": spec["url"],
                "method": (spec.get("method") or "POST").upper(),
            }
            self.classic.append(hook)
            return hook

    # ------------------------------------------------------------- events
    def record_change(self, resource, kind, old_key, new_key):
        typ = CLASSIC_TYPES.get(resource)
        if typ:
            self._emit(typ, {"NEWNUMBER": new_key, "OLDNUMBER": old_key}, kind)

    def invoice_booked(self, number):
        self._emit("invoice_booked", {"INVOICENO": number}, "booked")

    def _emit(self, typ, fields, kind):
        with self.lock:
            hooks = [h for h in self.classic if h["type"] == typ]
        for h in hooks:
            self._enqueue(
                {
                    "kind": "classic",
                    "type": typ,
                    "event": kind,
                    "url": substitute(h["url"], fields),
                    "method": h["method"],
                    "headers": {"Content-Type": "application/json"},
                    "body": json.dumps(
                        {"type": typ, "event": kind, **{k.lower(): v for k, v in fields.items()}}
                    ),
                }
            )
        api = self.sb.state.t("openapi/webhooks").get(API_TYPES[typ])
        if api and not api.get("isDisabled"):
            headers = {"Content-Type": api.get("contentType") or "application/json"}
            for kv in api.get("customHeaders") or []:
                headers[kv["key"]] = kv["value"]
            self._enqueue(
                {
                    "kind": "api",
                    "type": API_TYPES[typ],
                    "event": kind,
                    "url": substitute(api["url"], fields),
                    "method": "POST",
                    "headers": headers,
                    "body": substitute(api.get("postData") or "", fields),
                }
            )

    def _enqueue(self, job):
        with self.lock:
            self.pending += 1
        self.q.put(job)

    # ------------------------------------------------------------- delivery thread
    def start(self):
        if self.thread is None:
            self.thread = threading.Thread(target=self._run, daemon=True, name="sandbox-webhooks")
            self.thread.start()

    def stop(self):
        if self.thread is not None:
            self.q.put(None)
            self.thread.join(timeout=5)
            self.thread = None

    def _run(self):
        while True:
            job = self.q.get()
            if job is None:
                return
            result = dict(job, time=self.sb.state.clock.stamp())
            try:
                req = urllib.request.Request(
                    job["url"],
                    data=job["body"].encode("utf-8"),
                    method=job["method"],
                    headers=job["headers"],
                )
                with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
                    result["status"] = resp.status
                    result["response"] = resp.read(2000).decode("utf-8", "replace")
            except urllib.error.HTTPError as e:
                result["status"] = e.code
                result["response"] = e.read(2000).decode("utf-8", "replace")
            except Exception as e:  # refused, timeout, bad URL
                result["status"] = None
                result["error"] = repr(e)
            with self.lock:
                self.deliveries.append(result)
                self.pending -= 1
                self.idle.notify_all()

    def wait_idle(self, timeout=5.0):
        with self.lock:
            return self.idle.wait_for(lambda: self.pending == 0, timeout)
