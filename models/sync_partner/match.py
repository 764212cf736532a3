"""Unbound e-conomic customers and suppliers: matched to Odoo partners, or created in Odoo in
batches (docs/SYNC.md §5), and numbers e-conomic gave to another record."""

import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError as OdooValidationError

from ...economic_client import EconomicError, NotFoundError
from ...engine.adapters import MissingMapping
from ...sync_core import (
    build_index,
    dump_base,
    match,
)
from ..economic_sync_state import BULK_CONTEXT, RecordError
from .const import (
    LOCAL_KEY_FIELDS,
    PARTY_KINDS,
    RANK_FIELD,
    REMOTE_KEY_PROP,
    local_key_value,
)

_logger = logging.getLogger(__name__)


class EconomicSyncPartnerMatch(models.AbstractModel):
    _inherit = "economic.sync.partner"

    def _economic_end_reused(self, state, binding):
        """e-conomic gave a deleted record's number to another record: the old partner is
        archived as deleted (unless still bound elsewhere) and unbound, so the new record is
        matched or created like any unbound one, never written over the old partner."""
        message = self.env._(
            "e-conomic number %(number)s now belongs to another record: this one was deleted in "
            "e-conomic; archived in Odoo and unbound.",
            number=binding.economic_key,
        )
        if binding.remote_archived:
            # no pointer to the binding: it is removed below
            state.log_record(
                binding.kind,
                "archive",
                binding.partner_id,
                economic_key=binding.economic_key,
                message=message,
            )
        else:
            self._archive_bindings(state, binding, message=message)
        # its contacts went with it: archived, and unbound with it (cascade); log lines keep
        # the story (their pointer to a removed binding is dropped when they are written)
        contacts = self.env["economic.partner.binding"].search(
            [("parent_binding_id", "=", binding.id), ("remote_archived", "=", False)]
        )
        self._archive_bindings(state, contacts)
        binding.sudo().unlink()

    # ------------------------------------------------------------------ unbound remote records
    def _local_index(self, state, kind):
        """Matching index of the connection's top-level partners: built once per pass, then
        only the partners created since are added (never a re-read of every partner)."""
        index = state.local_index.get(kind)
        new_ids = state.local_index_new.pop(kind, None)
        if index is not None and not new_ids:
            return index
        keys = state.match_keys[kind]
        fnames = ["id", *sorted(LOCAL_KEY_FIELDS)]
        if state.number_field and kind == "customer":
            fnames.append(state.number_field)
        domain = [("parent_id", "=", False), ("company_id", "in", [state.company.id, False])]
        if index is not None:
            domain.append(("id", "in", new_ids))
        rows = self.env["res.partner"].search_read(domain, fnames)

        def value_of(row, key):
            if key == "number":
                return row.get(state.number_field) if state.number_field else None
            return local_key_value(row, key)

        fresh = build_index(
            rows, keys, lambda r: r["id"], value_of=value_of, country=state.country_code
        )
        if index is None:
            state.local_index[kind] = fresh
            return fresh
        for key, bucket in fresh.items():
            for value, ids in bucket.items():
                index.setdefault(key, {}).setdefault(value, []).extend(ids)
        return index

    @staticmethod
    def _index_new(state, kind, ids):
        """New partners are matching candidates too: added to the index when next used."""
        if kind in state.local_index:
            state.local_index_new.setdefault(kind, []).extend(ids)

    def _remote_match_values(self, state, kind, record):
        props = REMOTE_KEY_PROP[kind]
        return {key: record.get(props[key]) for key in state.match_keys[kind] if key in props}

    def _pull_unbound(self, state, adapter, records):
        kind = adapter.kind
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        index = self._local_index(state, kind)
        keys = state.match_keys[kind]
        to_create = []
        matched = {}
        for record in records:
            number = adapter.number(record)
            result = match(
                keys,
                self._remote_match_values(state, kind, record),
                index,
                country=state.country_code,
            )
            if result.status == "unique":
                matched[number] = (record, result.ids[0], result.key)
            elif result.status == "ambiguous":
                names = ", ".join(self.env["res.partner"].browse(result.ids).mapped("display_name"))
                state.counts["skipped"] += 1
                state.log_record(
                    kind,
                    "skip",
                    state="failed",
                    economic_key=str(number),
                    record_name=record.get("name"),
                    message=self.env._(
                        "Several Odoo partners match this e-conomic record by %(key)s: "
                        "%(names)s. Bind one by hand or make the data unique.",
                        key=result.key,
                        names=names,
                    ),
                )
            elif self._held(state, kind, record):
                self._log_held(state, kind, record)
            else:
                to_create.append(record)
        if matched:
            partner_ids = [pid for _r, pid, _k in matched.values()]
            existing = Binding.search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("partner_id", "in", partner_ids),
                ]
            )
            bound_by_partner = {b.partner_id.id: b for b in existing}
            for record, partner_id, key in matched.values():
                self._bind_matched(
                    state, adapter, record, partner_id, key, bound_by_partner.get(partner_id)
                )
        if to_create:
            self._create_partners(state, adapter, to_create)

    def _bind_matched(self, state, adapter, record, partner_id, key, old_binding):
        kind = adapter.kind
        number = adapter.number(record)
        partner = self.env["res.partner"].browse(partner_id)
        try:
            with self._record_savepoint(state):
                if old_binding:
                    # renumbered in e-conomic? the old number must be gone (§6)
                    if self._rebind_renumbered(state, adapter, old_binding, record):
                        return
                    state.counts["skipped"] += 1
                    state.log_record(
                        kind,
                        "skip",
                        partner,
                        state="failed",
                        economic_key=str(number),
                        message=self.env._(
                            "Matches %(partner)s by %(key)s, which is already bound to "
                            "e-conomic number %(other)s: bind by hand.",
                            partner=partner.display_name,
                            key=key,
                            other=old_binding.economic_key,
                        ),
                    )
                    return
                binding = self.env["economic.partner.binding"].create(
                    {
                        "backend_id": state.backend.id,
                        "kind": kind,
                        "partner_id": partner.id,
                        "economic_key": str(number),
                        "state": "synced",
                    }
                )
                rank = RANK_FIELD[kind]
                if not partner[rank]:
                    partner.with_context(economic_sync_write=True).write({rank: 1})
                state.counts["bound"] += 1
                state.log_record(
                    kind,
                    "bind",
                    partner,
                    binding,
                    message=self.env._("Matched by %(key)s.", key=key),
                )
                self._sync_bound(state, adapter, binding, None, record)
        except (
            EconomicError,
            MissingMapping,
            RecordError,
            UserError,
            OdooValidationError,
        ) as error:
            self._record_error(state, kind, "pull", partner, error, key=number)

    def _rebind_renumbered(self, state, adapter, binding, record):
        """Whether the e-conomic ``record`` matched to a bound partner is that partner's
        record renumbered: the bound key is gone in e-conomic (§6). It is then re-keyed
        (``_economic_rekey``) and synced with ``record``."""
        try:
            self._economic_remote_get(state, binding)
            return False
        except NotFoundError:
            pass
        rekeyed = self._economic_rekey(
            state,
            adapter.kind,
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", adapter.kind),
                ("parent_binding_id", "=", binding.parent_binding_id.id),
            ],
            {binding.economic_key: str(adapter.number(record))},
        )
        if not rekeyed:
            return False
        self._sync_bound(state, adapter, rekeyed, None, record)
        return True

    def _new_partner_vals(self, state, adapter, record, parent=None, notes=None):
        """``(partner vals, binding vals, base)`` of a new partner for an e-conomic record;
        ``notes`` (a list) gets what its log line should say (a refused CVR/VAT number)."""
        remote = adapter.remote_values(record)
        pull_fields = {
            m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "pull")
        }
        changes = {k: v for k, v in remote.items() if k in pull_fields}
        pvals, bvals = adapter.local_write_vals(changes, notes=notes)
        pvals.setdefault("name", record.get("name") or str(adapter.number(record)))
        if adapter.kind in PARTY_KINDS:
            pvals.update(
                {"is_company": True, RANK_FIELD[adapter.kind]: 1, "company_id": state.company.id}
            )
        else:
            pvals.update({"parent_id": parent.id, "type": "contact", "is_company": False})
        for fname, value in adapter.readonly_values(record).items():
            bvals[fname] = float(value) if value is not None else 0.0
        base = {k: v for k, v in remote.items() if k in pull_fields}
        return pvals, bvals, base

    def _create_partners(self, state, adapter, records, parents=None):
        """Create partners (+ bindings) for unmatched e-conomic records, in one batch: one
        ``create`` of the partners, one of the bindings, log lines created with the page.

        ``parents``: for contacts, the parent binding of each record (same order). The batch
        runs under one savepoint; if it fails, each record is retried under its own savepoint,
        so one bad record is logged (with Odoo's message) and never stops the others."""
        kind = adapter.kind
        if parents is None:
            parents = [None] * len(records)
        prepared = []
        notes = {}  # id(record) -> what its log line says
        for record, parent in zip(records, parents, strict=True):
            try:
                prepared.append(
                    (
                        record,
                        parent,
                        *self._new_partner_vals(
                            state,
                            adapter,
                            record,
                            parent.partner_id if parent else None,
                            notes=notes.setdefault(id(record), []),
                        ),
                    )
                )
            except MissingMapping as error:
                self._record_error(state, kind, "pull", None, error, key=adapter.number(record))
        if not prepared:
            return
        Partner = self.env["res.partner"].with_context(**BULK_CONTEXT).with_company(state.company)
        Binding = self.env["economic.partner.binding"].with_context(**BULK_CONTEXT)
        now = fields.Datetime.now()

        def binding_vals(record, parent, partner_id, bvals, base):
            return dict(
                bvals,
                backend_id=state.backend.id,
                kind=kind,
                partner_id=partner_id,
                economic_key=str(adapter.number(record)),
                base=dump_base(base),
                state="synced",
                last_synced=now,
                parent_binding_id=parent.id if parent else False,
                remote_last_updated=record.get("lastUpdated") or False,
            )

        def log(record, pvals, partner_id, binding_id):
            # the name and key at hand: nothing read per line
            state.log_record(
                kind,
                "create",
                self.env["res.partner"].browse(partner_id),
                self.env["economic.partner.binding"].browse(binding_id),
                record_name=pvals.get("name"),
                economic_key=str(adapter.number(record)),
                message="\n".join(notes.get(id(record)) or ()) or False,
            )

        try:
            with self.env.cr.savepoint():
                vals_list = self._with_defaults(Partner, [p for _r, _pa, p, _b, _base in prepared])
                synced = self._with_parent_sync(Partner, vals_list)
                if synced is not None:
                    partners = Partner.with_context(_partners_skip_fields_sync=True).create(synced)
                    self._company_dependent_sync(Partner, partners)
                else:
                    partners = Partner.create(vals_list)
                bindings = Binding.create(
                    [
                        binding_vals(r, pa, pid, b, base)
                        for (r, pa, _p, b, base), pid in zip(prepared, partners.ids, strict=True)
                    ]
                )
            for (record, _pa, pvals, *_rest), pid, bid in zip(
                prepared, partners.ids, bindings.ids, strict=True
            ):
                log(record, pvals, pid, bid)
            state.counts["created"] += len(partners)
            self._index_new(state, kind, partners.ids)
            return
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info(
                "e-conomic %s: batch create of %s %s records failed (%s), creating "
                "them one by one",
                state.backend.name,
                len(prepared),
                kind,
                error,
            )
        for record, parent, pvals, bvals, base in prepared:
            try:
                with self.env.cr.savepoint():
                    partner = Partner.create(pvals)
                    binding = Binding.create(binding_vals(record, parent, partner.id, bvals, base))
                log(record, pvals, partner.id, binding.id)
                state.counts["created"] += 1
                self._index_new(state, kind, partner.ids)
            except Exception as error:  # noqa: BLE001 - one bad record never stops the page
                self._record_error(
                    state,
                    kind,
                    "pull",
                    None,
                    error,
                    key=adapter.number(record),
                    name=pvals.get("name"),
                )

    def _log_held(self, state, kind, record):
        state.counts["skipped"] += 1
        state.log_record(
            kind,
            "skip",
            economic_key=str(state.adapters[kind].number(record)),
            record_name=record.get("name"),
            message=self.env._(
                "Not created in Odoo: it may be the e-conomic record made by an unconfirmed "
                "create of an Odoo record of the same name; held until that create is settled."
            ),
        )
