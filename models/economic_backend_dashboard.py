"""What the connection's dashboard (its form) tells about the agreement and the passes: the scope
of partners without a company, the conflicts the last pass counted."""

from odoo import api, fields, models


class EconomicBackendDashboard(models.Model):
    _inherit = "economic.backend"

    several_companies = fields.Boolean(
        compute="_compute_several_companies",
        help="The database has more than one company: partners without a company are shared "
        "between them.",
    )
    pass_number = fields.Integer(
        string="Passes Run",
        copy=False,
        readonly=True,
        help="Passes of this connection so far: the number of the last one.",
    )
    last_pass_conflict_count = fields.Integer(
        string="Conflicts of the Last Pass",
        compute="_compute_last_pass_conflict_count",
        help="The conflicts the last pass counted: those its strategy decided as well as those "
        "waiting for a choice.",
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

    # ------------------------------------------------------------------ conflicts of the last pass
    @api.depends("pass_number")
    def _compute_last_pass_conflict_count(self):
        groups = (
            self.env["economic.sync.conflict"]
            .sudo()
            ._read_group(
                [("backend_id", "in", self.ids), ("pass_number", "in", self.mapped("pass_number"))],
                ["backend_id", "pass_number"],
                ["__count"],
            )
        )
        counts = {(backend.id, number): count for backend, number, count in groups}
        for backend in self:
            backend.last_pass_conflict_count = (
                counts.get((backend.id, backend.pass_number), 0) if backend.pass_number else 0
            )

    def action_open_last_pass_conflicts(self):
        """The conflicts the last pass counted (decided by the strategy or open), whatever the
        Conflicts menu's default filter shows."""
        self.ensure_one()
        return self._economic_open(
            "economic.sync.conflict",
            [("pass_number", "=", self.pass_number or -1)],
            self.env._("Conflicts of the Last Pass"),
        )
