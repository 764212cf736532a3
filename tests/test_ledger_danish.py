"""A Danish company works out of the box (issue 15 §1): a fresh company with Odoo's Danish
chart loaded the real way (``l10n_dk``, ``try_loading('dk', …)``) connected to the sandbox's
demo agreement (e-conomic's Danish standard chart and VAT codes).

* the correspondence table of e-conomic's standard VAT codes (``models/sync_ledger/const.py``),
  one test per row against the real ``l10n_dk`` taxes;
* after the first pass: no account mapped across kinds or onto an account of another meaning
  (salaries, receivables, equity, VAT), the standard VAT codes on the right Danish taxes;
* a booked DKK invoice with 25 % goods, 25 % services and VAT-free lines pulled posted with
  Danish sales taxes, income accounts and e-conomic's totals, with no manual mapping;
* an Odoo invoice with Danish taxes pushed as a draft with e-conomic's matching VAT.
"""

from odoo import Command
from odoo.tests import tagged

from ..models.sync_ledger.const import (
    COMPATIBLE_TYPES,
    DANISH_FISCAL_POSITIONS,
    DANISH_VAT_CODES,
)
from .invoice_common import BINDING, InvoiceCase

#: what each row of the table must find in l10n_dk: the Odoo use, the rate in Odoo, the tax's
#: (untranslated) name for goods and for services, and the codes of the accounts of its
#: positive and negative (reverse charge) repartition lines of invoices
EXPECTED_TAXES = {
    "U25": ("sale", 25.0, "S-DK-25", "S-DK-Y-25", {"7680"}, set()),
    "I25": ("purchase", 25.0, "K-DK-Fradrag", "K-DK-Y-Fradrag", {"7740"}, set()),
    "UEUV": ("sale", 0.0, "S-EU-V-0", None, set(), set()),
    "UEUY": ("sale", 0.0, "S-EU-Y-0", None, set(), set()),
    "IEUV": ("purchase", 25.0, "K-EU-V-Fradrag", None, {"7740"}, {"7700"}),
    "IEUY": ("purchase", 25.0, "K-EU-Y-Fradrag", None, {"7740"}, {"7720"}),
    "IVV": ("purchase", 25.0, "K-%EU-V-Fradrag", None, {"7740"}, {"7700"}),
    "IVY": ("purchase", 25.0, "K-%EU-Y-Fradrag", None, {"7740"}, {"7720"}),
    "REP": ("purchase", 25.0, "K-DK-RepræsentationFradragFuld", None, {"7740"}, set()),
    "OBPK": ("purchase", 25.0, "K-DKO-Fradrag", None, {"7740"}, {"7680"}),
    "HREP": ("purchase", 25.0, "K-DK-FastnettelefonFuld", None, {"7740"}, set()),
    "UVC": ("sale", 0.0, "S-%EU-MF", None, set(), set()),
}
#: Odoo accounts of the Danish chart that mean something else than e-conomic's account of the
#: same number: nothing may be mapped onto them
TRAPS = {
    "5600": "fixtures, not debtors",
    "5810": "investments, not cash",
    "5820": "investments, not the bank",
    "6110": "work in progress, not share capital",
    "2200": "premises costs, not salaries",
    "3620": "exchange rate adjustments, not telephone",
    "3640": "interest on leasing, not the auditor",
    "7010": "deferred taxes, not purchase VAT",
    "7020": "pension provisions, not reverse-charge VAT",
    "8000": "pension payable, not equity",
}
#: where the VAT codes' accounts may land (the Danish chart's VAT accounts)
VAT_ACCOUNTS = {"7680", "7740", "7700", "7720"}


