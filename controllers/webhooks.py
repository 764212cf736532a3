"""e-conomic's webhooks: one public URL per connection and event type, secret in the path.

A request does almost nothing (docs/SYNC.md §10): it checks the secret, records one event row
(merged with an identical pending one) and wakes the scheduled action; the targeted pull runs
there, through the engine. It writes nothing but the event table and the action's trigger, in
its own short READ COMMITTED transaction, so a burst of requests never waits for, or blocks, a
pass. A wrong secret or an unknown connection answers 404 and records nothing; malformed
numbers answer 400. The event types, their URL segments, merge fields and key parsers are the
entity modules' declarations (``_economic_webhooks``), read from the registry's cache.
"""

import hmac
import json
import logging
import re

from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..models.webhooks.backend import SECRET_HEADER

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
        event = request.env["economic.webhook.event"]._economic_event_segments().get(segment)
        if not event:
            return _answer(404, "not found")
        values = _parameters(params, request.httprequest)
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
                key, old_key = event.parse(values)
            except ValueError as error:
                return _answer(400, str(error))
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["economic.webhook.event"]._record(backend_id, event.type, key, old_key)
        return _answer(200, "OK")


def _parameters(params, httprequest):
    """The request's parameters from the query string, a form body or a JSON body, by name in
    lower case (the event type's declaration picks its merge fields among them)."""
    values = {k.lower(): v for k, v in params.items() if isinstance(v, str)}
    if httprequest.mimetype == "application/json" and httprequest.content_length:
        try:
            body = json.loads(httprequest.get_data(as_text=True) or "{}")
        except ValueError:
            body = None
        if isinstance(body, dict):
            values.update({str(k).lower(): v for k, v in body.items()})
    return values


def _answer(status, text):
    return request.make_response(
        text, headers=[("Content-Type", "text/plain; charset=utf-8")], status=status
    )
