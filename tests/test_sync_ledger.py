"""The chart of accounts, accounting years and VAT codes read from e-conomic (issue 7 §3):
mirrored by a pass against the sandbox, refreshed, archived, a missing mapping reported,
"Create Missing Odoo Accounts"; mapped automatically (issue 15 §1) by role, by equal number
only where kinds and names agree, suggestions confirmed in one click, mappings by hand kept,
Re-run Automatic Mapping, the 18.0.1.2.0 migration. On the tests' company (Odoo's generic
chart); the Danish chart: ``test_ledger_danish.py``."""

import contextlib
import importlib.util
import math
from pathlib import Path
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

    def ledger_pass(self):
        """A pass of the accounts and VAT codes alone (with the references)."""
        result = self.run_pass(entities=["account", "vat_code"])
        self.assertEqual(result["state"], "done", result)
        return result

    # ------------------------------------------------------------------ mirror
    def test_pass_mirrors_accounts_years_and_vat_codes(self):
        self.clear_requests()
        self.ledger_pass()
        accounts = self.Account.search([("backend_id", "=", self.backend.id)])
        remote = self.admin("GET", "/records/accounts")
        self.assertEqual(len(accounts), len(remote))
        bank = self.account(5820)
        self.assertEqual(bank.name, "Bankkonto")
        self.assertEqual(bank.account_type, "status")
        self.assertEqual(bank.debit_credit, "debit")
        self.assertEqual(bank.balance, 125000.0)
        self.assertTrue(bank.postable)
        self.assertEqual(bank.journal_names, "Indbetalinger")  # journal 2's contra account
        self.assertFalse(self.account(5810).journal_names)
        self.assertEqual(self.account(1010).vat_code, "U25")
        self.assertTrue(self.account(1000).block_direct_entries)
        self.assertFalse(self.account(1000).postable)  # a heading
        self.assertEqual(self.account(1000).mapping_state, "none")
        self.assertTrue(self.account(3630).barred)
        years = self.env["economic.accounting.year"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(years), 4)
        self.assertTrue(all(y.from_date and y.to_date for y in years))
        u25 = self.vat("U25")
        self.assertEqual((u25.rate, u25.vat_type, u25.account_number), (25.0, "sales", 6902))
        self.assertEqual(self.vat("I25").vat_type, "purchase")
        ieuv = self.vat("IEUV")
        self.assertEqual((ieuv.vat_type, ieuv.contra_account_number), ("reverse_charge", 6907))
        self.assertEqual(self.vat("REP").rate, 6.25)
        self.assertTrue(self.vat("I12").barred)
        codes = self.admin("GET", "/records/vat-accounts")
        self.assertEqual(len(self.Vat.search([("backend_id", "=", self.backend.id)])), len(codes))
        created = self.logs(entity="account", operation="create")
        self.assertEqual(len(created), len(remote) + 4)
        self.assertEqual(len(self.logs(entity="vat_code", operation="create")), len(codes))
        self.assertIn("5820", created.mapped("economic_key"))
        # read-first: nothing is ever written to e-conomic, the journals are read once
        self.assertEqual({r["method"] for r in self.requests_log()}, {"GET"})
        self.assertEqual(len([r for r in self.requests_log() if r["path"] == "/journals"]), 1)
        # a second pass changes nothing
        before = self.logs()
        result = self.ledger_pass()
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
        self.ledger_pass_queries()  # warm: what is cached after a first pass (defaults, refs)
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
        # the journal entries read the accounting years and journals themselves
        self.setting("journal_entry").pull = False
        self.clear_requests()
        self.run_pass()
        paths = {r["path"] for r in self.requests_log()}
        self.assertFalse(
            paths & {"/accounts", "/vat-accounts", "/accounting-years", "/journals"}, paths
        )
        self.assertFalse(self.account(5820))

    def test_balance_refreshed_by_next_pass(self):
        self.ledger_pass()
        self.assertEqual(self.account(5820).balance, 125000.0)
        self.admin(
            "POST", "/edit", {"resource": "accounts", "key": 5820, "changes": {"balance": 130250.5}}
        )
        result = self.ledger_pass()
        self.assertEqual(self.account(5820).balance, 130250.5)
        self.assertEqual(result["updated"], 1, result)

    def test_account_removed_in_economic_archived(self):
        self.ledger_pass()
        self.admin("POST", "/delete", {"resource": "accounts", "key": 3620})
        self.admin("POST", "/delete", {"resource": "vat-accounts", "key": "REP"})
        result = self.ledger_pass()
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
    def company_default(self, model, fname):
        value = self.env["ir.default"]._get(model, fname, company_id=self.company.id)
        return self.env["account.account"].browse(value)

    def test_accounts_mapped_by_role(self):
        """The groups', journals' and product groups' accounts map to the Odoo accounts of
        their role, whatever their numbers."""
        self.ledger_pass()
        receivable = self.company_default("res.partner", "property_account_receivable_id")
        payable = self.company_default("res.partner", "property_account_payable_id")
        income = self.company_default("product.category", "property_account_income_categ_id")
        bank = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company),
                ("type", "=", "bank"),
            ],
            order="sequence, id",
        )
        self.assertTrue(receivable and payable and income and bank)
        debtors = self.account(5600)
        self.assertEqual((debtors.account_id, debtors.map_reason), (receivable, "customer_group"))
        self.assertEqual(debtors.map_detail, "Danske, Koncern, Udenlandske")
        self.assertIn("customer groups Danske, Koncern, Udenlandske", debtors.mapping_note)
        self.assertEqual(self.account(6800).account_id, payable)
        if len(bank) == 1:
            self.assertEqual(self.account(5820).account_id, bank.default_account_id)
            self.assertEqual(self.account(5820).map_reason, "journal")
        else:  # several bank journals: which one is the accountant's call
            self.assertEqual(self.account(5820).mapping_state, "suggested")
        # sales accounts of the product groups, every VAT zone: the income account (this
        # chart has no fiscal position mapping accounts)
        for number in (1010, 1015, 1020, 1021, 1025, 1026, 1030):
            self.assertEqual(self.account(number).account_id, income, number)
            self.assertEqual(self.account(number).map_reason, "sales", number)
        for account in self.Account.search([("backend_id", "=", self.backend.id)]):
            self.assertFalse(account.account_manual)
            if account.account_id:
                self.assertEqual(account.mapping_state, "auto")

    def test_equal_number_only_where_kinds_and_names_agree(self):
        salaries = self.odoo_account("2210", "expense", "Lønninger")
        other_meaning = self.odoo_account("3640", "expense", "Renter på finansiel leasinggæld")
        other_kind = self.odoo_account("6110", "asset_fixed", "Anpartskapital")
        self.ledger_pass()
        self.assertEqual(self.account(2210).account_id, salaries)
        self.assertEqual(self.account(2210).map_reason, "number")
        # same number, another meaning: not mapped, and the view says why and what to do
        auditor = self.account(3640)
        self.assertFalse(auditor.account_id)
        self.assertEqual(auditor.mapping_state, "todo")
        self.assertEqual(auditor.map_reason, "other_meaning")
        self.assertIn("3640 Renter på finansiel leasinggæld", auditor.mapping_note)
        self.assertIn("Create Missing Odoo Accounts", auditor.mapping_note)
        # same number and name, another kind (an e-conomic credit balance is no asset)
        self.assertFalse(self.account(6110).account_id)
        self.assertNotEqual(self.account(6110).suggested_account_id, other_kind)
        self.assertFalse(
            self.Account.search([("account_id", "in", (other_meaning | other_kind).ids)])
        )
        # an Odoo account made later is mapped by the next pass
        rent = self.odoo_account("3410", "expense", "Husleje")
        self.ledger_pass()
        self.assertEqual(self.account(3410).account_id, rent)

    def test_unmapped_first_with_a_suggestion_confirmed_in_one_click(self):
        salaries = self.odoo_account("2850", "expense", "Lønninger")
        self.ledger_pass()
        account = self.account(2210)
        self.assertFalse(account.account_id)
        self.assertEqual(account.suggested_account_id, salaries)
        self.assertEqual((account.mapping_state, account.map_reason), ("suggested", "name"))
        self.assertIn("Accept the suggestion", account.mapping_note)
        # the Accounts view's order: what needs the user first (to do, then suggestions)
        listed = self.Account.search(
            [("backend_id", "=", self.backend.id)], order="mapping_sequence, account_number"
        )
        states = listed.mapped("mapping_state")
        first_done = next(i for i, state in enumerate(states) if state not in ("todo", "suggested"))
        self.assertTrue(first_done > 0)
        self.assertFalse({"todo", "suggested"} & set(states[first_done:]))
        self.assertLess(states.index("todo"), states.index("suggested"))
        # never applied silently: a second pass leaves it a suggestion
        self.ledger_pass()
        self.assertFalse(self.account(2210).account_id)
        # one click (a manager): mapped, the user's choice from then on
        manager = self._new_user(
            "ledger_accept", ACCOUNTING_MANAGER + ",economic_sync.group_economic_manager"
        )
        account.with_user(manager).action_accept_suggestion()
        self.assertEqual(account.account_id, salaries)
        self.assertTrue(account.account_manual)
        self.assertEqual(account.mapping_state, "manual")
        self.assertFalse(account.suggested_account_id)
        self.ledger_pass()
        self.assertEqual(self.account(2210).account_id, salaries)

    def test_auto_mapping_of_vat_codes_by_rate_and_type(self):
        sale25 = self.tax("Sale 25", 25.0, "sale")
        purchase25 = self.tax("Purchase 25", 25.0, "purchase")
        self.ledger_pass()
        self.assertEqual(self.vat("U25").tax_id, sale25)
        self.assertEqual(self.vat("U25").map_reason, "rate")
        self.assertFalse(self.vat("U25").tax_services_id)  # this chart has none for services
        self.assertEqual(self.vat("I25").tax_id, purchase25)
        # reverse charge is not the domestic purchase tax; no 6.25 % tax: left for the user
        self.assertFalse(self.vat("IEUV").tax_id)
        self.assertEqual(self.vat("REP").map_reason, "none")
        self.assertIn("6.25 %", self.vat("REP").mapping_note)
        # two equal taxes map nothing: the company's default tax of that use is suggested
        self.tax("Representation A", 6.25, "purchase")
        self.tax("Representation B", 6.25, "purchase")
        self.ledger_pass()
        self.assertFalse(self.vat("REP").tax_id)
        self.assertEqual(self.vat("REP").map_reason, "ambiguous")
        self.assertEqual(self.Vat._tax_for(self.backend, "U25"), sale25)
        self.assertEqual(self.Vat._tax_for(self.backend, "U25", services=True), sale25)

    def test_manual_mapping_kept_across_passes(self):
        self.tax("Sale 25", 25.0, "sale")
        self.ledger_pass()
        other = self.odoo_account("5899", "asset_cash", "Main bank")
        other_tax = self.tax("Sale 25 (services)", 25.0, "sale")
        self.account(5820).account_id = other
        self.vat("U25").tax_id = other_tax
        self.vat("I25").tax_id = False  # unmapped by hand: a purchase tax appearing later...
        self.assertTrue(self.account(5820).account_manual)
        self.assertTrue(self.vat("U25").tax_manual)
        self.tax("Purchase 25", 25.0, "purchase")
        self.admin(
            "POST", "/edit", {"resource": "accounts", "key": 5820, "changes": {"name": "Bank 2"}}
        )
        self.ledger_pass()
        self.assertEqual(self.account(5820).name, "Bank 2")
        self.assertEqual(self.account(5820).account_id, other)
        self.assertEqual(self.vat("U25").tax_id, other_tax)
        self.assertFalse(self.vat("I25").tax_id)  # ...is not mapped over the user's choice
        self.assertIn("Left unmapped by hand", self.vat("I25").mapping_note)

    def test_rerun_automatic_mapping(self):
        sale25 = self.tax("Sale 25", 25.0, "sale")
        self.ledger_pass()
        by_hand = self.odoo_account("5899", "asset_cash", "Main bank")
        self.account(5820).account_id = by_hand
        # the accountant changes the chart: an account of the same number and name appears,
        # the tax mapped automatically goes, another comes
        salaries = self.odoo_account("2210", "expense", "Lønninger")
        sale25.active = False
        new_tax = self.tax("Salgsmoms 25%", 25.0, "sale")
        user = self._new_user("ledger_rerun_user", ECONOMIC_USER)
        with self.assertRaises(AccessError):
            self.backend.with_user(user).action_rerun_ledger_mapping()
        manager = self._new_user(
            "ledger_rerun", ACCOUNTING_MANAGER + ",economic_sync.group_economic_manager"
        )
        result = self.backend.with_user(manager).action_rerun_ledger_mapping()
        self.assertEqual(result["params"]["type"], "success")
        self.assertEqual(self.account(5820).account_id, by_hand)  # by hand: kept
        self.assertEqual(self.account(2210).account_id, salaries)
        self.assertEqual(self.vat("U25").tax_id, new_tax)
        lines = self.logs(operation="update")
        self.assertEqual(
            set(lines.mapped("economic_key")), {"2210", "U25"}, lines.mapped("message")
        )
        u25 = lines.filtered(lambda line: line.economic_key == "U25")
        self.assertEqual(u25.entity, "vat_code")
        self.assertIn("Was Sale 25, now Salgsmoms 25%", u25.message)
        self.assertEqual(
            self.backend.ledger_vat_todo_count,
            len(
                self.Vat.search(
                    [
                        ("backend_id", "=", self.backend.id),
                        ("mapping_state", "in", ("todo", "suggested")),
                    ]
                )
            ),
        )

    def test_migration_clears_wrong_automatic_mappings(self):
        """Update to 18.0.1.2.0: automatic mappings of earlier versions (an equal number, any
        kind) are made again the new way; mappings by hand are kept; the log says which."""
        self.ledger_pass()
        wrong = self.odoo_account("6110", "asset_fixed", "Varer under fremstilling")
        same_kind_other_meaning = self.odoo_account("3620", "expense", "Valutakursreguleringer")
        by_hand = self.odoo_account("3600", "expense", "Kontorartikler")
        sync = {"economic_sync_write": True}
        self.account(6110).with_context(**sync).account_id = wrong
        self.account(3620).with_context(**sync).account_id = same_kind_other_meaning
        self.account(3600).account_id = by_hand
        path = Path(__file__).parent.parent / "migrations" / "18.0.1.2.0" / "post-migrate.py"
        spec = importlib.util.spec_from_file_location("economic_migration_18_0_1_2_0", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.1.0")
        self.env.invalidate_all()
        self.assertFalse(self.account(6110).account_id)
        self.assertFalse(self.account(3620).account_id)
        self.assertEqual(self.account(3600).account_id, by_hand)
        cleared = self.logs(operation="update").filtered(
            lambda line: line.economic_key in ("6110", "3620")
        )
        self.assertEqual(len(cleared), 2)
        for line in cleared:
            self.assertIn("18.0.1.2.0", line.message)
            self.assertIn("cleared", line.message)
        self.assertIn(
            "Varer under fremstilling",
            cleared.filtered(lambda line: line.economic_key == "6110").message,
        )
        self.assertFalse(self.logs(operation="update").filtered(lambda l: l.economic_key == "3600"))
        migration.migrate(self.env.cr, None)  # a new install: nothing to do

    def test_tax_for_names_what_to_configure(self):
        self.ledger_pass()
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
            self.Account._account_for(self.backend, 1330)
        self.assertIn("e-conomic account 1330 (Vareforbrug)", str(caught.exception))
        self.assertIn("Invoicing → Configuration → e-conomic → Accounts", str(caught.exception))

    # ------------------------------------------------------------------ create missing
    def test_create_missing_accounts_with_sensible_types(self):
        self.ledger_pass()
        manager = self._new_user("ledger_manager", ACCOUNTING_MANAGER)
        accounts = self.Account.search([("backend_id", "=", self.backend.id)])
        by_role = accounts.filtered("account_id")
        self.assertIn(self.account(5600), by_role)
        mapped_before = {a: a.account_id for a in by_role}
        result = accounts.with_user(manager).action_create_missing_accounts()
        self.assertEqual(result["params"]["type"], "success")
        postable = accounts.filtered("postable")
        self.assertTrue(all(postable.mapped("account_id")))
        self.assertFalse(accounts.filtered(lambda a: not a.postable).account_id)
        for account, odoo_account in mapped_before.items():
            self.assertEqual(account.account_id, odoo_account)  # mapped, not created again
        created = postable - by_role
        by_code = self.odoo_accounts_by_code([str(n) for n in created.mapped("account_number")])
        self.assertEqual(len(by_code), len(created))
        self.assertNotIn("1000", self.odoo_accounts_by_code(["1000"]))  # a heading
        self.assertNotIn("5600", by_code)  # the receivable account, by role
        expected = {
            "5810": "asset_cash",
            "6110": "equity",
            "6130": "equity",
            "6750": "liability_current",
            "6902": "liability_current",
            "6903": "asset_current",
            "1330": "expense_direct_cost",
            "3600": "expense",
        }
        self.assertEqual({c: by_code[c].account_type for c in expected}, expected)
        self.assertTrue(by_code["3630"].deprecated)  # barred in e-conomic
        self.assertEqual(by_code["1330"].name, "Vareforbrug")
        self.assertEqual(self.account(1330).account_id, by_code["1330"])
        self.assertFalse(self.account(1330).account_manual)
        self.assertEqual(self.account(1330).map_reason, "created")
        # run again: nothing left to create
        result = accounts.with_user(manager).action_create_missing_accounts()
        self.assertIn("0 Odoo accounts", result["params"]["message"])

    def test_plain_user_cannot_create_accounts(self):
        self.odoo_account("2850", "expense", "Lønninger")
        self.ledger_pass()
        mapped = {
            a: a.account_id for a in self.Account.search([("backend_id", "=", self.backend.id)])
        }
        user = self._new_user("ledger_user", ECONOMIC_USER)
        accounts = self.Account.with_user(user).search([("backend_id", "=", self.backend.id)])
        self.assertTrue(accounts)  # users see the mirror, the notes included
        self.assertTrue(accounts.filtered(lambda a: a.mapping_state == "todo")[:1].mapping_note)
        with self.assertRaises(AccessError):
            accounts.action_create_missing_accounts()
        with self.assertRaises(AccessError):
            accounts.filtered("postable")[:1].account_id = self.odoo_account("4711")
        with self.assertRaises(AccessError):
            accounts.filtered("suggested_account_id").action_accept_suggestion()
        with self.assertRaises(AccessError):
            self.Vat.with_user(user).search([], limit=1).action_accept_suggestion()
        for account, odoo_account in mapped.items():
            self.assertEqual(account.account_id, odoo_account)
