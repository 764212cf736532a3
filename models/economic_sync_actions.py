"""What a user starts on one record: Refresh, Push now, Replay, a conflict choice.

Each takes the connection's lock (``_action_lock``) like a pass, runs with the user's rights on
the record (the access is checked first, so a refusal is Odoo's normal access message, and the
record is written through the user's environment, never a ``sudo()`` record), commits before it
lets the lock go, and tells the user what happened with the counts. The runner dispatches each
to the entity module of the record (``_entity_module``); it knows no entity by name.
"""

import json
import logging
from contextlib import contextmanager

from odoo import api, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..economic_client import EconomicError
from .economic_sync_state import PassState

_logger = logging.getLogger(__name__)

MANAGER_GROUP = "economic_sync.group_economic_manager"


class EconomicSyncEngineActions(models.AbstractModel):
    _inherit = "economic.sync.engine"

    # ------------------------------------------------------------------ helpers
    def _check_manager(self, what):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only e-conomic managers can %(what)s. Ask a user of the group "
                    "'e-conomic / Manager'.",
                    what=what,
                )
            )

    def _commit_action(self, state=None):
        """Commit what an action did before its lock is released, so the next pass sees it
        (not in tests: the test transaction stays whole)."""
        if state is not None:
            state.flush_logs()
        self.env.flush_all()
        if not self._economic_test_mode():
            self.env.cr.commit()

    def _counts_message(self, counts):
        """What a pass or an action did, in one line (the dashboard's and the notifications')."""
        return self.env._(
            "%(created)s created, %(updated)s updated, %(bound)s bound, %(pushed)s pushed, "
            "%(archived)s archived, %(conflicts)s conflicts, %(errors)s errors",
            **counts,
        )

    def _action_notification(self, backend, title, counts):
        errors = counts["errors"]
        message = self._counts_message(counts)
        if errors:
            message = self.env._("%(counts)s. See the sync log.", counts=message)
        return backend._notification(title, message, "warning" if errors else "success")

    @api.model
    def _push_blocker(self, backend, bindings):
        """Why the local changes of ``bindings`` (pending) are not pushed, or False: a record
        does not stay "Pending Push" forever without saying why."""
        if not bindings:
            return False
        _ = self.env._
        if not backend.write_back:
            return _("Not pushed: write-back is off on the e-conomic connection.")
        labels = dict(
            self.env["economic.entity.setting"]._fields["entity"]._description_selection(self.env)
        )
        for entity in sorted({binding._economic_entity() for binding in bindings}):
            setting = backend._entity_setting(entity)
            label = labels.get(entity, entity)
            if not setting or not setting.push:
                return _("Not pushed: push is off for %(entity)s.", entity=label)
            if setting.strategy == "read_only":
                return _("Not pushed: %(entity)s are read-only.", entity=label)
        return False

    @contextmanager
    def _friendly_errors(self, backend):
        """A user's action never shows the database's or Python's own words: e-conomic's
        refusal is said as the log says it, an error nobody foresaw becomes our message (the
        details go to the server log); Odoo's own messages (refusals, access, validation)
        pass as they are."""
        try:
            yield
        except (UserError, AccessError, ValidationError):
            raise
        except EconomicError as error:
            raise UserError(self._error_text(backend, error)) from error
        except Exception as error:
            _logger.warning("e-conomic: unexpected error in a user's action", exc_info=True)
            raise UserError(self._unexpected_text()) from error

    # ------------------------------------------------------------------ Refresh / Push now
    @api.model
    def _action_record(self, backend, record, direction):
        """Refresh (pull) or Push now for one Odoo record (a partner: with its contacts)."""
        if not backend:
            raise UserError(self.env._("This company has no e-conomic connection."))
        module = self._entity_module(res_model=record._name)
        if module is None:
            raise UserError(self.env._("Records of this kind do not sync with e-conomic."))
        if direction == "push":
            self._check_manager(self.env._("push to e-conomic"))
        record.check_access("write")
        backend = backend.sudo()
        with (
            self._friendly_errors(backend),
            self._action_lock(backend),
            backend._get_client() as client,
        ):
            state = PassState(self, backend, client)
            if direction == "push":
                module._economic_push_record(state, record)
                title = self.env._("Pushed to e-conomic")
            else:
                module._economic_refresh_record(state, record)
                title = self.env._("Refreshed from e-conomic")
            self._commit_action(state)
        return self._action_notification(backend, title, state.counts)

    # ------------------------------------------------------------------ Replay
    @api.model
    def _replay_log_line(self, line):
        """Re-run the sync of one failed log line's record. Returns ``(ok, message)``."""
        self._check_manager(self.env._("replay the sync log"))
        if line.res_model and line.res_id:
            record = self.env[line.res_model].browse(line.res_id).exists()
            if record:
                record.check_access("write")
        backend = line.backend_id.sudo()
        module = self._entity_module(line.entity)
        if module is None:
            return False, self.env._("Nothing to replay for a pass line.")
        with self._action_lock(backend), backend._get_client() as client:
            state = PassState(self, backend, client)
            binding = self._line_binding(line)
            ok = module._economic_replay(state, line, binding)
            if ok is not True:
                return False, ok
            self._commit_action(state)
            if state.counts["errors"]:
                return False, state.last_failure
            return True, False

    def _line_binding(self, line):
        if line.binding_model and line.binding_res_id:
            return self.env[line.binding_model].sudo().browse(line.binding_res_id).exists()
        return None

    # ------------------------------------------------------------------ conflicts
    @api.model
    def _apply_conflict_choice(self, conflict, side):
        """Reverse (or take) a conflict decision: the chosen value is applied or pushed on the
        next pass (sync_core: restore the losing value on its side, or store an override)."""
        self._check_manager(self.env._("change a conflict decision"))
        binding = conflict.sudo()._binding()
        record = binding._economic_record()
        record = self.env[record._name].browse(record.id)
        record.check_access("write")
        with self._action_lock(binding.backend_id):
            self._apply_choice(conflict, binding, record, side)
            self._commit_action()

    def _apply_choice(self, conflict, binding, record, side):
        overrides = binding._get_overrides()
        value = conflict._load(conflict.local_value if side == "local" else conflict.remote_value)
        if conflict.decision == "undecided":
            overrides[conflict.field] = side
            binding.with_context(economic_sync_write=True).write(
                {"overrides": json.dumps(overrides), "state": "pending"}
            )
            conflict.sudo().write({"decision": side, "state": "resolved"})
            return
        if conflict.decision == side:
            conflict.sudo().write({"state": "resolved"})
            return
        # the decision was applied on both sides: write the chosen value into Odoo (with the
        # user's rights), so the next pass sees a one-sided (local) change and pushes it
        backend = binding.backend_id
        entity = binding._economic_entity()
        module = self._entity_module(entity)
        state = PassState(self, backend, None, modules=[module])
        adapter = module._economic_adapter(state, entity)
        vals, bvals = adapter.local_write_vals({conflict.field: value})
        if vals:
            record.with_company(backend.company_id).write(vals)
        if bvals:
            binding.with_context(economic_sync_write=True).write(bvals)
        binding.with_context(economic_sync_write=True).write({"state": "pending"})
        conflict.sudo().write({"decision": side, "state": "reversed"})
