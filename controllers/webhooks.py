"""e-conomic's webhooks: one public URL per connection and event type, secret in the path.

A request does almost nothing (docs/SYNC.md §10): it checks the secret, records one event row
(merged with an identical pending one) and wakes the scheduled action; the targeted pull runs
there, through the engine. It writes nothing but the event table and the action's trigger, in
its own short READ COMMITTED transaction, so a burst of requests never waits for, or blocks, a
pass. A wrong secret or an unknown connection answers 404 and records nothing; malformed
numbers answer 400.
"""

import hmac
import json
import logging
import re

from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..models.webhooks.backend import SECRET_HEADER
from ..models.webhooks.const import BY_SEGMENT, PARAMS

_logger = logging.getLogger(__name__)
#: the secret in a webhook URL, as access logs would print it
SECRET_IN_PATH = re.compile(r"(/economic/webhook/\d+/)[^/\s?]{16,}(/)")


class RedactWebhookSecret(logging.Filter):
    """Secrets are never logged: the access log line of a webhook request shows its URL with
    the secret masked."""

    def filter(self, record):
        if isinstance(record.msg, str) and "/economic/webhook/" in record.msg:
            record.msg = SECRET_IN_PATH.sub(r"\1***\2", record.msg)
        if record.args and isinstance(record.args, tuple):
            record.args = tuple(
                SECRET_IN_PATH.sub(r"\1***\2", arg)
                if isinstance(arg, str) and "/economic/webhook/" in arg
                else arg
                for arg in record.args
            )
        return True


_REDACT = RedactWebhookSecret()
for _name in ("werkzeug", "odoo.http", "odoo.tests.common"):
    if not any(isinstance(f, RedactWebhookSecret) for f in logging.getLogger(_name).filters):
        logging.getLogger(_name).addFilter(_REDACT)

#: a product number: up to 25 printable characters (e-conomic's limit)
PRODUCT_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,25}$")
MAX_INT = 999999999


class EconomicWebhookController(http.Controller):
    @http.route(
        "/economic/webhook/<int:backend_id>/<string:secret>/<string:segment>",
        type="http",
        auth="none",
        methods=["GET", "POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def economic_webhook(self, backend_id, secret, segment, **params):
        return self._receive(backend_id, secret, segment, params)

    @http.route(
        "/economic/webhook/<int:backend_id>/<string:segment>",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def economic_webhook_api(self, backend_id, segment, **params):
        """The webhooks API's form: the secret in a custom header, merge fields in the JSON
        body."""
        secret = request.httprequest.headers.get(SECRET_HEADER, "")
        return self._receive(backend_id, secret, segment, params)

    def _receive(self, backend_id, secret, segment, params):
        event_type = BY_SEGMENT.get(segment)
        if not event_type:
            return _answer(404, "not found")
        values = _merge_fields(params, request.httprequest)
        registry = request.env.registry
        with registry.cursor() as cr:
            if not registry.in_test_mode():
                # a transaction of its own that never waits on a snapshot: identical events
                # arriving together merge without serialization failures
                cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(
                "SELECT webhook_secret FROM economic_backend WHERE id = %s AND active",
                [backend_id],
            )
            row = cr.fetchone()
            if not row or not row[0] or not hmac.compare_digest(row[0], secret):
                return _answer(404, "not found")
            try:
                key, old_key = _keys(event_type, values)
            except ValueError as error:
                return _answer(400, str(error))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["economic.webhook.event"]._record(backend_id, event_type, key, old_key)
        return _answer(200, "OK")


def _merge_fields(params, httprequest):
    """The merge fields from the query string, a form body or a JSON body (any case)."""
    values = {k.lower(): v for k, v in params.items() if isinstance(v, str)}
    if httprequest.mimetype == "application/json" and httprequest.content_length:
        try:
            body = json.loads(httprequest.get_data(as_text=True) or "{}")
        except ValueError:
            body = None
        if isinstance(body, dict):
            values.update({str(k).lower(): v for k, v in body.items()})
    out = {}
    for name, aliases in PARAMS.items():
        for alias in aliases:
            if values.get(alias) not in (None, ""):
                out[name] = str(values[alias]).strip()
                break
    return out


def _number(value, what):
    if value is None:
        raise ValueError("%s is missing" % what)
    if not value.isdigit() or not 0 < int(value) <= MAX_INT:
        raise ValueError("%s must be a number, not %r" % (what, value[:40]))
    return str(int(value))


def _keys(event_type, values):
    """``(key, old key)`` of an event, or ValueError saying what is malformed."""
    if event_type == "customer_updated":
        key = _number(values.get("new"), "new")
        old = _number(values["old"], "old") if values.get("old") else key
        return key, old
    if event_type == "product_updated":
        key, old = values.get("new"), values.get("old") or values.get("new")
        for value, what in ((key, "new"), (old, "old")):
            if value is None or not PRODUCT_RE.match(value) or "[" in value:
                raise ValueError("%s must be a product number" % what)
        return key, old
    if event_type == "invoice_booked":
        return _number(values.get("invoice"), "invoice"), None
    daybook = _number(values.get("daybook"), "daybook")
    first = _number(values.get("from"), "from")
    last = _number(values.get("to"), "to")
    return "%s:%s-%s" % (daybook, first, last), None


def _answer(status, text):
    return request.make_response(
        text, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
    )
