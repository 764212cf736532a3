"""The connection's purchase settings: the journal of the vendor bills made from supplier
invoices booked in e-conomic, and the day from which they come in."""

from odoo import api, fields, models

from .const import BINDING


class EconomicBackendPurchases(models.Model):
    _inherit = "economic.backend"

    purchase_journal_id = fields.Many2one(
        "account.journal",
        string="Journal of e-conomic Purchases",
        domain="[('type', '=', 'purchase'), ('company_id', '=', company_id)]",
        help="The purchase journal of the vendor bills made from supplier invoices booked in "
        "e-conomic (one is created on first use if none is chosen).",
    )
    purchase_date_from = fields.Date(
        string="Supplier Invoices Dated From",
        help="Only supplier invoices booked in e-conomic with a date on or after this day "
        "become vendor bills (empty: every one the journal entries mirror holds). Useful when "
        "the earlier ones are in Odoo already, or in a period Odoo has locked.",
    )
    purchase_register_payments = fields.Boolean(
        string="Register e-conomic Payments of Bills",
        help="Register what e-conomic says is paid of a bill (its remainder) as an Odoo "
        "payment in the chosen journal, so Odoo's paid state follows, including what was paid "
        "before the bill came to Odoo. Off: the e-conomic status on the bill shows whether it "
        "is paid.",
    )
    purchase_payment_journal_id = fields.Many2one(
        "account.journal",
        string="Payment Journal of Bills",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    purchase_count = fields.Integer(compute="_compute_purchase_count")

    @api.depends("company_id")
    def _compute_purchase_count(self):
        counts = dict(
            self.env[BINDING]._read_group(
                [("backend_id", "in", self.ids), ("move_id", "!=", False)],
                groupby=["backend_id"],
                aggregates=["__count"],
            )
        )
        for backend in self:
            backend.purchase_count = counts.get(backend, 0)

    def action_open_purchases(self):
        """The vendor bills and refunds made from this connection's supplier invoices."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_in_invoice_type"
        )
        action["domain"] = [("economic_purchase_backend_id", "=", self.id)]
        action["context"] = {"default_move_type": "in_invoice"}
        return action

    def _purchase_journal(self):
        """The purchase journal of the bills: the chosen one, else one created (code ECOK) and
        remembered."""
        self.ensure_one()
        if self.purchase_journal_id:
            return self.purchase_journal_id
        Journal = self.env["account.journal"].sudo().with_company(self.company_id)
        company_domain = Journal._check_company_domain(self.company_id)
        journal = Journal.search(
            [*company_domain, ("type", "=", "purchase"), ("code", "=", "ECOK")], limit=1
        )
        if not journal:
            # the expense account of the company's first purchase journal (its default)
            other = Journal.search(
                [*company_domain, ("type", "=", "purchase"), ("default_account_id", "!=", False)],
                limit=1,
            )
            journal = Journal.create(
                {
                    "name": self.env._("e-conomic Purchases"),
                    "code": "ECOK",
                    "type": "purchase",
                    "company_id": self.company_id.id,
                    "default_account_id": other.default_account_id.id,
                }
            )
        self.sudo().purchase_journal_id = journal
        return journal
