"""The bookkeeper books the journal in e-conomic: the payment's draft entries leave the journal
and become booked entries of the accounting year. Each pass looks for the draft entries of the
connection's payment bindings still drafts (one request per journal and 200 entries); those no
longer there are looked for among the year's booked customer payments by their voucher numbers
(one request per year and 200 vouchers): found, the binding is booked; not found, the draft was
deleted in e-conomic (the binding says so; the payment is not sent again by itself)."""

from collections import defaultdict

from odoo import fields, models

from ...economic_client import EconomicError, F, NotFoundError, and_
from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import IN_CHUNK
from .const import BINDING, ENTITY, ENTRY_TYPE, SYNC_WRITE


class EconomicSyncPaymentBookings(models.AbstractModel):
    _inherit = "economic.sync.payment"

    def _draft_payment_bindings(self, state):
        return self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("doc_state", "=", "draft"),
                ("remote_archived", "=", False),
                ("journal_entry_number", "!=", False),
            ],
            order="id",
        )

    def _withdraw_unposted_payments(self, state):
        """Payments reset to draft or cancelled in Odoo after they were sent: their entries
        still drafts in e-conomic are deleted there (``DELETE /journals/{n}/entries/{k}``; one
        no longer a draft is left to the look for bookings) and the bindings go, so a payment
        posted again is sent again. An
        entry already booked stays (the bookkeeper reverses it in e-conomic): said once, on the
        binding's log line."""
        bindings = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("remote_archived", "=", False),
                ("payment_id.state", "not in", ("in_process", "paid")),
            ]
        )
        booked = bindings.filtered(lambda b: b.doc_state == "booked")
        for binding in bindings - booked:
            self._withdraw_entry(state, binding)
        if booked:
            booked.sudo().write({"remote_archived": True})
            for binding in booked:
                state.log_record(
                    ENTITY,
                    "skip",
                    binding.payment_id,
                    binding,
                    direction="push",
                    message=self.env._(
                        "The payment is no longer posted in Odoo, but its entry is booked in "
                        "e-conomic (voucher %(voucher)s): reverse it there.",
                        voucher=binding.voucher_number,
                    ),
                )
        self._commit(state)

    def _withdraw_entry(self, state, binding):
        payment = binding.payment_id
        try:
            with self._record_savepoint(state):
                try:
                    state.client.journals.entries(binding.journal_number).delete(
                        binding.journal_entry_number
                    )
                except NotFoundError:
                    # no longer a draft: booked or deleted there; the look for bookings of
                    # this pass settles the binding, and the next pass says what to do
                    return
                voucher, key = binding.voucher_number, binding.economic_key
                # posted again later, the payment is a new create: never the old answer
                self.env["economic.create.attempt"]._retire(
                    state.backend, ENTITY, payment, binding.id
                )
                binding.sudo().unlink()
                state.counts["archived"] += 1
                state.log_record(
                    ENTITY,
                    "archive",
                    payment,
                    direction="push",
                    economic_key=key,
                    message=self.env._(
                        "The payment is no longer posted in Odoo: its draft entry (voucher "
                        "%(voucher)s) was deleted from the e-conomic journal.",
                        voucher=voucher,
                    ),
                )
        except RECORD_ERRORS as error:
            self._record_error(state, ENTITY, "push", payment, error, binding)

    def _detect_payment_bookings(self, state, bindings):
        bindings = bindings.filtered(
            lambda b: b.doc_state == "draft" and not b.remote_archived and b.journal_entry_number
        )
        if not bindings:
            return
        gone = self.env[BINDING]
        by_journal = defaultdict(lambda: self.env[BINDING])
        for binding in bindings:
            by_journal[binding.journal_number] |= binding
        for journal, group in by_journal.items():
            for chunk in self._split(group, IN_CHUNK):
                live = self._journal_drafts(state, journal, chunk)
                if live is None:
                    continue
                gone |= chunk.filtered(
                    lambda b, live=live: live.get(b.journal_entry_number) != b.voucher_number
                )
        by_year = defaultdict(lambda: self.env[BINDING])
        for binding in gone:
            by_year[binding.year] |= binding
        for year, group in by_year.items():
            for chunk in self._split(group, IN_CHUNK):
                self._settle_gone(state, year, chunk)
        self._commit(state)

    def _journal_drafts(self, state, journal, bindings):
        """``{journal entry number: voucher number}`` of ``bindings``' entries still drafts
        in ``journal``; None if e-conomic could not be asked (logged)."""
        try:
            entries = state.client.journals.entries(journal).iter(
                filter=F("journalEntryNumber").in_(bindings.mapped("journal_entry_number"))
            )
            return {
                entry["journalEntryNumber"]: (entry.get("voucher") or {}).get("voucherNumber")
                for entry in entries
            }
        except EconomicError as error:
            self._record_error(state, ENTITY, "push", bindings[:1].payment_id, error)
            return None

    def _settle_gone(self, state, year, bindings):
        try:
            entries = list(
                state.client.accounting_years.entries(year).iter(
                    filter=and_(
                        F("voucherNumber").in_(bindings.mapped("voucher_number")),
                        F("entryType").eq(ENTRY_TYPE),
                    )
                )
            )
        except EconomicError as error:
            self._record_error(state, ENTITY, "push", bindings[:1].payment_id, error)
            return
        booked = {
            (entry.get("voucherNumber"), (entry.get("customer") or {}).get("customerNumber"))
            for entry in entries
        }
        now = fields.Datetime.now()
        done = bindings.filtered(lambda b: (b.voucher_number, b.customer_number) in booked)
        done.with_context(**{SYNC_WRITE: True}).write(
            {"doc_state": "booked", "last_synced": now, "state": "synced", "last_error": False}
        )
        for binding in done:
            state.counts["updated"] += 1
            state.log_record(
                ENTITY,
                "update",
                binding.payment_id,
                binding,
                direction="push",
                message=self.env._(
                    "Booked in e-conomic: voucher %(year)s-%(voucher)s.",
                    year=year,
                    voucher=binding.voucher_number,
                ),
            )
        deleted = bindings - done
        deleted.with_context(**{SYNC_WRITE: True}).write(
            {"remote_archived": True, "last_synced": now}
        )
        for binding in deleted:
            state.counts["archived"] += 1
            state.log_record(
                ENTITY,
                "archive",
                binding.payment_id,
                binding,
                direction="push",
                message=self.env._(
                    "The draft entry (voucher %(voucher)s) was deleted from e-conomic journal "
                    "%(journal)s: the payment is not sent again by itself.",
                    voucher=binding.voucher_number,
                    journal=binding.journal_number,
                ),
            )
