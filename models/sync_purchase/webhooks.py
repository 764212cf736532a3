"""The bills of a booked day book at once: the entries package reads the vouchers a "Day book
booked" event names (``sync_entry/webhooks.py``) and tells the packages built on its mirror;
with the purchases' pull and automatic sync on, the supplier invoices of those vouchers become
bills in the same run, not at the next pass."""

from odoo import models

from ..sync_entry.webhook_keys import daybook_span
from .const import ENTITY


class EconomicSyncEntryPurchases(models.AbstractModel):
    _inherit = "economic.sync.entry"

    def _economic_entries_arrived(self, state, reached):
        super()._economic_entries_arrived(state, reached)
        setting = state.setting(ENTITY)
        record = setting["setting"]
        if not reached or not setting["pull"] or not (record and record.auto):
            return
        spans = [daybook_span(key)[1:] for key in reached]
        self.env["economic.sync.purchase"]._build_purchases(state, spans=spans)
