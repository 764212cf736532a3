"""The money of pulled invoices is right in the books (issue 14 §2-§4), in a Danish company in
DKK: e-conomic's own exchange rate per invoice and its base-currency amounts to the cent, each
line's net as e-conomic booked it under Odoo's tax rounding per line and globally, e-conomic's
rounding amount and nothing else as a rounding line, invoices paid before they came to Odoo
registered paid, failed pulls retried whatever their date and replayed; Refresh, status and
locks that say the truth."""

import datetime as dt
import importlib.util
from pathlib import Path
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .invoice_common import InvoiceCase

ROUNDING = "e-conomic rounding"


class DanishCompanyCase(InvoiceCase):
    """The connection of a company in DKK (the agreement's base currency) with a chart of
    accounts, 25 % and 12 % sales taxes and a bank journal."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create(
            {
                "name": "Hansen & Søn ApS",
                "currency_id": cls.dkk.id,
                "country_id": cls.env.ref("base.dk").id,
            }
        )
        cls.env.user.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.currency_id = cls.dkk  # the chart template's own currency is another one
        Tax = cls.env["account.tax"]
        Tax.search(
            [*Tax._check_company_domain(company), ("type_tax_use", "=", "sale")]
        ).active = False
        cls.tax25, cls.tax12 = Tax.create(
            [
                {"name": "Salgsmoms 25%", "amount": 25.0, "type_tax_use": "sale"},
                {"name": "Salgsmoms 12%", "amount": 12.0, "type_tax_use": "sale"},
            ]
        )
        cls.backend.unlink()
        cls.backend = cls.env["economic.backend"].create(cls._backend_vals(company_id=company.id))
        cls.company = company
        cls.bank = cls.env["account.journal"].search(
            [*cls.env["account.journal"]._check_company_domain(company), ("type", "=", "bank")],
            limit=1,
        )

    def setUp(self):
        super().setUp()
        self.backend.action_test_connection()
        self.assertEqual(self.backend.base_currency, "DKK")


@tagged("post_install", "-at_install")
class TestInvoiceMoney(DanishCompanyCase):
    def assert_base_amounts(self, move, record):
        """The company-currency amounts are e-conomic's *InBaseCurrency, to the cent."""
        receivable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertEqual(
            (
                round(move.amount_total_signed, 2),
                round(move.amount_untaxed_signed, 2),
                round(sum(receivable.mapped("balance")), 2),
            ),
            (
                round(float(record["grossAmountInBaseCurrency"]), 2),
                round(float(record["netAmountInBaseCurrency"]), 2),
                round(float(record["grossAmountInBaseCurrency"]), 2),
            ),
            "invoice %s in DKK" % record["bookedInvoiceNumber"],
        )
        self.assertAlmostEqual(move.invoice_currency_rate, 100.0 / float(record["exchangeRate"]))

    def test_eur_invoices_at_two_rates_on_one_day(self):
        day = str(fields.Date.context_today(self.backend))
        first = self.book_new(1, [("50", 1, "2000")], currency="EUR", exchangeRate=745.87)
        second = self.book_new(
            1,
            [("1", 3, "153.44", 10), ("50", 1, "99.99"), ("51", 2, "12.34")],
            currency="EUR",
            exchangeRate=746.12,
            date=day,
        )
        credit = self.book_new(1, [("50", -1, "123.45")], currency="EUR", exchangeRate=744.5)
        self.assertEqual(first["date"], second["date"])
        self.assertEqual(float(first["grossAmountInBaseCurrency"]), 18646.75)
        result = self.pull()
        self.assertEqual(result["state"], "done", result)
        for record in (first, second, credit):
            move = self.move(record["bookedInvoiceNumber"])
            self.assertEqual(move.currency_id, self.eur)
            self.assert_totals(move, record)
            self.assert_base_amounts(move, record)
        self.assertEqual(self.move(credit["bookedInvoiceNumber"]).move_type, "out_refund")

    def test_tax_rounding_per_line_and_globally(self):
        # 0.4 × 25.01 = 10.004: e-conomic books 10.00 a line (20.00), Odoo's global rounding
        # would make 20.01 of the two
        lines = [("50", "0.4", "25.01"), ("50", "0.4", "25.01"), ("1", 3, "153.44", 10)]
        for method in ("round_per_line", "round_globally"):
            with self.subTest(method=method):
                self.company.tax_calculation_rounding_method = method
                for currency, rate in (("DKK", None), ("EUR", 745.87)):
                    extra = {"currency": currency}
                    if rate:
                        extra["exchangeRate"] = rate
                    record = self.book_new(1, lines, **extra)
                    self.pull()
                    move = self.move(record["bookedInvoiceNumber"])
                    self.assertTrue(move, "%s %s pulled" % (method, currency))
                    self.assertFalse(
                        move.invoice_line_ids.filtered(lambda line: line.name == ROUNDING),
                        "no rounding line where e-conomic has no rounding amount",
                    )
                    products = move.invoice_line_ids.filtered("product_id").sorted("id")
                    self.assertEqual(
                        [round(-line.amount_currency, 2) for line in products],
                        [float(line["totalNetAmount"]) for line in record["lines"]],
                        "each journal item carries e-conomic's line total",
                    )
                    self.assert_totals(move, record)
                    if rate:
                        self.assert_base_amounts(move, record)

    def test_only_economics_rounding_amount_is_a_rounding_line(self):
        self.admin("POST", "/settings", {"invoice_rounding": "0.25"})
        record = self.book_new(1, [("1", 1, "70.10")])
        self.pull()
        move = self.move(record["bookedInvoiceNumber"])
        rounding = move.invoice_line_ids.filtered(lambda line: line.name == ROUNDING)
        self.assertEqual(round(rounding.price_subtotal, 2), float(record["roundingAmount"]))
        self.assert_totals(move, record)

    def test_a_line_that_differs_stops_the_invoice(self):
        record = self.book_new(1, [("50", 2, "850"), ("1", 3, "153.44", 10)])
        number = record["bookedInvoiceNumber"]
        Module = type(self.env["economic.sync.invoice"])
        original = Module._line_vals

        def losing_discounts(module, state, ctx, line, zone, refund):
            vals = original(module, state, ctx, line, zone, refund)
            vals.pop("discount", None)
            return vals

        with patch.object(Module, "_line_vals", losing_discounts):
            result = self.pull()
        self.assertEqual(result["state"], "partial", result)
        self.assertFalse(self.move(number), "not created with bent totals")
        line = self.logs(entity="invoice", state="failed", economic_key=str(number))
        self.assertIn("Line 2", line.message)
        self.assertIn("414.29", line.message)
        result = self.pull()
        self.assertEqual(result["state"], "done", result)
        self.assert_totals(self.move(number), record)
        self.assertEqual(line.state, "resolved")

    def test_invoices_paid_before_they_came_to_odoo_are_paid(self):
        self.backend.write(
            {"invoice_register_payments": True, "invoice_payment_journal_id": self.bank.id}
        )
        paid = self.book_new(1, [("1", 10, "70")])
        part = self.book_new(2, [("50", 1, "1000")])
        foreign = self.book_new(1, [("50", 1, "100")], currency="EUR", exchangeRate=745.87)
        for record, amount in ((paid, "875.00"), (part, "500.00"), (foreign, "125.00")):
            self.admin(
                "POST",
                "/payments",
                {"bookedInvoiceNumber": record["bookedInvoiceNumber"], "amount": amount},
            )
        self.pull()
        self.assertIn(self.move(paid["bookedInvoiceNumber"]).payment_state, ("paid", "in_payment"))
        self.assertIn(
            self.move(foreign["bookedInvoiceNumber"]).payment_state, ("paid", "in_payment")
        )
        partly = self.move(part["bookedInvoiceNumber"])
        self.assertEqual(partly.payment_state, "partial")
        self.assertAlmostEqual(partly.amount_residual, float(part["grossAmount"]) - 500, 2)
        self.assertEqual(partly.economic_payment_status, "partial")
        self.assertTrue(
            self.logs(operation="update").filtered(lambda log: "before it came" in log.message)
        )

    def test_a_failed_pull_is_retried_whatever_its_date_and_replayed(self):
        self.new_product("FOOD-1", 5, 33.33)  # the reduced-rate group: 12 %
        self.pull()
        old = str(fields.Date.subtract(fields.Date.context_today(self.backend), days=60))
        self.tax12.unlink()  # no 12 % tax yet: the invoices fail
        failed = [self.book_new(1, [("FOOD-1", 1, "33.33")], date=old) for _i in range(2)]
        self.pull()
        self.book_new(1, [("1", 1, "70")])  # a newer one: the failed ones are below it
        numbers = [str(r["bookedInvoiceNumber"]) for r in failed]
        self.clear_requests()
        self.pull()
        lines = self.logs(entity="invoice", state="failed").filtered(
            lambda log: log.economic_key in numbers
        )
        self.assertEqual(len(lines), 2)
        read = {r["path"] for r in self.requests_log() if r["method"] == "GET"}
        for number in numbers:
            self.assertIn("/invoices/booked/%s" % number, read, "read again, however old")
        self.assertTrue(all(line.count == 2 for line in lines))
        self.assertIn("12", lines[0].message)
        # the cause fixed: Replay brings the first, the next pass the second
        self.env["account.tax"].create(
            {"name": "Salgsmoms 12%", "amount": 12.0, "type_tax_use": "sale"}
        )
        first = lines.filtered(lambda log: log.economic_key == numbers[0])
        first.action_replay()
        self.assertEqual(first.state, "replayed")
        self.assertTrue(self.move(int(numbers[0])))
        self.pull()
        self.assertTrue(self.move(int(numbers[1])))
        self.assertEqual((lines - first).state, "resolved")

    def test_moves_posted_at_another_rate_by_an_earlier_version_are_listed(self):
        record = self.book_new(1, [("50", 1, "2000")], currency="EUR", exchangeRate=745.87)
        number = record["bookedInvoiceNumber"]
        Module = type(self.env["economic.sync.invoice"])
        # as earlier versions did: Odoo's rate, e-conomic's rate not kept
        with patch.object(Module, "_base_rate", lambda *args: None):
            self.pull()
        move, binding = self.move(number), self.inv_binding(number)
        old = self.env["economic.invoice.binding"].search([("currency_code", "=", "EUR")])
        self.assertIn(binding, old)  # with the seed's EUR invoice
        old.write({"exchange_rate": 0.0, "gross_base": 0.0})
        wrong_total = move.amount_total_signed
        self.assertNotEqual(round(wrong_total, 2), float(record["grossAmountInBaseCurrency"]))
        # the update marks it; the next pass lists it, changes nothing
        path = Path(__file__).parent.parent / "migrations" / "18.0.1.1.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("economic_sync_migrate_1_1", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        self.env.flush_all()
        migration.migrate(self.env.cr, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertTrue(binding.base_check)
        self.pull()
        self.assertFalse(binding.base_check)
        self.assertEqual(binding.gross_base, float(record["grossAmountInBaseCurrency"]))
        self.assertEqual(move.amount_total_signed, wrong_total, "a posted entry is not rewritten")
        self.assertAlmostEqual(
            move.economic_base_difference, binding.gross_base - wrong_total, places=2
        )
        self.assertEqual(self.backend.invoice_difference_count, len(old))
        action = self.backend.action_open_invoice_differences()
        self.assertTrue(action["context"]["search_default_economic_base_difference"])
        self.assertEqual(
            self.env["account.move"].search([("economic_base_difference", "!=", 0)]),
            old.move_id,
        )
        line = self.logs(operation="skip", res_id=move.id)
        self.assertIn("another exchange rate", line.message)
        # invoices pulled now agree with e-conomic: nothing listed for them
        self.book_new(1, [("50", 1, "100")], currency="EUR", exchangeRate=746.0)
        self.pull()
        self.assertEqual(self.backend.invoice_difference_count, len(old))

    def test_a_pushed_draft_carries_the_rate_odoo_used(self):
        self.run_pass(entities=["customer", "product"])
        journal = self.env["account.journal"].create(
            {"name": "Salg til e-conomic", "code": "TOECO", "type": "sale"}
        )
        self.backend.write(
            {"write_back": True, "invoice_push_journal_ids": [Command.set(journal.ids)]}
        )
        self.setting("invoice").write({"push": True, "strategy": "economic_wins"})
        self.env["res.currency.rate"].create(
            {"currency_id": self.eur.id, "rate": 0.134, "name": "2026-11-01"}
        )
        product = (
            self.env["economic.product.binding"]
            .search([("backend_id", "=", self.backend.id), ("economic_key", "=", "50")])
            .product_id
        )
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner("customer", 1).id,
                "journal_id": journal.id,
                "currency_id": self.eur.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": 1,
                            "price_unit": 100.0,
                            "tax_ids": [Command.set(self.tax25.ids)],
                        }
                    )
                ],
            }
        )
        move.action_post()
        self.assertAlmostEqual(move.invoice_currency_rate, 0.134)
        self.run_pass(entities=["invoice"])
        binding = self.env["economic.invoice.binding"].search([("move_id", "=", move.id)])
        with self.client() as client:
            draft = client.invoices.drafts.get(binding.draft_number)
        self.assertAlmostEqual(float(draft["exchangeRate"]), round(100 / 0.134, 6), places=4)
        self.assertEqual(
            round(float(draft["grossAmountInBaseCurrency"]), 2), round(move.amount_total_signed, 2)
        )


