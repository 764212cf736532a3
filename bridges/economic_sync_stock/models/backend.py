"""The connection's stock setting: the Odoo stock location e-conomic's stock on hand is set in."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EconomicBackendStock(models.Model):
    _inherit = "economic.backend"

    stock_location_id = fields.Many2one(
        "stock.location",
        string="Stock Location",
        compute="_compute_stock_location_id",
        store=True,
        readonly=False,
        ondelete="set null",
        domain="[('usage', '=', 'internal'), ('company_id', '=', company_id)]",
        help="Where e-conomic's stock on hand of bound storable products is set (Stock on Hand "
        "pull on): Odoo's on-hand quantity here, its sub-locations included, is made "
        "e-conomic's figure by an inventory adjustment in this location. By default the stock "
        "location of the company's main warehouse.",
    )

    @api.depends("company_id")
    def _compute_stock_location_id(self):
        """The company's main warehouse's stock location, unless one of the company's is set."""
        main = {}
        # a default only: found whatever the companies the user works in now
        for warehouse in (
            self.env["stock.warehouse"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)], order="sequence, id")
        ):
            main.setdefault(warehouse.company_id.id, warehouse.lot_stock_id)
        for backend in self:
            if backend.stock_location_id.sudo().company_id == backend.company_id:
                continue
            backend.stock_location_id = main.get(backend.company_id.id, False)

    @api.constrains("stock_location_id", "company_id")
    def _check_stock_location(self):
        for backend in self.filtered("stock_location_id"):
            location = backend.stock_location_id
            if location.usage != "internal" or location.company_id != backend.company_id:
                raise ValidationError(
                    self.env._(
                        "The stock location of the connection %(connection)s must be an "
                        "internal location of %(company)s: %(location)s is not.",
                        connection=backend.display_name,
                        company=backend.company_id.display_name,
                        location=location.display_name,
                    )
                )
