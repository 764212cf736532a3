"""The link between one Odoo customer payment of one invoice and the e-conomic customer-payment
entry it became.

A payment of several invoices makes one entry per invoice (one binding each), all sent in one
request. The entry is a *draft* in the connection's journal (``journal_entry_number``) until the
bookkeeper books the journal in e-conomic; it is then a booked entry of the accounting year
(``doc_state`` booked), found by its voucher number.
"""

from odoo import api, fields, models

from .const import DOC_STATES, ENTITY


class EconomicPaymentBinding(models.Model):
    _name = "economic.payment.binding"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Customer Payment Binding"
    _order = "backend_id, id desc"
    _rec_name = "economic_key"

    _economic_record_field = "payment_id"
    _economic_entity_name = ENTITY

    _sql_constraints = [
        (
            "payment_invoice_uniq",
            "unique(backend_id, payment_id, invoice_id)",
            "A payment of an invoice becomes one e-conomic entry per connection.",
        ),
    ]

    payment_id = fields.Many2one(
        "account.payment", string="Payment", required=True, ondelete="cascade", index=True
    )
    invoice_id = fields.Many2one(
        "account.move", string="Invoice", required=True, ondelete="cascade", index=True
    )
    invoice_number = fields.Integer(
        string="e-conomic Invoice", aggregator=False, help="The booked invoice the entry pays."
    )
    customer_number = fields.Integer(string="e-conomic Customer", aggregator=False)
    journal_number = fields.Integer(string="e-conomic Journal", aggregator=False)
    year = fields.Char(string="Accounting Year")
    voucher_number = fields.Integer(string="Voucher", aggregator=False, index="btree_not_null")
    journal_entry_number = fields.Integer(
        string="Journal Entry", aggregator=False, help="The draft entry's number in the journal."
    )
    doc_state = fields.Selection(DOC_STATES, string="e-conomic State", default="draft")
    amount = fields.Float(digits=(16, 2), help="In the invoice's currency.")
    currency_code = fields.Char(string="Currency")
    date = fields.Date()
    text = fields.Char()

    @api.depends("year", "voucher_number", "journal_number", "doc_state")
    def _compute_display_name(self):
        for binding in self:
            binding.display_name = binding.env._(
                "Journal %(journal)s, voucher %(year)s-%(voucher)s",
                journal=binding.journal_number or "-",
                year=binding.year or "-",
                voucher=binding.voucher_number or "-",
            )
