"""The link between one supplier invoice booked in e-conomic and its Odoo vendor bill.

e-conomic has no supplier-invoice document: a booked supplier invoice is the entries of one
voucher of an accounting year (docs/ECONOMIC.md §4.15), its creditor entry naming the supplier
and the supplier's invoice number. A binding names that group (year, voucher, supplier,
supplier invoice number; the text key ``year/voucher``, or ``year/voucher/supplier/invoice``
where a voucher holds several supplier invoices) and keeps what e-conomic says of it: amounts,
due date and the remainder (what is still unpaid), which moves with payments.
"""

from odoo import api, fields, models

from .const import PAYMENT_STATUS


class EconomicPurchaseBinding(models.Model):
    _name = "economic.purchase.binding"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Purchase Binding"
    _order = "backend_id, date desc, voucher_number desc, id desc"
    _rec_name = "economic_key"

    _economic_record_field = "move_id"
    _economic_entity_name = "purchase"

    _sql_constraints = [
        (
            "key_uniq",
            "unique(backend_id, economic_key)",
            "An e-conomic supplier invoice can be bound to only one Odoo bill.",
        ),
        (
            "move_uniq",
            "unique(backend_id, move_id)",
            "An Odoo bill can be bound only once per connection.",
        ),
    ]

    move_id = fields.Many2one("account.move", string="Bill", ondelete="cascade", index=True)
    year = fields.Char(string="Accounting Year", required=True)
    voucher_number = fields.Integer(string="Voucher", required=True, aggregator=False)
    supplier_number = fields.Integer(string="Supplier Number", aggregator=False)
    supplier_invoice_number = fields.Char(string="Supplier Invoice Number")
    refund = fields.Boolean(
        string="Credit Note", help="A credit from the supplier: an Odoo refund (in_refund)."
    )
    date = fields.Date()
    due_date = fields.Date()
    currency_code = fields.Char(string="Currency")
    gross_amount = fields.Float(
        digits=(16, 2), help="The supplier invoice's total, VAT included (its creditor entry)."
    )
    vat_amount = fields.Float(string="VAT Amount", digits=(16, 2))
    gross_base = fields.Float(string="Gross Amount in Base Currency", digits=(16, 2))
    remainder = fields.Float(
        digits=(16, 2),
        help="What is still unpaid, as e-conomic says (its creditor entry's remainder: negative "
        "for a bill).",
    )
    remainder_base = fields.Float(string="Remainder in Base Currency", digits=(16, 2))
    payment_status = fields.Selection(PAYMENT_STATUS)

    def init(self):
        # the identity of a supplier invoice in e-conomic's ledger: what the pass's anti-join
        # compares (a supplier invoice without a number is one of its voucher and supplier)
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS economic_purchase_binding_voucher_uniq "
            "ON economic_purchase_binding (backend_id, year, voucher_number, supplier_number, "
            "COALESCE(supplier_invoice_number, ''))"
        )

    @api.depends("year", "voucher_number", "supplier_invoice_number", "move_id")
    def _compute_display_name(self):
        for binding in self:
            label = binding.env._(
                "Voucher %(year)s-%(voucher)s", year=binding.year, voucher=binding.voucher_number
            )
            if binding.supplier_invoice_number:
                label = "%s (%s)" % (label, binding.supplier_invoice_number)
            binding.display_name = label

    def _status_label(self):
        self.ensure_one()
        selection = dict(self._fields["payment_status"]._description_selection(self.env))
        return selection.get(self.payment_status, "")
