"""The references entity module: groups, VAT zones, payment terms, layouts, currencies, units
and product groups read first in every pass, as the other entities map onto them."""

from odoo import models


class EconomicSyncReferences(models.AbstractModel):
    _name = "economic.sync.references"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: references"

    _economic_sequence = 10
    _economic_always = True

    def _economic_pass(self, state, entities, full):
        state.backend.with_context(economic_sync_pass=True).action_refresh_references()
