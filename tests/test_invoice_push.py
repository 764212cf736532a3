"""Odoo invoices and credit notes pushed as e-conomic drafts (issue 8 §3): right signs and
amounts, the booking bound back and locked, an edit before booking replacing the draft, a lost
create answer making one draft, nothing sent with write-back off, a deleted draft handled by the
strategy. Nothing is ever booked by the sync."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .invoice_common import BINDING, InvoiceCase


class InvoicePushCase(InvoiceCase):
    def setUp(self):
        super().setUp()
        # customers and products bound first (the invoice pull is not needed for the push)
        self.run_pass(entities=["customer", "product"])
        self.journal = self.env["account.journal"].create(
            {"name": "Sales to e-conomic", "code": "TOECO", "type": "sale"}
        )
        self.backend.write(
            {"write_back": True, "invoice_push_journal_ids": [Command.set(self.journal.ids)]}
        )
        for entity in ("invoice", "credit_note"):
            self.setting(entity).write({"push": True, "strategy": "economic_wins"})
        self.customer = self.partner("customer", 1)
        self.shirt = self.product_of("1")
        self.consulting = self.product_of("50")

    # ------------------------------------------------------------------ helpers
    def product_of(self, number):
        return (
            self.env["economic.product.binding"]
            .search([("backend_id", "=", self.backend.id), ("economic_key", "=", number)])
            .product_id
        )

    def new_move(self, move_type="out_invoice", lines=None, post=True):
        lines = lines or [(self.shirt, 2, 100.0, 0.0), (self.consulting, 1, 33.333, 10.0)]
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.customer.id,
                "journal_id": self.journal.id,
                "currency_id": self.dkk.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "discount": discount,
                            "tax_ids": [Command.set(self.tax25.ids)],
                        }
                    )
                    for product, quantity, price, discount in lines
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def push(self):
        return self.run_pass(entities=["invoice", "credit_note"])

    def binding_of(self, record):
        field = "move_id" if record._name == "account.move" else "sale_order_id"
        return self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), (field, "=", record.id)]
        )

    def draft(self, number):
        with self.client() as client:
            return client.invoices.drafts.get(number)

    def drafts_named(self, reference):
        with self.client() as client:
            return [
                d
                for d in client.invoices.drafts.list()
                if (d.get("references") or {}).get("other") == reference
            ]

    def writes(self, prefix="/invoices"):
        return [
            r
            for r in self.requests_log()
            if r["method"] in ("POST", "PUT", "DELETE") and r["path"].startswith(prefix)
        ]


@tagged("post_install", "-at_install")
class TestInvoicePush(InvoicePushCase):
    def test_invoice_and_credit_note_become_drafts_with_signs_and_amounts(self):
        invoice = self.new_move()
        refund = self.new_move("out_refund", [(self.shirt, 1, 70.0, 0.0)])
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        for move, sign in ((invoice, 1), (refund, -1)):
            binding = self.binding_of(move)
            self.assertEqual(binding.doc_state, "draft")
            self.assertTrue(binding.draft_number)
            self.assertEqual(binding.kind, "invoice" if sign == 1 else "credit_note")
            self.assertEqual(move.economic_draft_number, binding.draft_number)
            draft = self.draft(binding.draft_number)
            self.assertEqual(draft["references"]["other"], move.name)
            self.assertEqual(draft["customer"]["customerNumber"], 1)
            self.assertEqual(draft["currency"], "DKK")
            self.assertEqual(
                round(float(draft["grossAmount"]), 2), round(sign * move.amount_total, 2)
            )
            self.assertEqual(
                round(float(draft["netAmount"]), 2), round(sign * move.amount_untaxed, 2)
            )
            self.assertEqual(binding.gross_amount, round(sign * move.amount_total, 2))
            quantities = [float(line["quantity"]) for line in draft["lines"]]
            expected = [sign * line.quantity for line in move.invoice_line_ids]
            self.assertEqual(quantities, expected)
            log = self.logs(entity=binding.kind, operation="create", res_id=move.id)
            self.assertEqual(log.direction, "push")
        lines = self.draft(self.binding_of(invoice).draft_number)["lines"]
        self.assertEqual(float(lines[1]["unitNetPrice"]), 33.33, "2 decimals")
        self.assertEqual(float(lines[1]["discountPercentage"]), 10.0)
        self.assertEqual(lines[0]["product"]["productNumber"], "1")
        self.assertFalse(
            [r for r in self.writes() if r["path"].startswith("/invoices/booked")],
            "nothing is booked",
        )
        # a second pass sends nothing
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))

    def test_booking_binds_and_locks_the_move(self):
        invoice = self.new_move()
        self.push()
        binding = self.binding_of(invoice)
        with self.client() as client:
            booked = client.invoices.book(binding.draft_number)
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        self.env.invalidate_all()
        self.assertEqual(binding.doc_state, "booked")
        self.assertEqual(invoice.economic_booked_number, booked["bookedInvoiceNumber"])
        self.assertEqual(
            self.env["account.move"].search_count(
                [("economic_booked_number", "=", booked["bookedInvoiceNumber"])]
            ),
            1,
            "the booking is bound, not pulled as a second invoice",
        )
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            invoice.button_draft()

    def test_edit_before_booking_replaces_the_draft(self):
        invoice = self.new_move()
        self.push()
        binding = self.binding_of(invoice)
        number = binding.draft_number
        invoice.button_draft()
        invoice.invoice_line_ids[0].quantity = 5
        invoice.action_post()
        self.assertEqual(binding.state, "pending")
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        puts = [r for r in self.writes() if r["method"] == "PUT"]
        self.assertEqual([r["path"] for r in puts], ["/invoices/drafts/%s" % number])
        draft = self.draft(number)
        self.assertEqual(float(draft["lines"][0]["quantity"]), 5.0)
        self.assertEqual(len(draft["lines"]), 2, "the whole draft, lines included")
        self.assertEqual(round(float(draft["grossAmount"]), 2), round(invoice.amount_total, 2))
        self.assertEqual(binding.state, "synced")
        self.assertEqual(len(self.drafts_named(invoice.name)), 1)

    def test_lost_create_answer_makes_one_draft(self):
        invoice = self.new_move()
        self.sandbox.add_fault("drop_after_commit", path="/invoices/drafts", method="POST", times=1)
        self.sandbox.add_fault(
            "error", path="/invoices/drafts", method="POST", status=503, times=20
        )
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        self.assertFalse(self.binding_of(invoice))
        self.assertEqual(len(self.drafts_named(invoice.name)), 1, "e-conomic made it")
        self.admin("DELETE", "/faults")
        self.push()
        self.push()
        drafts = self.drafts_named(invoice.name)
        self.assertEqual(len(drafts), 1)
        self.assertEqual(self.binding_of(invoice).draft_number, drafts[0]["draftInvoiceNumber"])
        self.assertFalse(self.env["economic.create.attempt"].search([("res_id", "=", invoice.id)]))
        self.assertTrue(self.logs(operation="bind", res_id=invoice.id))

    def test_write_back_off_sends_nothing(self):
        self.backend.write_back = False
        invoice = self.new_move()
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes())
        self.assertFalse(self.binding_of(invoice))

    def test_other_journals_and_older_invoices_are_not_pushed(self):
        other = self.env["account.journal"].create(
            {"name": "Not pushed", "code": "NOPSH", "type": "sale"}
        )
        invoice = self.new_move(post=False)
        invoice.journal_id = other
        invoice.action_post()
        self.backend.invoice_push_from = "2026-12-01"
        older = self.new_move()
        self.push()
        self.assertFalse(self.binding_of(invoice))
        self.assertFalse(self.binding_of(older))

    def test_unbound_customer_is_named_in_the_log(self):
        self.customer = self.Partner.create({"name": "Never In e-conomic", "customer_rank": 1})
        invoice = self.new_move()
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        line = self.logs(operation="error", res_id=invoice.id)
        self.assertIn("Never In e-conomic", line.message)
        self.assertIn("push of Customers", line.message)
        # with customer push on, the customer is pushed first, then the invoice
        self.enable_push("economic_wins", entities=("customer",))
        self.push()
        self.assertTrue(self.binding_of(invoice).draft_number)
        self.assertTrue(
            self.binding(
                "customer",
                self.draft(self.binding_of(invoice).draft_number)["customer"]["customerNumber"],
            )
        )

    def test_deleted_draft_follows_the_strategy(self):
        invoice = self.new_move()
        self.push()
        binding = self.binding_of(invoice)
        old = binding.draft_number
        with self.client() as client:
            client.invoices.drafts.delete(old)
        invoice.button_draft()
        invoice.action_post()
        self.push()
        # e-conomic wins: unbound, not sent again
        self.assertTrue(binding.remote_archived)
        self.assertFalse(binding.draft_number)
        self.assertTrue(self.logs(operation="archive", res_id=invoice.id))
        self.assertFalse(self.drafts_named(invoice.name))
        # Odoo wins: created again
        second = self.new_move()
        self.push()
        number = self.binding_of(second).draft_number
        with self.client() as client:
            client.invoices.drafts.delete(number)
        self.setting("invoice").strategy = "local_wins"
        second.button_draft()
        second.action_post()
        self.push()
        again = self.binding_of(second)
        self.assertTrue(again.draft_number)
        self.assertEqual(len(self.drafts_named(second.name)), 1)

    def test_push_now_and_preview(self):
        invoice = self.new_move()
        lines = self.engine._preview_push(self.backend, ["invoice"])
        self.assertIn(
            ("invoice", "create", invoice.id),
            [(ln["entity"], ln["operation"], ln["res_id"]) for ln in lines],
        )
        self.assertFalse(self.binding_of(invoice), "a preview writes nothing")
        self.assertFalse(self.drafts_named(invoice.name), "nor anything in e-conomic")
        self.engine._action_record(self.backend, invoice, "push")
        self.assertTrue(self.binding_of(invoice).draft_number)
