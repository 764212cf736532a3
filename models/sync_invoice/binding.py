"""The link between one Odoo customer invoice or credit note and one e-conomic invoice.

A pushed invoice is an e-conomic *draft* first (``draft_number``) and becomes *booked* when the
user books it in e-conomic (``booked_number``, the binding's ``economic_key``); a pulled one is
booked from the start. A paid sales order's draft is bound to the order before its Odoo invoice
exists (``sale_order_id``): the invoice pushed later binds to the same draft (docs/SYNC.md §8:
one Odoo document, one e-conomic document).
"""

from odoo import api, fields, models

from .const import DOC_STATES, PAYMENT_STATUS


class EconomicInvoiceBinding(models.Model):
    _name = "economic.invoice.binding"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Invoice Binding"
    _order = "backend_id, booked_number desc, draft_number desc, id desc"
    _rec_name = "economic_key"

    _economic_record_field = "move_id"

    _sql_constraints = [
        (
            "booked_uniq",
            "unique(backend_id, booked_number)",
            "An e-conomic booked invoice can be bound to only one Odoo invoice.",
        ),
        (
            "move_uniq",
            "unique(backend_id, move_id)",
            "An Odoo invoice can be bound only once per connection.",
        ),
        (
            "order_uniq",
            "unique(backend_id, sale_order_id)",
            "A sales order has at most one e-conomic draft invoice per connection.",
        ),
    ]

    kind = fields.Selection(
        [("invoice", "Invoice"), ("credit_note", "Credit Note")],
        required=True,
        default="invoice",
        index=True,
    )
    move_id = fields.Many2one("account.move", string="Invoice", ondelete="cascade", index=True)
    sale_order_id = fields.Many2one(
        "sale.order", string="Sales Order", ondelete="set null", index="btree_not_null"
    )
    doc_state = fields.Selection(DOC_STATES, string="e-conomic State", default="draft")
    draft_number = fields.Integer(
        string="Draft Number", index="btree_not_null", copy=False, aggregator=False
    )
    booked_number = fields.Integer(
        string="Booked Number", index="btree_not_null", copy=False, aggregator=False
    )
    reference = fields.Char(help="references.other: the Odoo document's number.")
    currency_code = fields.Char(string="Currency")
    net_amount = fields.Float(digits=(16, 2))
    vat_amount = fields.Float(string="VAT Amount", digits=(16, 2))
    gross_amount = fields.Float(digits=(16, 2))
    rounding_amount = fields.Float(digits=(16, 2))
    exchange_rate = fields.Float(
        digits=(16, 6), help="e-conomic's rate: the base-currency cost of 100 units."
    )
    gross_base = fields.Float(
        string="Gross Amount in Base Currency",
        digits=(16, 2),
        help="e-conomic's grossAmountInBaseCurrency.",
    )
    base_check = fields.Boolean(
        help="Pulled before e-conomic's exchange rate was kept: the next pass reads e-conomic's "
        "base-currency amounts and says whether the Odoo entry agrees.",
    )
    remainder = fields.Float(digits=(16, 2), help="What is still unpaid, as e-conomic says.")
    remainder_base = fields.Float(string="Remainder in Base Currency", digits=(16, 2))
    due_date = fields.Date()
    payment_status = fields.Selection(PAYMENT_STATUS)
    payment_terms = fields.Char(string="Payment Terms", help="e-conomic's payment terms.")

    def init(self):
        # e-conomic gives a new draft the number of the draft that was just booked: a draft
        # number identifies a draft only while it is one (a booked binding keeps it as
        # history, outside this index). The unique constraint of earlier versions covered
        # booked bindings too, so the next draft numbered like a booked one could not be bound.
        self.env.cr.execute(
            "ALTER TABLE economic_invoice_binding DROP CONSTRAINT IF EXISTS "
            "economic_invoice_binding_draft_uniq"
        )
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS economic_invoice_binding_live_draft_uniq "
            "ON economic_invoice_binding (backend_id, draft_number) "
            "WHERE doc_state = 'draft' AND draft_number IS NOT NULL"
        )

    @api.depends("move_id", "sale_order_id", "draft_number", "booked_number")
    def _compute_display_name(self):
        for binding in self:
            number = (
                binding.env._("Invoice %s", binding.booked_number)
                if binding.booked_number
                else binding.env._("Draft %s", binding.draft_number)
            )
            record = binding.move_id or binding.sale_order_id
            binding.display_name = "%s (%s)" % (number, record.display_name or "-")

    def _economic_entity(self):
        self.ensure_one()
        return self.kind

    def _payment_status_of(self, remainder, due_date, today, gross=0.0):
        """paid / partly paid / unpaid / overdue from a remainder, a due date and the gross
        amount (e-conomic's views; a credit note, negative, is never overdue)."""
        if not remainder:
            return "paid"
        if gross >= 0 and due_date and due_date < today:
            return "overdue"
        if gross and abs(remainder) < abs(gross):
            return "partial"
        return "unpaid"

    def _status_label(self):
        self.ensure_one()
        selection = dict(self._fields["payment_status"]._description_selection(self.env))
        return selection.get(self.payment_status, "")
