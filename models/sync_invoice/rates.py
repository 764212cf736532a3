"""Invoices pulled before e-conomic's exchange rate was kept (issue 14 §2).

Earlier versions posted a foreign-currency invoice at Odoo's rate of the day (or 1.0 when Odoo
had none), so its company-currency amounts may not be e-conomic's. Those moves are posted
entries: they are never rewritten. On update their bindings are marked (``base_check``; see
``migrations/``); the next pass reads e-conomic's base-currency amounts of each once, and every
move whose company-currency total differs is listed for the accountant: a sync log line with
both totals, the difference on the invoice's e-conomic tab, the invoices' filter *Amounts
differ from e-conomic* and its count on the connection's Invoices tab.
"""

from odoo import models

from ...economic_client import EconomicError
from ..economic_sync_state import IN_CHUNK
from .const import BINDING, SYNC_WRITE, dec


class EconomicSyncInvoiceRates(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    def _check_old_rates(self, state):
        bindings = self.env[BINDING].search(
            [("backend_id", "=", state.backend.id), ("base_check", "=", True)], order="id"
        )
        for batch in self._split(bindings, IN_CHUNK):
            for binding in batch:
                try:
                    record = state.client.invoices.booked.get(binding.booked_number)
                except EconomicError as error:
                    self._record_error(state, binding.kind, "pull", binding.move_id, error, binding)
                    continue
                binding.with_context(**{SYNC_WRITE: True}).write(
                    {
                        "exchange_rate": float(record.get("exchangeRate") or 0.0),
                        "gross_base": float(dec(record.get("grossAmountInBaseCurrency"))),
                        "base_check": False,
                    }
                )
                self._say_base_difference(state, binding)
            self._commit(state)

    def _say_base_difference(self, state, binding):
        move = binding.move_id
        if not move or not move.economic_base_difference:
            return
        state.log_record(
            binding.kind,
            "skip",
            move,
            binding,
            message=self.env._(
                "Posted by an earlier version at another exchange rate than e-conomic's: "
                "%(odoo)s %(currency)s in Odoo, %(economic)s %(currency)s in e-conomic "
                "(difference %(diff)s). The posted entry is not changed: correct the "
                "difference with a journal entry, or reverse it and let the next pass pull "
                "it again.",
                odoo=move.amount_total_signed,
                economic=binding.gross_base,
                diff=move.economic_base_difference,
                currency=move.company_currency_id.name,
            ),
        )
