"""e-conomic's payments registered in Odoo (an option of the connection, off by default).

With the option on, what e-conomic says was paid on a booked invoice since the last pass (the
drop of its remainder) is registered as an Odoo payment in the chosen journal and reconciled
with the invoice, so Odoo's paid state follows e-conomic's. A remainder that grows again (a
payment reversed in e-conomic) is logged for the accountant, never reversed automatically.
Off, the e-conomic status on the invoice is what shows whether it is paid.
"""

from odoo import fields, models

from ..economic_sync_entity import RECORD_ERRORS
from .const import dec


class EconomicSyncInvoicePayments(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    def _registers_payments(self, state):
        backend = state.backend
        return bool(backend.invoice_register_payments and backend.invoice_payment_journal_id)

    def _remainder_changed(self, state, binding, paid):
        super()._remainder_changed(state, binding, paid)
        if self._registers_payments(state):
            self._register_paid(state, binding, paid)

    def _register_paid_before(self, state, bindings):
        """Invoices pulled for the first time already (partly) paid in e-conomic: what was
        paid is registered in Odoo too, so a historic paid invoice is not an open receivable
        in Odoo forever."""
        if not self._registers_payments(state):
            return
        for binding in bindings:
            paid = dec(binding.gross_amount) - dec(binding.remainder)
            if paid:
                self._register_paid(state, binding, float(paid), before=True)

    def _register_paid(self, state, binding, paid, before=False):
        """Register ``paid`` (the drop of the remainder, in the invoice's currency) as an Odoo
        payment of the move, reconciled with it; a remainder that grew is only logged."""
        move = binding.move_id
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
        amount = min(amount, move.amount_residual)
        try:
            with self._record_savepoint(state):
                self._register_payment(state.backend, move, amount)
        except RECORD_ERRORS as error:
            self._record_error(state, binding.kind, "pull", move, error, binding)
            return
        if before:
            state.log_record(
                binding.kind,
                "update",
                move,
                binding,
                message=self.env._(
                    "Paid in e-conomic before it came to Odoo: %(amount)s %(currency)s "
                    "registered as a payment in %(journal)s.",
                    amount=amount,
                    currency=move.currency_id.name,
                    journal=state.backend.invoice_payment_journal_id.display_name,
                ),
            )

    def _register_payment(self, backend, move, amount):
        return self._register_payment_in(backend.invoice_payment_journal_id, move, amount)

    def _register_payment_in(self, journal, move, amount):
        """Register ``amount`` (in the move's currency) as an Odoo payment of ``move`` in
        ``journal``, reconciled with it (Odoo's Register Payment wizard; also the purchases'
        bills)."""
        wizard = (
            self.env["account.payment.register"]
            .with_company(move.company_id)
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "journal_id": journal.id,
                    "amount": amount,
                    "currency_id": move.currency_id.id,
                    "payment_date": fields.Date.context_today(self),
                    "communication": move.name,
                }
            )
        )
        return wizard._create_payments()
