"""Purchases read from e-conomic (issue 17 §2): supplier invoices booked in e-conomic (VAT split
into net and VAT entries, the creditor entry with the supplier, its invoice number, due date and
remainder) become posted, locked Odoo vendor bills and refunds with e-conomic's totals to the
cent, in a company in DKK; a second pass makes nothing; an unbound supplier is pulled on demand;
a missing VAT-code mapping is that bill's error naming what to map, and the other bills are made;
remainders follow the mirror; a foreign-currency bill has e-conomic's base amounts; a booked day
book's bills come at once."""

import datetime as dt
import json

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.economic_sync_state import PassState
from .danish_common import DanishChartCase
from .sync_common import SyncCase

ENTITIES = ["account", "vat_code", "journal_entry", "purchase"]
BINDING = "economic.purchase.binding"


class PurchaseHelpers:
    """Booking supplier invoices in the sandbox and finding their bills."""

    @property
    def year(self):
        # the sandbox's clock is real time: its open year is this one
        return str(dt.date.today().year)

    def economic_account(self, number):
        return self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_number", "=", number)]
        )

    def vat(self, code):
        return self.env["economic.vat.code"].search(
            [("backend_id", "=", self.backend.id), ("code", "=", code)]
        )

    def book(self, *lines, voucher=None):
        """Book supplier invoices in journal 1 as an e-conomic user would: ``lines`` of
        ``(supplier, gross amount, supplier invoice number, expense account, VAT code)``, an
        optional dict of more fields last."""
        today = dt.date.today()
        entries = []
        for supplier, amount, number, account, code, *more in lines:
            entry = {
                "supplier": {"supplierNumber": supplier},
                "amount": amount,
                "date": today.isoformat(),
                "dueDate": (today + dt.timedelta(days=30)).isoformat(),
                "supplierInvoiceNumber": number,
                "contraAccount": {"accountNumber": account},
                "text": "Bill %s" % number,
            }
            if code:
                entry["contraVatAccount"] = {"vatCode": code}
            if voucher:
                entry["voucher"] = {"voucherNumber": voucher}
            for extra in more:
                entry.update(extra)
            entries.append(entry)
        with self.backend._get_client() as client:
            client.journals.create_vouchers(
                1,
                {
                    "accountingYear": {"year": self.year},
                    "journal": {"journalNumber": 1},
                    "entries": {"supplierInvoices": entries},
                },
            )
        return self.admin("POST", "/journals/book", {"journal": 1})

    def pull(self, full=False):
        result = self.run_pass(entities=ENTITIES, full=full)
        self.assertNotEqual(result.get("state"), "failed", result)
        return result

    def bill(self, number):
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("supplier_invoice_number", "=", number)]
        )
        self.assertEqual(len(binding), 1, number)
        return binding.move_id

    def bills(self):
        return self.env[BINDING].search([("backend_id", "=", self.backend.id)]).move_id

    def errors_of(self, number):
        """The open error lines of the supplier invoice numbered ``number``."""
        return self.logs(entity="purchase", operation="error", state="failed").filtered(
            lambda line: number in (line.record_name or "")
        )

    def creditor(self, number):
        return self.env["economic.entry"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("supplier_invoice_number", "=", number),
                ("supplier_number", ">", 0),
                ("entry_type", "=", "supplierInvoice"),
            ]
        )


