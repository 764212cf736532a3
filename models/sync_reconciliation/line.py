"""The rows of the reconciliation report: one per difference, one summary per kind of what
agrees; each opens the records behind it (Odoo partners or moves, or the snapshot's rows for
what only e-conomic has)."""

import json

from odoo import fields, models
from odoo.exceptions import UserError

SECTIONS = [
    ("partners", "Customers and Suppliers"),
    ("balances", "Customer Balances"),
    ("supplier_balances", "Supplier Balances"),
    ("months", "Booked Invoices per Month"),
    ("invoices", "Booked Invoices"),
]
#: the models a row may open (its ``open_model``)
OPENABLE = (
    "res.partner",
    "account.move",
    "economic.reconciliation.party",
    "economic.reconciliation.invoice",
)


class EconomicReconciliationLine(models.Model):
    _name = "economic.reconciliation.line"
    _description = "e-conomic Reconciliation Line"
    _order = "backend_id, section, is_difference desc, sequence, id"
    _rec_name = "label"

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    section = fields.Selection(SECTIONS, required=True, group_expand="_expand_sections")
    is_difference = fields.Boolean(string="Differs")
    sequence = fields.Integer(default=10)
    label = fields.Char(string="What", required=True)
    note = fields.Char(string="Note")
    partner_id = fields.Many2one("res.partner", string="Partner", ondelete="set null")
    month = fields.Char(help="Year and month (YYYY-MM) of the booked invoices compared.")
    economic_key = fields.Char(string="e-conomic Number")
    odoo_count = fields.Integer(string="Odoo Count", aggregator=False)
    economic_count = fields.Integer(string="e-conomic Count", aggregator=False)
    odoo_amount = fields.Monetary(string="Odoo Amount", aggregator=False)
    economic_amount = fields.Monetary(string="e-conomic Amount", aggregator=False)
    difference = fields.Monetary(help="e-conomic's amount minus Odoo's.", aggregator=False)
    open_model = fields.Char(readonly=True)
    open_domain = fields.Text(readonly=True)

    def _expand_sections(self, sections, domain):
        """The report's sections in their own order (not alphabetical), grouped or not."""
        return [key for key, _label in SECTIONS]

    def _open_domain(self):
        self.ensure_one()
        try:
            domain = json.loads(self.open_domain or "[]")
        except ValueError:
            domain = None
        if self.open_model not in OPENABLE or not isinstance(domain, list):
            raise UserError(self.env._("This line of the report opens nothing."))
        return domain

    def action_open(self):
        """The records behind the row: Odoo's partners or moves, or e-conomic's snapshot rows."""
        domain = self._open_domain()
        action = {
            "type": "ir.actions.act_window",
            "name": self.label,
            "res_model": self.open_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": domain,
            "context": {"create": False, "active_test": False},
        }
        if self.open_model == "account.move":
            action["views"] = [
                (self.env.ref("account.view_out_invoice_tree").id, "list"),
                (False, "form"),
            ]
        return action

    # ------------------------------------------------------------------ the list's buttons
    def _report_backend(self):
        """The connection of the report on screen: the rows' (selected) or the action's."""
        backend_id = self.backend_id[:1].id or self.env.context.get(
            "economic_reconciliation_backend_id"
        )
        backend = self.env["economic.backend"].browse(backend_id).exists() if backend_id else None
        if not backend:
            raise UserError(self.env._("Open the reconciliation report from its connection."))
        return backend

    def action_reconciliation_refresh(self):
        return self._report_backend().action_reconciliation_refresh()

    def action_reconciliation_recompute(self):
        return self._report_backend().action_open_reconciliation()

    def action_reconciliation_print(self):
        return self._report_backend().action_reconciliation_print()
