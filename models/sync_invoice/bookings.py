"""Finding the bookings of pushed drafts, with or without the invoice pull (issue 14 §2).

A draft this connection pushed stays a draft until a user books it in e-conomic; the booked
invoice then carries the draft's number as ``orderNumber`` and the Odoo number in
``references.other``. e-conomic gives the next draft the number of the draft just booked, so a
draft number names a draft only while that draft exists: the draft found at a bound number is
the bound one only if it is the same document (its reference, else its customer).

Each push (and a Refresh of a draft) reads the connection's drafts by number (one listing), and
looks up the booked invoices of the drafts no longer there by their references (one listing):
a booking binds and locks the Odoo invoice; a draft neither there nor booked was deleted in
e-conomic and follows the strategy (``push.py``, ``_draft_gone``).
"""

from odoo import models

from ...economic_client import EconomicError, F
from ..economic_sync_state import IN_CHUNK
from .const import BINDING, ENTITIES, SYNC_WRITE


class EconomicSyncInvoiceBookings(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    def _draft_bindings(self, state, kinds=ENTITIES, number=None):
        """The connection's bindings of live drafts (pushed, not booked, not deleted); of the
        draft ``number`` only, if given."""
        return self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "in", list(kinds)),
                ("doc_state", "=", "draft"),
                ("draft_number", "=", number) if number else ("draft_number", "!=", False),
                ("remote_archived", "=", False),
            ],
            order="id",
        )

    def _detect_bookings(self, state, bindings):
        """Bind the bookings of ``bindings`` (drafts) booked since; handle the deleted ones.
        Returns the bindings still drafts in e-conomic."""
        if not bindings:
            return bindings
        try:
            live = self._live_drafts(state, bindings)
            gone = bindings.filtered(lambda b: not _same_draft(b, live.get(b.draft_number)))
            if gone:
                self._bind_bookings(state, self._bookings_of(state, gone))
        except EconomicError as error:
            # one failed look, one line (the drafts themselves are as they were)
            state.log(
                entity="invoice",
                direction="push",
                operation="error",
                state="failed",
                message=self.env._(
                    "The bookings of the drafts pushed to e-conomic could not be looked for "
                    "(the next push looks again): %s",
                    self._error_text(state.backend, error),
                ),
            )
            return bindings.browse()
        # the look went through: an earlier failed look is over
        self.env["economic.sync.log"]._close_open(state.backend, "invoice", False)
        for binding in gone.filtered(lambda b: b.doc_state == "draft"):
            other = live.get(binding.draft_number)
            if other and _same_customer(binding, other, self._draft_customer_number(binding)):
                continue  # its reference was edited in e-conomic: still this draft
            self._draft_gone(state, binding, looked_up=True)
        self._commit(state)
        return bindings.filtered(lambda b: b.doc_state == "draft" and not b.remote_archived)

    def _settle_stale(self, state, bindings):
        """Bindings of drafts whose number e-conomic has just given to another draft: bound
        to their bookings; one not booked was deleted in e-conomic and is unbound (no draft is
        made again here, inside another draft's create: Push now sends it again)."""
        self._bind_bookings(state, self._bookings_of(state, bindings))
        for binding in bindings.filtered(lambda b: b.doc_state == "draft"):
            old = binding.draft_number
            binding.with_context(**{SYNC_WRITE: True}).write(
                {"remote_archived": True, "draft_number": False, "state": "synced"}
            )
            state.counts["archived"] += 1
            state.log_record(
                binding.kind,
                "archive",
                binding.move_id or binding.sale_order_id,
                binding,
                direction="push",
                message=self.env._(
                    "Draft %s was deleted in e-conomic (its number went to a new draft): "
                    "unbound; the Odoo document stays as it is. Push now sends it again.",
                    old,
                ),
            )

    def _live_drafts(self, state, bindings):
        """``{draft number: e-conomic draft}`` of the numbers ``bindings`` hold (one listing,
        in chunks of numbers)."""
        numbers = sorted(set(bindings.mapped("draft_number")))
        live = {}
        for chunk in self._split(numbers, IN_CHUNK):
            for draft in state.client.invoices.drafts.iter(
                filter=F("draftInvoiceNumber").in_(chunk)
            ):
                live[draft["draftInvoiceNumber"]] = draft
        return live

    def _bookings_of(self, state, bindings):
        """The booked invoices carrying the references of ``bindings``."""
        references = sorted({b.reference for b in bindings if b.reference})
        if not references:
            return []
        return list(
            state.client.invoices.booked.iter(filter=F("references.other").any_of(references))
        )

    def _draft_customer_number(self, binding):
        record = binding.move_id or binding.sale_order_id
        partner = record.partner_id.commercial_partner_id
        customer = self.env["economic.partner.binding"].search(
            [
                ("backend_id", "=", binding.backend_id.id),
                ("kind", "=", "customer"),
                ("partner_id", "=", partner.id),
            ],
            limit=1,
        )
        return customer.economic_number


def _same_draft(binding, draft):
    """Whether ``draft`` (at the binding's number) is the bound draft: same reference."""
    if not draft:
        return False
    return (draft.get("references") or {}).get("other") == binding.reference


def _same_customer(binding, draft, number):
    return bool(number) and (draft.get("customer") or {}).get("customerNumber") == number
