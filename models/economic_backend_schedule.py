"""The connection's scheduled passes: one scheduled action (``ir.cron``) per connection, kept in
step with it (created, renamed, re-timed, archived and deleted with it), whose runs do the
connection's pass (over several runs when it is long), then the work its entity modules have
waiting, then its webhook events; and Run Pass Now, which asks the connection's scheduled
action instead of holding a web worker. Why one action per connection: docs/ENGINE.md,
"Schedule: one scheduled action per connection".

Each run works in the cron worker's own transaction (no second cursor writing the cron's
progress row), committed as it goes, so a failure rolls back that run's uncommitted work alone.
"""

import logging
from datetime import timedelta

import psycopg2

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError

from ..economic_client import EconomicError
from .economic_backend import INTERVAL_MINUTES

_logger = logging.getLogger(__name__)

#: seconds a run of a connection's scheduled action works before its pass gives way (at a
#: point it can go on from): Odoo runs a job again at once while it reports work remaining, at
#: most ``MAX_BATCH_PER_CRON_JOB`` (10) times, then puts it behind the other jobs ready; so a
#: long pass holds a cron thread about ten minutes at a time
PASS_BUDGET_SECONDS = 60
#: system parameter overriding ``PASS_BUDGET_SECONDS`` (0: no budget)
BUDGET_PARAM = "economic_sync.pass_budget_seconds"
#: the name of a connection's scheduled action
CRON_NAME = "e-conomic: %s"
#: what a connection's scheduled action runs
CRON_CODE = (
    "# This scheduled action follows its e-conomic connection (name, interval, archiving):\n"
    "# change the connection, not this action.\n"
    "model._cron_run_connection(%d)"
)


