"""The push of customer payments (issue 17 §3): a posted Odoo customer payment of invoices
booked in e-conomic becomes one draft customer-payment entry per invoice in the connection's
e-conomic journal (``POST /journals/{n}/vouchers``, one request per payment), never booked.

What a payment paid of each invoice comes from Odoo's reconciliation (the partials between the
payment's receivable line and the invoice's, in the invoice's currency); a payment without a
journal entry of its own (Odoo 18 without an outstanding account) is spread over its invoices
in the order they are due, each up to what it still owes. A payment waits while one of its
invoices is an e-conomic draft (booked later, it goes then); invoices not in e-conomic are left
out; a payment of none is not sent. Payments registered by the sync from e-conomic's own
payments (the connection's journal of e-conomic payments) never go back.

Idempotent: the request's Idempotency-Key is stored with an ``economic.create.attempt`` and
committed before the request; a payment whose attempt is pending from an earlier run (an
answer lost) is first looked for in e-conomic by its entries' text (the journal's drafts, then
the year's booked entries), and bound if found.
"""

from collections import defaultdict
from decimal import Decimal

from odoo import fields, models

from ...economic_client import EconomicError, F
from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import IN_CHUNK, RecordError
from .const import BINDING, ENTITY, ENTRY_TYPE, SYNC_WRITE, TEXT_MAX

CENT = Decimal("0.01")


def _dec(value):
    return Decimal(str(value or 0)).quantize(CENT)


