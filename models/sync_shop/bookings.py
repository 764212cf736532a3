"""The bookkeeper books the day's drafts in e-conomic: each pass (and a day's Refresh) looks for
the drafts of the connection's documents, the way the invoice package follows its drafts:

- draft invoices: the connection's drafts at their numbers (one listing); a draft there with
  the document's reference is still ours; the others are looked for among the booked invoices
  by their references (one listing): found, the document is booked; not found, it was deleted
  in e-conomic (the day is not sent again by itself: Push Now sends it again);
- vouchers: the journal's draft entries at their entry numbers (one listing per journal); a
  voucher none of whose entries is left is looked for among the year's booked finance vouchers
  by its number: found, booked; else deleted.
"""

from collections import defaultdict

from odoo import fields, models

from ...economic_client import EconomicError, F, and_
from ..economic_sync_state import IN_CHUNK
from .const import DOCUMENT, ENTITY, ENTRY_TYPE, SYNC_WRITE


class EconomicSyncShopBookings(models.AbstractModel):
    _inherit = "economic.sync.shop"

    def _shop_open_documents(self, state, days=None):
        domain = [("backend_id", "=", state.backend.id), ("doc_state", "=", "draft")]
        if days is not None:
            domain.append(("day_id", "in", days.ids))
        return self.env[DOCUMENT].search(domain, order="id")

    def _shop_detect_bookings(self, state, docs, commit=True):
        """Settle the documents ``docs`` (drafts) booked or deleted in e-conomic since."""
        docs = docs.filtered(lambda d: d.doc_state == "draft")
        if not docs:
            return
        try:
            invoices = docs.filtered(lambda d: d.kind == "invoice" and d.draft_number)
            for chunk in self._split(invoices, IN_CHUNK):
                self._shop_invoice_bookings(state, chunk)
            vouchers = docs.filtered(lambda d: d.kind == "voucher" and d.entry_numbers)
            by_journal = defaultdict(lambda: self.env[DOCUMENT])
            for doc in vouchers:
                by_journal[doc.journal_number] |= doc
            for journal, group in by_journal.items():
                for chunk in self._split(group, IN_CHUNK):
                    self._shop_voucher_bookings(state, journal, chunk)
        except EconomicError as error:
            if not commit:
                raise
            state.log(
                entity=ENTITY,
                direction="push",
                operation="error",
                state="failed",
                message=self.env._(
                    "The bookings of the days' drafts could not be looked for in e-conomic "
                    "(the next pass looks again): %s",
                    self._error_text(state.backend, error),
                ),
            )
            return
        days = docs.day_id
        for day in days:
            self._shop_refresh_day_state(day)
        if commit:
            self._commit(state)

    def _shop_invoice_bookings(self, state, docs):
        live = {
            draft["draftInvoiceNumber"]: draft
            for draft in state.client.draft_invoices.iter(
                filter=F("draftInvoiceNumber").in_(docs.mapped("draft_number"))
            )
        }
        gone = docs.filtered(
            lambda d: ((live.get(d.draft_number) or {}).get("references") or {}).get("other")
            != d.reference
        )
        if not gone:
            return
        booked = {
            (invoice.get("references") or {}).get("other"): invoice
            for invoice in state.client.booked_invoices.iter(
                filter=F("references.other").any_of(sorted(set(gone.mapped("reference"))))
            )
        }
        for doc in gone:
            invoice = booked.get(doc.reference)
            if invoice:
                self._shop_booked(state, doc, booked_number=invoice.get("bookedInvoiceNumber"))
            else:
                self._shop_deleted(state, doc)

    def _shop_voucher_bookings(self, state, journal, docs):
        numbers = [n for doc in docs for n in doc._entry_list()]
        present = {
            entry["journalEntryNumber"]
            for entry in state.client.journals.entries(journal).iter(
                filter=F("journalEntryNumber").in_(numbers)
            )
        }
        gone = docs.filtered(lambda d: not present.intersection(d._entry_list()))
        by_year = defaultdict(lambda: self.env[DOCUMENT])
        for doc in gone:
            by_year[doc.year] |= doc
        for year, group in by_year.items():
            booked = {
                entry.get("voucherNumber")
                for entry in state.client.accounting_years.entries(year).iter(
                    filter=and_(
                        F("voucherNumber").in_(group.mapped("voucher_number")),
                        F("entryType").eq(ENTRY_TYPE),
                    )
                )
            }
            for doc in group:
                if doc.voucher_number in booked:
                    self._shop_booked(state, doc)
                else:
                    self._shop_deleted(state, doc)

    def _shop_booked(self, state, doc, booked_number=None):
        vals = {"doc_state": "booked", "last_synced": fields.Datetime.now(), "state": "synced"}
        if booked_number:
            vals.update({"booked_number": booked_number, "economic_key": str(booked_number)})
        doc.with_context(**{SYNC_WRITE: True}).write(vals)
        state.counts["updated"] += 1
        state.log_record(
            ENTITY,
            "update",
            doc.day_id,
            doc,
            direction="push",
            message=self.env._("Booked in e-conomic: %s.", doc.display_name),
        )

    def _shop_deleted(self, state, doc):
        doc.with_context(**{SYNC_WRITE: True}).write(
            {"doc_state": "deleted", "remote_archived": True, "last_synced": fields.Datetime.now()}
        )
        state.counts["archived"] += 1
        state.log_record(
            ENTITY,
            "archive",
            doc.day_id,
            doc,
            direction="push",
            message=self.env._(
                "%(document)s was deleted in e-conomic: the day is not sent again by itself "
                "(Push Now on the day sends it again).",
                document=doc.display_name,
            ),
        )

    def _shop_refresh_day_state(self, day):
        """The day's state after its documents changed (booked, deleted), unless it waits
        with an error."""
        if day.state in ("error", "pending"):
            return
        live = day.document_ids.filtered(lambda d: d.doc_state in ("draft", "booked"))
        new = self._shop_day_state(day, live, True)
        if new != day.state:
            day.with_context(**{SYNC_WRITE: True}).write({"state": new})
