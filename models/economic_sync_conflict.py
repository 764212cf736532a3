import json

from odoo import fields, models


class EconomicSyncConflict(models.Model):
    """Both sides changed the same field: the values, the decision, and a way to reverse it."""

    _name = "economic.sync.conflict"
    _description = "e-conomic Sync Conflict"
    _order = "date desc, id desc"
    _rec_name = "field"

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    binding_id = fields.Many2one("economic.partner.binding", ondelete="cascade", index=True)
    partner_id = fields.Many2one(related="binding_id.partner_id")
    entity = fields.Char()
    field = fields.Char(required=True)
    base_value = fields.Text()
    local_value = fields.Text(string="Odoo Value")
    remote_value = fields.Text(string="e-conomic Value")
    strategy = fields.Char()
    decision = fields.Selection(
        [("local", "Odoo"), ("remote", "e-conomic"), ("undecided", "Undecided")],
        required=True,
        default="undecided",
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Resolved"), ("reversed", "Reversed")],
        required=True,
        default="open",
        index=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True)

    @staticmethod
    def _dump(value):
        return json.dumps(value, default=str, ensure_ascii=False)

    @staticmethod
    def _load(text):
        if text is False or text is None:
            return None
        try:
            return json.loads(text)
        except ValueError:
            return text

    def action_choose_local(self):
        return self._choose("local")

    def action_choose_remote(self):
        return self._choose("remote")

    def _choose(self, side):
        engine = self.env["economic.sync.engine"]
        for conflict in self:
            engine._apply_conflict_choice(conflict, side)
        return True
