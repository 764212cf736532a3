import json
import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from .economic_partner_binding import _with_backend_company

_logger = logging.getLogger(__name__)

LOG_ENTITIES = [
    ("customer", "Customer"),
    ("supplier", "Supplier"),
    ("customer_contact", "Customer Contact"),
    ("supplier_contact", "Supplier Contact"),
    ("pass", "Pass"),
]


class EconomicSyncLog(models.Model):
    """One operation of the sync: what was created, updated, skipped or failed."""

    _name = "economic.sync.log"
    _description = "e-conomic Sync Log"
    _order = "create_date desc, id desc"
    _rec_name = "record_name"

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    entity = fields.Selection(LOG_ENTITIES, index=True)
    direction = fields.Selection([("pull", "Pull"), ("push", "Push")])
    operation = fields.Selection(
        [
            ("create", "Create"),
            ("update", "Update"),
            ("bind", "Bind"),
            ("skip", "Skip"),
            ("conflict", "Conflict"),
            ("error", "Error"),
            ("archive", "Archive"),
        ],
        required=True,
        index=True,
    )
    state = fields.Selection(
        [("done", "Done"), ("failed", "Failed"), ("replayed", "Replayed")],
        required=True,
        default="done",
        index=True,
    )
    res_model = fields.Char(string="Odoo Model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Odoo Record")
    record_name = fields.Char(string="Record")
    economic_key = fields.Char(string="e-conomic Key")
    fields_touched = fields.Char()
    old_values = fields.Text()
    new_values = fields.Text()
    message = fields.Text()
    binding_id = fields.Many2one("economic.partner.binding", ondelete="set null", index=True)

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(_with_backend_company(self.env, vals_list))

    def _create_safe(self, vals_list):
        """Create log lines; never raises and loses no line (a broken log line must not stop a
        pass). A line may point at a binding that a rolled-back savepoint removed: the pointer is
        dropped, the line kept. Should the batch still fail, lines are written one by one."""
        if not vals_list:
            return self.browse()
        binding_ids = {vals["binding_id"] for vals in vals_list if vals.get("binding_id")}
        if binding_ids:
            existing = set(self.env["economic.partner.binding"].browse(binding_ids).exists().ids)
            for vals in vals_list:
                if vals.get("binding_id") and vals["binding_id"] not in existing:
                    vals["binding_id"] = False
        try:
            with self.env.cr.savepoint():
                return self.sudo().create(vals_list)
        except Exception:  # noqa: BLE001 - logging must never break the sync
            _logger.warning(
                "e-conomic: could not write %d sync log lines at once; writing them one by one",
                len(vals_list),
            )
        lines = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    lines |= self.sudo().create(vals)
            except Exception:  # noqa: BLE001
                _logger.exception("e-conomic: could not write a sync log line")
        return lines

    @staticmethod
    def _json(values):
        if not values:
            return False
        return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)

    def action_replay(self):
        """Re-run the sync of the records of the failed lines, now."""
        failed = self.filtered(lambda line: line.state == "failed")
        if not failed:
            raise UserError(self.env._("Only failed lines can be replayed."))
        engine = self.env["economic.sync.engine"]
        results = []
        for line in failed:
            ok, message = engine._replay_log_line(line)
            results.append((line, ok, message))
        done = [line for line, ok, _m in results if ok]
        failed_again = [(line, m) for line, ok, m in results if not ok]
        if done:
            self.browse([line.id for line in done]).write({"state": "replayed"})
        title = self.env._("Replay")
        if failed_again:
            message = self.env._(
                "%(done)s replayed, %(failed)s still failing: %(first)s",
                done=len(done),
                failed=len(failed_again),
                first=failed_again[0][1] or "",
            )
            kind = "warning"
        else:
            message = self.env._("%(done)s replayed.", done=len(done))
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }
