"""e-conomic's payments of bills registered in Odoo (an option of the connection, off by
default), as for customer invoices (``models/sync_invoice/payments.py``).

State, not events: a bill whose Odoo residual is above what e-conomic says is still unpaid
(the creditor entries' remainder in the mirror) gets the difference registered as an Odoo
payment in the chosen journal and reconciled, whether it was paid before the bill came to Odoo
or since. A remainder that grew again (a payment reversed in e-conomic) is logged, never
reversed automatically."""

from odoo import models
from odoo.tools.float_utils import float_compare

from ..economic_sync_entity import RECORD_ERRORS
from .const import BINDING, ENTITY


class EconomicSyncPurchasePayments(models.AbstractModel):
    _inherit = "economic.sync.purchase"

    def _register_purchase_payments(self, state):
        """Register in Odoo what e-conomic says is paid of the connection's open bills: one
        search of the bills still open in Odoo, one payment per bill paid (further) in
        e-conomic; each committed with the page."""
        backend = state.backend
        if not (backend.purchase_register_payments and backend.purchase_payment_journal_id):
            return
        bindings = (
            self.env[BINDING]
            .sudo()
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("move_id.state", "=", "posted"),
                    ("move_id.payment_state", "in", ("not_paid", "partial")),
                ]
            )
        )
        for binding in bindings:
            self._register_purchase_paid(state, binding)
        self._commit(state)

    def _register_purchase_paid(self, state, binding):
        move = binding.move_id
        unpaid = abs(binding.remainder)
        rounding = move.currency_id.rounding
        residual = move.amount_residual
        compare = float_compare(residual, unpaid, precision_rounding=rounding)
        if compare == 0:
            return
        if compare < 0:
            state.log_record(
                ENTITY,
                "skip",
                move,
                binding,
                message=self.env._(
                    "e-conomic says more is unpaid (%(remainder)s) than Odoo (%(residual)s): a "
                    "payment reversed in e-conomic? Check the Odoo payments of this bill.",
                    remainder=unpaid,
                    residual=residual,
                ),
            )
            return
        amount = residual - unpaid
        try:
            with self._record_savepoint(state):
                self.env["economic.sync.invoice"]._register_payment_in(
                    state.backend.purchase_payment_journal_id, move, amount
                )
        except RECORD_ERRORS as error:
            self._record_error(state, ENTITY, "pull", move, error, binding)
            return
        state.log_record(
            ENTITY,
            "update",
            move,
            binding,
            message=self.env._(
                "Paid in e-conomic: %(amount)s %(currency)s registered as a payment in "
                "%(journal)s.",
                amount=amount,
                currency=move.currency_id.name,
                journal=state.backend.purchase_payment_journal_id.display_name,
            ),
        )
