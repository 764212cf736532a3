"""What the connection's dashboard (its form) tells about the agreement and the passes: the scope
of partners without a company."""

from odoo import api, fields, models


class EconomicBackendDashboard(models.Model):
    _inherit = "economic.backend"

    several_companies = fields.Boolean(
        compute="_compute_several_companies",
        help="The database has more than one company: partners without a company are shared "
        "between them.",
    )

    # ------------------------------------------------------------------ partners without company
    def _compute_several_companies(self):
        several = self._several_companies()
        for backend in self:
            backend.several_companies = several

    @api.model
    def _several_companies(self):
        """Whether partners without a company are shared between companies: the database has
        more than one (archived ones count: their users may come back)."""
        return self.env["res.company"].sudo().with_context(active_test=False).search_count([]) > 1

    def _pushes_shared_partners(self):
        """Whether the push creates partners without a company in this agreement: always with
        one company in the database (they are that company's), else only when the connection
        says so (``push_shared_partners``)."""
        self.ensure_one()
        return bool(self.push_shared_partners or not self._several_companies())
