"""The reconciliation report (issue 17 §4), on real Odoo against the sandbox: where both sides
agree it shows no difference; each kind of difference prepared on one side appears once with
the right figures and opens the records behind it; opening it asks e-conomic nothing; it
prints and exports."""

from markupsafe import escape

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .test_invoice_money import DanishCompanyCase

LINE = "economic.reconciliation.line"


@tagged("post_install", "-at_install")
class TestReconciliation(DanishCompanyCase):
    def setUp(self):
        super().setUp()
        # e-conomic's payments registered in Odoo: a seeded invoice was paid before the pull
        self.backend.write(
            {"invoice_register_payments": True, "invoice_payment_journal_id": self.bank.id}
        )
        result = self.pull(entities=("customer", "supplier", "invoice", "credit_note"))
        self.assertEqual(result["state"], "done", result)

    # ------------------------------------------------------------------ helpers
    def refresh(self):
        action = self.backend.action_reconciliation_refresh()
        self.env.invalidate_all()
        self.assertEqual(action["res_model"], LINE)
        self.assertEqual(action["domain"], [("backend_id", "=", self.backend.id)])
        return self.lines()

    def lines(self, **filters):
        domain = [("backend_id", "=", self.backend.id)]
        domain += [(name, "=", value) for name, value in filters.items()]
        return self.env[LINE].search(domain)

    def opened(self, line):
        action = line.action_open()
        return (
            self.env[action["res_model"]]
            .with_context(active_test=False)
            .search(action["domain"], order="id")
        )

    def one(self, lines, what):
        self.assertEqual(len(lines), 1, "%s: %s" % (what, lines.mapped("label")))
        return lines

    def describe(self, lines):
        return [(line.section, line.label, line.note) for line in lines]

    def new_customer(self, name):
        with self.client() as client:
            model = client.customers.get(1)
            return client.customers.create(
                {
                    "name": name,
                    "currency": model["currency"],
                    "customerGroup": {
                        "customerGroupNumber": model["customerGroup"]["customerGroupNumber"]
                    },
                    "paymentTerms": {
                        "paymentTermsNumber": model["paymentTerms"]["paymentTermsNumber"]
                    },
                    "vatZone": {"vatZoneNumber": model["vatZone"]["vatZoneNumber"]},
                }
            )

    # ------------------------------------------------------------------ tests
    def test_both_sides_agree(self):
        lines = self.refresh()
        self.assertFalse(lines.filtered("is_difference"), self.describe(lines))
        self.assertEqual(
            set(lines.mapped("section")), {"partners", "balances", "months", "invoices"}
        )
        self.assertTrue(self.backend.reconciliation_refreshed_at)
        # grouped by section as the report's action groups it: its own order
        groups = self.env[LINE].read_group(
            [("backend_id", "=", self.backend.id)], ["is_difference"], ["section"]
        )
        # every section is listed (supplier balances empty: Purchases are not pulled here)
        self.assertEqual(
            [group["section"] for group in groups],
            ["partners", "balances", "supplier_balances", "months", "invoices"],
        )
        self.assertIn("mirror refreshed on", self.backend._reconciliation_action()["name"])
        # the summary rows count and open what agrees
        customers = self.admin("GET", "/records/customers")
        bound = self.env["economic.partner.binding"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "customer")]
        )
        self.assertEqual(len(bound), len(customers))
        summary = self.one(
            lines.filtered(lambda line: line.section == "partners" and "customer" in line.label),
            "customer summary",
        )
        self.assertEqual(summary.economic_count, len(customers))
        self.assertEqual(self.opened(summary), bound.partner_id.sorted("id"))
        booked = self.admin("GET", "/records/invoices/booked")
        invoices = self.one(lines.filtered(lambda line: line.section == "invoices"), "invoices")
        self.assertEqual(invoices.odoo_count, len(booked))
        self.assertEqual(
            self.opened(invoices).mapped("economic_booked_number"),
            sorted(r["bookedInvoiceNumber"] for r in booked),
        )
        self.assertEqual(
            self.env["economic.reconciliation.invoice"].search_count(
                [("backend_id", "=", self.backend.id)]
            ),
            len(booked),
        )

    def test_each_difference_once_with_its_figures(self):
        self.assertFalse(self.refresh().filtered("is_difference"))
        booked = {
            r["bookedInvoiceNumber"]: r for r in self.admin("GET", "/records/invoices/booked")
        }
        first = min(booked)  # customer 1's open invoice of the seed
        self.assertEqual(booked[first]["customer"]["customerNumber"], 1)
        changed = next(
            number
            for number, record in sorted(booked.items())
            if float(record["grossAmount"]) > 0
            and record["customer"]["customerNumber"] != 1
            and float(record["remainder"])
        )
        # Odoo: a customer never pushed; a bound move's total changed behind Odoo's back
        lonely = self.Partner.create({"name": "Never Pushed ApS", "customer_rank": 1})
        move = self.move(changed)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE account_move SET amount_total_signed = amount_total_signed + 10 WHERE id = %s",
            (move.id,),
        )
        self.env.invalidate_all()
        # e-conomic: a customer created, a payment, an invoice booked after the pull
        created = self.new_customer("Only In e-conomic A/S")
        self.admin("POST", "/payments", {"bookedInvoiceNumber": first, "amount": "100.00"})
        late = self.book_new(3, [("1", 2, "100")], date=booked[first]["date"])
        gross = float(late["grossAmountInBaseCurrency"])

        lines = self.refresh()
        differences = lines.filtered("is_difference")
        partners = differences.filtered(lambda line: line.section == "partners")
        self.assertEqual(len(partners), 2, self.describe(partners))
        only_odoo = self.one(partners.filtered("partner_id"), "customer only in Odoo")
        self.assertEqual(only_odoo.partner_id, lonely)
        self.assertEqual((only_odoo.odoo_count, only_odoo.economic_count), (1, 0))
        self.assertEqual(self.opened(only_odoo), lonely)
        only_economic = partners - only_odoo
        self.assertEqual(only_economic.economic_key, str(created["customerNumber"]))
        self.assertEqual(self.opened(only_economic).number, created["customerNumber"])

        balances = differences.filtered(lambda line: line.section == "balances")
        self.assertEqual(
            sorted(balances.mapped("economic_key")), ["1", "3"], self.describe(balances)
        )
        paid = balances.filtered(lambda line: line.economic_key == "1")
        self.assertAlmostEqual(paid.difference, -100.0, 2)
        self.assertAlmostEqual(paid.economic_amount, paid.odoo_amount - 100.0, 2)
        customer1 = self.partner("customer", 1)
        self.assertEqual(paid.partner_id, customer1)
        self.assertIn(self.move(first), self.opened(paid))
        self.assertEqual(self.opened(paid).commercial_partner_id, customer1)
        later = balances - paid
        self.assertAlmostEqual(later.difference, gross, 2)

        months = differences.filtered(lambda line: line.section == "months")
        self.assertEqual(len(months), 2, self.describe(months))
        month_late = self.one(months.filtered(lambda line: line.month == late["date"][:7]), "late")
        self.assertEqual(month_late.economic_count, month_late.odoo_count + 1)
        self.assertAlmostEqual(month_late.difference, gross, 2)
        self.assertIn(late["bookedInvoiceNumber"], self.opened(month_late).mapped("booked_number"))
        month_changed = months - month_late
        self.assertEqual(month_changed.month, booked[changed]["date"][:7])
        self.assertEqual(month_changed.economic_count, month_changed.odoo_count)
        self.assertAlmostEqual(month_changed.difference, -10.0, 2)
        self.assertIn(move, self.opened(month_changed))

        invoices = differences.filtered(lambda line: line.section == "invoices")
        self.assertEqual(len(invoices), 2, self.describe(invoices))
        new = self.one(
            invoices.filtered(lambda line: line.economic_key == str(late["bookedInvoiceNumber"])),
            "late invoice",
        )
        self.assertEqual((new.odoo_count, new.economic_count), (0, 1))
        self.assertAlmostEqual(new.economic_amount, gross, 2)
        self.assertEqual(self.opened(new).booked_number, late["bookedInvoiceNumber"])
        total = invoices - new
        self.assertEqual(total.economic_key, str(changed))
        self.assertAlmostEqual(total.difference, -10.0, 2)
        self.assertAlmostEqual(
            total.economic_amount, float(booked[changed]["grossAmountInBaseCurrency"]), 2
        )
        self.assertEqual(self.opened(total), move)
        # differences come first in each section
        for section in ("partners", "balances", "months", "invoices"):
            flags = lines.filtered(lambda line, s=section: line.section == s).mapped(
                "is_difference"
            )
            self.assertEqual(flags, sorted(flags, reverse=True), section)
        self.assertEqual(self.backend.reconciliation_difference_count, len(differences))

    def test_opening_asks_economic_nothing(self):
        self.refresh()
        self.Partner.create({"name": "Never Pushed ApS", "customer_rank": 1})
        self.clear_requests()
        action = self.backend.action_open_reconciliation()
        self.assertEqual(self.requests_log(), [])
        self.assertEqual(action["context"]["group_by"], ["section"])
        # the Odoo side is read again when opened (no refresh needed)
        self.assertEqual(len(self.lines(is_difference=True)), 1)
        # the list's Recompute does the same, from the action's context
        self.env[LINE].with_context(
            economic_reconciliation_backend_id=self.backend.id
        ).action_reconciliation_recompute()
        self.assertEqual(self.requests_log(), [])

    def test_prints_and_exports(self):
        lines = self.refresh()
        content, kind = self.env["ir.actions.report"]._render_qweb_pdf(
            "economic_sync.action_report_economic_reconciliation", self.backend.ids
        )
        self.assertIn(kind, ("pdf", "html"))
        html = content.decode()
        self.assertIn("Reconciliation of", html)
        self.assertIn("Mirror refreshed on", html)
        for line in lines:
            self.assertIn(str(escape(line.label)), html)
        # the list's Print (Odoo asks an administrator for the document layout first)
        action = (
            self.env[LINE]
            .with_context(
                economic_reconciliation_backend_id=self.backend.id, discard_logo_check=True
            )
            .action_reconciliation_print()
        )
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_name"], "economic_sync.report_economic_reconciliation")
        self.assertEqual(action["context"]["active_ids"], self.backend.ids)
        exported = lines.export_data(
            ["section", "label", "odoo_count", "economic_count", "odoo_amount", "difference"]
        )["datas"]
        self.assertEqual(len(exported), len(lines))
        self.assertEqual({row[1] for row in exported}, set(lines.mapped("label")))

    def test_rights(self):
        self.refresh()
        user = self._new_user(
            "reconciliation_user",
            "base.group_user,economic_sync.group_economic_user",
            company=self.company,
        )
        backend = self.backend.with_user(user)
        action = backend.action_open_reconciliation()
        self.assertTrue(self.env[LINE].with_user(user).search(action["domain"]))
        with self.assertRaises(AccessError):
            backend.action_reconciliation_refresh()
        # the report's views load for the user
        for model in (LINE, "economic.reconciliation.party", "economic.reconciliation.invoice"):
            self.env[model].with_user(user).get_views([(False, "list"), (False, "search")])
        # a user of another company sees neither the report nor its snapshot
        other = self.env["res.company"].create({"name": "Other Company ApS"})
        stranger = self._new_user(
            "reconciliation_stranger",
            "base.group_user,economic_sync.group_economic_user",
            company=other,
        )
        for model in (LINE, "economic.reconciliation.party", "economic.reconciliation.invoice"):
            self.assertTrue(self.env[model].search([("backend_id", "=", self.backend.id)]))
            foreign = (
                self.env[model].with_user(stranger).with_context(allowed_company_ids=other.ids)
            )
            self.assertFalse(foreign.search([]), model)

    def test_other_base_currency_says_so_and_compares_no_amount(self):
        booked = self.admin("GET", "/records/invoices/booked")
        first = min(r["bookedInvoiceNumber"] for r in booked)
        self.admin("POST", "/payments", {"bookedInvoiceNumber": first, "amount": "100.00"})
        self.assertTrue(
            self.refresh().filtered(lambda line: line.section == "balances" and line.is_difference)
        )
        self.backend.base_currency = "EUR"
        action = self.backend.action_open_reconciliation()
        self.assertIn("EUR", action["name"])
        self.assertIn("not compared", action["name"])
        lines = self.lines()
        self.assertFalse(lines.filtered("is_difference"), self.describe(lines))
        summary = lines.filtered(lambda line: line.section == "balances")
        self.assertIn("EUR", summary.note)
