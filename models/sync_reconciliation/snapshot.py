"""The snapshot mirrors of the reconciliation report: what e-conomic held when *Refresh from
e-conomic* last read it. Written only by that button (in SQL, a page at a time); read-only for
everybody else."""

from odoo import fields, models

PARTY_KINDS = [("customer", "Customer"), ("supplier", "Supplier")]


class EconomicReconciliationParty(models.Model):
    """One e-conomic customer or supplier as the last Refresh read it."""

    _name = "economic.reconciliation.party"
    _description = "e-conomic Reconciliation: Customer or Supplier"
    _order = "backend_id, kind, number"
    _rec_name = "name"

    _sql_constraints = [
        (
            "backend_kind_number_uniq",
            "unique(backend_id, kind, number)",
            "An e-conomic customer or supplier is read only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    kind = fields.Selection(PARTY_KINDS, required=True)
    number = fields.Integer(required=True, aggregator=False)
    name = fields.Char()
    currency_code = fields.Char(string="Currency")
    balance = fields.Float(
        digits=(16, 2),
        help="e-conomic's balance, in the agreement's base currency (0 where e-conomic gives "
        "none).",
    )
    barred = fields.Boolean()
    refreshed_at = fields.Datetime(string="Read On", readonly=True)


class EconomicReconciliationInvoice(models.Model):
    """One booked e-conomic invoice (or credit note: a negative gross amount) as the last
    Refresh read it."""

    _name = "economic.reconciliation.invoice"
    _description = "e-conomic Reconciliation: Booked Invoice"
    _order = "backend_id, booked_number desc"
    _rec_name = "booked_number"

    _sql_constraints = [
        (
            "backend_number_uniq",
            "unique(backend_id, booked_number)",
            "An e-conomic booked invoice is read only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    booked_number = fields.Integer(string="Booked Number", required=True, aggregator=False)
    date = fields.Date()
    customer_number = fields.Integer(aggregator=False)
    customer_name = fields.Char(string="Customer")
    currency_code = fields.Char(string="Currency")
    gross_amount = fields.Float(digits=(16, 2))
    gross_base = fields.Float(string="Gross Amount in Base Currency", digits=(16, 2))
    remainder = fields.Float(digits=(16, 2))
    remainder_base = fields.Float(string="Remainder in Base Currency", digits=(16, 2))
    is_credit_note = fields.Boolean(string="Credit Note")
    refreshed_at = fields.Datetime(string="Read On", readonly=True)
