"""The connection's invoice settings: where pulled invoices go, which invoices are pushed,
how far back the pull looks, and whether e-conomic's payments are registered in Odoo."""

from odoo import api, fields, models

from .const import DEFAULT_WINDOW_DAYS


class EconomicBackendInvoices(models.Model):
    _inherit = "economic.backend"

    invoice_journal_id = fields.Many2one(
        "account.journal",
        string="Journal of e-conomic Invoices",
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="The sales journal of invoices and credit notes pulled from e-conomic (one is "
        "created on first use if none is chosen).",
    )
    invoice_push_journal_ids = fields.Many2many(
        "account.journal",
        "economic_backend_invoice_push_journal_rel",
        "backend_id",
        "journal_id",
        string="Push Invoices of Journals",
        domain="[('type', '=', 'sale'), ('company_id', '=', company_id)]",
        help="Posted customer invoices and credit notes of these journals become e-conomic "
        "draft invoices (with invoice push and write-back on). Never booked by the sync.",
    )
    invoice_push_from = fields.Date(
        string="Push Invoices Dated From",
        help="Only invoices dated on or after this day are pushed (empty: every posted "
        "invoice of the chosen journals).",
    )
    invoice_window_days = fields.Integer(
        string="Booked Invoice Window (days)",
        default=DEFAULT_WINDOW_DAYS,
        help="Each pass re-reads the invoices booked in e-conomic in the last days, besides "
        "the numbers above the highest seen: an invoice booked with a chosen number "
        "(bookWithNumber) can fill a gap below it.",
    )
    invoice_rounding_account_id = fields.Many2one(
        "account.account",
        string="Rounding Account",
        domain="[('company_ids', 'in', company_id), ('deprecated', '=', False)]",
        help="The account of the rounding line that makes a pulled invoice's total equal "
        "e-conomic's (e-conomic's rounding amount). Empty: the journal's default account.",
    )
    invoice_register_payments = fields.Boolean(
        string="Register e-conomic Payments",
        help="Register what e-conomic says is paid as an Odoo payment in the chosen journal, "
        "so Odoo's paid state follows. Off: the e-conomic status on the invoice is what "
        "shows whether it is paid.",
    )
    invoice_payment_journal_id = fields.Many2one(
        "account.journal",
        string="Payment Journal",
        domain="[('type', 'in', ('bank', 'cash')), ('company_id', '=', company_id)]",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    invoice_difference_count = fields.Integer(
        string="Invoices Differing from e-conomic", compute="_compute_invoice_count"
    )

    @api.depends("company_id")
    def _compute_invoice_count(self):
        counts = dict(
            self.env["economic.invoice.binding"]._read_group(
                [("backend_id", "in", self.ids), ("move_id", "!=", False)],
                groupby=["backend_id"],
                aggregates=["__count"],
            )
        )
        # a count of the connection's own invoices (a user of e-conomic may read no invoice)
        differ = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                [("economic_backend_id", "in", self.ids), ("economic_base_difference", "!=", 0)],
                groupby=["economic_backend_id"],
                aggregates=["__count"],
            )
        )
        for backend in self:
            backend.invoice_count = counts.get(backend, 0)
            backend.invoice_difference_count = differ.get(backend, 0)

    def action_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("economic_backend_id", "=", self.id)]
        action["context"] = {"default_move_type": "out_invoice"}
        return action

    def action_open_invoice_differences(self):
        """The invoices posted by an earlier version at another rate than e-conomic's."""
        action = self.action_open_invoices()
        action["domain"] = [("economic_backend_id", "=", self.id)]
        action["context"] = dict(action["context"], search_default_economic_base_difference=1)
        return action

    def _invoice_journal(self):
        """The sales journal of pulled invoices: the chosen one, else one created (code ECO)
        and remembered."""
        self.ensure_one()
        if self.invoice_journal_id:
            return self.invoice_journal_id
        Journal = self.env["account.journal"].sudo().with_company(self.company_id)
        journal = Journal.search(
            [
                *Journal._check_company_domain(self.company_id),
                ("type", "=", "sale"),
                ("code", "=", "ECO"),
            ],
            limit=1,
        )
        if not journal:
            # the income account of the company's first sales journal: lines whose product
            # group has no mapped sales account, and rounding lines, go there
            other = Journal.search(
                [
                    *Journal._check_company_domain(self.company_id),
                    ("type", "=", "sale"),
                    ("default_account_id", "!=", False),
                ],
                limit=1,
            )
            journal = Journal.create(
                {
                    "name": self.env._("e-conomic Invoices"),
                    "code": "ECO",
                    "type": "sale",
                    "company_id": self.company_id.id,
                    "default_account_id": other.default_account_id.id,
                }
            )
        self.sudo().invoice_journal_id = journal
        return journal
