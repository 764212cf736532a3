import json

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL

CONFLICT_STRATEGIES = [
    ("economic_wins", "e-conomic wins"),
    ("local_wins", "Local wins"),
    ("newer_wins", "Newer wins"),
    ("read_only", "Read-only"),
]


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
    binding_model = fields.Char(string="Binding Model", index=True)
    binding_res_id = fields.Many2oneReference(
        model_field="binding_model", string="Binding", index=True
    )
    record_name = fields.Char(
        string="Record", compute="_compute_record_name", search="_search_record_name"
    )
    record_ref = fields.Reference(
        selection="_selection_record_model",
        string="Odoo Record",
        compute="_compute_record_name",
        help="The Odoo record whose field changed on both sides.",
    )
    entity = fields.Selection(selection="_selection_entity")
    field = fields.Char(string="e-conomic Property", required=True)
    field_label = fields.Char(string="Field", compute="_compute_field_label")
    base_value = fields.Text(string="Last Synced Value (raw)")
    local_value = fields.Text(string="Odoo Value (raw)")
    remote_value = fields.Text(string="e-conomic Value (raw)")
    base_value_display = fields.Char(string="Last Synced Value", compute="_compute_display")
    local_value_display = fields.Char(string="Odoo Value", compute="_compute_display")
    remote_value_display = fields.Char(string="e-conomic Value", compute="_compute_display")
    strategy = fields.Selection(CONFLICT_STRATEGIES)
    decision = fields.Selection(
        [
            ("local", "Odoo's value kept"),
            ("remote", "e-conomic's value kept"),
            ("undecided", "Not decided yet"),
        ],
        required=True,
        default="undecided",
    )
    state = fields.Selection(
        [("open", "Open"), ("resolved", "Decided"), ("reversed", "Reversed")],
        required=True,
        default="open",
        index=True,
        help="Open: waiting for your choice. Decided: the strategy (or you) chose a value. "
        "Reversed: you chose the other value; it is applied on the next pass.",
    )
    date = fields.Datetime(default=fields.Datetime.now, required=True)
    pass_number = fields.Integer(
        string="Pass No.",
        index=True,
        readonly=True,
        help="The pass of the connection that found (and counted) this conflict; empty: found "
        "by a Refresh or a Push now.",
    )

    @api.model
    def _selection_entity(self):
        return self.env["economic.sync.engine"]._entity_selection(one=True)

    @api.model
    def _selection_record_model(self):
        specs = self.env["economic.sync.engine"]._entity_specs().values()
        models_ = dict.fromkeys(spec.res_model for spec in specs)
        # the models' names in the user's language (ir.model's translated name)
        return [(model, self.env["ir.model"]._get(model).name) for model in models_]

    def _binding(self):
        """The conflict's binding (any entity)."""
        self.ensure_one()
        if not self.binding_model or not self.binding_res_id:
            return None
        return self.env[self.binding_model].browse(self.binding_res_id).exists()

    @api.depends("binding_model", "binding_res_id")
    def _compute_record_name(self):
        for conflict in self:
            binding = conflict.sudo()._binding()
            record = binding._economic_record() if binding else None
            conflict.record_name = record.display_name if record else False
            conflict.record_ref = "%s,%s" % (record._name, record.id) if record else False

    def _search_record_name(self, operator, value):
        """Conflicts whose record (of any entity) matches by name."""
        domains = []
        for module in self.env["economic.sync.engine"]._entity_modules():
            if not module._economic_binding_model:
                continue
            Binding = self.env[module._economic_binding_model].sudo()
            found = Binding._search([(Binding._economic_record_field, operator, value)])
            domains.append([("binding_model", "=", Binding._name), ("binding_res_id", "in", found)])
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    @api.model
    def _conflicts_of(self, bindings):
        """The conflicts of ``bindings`` (records of one binding model)."""
        return [("binding_model", "=", bindings._name), ("binding_res_id", "in", bindings.ids)]

    @api.autovacuum
    def _gc_lost_bindings(self):
        """Conflicts whose binding is gone (deleted with its record) go too."""
        for (model,) in self.sudo()._read_group([], ["binding_model"]):
            if not model or model not in self.env:
                continue
            self.env.cr.execute(
                SQL(
                    """DELETE FROM economic_sync_conflict c WHERE c.binding_model = %s
                       AND NOT EXISTS (SELECT 1 FROM %s b WHERE b.id = c.binding_res_id)""",
                    model,
                    SQL.identifier(self.env[model]._table),
                )
            )

    @api.depends("field", "entity", "backend_id")
    def _compute_field_label(self):
        """The field as the user knows it: the label of the Odoo field its mapping syncs
        (e.g. "Phone" for e-conomic's telephoneAndFaxNumber), else the e-conomic property."""
        mappings = (
            self.env["economic.field.mapping"]
            .sudo()
            .search(
                [
                    ("backend_id", "in", self.backend_id.ids),
                    ("economic_property", "in", self.mapped("field")),
                ]
            )
        )
        labels = {}
        for mapping in mappings:
            names = mapping._odoo_field_names()
            model = mapping._economic_model(mapping.entity)
            if names and model is not None and names[0] in model._fields:
                label = model._fields[names[0]]._description_string(self.env)
                labels[(mapping.backend_id.id, mapping.entity, mapping.economic_property)] = label
        for conflict in self:
            key = (conflict.backend_id.id, conflict.entity, conflict.field)
            conflict.field_label = labels.get(key) or conflict.field

    @api.depends("record_name", "field_label")
    def _compute_display_name(self):
        for conflict in self:
            conflict.display_name = "%s: %s" % (
                conflict.record_name or "-",
                conflict.field_label or conflict.field,
            )

    @api.depends("base_value", "local_value", "remote_value")
    def _compute_display(self):
        empty = self.env._("(empty)")
        for conflict in self:
            for name in ("base_value", "local_value", "remote_value"):
                conflict[name + "_display"] = self._readable(conflict[name], empty)

    @classmethod
    def _readable(cls, text, empty):
        """A stored (JSON) value as a person reads it: text without quotes, numbers as they
        are, nothing as ``(empty)``."""
        value = cls._load(text)
        if value is None or value == "" or value is False:
            return empty
        if value is True:
            return "✓"
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

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

    # ------------------------------------------------------------------ recording
    @api.model
    def _record(self, vals):
        """Record one conflict once: a conflict on the same binding and field with the same
        Odoo and e-conomic values as one recorded before (open or decided, not reversed) is
        not recorded again; that one is returned."""
        conflicts, _created = self._record_batch([vals])
        return conflicts

    @api.model
    def _record_batch(self, vals_list):
        """:meth:`_record` for a batch (one search, one create). Returns the conflicts (one
        per values, in order) and, per values, whether it was recorded now (True) or before."""
        Conflict = self.sudo()
        known = self._known(vals_list)
        to_create, slots = [], []
        for vals in vals_list:
            key = self._same_key(vals)
            if key in known:
                slots.append((known[key], False))
                continue
            if vals.get("binding_res_id"):
                known[key] = len(to_create)
            slots.append((len(to_create), True))
            to_create.append(vals)
        created = Conflict.create(to_create) if to_create else Conflict
        ids, flags = [], []
        for target, is_new in slots:
            if isinstance(target, int):
                ids.append(created[target].id)
                flags.append(is_new)
            else:
                ids.append(target.id)
                flags.append(False)
        return Conflict.browse(ids), flags

    def _known(self, vals_list):
        """The recorded conflicts (not reversed) the batch may repeat, by :meth:`_same_key`."""
        bindings = {
            (vals["binding_model"], vals["binding_res_id"])
            for vals in vals_list
            if vals.get("binding_res_id")
        }
        if not bindings:
            return {}
        known = {}
        for conflict in self.sudo().search(
            [
                ("binding_model", "in", list({model for model, _id in bindings})),
                ("binding_res_id", "in", list({res_id for _model, res_id in bindings})),
                ("field", "in", list({vals["field"] for vals in vals_list})),
                ("state", "!=", "reversed"),
            ],
            order="id",
        ):
            known.setdefault(self._same_key(conflict), conflict)
        return known

    @staticmethod
    def _same_key(vals):
        """Binding, field, Odoo value and e-conomic value: what makes a conflict the same."""
        get = vals.__getitem__ if isinstance(vals, models.BaseModel) else vals.get
        return (
            get("binding_model") or False,
            get("binding_res_id") or False,
            get("field"),
            get("local_value") or False,
            get("remote_value") or False,
        )

    # ------------------------------------------------------------------ decisions
    def action_choose_local(self):
        return self._choose("local")

    def action_choose_remote(self):
        return self._choose("remote")

    def _choose(self, side):
        """Take (or reverse to) one side's value; e-conomic managers only. The value is
        applied on the next pass of the connection."""
        if not (self.env.su or self.env.user.has_group("economic_sync.group_economic_manager")):
            raise AccessError(
                self.env._("Only e-conomic managers can choose or reverse a conflict decision.")
            )
        self.check_access("write")
        engine = self.env["economic.sync.engine"]
        for conflict in self:
            engine._apply_conflict_choice(conflict, side)
        message = (
            self.env._("Odoo's value is applied on the next pass.")
            if side == "local"
            else self.env._("e-conomic's value is applied on the next pass.")
        )
        return self.backend_id[:1]._notification(self.env._("Conflict"), message, "success")
