"""``economic.synced.record``: an Odoo record that bindings link to e-conomic records.

A user's change of a field that the active mappings of a binding's connection push makes that
binding ``pending``: the next pass pushes exactly those records. The sync's own writes (context
``economic_sync_write``) change nothing, and a value written unchanged (a form sends what it
shows) is no change. Whatever the number of records written: one search of their bindings; a
write touching no field any connection syncs costs no query (the field lists are cached,
cleared when a mapping changes).

The inheriting model names its binding model (``_economic_binding_model``); the entity module
of that binding model says which fields each entity's mappings push
(``economic.sync.entity._economic_pushed_fields``). The hooks below let a model find its
bindings another way, push local edits only where its connection says so, and refuse a write
(``_economic_check_write``: a lock).
"""

from odoo import api, models, tools

#: the context of the sync's own writes
SYNC_WRITE = "economic_sync_write"


def changed_value(record, fname, value):
    """Whether writing ``value`` into ``record.fname`` changes it (forms send unchanged values
    too; an empty text and no text are the same)."""
    field = record._fields[fname]
    current = record[fname]
    new = field.convert_to_record(field.convert_to_cache(value, record), record)
    if field.type in ("char", "text", "html"):
        return (new or "") != (current or "")
    if field.type in ("float", "monetary"):
        return tools.float_compare(new or 0.0, current or 0.0, precision_digits=6) != 0
    return new != current


class EconomicSyncedRecord(models.AbstractModel):
    _name = "economic.synced.record"
    _description = "e-conomic Synced Record"

    #: the binding model (``economic.binding.mixin``) whose bindings link records of this model
    _economic_binding_model = None

    def write(self, vals):
        pending = self._economic_guard(vals)
        res = super().write(vals)
        if pending:
            pending.with_context(**{SYNC_WRITE: True}).write({"state": "pending"})
        return res

    # ------------------------------------------------------------------ hooks
    def _economic_bindings_domain(self):
        """The live bindings of the records of ``self`` (a domain on the binding model): a
        binding whose e-conomic record was deleted is pushed by no one, so an edit never marks
        it pending."""
        Binding = self.env[self._economic_binding_model]
        return [(Binding._economic_record_field, "in", self.ids), ("remote_archived", "=", False)]

    def _economic_owner_id(self, binding):
        """The id of the record of ``self`` whose change concerns ``binding``."""
        return binding[binding._economic_record_field].id

    def _economic_checked_fields(self, vals):
        """The fields of ``vals`` the guard looks at (every synced one by default)."""
        return set(vals) & self._economic_watched_fields()

    def _economic_guarded_fields(self, backend, entity):
        """The fields ``_economic_check_write`` looks at for the bindings of ``entity`` on
        ``backend``, besides the pushed ones (none by default)."""
        return frozenset()

    def _economic_check_write(self, backend, entity, bindings, names, vals, owners):
        """Refuse (raise) a user's write of ``vals`` (``names``: its checked fields) to the
        records of ``bindings`` (``owners``: the records written, by id); nothing by default."""

    def _economic_pushes_edits(self, backend, entity):
        """Whether a local change of a record bound on ``backend`` is something to push for
        ``entity`` (by default always: the record shows why it is not pushed yet)."""
        return True

    # ------------------------------------------------------------------ the guard
    def _economic_sync_module(self):
        """The entity module of the binding model (sudo), or None."""
        module = self.env["economic.sync.engine"]._entity_module(
            binding_model=self._economic_binding_model
        )
        return module.sudo() if module is not None else None

    @api.model
    @tools.ormcache()
    def _economic_watched_fields(self):
        """Every field of this model that some connection's mappings push (or that the model
        guards): a write touching none needs no look at the bindings (cleared when a mapping
        changes)."""
        module = self._economic_sync_module()
        if module is None:
            return frozenset()
        names = set()
        backends = self.env["economic.backend"].sudo().with_context(active_test=False).search([])
        for backend in backends:
            for entity in module._economic_keys():
                names |= module._economic_pushed_fields(backend.id, entity)
                names |= self._economic_guarded_fields(backend, entity)
        return frozenset(names)

    def _economic_guard(self, vals):
        """Check a user's write of ``vals`` (``_economic_check_write``); return the synced
        bindings (sudo) it makes pending."""
        Binding = self.env[self._economic_binding_model].sudo()
        if not self or not vals or self.env.context.get(SYNC_WRITE):
            return Binding
        names = self._economic_checked_fields(vals)
        if not names:
            return Binding
        bindings = Binding.with_context(active_test=False).search(self._economic_bindings_domain())
        module = self._economic_sync_module()
        if not bindings or module is None:
            return Binding
        # the records as written (this environment, prefetched together), by id
        owners = {record.id: record for record in self}
        pending = Binding
        for (backend, entity), group in bindings.grouped(
            lambda b: (b.backend_id, b._economic_entity())
        ).items():
            self._economic_check_write(backend, entity, group, names, vals, owners)
            if self._economic_pushes_edits(backend, entity):
                pushed = names & module._economic_pushed_fields(backend.id, entity)
                pending |= self._economic_to_mark(owners, group, pushed, vals)
        return pending

    def _economic_to_mark(self, owners, bindings, pushed, vals):
        """The synced bindings whose record's pushed fields ``vals`` changes."""
        if not pushed:
            return bindings.browse()
        return bindings.filtered(
            lambda b: b.state == "synced"
            and self._economic_changes(owners.get(self._economic_owner_id(b)), pushed, vals)
        )

    def _economic_changes(self, record, names, vals):
        """The fields among ``names`` whose value in ``vals`` differs from ``record``'s."""
        if not record:
            return []
        return sorted(f for f in names if f in vals and changed_value(record, f, vals[f]))
