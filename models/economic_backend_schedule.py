"""The connection's scheduled passes: the scheduled action *e-conomic: run sync passes*, its
interval, and Run Pass Now (which asks the scheduled action instead of holding a web worker).

Each connection's pass runs in the cron's own transaction (no second cursor writing the cron's
progress row), committed per connection, so one connection's failure never stops or rolls back
the others.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..economic_client import EconomicError
from .economic_backend import INTERVAL_MINUTES

_logger = logging.getLogger(__name__)


class EconomicBackendSchedule(models.Model):
    _inherit = "economic.backend"

    # ------------------------------------------------------------------ schedule
    def _interval_minutes(self):
        self.ensure_one()
        return max(self.sync_interval_number, 1) * INTERVAL_MINUTES.get(self.sync_interval_type, 60)

    def _interval_delta(self):
        return timedelta(minutes=self._interval_minutes())

    @api.model
    def _update_cron_interval(self):
        """Run the scheduled action at the smallest interval of the active
        connections (unchanged when there is none), and reschedule at once: a connection
        whose next pass lies beyond its (new) interval is due after that interval from
        now, and the scheduled action runs no later than the soonest next pass."""
        cron = self.env.ref("economic_sync.ir_cron_economic_sync", raise_if_not_found=False)
        if not cron:
            return
        backends = self.sudo().search([])
        if not backends:
            return
        now = fields.Datetime.now()
        for backend in backends:
            limit = now + backend._interval_delta()
            if backend.next_pass_date and backend.next_pass_date > limit:
                backend.next_pass_date = limit
        fastest = min(backends, key=lambda b: (b._interval_minutes(), b.id))
        soonest = min(
            [now + fastest._interval_delta()]
            + [b.next_pass_date for b in backends if b.next_pass_date]
        )
        soonest = max(soonest, now)
        vals = {
            "interval_number": max(fastest.sync_interval_number, 1),
            "interval_type": fastest.sync_interval_type,
        }
        cron = cron.sudo()
        if cron.nextcall > soonest:
            vals["nextcall"] = soonest
        if any(cron[fname] != value for fname, value in vals.items()) and not cron.try_write(vals):
            # the scheduled action is running (its row is locked): a trigger still wakes
            # it in time; its interval follows at the next change
            _logger.info("e-conomic: the scheduled action is running; triggered at %s", soonest)
            cron._trigger(soonest)

    # ------------------------------------------------------------------ scheduled passes
    @api.model
    def _cron_run_passes(self):
        """Scheduled action: run a pass for every active connection that is due, or whose
        pass was asked for ("Run Pass Now", ``pass_requested``).

        The passes run in the scheduled action's own transaction (the engine commits per
        page), committed after each connection; an unexpected failure rolls back that
        connection's uncommitted work alone: it never stops (or rolls back) the others.
        The progress (``ir.cron.progress``: records done, connections left) is written
        through the same transaction: written from a cursor of its own, the cron worker's
        later update of that row would fail (serialization) and the job would run again.
        """
        self.env.flush_all()
        now = fields.Datetime.now()
        due = self.sudo().search(
            [
                "|",
                "|",
                ("pass_requested", "=", True),
                ("next_pass_date", "=", False),
                ("next_pass_date", "<=", now),
            ]
        )
        done = 0
        for index, backend_id in enumerate(due.ids):
            after = len(due) - index - 1
            self.with_context(economic_cron_done=done, economic_cron_after=after)._cron_run_one(
                backend_id
            )
            progress_id = self.env.context.get("ir_cron_progress_id")
            if progress_id:
                done = max(done, self.env["ir.cron.progress"].sudo().browse(progress_id).done)
            self.env["ir.cron"]._notify_progress(done=done, remaining=after)
            self._cron_commit()
        # work the entity modules have waiting (a module wakes the action when work waits):
        # those entities of the connections not run above, whatever their schedule
        for backend_id, entities in self._cron_waiting_work(due).items():
            self._cron_run_one(backend_id, entities=entities)
            self._cron_commit()
        # webhooks: the targeted pulls of the events received
        for backend in self._economic_event_backends():
            self._cron_run_events(backend)
            self._cron_commit()
        self.env.invalidate_all()

    @api.model
    def _cron_run_events(self, backend):
        try:
            self.env["economic.sync.engine"]._process_webhook_events(backend)
        except Exception as error:  # noqa: BLE001 - one connection never stops the others
            if not self.env["economic.sync.engine"]._economic_test_mode():
                self.env.cr.rollback()
            _logger.exception(
                "e-conomic connection id %s: webhook events failed", backend.id, exc_info=error
            )

    @api.model
    def _cron_waiting_work(self, done):
        """``{backend id: [entities]}``: the work the entity modules have waiting now
        (``economic.sync.entity._economic_waiting_work``) for the active connections not in
        ``done`` (run already), in the connections' order, the entities in pass order."""
        modules = self.env["economic.sync.engine"]._entity_modules()
        waiting = {}
        for module in modules:
            for backend_id, entities in module._economic_waiting_work().items():
                waiting.setdefault(backend_id, set()).update(entities)
        if not waiting:
            return {}
        backends = self.sudo().search([("id", "in", list(waiting))]) - done
        order = self.env["economic.sync.engine"]._available_entities()
        return {
            backend.id: [entity for entity in order if entity in waiting[backend.id]]
            for backend in backends
        }

    @api.model
    def _cron_run_one(self, backend_id, entities=None):
        """The scheduled (or requested) pass of one connection, in the scheduled action's
        transaction: committed when done; rolled back on an unexpected error, which is then
        recorded on the connection. A scheduled pass syncs the entities whose ``auto`` is
        on; a requested one ("Run Pass Now") all of them; ``entities``: those alone, off
        schedule (the schedule is left as it is)."""
        backend = self.sudo().browse(backend_id)
        if entities is None:
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
            return
        test_mode = self.env["economic.sync.engine"]._economic_test_mode()
        # in tests nothing commits: a savepoint stands for the connection's transaction
        savepoint = self.env.cr.savepoint() if test_mode else None
        try:
            backend._run_pass(entities=entities)
            self.env.flush_all()
        except Exception as error:  # noqa: BLE001 - one connection never stops the others
            if savepoint:
                savepoint.close(rollback=True)
            else:
                self.env.cr.rollback()
            self._cron_pass_failed(backend_id, error)
            return
        if savepoint:
            savepoint.close(rollback=False)
        self._cron_commit()

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
        scheduled action (triggered at once): a web request never holds a worker for a
        whole pass."""
        self.ensure_one()
        self.check_access("write")
        _ = self.env._
        cron = self.env.ref("economic_sync.ir_cron_economic_sync", raise_if_not_found=False)
        cron = cron.sudo() if cron else cron
        if not cron or not cron.active:
            return self._notification(
                _("Pass not started"),
                _(
                    'The scheduled action "e-conomic: run sync passes" is archived: '
                    "activate it (Settings > Technical > Scheduled Actions) to run passes."
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
        cron._trigger()
        return self._notification(
            _("Pass requested"),
            _("The pass runs in the background; the dashboard shows its result."),
            "info",
        )

    pass_requested = fields.Boolean(
        copy=False,
        readonly=True,
        help="Run Pass Now was clicked: the scheduled action runs this connection's pass "
        "as soon as it can, then clears this.",
    )
