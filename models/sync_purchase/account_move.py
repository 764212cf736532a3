"""Vendor bills made from supplier invoices booked in e-conomic: their e-conomic fields (voucher,
supplier invoice number, remainder and payment status) and their lock.

A booked supplier invoice never changes in e-conomic (a correction is a new entry): its Odoo bill
is posted and locked like a booked customer invoice (``sync_invoice/account_move.py``, whose
checks this module extends to bills): resetting it to draft, cancelling it, or changing its
partner, dates, currency, lines or amounts is refused with a message that says why. Payments
and reconciliation are not touched by the lock; the sync's own writes pass.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

from .const import BINDING, PAYMENT_STATUS

SYNC_WRITE = "economic_sync_write"


class AccountMove(models.Model):
    _inherit = "account.move"

    economic_purchase_binding_ids = fields.One2many(
        BINDING, "move_id", string="e-conomic Purchase Bindings"
    )
    economic_purchase_backend_id = fields.Many2one(
        "economic.backend",
        string="e-conomic Connection of the Bill",
        compute="_compute_economic_purchase",
        store=True,
        index="btree_not_null",
    )
    economic_purchase_key = fields.Char(
        string="e-conomic Supplier Invoice",
        compute="_compute_economic_purchase",
        store=True,
        copy=False,
        help="The accounting year and voucher of the supplier invoice booked in e-conomic.",
    )
    economic_purchase_voucher = fields.Integer(
        string="e-conomic Voucher",
        compute="_compute_economic_purchase",
        store=True,
        copy=False,
        aggregator=False,
    )
    economic_purchase_year = fields.Char(
        string="e-conomic Accounting Year", compute="_compute_economic_purchase", store=True
    )
    economic_purchase_remainder = fields.Monetary(
        string="Remainder in e-conomic",
        compute="_compute_economic_purchase",
        store=True,
        currency_field="currency_id",
    )
    economic_purchase_status = fields.Selection(
        PAYMENT_STATUS,
        string="Status in e-conomic",
        compute="_compute_economic_purchase",
        store=True,
    )
    economic_purchase_synced = fields.Datetime(
        string="Read from e-conomic", compute="_compute_economic_purchase", store=True
    )

    @api.depends(
        "economic_purchase_binding_ids.economic_key",
        "economic_purchase_binding_ids.remainder",
        "economic_purchase_binding_ids.payment_status",
        "economic_purchase_binding_ids.last_synced",
    )
    def _compute_economic_purchase(self):
        for move in self:
            binding = move.economic_purchase_binding_ids[:1]
            move.economic_purchase_backend_id = binding.backend_id
            move.economic_purchase_key = binding.economic_key or False
            move.economic_purchase_voucher = binding.voucher_number
            move.economic_purchase_year = binding.year or False
            move.economic_purchase_remainder = abs(binding.remainder)
            move.economic_purchase_status = binding.payment_status or False
            move.economic_purchase_synced = binding.last_synced

    # ------------------------------------------------------------------ the lock
    def _economic_locked(self):
        """Booked invoices (``sync_invoice``) and bills of supplier invoices booked in
        e-conomic, unless the sync writes."""
        locked = super()._economic_locked()
        if self.env.context.get(SYNC_WRITE):
            return locked
        return locked | self.filtered("economic_purchase_key")

    def _economic_refuse(self, moves, what):
        bills = moves.filtered("economic_purchase_key")
        if not bills:
            return super()._economic_refuse(moves, what)
        raise UserError(
            self.env._(
                "%(moves)s is a supplier invoice booked in e-conomic (voucher %(voucher)s) and "
                "can no longer be changed (%(what)s). Correct it in e-conomic: the correction "
                "comes to Odoo as a bill of its own.",
                moves=", ".join(bills.mapped("display_name")),
                voucher=", ".join(
                    "%s-%s" % (bill.economic_purchase_year, bill.economic_purchase_voucher)
                    for bill in bills
                ),
                what=what,
            )
        )

    @api.depends("economic_purchase_key")
    def _compute_show_reset_to_draft_button(self):
        """No "Reset to Draft" on a bill booked in e-conomic (it would be refused)."""
        res = super()._compute_show_reset_to_draft_button()
        for move in self.filtered("economic_purchase_key"):
            move.show_reset_to_draft_button = False
        return res
