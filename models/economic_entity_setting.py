from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools.safe_eval import datetime as safe_datetime
from odoo.tools.safe_eval import dateutil, safe_eval, time

STRATEGIES = [
    ("economic_wins", "e-conomic Wins"),
    ("local_wins", "Odoo Wins"),
    ("newer_wins", "Newer Wins"),
    ("read_only", "Read Only (e-conomic)"),
]


def default_entity_setting_vals(spec):
    """The defaults of one declared entity (``Entity``) of a new connection (docs/SYNC.md
    §2): read-first entities pull with the strategy ``read_only``, two-way ones pull with no
    strategy chosen, and documents that post entries in Odoo's books (``opt_in``) wait for the
    accountant; nothing pushes."""
    return {
        "entity": spec.key,
        "sequence": spec.sequence,
        "pull": spec.pull and not spec.opt_in,
        "push": False,
        "auto": True,
        "strategy": "read_only" if spec.read_first else False,
    }


class EconomicEntitySetting(models.Model):
    """What a connection does with one entity: pull, push, auto and conflict strategy."""

    _name = "economic.entity.setting"
    _description = "e-conomic Entity Setting"
    _order = "backend_id, sequence, id"

    _sql_constraints = [
        (
            "backend_entity_uniq",
            "unique(backend_id, entity)",
            "An entity can have only one setting per e-conomic connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend",
        string="Connection",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    entity = fields.Selection(selection="_selection_entity", required=True)
    pull = fields.Boolean(default=True, help="Read this entity's changes from e-conomic.")
    push = fields.Boolean(
        default=False,
        help="Write this entity's Odoo changes to e-conomic (only while the "
        "connection's write-back is on). Choose a conflict strategy first.",
    )
    auto = fields.Boolean(
        string="Automatic",
        default=True,
        help="Include this entity in scheduled passes and webhook-triggered pulls.",
    )
    strategy = fields.Selection(
        STRATEGIES,
        string="Conflict Strategy",
        help="Who wins when the same field changed on both sides since the last "
        "sync. Push stays off until a strategy is chosen.",
    )
    last_full_pass = fields.Datetime(
        readonly=True,
        copy=False,
        help="When this entity was last read in full (deletions found by key comparison).",
    )
    last_pull_at = fields.Datetime(
        string="Last Successful Pull",
        copy=False,
        help="Start of the last successful pull: the next pull asks e-conomic for "
        "what changed since then (minus the lookback).",
    )
    # a pull that gave way before its end (the pass's time budget, a server stopped): where
    # the next run goes on (docs/ENGINE.md, "Passes over several runs")
    pull_cursor = fields.Char(
        string="Unfinished Pull: Last Key",
        copy=False,
        readonly=True,
        help="The key of the last record of the last page an unfinished pull committed: the "
        "next run reads the records after it.",
    )
    pull_cursor_started = fields.Datetime(
        string="Unfinished Pull: Started",
        copy=False,
        readonly=True,
        help="When the unfinished pull started: its Last Successful Pull once it ends.",
    )
    pull_cursor_full = fields.Boolean(
        string="Unfinished Pull: Full Read",
        copy=False,
        readonly=True,
        help="The unfinished pull reads every record (a full read).",
    )
    res_model = fields.Char(
        string="Odoo Model",
        compute="_compute_res_model",
        help="The Odoo model of the entity's records (what the Push Only domain filters).",
    )
    push_domain = fields.Char(
        string="Push Only",
        default="[]",
        help="New Odoo records are created in e-conomic only when they match this domain, "
        "e.g. only customers created after a date",
    )
    available = fields.Boolean(
        compute="_compute_available",
        store=True,
        help="The entity syncs in this version: entities that do not sync yet cannot be "
        "switched on.",
    )
    is_read_first = fields.Boolean(compute="_compute_is_read_first")
    pullable = fields.Boolean(
        compute="_compute_pullable",
        help="Some entity module reads this entity from e-conomic (the others are pushed "
        "only: no pull switch for them).",
    )
    pushable = fields.Boolean(
        compute="_compute_pushable",
        help="Some entity module can push this entity (the others are read from e-conomic "
        "only: no Push Only domain for them).",
    )
    effective_push = fields.Boolean(
        compute="_compute_effective_push",
        help="Push is on, the connection's write-back is on and the strategy is " "not read only.",
    )

    record_count = fields.Integer(
        string="Synced Records",
        compute="_compute_counts",
        help="Odoo records bound to an e-conomic record of this entity.",
    )
    error_count = fields.Integer(
        string="Errors",
        compute="_compute_counts",
        help="Failed sync operations of this entity not yet replayed.",
    )
    conflict_count = fields.Integer(
        string="Open Conflicts",
        compute="_compute_counts",
    )

    @api.model
    def _selection_entity(self):
        return self.env["economic.sync.engine"]._entity_selection()

    def _compute_counts(self):
        """Per-entity figures for the connection's dashboard: grouped queries (one per entity
        module for the records, one for errors, one for conflicts)."""
        backends = self.backend_id.ids
        counts = {"record": {}, "error": {}, "conflict": {}}
        for module in self.env["economic.sync.engine"]._entity_modules():
            counts["record"].update(module._economic_record_counts(backends))
        groups = (
            ("error", "economic.sync.log", "entity", [("state", "=", "failed")]),
            ("conflict", "economic.sync.conflict", "entity", [("state", "=", "open")]),
        )
        for key, model, field, domain in groups:
            for backend, entity, count in self.env[model]._read_group(
                [("backend_id", "in", backends)] + domain,
                groupby=["backend_id", field],
                aggregates=["__count"],
            ):
                counts[key][(backend.id, entity)] = count
        for setting in self:
            index = (setting.backend_id.id, setting.entity)
            setting.record_count = counts["record"].get(index, 0)
            setting.error_count = counts["error"].get(index, 0)
            setting.conflict_count = counts["conflict"].get(index, 0)

    @api.depends("entity")
    def _compute_available(self):
        for setting in self:
            setting.available = setting.entity in self._engine_entities()[0]

    def _full_pass_due(self, now):
        """Whether one of these entities was not read in full within the connection's
        ``full_pass_interval_days``."""
        for setting in self:
            days = setting.backend_id.full_pass_interval_days
            if days <= 0:
                continue
            if not setting.last_full_pass or setting.last_full_pass + timedelta(days=days) <= now:
                return True
        return False

    @api.model
    def _engine_entities(self):
        """``(available, pushable)``: the entities some entity module syncs, and those it can
        push (the others are read from e-conomic only)."""
        engine = self.env["economic.sync.engine"]
        return set(engine._available_entities()), set(engine._pushable_entities())

    @api.depends("entity")
    def _compute_res_model(self):
        specs = self.env["economic.sync.engine"]._entity_specs()
        for setting in self:
            spec = specs.get(setting.entity)
            setting.res_model = spec.res_model if spec else False

    @api.depends("entity")
    def _compute_pullable(self):
        specs = self.env["economic.sync.engine"]._entity_specs()
        for setting in self:
            spec = specs.get(setting.entity)
            setting.pullable = bool(spec and spec.pull)

    @api.depends("entity")
    def _compute_pushable(self):
        pushable = self._engine_entities()[1]
        for setting in self:
            setting.pushable = setting.entity in pushable

    @api.depends("entity")
    def _compute_is_read_first(self):
        """Read from e-conomic only: a read-first entity no module can push (products can be
        pushed once the user picks another strategy; the chart of accounts never)."""
        specs = self.env["economic.sync.engine"]._entity_specs()
        for setting in self:
            spec = specs.get(setting.entity)
            setting.is_read_first = bool(spec and spec.read_first and not spec.push)

    @api.depends("push", "strategy", "backend_id.write_back")
    def _compute_effective_push(self):
        for setting in self:
            setting.effective_push = bool(
                setting.push
                and setting.backend_id.write_back
                and setting.strategy
                and setting.strategy != "read_only"
            )

    def _push_problem(self):
        """Why push cannot be switched on for this entity (a translated message), or False."""
        self.ensure_one()
        labels = dict(self._fields["entity"]._description_selection(self.env))
        entity = labels.get(self.entity, self.entity)
        available, pushable = self._engine_entities()
        if self.entity in available and self.entity not in pushable:
            return self.env._(
                "%(entity)s are read from e-conomic only: push cannot be switched on for them.",
                entity=entity,
            )
        if self.entity not in available:
            return self.env._(
                "%(entity)s do not sync yet: they cannot be switched on.", entity=entity
            )
        if not self.strategy:
            return self.env._(
                "Choose the conflict strategy of %(entity)s before switching "
                "push on: it decides who wins when a field changed on both "
                "sides.",
                entity=entity,
            )
        if self.strategy == "read_only":
            return self.env._(
                "%(entity)s use the strategy 'Read Only': choose another "
                "strategy before switching push on.",
                entity=entity,
            )
        return False

    @api.constrains("push", "strategy", "entity")
    def _check_push(self):
        for setting in self.filtered("push"):
            problem = setting._push_problem()
            if problem:
                raise ValidationError(problem)

    @api.constrains("pull", "entity")
    def _check_pull(self):
        labels = dict(self._fields["entity"]._description_selection(self.env))
        available = self._engine_entities()[0]
        for setting in self.filtered(lambda s: s.pull and s.entity not in available):
            raise ValidationError(
                self.env._(
                    "%(entity)s do not sync yet: they cannot be switched on.",
                    entity=labels.get(setting.entity, setting.entity),
                )
            )

    # ------------------------------------------------------------------ push domain
    @api.model
    def _push_domain_eval_context(self):
        return {
            "datetime": safe_datetime,
            "dateutil": dateutil,
            "time": time,
            "context_today": lambda: fields.Date.context_today(self),
            "uid": self.env.uid,
            "user": self.env.user,
        }

    def _get_push_domain(self):
        """The ``push_domain`` as a domain on the entity's model (a list; ``[]``: every record).

        Raises ``ValidationError`` when the text is not a valid domain."""
        self.ensure_one()
        text = (self.push_domain or "").strip() or "[]"
        _ = self.env._
        try:
            domain = safe_eval(text, self._push_domain_eval_context())
        except Exception as error:  # noqa: BLE001 - any parse or evaluation failure
            raise ValidationError(
                _(
                    "The Push Only domain of %(setting)s is not a valid domain: %(error)s",
                    setting=self.display_name,
                    error=error,
                )
            ) from None
        if not isinstance(domain, list | tuple):
            raise ValidationError(
                _(
                    "The Push Only domain of %(setting)s must be a list of conditions, "
                    'e.g. [("customer_rank", ">", 0)].',
                    setting=self.display_name,
                )
            )
        domain = list(domain)
        try:
            expression.expression(domain, self.env[self.res_model].sudo())
        except Exception as error:  # noqa: BLE001 - unknown field, bad operator, ...
            raise ValidationError(
                _(
                    "The Push Only domain of %(setting)s is not a valid domain on "
                    "%(model)s: %(error)s",
                    setting=self.display_name,
                    model=self.env[self.res_model]._description,
                    error=error,
                )
            ) from None
        return domain

    @api.constrains("push_domain")
    def _check_push_domain(self):
        for setting in self:
            setting._get_push_domain()

    # ------------------------------------------------------------------ actions
    def action_push_on_preview(self):
        """Row button: show what the next pass would send, switch push on when confirmed."""
        self.ensure_one()
        self.check_access("write")
        problem = self._push_problem()
        if problem:
            raise ValidationError(problem)
        return self.env["economic.push.preview"]._open(
            self.backend_id, "enable_push", entity=self.entity
        )

    def action_push_off(self):
        self.check_access("write")
        self.write({"push": False})
        return True

    @api.depends("backend_id", "entity")
    def _compute_display_name(self):
        labels = dict(self._fields["entity"]._description_selection(self.env))
        for setting in self:
            setting.display_name = "%s / %s" % (
                setting.backend_id.display_name or "",
                labels.get(setting.entity, setting.entity or ""),
            )
