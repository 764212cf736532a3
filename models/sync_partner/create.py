"""Creates in e-conomic, idempotent across crashes (docs/SYNC.md §4, §5).

Every create goes through ``_create_remote_batch``: the payloads are built, an
``economic.create.attempt`` row with a record-derived Idempotency-Key is stored and committed
for each record *before* any request, then each record is POSTed with its key and bound, and
the bindings are committed after the batch. A pass that dies between e-conomic's commit and
Odoo's finds the pending attempt on its next run (``_resume_creates``, before the pull): while
e-conomic still remembers the key it sends the same request again and gets the cached answer;
past that, it looks the record up by the name it was sent with. Until an attempt is settled,
the pull does not create an Odoo partner for an unbound e-conomic record of that name
(``_held_names``), so the orphan never comes back as a second partner.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError as OdooValidationError

from ...economic_client import EconomicError, F
from ...engine.adapters import MissingMapping
from ...sync_core import dump_base
from .const import LOCAL_KEY_FIELDS, PARTY_KINDS

_logger = logging.getLogger(__name__)


def _name_key(name):
    return " ".join(str(name or "").split()).casefold()


class EconomicSyncPartnerCreate(models.AbstractModel):
    _inherit = "economic.sync.partner"

    # ------------------------------------------------------------------ payload
    def _create_payload(self, state, adapter, partner, row, bvals=None):
        kind = adapter.kind
        backend = state.backend
        local = adapter.local_values(row, bvals or {})
        push_fields = {
            m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "push")
        }
        changes = {k: v for k, v in local.items() if k in push_fields and v is not None}
        record = adapter.apply_remote({}, changes)
        _ = self.env._
        if kind in PARTY_KINDS:
            group_field = (
                ("customerGroup", "customerGroupNumber")
                if kind == "customer"
                else ("supplierGroup", "supplierGroupNumber")
            )
            group = (
                backend.default_customer_group_id
                if kind == "customer"
                else backend.default_supplier_group_id
            )
            if group_field[0] not in record:
                if not group:
                    raise MissingMapping(
                        _(
                            "Choose the default %(kind)s group of the connection (%(menu)s).",
                            kind=_("customer") if kind == "customer" else _("supplier"),
                            menu=self.env["ir.ui.menu"]._economic_menu_path(
                                "economic_sync.menu_economic_backend",
                                _("Defaults for new e-conomic customers/suppliers"),
                            ),
                        )
                    )
                record[group_field[0]] = {group_field[1]: int(group.number)}
            if "vatZone" not in record:
                record["vatZone"] = {"vatZoneNumber": self._economic_vat_zone(state, partner)}
            if "paymentTerms" not in record:
                term = (
                    backend.default_payment_term_id
                    if kind == "customer"
                    else backend.default_supplier_payment_term_id
                )
                if not term:
                    raise MissingMapping(
                        _("Choose the default payment terms of the connection " "under Defaults.")
                    )
                record["paymentTerms"] = {"paymentTermsNumber": int(term.number)}
            if "currency" not in record:
                currency = backend.default_currency_id or state.company.currency_id
                record["currency"] = currency.name
            if "layout" not in record and backend.default_layout_id:
                record["layout"] = {"layoutNumber": int(backend.default_layout_id.number)}
            record.setdefault("name", partner.name)
            if kind == "customer" and state.number_field:
                value = row.get(state.number_field)
                try:
                    if value:
                        record["customerNumber"] = int(value)
                except (TypeError, ValueError):
                    raise MissingMapping(
                        _(
                            "The customer number %(value)s of %(partner)s is "
                            "not a whole number.",
                            value=value,
                            partner=partner.display_name,
                        )
                    ) from None
        else:
            record.setdefault("name", partner.name)
        return record, local

    # ------------------------------------------------------------------ create
    def _create_remote(self, state, adapter, partner, row, parent_binding=None):
        """Create one record in e-conomic (see ``_create_remote_batch``); returns its binding
        or False."""
        return self._create_remote_batch(state, adapter, [(partner, row, parent_binding)]).get(
            partner.id, False
        )

    def _create_remote_batch(self, state, adapter, items):
        """Create ``items`` = ``[(partner, row, parent binding or None)]`` in e-conomic.

        Returns ``{partner id: binding}`` of the records created and bound."""
        kind = adapter.kind
        prepared = []
        for partner, row, parent in items:
            try:
                record, local = self._create_payload(state, adapter, partner, row)
            except (MissingMapping, UserError, OdooValidationError) as error:
                self._record_error(state, kind, "push", partner, error)
                continue
            prepared.append((partner, parent, record, local))
        if not prepared:
            return {}
        partners = self.env["res.partner"].browse([p.id for p, *_r in prepared])
        attempts = self.env["economic.create.attempt"]._prepare(
            state.backend, kind, partners, names={p.id: r.get("name") for p, _pa, r, _l in prepared}
        )
        # the keys are stored before the first request: a crash after e-conomic's commit
        # leaves a row that the next pass settles with the same key
        self._commit(state)
        done = {}
        for partner, parent, record, local in prepared:
            binding = self._create_one(state, adapter, partner, parent, record, local, attempts)
            if binding:
                done[partner.id] = binding
        self._commit(state)
        return done

    def _create_one(self, state, adapter, partner, parent, record, local, attempts):
        kind = adapter.kind

        def send(key):
            created = self._post_create(state, adapter, record, parent, key)
            return self._bind_created(state, adapter, partner, parent, created, local)

        binding = self._economic_create_once(state, kind, partner, attempts[partner.id], send)
        if not binding:
            return False
        state.log_record(
            kind,
            "create",
            partner,
            binding,
            direction="push",
            fields_touched=",".join(sorted(k for k, v in local.items() if v is not None)),
        )
        return binding

    def _post_create(self, state, adapter, record, parent, key):
        client = state.client
        kind = adapter.kind
        if kind == "customer":
            return client.customers.create(record, idempotency_key=key)
        if kind == "supplier":
            return client.suppliers.create(record, idempotency_key=key)
        if kind == "customer_contact":
            return client.customers.contacts(parent.economic_number).create(
                record, idempotency_key=key
            )
        record["supplierNumber"] = parent.economic_number
        answer = client.supplier_contacts.create(record, idempotency_key=key)
        return dict(record, number=answer.get("number"))

    def _bind_created(self, state, adapter, partner, parent, created, local):
        """Bind a record e-conomic created (or had created: a cached answer). What e-conomic
        filled in that Odoo had no value for (the defaults sent: payment terms, group, zone...)
        is written into Odoo too, so the base holds it and the next pass pushes no
        'payment terms -> empty'."""
        kind = adapter.kind
        remote = adapter.remote_values(created)
        pull_fields = {
            m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "pull")
        }
        filled = {
            k: v
            for k, v in remote.items()
            if k in pull_fields and v not in (None, False, "") and local.get(k) in (None, False, "")
        }
        pvals, bvals = {}, {}
        for key, value in filled.items():
            try:
                one_p, one_b = adapter.local_write_vals({key: value})
            except MissingMapping:
                continue  # not mapped in Odoo: left out of the base, reported by the pull
            pvals.update(one_p)
            bvals.update(one_b)
            local = dict(local, **{key: value})
        binding_level = {k: remote[k] for k in remote if adapter.binding_field(adapter.specs[k][0])}
        _pv, level_vals = adapter.local_write_vals(binding_level)
        bvals.update(level_vals)
        local = dict(local, **binding_level)
        if pvals:
            partner.with_context(economic_sync_write=True, tracking_disable=True).with_company(
                state.company
            ).write(pvals)
        base = {k: v for k, v in remote.items() if local.get(k) == v}
        return (
            self.env["economic.partner.binding"]
            .with_context(economic_sync_write=True)
            .create(
                dict(
                    bvals,
                    backend_id=state.backend.id,
                    kind=kind,
                    partner_id=partner.id,
                    economic_key=str(created[adapter.key]),
                    base=dump_base(base),
                    parent_binding_id=parent.id if parent else False,
                    last_synced=fields.Datetime.now(),
                    state="synced",
                    remote_last_updated=created.get("lastUpdated") or False,
                )
            )
        )

    # ------------------------------------------------------------------ crash recovery
    def _resume_creates(self, state, kind):
        """Settle the creates of ``kind`` that a previous run sent without confirming them
        (before the pull, so the pull never takes their e-conomic records for new ones)."""
        Attempt = self.env["economic.create.attempt"].sudo()
        attempts = Attempt.search(
            [
                ("backend_id", "=", state.backend.id),
                ("entity", "=", kind),
                ("res_model", "=", "res.partner"),
                ("state", "=", "pending"),
            ]
        )
        state.held_names[kind] = set()
        if not attempts:
            return
        partners = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .browse(attempts.mapped("res_id"))
        ).exists()
        bound = set(
            self.env["economic.partner.binding"]
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("partner_id", "in", partners.ids),
                ]
            )
            .partner_id.ids
        )
        settled = attempts.filtered(lambda a: a.res_id not in partners.ids or a.res_id in bound)
        settled.unlink()
        attempts -= settled
        adapter = state.adapters[kind]
        resend = []
        now = fields.Datetime.now()
        for attempt in attempts:
            partner = self.env["res.partner"].browse(attempt.res_id)
            if state.settings[kind]["push"] and attempt._is_fresh(now):
                resend.append(partner)
            elif not self._recover_created(state, adapter, attempt, partner):
                state.held_names[kind].add(_name_key(attempt.record_name))
        if resend:
            self._resend_creates(state, adapter, self.env["res.partner"].concat(*resend))

    def _resend_creates(self, state, adapter, partners):
        kind = adapter.kind
        parents = {}
        if kind not in PARTY_KINDS:
            parent_kind = "customer" if kind == "customer_contact" else "supplier"
            for binding in self.env["economic.partner.binding"].search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", parent_kind),
                    ("partner_id", "in", partners.parent_id.ids),
                ]
            ):
                parents[binding.partner_id.id] = binding
        rows = {
            row["id"]: row
            for row in partners.with_company(state.company).read(
                list(set(adapter.partner_fields()) | LOCAL_KEY_FIELDS)
                + ([state.number_field] if state.number_field else [])
            )
        }
        items = []
        for partner in partners:
            parent = parents.get(partner.parent_id.id) if kind not in PARTY_KINDS else None
            if kind not in PARTY_KINDS and not parent:
                state.held_names[kind].add(_name_key(partner.name))
                continue
            items.append((partner, rows[partner.id], parent))
        done = self._create_remote_batch(state, adapter, items)
        for partner, _row, _parent in items:
            if partner.id not in done:
                state.held_names[kind].add(_name_key(partner.name))

    def _recover_created(self, state, adapter, attempt, partner):
        """A pending create whose key e-conomic may have forgotten: find the record it may
        have made by the name it was sent with, among records not bound yet. One found: bound.
        None: the create never happened; the attempt is dropped and the push creates it anew.
        Several: reported, held. Returns True when settled."""
        kind = adapter.kind
        try:
            candidates = self._created_candidates(state, kind, attempt, partner)
        except EconomicError as error:
            self._record_error(state, kind, "push", partner, error)
            return False
        keys = [str(adapter.number(r)) for r in candidates]
        taken = set(
            self.env["economic.partner.binding"]
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("economic_key", "in", keys),
                ]
            )
            .mapped("economic_key")
        )
        candidates = [r for r in candidates if str(adapter.number(r)) not in taken]
        if not candidates:
            attempt.unlink()
            return True
        if len(candidates) > 1:
            self._record_error(
                state,
                kind,
                "push",
                partner,
                self.env._(
                    "The creation of %(name)s in e-conomic was not confirmed, and several "
                    "e-conomic records may be the one it made: %(numbers)s. Bind the right one "
                    "by hand; the others are not pulled as new partners until then.",
                    name=attempt.record_name,
                    numbers=", ".join(str(adapter.number(r)) for r in candidates),
                ),
            )
            return False
        binding = self._bind_found(
            state,
            adapter,
            partner,
            candidates[0],
            self.env._(
                "Its creation in e-conomic was not confirmed; found it there by name: bound."
            ),
            parent=self._parent_binding_of(state, kind, partner),
        )
        if binding:
            attempt.unlink()
        return bool(binding)

    def _parent_binding_of(self, state, kind, partner):
        Binding = self.env["economic.partner.binding"]
        if kind in PARTY_KINDS:
            return Binding
        parent_kind = "customer" if kind == "customer_contact" else "supplier"
        return Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", parent_kind),
                ("partner_id", "=", partner.parent_id.id),
            ],
            limit=1,
        )

    def _created_candidates(self, state, kind, attempt, partner):
        """e-conomic records named as ``attempt`` was sent (and, where e-conomic stamps them,
        changed since it was sent)."""
        name = attempt.record_name or ""
        since = fields.Datetime.subtract(attempt.requested_at, minutes=5)
        client = state.client
        if kind == "customer":
            flt = F("name").eq(name) & F("lastUpdated").gte(since)
            records = list(client.customers.iter(filter=flt))
        elif kind == "supplier":
            records = self._remote_all(state, "supplier")
        elif kind == "customer_contact":
            parent = self._parent_binding_of(state, kind, partner)
            if not parent:
                return []
            records = client.customers.contacts(parent.economic_number).list()
        else:
            parent = self._parent_binding_of(state, kind, partner)
            if not parent:
                return []
            records = [
                r
                for r in client.supplier_contacts.iter()
                if r.get("supplierNumber") == parent.economic_number
            ]
        key = _name_key(name)
        return [r for r in records if _name_key(r.get("name")) == key]

    def _held(self, state, kind, record):
        """Whether an unbound e-conomic record may be the result of an unconfirmed create of
        ours: it is then neither bound nor created in Odoo until the create is settled."""
        names = state.held_names.get(kind)
        return bool(names) and _name_key(record.get("name")) in names
