"""Invoices and credit notes pulled from e-conomic (issue 8 §1, §2): booked invoices become
posted, locked Odoo moves with e-conomic's number and totals to the cent; customers and
products are pulled on demand; the remainder and paid status follow e-conomic's payments."""

import datetime as dt

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .invoice_common import InvoiceCase


@tagged("post_install", "-at_install")
class TestSyncInvoices(InvoiceCase):
    def test_booked_invoices_become_posted_moves_with_equal_totals(self):
        result = self.pull()
        self.assertEqual(result["state"], "done", result)
        booked = self.admin("GET", "/records/invoices/booked")
        self.assertGreaterEqual(len(booked), 4)
        for record in booked:
            move = self.move(record["bookedInvoiceNumber"])
            self.assertTrue(move, "invoice %s pulled" % record["bookedInvoiceNumber"])
            self.assertEqual(move.state, "posted")
            # named by the journal's sequence; e-conomic's number in a column of its own
            self.assertRegex(move.name, r"^R?ECO/\d{4}/\d{5}$")
            self.assertEqual(move.payment_reference, str(record["bookedInvoiceNumber"]))
            self.assertEqual(move.economic_booked_number, record["bookedInvoiceNumber"])
            self.assertEqual(move.invoice_date, dt.date.fromisoformat(record["date"]))
            self.assertEqual(move.invoice_date_due, dt.date.fromisoformat(record["dueDate"]))
            self.assertEqual(move.currency_id.name, record["currency"])
            binding = self.inv_binding(record["bookedInvoiceNumber"])
            self.assertEqual(
                move.partner_id,
                self.partner("customer", record["customer"]["customerNumber"]),
            )
            self.assert_totals(move, record)
            self.assertEqual(binding.remainder, float(record["remainder"]))
        # the search finds a move by its e-conomic number
        number = booked[0]["bookedInvoiceNumber"]
        found = self.env["account.move"].search([("economic_booked_number", "=", number)])
        self.assertEqual(found, self.move(number))

    def test_credit_note_is_a_refund_with_positive_quantities(self):
        self.pull()
        notes = [
            r for r in self.admin("GET", "/records/invoices/booked") if float(r["grossAmount"]) < 0
        ]
        self.assertTrue(notes, "the demo seed has a credit note")
        move = self.move(notes[0]["bookedInvoiceNumber"])
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(self.inv_binding(notes[0]["bookedInvoiceNumber"]).kind, "credit_note")
        lines = move.invoice_line_ids.filtered(lambda line: line.display_type == "product")
        self.assertTrue(lines)
        self.assertTrue(all(line.quantity > 0 for line in lines))
        self.assert_totals(move, notes[0])

    def test_credit_notes_only_when_their_pull_is_on(self):
        self.setting("credit_note").pull = False
        self.pull(entities=("invoice",))
        kinds = set(
            self.env["economic.invoice.binding"]
            .search([("backend_id", "=", self.backend.id)])
            .mapped("kind")
        )
        self.assertEqual(kinds, {"invoice"})

    def test_second_pass_creates_nothing(self):
        self.pull()
        count = self.env["account.move"].search_count(
            [("economic_backend_id", "=", self.backend.id)]
        )
        self.clear_requests()
        self.pull()
        self.assertEqual(
            self.env["account.move"].search_count([("economic_backend_id", "=", self.backend.id)]),
            count,
        )
        gets = [
            r
            for r in self.requests_log()
            if r["method"] == "GET" and r["path"].startswith("/invoices/booked/")
        ]
        self.assertEqual(gets, [], "no booked invoice is read in full twice")

    def test_unbound_customer_and_unknown_product_pulled_on_demand(self):
        self.setting("customer").pull = False
        self.setting("product").pull = False
        self.admin(
            "POST",
            "/create",
            {
                "resource": "products",
                "record": {
                    "productNumber": "NEW-9",
                    "name": "Brand new",
                    "productGroup": {"productGroupNumber": 1},
                    "salesPrice": 10,
                },
            },
        )
        record = self.book_new(3, [("NEW-9", 3, "12.50")])
        self.pull()
        move = self.move(record["bookedInvoiceNumber"])
        self.assertTrue(move)
        self.assertEqual(move.partner_id, self.partner("customer", 3))
        product_line = move.invoice_line_ids.filtered("product_id")
        self.assertEqual(product_line.product_id.default_code, "NEW-9")
        self.assertEqual(product_line.quantity, 3)
        self.assert_totals(move, record)

    def test_several_rates_discounts_and_text_lines(self):
        self.new_product("FOOD-1", 5, 33.33)  # the reduced-rate group: 12 %
        record = self.book_new(
            1,
            [("1", 3, "153.44", 10), ("50", 2, "850"), ("51", 1, "1500"), ("FOOD-1", 7, "33.33")],
        )
        rates = {float(line["vatRate"]) for line in record["lines"]}
        self.assertEqual(rates, {25.0, 12.0, 0.0}, "the sandbox priced three VAT rates")
        self.pull()
        move = self.move(record["bookedInvoiceNumber"])
        self.assert_totals(move, record)
        taxes = move.invoice_line_ids.tax_ids
        self.assertEqual(set(taxes.mapped("amount")), {25.0, 12.0})
        disc = move.invoice_line_ids.filtered(lambda line: line.discount)
        self.assertEqual(disc.discount, 10)
        self.assertEqual(round(disc.price_subtotal, 2), 414.29)

    def test_rounding_amount_is_one_explicit_line(self):
        self.admin("POST", "/settings", {"invoice_rounding": "0.25"})
        record = self.book_new(1, [("1", 1, "70.10")])
        self.assertNotEqual(float(record["roundingAmount"]), 0.0)
        self.pull()
        move = self.move(record["bookedInvoiceNumber"])
        self.assert_totals(move, record)
        rounding = move.invoice_line_ids.filtered(lambda line: line.name == "e-conomic rounding")
        self.assertEqual(len(rounding), 1)
        self.assertAlmostEqual(rounding.price_subtotal, float(record["roundingAmount"]), 2)
        self.assertFalse(rounding.tax_ids)
        line = self.logs(entity="invoice", operation="create").filtered(
            lambda log: log.economic_key == str(record["bookedInvoiceNumber"])
        )
        self.assertIn("rounding", line.message)

    def test_foreign_currency(self):
        record = self.book_new(1, [("50", 1, "123.45")], currency="EUR", exchangeRate=745.5)
        self.pull()
        move = self.move(record["bookedInvoiceNumber"])
        self.assertEqual(move.currency_id, self.eur)
        self.assert_totals(move, record)

    def test_booked_move_is_locked(self):
        self.pull()
        move = self.move(1)
        self.assertFalse(move.show_reset_to_draft_button, "no Reset to Draft button")
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            move.button_draft()
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            move.write({"partner_id": self.partner("customer", 2).id})
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            move.write({"invoice_date": "2020-01-01"})
        line = move.invoice_line_ids.filtered("product_id")[:1]
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            line.write({"price_unit": 1.0})
        # what does not change the booked invoice is allowed: a note, a payment
        move.write({"narration": "checked"})
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=move.ids
        ).create({})._create_payments()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(move.state, "posted")

    def test_number_booked_below_the_highest_is_found_by_the_date_window(self):
        self.pull()
        highest = max(
            r["bookedInvoiceNumber"] for r in self.admin("GET", "/records/invoices/booked")
        )
        self.book_new(1, [("1", 1, "70")], bookWithNumber=highest + 10)
        self.pull()
        self.assertTrue(self.move(highest + 10))
        record = self.book_new(1, [("1", 2, "70")], bookWithNumber=highest + 5)
        self.pull()
        self.assertTrue(self.move(highest + 5), "a gap filled by bookWithNumber is pulled")
        self.assert_totals(self.move(highest + 5), record)

    def test_an_old_gap_filled_outside_the_window_waits_for_the_full_pass(self):
        self.pull()
        highest = max(
            r["bookedInvoiceNumber"] for r in self.admin("GET", "/records/invoices/booked")
        )
        self.book_new(1, [("1", 1, "70")], bookWithNumber=highest + 10)
        self.pull()
        old_date = fields.Date.subtract(fields.Date.context_today(self.backend), days=40)
        self.book_new(1, [("1", 1, "70")], date=str(old_date), bookWithNumber=highest + 3)
        self.pull()
        self.assertFalse(self.move(highest + 3), "below the highest and outside the window")
        self.backend.invoice_window_days = 45
        self.pull()
        self.assertTrue(self.move(highest + 3), "a wider window finds it")
        # and a full pass reads every number whatever the window
        self.backend.invoice_window_days = 0
        self.book_new(1, [("1", 1, "70")], date=str(old_date), bookWithNumber=highest + 4)
        self.pull()
        self.assertFalse(self.move(highest + 4))
        self.pull(full=True)
        self.assertTrue(self.move(highest + 4))

    def test_payment_in_economic_updates_remainder_and_status(self):
        record = self.book_new(1, [("1", 10, "70")])
        number = record["bookedInvoiceNumber"]
        self.pull()
        binding = self.inv_binding(number)
        self.assertEqual(binding.remainder, 875.0)
        self.assertEqual(binding.payment_status, "unpaid")
        self.admin("POST", "/payments", {"bookedInvoiceNumber": number, "amount": "500.00"})
        self.pull()
        self.assertEqual(binding.remainder, 375.0)
        self.assertEqual(self.move(number).economic_remainder, 375.0)
        self.admin("POST", "/payments", {"bookedInvoiceNumber": number, "amount": "375.00"})
        self.pull()
        self.assertEqual(binding.remainder, 0.0)
        self.assertEqual(self.move(number).economic_payment_status, "paid")
        self.assertTrue(self.logs(entity="invoice", operation="update"))

    def test_payments_registered_in_odoo_when_the_connection_says_so(self):
        bank = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.env.company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        self.backend.write(
            {"invoice_register_payments": True, "invoice_payment_journal_id": bank.id}
        )
        record = self.book_new(1, [("1", 10, "70")])
        number = record["bookedInvoiceNumber"]
        self.pull()
        move = self.move(number)
        self.assertEqual(move.payment_state, "not_paid")
        self.admin("POST", "/payments", {"bookedInvoiceNumber": number, "amount": "500.00"})
        self.pull()
        self.assertEqual(move.payment_state, "partial")
        self.assertAlmostEqual(move.amount_residual, 375.0, 2)
        self.admin("POST", "/payments", {"bookedInvoiceNumber": number, "amount": "375.00"})
        self.pull()
        self.assertIn(move.payment_state, ("paid", "in_payment"))
        self.assertEqual(move.economic_payment_status, "paid")

    def test_economic_pdf_as_an_attachment(self):
        self.pull()
        move = self.move(1)
        action = move.action_economic_pdf()
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.move"), ("res_id", "=", move.id)]
        )
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.raw.startswith(b"%PDF-"))
        self.assertIn(str(attachment.id), action["url"])

    def test_overdue_on_a_frozen_clock(self):
        with self.client() as client:
            today = dt.date.fromisoformat(client.invoices.booked.get(1)["date"])
        record = self.book_new(1, [("1", 1, "70")])
        due = dt.date.fromisoformat(record["dueDate"])
        with freeze_time(due):
            self.pull()
            self.assertEqual(
                self.inv_binding(record["bookedInvoiceNumber"]).payment_status, "unpaid"
            )
        with freeze_time(due + dt.timedelta(days=1)):
            self.pull()
            self.assertEqual(
                self.move(record["bookedInvoiceNumber"]).economic_payment_status, "overdue"
            )
        self.assertTrue(today)
