"""The chart of accounts, accounting years and VAT codes read from e-conomic (issue 7 §3):
mirrored by a pass against the sandbox, auto-mapped, kept when mapped by hand, refreshed,
archived, a missing mapping reported, "Create Missing Odoo Accounts"."""

import contextlib
import math
from unittest.mock import patch

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..engine.adapters import MissingMapping
from .sync_common import SyncCase

ECONOMIC_USER = "base.group_user,account.group_account_invoice,economic_sync.group_economic_user"
ACCOUNTING_MANAGER = "base.group_user,account.group_account_manager"


@tagged("post_install", "-at_install")
class TestSyncLedger(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Account = cls.env["economic.account"]
        cls.Vat = cls.env["economic.vat.code"]
        cls.company = cls.env.company
        # the tests' own 25 % taxes are the only ones: auto-mapping needs exactly one match
        cls.env["account.tax"].search(
            [
                *cls.env["account.tax"]._check_company_domain(cls.company),
                ("amount_type", "=", "percent"),
                ("amount", "in", (25.0, 6.25)),
            ]
        ).write({"active": False})

    # ------------------------------------------------------------------ helpers
    def account(self, number):
        return self.Account.with_context(active_test=False).search(
            [("backend_id", "=", self.backend.id), ("account_number", "=", number)]
        )

    def vat(self, code):
        return self.Vat.with_context(active_test=False).search(
            [("backend_id", "=", self.backend.id), ("code", "=", code)]
        )

    def odoo_account(self, code, account_type="asset_current", name=None):
        return self.env["account.account"].create(
            {
                "code": code,
                "name": name or "Odoo %s" % code,
                "account_type": account_type,
                "company_ids": [(6, 0, self.company.ids)],
            }
        )

    def tax(self, name, amount, use):
        return self.env["account.tax"].create(
            {
                "name": name,
                "amount": amount,
                "amount_type": "percent",
                "type_tax_use": use,
                "company_id": self.company.id,
            }
        )

    def odoo_accounts_by_code(self, codes):
        Account = self.env["account.account"].with_company(self.company)
        return {
            a.code: a
            for a in Account.search(
                [*Account._check_company_domain(self.company), ("code", "in", codes)]
            )
        }

    # ------------------------------------------------------------------ mirror
    def test_pass_mirrors_accounts_years_and_vat_codes(self):
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        accounts = self.Account.search([("backend_id", "=", self.backend.id)])
        remote = self.admin("GET", "/records/accounts")
        self.assertEqual(len(accounts), len(remote))
        bank = self.account(5800)
        self.assertEqual(bank.name, "Bank")
        self.assertEqual(bank.account_type, "status")
        self.assertEqual(bank.debit_credit, "debit")
        self.assertEqual(bank.balance, 125000.0)
        self.assertTrue(bank.postable)
        self.assertEqual(self.account(1010).vat_code, "U25")
        self.assertTrue(self.account(1000).block_direct_entries)
        self.assertFalse(self.account(1000).postable)  # a heading
        self.assertTrue(self.account(3630).barred)
        years = self.env["economic.accounting.year"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(years), 4)
        self.assertTrue(all(y.from_date and y.to_date for y in years))
        u25 = self.vat("U25")
        self.assertEqual((u25.rate, u25.vat_type, u25.account_number), (25.0, "sales", 7000))
        self.assertEqual(self.vat("I25").vat_type, "purchase")
        ieuv = self.vat("IEUV")
        self.assertEqual((ieuv.vat_type, ieuv.contra_account_number), ("reverse_charge", 7020))
        self.assertEqual(self.vat("REP").rate, 6.25)
        self.assertTrue(self.vat("I12").barred)
        self.assertEqual(len(self.Vat.search([("backend_id", "=", self.backend.id)])), 8)
        created = self.logs(entity="account", operation="create")
        self.assertEqual(len(created), len(remote) + 4)
        self.assertEqual(len(self.logs(entity="vat_code", operation="create")), 8)
        self.assertIn("5800", created.mapped("economic_key"))
        # read-first: nothing is ever written to e-conomic, a second pass changes nothing
        self.assertEqual({r["method"] for r in self.requests_log()}, {"GET"})
        before = self.logs()
        result = self.run_pass()
        self.assertEqual((result["created"], result["updated"]), (0, 0), result)
        self.assertEqual(self.logs() - before, self.env["economic.sync.log"])

    def ledger_pass_queries(self, **patches):
        """Queries of a first pass of the accounts (the mirrors made before are deleted)."""
        from ..models.sync_ledger import pull

        for model in ("economic.account", "economic.accounting.year"):
            self.env[model].with_context(active_test=False).search(
                [("backend_id", "=", self.backend.id)]
            ).unlink()
        self.env.flush_all()
        count0 = self.env.cr.sql_log_count
        with patch.multiple(pull, **patches) if patches else contextlib.nullcontext():
            result = self.run_pass(entities=["account"])
        self.assertEqual(result["state"], "done", result)
        return self.env.cr.sql_log_count - count0

    def test_read_a_page_at_a_time_no_query_per_record(self):
        all_accounts = self.ledger_pass_queries()
        remote = self.admin("GET", "/records/accounts")
        for record in remote[:10]:
            self.admin("POST", "/delete", {"resource": "accounts", "key": record["accountNumber"]})
        fewer_accounts = self.ledger_pass_queries()
        # ten accounts more cost (almost) nothing: one search, one create, one batch of logs
        self.assertLess(all_accounts - fewer_accounts, 5, (all_accounts, fewer_accounts))
        # small pages: each requested once, every record mirrored once
        self.clear_requests()
        self.ledger_pass_queries(PAGE_SIZE=5)
        pages = [r for r in self.requests_log() if r["path"] == "/accounts"]
        self.assertEqual(len(pages), math.ceil((len(remote) - 10) / 5))
        self.assertEqual(
            len(self.Account.search([("backend_id", "=", self.backend.id)])), len(remote) - 10
        )
        self.assertFalse([r for r in self.requests_log() if r["path"] == "/vat-accounts"])

    def test_pull_off_reads_nothing(self):
        self.setting("account").pull = False
        self.setting("vat_code").pull = False
        self.clear_requests()
        self.run_pass()
        paths = {r["path"] for r in self.requests_log()}
        self.assertFalse(paths & {"/accounts", "/vat-accounts", "/accounting-years"}, paths)
        self.assertFalse(self.account(5800))

    def test_balance_refreshed_by_next_pass(self):
        self.run_pass()
        self.assertEqual(self.account(5800).balance, 125000.0)
        self.admin(
            "POST", "/edit", {"resource": "accounts", "key": 5800, "changes": {"balance": 130250.5}}
        )
        result = self.run_pass()
        self.assertEqual(self.account(5800).balance, 130250.5)
        self.assertEqual(result["updated"], 1, result)

    def test_account_removed_in_economic_archived(self):
        self.run_pass()
        self.admin("POST", "/delete", {"resource": "accounts", "key": 3620})
        self.admin("POST", "/delete", {"resource": "vat-accounts", "key": "REP"})
        result = self.run_pass()
        self.assertEqual(result["archived"], 2, result)
        self.assertFalse(self.account(3620).active)
        self.assertTrue(self.account(3600).active)
        self.assertFalse(self.vat("REP").active)
        line = self.logs(entity="account", operation="archive")
        self.assertEqual(line.economic_key, "3620")
        self.assertEqual((line.res_model, line.res_id), ("economic.account", self.account(3620).id))
        with self.assertRaises(MissingMapping):
            self.Account._account_for(self.backend, 3620)

    # ------------------------------------------------------------------ mapping
    def test_auto_mapping_by_code_and_by_rate_and_type(self):
        bank = self.odoo_account("5800", "asset_cash", "Bank DK")
        sale25 = self.tax("Sale 25", 25.0, "sale")
        purchase25 = self.tax("Purchase 25", 25.0, "purchase")
        self.run_pass()
        self.assertEqual(self.account(5800).account_id, bank)
        self.assertFalse(self.account(5800).account_manual)
        self.assertFalse(self.account(5810).account_id)
        self.assertEqual(self.vat("U25").tax_id, sale25)
        self.assertEqual(self.vat("I25").tax_id, purchase25)
        # reverse charge is not the domestic purchase tax; no 6.25 % tax: left for the user
        self.assertFalse(self.vat("IEUV").tax_id)
        self.assertFalse(self.vat("REP").tax_id)
        # an Odoo account made later is mapped by the next pass; two equal taxes map nothing
        cash = self.odoo_account("5810", "asset_cash", "Cash DK")
        self.tax("Representation A", 6.25, "purchase")
        self.tax("Representation B", 6.25, "purchase")
        self.run_pass()
        self.assertEqual(self.account(5810).account_id, cash)
        self.assertFalse(self.vat("REP").tax_id)
        self.assertEqual(self.Account._account_for(self.backend, 5800), bank)
        self.assertEqual(self.Vat._tax_for(self.backend, "U25"), sale25)

    def test_manual_mapping_kept_across_passes(self):
        self.odoo_account("5800", "asset_cash")
        self.tax("Sale 25", 25.0, "sale")
        self.run_pass()
        other = self.odoo_account("5899", "asset_cash", "Main bank")
        other_tax = self.tax("Sale 25 (services)", 25.0, "sale")
        self.account(5800).account_id = other
        self.vat("U25").tax_id = other_tax
        self.vat("I25").tax_id = False  # unmapped by hand: a purchase tax appearing later...
        self.assertTrue(self.account(5800).account_manual)
        self.assertTrue(self.vat("U25").tax_manual)
        self.tax("Purchase 25", 25.0, "purchase")
        self.admin(
            "POST", "/edit", {"resource": "accounts", "key": 5800, "changes": {"name": "Bank 2"}}
        )
        self.run_pass()
        self.assertEqual(self.account(5800).name, "Bank 2")
        self.assertEqual(self.account(5800).account_id, other)
        self.assertEqual(self.vat("U25").tax_id, other_tax)
        self.assertFalse(self.vat("I25").tax_id)  # ...is not mapped over the user's choice

    def test_tax_for_names_what_to_configure(self):
        self.run_pass()
        with self.assertRaises(MissingMapping) as caught:
            self.Vat._tax_for(self.backend, "REP")
        self.assertEqual(
            str(caught.exception),
            "Map the e-conomic VAT code 'REP' (6.25 %) to an Odoo tax under Invoicing → "
            "Configuration → e-conomic → VAT Codes.",
        )
        with self.assertRaises(MissingMapping) as caught:
            self.Vat._tax_for(self.backend, "X99")
        self.assertIn("'X99'", str(caught.exception))
        with self.assertRaises(MissingMapping) as caught:
            self.Account._account_for(self.backend, 1300)
        self.assertIn("e-conomic account 1300 (Vareforbrug)", str(caught.exception))
        self.assertIn("Invoicing → Configuration → e-conomic → Accounts", str(caught.exception))

    # ------------------------------------------------------------------ create missing
    def test_create_missing_accounts_with_sensible_types(self):
        self.run_pass()
        bank = self.odoo_account("5800", "asset_cash", "Bank DK")
        manager = self._new_user("ledger_manager", ACCOUNTING_MANAGER)
        accounts = self.Account.search([("backend_id", "=", self.backend.id)])
        result = accounts.with_user(manager).action_create_missing_accounts()
        self.assertEqual(result["params"]["type"], "success")
        postable = accounts.filtered("postable")
        self.assertTrue(all(postable.mapped("account_id")))
        self.assertFalse(accounts.filtered(lambda a: not a.postable).account_id)
        self.assertEqual(self.account(5800).account_id, bank)  # mapped, not created again
        by_code = self.odoo_accounts_by_code([str(n) for n in postable.mapped("account_number")])
        self.assertEqual(len(by_code), len(postable))
        self.assertNotIn("1000", self.odoo_accounts_by_code(["1000"]))  # a heading
        expected = {
            "5600": "asset_receivable",
            "6800": "liability_payable",
            "5810": "asset_cash",
            "8000": "equity",
            "7000": "liability_current",
            "7010": "asset_current",
            "1010": "income",
            "1300": "expense_direct_cost",
            "3600": "expense",
        }
        self.assertEqual({c: by_code[c].account_type for c in expected}, expected)
        self.assertTrue(by_code["5600"].reconcile)
        self.assertTrue(by_code["6800"].reconcile)
        self.assertTrue(by_code["3630"].deprecated)  # barred in e-conomic
        self.assertEqual(by_code["1300"].name, "Vareforbrug")
        self.assertEqual(self.account(1300).account_id, by_code["1300"])
        self.assertFalse(self.account(1300).account_manual)
        # run again: nothing left to create
        result = accounts.with_user(manager).action_create_missing_accounts()
        self.assertIn("0 Odoo accounts", result["params"]["message"])

    def test_plain_user_cannot_create_accounts(self):
        self.run_pass()
        user = self._new_user("ledger_user", ECONOMIC_USER)
        accounts = self.Account.with_user(user).search([("backend_id", "=", self.backend.id)])
        self.assertTrue(accounts)  # users see the mirror
        with self.assertRaises(AccessError):
            accounts.action_create_missing_accounts()
        with self.assertRaises(AccessError):
            accounts.filtered("postable")[:1].account_id = self.odoo_account("4711")
        self.assertFalse(self.Account.search([("account_id", "!=", False)]))
