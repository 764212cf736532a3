"""The connection's customer-payment settings: the e-conomic journal the payments go to, and
the day from which Odoo payments are sent."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .const import BINDING, ENTRY_TYPE


class EconomicBackendPayments(models.Model):
    _inherit = "economic.backend"

    payment_journal_id = fields.Many2one(
        "economic.journal",
        string="e-conomic Journal of Payments",
        domain="[('backend_id', '=', id), ('entry_type_restricted_to', 'in', [False, '%s'])]"
        % ENTRY_TYPE,
        ondelete="set null",
        help="The e-conomic journal (day book) where posted Odoo customer payments of invoices "
        "booked in e-conomic become draft customer-payment entries (Customer Payments push "
        "and write-back on). Only journals that accept customer payments are offered; the "
        "bookkeeper books them in e-conomic.",
    )
    payment_push_from = fields.Date(
        string="Push Payments Dated From",
        default=fields.Date.context_today,
        help="Only Odoo customer payments dated on or after this day are sent (by default the "
        "day the connection was made: older payments are e-conomic's history already).",
    )
    payment_binding_count = fields.Integer(compute="_compute_payment_binding_count")

    @api.depends("company_id")
    def _compute_payment_binding_count(self):
        counts = dict(
            self.env[BINDING]._read_group(
                [("backend_id", "in", self.ids)], groupby=["backend_id"], aggregates=["__count"]
            )
        )
        for backend in self:
            backend.payment_binding_count = counts.get(backend, 0)

    @api.constrains("payment_journal_id")
    def _check_payment_journal(self):
        for backend in self.filtered("payment_journal_id"):
            journal = backend.payment_journal_id
            if journal.backend_id != backend:
                raise ValidationError(
                    self.env._("The journal of payments must be a journal of this connection.")
                )
            if journal.entry_type_restricted_to not in (False, ENTRY_TYPE):
                raise ValidationError(
                    self.env._(
                        "e-conomic journal %(journal)s takes no customer payments: choose a "
                        "journal without an entry-type restriction, or one for customer "
                        "payments.",
                        journal=journal.display_name,
                    )
                )

    def action_open_payment_bindings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.action_economic_payment_binding"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        return action