@tagged("post_install", "-at_install")
class TestInvoiceStatus(InvoiceCase):
    def test_refresh_says_what_changed_and_partly_paid(self):
        record = self.book_new(1, [("1", 10, "70")])
        number = record["bookedInvoiceNumber"]
        self.pull()
        move = self.move(number)
        self.admin("POST", "/payments", {"bookedInvoiceNumber": number, "amount": "500.00"})
        action = move.action_economic_refresh()
        self.assertIn("1 updated", action["params"]["message"])
        self.env.invalidate_all()
        self.assertEqual(move.economic_remainder, 375.0)
        self.assertEqual(move.economic_payment_status, "partial")
        line = self.logs(entity="invoice", operation="update", res_id=move.id)
        self.assertIn("375", line.message)
        self.assertIn("875", line.message)
        self.assertIn("Partly Paid", line.message)

    def test_a_credit_note_is_never_overdue(self):
        record = self.book_new(1, [("1", -1, "70")])
        due = dt.date.fromisoformat(record["dueDate"])
        with freeze_time(due + dt.timedelta(days=10)):
            self.pull()
            move = self.move(record["bookedInvoiceNumber"])
            self.assertEqual(move.move_type, "out_refund")
            self.assertEqual(move.economic_payment_status, "unpaid")

    def test_locked_fields_are_read_only_and_refusals_name_them(self):
        self.pull()
        move = self.move(1)
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertRegex(arch, r'name="invoice_date_due"[^>]*readonly="[^"]*economic_booked')
        with self.assertRaises(UserError) as caught:
            move.write({"invoice_date_due": "2031-01-01"})
        message = str(caught.exception)
        self.assertIn("Due Date", message)
        self.assertNotIn("invoice_date_due", message)
        line = move.invoice_line_ids.filtered("product_id")[:1]
        with self.assertRaises(UserError) as caught:
            line.write({"price_unit": 1.0})
        self.assertIn("Unit Price", str(caught.exception))
        self.assertNotIn("price_unit", str(caught.exception))
