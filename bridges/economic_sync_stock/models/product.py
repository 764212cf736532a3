"""The products' webhook ("Product updated"): after the targeted pull of the products it names
(``economic.sync.product._economic_pull_keys``), their stock on hand at once, while the pull
and Automatic of Stock on Hand are on."""

from odoo import models


class EconomicSyncProductStock(models.AbstractModel):
    _inherit = "economic.sync.product"

    def _economic_pull_keys(self, state, entity, keys, renames):
        reached = super()._economic_pull_keys(state, entity, keys, renames)
        self.env["economic.sync.stock"]._stock_after_product_pull(state, list(reached))
        return reached
