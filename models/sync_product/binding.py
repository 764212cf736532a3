"""The link between one Odoo product and one e-conomic product of a connection."""

from odoo import api, fields, models


class EconomicProductBinding(models.Model):
    _name = "economic.product.binding"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Product Binding"
    _order = "backend_id, economic_key"
    _rec_name = "economic_key"

    _economic_record_field = "product_id"
    _economic_entity_name = "product"

    _sql_constraints = [
        (
            "key_uniq",
            "unique(backend_id, economic_key)",
            "An e-conomic product can be bound to only one Odoo product.",
        ),
        (
            "product_uniq",
            "unique(backend_id, product_id)",
            "An Odoo product can be bound only once per connection.",
        ),
    ]

    economic_key = fields.Char(string="e-conomic Product Number", required=True)
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, ondelete="cascade", index=True
    )
    recommended_price = fields.Float(readonly=True)
    sales_price = fields.Float(
        string="Sales Price (e-conomic)",
        readonly=True,
        help="e-conomic's sales price, in the agreement's base currency: kept here while it is "
        "not the company's currency (then not synced with the product's Sales Price).",
    )
    cost_price = fields.Float(
        string="Cost Price (e-conomic)",
        readonly=True,
        help="e-conomic's cost price, in the agreement's base currency: kept here while it is "
        "not the company's currency (then not synced with the product's Cost).",
    )
    has_inventory = fields.Boolean(
        readonly=True, help="e-conomic's inventory module answered for this product."
    )
    inventory_available = fields.Float(string="Available", readonly=True)
    inventory_in_stock = fields.Float(string="In Stock", readonly=True)
    inventory_ordered_by_customers = fields.Float(string="Ordered by Customers", readonly=True)
    inventory_ordered_from_suppliers = fields.Float(string="Ordered from Suppliers", readonly=True)

    @api.depends("product_id", "economic_key")
    def _compute_display_name(self):
        for binding in self:
            binding.display_name = "%s (%s)" % (
                binding.economic_key or "-",
                binding.product_id.display_name or "",
            )

    def action_open_product(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "product.product",
            "res_id": self.product_id.id,
            "view_mode": "form",
        }