@tagged("post_install", "-at_install")
class TestSyncPurchases(PurchaseHelpers, SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dkk = cls.env.ref("base.DKK")
        cls.dkk.active = True
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        company = cls.env["res.company"].create(
            {
                "name": "Indkøb & Co ApS",
                "currency_id": cls.dkk.id,
                "country_id": cls.env.ref("base.dk").id,
            }
        )
        cls.env.user.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.currency_id = cls.dkk
        Tax = cls.env["account.tax"]
        cls.tax25, cls.tax625 = Tax.create(
            [
                {"name": "Købsmoms 25%", "amount": 25.0, "type_tax_use": "purchase"},
                {"name": "Repræsentation 6,25%", "amount": 6.25, "type_tax_use": "purchase"},
            ]
        )
        Account = cls.env["account.account"]
        cls.goods, cls.meals = Account.create(
            [
                {"name": "Varekøb", "code": "603600", "account_type": "expense"},
                {"name": "Restaurationsbesøg", "code": "602750", "account_type": "expense"},
            ]
        )
        cls.backend.unlink()
        cls.backend = cls.env["economic.backend"].create(cls._backend_vals(company_id=company.id))
        cls.company = company

    def setUp(self):
        super().setUp()
        self.backend.action_test_connection()
        self.setting("purchase").write({"pull": True, "auto": True})
        # the ledger read once, then mapped as the accountant would
        self.run_pass(entities=["account", "vat_code"])
        self.economic_account(3600).account_id = self.goods
        self.economic_account(2750).account_id = self.meals
        self.vat("I25").tax_id = self.tax25
        self.vat("REP").tax_id = False

    # ------------------------------------------------------------------ tests
    def test_bills_and_credit_note_with_equal_totals(self):
        # one supplier invoice of two lines, 25 % VAT and none, in one voucher
        self.book((25, 1250, "S-100", 3600, "I25"), (25, 300, "S-100", 2750, None), voucher=900)
        self.book((26, -500, "CN-1", 3600, "I25"))
        self.book((26, 100.07, "S-101", 3600, "I25"))  # VAT 20.01 where Odoo computes 20.02
        self.assertFalse(self.env["economic.partner.binding"].search_count([]))
        self.pull()

        bill = self.bill("S-100")
        supplier = self.partner("supplier", 25)
        self.assertTrue(supplier, "the unbound supplier is pulled on demand")
        self.assertEqual(bill.partner_id, supplier)
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(bill.state, "posted")
        self.assertEqual(bill.ref, "S-100")
        self.assertEqual(bill.currency_id, self.dkk)
        self.assertEqual(bill.journal_id, self.backend.purchase_journal_id)
        self.assertEqual(bill.invoice_date, dt.date.today())
        self.assertEqual(bill.invoice_date_due, dt.date.today() + dt.timedelta(days=30))
        self.assertEqual(bill.amount_untaxed, 1300.0)
        self.assertEqual(bill.amount_tax, 250.0)
        self.assertEqual(bill.amount_total, 1550.0)
        lines = bill.invoice_line_ids.sorted("id")
        self.assertEqual(lines.mapped("account_id"), self.goods | self.meals)
        self.assertEqual(lines[0].tax_ids, self.tax25)
        self.assertFalse(lines[1].tax_ids)
        self.assertEqual(lines.mapped("price_subtotal"), [1000.0, 300.0])
        binding = bill.economic_purchase_binding_ids
        self.assertEqual(binding.economic_key, "%s/900" % self.year)
        self.assertEqual(binding.supplier_number, 25)
        self.assertEqual(binding.remainder, -1550.0)
        self.assertEqual(binding.payment_status, "unpaid")
        self.assertEqual(bill.economic_purchase_remainder, 1550.0)
        self.assertEqual(bill.economic_purchase_status, "unpaid")

        credit = self.bill("CN-1")
        self.assertEqual(credit.move_type, "in_refund")
        self.assertEqual(credit.partner_id, self.partner("supplier", 26))
        self.assertEqual((credit.amount_untaxed, credit.amount_tax), (400.0, 100.0))
        self.assertEqual(credit.amount_total, 500.0)

        rounded = self.bill("S-101")
        self.assertEqual(rounded.amount_tax, 20.01)
        self.assertEqual(rounded.amount_total, 100.07)
        mine = bill | credit | rounded
        created = self.logs(entity="purchase", operation="create")
        created = created.filtered(lambda line: line.res_id in mine.ids)
        self.assertEqual(len(created), 3)
        self.assertIn("rounding", created.filtered(lambda line: line.res_id == rounded.id).message)
        # every journal item is e-conomic's: the payable is the creditor entry
        for move in bill | credit | rounded:
            payable = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            creditors = self.creditor(move.ref)
            self.assertAlmostEqual(payable.balance, sum(creditors.mapped("amount")))

        # a second pass makes nothing
        bills, lines = self.bills(), self.logs(entity="purchase", operation="create")
        self.assertTrue(mine <= bills)
        self.pull()
        self.assertEqual(self.bills(), bills)
        self.assertEqual(self.logs(entity="purchase", operation="create"), lines)

    def test_missing_vat_mapping_is_the_bills_error(self):
        self.book((25, 106.25, "R-1", 2750, "REP"))
        self.book((25, 625, "S-200", 3600, "I25"))
        self.pull()
        self.assertTrue(self.bill("S-200"), "the other bills are made")
        self.assertFalse(
            self.env[BINDING].search([("supplier_invoice_number", "=", "R-1")]),
        )
        error = self.errors_of("R-1")
        self.assertEqual(len(error), 1)
        self.assertIn("REP", error.message)
        self.assertIn("VAT Codes", error.message)
        self.assertIn("R-1", error.record_name)
        # mapped: the next pass makes it, and the error line is closed
        self.vat("REP").tax_id = self.tax625
        self.pull()
        meal = self.bill("R-1")
        self.assertEqual((meal.amount_untaxed, meal.amount_tax), (100.0, 6.25))
        self.assertEqual(error.state, "resolved")

    def test_demo_purchases(self):
        """The sandbox's demo books purchases as a bookkeeper would: one creditor entry for a
        supplier invoice of three lines (25 %, 6.25 % and no VAT), a credit note, a payment, and
        last year's (closed) supplier invoice."""
        Account = self.env["account.account"]
        self.economic_account(3628).account_id = Account.create(
            {"name": "Gebyrer", "code": "603628", "account_type": "expense"}
        )
        self.economic_account(3640).account_id = Account.create(
            {"name": "Revisor", "code": "603640", "account_type": "expense"}
        )
        self.vat("REP").tax_id = self.tax625
        self.pull()
        self.assertFalse(self.logs(entity="purchase", operation="error"))
        office = self.bill("S-1001")
        lines = office.invoice_line_ids.sorted("id")
        self.assertEqual(lines.mapped("price_subtotal"), [1000.0, 500.0, 75.0])
        self.assertEqual(
            [line.tax_ids for line in lines], [self.tax25, self.tax625, self.tax625[:0]]
        )
        self.assertEqual((office.amount_tax, office.amount_total), (281.25, 1856.25))
        self.assertEqual(office.economic_purchase_status, "paid", "the supplier payment paid it")
        paper = self.bill("K-7788")
        self.assertEqual(paper.amount_total, 3750.0)
        # booked 45 days ago (never before January 1st), due 30 days later
        late = paper.invoice_date_due < dt.date.today()
        self.assertEqual(paper.economic_purchase_status, "overdue" if late else "unpaid")
        credit = self.bill("K-7790")
        self.assertEqual((credit.move_type, credit.amount_total), ("in_refund", 625.0))
        last_year = self.bill("S-2024")
        self.assertEqual(last_year.invoice_date.year, dt.date.today().year - 1)
        # its remainder is e-conomic's, whatever it is (the mirror's creditor entry)
        remainder = self.creditor("S-2024").remainder
        self.assertAlmostEqual(last_year.economic_purchase_remainder, abs(remainder))

    def test_replay_after_mapping(self):
        self.book((26, 212.5, "R-2", 2750, "REP"), voucher=910)
        self.pull()
        self.pull()
        line = self.errors_of("R-2")
        self.assertEqual(len(line), 1, "a failure seen again is the same line")
        self.assertEqual(line.count, 2)
        self.assertEqual(line.economic_key, "%s/910" % self.year)
        self.vat("REP").tax_id = self.tax625
        line.action_replay()
        self.assertEqual(line.state, "replayed")
        self.assertEqual(self.bill("R-2").amount_total, 212.5)

    def test_missing_account_mapping_names_the_account(self):
        self.economic_account(2750).account_id = False
        self.book((26, 400, "H-1", 2750, None))
        self.pull()
        error = self.errors_of("H-1")
        self.assertEqual(len(error), 1)
        self.assertIn("2750", error.message)
        self.assertFalse(self.env[BINDING].search([("supplier_invoice_number", "=", "H-1")]))

    def test_bill_is_locked(self):
        self.book((25, 1250, "L-1", 3600, "I25"))
        self.pull()
        bill = self.bill("L-1")
        with self.assertRaisesRegex(UserError, "supplier invoice booked in e-conomic"):
            bill.button_draft()
        with self.assertRaises(UserError):
            bill.button_cancel()
        with self.assertRaises(UserError):
            bill.write({"partner_id": self.env.user.partner_id.id})
        with self.assertRaises(UserError):
            bill.invoice_line_ids[:1].write({"price_unit": 1.0})
        self.assertFalse(bill.show_reset_to_draft_button)
        # what the lock leaves alone: the narration, and the sync's own writes
        bill.narration = "Kontrolleret"
        self.assertEqual(bill.state, "posted")

    def test_remainder_follows_the_mirror(self):
        self.book((25, 1000, "P-1", 3600, "I25"))
        self.pull()
        bill = self.bill("P-1")
        creditor = self.creditor("P-1")
        self.admin(
            "POST",
            "/edit",
            {"resource": "entries", "key": creditor.entry_number, "changes": {"remainder": -400}},
        )
        self.pull(full=True)  # the mirror re-reads remainders on full passes
        self.assertEqual(bill.economic_purchase_remainder, 400.0)
        self.assertEqual(bill.economic_purchase_status, "partial")
        self.assertTrue(self.logs(entity="purchase", operation="update"))
        self.admin(
            "POST",
            "/edit",
            {"resource": "entries", "key": creditor.entry_number, "changes": {"remainder": 0}},
        )
        self.pull(full=True)
        self.assertEqual(bill.economic_purchase_status, "paid")

    def test_payments_registered_in_odoo(self):
        """With Register e-conomic Payments of Bills, what e-conomic says is paid of a bill
        is paid in Odoo: a supplier payment booked in e-conomic pays it in part, then in
        full; what was paid before the bill came to Odoo too; a pass with nothing new
        registers nothing."""
        bank = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.env.company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        self.backend.write(
            {"purchase_register_payments": True, "purchase_payment_journal_id": bank.id}
        )
        self.book((25, 1000, "P-PAY", 3600, "I25"))
        self.pull()
        bill = self.bill("P-PAY")
        self.assertEqual(bill.payment_state, "not_paid")
        self.assertEqual(bill.amount_residual, 1000.0)

        def pay(amount):
            with self.backend._get_client() as client:
                client.journals.create_vouchers(
                    1,
                    {
                        "accountingYear": {"year": self.year},
                        "journal": {"journalNumber": 1},
                        "entries": {
                            "supplierPayments": [
                                {
                                    "supplier": {"supplierNumber": 25},
                                    "supplierInvoiceNumber": "P-PAY",
                                    "amount": amount,
                                    "date": dt.date.today().isoformat(),
                                    "contraAccount": {"accountNumber": 5820},
                                }
                            ]
                        },
                    },
                )
            self.admin("POST", "/journals/book", {"journal": 1})

        pay(400)
        self.pull(full=True)
        self.assertEqual(abs(self.creditor("P-PAY").remainder), 600.0)
        self.assertEqual(bill.amount_residual, 600.0)
        self.assertEqual(bill.payment_state, "partial")
        payments = bill._get_reconciled_payments()
        self.assertEqual(payments.journal_id, bank)
        self.assertEqual(payments.mapped("amount"), [400.0])
        pay(600)
        self.pull(full=True)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))
        self.pull(full=True)
        self.assertEqual(len(bill._get_reconciled_payments()), 2)

    def test_bill_paid_before_it_came_is_paid_in_odoo(self):
        bank = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.env.company),
                ("type", "=", "bank"),
            ],
            limit=1,
        )
        self.backend.write(
            {"purchase_register_payments": True, "purchase_payment_journal_id": bank.id}
        )
        Account = self.env["account.account"]
        self.economic_account(3628).account_id = Account.create(
            {"name": "Gebyrer", "code": "603628", "account_type": "expense"}
        )
        self.economic_account(3640).account_id = Account.create(
            {"name": "Revisor", "code": "603640", "account_type": "expense"}
        )
        self.vat("REP").tax_id = self.tax625
        self.pull()
        # the demo ledger's S-1001 is paid in full by its supplier payment
        bill = self.bill("S-1001")
        self.assertFalse(self.creditor("S-1001").remainder)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_reconciliation_compares_supplier_open_amounts(self):
        """The reconciliation report, Purchases pulled: a supplier whose bills agree with
        e-conomic's open supplier invoices is in the summary; paid in e-conomic only (Odoo
        registers nothing), it is a difference with both figures, opening its bills."""
        self.book((27, 1000, "P-REC", 3600, "I25"))
        self.pull()
        bill = self.bill("P-REC")
        Line = self.env["economic.reconciliation.line"]

        def supplier_rows():
            Line._rebuild(self.backend)
            return Line.search(
                [("backend_id", "=", self.backend.id), ("section", "=", "supplier_balances")]
            )

        rows = supplier_rows()
        self.assertFalse(rows.filtered(lambda r: r.is_difference and r.economic_key == "27"))
        summary = rows.filtered(lambda r: not r.is_difference)
        self.assertIn(bill.commercial_partner_id.id, json.loads(summary.open_domain)[0][2])
        with self.backend._get_client() as client:
            client.journals.create_vouchers(
                1,
                {
                    "accountingYear": {"year": self.year},
                    "journal": {"journalNumber": 1},
                    "entries": {
                        "supplierPayments": [
                            {
                                "supplier": {"supplierNumber": 27},
                                "supplierInvoiceNumber": "P-REC",
                                "amount": 400,
                                "date": dt.date.today().isoformat(),
                                "contraAccount": {"accountNumber": 5820},
                            }
                        ]
                    },
                },
            )
        self.admin("POST", "/journals/book", {"journal": 1})
        self.pull(full=True)
        row = supplier_rows().filtered(lambda r: r.is_difference and r.economic_key == "27")
        self.assertEqual(len(row), 1)
        self.assertEqual((row.economic_amount, row.odoo_amount), (-600.0, -1000.0))
        self.assertEqual(row.difference, 400.0)
        self.assertEqual(row.partner_id, bill.commercial_partner_id)
        opened = self.env["account.move"].search(
            [(name, op, value) for name, op, value in json.loads(row.open_domain)]
        )
        self.assertEqual(opened, bill)

    def test_foreign_currency_bill_has_economics_base_amounts(self):
        self.book((27, 1250, "EU-1", 3600, "I25", {"currency": {"code": "EUR"}}))
        self.pull()
        bill = self.bill("EU-1")
        self.assertEqual(bill.currency_id, self.eur)
        self.assertEqual(bill.amount_total, 1250.0)
        self.assertEqual(bill.amount_tax, 250.0)
        entries = self.env["economic.entry"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("voucher_number", "=", bill.economic_purchase_voucher),
                ("entry_type", "=", "supplierInvoice"),
            ]
        )
        creditor = entries.filtered("supplier_number")
        self.assertEqual(creditor.currency_code, "EUR")
        payable = bill.line_ids.filtered(lambda line: line.display_type == "payment_term")
        self.assertAlmostEqual(payable.amount_currency, -1250.0)
        self.assertAlmostEqual(payable.balance, creditor.amount_base)
        expense = bill.invoice_line_ids
        net = entries.filtered(lambda e: e.account_number == 3600)
        self.assertAlmostEqual(expense.balance, net.amount_base)
        self.assertAlmostEqual(sum(bill.line_ids.mapped("balance")), 0.0)

    def test_daybook_webhook_makes_the_bills_at_once(self):
        self.pull()
        booked = self.book((25, 250, "W-1", 3600, "I25"))
        span = "1:%s-%s" % (booked["fromSerialNo"], booked["toSerialNo"])
        with self.backend._get_client() as client:
            state = PassState(self.engine, self.backend, client)
            self.env["economic.sync.entry"]._economic_pull_keys(state, "journal_entry", [span], {})
            state.flush_logs()
        self.assertEqual(self.bill("W-1").amount_total, 250.0)

    def test_other_companies_see_no_purchase_bindings(self):
        self.book((25, 250, "M-1", 3600, "I25"))
        self.pull()
        self.assertTrue(self.bill("M-1"))
        other = self.env["res.company"].create({"name": "Andet ApS"})
        user = self._new_user(
            "economic_purchase_other",
            "account.group_account_manager,economic_sync.group_economic_user",
            company=other,
        )
        env = self.env(user=user, context=dict(self.env.context, allowed_company_ids=[other.id]))
        self.assertFalse(env[BINDING].search([]))
        self.assertFalse(env["economic.backend"].search([]))
        self.assertTrue(self.env[BINDING].search([]))

    def test_pull_off_makes_nothing(self):
        self.setting("purchase").pull = False
        self.book((25, 250, "O-1", 3600, "I25"))
        self.run_pass(entities=ENTITIES)
        self.assertTrue(self.creditor("O-1"), "the entries are mirrored")
        self.assertFalse(self.bills())

    def test_date_from_leaves_older_supplier_invoices(self):
        self.backend.purchase_date_from = fields.Date.today() + dt.timedelta(days=1)
        self.book((25, 250, "D-1", 3600, "I25"))
        self.pull()
        self.assertFalse(self.bills())


