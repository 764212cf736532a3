"""The connection's webhooks: its secret, the URLs to paste into e-conomic, what arrived, and
the webhooks API (Register / Unregister): one per event type the entity modules declare
(``economic.webhook.event._economic_event_types``)."""

import secrets
from urllib.parse import urlsplit

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ...economic_client import EconomicError

SECRET_HEADER = "X-Economic-Webhook-Secret"


def new_secret():
    return secrets.token_urlsafe(32)


class EconomicBackendWebhooks(models.Model):
    _inherit = "economic.backend"

    webhook_secret = fields.Char(
        copy=False,
        groups="economic_sync.group_economic_manager",
        default=lambda self: new_secret(),
        help="Part of every webhook URL of this connection: whoever knows it can ask for "
        "pulls. Regenerate it if it leaked (the old URLs stop working at once).",
    )
    webhook_info = fields.Html(
        string="Webhook URLs",
        compute="_compute_webhook_info",
        sanitize=False,
        groups="economic_sync.group_economic_manager",
    )
    webhook_pending_count = fields.Integer(compute="_compute_webhook_counts")
    webhook_failed_count = fields.Integer(compute="_compute_webhook_counts")

    def init(self):
        """Connections that existed before webhooks got one default secret for all (the
        column's default is computed once): each gets its own."""
        self.env.cr.execute(
            "SELECT id FROM economic_backend WHERE webhook_secret IS NULL OR webhook_secret IN "
            "(SELECT webhook_secret FROM economic_backend GROUP BY webhook_secret "
            "HAVING count(*) > 1)"
        )
        for (backend_id,) in self.env.cr.fetchall():
            self.env.cr.execute(
                "UPDATE economic_backend SET webhook_secret = %s WHERE id = %s",
                [new_secret(), backend_id],
            )

    # ------------------------------------------------------------------ URLs
    def _webhook_base(self):
        return self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")

    def _webhook_event_types(self):
        return self.env["economic.webhook.event"]._economic_event_types()

    def _webhook_url(self, event_type, with_merge_fields=True):
        self.ensure_one()
        event = self._webhook_event_types()[event_type]
        url = "%s/economic/webhook/%s/%s/%s" % (
            self._webhook_base(),
            self.id,
            self.sudo().webhook_secret,
            event.segment,
        )
        return "%s?%s" % (url, event.merge_fields) if with_merge_fields else url

    @api.depends("webhook_secret")
    @api.depends_context("lang", "tz")
    def _compute_webhook_info(self):
        event_types = self._webhook_event_types()
        for backend in self:
            if not backend.id or not backend.sudo().webhook_secret:
                backend.webhook_info = False
                continue
            stats = {
                event_type: (hits, last)
                for event_type, hits, last in self.env["economic.webhook.event"]
                .sudo()
                ._read_group(
                    [("backend_id", "=", backend.id)],
                    groupby=["event_type"],
                    aggregates=["hits:sum", "last_received_at:max"],
                )
            }
            rows = []
            for event_type, event in event_types.items():
                hits, last = stats.get(event_type, (0, False))
                received = (
                    self.env._(
                        "%(count)s received, last %(when)s",
                        count=hits,
                        when=format_datetime(
                            self.env, last, tz=self.env.context.get("tz"), dt_format=False
                        ),
                    )
                    if last
                    else self.env._("none received yet")
                )
                rows.append(
                    Markup(
                        "<tr><td class='text-nowrap pe-3'><b>%s</b></td>"
                        "<td><code class='text-break user-select-all'>%s</code></td>"
                        "<td class='text-muted text-nowrap ps-3'>%s</td></tr>"
                    )
                    % (self.env._(event.label), backend._webhook_url(event_type), received)
                )
            backend.webhook_info = Markup("<table class='table table-sm'>%s</table>") % Markup(
                ""
            ).join(rows)

    def _compute_webhook_counts(self):
        Event = self.env["economic.webhook.event"].sudo()
        counts = {
            (backend.id, state): count
            for backend, state, count in Event._read_group(
                [("backend_id", "in", self.ids), ("state", "in", ("pending", "failed"))],
                groupby=["backend_id", "state"],
                aggregates=["__count"],
            )
        }
        for backend in self:
            backend.webhook_pending_count = counts.get((backend.id, "pending"), 0)
            backend.webhook_failed_count = counts.get((backend.id, "failed"), 0)

    # ------------------------------------------------------------------ actions
    def action_regenerate_webhook_secret(self):
        self.env["economic.sync.engine"]._check_manager(self.env._("change the webhook secret"))
        for backend in self:
            backend.sudo().webhook_secret = new_secret()
        return True

    def action_open_webhook_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.economic_webhook_event_action"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        return action

    def action_register_webhooks(self):
        """Create or update this connection's webhooks in e-conomic's webhooks API (one per
        event type: HTTPS URL of this Odoo, the secret as a custom header)."""
        self.ensure_one()
        self.env["economic.sync.engine"]._check_manager(self.env._("register webhooks"))
        base = self._webhook_base()
        if urlsplit(base).scheme != "https":
            raise UserError(
                self.env._(
                    "e-conomic's webhooks API sends to HTTPS addresses only, and this Odoo's "
                    "address (web.base.url) is %(url)s. Serve Odoo over HTTPS, or paste the "
                    "URLs shown into e-conomic by hand (Settings → Extensions → Webhooks).",
                    url=base or "-",
                )
            )
        done = []
        with self.sudo()._get_client() as client:
            offered = {t.get("name") for t in client.webhooks.event_types()}
            for event in self._webhook_event_types().values():
                if event.api_type not in offered:
                    continue
                self._register_one(client, event)
                done.append(self.env._(event.label))
        return self._notify_webhooks(
            self.env._("Webhooks registered in e-conomic: %s", ", ".join(done) or "-")
        )

    def _register_one(self, client, event):
        url = self._webhook_url(event.type, with_merge_fields=False).replace(
            "/%s/" % self.sudo().webhook_secret, "/"
        )
        hook = {
            "eventType": event.api_type,
            "name": ("Odoo %s" % self.name)[:100],
            "url": url,
            "contentType": "application/json",
            "postData": event.post_data(),
            "customHeaders": [{"key": SECRET_HEADER, "value": self.sudo().webhook_secret}],
            "isDisabled": False,
        }
        try:
            client.webhooks.save(hook)
        except EconomicError as error:
            raise UserError(self.env["economic.sync.engine"]._error_text(self, error)) from error

    def action_unregister_webhooks(self):
        """Remove from e-conomic's webhooks API the webhooks that point at this connection."""
        self.ensure_one()
        self.env["economic.sync.engine"]._check_manager(self.env._("unregister webhooks"))
        prefix = "%s/economic/webhook/%s/" % (self._webhook_base(), self.id)
        removed = []
        with self.sudo()._get_client() as client:
            for hook in client.webhooks.list():
                if (hook.get("url") or "").startswith(prefix):
                    client.webhooks.delete(hook["eventType"])
                    removed.append(hook["eventType"])
        return self._notify_webhooks(
            self.env._("Webhooks removed from e-conomic: %s", ", ".join(removed) or "-")
        )

    def _notify_webhooks(self, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"title": self.env._("e-conomic webhooks"), "message": message},
        }

    def _economic_has_events(self):
        """Whether webhook events of this connection wait to be processed."""
        self.ensure_one()
        return bool(
            self.env["economic.webhook.event"]
            .sudo()
            .search_count(
                [("backend_id", "=", self.id), ("state", "in", ("pending", "processing"))],
                limit=1,
            )
        )