class EconomicBackendSchedule(models.Model):
    _inherit = "economic.backend"

    cron_id = fields.Many2one(
        "ir.cron",
        string="Scheduled Action",
        copy=False,
        readonly=True,
        ondelete="set null",
        groups="base.group_system",
        help="The scheduled action that runs this connection's passes, its waiting work and "
        "its webhook events; it follows the connection's name, interval and archiving.",
    )
    pass_requested = fields.Boolean(
        copy=False,
        readonly=True,
        help="Run Pass Now was clicked: the connection's scheduled action runs its pass as "
        "soon as it can, then clears this.",
    )
    pass_resume = fields.Json(
        string="Pass Under Way",
        copy=False,
        readonly=True,
        help="The pass under way: its start, entities, read mode, the modules done and the "
        "records and counts so far. A run that stops (its time budget, a server stopped) "
        "leaves it; the next run goes on from it.",
    )

    # ------------------------------------------------------------------ schedule
    def _interval_minutes(self):
        self.ensure_one()
        return max(self.sync_interval_number, 1) * INTERVAL_MINUTES.get(self.sync_interval_type, 60)

    def _interval_delta(self):
        return timedelta(minutes=self._interval_minutes())

    def _economic_cron_vals(self):
        """What the connection's scheduled action takes from the connection."""
        self.ensure_one()
        return {
            "name": CRON_NAME % self.name,
            "interval_number": max(self.sync_interval_number, 1),
            "interval_type": self.sync_interval_type,
            "active": self.active,
        }

    def _economic_sync_crons(self):
        """Keep these connections' scheduled actions in step with them: the missing ones
        created (a new connection, one of an earlier version, one deleted by hand), the others
        renamed, re-timed and archived with their connection, and rescheduled at once: a
        connection whose next pass lies beyond its (new) interval is due after that interval
        from now, and its action runs no later than that. An action that is running cannot be
        written (its row is locked): a trigger then wakes it in time, and it follows the
        connection at the next change (an archived connection's action switches itself off on
        its next run)."""
        backends = self.sudo().with_context(active_test=False, lang="en_US").exists()
        missing = backends.filtered(lambda b: not b.cron_id)
        missing._economic_create_crons()
        now = fields.Datetime.now()
        for backend in backends - missing:
            limit = now + backend._interval_delta()
            if backend.next_pass_date and backend.next_pass_date > limit:
                backend.next_pass_date = limit
            soonest = max(min(limit, backend.next_pass_date or limit), now)
            cron = backend.cron_id
            vals = backend._economic_cron_vals()
            if backend.active and cron.nextcall > soonest:
                vals["nextcall"] = soonest
            changed = {fname: value for fname, value in vals.items() if cron[fname] != value}
            if changed and not cron.try_write(changed):
                _logger.info(
                    "e-conomic connection id %s: its scheduled action is running; triggered at %s",
                    backend.id,
                    soonest,
                )
                if backend.active:
                    cron._trigger(soonest)

    def _economic_create_crons(self):
        """One scheduled action per connection, run as the scheduled actions Odoo's data
        files create (the superuser: a pass works for the connection's company whatever the
        user who made the connection; writes to e-conomic are the connection's, whose rights
        its managers hold), first due after the connection's interval (or its next pass)."""
        if not self:
            return
        now = fields.Datetime.now()
        model_id = self.env["ir.model"]._get_id("economic.backend")
        vals_list = []
        for backend in self:
            limit = now + backend._interval_delta()
            vals_list.append(
                dict(
                    backend._economic_cron_vals(),
                    model_id=model_id,
                    state="code",
                    code=CRON_CODE % backend.id,
                    user_id=SUPERUSER_ID,
                    nextcall=min(backend.next_pass_date or limit, limit),
                )
            )
        crons = self.env["ir.cron"].sudo().with_context(lang="en_US").create(vals_list)
        for backend, cron in zip(self, crons, strict=True):
            backend.cron_id = cron

    def _economic_drop_crons(self):
        """Before these connections are deleted: their scheduled actions, and the server
        actions behind them, once none runs (a running one refuses the deletion)."""
        crons = self.sudo().with_context(active_test=False).cron_id
        if not crons:
            return lambda: None
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "SELECT id FROM ir_cron WHERE id IN %s FOR UPDATE NOWAIT",
                    [tuple(crons.ids)],
                    log_exceptions=False,
                )
        except psycopg2.OperationalError:
            raise UserError(
                self.env._(
                    "A pass of the e-conomic connection %(name)s is running. Delete the "
                    "connection when it has ended.",
                    name=", ".join(self.mapped("display_name")),
                )
            ) from None
        actions = crons.ir_actions_server_id

        def drop():
            crons.unlink()
            actions.unlink()

        return drop

    def _economic_wake(self):
        """Wake these connections' scheduled actions now (Run Pass Now, a paid order's draft,
        a pass that gave way): one trigger each, unless one is due already."""
        for backend in self.sudo():
            cron = backend.cron_id
            if not cron or not cron.active:
                continue
            self.env.cr.execute(
                "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s AND call_at <= %s LIMIT 1",
                [cron.id, fields.Datetime.now()],
            )
            if not self.env.cr.fetchone():
                cron._trigger()

    @api.model
    def _economic_pass_budget(self):
        """Seconds a run works before its pass gives way: the context's
        ``economic_pass_budget`` (tests), else the system parameter, else
        ``PASS_BUDGET_SECONDS``; 0 or less: no budget."""
        if "economic_pass_budget" in self.env.context:
            return float(self.env.context["economic_pass_budget"] or 0)
        value = self.env["ir.config_parameter"].sudo().get_param(BUDGET_PARAM)
        try:
            return float(value) if value not in (None, False, "") else PASS_BUDGET_SECONDS
        except ValueError:
            return PASS_BUDGET_SECONDS

    # ------------------------------------------------------------------ a run of the action
    @api.model
    def _cron_run_connection(self, backend_id):
        """What the connection's scheduled action runs: the pass under way (one that gave way
        or whose server stopped), else the connection's pass if it is due or was asked for;
        then, if no pass ran, the work its entity modules have waiting; then its webhook
        events. A pass that gives way ends the run with work remaining (``ir.cron`` progress):
        Odoo runs the job again soon, on any server, and the rest waits for that run.

        An archived or deleted connection's action switches itself off (its row is locked
        while it runs: the progress API's ``deactivate`` is the way)."""
        backend = self.sudo().with_context(active_test=False).browse(backend_id).exists()
        if not backend or not backend.active:
            self.env["ir.cron"]._notify_progress(done=0, remaining=0, deactivate=True)
            return
        self.env.flush_all()
        ran = False
        if backend.pass_resume:
            if self._cron_run_one(backend.id, resume=True):
                return
            ran = True
        if self._cron_due(backend, scheduled=not ran):
            if self._cron_run_one(backend.id):
                return
            ran = True
        # work the entity modules have waiting (a module wakes the action when work waits),
        # whatever the schedule, when no pass ran now
        entities = [] if ran else self._cron_waiting_work(backend)
        if entities and self._cron_run_one(backend.id, entities=entities):
            return
        # webhooks: the targeted pulls of the events received
        if backend._economic_has_events():
            self._cron_run_events(backend)
            self._cron_commit()
        self.env.invalidate_all()

    @api.model
    def _cron_due(self, backend, scheduled=True):
        """Whether the connection's pass is due: asked for (Run Pass Now), never run, its next
        pass date passed, or (``scheduled``) its scheduled action fired on its schedule (its
        next call passed: the pass date, written when the last pass started, may be a few
        seconds later than the action's own schedule)."""
        now = fields.Datetime.now()
        if backend.pass_requested or not backend.next_pass_date or backend.next_pass_date <= now:
            return True
        return bool(scheduled and backend.cron_id and backend.cron_id.nextcall <= now)

    @api.model
    def _cron_run_events(self, backend):
        try:
            self.env["economic.sync.engine"]._process_webhook_events(backend)
        except Exception as error:  # noqa: BLE001 - the next run tries again
            if not self.env["economic.sync.engine"]._economic_test_mode():
                self.env.cr.rollback()
            _logger.exception(
                "e-conomic connection id %s: webhook events failed", backend.id, exc_info=error
            )

    @api.model
    def _cron_waiting_work(self, backend):
        """The entities of ``backend`` with work waiting now (the entity modules'
        ``_economic_waiting_work``), in pass order."""
        waiting = set()
        for module in self.env["economic.sync.engine"]._entity_modules():
            waiting.update(module._economic_waiting_work().get(backend.id, ()))
        if not waiting:
            return []
        order = self.env["economic.sync.engine"]._available_entities()
        return [entity for entity in order if entity in waiting]

    @api.model
    def _cron_run_one(self, backend_id, entities=None, resume=False):
        """One pass of the connection in the scheduled action's transaction: the pass under
        way (``resume``), its scheduled or requested pass, or ``entities`` alone, off
        schedule (the schedule is left as it is). A scheduled pass syncs the entities whose
        ``auto`` is on; a requested one ("Run Pass Now") all of them. The pass works within
        the run's time budget. Committed when done; rolled back on an unexpected error, which
        is then recorded on the connection. Returns True when the pass gave way (the next run
        goes on with it)."""
        backend = self.sudo().browse(backend_id)
        if entities is None and not resume:
            requested = backend.pass_requested
            backend.write(
                {
                    "next_pass_date": fields.Datetime.now() + backend._interval_delta(),
                    "pass_requested": False,
                }
            )
            self._cron_commit()
            entities = None if requested else backend._economic_auto_entities()
            if entities == []:
                _logger.info(
                    "e-conomic connection id %s: no entity is automatic, no scheduled pass",
                    backend_id,
                )
                return False
        test_mode = self.env["economic.sync.engine"]._economic_test_mode()
        # in tests nothing commits: a savepoint stands for the connection's transaction
        savepoint = self.env.cr.savepoint() if test_mode else None
        try:
            result = backend.with_context(
                economic_pass_budget=self._economic_pass_budget(),
                economic_pass_continue=resume,
            )._run_pass(entities=entities)
            self.env.flush_all()
        except Exception as error:  # noqa: BLE001 - recorded on the connection
            if savepoint:
                savepoint.close(rollback=True)
            else:
                self.env.cr.rollback()
            self._cron_pass_failed(backend_id, error)
            return False
        if savepoint:
            savepoint.close(rollback=False)
        self._cron_commit()
        return isinstance(result, dict) and result.get("state") == "paused"

    @api.model
    def _cron_commit(self):
        """Commit the scheduled action's transaction (not in tests: the test transaction
        must stay whole)."""
        self.env.flush_all()
        if not self.env["economic.sync.engine"]._economic_test_mode():
            self.env.cr.commit()

    @api.model
    def _cron_pass_failed(self, backend_id, error):
        """Record an unexpected failure of a scheduled pass on its connection."""
        _logger.exception(
            "e-conomic connection id %s: the scheduled pass failed",
            backend_id,
            exc_info=error,
        )
        backend = self.sudo().browse(backend_id)
        if not backend.exists():
            return
        now = fields.Datetime.now()
        if isinstance(error, EconomicError):
            message = backend._error_message(error)
        elif isinstance(error, UserError):
            message = backend._scrub_tokens(str(error.args[0] if error.args else error))
        else:
            # never the database's or Python's own words: those are in the server log
            message = self.env._(
                "The pass stopped on an unexpected error (written to the server log at "
                "%(time)s UTC with its details). What it committed before stays; the next "
                "pass goes on from there.",
                time=fields.Datetime.to_string(now),
            )
        self.env["economic.sync.log"]._log_pass_failure(backend, message)
        backend.write(
            {
                "last_pass_state": "failed",
                "last_pass_end": now,
                "last_pass_message": message,
                "next_pass_date": now + backend._interval_delta(),
                "pass_resume": False,
            }
        )
        backend._economic_notify_pass("done")
        self._cron_commit()

    def _economic_auto_entities(self):
        """The engine's entities whose ``auto`` is on, for ``_run_pass(entities=...)``:
        ``None`` when all of them are (a whole pass, full passes included)."""
        self.ensure_one()
        engine_entities = self.env["economic.sync.engine"]._available_entities()
        auto = [e for e in engine_entities if self._entity_setting(e).auto]
        return None if len(auto) == len(engine_entities) else auto

    def _run_pass(self, entities=None, full=False):
        """One sync pass of this connection (engine: ``economic.sync.engine``)."""
        self.ensure_one()
        return self.env["economic.sync.engine"]._run_pass(self, entities=entities, full=full)

    def action_run_pass(self):
        """Ask for a pass of this connection now. It runs in the background, in the
        connection's scheduled action (triggered at once): a web request never holds a worker
        for a whole pass."""
        self.ensure_one()
        self.check_access("write")
        _ = self.env._
        backend = self.sudo()
        if not backend.cron_id:
            backend._economic_sync_crons()  # deleted by hand: the connection gets it back
        cron = backend.cron_id
        if not cron.active:
            return self._notification(
                _("Pass not started"),
                _(
                    'The scheduled action "%(action)s" is archived: activate it (Settings > '
                    "Technical > Scheduled Actions) to run passes.",
                    action=cron.name,
                ),
                "warning",
            )
        # looked up, not taken: taking it for a look could make a starting pass skip
        if self.env["economic.sync.engine"]._lock_held(self):
            # the running pass writes this connection: do not write it concurrently
            return self._notification(
                _("Pass running"),
                _("A pass of this connection is running; the dashboard shows its result."),
                "warning",
            )
        self.write({"pass_requested": True})
        self._economic_wake()
        return self._notification(
            _("Pass requested"),
            _("The pass runs in the background; the dashboard shows its result."),
            "info",
        )
