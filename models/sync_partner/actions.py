"""What a user starts on one partner: Refresh, Push now, Replay (the runner takes the lock and
checks the rights: ``models/economic_sync_actions.py``)."""

from odoo import models
from odoo.exceptions import UserError

from ...economic_client import EconomicError
from .const import CONTACT_KINDS, CONTACT_OF, PARTY_KINDS, RANK_FIELD


class EconomicSyncPartnerActions(models.AbstractModel):
    _inherit = "economic.sync.partner"

    def _partner_bindings(self, state, partner):
        partner = partner.sudo()
        return (partner.economic_binding_ids | partner.child_ids.economic_binding_ids).filtered(
            lambda b: b.backend_id == state.backend
        )

    def _economic_push_record(self, state, partner):
        if not any(state.settings[k]["push"] for k in self._economic_keys()):
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
        for kind in CONTACT_KINDS:
            if state.settings[kind]["push"]:
                self._push_contacts(state, kind, parents=partner)

    def _economic_refresh_record(self, state, partner):
        bindings = self._partner_bindings(state, partner)
        if not bindings:
            raise UserError(self.env._("This contact is not bound to e-conomic yet."))
        for binding in bindings:
            self._economic_refresh_binding(state, binding)

    def _economic_replay_binding(self, state, line):
        """The binding a failed line is about (a line of a partner without one: its binding
        of the line's kind)."""
        binding = self.env["economic.sync.engine"]._line_binding(line)
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

    def _economic_replay(self, state, line, binding):
        """Run the replay; True, or the message of why nothing could be run."""
        kind = line.entity
        adapter = state.adapters[kind]
        binding = binding or self._economic_replay_binding(state, line)
        if binding:
            if line.direction == "push":
                self._push_bound(state, adapter, binding, None)
            else:
                self._economic_refresh_binding(state, binding)
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

    # ------------------------------------------------------------------ preview
    def _economic_push(self, state, entities):
        """The push alone (the preview runs it with a recording client)."""
        for kind in PARTY_KINDS:
            if kind in entities:
                self._push_parties(state, kind)
            if CONTACT_OF[kind] in entities:
                self._push_contacts(state, CONTACT_OF[kind])

    def _economic_preview_notes(self, state, kinds):
        """A line per entity for the partners shared between companies that the push leaves
        out while the connection does not push them (so that "nothing to send" is explained)."""
        if state.backend._pushes_shared_partners():
            return []
        lines = []
        for kind in sorted(kinds & set(PARTY_KINDS)):
            count = self.env["res.partner"].search_count(
                [
                    ("company_id", "=", False),
                    ("parent_id", "=", False),
                    (RANK_FIELD[kind], ">", 0),
                    (
                        "economic_binding_ids",
                        "not any",
                        [("backend_id", "=", state.backend.id), ("kind", "=", kind)],
                    ),
                ]
            )
            if count:
                lines.append(
                    {
                        "entity": kind,
                        "operation": "skip",
                        "res_model": "res.partner",
                        "res_id": False,
                        "record_name": self.env._(
                            "%(count)s partners shared between companies", count=count
                        ),
                        "economic_key": False,
                        "fields": [],
                        "message": self.env._(
                            "Not created in e-conomic: they belong to no company, and the "
                            "connection's Push Shared Partners (Sync tab) is off."
                        ),
                    }
                )
        return lines
