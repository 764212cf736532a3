"""Contact persons of customers and suppliers: pulled in pages of many parents, matched within
their parent, created in batches; pushed after their parents."""

import logging

from odoo import models

from ...economic_client import EconomicError
from ...sync_core import (
    build_index,
    match,
)
from ..economic_sync_state import PAGE_SIZE
from .const import (
    PARENT_OF,
)

_logger = logging.getLogger(__name__)


class EconomicSyncPartnerContacts(models.AbstractModel):
    _inherit = "economic.sync.partner"

    # ------------------------------------------------------------------ contacts pull
    def _pull_customer_contacts(self, state, customer_bindings):
        """Contacts of a page of customers through the legacy REST API (one request per
        customer: used only when the client has no customers OpenAPI service); the page of
        contacts is then synced in one batch."""
        client = state.client
        pairs = []
        complete = self.env["economic.partner.binding"]
        for cb in customer_bindings:
            try:
                contacts = client.customers.contacts(cb.economic_number).list()
            except EconomicError as error:
                self._record_error(
                    state, "customer_contact", "pull", cb.partner_id, error, key=cb.economic_key
                )
                continue
            complete |= cb
            pairs += [(cb, contact) for contact in contacts]
        self._pull_contacts_page(state, "customer_contact", pairs, complete_parents=complete)

    def _pull_contacts_stream(self, state, kind, contacts, complete):
        """Sync a stream of contacts of many parents (a whole-agreement listing), one page of
        ≤1000 at a time; ``complete``: the stream is every contact (a full read), so a bound
        contact not in it was deleted in e-conomic and is archived."""
        adapter = state.adapters[kind]
        parent_key = "customerNumber" if kind == "customer_contact" else "supplierNumber"
        seen = set()
        page = []

        def flush(page):
            parent_keys = {str(c[parent_key]) for c in page if c.get(parent_key)}
            parents = self.env["economic.partner.binding"].search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", PARENT_OF[kind]),
                    ("economic_key", "in", list(parent_keys)),
                    ("remote_archived", "=", False),
                ]
            )
            by_key = {b.economic_key: b for b in parents}
            pairs = []
            for contact in page:
                parent = by_key.get(str(contact.get(parent_key)))
                if parent:
                    pairs.append((parent, contact))
                else:  # its customer/supplier is not bound (failed or archived): later
                    state.counts["skipped"] += 1
            self._pull_contacts_page(state, kind, pairs)
            state.records_done += len(page)
            self._commit(state)
            self._notify(state, state.records_done)

        for contact in contacts:
            seen.add(str(adapter.number(contact)))
            page.append(contact)
            if len(page) >= PAGE_SIZE:
                flush(page)
                page = []
        if page:
            flush(page)
        if complete:
            gone = self._bindings_missing(
                "economic.partner.binding",
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("remote_archived", "=", False),
                ],
                "economic_key",
                seen,
            )
            self._archive_bindings(state, gone)
            self._commit(state)

    def _pull_contacts_page(self, state, kind, pairs, complete_parents=None):
        """One page of contacts, ``pairs`` = ``[(parent binding, contact record)]``: one search
        of the existing bindings, one read of their partners, one read of the parents' unbound
        children for matching, one batch create of the new ones.

        ``complete_parents``: parents whose every contact is in ``pairs``: their bound
        contacts missing from it are archived (deleted in e-conomic)."""
        adapter = state.adapters[kind]
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        parents = Binding.concat(*{p.id: p for p, _c in pairs}.values())
        if complete_parents:
            parents |= complete_parents
        if not parents:
            return
        existing = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("parent_binding_id", "in", parents.ids),
            ]
        )
        by_key = {(b.parent_binding_id.id, b.economic_key): b for b in existing}
        wanted = [
            by_key[(p.id, str(adapter.number(c)))]
            for p, c in pairs
            if (p.id, str(adapter.number(c))) in by_key
        ]
        pdata = self._economic_read_local(state, adapter, Binding.concat(*wanted).partner_id)
        seen = set()
        unbound = []
        for parent, contact in pairs:
            key = (parent.id, str(adapter.number(contact)))
            seen.add(key)
            binding = by_key.get(key)
            if binding:
                self._sync_bound_safe(
                    state, adapter, binding, pdata.get(binding.partner_id.id), contact
                )
            else:
                unbound.append((parent, contact))
        if unbound:
            self._pull_unbound_contacts(state, adapter, unbound, existing)
        if complete_parents:
            gone = existing.filtered(
                lambda b: b.parent_binding_id in complete_parents
                and not b.remote_archived
                and (b.parent_binding_id.id, b.economic_key) not in seen
            )
            self._archive_bindings(state, gone)

    def _pull_unbound_contacts(self, state, adapter, unbound, existing):
        """Match new contacts by email, then name, among their parent's unbound child
        contacts (one read for the whole page); a unique match binds, the rest is created in
        one batch."""
        kind = adapter.kind
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        parent_partner = {p.id: p.partner_id.id for p, _c in unbound}
        bound_ids = set(existing.partner_id.ids)
        rows_by_parent = {}
        for row in (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_read(
                [("parent_id", "in", list(set(parent_partner.values())))],
                ["parent_id", "email", "name"],
            )
        ):
            if row["id"] not in bound_ids:
                rows_by_parent.setdefault(row["parent_id"][0], []).append(row)
        indexes = {}
        to_bind, to_create, create_parents = [], [], []
        for parent, contact in unbound:
            pid = parent_partner[parent.id]
            rows = rows_by_parent.get(pid)
            result = None
            if rows:
                if pid not in indexes:
                    indexes[pid] = build_index(rows, ["email", "name"], lambda r: r["id"])
                result = match(["email", "name"], contact, indexes[pid])
            if result is not None and result.status == "unique":
                partner_id = result.ids[0]
                for bucket in indexes[pid].values():
                    for ids in bucket.values():
                        if partner_id in ids:
                            ids.remove(partner_id)
                to_bind.append((parent, contact, partner_id))
            elif self._held(state, kind, contact):
                self._log_held(state, kind, contact)
            else:
                to_create.append(contact)
                create_parents.append(parent)
        for parent, contact, partner_id in to_bind:
            try:
                with self.env.cr.savepoint():
                    binding = Binding.create(
                        {
                            "backend_id": state.backend.id,
                            "kind": kind,
                            "partner_id": partner_id,
                            "economic_key": str(adapter.number(contact)),
                            "parent_binding_id": parent.id,
                        }
                    )
            except Exception as error:  # noqa: BLE001 - one bad record never stops the page
                self._record_error(
                    state,
                    kind,
                    "pull",
                    self.env["res.partner"].browse(partner_id),
                    error,
                    key=adapter.number(contact),
                )
                continue
            state.counts["bound"] += 1
            self._sync_bound_safe(state, adapter, binding, None, contact)
        if to_create:
            self._create_partners(state, adapter, to_create, parents=create_parents)

    def _pull_supplier_contacts(self, state):
        """Supplier contacts: one cursor listing of the agreement (suppliers OpenAPI), always
        complete (no change stamp), compared with the base."""
        self._pull_contacts_stream(
            state, "supplier_contact", state.client.supplier_contacts.iter(), complete=True
        )

    def _push_contacts(self, state, kind, parents=None):
        """Push the pending contacts of ``kind`` and create the new ones; ``parents``: only the
        contacts of those partners (Push now of one partner)."""
        if not state.settings[kind]["push"]:
            return
        adapter = state.adapters[kind]
        pending = self._pending_bindings(state, kind).filtered(
            lambda b: b.id not in state.touched
            and (parents is None or b.partner_id.parent_id in parents)
        )
        pdata = self._economic_read_local(state, adapter, pending.partner_id)
        for binding in pending:
            self._push_bound(state, adapter, binding, pdata.get(binding.partner_id.id))
        # new child contacts of bound parents
        parent_kind = PARENT_OF[kind]
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id, pb.id FROM res_partner p
              JOIN economic_partner_binding pb ON pb.partner_id = p.parent_id
                   AND pb.backend_id = %s AND pb.kind = %s AND NOT COALESCE(pb.remote_archived, false)
             WHERE p.active AND p.type = 'contact' AND NOT p.is_company
               AND NOT EXISTS (SELECT 1 FROM economic_partner_binding b
                                WHERE b.partner_id = p.id AND b.backend_id = %s AND b.kind = %s)
               AND (%s OR p.parent_id = ANY(%s))
             ORDER BY p.id""",
            (
                state.backend.id,
                parent_kind,
                state.backend.id,
                kind,
                parents is None,
                list(parents.ids) if parents is not None else [],
            ),
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return
        partners = self._push_scope(state, kind, [r[0] for r in rows])
        parents = dict(rows)
        pdata = self._economic_read_local(state, adapter, partners)
        Binding = self.env["economic.partner.binding"]
        self._create_remote_batch(
            state,
            adapter,
            [(p, pdata[p.id], Binding.browse(parents[p.id])) for p in partners],
        )
