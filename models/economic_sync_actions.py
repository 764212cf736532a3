"""What a user starts on one record: Refresh, Push now, Replay, a conflict choice.

Each takes the connection's lock (``_action_lock``) like a pass, runs with the user's rights on
the partner (the access is checked first, so a refusal is Odoo's normal access message, and the
partner is written through the user's environment, never a ``sudo()`` record), commits before it
lets the lock go, and tells the user what happened with the counts.
"""

import json

from odoo import api, models
from odoo.exceptions import AccessError, UserError

from ..economic_client import EconomicError, NotFoundError
from ..engine.adapters import ADAPTER_CLASSES
from .economic_sync_engine import PARTY_KINDS, RANK_FIELD, PassState

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
        """Why the local changes of ``bindings`` (pending) are not pushed, or False: a partner
        does not stay "Pending Push" forever without saying why."""
        if not bindings:
            return False
        _ = self.env._
        if not backend.write_back:
            return _("Not pushed: write-back is off on the e-conomic connection.")
        labels = dict(bindings._fields["kind"]._description_selection(self.env))
        for kind in sorted(set(bindings.mapped("kind"))):
            setting = backend._entity_setting(kind)
            if not setting or not setting.push:
                return _("Not pushed: push is off for %(entity)s.", entity=labels.get(kind, kind))
            if setting.strategy == "read_only":
                return _("Not pushed: %(entity)s are read-only.", entity=labels.get(kind, kind))
        return False

    # ------------------------------------------------------------------ Refresh / Push now
    @api.model
    def _action_partner(self, backend, partner, direction):
        """Refresh (pull) or Push now for one partner and its contacts."""
        if not backend:
            raise UserError(self.env._("This company has no e-conomic connection."))
        if direction == "push":
            self._check_manager(self.env._("push to e-conomic"))
        partner.check_access("write")
        backend = backend.sudo()
        with self._action_lock(backend), backend._get_client() as client:
            state = PassState(self, backend, client)
            if direction == "push":
                self._push_partner_now(state, partner)
                title = self.env._("Pushed to e-conomic")
            else:
                self._refresh_partner_now(state, partner)
                title = self.env._("Refreshed from e-conomic")
            self._commit_action(state)
        return self._action_notification(backend, title, state.counts)

    def _partner_bindings(self, state, partner):
        partner = partner.sudo()
        return (partner.economic_binding_ids | partner.child_ids.economic_binding_ids).filtered(
            lambda b: b.backend_id == state.backend
        )

    def _push_partner_now(self, state, partner):
        if not any(state.settings[k]["push"] for k in ADAPTER_CLASSES):
            raise UserError(
                self.env._(
                    "Push is not effective: switch on write-back on the connection and push "
                    "(with a strategy) for the entity."
                )
            )
        bindings = self._partner_bindings(state, partner)
        for binding in bindings:
            if state.settings[binding.kind]["push"]:
                self._push_bound(state, state.adapters[binding.kind], binding, None)
        if not bindings.filtered(lambda b: b.kind in PARTY_KINDS):
            for kind in PARTY_KINDS:
                if state.settings[kind]["push"] and partner[RANK_FIELD[kind]]:
                    self._push_new(state, state.adapters[kind], partner)
        for kind in ("customer_contact", "supplier_contact"):
            if state.settings[kind]["push"]:
                self._push_contacts(state, kind, parents=partner)

    def _refresh_partner_now(self, state, partner):
        bindings = self._partner_bindings(state, partner)
        if not bindings:
            raise UserError(self.env._("This contact is not bound to e-conomic yet."))
        for binding in bindings:
            self._refresh_binding(state, binding)

    def _refresh_binding(self, state, binding):
        adapter = state.adapters[binding.kind]
        try:
            record = self._remote_get(state, binding)
        except NotFoundError:
            self._archive_bindings(state, binding)
            return True
        except EconomicError as error:
            self._record_error(
                state,
                binding.kind,
                "pull",
                binding.partner_id,
                error,
                binding=binding,
                key=binding.economic_number,
            )
            return False
        return self._sync_bound_safe(state, adapter, binding, None, record) is not False

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
        kind = line.entity
        if kind not in ADAPTER_CLASSES:
            return False, self.env._("Nothing to replay for a pass line.")
        with self._action_lock(backend), backend._get_client() as client:
            state = PassState(self, backend, client)
            binding = self._replay_binding(state, line)
            ok = self._replay_run(state, line, binding)
            if ok is not True:
                return False, ok
            self._commit_action(state)
            if state.counts["errors"]:
                return False, state.last_failure
            return True, False

    def _replay_binding(self, state, line):
        binding = line.binding_id.sudo()
        if not binding and line.res_model == "res.partner" and line.res_id:
            binding = (
                self.env["economic.partner.binding"]
                .sudo()
                .search(
                    [
                        ("backend_id", "=", state.backend.id),
                        ("kind", "=", line.entity),
                        ("partner_id", "=", line.res_id),
                    ],
                    limit=1,
                )
            )
        return binding

    def _replay_run(self, state, line, binding):
        """Run the replay; True, or the message of why nothing could be run."""
        kind = line.entity
        adapter = state.adapters[kind]
        if binding:
            if line.direction == "push":
                self._push_bound(state, adapter, binding, None)
            else:
                self._refresh_binding(state, binding)
        elif line.direction == "push" and line.res_id:
            partner = self.env["res.partner"].browse(line.res_id)
            if kind in PARTY_KINDS:
                self._push_new(state, adapter, partner)
            else:
                self._push_contacts(state, kind, parents=partner.parent_id)
        elif line.economic_key and kind in PARTY_KINDS:
            service = state.client.customers if kind == "customer" else state.client.suppliers
            try:
                record = service.get(int(line.economic_key))
            except EconomicError as error:
                return self._error_text(state.backend, error)
            self._pull_page(state, kind, [record], with_contacts=True)
        else:
            return self.env._("The record of this line is gone.")
        return True

    # ------------------------------------------------------------------ conflicts
    @api.model
    def _apply_conflict_choice(self, conflict, side):
        """Reverse (or take) a conflict decision: the chosen value is applied or pushed on the
        next pass (sync_core: restore the losing value on its side, or store an override)."""
        self._check_manager(self.env._("change a conflict decision"))
        binding = conflict.binding_id.sudo()
        partner = self.env["res.partner"].browse(binding.partner_id.id)
        partner.check_access("write")
        with self._action_lock(binding.backend_id):
            self._apply_choice(conflict, binding, partner, side)
            self._commit_action()

    def _apply_choice(self, conflict, binding, partner, side):
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
        adapter = ADAPTER_CLASSES[binding.kind](
            self._economic_mappings(backend, binding.kind), self._economic_lookups(backend)
        )
        pvals, bvals = adapter.local_write_vals({conflict.field: value})
        if pvals:
            partner.with_company(backend.company_id).write(pvals)
        if bvals:
            binding.with_context(economic_sync_write=True).write(bvals)
        binding.with_context(economic_sync_write=True).write({"state": "pending"})
        conflict.sudo().write({"decision": side, "state": "reversed"})
