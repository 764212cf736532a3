"""The connection's Point of Sale setting: which points of sale the day's sales come from."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EconomicBackendPos(models.Model):
    _inherit = "economic.backend"

    shop_pos_config_ids = fields.Many2many(
        "pos.config",
        "economic_backend_pos_config_rel",
        "backend_id",
        "config_id",
        string="Points of Sale",
        domain="[('company_id', '=', company_id)]",
        help="The points of sale whose closed sessions make the day's sales sent to e-conomic "
        "(Daily Sales push and write-back on): per point of sale and business day, the orders "
        "not invoiced (invoices go to e-conomic as invoices) and their payments.",
    )

    @api.constrains("shop_pos_config_ids", "company_id")
    def _check_shop_pos_configs(self):
        for backend in self:
            others = backend.shop_pos_config_ids.filtered(
                lambda config, company=backend.company_id: config.company_id != company
            )
            if others:
                raise ValidationError(
                    self.env._(
                        "The points of sale %(configs)s are not of the connection's company "
                        "%(company)s.",
                        configs=", ".join(others.mapped("name")),
                        company=backend.company_id.display_name,
                    )
                )
