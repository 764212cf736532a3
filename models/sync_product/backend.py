"""The connection's product settings: the product group of products created in e-conomic, and
whether local changes of bound products are pushed."""

from odoo import fields, models


class EconomicBackendProducts(models.Model):
    _inherit = "economic.backend"

    default_product_group_id = fields.Many2one(
        "economic.reference",
        string="Product Group",
        domain="[('backend_id', '=', id), ('kind', '=', 'product_group')]",
        ondelete="set null",
        help="The e-conomic product group of a product created in e-conomic whose Odoo "
        "category maps to no product group.",
    )
    product_push_updates = fields.Boolean(
        string="Update Existing e-conomic Products",
        default=False,
        help="Off (the default): pushing products only creates the ones e-conomic is missing "
        "and binds the others, leaving them as they are. On: local changes of bound "
        "products are written to e-conomic too (with the Products strategy).",
    )

    def _economic_default_references(self):
        return dict(
            super()._economic_default_references(),
            default_product_group_id=("product_group", {}),
        )
