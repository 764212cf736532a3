"""The merge of one bound pair, whatever the entity (part of ``economic.sync.entity``):
``sync_core``'s three-way merge applied to an Odoo record and its e-conomic record (the adapter
converts, the module reads and writes e-conomic), with its errors and conflicts recorded the
same way for every entity."""

import json
import logging

from odoo import fields, models

from ..sync_core import dump_base, is_other_record, load_base, merge, same_name
from .economic_sync_entity import RECORD_ERRORS
from .economic_sync_state import REUSED

_logger = logging.getLogger(__name__)


class EconomicSyncMerge(models.AbstractModel):
    _inherit = "economic.sync.entity"

    # ------------------------------------------------------------------ one bound record
    def _sync_bound_safe(self, state, adapter, binding, pvals, record, direction="pull"):
        """Sync one bound pair; returns whether it changed, False on error, or ``REUSED`` when
        the record now at the binding's number is another record (the binding is then ended
        and the caller treats the record as unbound)."""
        state.touched.add(binding.id)
        if self._reused_number(adapter, binding, record):
            self._economic_end_reused(state, binding)
            return REUSED
        if self._bound_unchanged(adapter, binding, pvals, record):
            return False  # nothing to write on either side: no savepoint either
        try:
            with self._record_savepoint(state):
                return self._sync_bound(state, adapter, binding, pvals, record, direction)
        except RECORD_ERRORS as error:
            self._record_error(
                state, adapter.kind, direction, binding._economic_record(), error, binding
            )
            return False

    def _bound_unchanged(self, adapter, binding, pvals, record):
        """Whether a synced pair holds exactly its base on both sides (the common case of a
        full pass): the merge would write nothing, so it is not run. Anything unusual (a
        state to settle, an override, a value that does not convert) takes the full path."""
        if (
            pvals is None
            or binding.state != "synced"
            or binding.last_error
            or binding.overrides
            or binding.remote_archived
            or not binding.last_synced
        ):
            return False
        try:
            base = load_base(binding.base)
            remote = adapter.remote_values(record)
            if not base or any(base.get(k) != v for k, v in remote.items()):
                return False
            hints = {k: (base.get(k), v) for k, v in remote.items()}
            local = adapter.local_values(pvals, self._economic_binding_values(binding), hints)
            if any(base.get(k) != v for k, v in local.items()):
                return False
            for fname, value in adapter.readonly_values(record).items():
                if not isinstance(value, bool):
                    value = float(value) if value is not None else 0.0
                if binding[fname] != value:
                    return False
        except Exception:  # noqa: BLE001 - the full path reports what does not convert
            return False
        return True

    @staticmethod
    def _reused_number(adapter, binding, record):
        """Whether the record at the binding's number is another record (number reused). The
        usual case, an unchanged name, is decided without converting the record."""
        base = load_base(binding.base)
        if not base or same_name(base.get("name"), record.get("name")):
            return False
        return is_other_record(
            base, adapter.remote_values(record), adapter.identity, deleted=binding.remote_archived
        )

    def _merge(self, state, adapter, binding, local, remote, pvals, record):
        setting = state.settings[adapter.kind]
        base = load_base(binding.base)
        overrides = binding._get_overrides()
        remote_stamp = record.get("lastUpdated") if isinstance(record, dict) else None
        if not remote_stamp:
            remote_stamp = binding.remote_seen_at or fields.Datetime.now()
        local_stamp = (pvals or {}).get("write_date")
        results = []
        for direction, specs in adapter.spec_groups().items():
            pull = setting["pull"] and direction in ("both", "pull")
            push = setting["push"] and direction in ("both", "push")
            results.append(
                (
                    specs,
                    merge(
                        specs,
                        base,
                        local,
                        remote,
                        pull=pull,
                        push=push,
                        strategy=setting["strategy"],
                        local_changed_at=local_stamp,
                        remote_changed_at=remote_stamp,
                        overrides=overrides,
                    ),
                )
            )
        return base, results

    def _sync_bound(self, state, adapter, binding, pvals, record, direction="pull"):
        """Three-way merge of one bound pair; writes both sides; returns True if it changed."""
        kind = adapter.kind
        local_record = binding._economic_record()
        if pvals is None:
            pvals = self._economic_read_local(state, adapter, local_record).get(local_record.id, {})
        bvals = self._economic_binding_values(binding)
        remote = adapter.remote_values(record)
        base_now = load_base(binding.base)
        hints = {k: (base_now.get(k), remote.get(k)) for k in remote}
        local = adapter.local_values(pvals, bvals, hints)
        base, results = self._merge(state, adapter, binding, local, remote, pvals, record)
        to_local, to_remote, conflicts, held = {}, {}, [], {}
        for _specs, res in results:
            to_local.update(res.to_local)
            to_remote.update(res.to_remote)
            conflicts += res.conflicts
            held.update(res.held)
        readonly = adapter.readonly_values(record)
        binding_write = {}
        for fname, value in readonly.items():
            if not isinstance(value, bool):
                value = float(value) if value is not None else 0.0
            if binding[fname] != value:
                binding_write[fname] = value
        # write into Odoo
        local_ok = True
        notes = []
        if to_local:
            record_vals, b_vals = adapter.local_write_vals(to_local, current=pvals, notes=notes)
            if record_vals:
                # through this engine's environment: a user's Refresh writes with the user's
                # rights, never through a sudo() record
                local_record.with_env(self.env).with_context(
                    economic_sync_write=True, tracking_disable=True
                ).with_company(state.company).write(record_vals)
            binding_write.update(b_vals)
        # write to e-conomic: the complete current record with the changes applied (§3)
        remote_ok = True
        if to_remote:
            new_record = adapter.apply_remote(record, to_remote)
            self._economic_remote_replace(state, adapter, binding, new_record)
            state.counts["pushed"] += 1
            binding_write.update(adapter.pushed_binding_vals(to_remote))
        # conflicts
        overrides = binding._get_overrides()
        used = False
        for conflict in conflicts:
            if conflict.initial and (conflict.local is None or conflict.remote is None):
                continue
            self._record_conflict(state, adapter, binding, conflict)
            if conflict.field in overrides:
                overrides.pop(conflict.field)
                used = True
        new_base = base
        for specs, res in results:
            names = {s.name for s in specs}
            nb = res.new_base(local_written=local_ok, remote_written=remote_ok)
            new_base = dict(new_base, **{k: v for k, v in nb.items() if k in names})
        undecided = any(c.decision == "undecided" for c in conflicts)
        new_state = (
            "conflict" if undecided else ("pending" if "local" in held.values() else "synced")
        )
        changed = bool(to_local or to_remote or conflicts)
        new_base_text = dump_base(new_base)
        if (
            new_base_text != (binding.base or dump_base({}))
            or changed
            or (binding.state != new_state)
            or binding.last_error
            or not binding.last_synced
            or used
        ):
            binding_write.update(
                {
                    "base": new_base_text,
                    "state": new_state,
                    "last_error": False,
                    "last_synced": fields.Datetime.now(),
                    "remote_last_updated": record.get("lastUpdated") or False,
                }
            )
            if used:
                binding_write["overrides"] = json.dumps(overrides) if overrides else False
        if not to_local and "remote" in held.values() and not binding.remote_seen_at:
            binding_write["remote_seen_at"] = fields.Datetime.now()
        elif to_local and binding.remote_seen_at:
            binding_write["remote_seen_at"] = False
        if binding.remote_archived:
            binding_write["remote_archived"] = False
        if binding_write:
            binding.with_context(economic_sync_write=True).write(binding_write)
        if to_local or to_remote:
            fields_touched = sorted(set(to_local) | set(to_remote))
            state.counts["updated"] += 1
            if to_local:
                state.log_record(
                    kind,
                    "update",
                    local_record,
                    binding,
                    fields_touched=",".join(sorted(to_local)),
                    old_values=self._json({k: local.get(k) for k in to_local}),
                    new_values=self._json(to_local),
                    message="\n".join(notes) or False,
                )
            if to_remote:
                state.log_record(
                    kind,
                    "update",
                    local_record,
                    binding,
                    direction="push",
                    fields_touched=",".join(sorted(to_remote)),
                    old_values=self._json({k: remote.get(k) for k in to_remote}),
                    new_values=self._json(to_remote),
                )
            del fields_touched
        if to_local:
            # one chatter note per changed record, posted in one batch with the page's logs;
            # it names the fields as the user knows them
            state.note(
                local_record.id, self._field_labels(adapter, to_local), res_model=local_record._name
            )
        # the pair went through: whatever failed before about it (either direction, any
        # operation, known by record or by key) is closed with the page's log lines
        state.resolve(kind, direction, local_record.id, binding.economic_key)
        return changed

    def _field_labels(self, adapter, props):
        """The synced fields ``props`` (e-conomic properties) as the user knows them: the label
        of the Odoo field each one's mapping names, else the property in words."""
        Mapping = self.env["economic.field.mapping"]
        labels = set()
        for prop in props:
            mapping = adapter.specs.get(prop, (None,))[0]
            labels.add(
                Mapping._economic_label(
                    adapter.res_model, mapping.odoo_field if mapping else False, prop
                )
            )
        return sorted(labels)

    def _record_conflict(self, state, adapter, binding, conflict):
        Conflict = self.env["economic.sync.conflict"].sudo()
        dump = Conflict._dump
        _conflicts, created = Conflict._record_batch(
            [
                {
                    "backend_id": state.backend.id,
                    "binding_model": binding._name,
                    "binding_res_id": binding.id,
                    "entity": adapter.kind,
                    "field": conflict.field,
                    "base_value": dump(conflict.base),
                    "local_value": dump(conflict.local),
                    "remote_value": dump(conflict.remote),
                    "strategy": conflict.strategy or False,
                    "decision": conflict.decision,
                    "state": "open" if conflict.decision == "undecided" else "resolved",
                    "pass_number": state.pass_number or False,
                }
            ]
        )
        if not created[0]:
            return  # the same conflict, recorded before: no second count or log line
        state.counts["conflicts"] += 1
        state.log_record(
            adapter.kind,
            "conflict",
            binding._economic_record(),
            binding,
            fields_touched=conflict.field,
            old_values=self._json({"base": conflict.base, "odoo": conflict.local}),
            new_values=self._json({"e-conomic": conflict.remote, "decision": conflict.decision}),
            message=self._conflict_message(adapter, conflict),
        )

    def _conflict_message(self, adapter, conflict):
        """The conflict's log line in words: the field as the user knows it (the label of the
        Odoo field its mapping syncs) and the decision."""
        _ = self.env._
        label = self._field_labels(adapter, [conflict.field])[0]
        if conflict.decision == "remote":
            decision = _("e-conomic's value kept")
        elif conflict.decision == "local":
            decision = _("Odoo's value kept")
        elif conflict.decision == "undecided":
            decision = _(
                "not decided: choose under %(menu)s",
                menu=self.env["ir.ui.menu"]._economic_menu_path(
                    "economic_sync.menu_economic_sync_conflict"
                ),
            )
        else:
            decision = conflict.decision
        return _("%(field)s changed on both sides; %(decision)s.", field=label, decision=decision)
