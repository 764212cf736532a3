"""The pass runner: ``economic.sync.engine`` (docs/SYNC.md §3-§7).

It knows no entity by name. Entity modules (AbstractModels inheriting ``economic.sync.entity``,
one per entity family: see docs/ENGINE.md, "Entity modules") declare which entities they sync
and where they run in a pass (``_economic_sequence``); the runner takes the connection's lock,
builds the pass's state, runs each module in order (each pulls, then pushes, a page at a time,
committing every page), and records how the pass went. User actions (Refresh, Push now, Replay,
a conflict choice: ``economic_sync_actions.py``) take the same lock and are dispatched to the
module of the record.
"""

import logging
import time
from contextlib import contextmanager

from odoo import api, fields, models, sql_db
from odoo.exceptions import UserError

from ..economic_client import EconomicError
from ..engine.adapters import BINDING_PROPS, Lookups, Mapping, money_on_binding
from .economic_sync_state import PassPaused, PassState

_logger = logging.getLogger(__name__)

#: lock namespace of pg advisory locks ("ECON")
LOCK_NAMESPACE = 0x45434F4E
#: seconds a user's action waits for a running pass of its connection before it gives up
LOCK_WAIT_SECONDS = 10
ENTITY_BASE = "economic.sync.entity"


class EconomicSyncEngine(models.AbstractModel):
    _name = "economic.sync.engine"
    _inherit = "economic.sync.base"
    _description = "e-conomic Sync Engine"

    # ================================================================== entity modules
    def _entity_modules(self):
        """The entity modules, in pass order: every model inheriting ``economic.sync.entity``
        (its own environment: a user's action runs with the user's rights)."""
        names = self.env.registry[ENTITY_BASE]._inherit_children
        modules = [self.env[name] for name in names if name != ENTITY_BASE]
        return sorted(modules, key=lambda m: (m._economic_sequence, m._name))

    def _entity_module(self, entity=None, res_model=None, binding_model=None):
        """The module that syncs ``entity`` (or records of ``res_model``, or bindings of
        ``binding_model``), or None."""
        for module in self._entity_modules():
            if (
                (entity and entity in module._economic_keys())
                or (res_model and res_model in module._economic_res_models())
                or (binding_model and binding_model == module._economic_binding_model)
            ):
                return module
        return None

    def _entity_specs(self):
        """``{entity: Entity}``: every entity some module declares, in the order of the
        connection's entity list."""
        specs = [spec for module in self._entity_modules() for spec in module._economic_entities]
        return {spec.key: spec for spec in sorted(specs, key=lambda spec: spec.sequence)}

    @api.model
    def _entity_selection(self, one=False):
        """The declared entities as a selection, labelled in the user's language: in the
        plural (settings, mappings) or ``one`` record (log lines, conflicts)."""
        return [
            (key, self.env._(spec.label_one if one else spec.label))
            for key, spec in self._entity_specs().items()
        ]

    def _available_entities(self):
        """Every entity some module syncs, in pass order."""
        return [key for module in self._entity_modules() for key in module._economic_keys()]

    def _pushable_entities(self):
        """Every entity some module can push (the others are read from e-conomic only)."""
        return [key for key, spec in self._entity_specs().items() if spec.push]

    @api.model
    def _economic_mappings(self, backend, kind):
        """The mappings a pass of ``kind`` uses: the connection's (or the module's defaults),
        where e-conomic's amounts stay on the binding while the agreement's base currency is
        not the company's (``money_on_binding``)."""
        mappings = self._economic_configured_mappings(backend, kind)
        module = self._entity_module(kind)
        if module is None or not backend._economic_foreign_currency():
            return mappings
        money = set(module._economic_money_props(kind))
        return [money_on_binding(m) if m.prop in money else m for m in mappings]

    @api.model
    def _economic_configured_mappings(self, backend, kind):
        rows = backend.field_mapping_ids.filtered(
            lambda m: m.entity == kind and m.active and m.economic_property
        ).sorted("sequence")
        if not rows:
            module = self._entity_module(kind)
            return module._economic_default_mappings(kind) if module else []
        return [
            Mapping(m.odoo_field or False, m.economic_property, m.direction, m.converter or "char")
            for m in rows
        ]

    def _log_foreign_money(self, state, module, entities):
        """A full pass says, once per entity, that e-conomic's amounts are kept on the bindings
        (in the agreement's base currency) and not synced as the company's."""
        backend = state.backend
        if not backend._economic_foreign_currency():
            return
        for entity in sorted(entities):
            money = set(module._economic_money_props(entity))
            labels = [
                self._money_label(module, entity, m)
                for m in self._economic_configured_mappings(backend, entity)
                if m.prop in money
            ]
            if not labels or not state.setting(entity)["pull"]:
                continue
            state.log(
                entity=entity,
                direction="pull",
                operation="skip",
                message=self.env._(
                    "Not synced as %(company)s amounts: e-conomic keeps %(fields)s in "
                    "%(base)s, the base currency of the agreement, and this company keeps its "
                    "books in %(company)s. e-conomic's figures are shown in %(base)s on the "
                    "e-conomic tab of each record; the Odoo values are left as they are and "
                    "never sent to e-conomic.",
                    company=backend.company_id.currency_id.name,
                    base=backend.base_currency,
                    fields=", ".join(dict.fromkeys(labels)),
                ),
            )

    def _money_label(self, module, entity, mapping):
        """An amount's name as the user knows it: its Odoo field's label, else its binding
        field's."""
        spec = self._entity_specs().get(entity)
        res_model = spec.res_model if spec else None
        field = None
        if mapping.odoo_field and res_model:
            field = self.env[res_model]._fields.get(mapping.odoo_field.split(",")[0].strip())
        if field is None and module._economic_binding_model:
            binding_fields = self.env[module._economic_binding_model]._fields
            field = binding_fields.get(BINDING_PROPS.get(mapping.prop, ""))
        return field._description_string(self.env) if field else mapping.prop

    @api.model
    def _economic_lookups(self, backend):
        countries = {
            row["id"]: (row["code"], row["name"])
            for row in self.env["res.country"]
            .with_context(lang="en_US")
            .search_read([], ["code", "name"])
        }
        refs = {}
        Reference = self.env["economic.reference"].with_context(active_test=False)
        links = Reference._odoo_counterparts()
        for row in Reference.search_read(
            [("backend_id", "=", backend.id)], ["kind", "number", "name", "vat_scope", *links]
        ):
            refs[(row["kind"], str(row["number"]))] = dict(
                {name: row[name] and row[name][0] for name in links},
                id=row["id"],
                name=row["name"],
                vat_scope=row["vat_scope"],
            )
        menu = self.env["ir.ui.menu"]._economic_menu_path("economic_sync.menu_economic_reference")
        # the agreement's country: an unprefixed CVR/VAT number is its (the company's as a
        # fallback)
        home = backend.agreement_country_id or backend.company_id.country_id
        return Lookups(
            countries,
            refs,
            references_menu=menu,
            translate=self.env._,
            home_country=home.code,
        )

    @contextmanager
    def _pass_lock(self, backend, wait=0.0):
        """The connection's lock: every path that may write to e-conomic (a pass, Push now,
        Refresh, Replay, a conflict choice) holds it, so two never run alongside. A PostgreSQL
        advisory lock held on a connection of its own (a real lock even inside a test
        transaction). ``wait``: seconds to wait for it (polled, so that no failed statement is
        logged). Yields True if taken."""
        db = sql_db.db_connect(self.env.cr.dbname)
        cr = db.cursor()
        deadline = time.monotonic() + wait
        try:
            while True:
                cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, backend.id))
                locked = bool(cr.fetchone()[0])
                if locked or time.monotonic() >= deadline:
                    break
                time.sleep(0.2)
            yield locked
        finally:
            cr.rollback()
            cr.close()

    def _lock_held(self, backend):
        """Whether a pass (or a user's action) holds the connection's lock now: read from
        ``pg_locks``, never taken (a look must not make a starting pass skip)."""
        self.env.cr.execute(
            """
            SELECT 1 FROM pg_locks
             WHERE locktype = 'advisory' AND granted AND objsubid = 2
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND classid = %s AND objid = %s""",
            (LOCK_NAMESPACE, backend.id),
        )
        return bool(self.env.cr.fetchone())

    @contextmanager
    def _action_lock(self, backend):
        """The connection's lock for an action of a user (Push now, Refresh, Replay, a conflict
        choice): waits a little for a running pass, else refuses with a clear message. Once
        taken, the transaction starts afresh, so it sees what the pass before it committed."""
        wait = self.env.context.get("economic_lock_wait", LOCK_WAIT_SECONDS)
        with self._pass_lock(backend, wait=wait) as locked:
            if not locked:
                raise UserError(
                    self.env._(
                        "A sync of the e-conomic connection %(name)s is running. Try again when "
                        "it has finished.",
                        name=backend.display_name,
                    )
                )
            if not self._economic_test_mode():
                self.env.cr.commit()
                self.env.invalidate_all()
            yield

    # ================================================================== pass
    @api.model
    def _run_pass(self, backend, entities=None, full=False):
        """One pass of ``backend``: every entity module in its order (all entities, or
        ``entities``).

        Returns a dict summary; a second concurrent pass returns ``{"state": "skipped"}``.
        """
        backend = backend.sudo()
        with self._pass_lock(backend) as locked:
            if not locked:
                _logger.info("e-conomic %s: a pass is already running, skipped", backend.name)
                self.env["economic.sync.log"]._create_safe(
                    [
                        {
                            "backend_id": backend.id,
                            "entity": "pass",
                            "operation": "skip",
                            "message": self.env._(
                                "Another pass of this connection is running: skipped."
                            ),
                        }
                    ]
                )
                backend.write({"last_pass_state": "skipped"})
                return {"state": "skipped"}
            return self._run_pass_locked(backend, entities, full)

    def _run_pass_locked(self, backend, entities, full):
        t0 = time.monotonic()
        run = self._pass_begin(backend, entities, full)
        started = fields.Datetime.to_datetime(run["started"])
        all_entities = run["entities"] is None
        modules = self._entity_modules()
        entities = set(run["entities"] or self._available_entities())
        full = run["full"]
        try:
            with backend._get_client() as client:
                state = PassState(self, backend, client, modules=modules)
                state.pass_number = backend.pass_number
                state.records_done = run["records"]
                state.counts.update(run["counts"])
                state.deadline = self._pass_deadline(t0)
                state.run = run
                todo = [
                    module
                    for module in modules
                    if module._name not in run["done"]
                    and (entities.intersection(module._economic_keys()) or module._economic_always)
                ]
                for index, module in enumerate(todo):
                    wanted = entities.intersection(module._economic_keys())
                    settings = backend.entity_setting_ids.filtered(
                        lambda s, wanted=wanted: s.entity in wanted
                    )
                    module_full = full or settings._full_pass_due(started)
                    if module_full:
                        self._log_foreign_money(state, module, wanted)
                    module._economic_pass(state, wanted, module_full)
                    if module_full and settings:
                        settings.sudo().write({"last_full_pass": started})
                    run["ran_full"] = run["ran_full"] and bool(module_full or not wanted)
                    run["done"].append(module._name)
                    self._pass_record(backend, state, run)
                    self._commit(state)
                    if index + 1 < len(todo) and state.budget_spent():
                        raise PassPaused(module._name)
        except (EconomicError, UserError) as error:
            return self._pass_failed(backend, error)
        except PassPaused as pause:
            return self._pass_paused(backend, state, run, t0, pause)
        full = run["ran_full"]
        return self._pass_done(backend, state, started, t0, full and all_entities, full)

    # ------------------------------------------------------------------ a pass over several runs
    def _pass_begin(self, backend, entities, full):
        """The pass to run: the one this connection left under way (``pass_resume``: a pass
        that gave way at its time budget, or whose server stopped), when the caller goes on
        with it (context ``economic_pass_continue``: the scheduled action), else a new one,
        recorded as under way (committed) before any work. Returns its record: start, entities
        (None: all), full, the modules done, records and counts so far, whether every module
        ran in full."""
        run = backend.pass_resume if self.env.context.get("economic_pass_continue") else None
        if run:
            run = dict(run, done=list(run.get("done", [])))
            run.setdefault("counts", {})
            run.setdefault("records", 0)
            run.setdefault("ran_full", True)
            _logger.info(
                "e-conomic %s: pass %s goes on (%s records so far)",
                backend.name,
                backend.pass_number,
                run["records"],
            )
            return run
        started = fields.Datetime.now()
        backend.write({"last_pass_start": started, "pass_number": backend.pass_number + 1})
        # incremental passes read what changed; a full pass reads and compares every key: asked
        # for, due for the whole connection (a pass of every entity), or due for an entity
        # (once per full_pass_interval_days)
        run = {
            "started": fields.Datetime.to_string(started),
            "entities": sorted(entities) if entities else None,
            "full": bool(full or (not entities and backend._full_pass_due(started))),
            "done": [],
            "records": 0,
            "counts": {},
            "ran_full": True,
        }
        backend.pass_resume = run
        backend._economic_notify_pass("started")
        _logger.info("e-conomic %s: pass %s starts", backend.name, backend.pass_number)
        if not self._economic_test_mode():
            self.env.cr.commit()
        return dict(run, done=[])

    def _pass_record(self, backend, state, run):
        """Record how far the pass under way is (with the caller's commit): the next run of
        the connection goes on from there if this one stops."""
        run["records"] = state.records_done
        run["counts"] = dict(state.counts)
        backend.pass_resume = dict(run, done=list(run["done"]))

    def _pass_deadline(self, t0):
        """When the pass gives way: ``t0`` plus the time budget of a run of the scheduled
        action (context ``economic_pass_budget``, seconds); None without one (a pass run
        directly goes to its end)."""
        budget = self.env.context.get("economic_pass_budget")
        return t0 + float(budget) if budget and float(budget) > 0 else None

    def _pass_paused(self, backend, state, run, t0, pause):
        """The time budget is spent: the pass stops where it can go on (its record says
        where: the modules done; a resumable pull's last page on its setting), tells the
        scheduled action that work remains (``ir.cron`` progress: Odoo runs the job again
        soon) and wakes the connection's scheduled action."""
        self._pass_record(backend, state, run)
        backend.write(
            {
                "last_pass_message": self.env._(
                    "Under way: %(count)s records so far. The pass goes on in the next run of "
                    "the scheduled action.",
                    count=state.records_done,
                )
            }
        )
        self._commit(state)
        self._notify(state, max(state.records_done, 1), remaining=1)
        backend._economic_wake()
        _logger.info(
            "e-conomic %s: pass %s gives way after %.1fs (%s): %s records so far",
            backend.name,
            backend.pass_number,
            time.monotonic() - t0,
            pause.args[0] if pause.args else "",
            state.records_done,
        )
        return {"state": "paused", "records": state.records_done}

    def _pass_failed(self, backend, error):
        message = (
            self._error_text(backend, error) if isinstance(error, EconomicError) else str(error)
        )
        self.env["economic.sync.log"]._log_pass_failure(backend, message)
        backend.write(
            {
                "last_pass_state": "failed",
                "last_pass_end": fields.Datetime.now(),
                "last_pass_message": message,
                "pass_resume": False,
            }
        )
        backend._economic_notify_pass("done")
        _logger.info("e-conomic %s: pass failed: %s", backend.name, message)
        return {"state": "failed", "message": message}

    def _pass_done(self, backend, state, started, t0, whole, full):
        counts = state.counts
        self.env["economic.sync.log"]._close_open(backend, "pass", False)
        self._notify(state, state.records_done, remaining=0)
        summary = self._counts_message(counts)
        vals = {
            "last_pass_state": "partial" if counts["errors"] else "done",
            "last_pass_end": fields.Datetime.now(),
            "last_pass_message": summary,
            "pass_resume": False,
        }
        if whole:
            vals["last_full_pass"] = started
        backend.write(vals)
        backend._economic_notify_pass("done")
        _logger.info(
            "e-conomic %s: %s pass done in %.1fs: %s",
            backend.name,
            "full" if full else "incremental",
            time.monotonic() - t0,
            summary,
        )
        return dict(counts, state="partial" if counts["errors"] else "done", full=full)
