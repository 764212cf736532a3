import logging

from markupsafe import Markup, escape

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..economic_client import EconomicError

_logger = logging.getLogger(__name__)

OPERATIONS = [
    ("create", "Create in e-conomic"),
    ("update", "Update in e-conomic"),
    ("bind", "Link to an existing e-conomic record"),
    ("error", "Would fail"),
    ("skip", "Skipped"),
]
#: summary columns, in this order
SUMMARY_OPERATIONS = ("create", "update", "bind", "error", "skip")
MODES = [
    ("preview", "Preview"),
    ("enable_write_back", "Switch On Write-back"),
    ("enable_push", "Switch On Push"),
]


class EconomicPushPreview(models.TransientModel):
    """What the next pass would send to e-conomic (nothing is written), and the
    confirmation that switches write-back or an entity's push on."""

    _name = "economic.push.preview"
    _description = "e-conomic Push Preview"

    backend_id = fields.Many2one(
        "economic.backend",
        string="Connection",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    write_back = fields.Boolean(related="backend_id.write_back")
    entity = fields.Selection(selection="_selection_entity", readonly=True)
    mode = fields.Selection(MODES, required=True, default="preview", readonly=True)
    preview_available = fields.Boolean(default=True, readonly=True)
    line_ids = fields.One2many("economic.push.preview.line", "wizard_id", string="Records")
    create_count = fields.Integer(string="To Create", compute="_compute_counts")
    update_count = fields.Integer(string="To Update", compute="_compute_counts")
    bind_count = fields.Integer(string="To Link", compute="_compute_counts")
    error_count = fields.Integer(string="Would Fail", compute="_compute_counts")
    summary_html = fields.Html(string="Summary", compute="_compute_counts", sanitize=False)

    @api.model
    def _selection_entity(self):
        return self.env["economic.sync.engine"]._entity_selection()

    @api.depends("line_ids.entity", "line_ids.operation")
    def _compute_counts(self):
        for wizard in self:
            lines = wizard.line_ids
            wizard.create_count = len(lines.filtered(lambda r: r.operation == "create"))
            wizard.update_count = len(lines.filtered(lambda r: r.operation == "update"))
            wizard.bind_count = len(lines.filtered(lambda r: r.operation == "bind"))
            wizard.error_count = len(lines.filtered(lambda r: r.operation == "error"))
            wizard.summary_html = wizard._summary_table()

    def _summary_table(self):
        """An HTML table: one row per entity, one column per operation."""
        self.ensure_one()
        _ = self.env._
        entity_labels = dict(self._fields["entity"]._description_selection(self.env))
        counts = {}
        for line in self.line_ids:
            row = counts.setdefault(line.entity, dict.fromkeys(SUMMARY_OPERATIONS, 0))
            if line.operation in row:
                row[line.operation] += 1
        if not counts:
            return Markup("<p>%s</p>") % _("Nothing would be sent to e-conomic.")
        header = Markup("").join(
            Markup("<th class='text-end'>%s</th>") % label
            for label in (_("Create"), _("Update"), _("Link"), _("Would Fail"), _("Skipped"))
        )
        rows = Markup("").join(
            Markup("<tr><td>%s</td>%s</tr>")
            % (
                entity_labels.get(entity, entity),
                Markup("").join(
                    Markup("<td class='text-end'>%s</td>") % counts[entity][op]
                    for op in SUMMARY_OPERATIONS
                ),
            )
            for entity in self.env["economic.sync.engine"]._entity_specs()
            if entity in counts
        )
        return Markup(
            "<table class='table table-sm o_economic_preview_summary'>"
            "<thead><tr><th>%s</th>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (escape(_("Entity")), header, rows)

    # ------------------------------------------------------------------ open
    @api.model
    def _open(self, backend, mode, entity=False):
        """Compute the preview of ``backend`` (one entity, or all) and open it."""
        backend.ensure_one()
        backend.check_access("write")
        rows, available = self._preview_rows(backend, entity)
        wizard = self.create(
            {
                "backend_id": backend.id,
                "entity": entity or False,
                "mode": mode,
                "preview_available": available,
                "line_ids": [Command.create(vals) for vals in self._line_vals(rows)],
            }
        )
        return wizard._action_reopen()

    @api.model
    def _preview_rows(self, backend, entity):
        """``(rows, available)``: the engine's preview (nothing is written)."""
        engine = self.env["economic.sync.engine"]
        if not hasattr(engine, "_preview_push"):
            return [], False
        try:
            rows = engine._preview_push(backend, entities=[entity] if entity else None)
        except EconomicError as error:
            raise UserError(
                self.env._(
                    "Could not compute the preview.\n%(error)s",
                    error=backend._error_message(error),
                )
            ) from None
        return list(rows or []), True

    @api.model
    def _line_vals(self, rows):
        specs = self.env["economic.sync.engine"]._entity_specs()
        operations = dict(OPERATIONS)
        vals_list = []
        for row in rows:
            spec = specs.get(row.get("entity"))
            model = row.get("res_model") or (spec.res_model if spec else False)
            field_names = list(row.get("fields") or [])
            vals_list.append(
                {
                    "entity": spec.key if spec else False,
                    "operation": row.get("operation")
                    if row.get("operation") in operations
                    else False,
                    "res_model": model,
                    "res_id": row.get("res_id") or 0,
                    "record_name": row.get("record_name") or "",
                    "economic_key": row.get("economic_key") or False,
                    "field_names": ", ".join(field_names),
                    "field_labels": ", ".join(self._field_labels(model, field_names)),
                    "message": row.get("message") or False,
                }
            )
        return vals_list

    @api.model
    def _field_labels(self, model, field_names):
        if model not in self.env:
            return field_names
        model_fields = self.env[model]._fields
        return [
            model_fields[name]._description_string(self.env) if name in model_fields else name
            for name in field_names
        ]

    def _action_reopen(self):
        self.ensure_one()
        titles = {
            "preview": self.env._("Next Push (dry run)"),
            "enable_write_back": self.env._("Switch On Write-back"),
            "enable_push": self.env._("Switch On Push"),
        }
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": titles[self.mode],
        }

    # ------------------------------------------------------------------ confirm
    def action_confirm(self):
        """Switch on what the preview was opened for (write-back, or one entity's push)."""
        self.ensure_one()
        backend = self.backend_id
        backend.check_access("write")
        _ = self.env._
        if self.mode == "enable_write_back":
            backend.write({"write_back": True})
            message = _("Write-back is on: the next pass writes to e-conomic.")
        elif self.mode == "enable_push":
            setting = backend._entity_setting(self.entity)
            # the setting's constraint refuses push without a strategy, with its message
            setting.write({"push": True})
            message = _(
                "Push is on for %(entity)s.",
                entity=dict(self._fields["entity"]._description_selection(self.env)).get(
                    self.entity, self.entity
                ),
            )
            if not backend.write_back:
                message += " " + _("Nothing is sent while the connection's write-back is off.")
        else:
            return {"type": "ir.actions.act_window_close"}
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("e-conomic"),
                "message": message,
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }


class EconomicPushPreviewLine(models.TransientModel):
    """One record the next pass would send to e-conomic."""

    _name = "economic.push.preview.line"
    _description = "e-conomic Push Preview Line"
    _order = "entity, operation, record_name, id"

    wizard_id = fields.Many2one("economic.push.preview", required=True, ondelete="cascade")
    entity = fields.Selection(selection="_selection_entity")
    operation = fields.Selection(OPERATIONS)
    res_model = fields.Char(string="Model")
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model")
    record_name = fields.Char(string="Record")
    economic_key = fields.Char(string="e-conomic Number")
    field_names = fields.Char(string="Technical Field Names")
    field_labels = fields.Char(string="Fields")
    message = fields.Text()

    @api.model
    def _selection_entity(self):
        return self.env["economic.sync.engine"]._entity_selection()
