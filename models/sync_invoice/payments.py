"""e-conomic's payments registered in Odoo (an option of the connection, off by default).

With the option on, what e-conomic says was paid on a booked invoice since the last pass (the
drop of its remainder) is registered as an Odoo payment in the chosen journal and reconciled
with the invoice, so Odoo's paid state follows e-conomic's. A remainder that grows again (a
payment reversed in e-conomic) is logged for the accountant, never reversed automatically.
Off, the e-conomic status on the invoice is what shows whether it is paid.
"""

from odoo import fields, models

from ..economic_sync_entity import RECORD_ERRORS


class EconomicSyncInvoicePayments(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    def _remainder_changed(self, state, binding, paid):
        super()._remainder_changed(state, binding, paid)
        backend = state.backend
        move = binding.move_id
        if not (backend.invoice_register_payments and backend.invoice_payment_journal_id):
            return
        if not move or move.state != "posted" or move.payment_state in ("paid", "in_payment"):
            return
        # a credit note's remainder is negative: what was refunded lowers its magnitude
        amount = abs(paid)
        if paid * (binding.gross_amount or 1) <= 0 or not amount:
            state.log_record(
                binding.kind,
                "skip",
                move,
                binding,
                message=self.env._(
                    "The remainder grew in e-conomic (a payment reversed?): check the Odoo "
                    "payments of this invoice."
                ),
            )
            return
        try:
            with self._record_savepoint(state):
                self._register_payment(backend, move, min(amount, move.amount_residual))
        except RECORD_ERRORS as error:
            self._record_error(state, binding.kind, "pull", move, error, binding)

    def _register_payment(self, backend, move, amount):
        wizard = (
            self.env["account.payment.register"]
            .with_company(move.company_id)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "journal_id": backend.invoice_payment_journal_id.id,
                    "amount": amount,
                    "currency_id": move.currency_id.id,
                    "payment_date": fields.Date.context_today(self),
                    "communication": move.name,
                }
            )
        )
        return wizard._create_payments()
