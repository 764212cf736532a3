"""The documents of a day in e-conomic: the draft invoice to the cash customer (``POST /invoices/
drafts``, replaced with ``PUT`` while it is a draft and still ours) and the finance voucher in
the cash journal (``POST /journals/{n}/vouchers``: one voucher number on every entry; a voucher
cannot be replaced, so its draft entries are deleted and the voucher posted again).

e-conomic gives the number of a draft just booked to the next draft: a draft is ours only while
its reference is the document's. A create whose answer was lost is looked for by its reference
(drafts, then booked invoices) or by its entries' texts (the journal's drafts, then the year's
entries) and bound.
"""

from odoo import fields, models

from ...economic_client import EconomicError, F, NotFoundError, and_
from ...sync_core.shop_day import invoice_lines, voucher_entries
from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import RecordError
from .const import DOCUMENT, ENTITY, ENTRY_TYPE, MAX_REFERENCE, SYNC_WRITE


def _dec_float(value):
    return float(value or 0)


class EconomicSyncShopSend(models.AbstractModel):
    _inherit = "economic.sync.shop"

    # ================================================================== the cash customer
    def _shop_cash_customer(self, state):
        """e-conomic's invoice template of the cash customer (recipient, VAT zone, layout,
        payment terms), read once per pass; raises ``RecordError`` when it does not exist."""
        if not hasattr(state, "shop_cash"):
            number = state.backend.shop_cash_customer
            try:
                state.shop_cash = state.client.customers.invoice_template(number)
            except NotFoundError:
                state.shop_cash = None
                state.shop_notes.append(self._shop_cash_note(state))
        if state.shop_cash is None:
            raise RecordError(self._shop_cash_missing(state))
        return state.shop_cash

    def _shop_cash_missing(self, state):
        return self.env._(
            "The cash customer %(number)s does not exist in e-conomic: create it with Create "
            "Cash Customer on the connection (Shops tab, write-back on), or enter the number "
            "of an existing e-conomic customer there.",
            number=state.backend.shop_cash_customer,
        )

    def _shop_cash_note(self, state):
        return {
            "entity": ENTITY,
            "operation": "error",
            "res_model": "economic.backend",
            "res_id": state.backend.id,
            "record_name": state.backend.display_name,
            "economic_key": str(state.backend.shop_cash_customer),
            "fields": [],
            "message": self._shop_cash_missing(state),
        }

    # ================================================================== payloads
    def _shop_invoice_payload(self, state, doc, content):
        cash = self._shop_cash_customer(state)
        day = doc.day_id
        recipient = dict(cash.get("recipient") or {})
        zone = (recipient.get("vatZone") or {}).get("vatZoneNumber")
        recipient = {
            key: value
            for key, value in recipient.items()
            if key in ("name", "address", "zip", "city", "country", "ean") and value
        }
        recipient["vatZone"] = {"vatZoneNumber": zone}
        terms = cash.get("paymentTerms") or {}
        payload = {
            "date": fields.Date.to_string(day.day),
            "currency": day.currency_code or state.company.currency_id.name,
            "customer": {"customerNumber": state.backend.shop_cash_customer},
            "recipient": recipient,
            "paymentTerms": {"paymentTermsNumber": terms.get("paymentTermsNumber")},
            "layout": {"layoutNumber": (cash.get("layout") or {}).get("layoutNumber")},
            "references": {"other": (doc.reference or "")[:MAX_REFERENCE]},
            "notes": {"heading": (doc.reference or "")[:MAX_REFERENCE]},
            "lines": invoice_lines(content),
        }
        if terms.get("paymentTermsType") == "dueDate":
            payload["dueDate"] = payload["date"]
        return payload

    def _shop_voucher_payload(self, state, doc, content):
        journal = state.backend.shop_journal_id
        day = doc.day_id
        year = self.env["economic.accounting.year"]._economic_year_of(state, day.day)
        entries = voucher_entries(
            content,
            fields.Date.to_string(day.day),
            doc.reference,
            day.currency_code or state.company.currency_id.name,
        )
        number = self._shop_next_voucher(state, journal, year)
        for entry in entries:
            entry["voucher"] = {"voucherNumber": number}
        return {
            "accountingYear": {"year": year},
            "journal": {"journalNumber": journal.journal_number},
            "voucherNumber": number,
            "entries": {"financeVouchers": entries},
        }

    def _shop_next_voucher(self, state, journal, year):
        """The next free voucher number of the journal in ``year``: past its drafts and the
        year's booked vouchers in the journal's range (from its first number to the next
        journal's), read once per pass, then counted on."""
        numbers = state.__dict__.setdefault("shop_vouchers", {})
        key = (journal.journal_number, year)
        if key not in numbers:
            low = journal.min_voucher_number or 1
            above = self.env["economic.journal"].search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("min_voucher_number", ">", low),
                ],
                order="min_voucher_number",
                limit=1,
            )
            high = above.min_voucher_number or 1000000000
            used = [
                (entry.get("voucher") or {}).get("voucherNumber") or 0
                for entry in state.client.journals.entries(journal.journal_number).iter()
                if ((entry.get("voucher") or {}).get("accountingYear") or {}).get("year") == year
            ]
            booked = state.client.accounting_years.entries(year).first(
                filter=and_(F("voucherNumber").gte(low), F("voucherNumber").lt(high)),
                sort="-voucherNumber",
            )
            if booked:
                used.append(booked.get("voucherNumber") or 0)
            numbers[key] = max([low - 1] + [n for n in used if low <= n < high])
        numbers[key] += 1
        return numbers[key]

    # ================================================================== create
    def _shop_create_remote(self, state, doc, plan, key):
        """Create the document in e-conomic with the Idempotency-Key ``key``; the document
        takes the numbers e-conomic answered."""
        content = doc._content()
        if doc.kind == "invoice":
            payload = self._shop_invoice_payload(state, doc, content)
            draft = state.client.draft_invoices.create(payload, idempotency_key=key)
            self._shop_bind_draft(doc, draft)
            return
        payload = self._shop_voucher_payload(state, doc, content)
        # through the vouchers resource (a preview records the create, never sends it)
        answer = state.client.journals.vouchers(payload["journal"]["journalNumber"]).create(
            payload, idempotency_key=key
        )
        self._shop_bind_vouchers(doc, payload, answer)

    def _shop_bind_draft(self, doc, draft, booked=False):
        number = draft.get("draftInvoiceNumber") or False
        vals = {
            "doc_state": "booked" if booked else "draft",
            "draft_number": number if not booked else doc.draft_number,
            "booked_number": draft.get("bookedInvoiceNumber") or False,
            "net_amount": _dec_float(draft.get("netAmount")),
            "vat_amount": _dec_float(draft.get("vatAmount")),
            "gross_amount": _dec_float(draft.get("grossAmount")),
            "state": "synced",
            "last_error": False,
            "last_synced": fields.Datetime.now(),
        }
        vals["economic_key"] = doc._key("invoice", number, vals["booked_number"])
        doc.with_context(**{SYNC_WRITE: True}).write(vals)

    def _shop_bind_vouchers(self, doc, payload, vouchers, booked=False):
        """The voucher's numbers from e-conomic's answer (an array of vouchers; a preview's
        answer is the request itself: no entry numbers)."""
        vouchers = vouchers if isinstance(vouchers, list) else [vouchers]
        entries = [
            e for v in vouchers for e in (v.get("entries") or {}).get("financeVouchers") or []
        ]
        numbers = sorted({e.get("journalEntryNumber") for e in entries} - {None})
        voucher = next(
            (
                n
                for n in [(v.get("voucherNumber")) for v in vouchers]
                + [(e.get("voucher") or {}).get("voucherNumber") for e in entries]
                if n
            ),
            payload.get("voucherNumber"),
        )
        year = payload["accountingYear"]["year"]
        debit = sum(float(e.get("amount") or 0) for e in entries if float(e.get("amount") or 0) > 0)
        doc.with_context(**{SYNC_WRITE: True}).write(
            {
                "doc_state": "booked" if booked else "draft",
                "journal_number": payload["journal"]["journalNumber"],
                "year": year,
                "voucher_number": voucher or False,
                "entry_numbers": ",".join(str(n) for n in numbers) or False,
                "gross_amount": debit,
                "economic_key": doc._key("voucher", year=year, voucher=voucher),
                "state": "synced",
                "last_error": False,
                "last_synced": fields.Datetime.now(),
            }
        )

    # ================================================================== amend and withdraw
    def _shop_draft_still_ours(self, state, doc):
        """The draft at the document's number, if it carries the document's reference (else
        ``NotFoundError``: e-conomic gave the number to another draft, or it is gone)."""
        current = state.client.draft_invoices.get(doc.draft_number)
        if (current.get("references") or {}).get("other") != doc.reference:
            raise NotFoundError("another draft", status=404)
        return current

    def _shop_replace_invoice(self, state, doc, plan):
        """The draft invoice replaced (PUT: lines included) with the day as it is now."""
        content = plan["decision"].content
        try:
            self._shop_draft_still_ours(state, doc)
        except NotFoundError:
            self._shop_settle_gone(state, doc)
            raise RecordError(
                self.env._(
                    "The draft invoice %(number)s of this day is no longer a draft in "
                    "e-conomic (booked or deleted since): the next pass sends what changed.",
                    number=doc.draft_number,
                )
            ) from None
        payload = self._shop_invoice_payload(state, doc, content)
        draft = state.client.draft_invoices.replace(doc.draft_number, payload)
        self._shop_bind_draft(doc, dict(draft, draftInvoiceNumber=doc.draft_number))
        doc.with_context(**{SYNC_WRITE: True}).write({"content": doc._dump(content)})

    def _shop_withdraw(self, state, doc, keep=False):
        """Delete the document's drafts in e-conomic (the invoice draft, if still ours; the
        voucher's draft entries). ``keep``: the document is posted again (a voucher amended):
        it waits for its create, with a new key."""
        if doc.kind == "invoice":
            try:
                self._shop_draft_still_ours(state, doc)
            except NotFoundError:
                self._shop_settle_gone(state, doc)
                raise RecordError(
                    self.env._(
                        "The draft invoice %(number)s of this day is no longer a draft in "
                        "e-conomic: the next pass sends what changed.",
                        number=doc.draft_number,
                    )
                ) from None
            state.client.draft_invoices.delete(doc.draft_number)
        else:
            entries = state.client.journals.entries(doc.journal_number)
            for number in doc._entry_list():
                try:
                    entries.delete(number)
                except NotFoundError:
                    continue  # booked or deleted meanwhile: the look for bookings settles it
        vals = {
            "doc_state": "sending" if keep else "withdrawn",
            "last_synced": fields.Datetime.now(),
        }
        if keep:
            vals.update({"voucher_number": False, "entry_numbers": False, "economic_key": False})
            # posted again, a new key: never e-conomic's replay of the first answer
            self.env["economic.create.attempt"]._retire(
                state.backend, ENTITY, doc, max(doc.attempt, 1)
            )
        doc.with_context(**{SYNC_WRITE: True}).write(vals)

    # ================================================================== lost answers
    def _shop_resume(self, state):
        """Documents whose create may have reached e-conomic (a pending key, no number):
        each found there by its reference or texts is bound; the others wait for their day's
        next create (same key while it is pending)."""
        docs = self.env[DOCUMENT].search(
            [("backend_id", "=", state.backend.id), ("doc_state", "=", "sending")]
        )
        if not docs:
            return
        pending = (
            self.env["economic.create.attempt"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("entity", "=", ENTITY),
                    ("res_model", "=", DOCUMENT),
                    ("res_id", "in", docs.ids),
                    ("state", "=", "pending"),
                ]
            )
        )
        attempts = {a.res_id: a for a in pending}
        for doc in docs.filtered(lambda d: d.id in attempts):
            try:
                with self._record_savepoint(state):
                    found = self._shop_find_sent(state, doc)
                    if found:
                        doc.with_context(**{SYNC_WRITE: True}).write(
                            {"attempt": attempts[doc.id].attempt}
                        )
                        attempts[doc.id].unlink()
                        self._shop_log_found(state, doc)
            except RECORD_ERRORS as error:
                self._record_error(state, ENTITY, "push", doc.day_id, error, binding=doc)
        self._commit(state)

    def _shop_find_sent(self, state, doc):
        """Bind ``doc`` to what an earlier create made in e-conomic; whether it was found."""
        if doc.kind == "invoice":
            customer = state.backend.shop_cash_customer
            drafts = [
                d
                for d in state.client.draft_invoices.iter(
                    filter=F("references.other").eq(doc.reference)
                )
                if (d.get("customer") or {}).get("customerNumber") == customer
                and (d.get("references") or {}).get("other") == doc.reference
            ]
            if drafts:
                self._shop_bind_draft(doc, drafts[0])
                return True
            booked = list(
                state.client.booked_invoices.iter(filter=F("references.other").eq(doc.reference))
            )
            if booked:
                self._shop_bind_draft(doc, booked[0], booked=True)
                return True
            return False
        journal = state.backend.shop_journal_id
        texts = [e["text"] for e in voucher_entries(doc._content(), "", doc.reference, "")]
        if not journal or not texts:
            return False
        drafts = [
            e
            for e in state.client.journals.entries(journal.journal_number).iter(
                filter=F("text").any_of(texts)
            )
            if e.get("entryType") == ENTRY_TYPE and e.get("text") in texts
        ]
        where = {"journal": {"journalNumber": journal.journal_number}}
        if drafts:
            year = ((drafts[0].get("voucher") or {}).get("accountingYear") or {}).get("year")
            where["accountingYear"] = {"year": year}
            self._shop_bind_vouchers(doc, where, [{"entries": {"financeVouchers": drafts}}])
            return True
        # booked in the meantime: the year's entries of those texts
        year = self.env["economic.accounting.year"]._economic_year_of(state, doc.day_id.day)
        booked = [
            e
            for e in state.client.accounting_years.entries(year).iter(
                filter=F("text").any_of(texts)
            )
            if e.get("text") in texts and e.get("entryType") == ENTRY_TYPE
        ]
        if booked:
            where["accountingYear"] = {"year": year}
            self._shop_bind_vouchers(
                doc, where, [{"voucherNumber": booked[0].get("voucherNumber")}], booked=True
            )
            return True
        return False

    def _shop_log_found(self, state, doc):
        state.counts["bound"] += 1
        state.log_record(
            ENTITY,
            "bind",
            doc.day_id,
            doc,
            direction="push",
            message=self.env._(
                "%(document)s was made by an earlier push whose answer was lost: bound, not "
                "sent again.",
                document=doc.display_name,
            ),
        )

    def _shop_settle_gone(self, state, doc):
        """A draft no longer ours: booked (bound to its booking) or deleted in e-conomic."""
        try:
            self._shop_detect_bookings(state, doc, commit=False)
        except EconomicError:
            return
