"""Odoo customer payments pushed as e-conomic draft customer-payment entries (issue 17 §3):
one entry per invoice paid in the chosen journal, with the customer, amount, currency, date and
booked invoice; nothing sent twice, nothing with write-back off; a lost answer makes one entry;
a partial and a foreign-currency payment; the journal's booking followed; payments of invoices
not booked in e-conomic skipped with a reason in the preview."""

from unittest.mock import patch

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .invoice_common import InvoiceCase

BINDING = "economic.payment.binding"
#: the sandbox's journals: 1 takes any entry, 2 only customer payments, 3 only finance vouchers
ANY, PAYMENTS, FINANCE = 1, 2, 3


@tagged("post_install", "-at_install")
class TestSyncPayments(InvoiceCase):
    def setUp(self):
        super().setUp()
        # accounting years, customers, products, journals, then two invoices booked in e-conomic
        self.run_pass(entities=["account", "customer", "product", "journal_entry"])
        self.numbers = [
            self.book_new(1, [("1", 2, "100")])["bookedInvoiceNumber"],
            self.book_new(1, [("1", 1, "80")])["bookedInvoiceNumber"],
        ]
        self.pull()
        self.journals = {n: self.economic_journal(n) for n in (ANY, PAYMENTS, FINANCE)}
        self.backend.write({"write_back": True, "payment_journal_id": self.journals[PAYMENTS].id})
        self.setting("payment").write({"push": True, "strategy": "local_wins"})
        self.bank = self.bank_journal()
        self.today = fields.Date.context_today(self.backend)

    # ------------------------------------------------------------------ helpers
    def economic_journal(self, number):
        """The e-conomic journal ``number`` as the journal entries' pull mirrors it."""
        journal = self.env["economic.journal"].search(
            [("backend_id", "=", self.backend.id), ("journal_number", "=", number)]
        )
        self.assertEqual(len(journal), 1)
        return journal

    def bank_journal(self):
        """A bank journal whose payments have a journal entry (an outstanding receipts
        account), so that they are reconciled with the invoices they pay."""
        company = self.env.company
        Journal = self.env["account.journal"]
        bank = Journal.search([*Journal._check_company_domain(company), ("type", "=", "bank")])[:1]
        outstanding = self.env["account.account"].create(
            {
                "name": "Outstanding Receipts (test)",
                "code": "101999",
                "account_type": "asset_current",
                "reconcile": True,
            }
        )
        bank.inbound_payment_method_line_ids[:1].payment_account_id = outstanding
        return bank

    def pay(self, moves, amount=None, currency=None, group=True):
        vals = {"journal_id": self.bank.id, "payment_date": fields.Date.context_today(self.bank)}
        if amount is not None:
            vals["amount"] = amount
        if currency:
            vals["currency_id"] = currency.id
        if len(moves) > 1:
            vals["group_payment"] = group
        return (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=moves.ids)
            .create(vals)
            ._create_payments()
        )

    def push(self):
        return self.run_pass(entities=["payment"])

    def drafts(self, journal=PAYMENTS):
        with self.client() as client:
            return client.journals.entries(journal).list()

    def bindings(self, payment):
        return self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("payment_id", "=", payment.id)]
        )

    def voucher_posts(self):
        return [
            r
            for r in self.requests_log()
            if r["method"] == "POST" and r["path"].startswith("/journals/")
        ]

    # ------------------------------------------------------------------ tests
    def test_payment_becomes_one_draft_entry_then_nothing_more(self):
        invoice = self.move(self.numbers[0])
        payment = self.pay(invoice)
        self.assertIn(payment.state, ("in_process", "paid"))
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(result["created"], 1)
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        entry = drafts[0]
        self.assertEqual(entry["entryType"], "customerPayment")
        self.assertEqual(entry["customer"]["customerNumber"], 1)
        self.assertEqual(entry["customerInvoice"], self.numbers[0])
        self.assertEqual(round(float(entry["amount"]), 2), round(invoice.amount_total, 2))
        self.assertEqual(entry["currency"]["code"], "DKK")
        self.assertEqual(entry["date"], fields.Date.to_string(payment.date))
        self.assertIn(payment.name, entry["text"])
        self.assertIn(str(self.numbers[0]), entry["text"])
        posts = self.voucher_posts()
        self.assertEqual(len(posts), 1)
        self.assertTrue(posts[0]["idempotency_key"])
        binding = self.bindings(payment)
        self.assertEqual(len(binding), 1)
        self.assertEqual(
            (binding.invoice_id, binding.journal_number, binding.voucher_number, binding.doc_state),
            (invoice, PAYMENTS, entry["voucher"]["voucherNumber"], "draft"),
        )
        self.assertEqual(binding.journal_entry_number, entry["journalEntryNumber"])
        self.assertEqual(payment.economic_payment_state, "draft")
        self.assertFalse(self.env["economic.create.attempt"].search([("res_id", "=", payment.id)]))
        # the next passes send nothing
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.voucher_posts())
        self.assertEqual(len(self.drafts()), 1)

    def test_booking_the_journal_books_the_binding(self):
        payment = self.pay(self.move(self.numbers[0]))
        self.push()
        binding = self.bindings(payment)
        self.admin("POST", "/journals/book", {"journal": PAYMENTS})
        self.assertFalse(self.drafts())
        self.push()
        self.assertEqual(binding.doc_state, "booked")
        self.assertFalse(binding.remote_archived)
        self.assertEqual(payment.economic_payment_state, "booked")
        self.assertTrue(self.logs(operation="update", res_id=payment.id, entity="payment"))

    def test_deleted_draft_is_said_not_sent_again(self):
        payment = self.pay(self.move(self.numbers[0]))
        self.push()
        binding = self.bindings(payment)
        with self.client() as client:
            client.journals.entries(PAYMENTS).delete(binding.journal_entry_number)
        self.push()
        self.assertTrue(binding.remote_archived)
        self.assertEqual(payment.economic_payment_state, "deleted")
        self.clear_requests()
        self.push()
        self.assertFalse(self.voucher_posts())

    def test_write_back_or_push_off_sends_nothing(self):
        payment = self.pay(self.move(self.numbers[0]))
        self.backend.write_back = False
        self.clear_requests()
        self.push()
        self.assertFalse(self.voucher_posts())
        self.backend.write_back = True
        self.setting("payment").push = False
        self.push()
        self.assertFalse(self.voucher_posts())
        self.assertFalse(self.drafts())
        self.assertFalse(self.bindings(payment))

    def test_lost_answer_makes_one_entry(self):
        payment = self.pay(self.move(self.numbers[0]))
        path = "/journals/%s/vouchers" % PAYMENTS
        self.sandbox.add_fault("drop_after_commit", path=path, method="POST", times=1)
        self.sandbox.add_fault("error", path=path, method="POST", status=503, times=20)
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        self.assertFalse(self.bindings(payment))
        self.assertEqual(len(self.drafts()), 1, "e-conomic made it")
        self.admin("DELETE", "/faults")
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.voucher_posts(), "found in the journal, not sent again")
        drafts = self.drafts()
        self.assertEqual(len(drafts), 1)
        binding = self.bindings(payment)
        self.assertEqual(binding.voucher_number, drafts[0]["voucher"]["voucherNumber"])
        self.assertFalse(self.env["economic.create.attempt"].search([("res_id", "=", payment.id)]))
        self.assertTrue(self.logs(operation="bind", res_id=payment.id))

    def test_lost_answer_replayed_by_its_key(self):
        payment = self.pay(self.move(self.numbers[0]))
        path = "/journals/%s/vouchers" % PAYMENTS
        self.sandbox.add_fault("drop_after_commit", path=path, method="POST", times=1)
        self.clear_requests()
        self.push()
        posts = self.voucher_posts()
        self.assertEqual(len({p["idempotency_key"] for p in posts}), 1, posts)
        self.assertEqual(len(self.drafts()), 1)
        self.assertEqual(len(self.bindings(payment)), 1)

    def test_partial_payment_and_two_invoices(self):
        first, second = self.move(self.numbers[0]), self.move(self.numbers[1])
        partial = self.pay(first, amount=100.0)
        self.push()
        self.assertEqual(self.bindings(partial).amount, 100.0)
        both = self.pay(first | second)
        self.clear_requests()
        self.push()
        self.assertEqual(len(self.voucher_posts()), 1, "one request for the payment")
        bindings = self.bindings(both)
        self.assertEqual(
            sorted((b.invoice_number, b.amount) for b in bindings),
            sorted(
                [
                    (self.numbers[0], round(first.amount_total - 100.0, 2)),
                    (self.numbers[1], round(second.amount_total, 2)),
                ]
            ),
        )
        amounts = sorted(
            (d["customerInvoice"], round(float(d["amount"]), 2)) for d in self.drafts()
        )
        self.assertEqual(len(amounts), 3)
        self.assertIn((self.numbers[0], 100.0), amounts)

    def test_foreign_currency_invoice(self):
        number = self.book_new(1, [("1", 1, "50")], currency="EUR")["bookedInvoiceNumber"]
        self.pull()
        invoice = self.move(number)
        self.assertEqual(invoice.currency_id, self.eur)
        payment = self.pay(invoice, currency=self.eur)
        self.push()
        entry = [d for d in self.drafts() if d["customerInvoice"] == number]
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry[0]["currency"]["code"], "EUR")
        self.assertEqual(round(float(entry[0]["amount"]), 2), round(invoice.amount_total, 2))
        self.assertEqual(self.bindings(payment).currency_code, "EUR")

    def odoo_invoice(self, price):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner("customer", 1).id,
                "currency_id": self.dkk.id,
                "invoice_line_ids": [
                    Command.create({"name": "Odoo only", "quantity": 1, "price_unit": price})
                ],
            }
        )
        move.action_post()
        return move

    def test_unbound_and_draft_invoices_are_skipped_with_a_reason(self):
        unbound = self.pay(self.odoo_invoice(40.0))
        drafted = self.odoo_invoice(60.0)
        # an invoice pushed as an e-conomic draft, not booked yet
        binding = (
            self.env["economic.invoice.binding"]
            .sudo()
            .create(
                {
                    "backend_id": self.backend.id,
                    "move_id": drafted.id,
                    "doc_state": "draft",
                    "draft_number": 9001,
                }
            )
        )
        waiting = self.pay(drafted)
        lines = self.engine._preview_push(self.backend, ["payment"])
        reasons = {line["res_id"]: line["message"] for line in lines if line["operation"] == "skip"}
        self.assertIn("no invoice booked in e-conomic", reasons[unbound.id])
        self.assertIn("Waits until %s" % drafted.name, reasons[waiting.id])
        self.assertFalse([line for line in lines if line["operation"] != "skip"])
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        self.assertFalse(self.voucher_posts())
        self.assertFalse(self.bindings(unbound) | self.bindings(waiting))
        # booked since: the waiting payment goes with the booked invoice
        booked = self.book_new(1, [("1", 1, "48")])["bookedInvoiceNumber"]
        binding.write({"doc_state": "booked", "booked_number": booked})
        self.push()
        self.assertEqual(self.bindings(waiting).invoice_number, booked)
        self.assertFalse(self.bindings(unbound))

    def test_invoice_paid_in_economic_already_is_not_paid_twice(self):
        """e-conomic says the invoice is paid (its remainder read by the invoice pull): an Odoo
        payment of it is not sent (it would leave the customer a credit balance there); the
        preview and the log say why."""
        number = self.numbers[0]
        invoice = self.move(number)
        self.admin(
            "POST", "/payments", {"bookedInvoiceNumber": number, "amount": invoice.amount_total}
        )
        self.pull()
        self.assertFalse(self.inv_binding(number).remainder)
        payment = self.pay(invoice)
        lines = self.engine._preview_push(self.backend, ["payment"])
        reasons = {line["res_id"]: line["message"] for line in lines if line["operation"] == "skip"}
        self.assertIn("paid already", reasons[payment.id])
        self.clear_requests()
        self.push()
        self.assertFalse(self.voucher_posts())
        self.assertFalse(self.bindings(payment))
        # Push Now on the payment says why
        with self.assertRaisesRegex(UserError, "paid already"):
            payment.action_economic_push()
        self.assertFalse(self.voucher_posts())

    def test_payment_reset_in_odoo_withdraws_its_draft(self):
        """A payment reset to draft in Odoo after it was sent: its draft entry is deleted from
        the e-conomic journal and the binding goes; posted again, it is sent again (once). A
        payment whose entry is booked already is left to the bookkeeper, said in the log."""
        invoice = self.move(self.numbers[0])
        payment = self.pay(invoice)
        self.push()
        self.assertEqual(len(self.drafts()), 1)
        payment.action_draft()
        self.clear_requests()
        self.assertEqual(self.push()["state"], "done")
        self.assertFalse(self.drafts())
        self.assertFalse(self.bindings(payment))
        deletes = [r for r in self.requests_log() if r["method"] == "DELETE"]
        self.assertEqual(len(deletes), 1)
        self.assertTrue(
            self.logs(entity="payment", operation="archive").filtered(
                lambda line: line.res_id == payment.id
            )
        )
        payment.action_post()
        # Odoo does not reconcile a payment posted again: the accountant assigns it again
        line = payment.move_id.line_ids.filtered(
            lambda item: item.account_id
            == invoice.line_ids.filtered(
                lambda inv_line: inv_line.display_type == "payment_term"
            ).account_id
        )
        invoice.js_assign_outstanding_line(line.id)
        self.push()
        self.push()
        self.assertEqual(len(self.drafts()), 1)
        self.assertEqual(len(self.bindings(payment)), 1)
        # booked by the bookkeeper, then cancelled in Odoo: nothing deleted, the log says so
        self.admin("POST", "/journals/book", {"journal": PAYMENTS})
        self.push()
        self.assertEqual(self.bindings(payment).doc_state, "booked")
        payment.action_draft()
        payment.action_cancel()
        self.clear_requests()
        self.push()
        self.assertFalse([r for r in self.requests_log() if r["method"] == "DELETE"])
        self.assertTrue(
            self.logs(entity="payment", operation="skip").filtered(
                lambda line: "reverse it there" in (line.message or "")
            )
        )

    def test_payment_without_journal_entry_is_spread_over_its_invoices(self):
        """Odoo 18 with Enterprise's accounting makes no journal entry for a payment of a
        bank journal without an outstanding account (Community always makes one): what it paid
        of each invoice is its amount, in due order."""
        bank = self.env["account.journal"].create(
            {"name": "Bank without outstanding", "type": "bank", "code": "BNKX"}
        )
        bank.inbound_payment_method_line_ids.payment_account_id = False
        first, second = self.move(self.numbers[0]), self.move(self.numbers[1])
        with patch.object(
            self.registry["account.move"],
            "_get_invoice_in_payment_state",
            lambda move: "in_payment",
        ):
            payment = (
                self.env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=(first | second).ids)
                .create({"journal_id": bank.id, "group_payment": True})
                ._create_payments()
            )
        self.assertFalse(payment.move_id)
        self.push()
        self.assertEqual(
            sorted((b.invoice_id.id, b.amount) for b in self.bindings(payment)),
            sorted([(first.id, first.amount_total), (second.id, second.amount_total)]),
        )
        self.assertEqual(len(self.drafts()), 2)

    def test_preview_lists_the_entry_and_sends_nothing(self):
        payment = self.pay(self.move(self.numbers[0]))
        self.clear_requests()
        lines = self.engine._preview_push(self.backend, ["payment"])
        self.assertEqual(
            [(line["operation"], line["res_id"]) for line in lines], [("create", payment.id)]
        )
        self.assertFalse(self.voucher_posts())
        self.assertFalse(self.bindings(payment))

    def test_push_now_on_the_payment(self):
        self.setting("payment").push = False
        payment = self.pay(self.move(self.numbers[0]))
        self.setting("payment").push = True
        payment.action_economic_push()
        self.assertEqual(len(self.bindings(payment)), 1)
        self.assertEqual(len(self.drafts()), 1)

    def test_only_journals_that_accept_customer_payments_are_offered(self):
        domain = safe_eval(
            self.backend._fields["payment_journal_id"].domain, {"id": self.backend.id}
        )
        offered = self.env["economic.journal"].search(domain)
        self.assertIn(self.journals[ANY], offered)
        self.assertIn(self.journals[PAYMENTS], offered)
        self.assertNotIn(self.journals[FINANCE], offered)
        with self.assertRaises(ValidationError):
            self.backend.payment_journal_id = self.journals[FINANCE]

    def test_no_journal_chosen_is_a_clear_error(self):
        self.backend.payment_journal_id = False
        payment = self.pay(self.move(self.numbers[0]))
        result = self.push()
        self.assertEqual(result["state"], "partial")
        line = self.logs(operation="error", res_id=payment.id)
        self.assertIn("Choose the e-conomic journal", line.message)