class EconomicSyncPaymentPush(models.AbstractModel):
    _inherit = "economic.sync.payment"

    # ================================================================== what to push
    def _push_payments(self, state):
        state.payment_skips = []
        payments = self._payments_to_push(state)
        for batch in self._split(payments, IN_CHUNK):
            self._push_payment_batch(state, batch)
            self._commit(state)

    def _payments_to_push(self, state):
        """Posted inbound customer payments of the connection's company, dated from the chosen
        day, with no binding on the connection (one query)."""
        backend = state.backend
        self.env.flush_all()
        query = """
            SELECT p.id FROM account_payment p
             WHERE p.state IN ('in_process', 'paid') AND p.payment_type = 'inbound'
               AND p.partner_type = 'customer' AND p.company_id = %s
               AND NOT EXISTS (SELECT 1 FROM economic_payment_binding b
                                WHERE b.payment_id = p.id AND b.backend_id = %s)"""
        params = [state.company.id, backend.id]
        if backend.payment_push_from:
            query += " AND p.date >= %s"
            params.append(backend.payment_push_from)
        if backend.invoice_register_payments and backend.invoice_payment_journal_id:
            # the sync's own payments (registered from e-conomic's) never go back
            query += " AND p.journal_id != %s"
            params.append(backend.invoice_payment_journal_id.id)
        self.env.cr.execute(query + " ORDER BY p.id", params)
        payments = self.env["account.payment"].browse([row[0] for row in self.env.cr.fetchall()])
        setting = state.settings[ENTITY]["setting"]
        domain = setting._get_push_domain() if setting else []
        if domain and payments:
            payments = payments.search([("id", "in", payments.ids)] + list(domain), order="id")
        return payments

    def _allocations(self, payments):
        """``{payment id: [(invoice, amount in the invoice's currency)]}``: what each payment
        paid of each customer invoice (two queries for the batch)."""
        out = defaultdict(list)
        if not payments:
            return out
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id, inv.id, SUM(part.debit_amount_currency)
              FROM account_payment p
              JOIN account_move_line pl ON pl.move_id = p.move_id
              JOIN account_account acc ON acc.id = pl.account_id
                                      AND acc.account_type = 'asset_receivable'
              JOIN account_partial_reconcile part ON part.credit_move_id = pl.id
              JOIN account_move_line il ON il.id = part.debit_move_id
              JOIN account_move inv ON inv.id = il.move_id AND inv.move_type = 'out_invoice'
             WHERE p.id IN %s
             GROUP BY p.id, inv.id
             ORDER BY p.id, inv.id""",
            [tuple(payments.ids)],
        )
        Move = self.env["account.move"]
        for payment_id, invoice_id, amount in self.env.cr.fetchall():
            out[payment_id].append((Move.browse(invoice_id), amount))
        moveless = payments.filtered(lambda p: not p.move_id)
        for payment in moveless:
            out[payment.id] = self._spread(payment)
        return out

    def _spread(self, payment):
        """A payment without a journal entry of its own: its amount over its invoices (of its
        currency) in the order they are due, each up to what it still owes."""
        left = payment.amount
        shares = []
        invoices = payment.invoice_ids.filtered(
            lambda m: m.move_type == "out_invoice" and m.currency_id == payment.currency_id
        ).sorted(lambda m: (m.invoice_date_due or m.date, m.id))
        for invoice in invoices:
            share = min(left, invoice.amount_residual)
            if payment.currency_id.compare_amounts(share, 0) > 0:
                shares.append((invoice, share))
                left -= share
        if shares and payment.currency_id.compare_amounts(left, 0) > 0:
            # more than the invoices owe: the rest goes with the last invoice
            invoice, share = shares[-1]
            shares[-1] = (invoice, share + left)
        return shares

    # ================================================================== one batch
    def _push_payment_batch(self, state, payments):
        """Build the request of each payment of ``payments`` (skipping those with nothing to
        send yet), then send them, each with its stored key."""
        allocations = self._allocations(payments)
        invoices = self.env["account.move"].union(
            *(invoice for shares in allocations.values() for invoice, _amount in shares)
        )
        bound = {
            b.move_id.id: b
            for b in self.env["economic.invoice.binding"].search(
                [("backend_id", "=", state.backend.id), ("move_id", "in", invoices.ids)]
            )
        }
        customers = self._customer_numbers(state, invoices.commercial_partner_id)
        requests = {}
        for payment in payments:
            try:
                request = self._payment_request(
                    state, payment, allocations.get(payment.id, []), bound, customers
                )
            except RECORD_ERRORS as error:
                self._record_error(state, ENTITY, "push", payment, error)
                continue
            if request:
                requests[payment.id] = request
        if requests:
            self._send_payments(state, payments.browse(list(requests)), requests)

    def _customer_numbers(self, state, partners):
        return {
            b.partner_id.id: b.economic_number
            for b in self.env["economic.partner.binding"].search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", "customer"),
                    ("partner_id", "in", partners.ids),
                    ("remote_archived", "=", False),
                ]
            )
        }

    def _skip(self, state, payment, message):
        state.payment_skips.append(
            {
                "entity": ENTITY,
                "operation": "skip",
                "res_model": "account.payment",
                "res_id": payment.id,
                "record_name": payment.display_name,
                "economic_key": False,
                "fields": [],
                "message": message,
            }
        )

    def _payment_request(self, state, payment, shares, bound, customers):
        """The ``POST /journals/{n}/vouchers`` body of one payment, or None (skipped, with
        why in the preview)."""
        _ = self.env._
        booked, waiting, outside, paid_there = [], [], [], []
        for invoice, amount in shares:
            binding = bound.get(invoice.id)
            if not binding:
                outside.append(invoice)
            elif binding.doc_state != "booked" or not binding.booked_number:
                waiting.append(invoice)
            elif not binding.remainder and binding.gross_amount:
                paid_there.append(invoice)
            else:
                booked.append((invoice, binding, amount))
        if paid_there:
            # paid in e-conomic already (its remainder as last read): a second payment there
            # would leave the customer a credit balance
            self._skip(
                state,
                payment,
                _(
                    "Not sent: e-conomic says %(invoices)s is paid already (no remainder). "
                    "Register e-conomic's payment in Odoo instead (Invoices tab: Register "
                    "e-conomic Payments), or check the payments in e-conomic.",
                    invoices=", ".join(invoice.name for invoice in paid_there),
                ),
            )
            return None
        if waiting:
            self._skip(
                state,
                payment,
                _(
                    "Waits until %(invoices)s are booked in e-conomic (drafts there now): "
                    "a payment goes with the booked invoice it pays.",
                    invoices=", ".join(invoice.name for invoice in waiting),
                ),
            )
            return None
        if not booked:
            self._skip(
                state,
                payment,
                _("Not sent: it pays no invoice booked in e-conomic.")
                if outside or not shares
                else _("Not sent: it is reconciled with no customer invoice."),
            )
            return None
        journal = state.backend.payment_journal_id
        if not journal:
            raise RecordError(
                _(
                    "Choose the e-conomic journal of customer payments on the connection "
                    "(Invoices tab) before payments are sent."
                )
            )
        year = self.env["economic.accounting.year"]._economic_year_of(state, payment.date)
        entries = []
        for invoice, binding, amount in booked:
            customer = customers.get(invoice.commercial_partner_id.id)
            if not customer:
                raise RecordError(
                    _(
                        "The customer %(partner)s of invoice %(invoice)s is not bound to an "
                        "e-conomic customer on this connection.",
                        partner=invoice.commercial_partner_id.display_name,
                        invoice=invoice.name,
                    )
                )
            entries.append(
                {
                    "customer": {"customerNumber": customer},
                    "customerInvoice": binding.booked_number,
                    # e-conomic credits the customer with a positive customer payment
                    "amount": float(_dec(amount)),
                    "currency": {"code": invoice.currency_id.name},
                    "date": fields.Date.to_string(payment.date),
                    "text": self._entry_text(payment, binding.booked_number),
                }
            )
        return {
            "accountingYear": {"year": year},
            "journal": {"journalNumber": journal.journal_number},
            "entries": {"customerPayments": entries},
        }

    def _entry_text(self, payment, invoice_number):
        return ("%s %s" % (payment.name, self.env._("invoice %s", invoice_number)))[:TEXT_MAX]

    # ================================================================== sending
    def _send_payments(self, state, payments, requests):
        """Send each request with its Idempotency-Key, stored and committed before the first
        request; a payment whose earlier request may have reached e-conomic is looked for
        there first."""
        Attempt = self.env["economic.create.attempt"]
        pending = Attempt.sudo().search(
            [
                ("backend_id", "=", state.backend.id),
                ("entity", "=", ENTITY),
                ("res_model", "=", "account.payment"),
                ("res_id", "in", payments.ids),
                ("state", "=", "pending"),
            ]
        )
        resumed = set(pending.mapped("res_id"))
        attempts = Attempt._prepare(state.backend, ENTITY, payments)
        # the keys are stored before the first request
        self._commit(state)
        for payment in payments:
            request = requests[payment.id]
            attempt = attempts[payment.id]
            if payment.id in resumed:
                found = self._find_sent_entries(state, payment, request)
                if found is False:
                    continue
                if found:
                    self._bind_found(state, payment, request, found, attempt)
                    continue
            self._post_payment(state, payment, request, attempt)

    def _post_payment(self, state, payment, request, attempt):
        journal = request["journal"]["journalNumber"]

        def send(key):
            answer = state.client.journals.vouchers(journal).create(request, idempotency_key=key)
            vouchers = answer if isinstance(answer, list) else [answer]
            return self._bind_vouchers(state, payment, request, vouchers)

        bindings = self._economic_create_once(state, ENTITY, payment, attempt, send)
        if not bindings:
            return False
        state.log_record(
            ENTITY,
            "create",
            payment,
            bindings[:1],
            direction="push",
            message=self.env._(
                "Draft customer payment in e-conomic journal %(journal)s, vouchers %(vouchers)s "
                "(not booked).",
                journal=journal,
                vouchers=", ".join(str(b.voucher_number or "-") for b in bindings),
            ),
        )
        state.resolve(ENTITY, "push", payment.id, None)
        return bindings

    def _bind_vouchers(self, state, payment, request, vouchers):
        """One binding per invoice paid, from the vouchers e-conomic answered (a preview's
        answer is the request itself: no numbers)."""
        year = request["accountingYear"]["year"]
        journal = request["journal"]["journalNumber"]
        made = {}
        for voucher in vouchers:
            for entry in (voucher.get("entries") or {}).get("customerPayments") or []:
                made.setdefault(entry.get("customerInvoice"), (voucher, entry))
        invoices = self._invoices_of(state, request)
        vals_list = []
        for sent in request["entries"]["customerPayments"]:
            number = sent["customerInvoice"]
            voucher, entry = made.get(number, ({}, {}))
            vals_list.append(
                {
                    "backend_id": state.backend.id,
                    "payment_id": payment.id,
                    "invoice_id": invoices[number].id,
                    "invoice_number": number,
                    "customer_number": sent["customer"]["customerNumber"],
                    "journal_number": journal,
                    "year": year,
                    "voucher_number": voucher.get("voucherNumber")
                    or (entry.get("voucher") or {}).get("voucherNumber")
                    or False,
                    "journal_entry_number": entry.get("journalEntryNumber") or False,
                    "economic_key": self._voucher_key(year, voucher, entry),
                    "doc_state": "draft",
                    "amount": sent["amount"],
                    "currency_code": sent["currency"]["code"],
                    "date": sent["date"],
                    "text": sent["text"],
                    "state": "synced",
                    "last_synced": fields.Datetime.now(),
                }
            )
        return self.env[BINDING].sudo().with_context(**{SYNC_WRITE: True}).create(vals_list)

    @staticmethod
    def _voucher_key(year, voucher, entry):
        number = voucher.get("voucherNumber") or (entry.get("voucher") or {}).get("voucherNumber")
        return "%s-%s" % (year, number) if number else False

    def _invoices_of(self, state, request):
        numbers = [e["customerInvoice"] for e in request["entries"]["customerPayments"]]
        return {
            b.booked_number: b.move_id
            for b in self.env["economic.invoice.binding"].search(
                [("backend_id", "=", state.backend.id), ("booked_number", "in", numbers)]
            )
        }

    # ------------------------------------------------------------------ unconfirmed requests
    def _find_sent_entries(self, state, payment, request):
        """The entries an earlier request of ``payment`` made, looked for by their text: the
        journal's drafts, then the year's booked entries (booked in the meantime). Returns a
        list of vouchers as e-conomic answers them (one per entry found), None if none was
        made, False if the look-up failed (logged)."""
        journal = request["journal"]["journalNumber"]
        year = request["accountingYear"]["year"]
        texts = [e["text"] for e in request["entries"]["customerPayments"]]
        try:
            drafts = list(
                state.client.journals.entries(journal).iter(filter=F("text").any_of(texts))
            )
            booked = []
            if len(drafts) < len(texts):
                booked = list(
                    state.client.accounting_years.entries(year).iter(filter=F("text").any_of(texts))
                )
        except EconomicError as error:
            self._record_error(state, ENTITY, "push", payment, error)
            return False
        vouchers = []
        for entry in drafts:
            if entry.get("entryType") == ENTRY_TYPE and entry.get("text") in texts:
                vouchers.append(
                    {
                        "voucherNumber": entry["voucher"]["voucherNumber"],
                        "entries": {"customerPayments": [entry]},
                    }
                )
        for entry in booked:
            if entry.get("entryType") == ENTRY_TYPE and entry.get("customer"):
                vouchers.append(
                    {
                        "voucherNumber": entry.get("voucherNumber"),
                        "booked": True,
                        "entries": {
                            "customerPayments": [
                                dict(
                                    entry,
                                    customerInvoice=self._invoice_of_text(
                                        request, entry.get("text")
                                    ),
                                )
                            ]
                        },
                    }
                )
        return vouchers or None

    @staticmethod
    def _invoice_of_text(request, text):
        for sent in request["entries"]["customerPayments"]:
            if sent["text"] == text:
                return sent["customerInvoice"]
        return None

    def _bind_found(self, state, payment, request, vouchers, attempt):
        try:
            with self._record_savepoint(state):
                bindings = self._bind_vouchers(state, payment, request, vouchers)
                booked = {v["voucherNumber"] for v in vouchers if v.get("booked")}
                bindings.filtered(lambda b: b.voucher_number in booked).write(
                    {"doc_state": "booked", "journal_entry_number": False}
                )
                attempt.sudo().unlink()
        except RECORD_ERRORS as error:
            self._record_error(state, ENTITY, "push", payment, error)
            return False
        state.counts["bound"] += 1
        state.log_record(
            ENTITY,
            "bind",
            payment,
            bindings[:1],
            direction="push",
            message=self.env._(
                "The entries of an earlier request whose answer was lost were found in "
                "e-conomic (vouchers %s): bound, not sent again.",
                ", ".join(str(b.voucher_number or "-") for b in bindings),
            ),
        )
        return bindings
