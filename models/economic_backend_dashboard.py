"""What the connection's dashboard (its form) tells about the agreement and the passes: the
conflicts the last pass counted, the agreement's base
currency beside the company's (while they differ, e-conomic's amounts are kept on the bindings,
never synced as company-currency amounts: docs/ENGINE.md, "Currencies"), and the news of a pass
that starts or ends (a bus notification the form listens to: Run Pass Now shows its result
without a reload, and no polling)."""

from odoo import api, fields, models

#: the bus notification of a pass that starts or ends (static/src/js/pass_watcher.js)
PASS_NOTIFICATION = "economic_sync/pass"
USER_GROUP = "economic_sync.group_economic_user"


class EconomicBackendDashboard(models.Model):
    _inherit = "economic.backend"

    pass_number = fields.Integer(
        string="Passes Run",
        copy=False,
        readonly=True,
        help="Passes of this connection so far: the number of the last one.",
    )
    pass_running = fields.Boolean(
        compute="_compute_pass_running",
        help="A pass of this connection is running now (it holds the connection's lock).",
    )
    currency_warning = fields.Text(
        compute="_compute_currency_warning",
        help="Set while the agreement's base currency is not the company's currency.",
    )
    last_pass_conflict_count = fields.Integer(
        string="Conflicts of the Last Pass",
        compute="_compute_last_pass_conflict_count",
        help="The conflicts the last pass counted: those its strategy decided as well as those "
        "waiting for a choice.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "base_currency" in vals:
            # the mappings of the passes depend on it (amounts kept on the bindings or not):
            # the cached sets of locked and pushed fields follow
            self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------ a pass running, and its end
    def _compute_pass_running(self):
        engine = self.env["economic.sync.engine"]
        for backend in self:
            backend.pass_running = bool(backend.id) and engine._lock_held(backend)

    def _economic_notify_pass(self, event):
        """Tell the open forms of these connections that their pass ``started`` or is ``done``
        (sent with the transaction's commit): the form reads the connection again and shows
        the outcome. Sent to the e-conomic users (the group's channel): the message names the
        connection and the pass alone; its outcome is read with the reader's rights. The pass
        number lets a form that opens later tell a fresh message from one it already shows (the
        bus hands a new tab the messages of the last minute)."""
        group = self.env.ref(USER_GROUP, raise_if_not_found=False)
        if not group:
            return
        for backend in self:
            self.env["bus.bus"]._sendone(
                group,
                PASS_NOTIFICATION,
                {"backend_id": backend.id, "event": event, "pass_number": backend.pass_number},
            )

    # ------------------------------------------------------------------ currencies
    def _economic_foreign_currency(self):
        """Whether the agreement's base currency (read by Test Connection) is known and is not
        the company's currency: e-conomic's amounts are then not the company's amounts."""
        self.ensure_one()
        base = (self.base_currency or "").strip().upper()
        return bool(base) and base != (self.company_id.currency_id.name or "").upper()

    def _economic_currency(self):
        """The currency of e-conomic's amounts: the agreement's base currency (the company's
        when it is not known yet or not in Odoo)."""
        self.ensure_one()
        if self.base_currency:
            currency = (
                self.env["res.currency"]
                .sudo()
                .with_context(active_test=False)
                .search([("name", "=", self.base_currency.strip().upper())], limit=1)
            )
            if currency:
                return currency
        return self.company_id.currency_id

    @api.depends("base_currency", "company_id.currency_id")
    def _compute_currency_warning(self):
        for backend in self:
            backend.currency_warning = (
                backend._currency_warning_text() if backend._economic_foreign_currency() else False
            )

    def _currency_warning_text(self):
        return self.env._(
            "e-conomic keeps this agreement's amounts in %(base)s; this company keeps its books "
            "in %(company)s. Prices and other amounts of e-conomic (products' sales and cost "
            "prices, customers' credit limits and balances) are therefore not synced as "
            "%(company)s amounts: they are shown in %(base)s on the e-conomic tab of each "
            "product and customer, and Odoo's own prices and credit limits are left as they are "
            "and never sent to e-conomic.",
            base=self.base_currency,
            company=self.company_id.currency_id.name,
        )

    # ------------------------------------------------------------------ conflicts of the last pass
    @api.depends("pass_number")
    def _compute_last_pass_conflict_count(self):
        groups = (
            self.env["economic.sync.conflict"]
            .sudo()
            ._read_group(
                [("backend_id", "in", self.ids), ("pass_number", "in", self.mapped("pass_number"))],
                ["backend_id", "pass_number"],
                ["__count"],
            )
        )
        counts = {(backend.id, number): count for backend, number, count in groups}
        for backend in self:
            backend.last_pass_conflict_count = (
                counts.get((backend.id, backend.pass_number), 0) if backend.pass_number else 0
            )

    def action_open_last_pass_conflicts(self):
        """The conflicts the last pass counted (decided by the strategy or open), whatever the
        Conflicts menu's default filter shows."""
        self.ensure_one()
        return self._economic_open(
            "economic.sync.conflict",
            [("pass_number", "=", self.pass_number or -1)],
            self.env._("Conflicts of the Last Pass"),
        )