@tagged("post_install", "-at_install")
class TestSyncPurchasesDanish(PurchaseHelpers, DanishChartCase):
    """The Danish chart: e-conomic's standard VAT codes mapped automatically to its taxes,
    a domestic purchase and an EU purchase of goods (reverse charge: e-conomic books the VAT
    and its counter-entry, Odoo's tax its two repartition lines) with e-conomic's totals."""

    def setUp(self):
        super().setUp()
        self.backend.action_test_connection()
        self.setting("purchase").write({"pull": True, "auto": True})
        self.run_pass(entities=["account", "vat_code"])
        self.economic_account(3600).account_id = self.env["account.account"].create(
            {"name": "Varekøb", "code": "603600", "account_type": "expense"}
        )

    def test_danish_taxes(self):
        self.assertEqual(self.vat("I25").tax_id, self.chart.ref("tax_k1"))
        self.assertEqual(self.vat("IEUV").tax_id, self.chart.ref("tax_keuv1"))
        self.book((25, 1250, "DK-1", 3600, "I25"))
        self.book((27, 1000, "EU-2", 3600, "IEUV"))
        self.pull()
        self.assertFalse(self.errors_of("DK-1") | self.errors_of("EU-2"))
        domestic = self.bill("DK-1")
        self.assertEqual(domestic.invoice_line_ids.tax_ids, self.chart.ref("tax_k1"))
        self.assertEqual((domestic.amount_untaxed, domestic.amount_tax), (1000.0, 250.0))
        eu = self.bill("EU-2")
        self.assertEqual(eu.invoice_line_ids.tax_ids, self.chart.ref("tax_keuv1"))
        self.assertEqual((eu.amount_untaxed, eu.amount_total), (1000.0, 1000.0))
        taxes = eu.line_ids.filtered(lambda line: line.display_type == "tax")
        self.assertEqual(sorted(taxes.mapped("balance")), [-250.0, 250.0])
