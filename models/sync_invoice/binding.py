"""The link between one Odoo customer invoice or credit note and one e-conomic invoice.

A pushed invoice is an e-conomic *draft* first (``draft_number``) and becomes *booked* when the
user books it in e-conomic (``booked_number``, the binding's ``economic_key``); a pulled one is
booked from the start. A paid sales order's draft is bound to the order before its Odoo invoice
exists (``sale_order_id``): the invoice pushed later binds to the same draft (sync contract §8:
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
            "draft_uniq",
            "unique(backend_id, draft_number)",
            "An e-conomic draft invoice can be bound to only one Odoo document.",
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
    draft_number = fields.Integer(string="Draft Number", index="btree_not_null", copy=False)
    booked_number = fields.Integer(string="Booked Number", index="btree_not_null", copy=False)
    reference = fields.Char(help="references.other: the Odoo document's number.")
    currency_code = fields.Char(string="Currency")
    net_amount = fields.Float(digits=(16, 2))
    vat_amount = fields.Float(string="VAT Amount", digits=(16, 2))
    gross_amount = fields.Float(digits=(16, 2))
    rounding_amount = fields.Float(digits=(16, 2))
    remainder = fields.Float(digits=(16, 2), help="What is still unpaid, as e-conomic says.")
    remainder_base = fields.Float(string="Remainder in Base Currency", digits=(16, 2))
    due_date = fields.Date()
    payment_status = fields.Selection(PAYMENT_STATUS)
    payment_terms = fields.Char(string="Payment Terms", help="e-conomic's payment terms.")

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

    def _payment_status_of(self, remainder, due_date, today):
        """paid / unpaid / overdue from a remainder and a due date (e-conomic's views)."""
        if not remainder:
            return "paid"
        return "overdue" if due_date and due_date < today else "unpaid"