class DanishCase(InvoiceCase):
    """A company of its own with Odoo's Danish chart, its connection to the sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.env["res.company"].create(
            {
                "name": "Hansen Test ApS",
                "country_id": cls.env.ref("base.dk").id,
                "currency_id": cls.dkk.id,
            }
        )
        cls.env.user.company_ids |= company
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.env["account.chart.template"].try_loading("dk", company, install_demo=False)
        cls.company = company.with_env(cls.env)
        cls.backend = cls.env["economic.backend"].create(
            cls._backend_vals(name="Sandbox DK", company_id=company.id)
        )

    def ref(self, template_id):
        return self.env["account.chart.template"].with_company(self.company).ref(template_id)

    def odoo(self, code):
        Account = self.env["account.account"].with_company(self.company)
        return Account.search([*Account._check_company_domain(self.company), ("code", "=", code)])

    def account(self, number):
        return self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_number", "=", number)]
        )

    def vat(self, code):
        return self.env["economic.vat.code"].search(
            [("backend_id", "=", self.backend.id), ("code", "=", code)]
        )

    def mirrors(self):
        return self.env["economic.account"].search([("backend_id", "=", self.backend.id)])

    @property
    def Vat(self):
        return self.env["economic.vat.code"]


@tagged("post_install", "-at_install")
class TestDanishVatTable(DanishCase):
    """The correspondence table, row by row, against the Danish chart loaded for real."""

    def test_chart_loaded_the_real_way(self):
        self.assertEqual(self.company.chart_template, "dk")
        self.assertEqual(self.company.currency_id, self.dkk)
        self.assertEqual(self.company.account_sale_tax_id, self.ref("tax_s1"))

    def test_every_row_is_expected(self):
        self.assertEqual(set(DANISH_VAT_CODES), set(EXPECTED_TAXES))

    def check_row(self, code):
        row = DANISH_VAT_CODES[code]
        use, amount, name, services_name, positive, negative = EXPECTED_TAXES[code]
        tax = self.ref(row.tax)
        self.assertEqual((tax.name, tax.type_tax_use, tax.amount), (name, use, amount), code)
        self.assertEqual(tax.amount_type, "percent", code)
        lines = tax.invoice_repartition_line_ids.filtered(
            lambda line: line.repartition_type == "tax" and line.account_id
        )
        self.assertEqual(
            set(lines.filtered(lambda line: line.factor_percent > 0).account_id.mapped("code")),
            positive,
            code,
        )
        self.assertEqual(
            set(lines.filtered(lambda line: line.factor_percent < 0).account_id.mapped("code")),
            negative,
            code,
        )
        # e-conomic's reverse-charge codes are Odoo's taxes that book and take back the VAT
        self.assertEqual(row.vat_type == "reverse_charge", bool(negative), code)
        self.assertEqual({"sales": "sale"}.get(row.vat_type, "purchase"), use, code)
        if row.services_tax:
            services = self.ref(row.services_tax)
            self.assertEqual(services.name, services_name, code)
            self.assertEqual((services.type_tax_use, services.amount), (use, amount), code)
            self.assertEqual(
                services.invoice_repartition_line_ids.account_id,
                tax.invoice_repartition_line_ids.account_id,
                "goods and services book the same VAT account",
            )
        else:
            self.assertIsNone(services_name, code)

    def test_fiscal_positions_of_the_vat_zones(self):
        income = self.odoo("1010")
        expected = {"eu": "1050", "abroad": "1100"}
        for scope, template_id in DANISH_FISCAL_POSITIONS.items():
            position = self.ref(template_id)
            self.assertEqual(position.map_account(income).code, expected[scope], scope)


def _row_test(code):
    def test(self):
        self.check_row(code)

    test.__name__ = "test_row_%s" % code
    test.__doc__ = "e-conomic VAT code %s against l10n_dk" % code
    return test


for _code in DANISH_VAT_CODES:
    setattr(TestDanishVatTable, "test_row_%s" % _code, _row_test(_code))


@tagged("post_install", "-at_install")
class TestDanishLedger(DanishCase):
    def test_first_pass_maps_vat_codes_to_danish_taxes(self):
        self.run_pass(entities=["account", "vat_code"])
        expected = {
            "U25": ("tax_s1", "tax_s1y"),
            "I25": ("tax_k1", "tax_k1y"),
            "UEUV": ("tax_s2", None),
            "UEUY": ("tax_s3", None),
            "IEUV": ("tax_keuv1", None),
            "IEUY": ("tax_keuy1", None),
            "IVV": ("tax_k%euv1", None),
            "IVY": ("tax_k%euy1", None),
            "REP": ("tax_k25a", None),
        }
        for code, (goods, services) in expected.items():
            vat = self.vat(code)
            self.assertEqual(vat.tax_id, self.ref(goods), code)
            self.assertEqual(
                vat.tax_services_id, self.ref(services) if services else vat.tax_services_id, code
            )
            self.assertEqual((vat.mapping_state, vat.map_reason), ("auto", "danish_chart"), code)
        # suggested, never applied: an archived tax (accepting activates it), a partial
        # deduction whose share is the accountant's call
        obpk = self.vat("OBPK")
        self.assertFalse(obpk.tax_id)
        self.assertEqual(
            (obpk.suggested_tax_id, obpk.map_reason), (self.ref("tax_kdk01"), "inactive")
        )
        hrep = self.vat("HREP")
        self.assertFalse(hrep.tax_id)
        self.assertEqual(hrep.suggested_tax_id, self.ref("tax_k5a"))
        # the sandbox's test-only 12 %: Denmark has no such tax
        self.assertEqual((self.vat("U12").tax_id.id, self.vat("U12").map_reason), (False, "none"))
        manager = self._new_user(
            "dk_vat_manager",
            "base.group_user,account.group_account_manager,economic_sync.group_economic_manager",
            company=self.company,
        )
        obpk.with_user(manager).action_accept_suggestion()
        self.assertEqual(obpk.tax_id, self.ref("tax_kdk01"))
        self.assertTrue(obpk.tax_id.active)
        self.assertTrue(obpk.tax_manual)
        # services take their own tax; a tax chosen by hand is for goods and services alike
        u25 = self.vat("U25")
        self.assertEqual(self.Vat._tax_for(self.backend, "U25", services=True), self.ref("tax_s1y"))
        u25.with_user(manager).tax_id = self.ref("tax_s0")
        self.assertTrue(u25.tax_manual)
        self.assertFalse(u25.tax_services_id)
        self.assertEqual(self.Vat._tax_for(self.backend, "U25", services=True), self.ref("tax_s0"))

    def test_first_pass_never_maps_across_kinds_or_meanings(self):
        result = self.run_pass(entities=["account", "vat_code"])
        self.assertEqual(result["state"], "done", result)
        mirrors = self.mirrors()
        mapped = mirrors.filtered("account_id")
        for account in mapped:
            target = account.account_id
            if account.map_reason == "vat_code":
                self.assertIn(target.code, VAT_ACCOUNTS, account.display_name)
            else:
                kinds = COMPATIBLE_TYPES[(account.account_type, account.debit_credit)]
                self.assertIn(target.account_type, kinds, account.display_name)
            self.assertNotIn(target.code, TRAPS, "%s onto %s" % (account.display_name, target.code))
            self.assertFalse(account.account_manual)
        by_number = {a.account_number: a.account_id.code for a in mapped}
        bank = self.env["account.journal"].search(
            [("company_id", "=", self.company.id), ("type", "=", "bank")]
        )
        self.assertEqual(len(bank), 1)
        roles = {
            5600: "6190",  # Debitorer: the receivable account
            6800: "7440",  # Kreditorer: the payable account
            5820: bank.default_account_id.code,  # Bankkonto: the bank journal's account
            6902: "7680",  # Udgående (salg) moms: Salgsmoms
            6903: "7740",  # Indgående (køb) moms: Købsmoms (Odoo types it a liability)
            6906: "7740",  # Erhvervelsesmoms: Købsmoms
            1010: "1010",  # domestic sales
            1030: "1010",  # sales without VAT, domestic
            1025: "1050",  # EU goods: the EU fiscal position's income account
            1026: "1050",  # EU services: the same (Odoo maps 1010 only)
            1020: "1100",  # goods abroad: the 3rd countries fiscal position's
            1021: "1100",
        }
        self.assertEqual({n: by_number.get(n) for n in roles}, roles)
        # not surely mapped: a suggestion to confirm, or nothing, never the equal number
        for number, suggested in (
            (2210, "2850"),  # Lønninger, by its Danish name
            (6130, "6940"),  # Overført resultat
            (5810, "6471"),  # Kasse: the cash journal's account
            (6907, "7700"),  # goods and services reverse-charge VAT: two Odoo accounts
        ):
            account = self.account(number)
            self.assertFalse(account.account_id, number)
            self.assertEqual(account.mapping_state, "suggested", number)
            self.assertEqual(account.suggested_account_id.code, suggested, number)
        for number in (6110, 3620, 3640, 5660):
            account = self.account(number)
            self.assertFalse(account.account_id, number)
            self.assertNotEqual(account.suggested_account_id.code, str(number), number)
            self.assertTrue(account.mapping_note, number)
        self.assertEqual(self.account(3640).map_reason, "other_meaning")
        self.assertIn("another kind or name", self.account(3640).mapping_note)
        conflict = self.account(6907)
        self.assertEqual((conflict.map_reason, conflict.map_detail), ("conflict", "7700, 7720"))
        # the Accounts view shows what needs the accountant first
        listed = self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id)], order="mapping_sequence, account_number"
        )
        todo = listed.filtered(lambda a: a.mapping_state in ("todo", "suggested"))
        self.assertEqual(listed[: len(todo)], todo)
        self.assertEqual(self.backend.ledger_account_todo_count, len(todo))

    def test_rerun_on_a_danish_company_changes_nothing_made_surely(self):
        self.run_pass(entities=["account", "vat_code"])
        before = {a: a.account_id for a in self.mirrors()}
        changes = self.backend._rerun_ledger_mapping()
        self.assertEqual(changes, [])
        self.assertEqual({a: a.account_id for a in self.mirrors()}, before)


@tagged("post_install", "-at_install")
class TestDanishInvoices(DanishCase):
    def test_invoice_pulled_with_danish_taxes_and_accounts(self):
        # 25 % goods (group 1), 25 % services (group 3), VAT-free services (group 4) and goods
        # (group 2), for a Danish customer
        booked = self.book_new(
            1, [("1", 4, "70"), ("50", 3, "850"), ("51", 1, "1500"), ("EXPORT-1", 1, "1000")]
        )
        self.assertEqual(
            [float(line["vatRate"]) for line in booked["lines"]], [25.0, 25.0, 0.0, 0.0]
        )
        self.run_pass(
            full=True
        )  # the first pass: references, ledger, products, customers, invoices
        move = self.move(booked["bookedInvoiceNumber"])
        self.assertTrue(move, self.logs(state="failed").mapped("message"))
        self.assertEqual((move.state, move.company_id), ("posted", self.company))
        self.assertEqual(move.currency_id, self.dkk)
        taxes = {}
        for line in move.invoice_line_ids.filtered(lambda li: li.display_type == "product"):
            binding = self.env["economic.product.binding"].search(
                [("backend_id", "=", self.backend.id), ("product_id", "=", line.product_id.id)]
            )
            taxes[binding.economic_key] = line.tax_ids
            self.assertEqual(line.account_id, self.odoo("1010"), binding.economic_key)
        self.assertEqual(
            taxes,
            {
                "1": self.ref("tax_s1"),
                "50": self.ref("tax_s1y"),
                # VAT-free sales: the Danish chart's momsfritaget salg (its own VAT return box)
                "51": self.ref("tax_smf"),
                "EXPORT-1": self.ref("tax_smf"),
            },
        )
        self.assert_totals(move, self.booked(booked["bookedInvoiceNumber"]))
        # the VAT on Odoo's Salgsmoms account, the receivable on Debitorer's
        vat_line = move.line_ids.filtered(lambda li: li.display_type == "tax")
        self.assertEqual(vat_line.account_id.code, "7680")
        self.assertEqual(
            move.line_ids.filtered(lambda li: li.display_type == "payment_term").account_id.code,
            "6190",
        )
        # with no mapping made by hand
        self.assertFalse(self.mirrors().filtered("account_manual"))
        self.assertFalse(
            self.env["economic.vat.code"].search(
                [("backend_id", "=", self.backend.id), ("tax_manual", "=", True)]
            )
        )

    def test_odoo_invoice_pushed_with_matching_vat(self):
        self.run_pass(entities=["account", "vat_code", "customer", "product"])
        journal = self.env["account.journal"].create(
            {"name": "Salg til e-conomic", "code": "TOECO", "type": "sale"}
        )
        self.backend.write(
            {"write_back": True, "invoice_push_journal_ids": [Command.set(journal.ids)]}
        )
        self.setting("invoice").write({"push": True, "strategy": "economic_wins"})
        products = {
            number: self.env["economic.product.binding"]
            .search([("backend_id", "=", self.backend.id), ("economic_key", "=", number)])
            .product_id
            for number in ("1", "50", "51")
        }
        lines = [
            (products["1"], 3, 70.0, self.ref("tax_s1")),
            (products["50"], 2, 850.0, self.ref("tax_s1y")),
            (products["51"], 1, 1500.0, self.env["account.tax"]),
        ]
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.partner("customer", 1).id,
                "journal_id": journal.id,
                "currency_id": self.dkk.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": quantity,
                            "price_unit": price,
                            "tax_ids": [Command.set(tax.ids)],
                        }
                    )
                    for product, quantity, price, tax in lines
                ],
            }
        )
        move.action_post()
        self.assertEqual(move.amount_tax, 0.25 * (3 * 70 + 2 * 850))
        self.run_pass(entities=["invoice"])
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("move_id", "=", move.id)]
        )
        self.assertEqual(binding.doc_state, "draft", binding.last_error)
        with self.client() as client:
            draft = client.invoices.drafts.get(binding.draft_number)
        self.assertEqual(float(draft["vatAmount"]), move.amount_tax)
        self.assertEqual(float(draft["netAmount"]), move.amount_untaxed)
        self.assertEqual(float(draft["grossAmount"]), move.amount_total)
        self.assertFalse(binding.last_error)
