"""Common set-up of the days-of-sales tests (issue 18): a Danish company (``l10n_dk``) connected
to the sandbox, its accounts, VAT codes, products and journals read, a cash register booked by
hand in a sales journal of its own (the source without Point of Sale), the cash and card
accounts mapped to e-conomic's 5810 and 5820, a product per tax, the cash customer 99999999 in
e-conomic, and Daily Sales push on. The Point of Sale bridge's tests build on it."""

import datetime

from odoo import Command, fields

from .danish_common import DanishChartCase

ENTITY = "shop_day"
CASH_CUSTOMER = 99999999
#: the sandbox's journal 1 ("Daglig"): any entry, no default contra account
DAILY = 1


class ShopCase(DanishChartCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env, company = cls.env, cls.company
        cls.tax25 = cls.chart.ref("tax_s1")  # S-DK-25
        cls.tax0 = cls.chart.ref("tax_smf")  # S-DK-MF: VAT-exempt sale
        Account = env["account.account"]
        cls.income = Account.search(
            [*Account._check_company_domain(company), ("code", "=", "1010")]
        )
        cls.cash_account = Account.create(
            {"name": "Kasse (butik)", "code": "699901", "account_type": "asset_cash"}
        )
        cls.card_account = Account.create(
            {"name": "Kortindløsning", "code": "699902", "account_type": "asset_current"}
        )
        cls.register = env["account.journal"].create(
            {"name": "Kasseapparat", "code": "KASA", "type": "general", "company_id": company.id}
        )

    def setUp(self):
        super().setUp()
        self.run_pass(entities=["account", "vat_code", "product", "journal_entry"])
        self.map_account(5810, self.cash_account)
        self.map_account(5820, self.card_account)
        self.create_cash_customer()
        self.economic_journal = self.env["economic.journal"].search(
            [("backend_id", "=", self.backend.id), ("journal_number", "=", DAILY)]
        )
        self.today = datetime.datetime.now(datetime.timezone.utc).date()
        self.day = self.today - datetime.timedelta(days=2)
        self.backend.write(
            {
                "write_back": True,
                "shop_sale_journal_ids": [Command.set(self.register.ids)],
                "shop_send_from": self.today - datetime.timedelta(days=10),
                "shop_tax_product_ids": [
                    Command.create({"tax_id": self.tax25.id, "product_id": self.product("1").id}),
                    Command.create(
                        {"tax_id": self.tax0.id, "product_id": self.product("EXPORT-1").id}
                    ),
                ],
            }
        )
        self.setting(ENTITY).write({"push": True, "strategy": "local_wins"})

    # ------------------------------------------------------------------ helpers
    def map_account(self, number, account):
        mirror = self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_number", "=", number)]
        )
        self.assertEqual(len(mirror), 1, number)
        mirror.account_id = account

    def product(self, number):
        binding = self.env["economic.product.binding"].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", number)]
        )
        self.assertEqual(len(binding), 1, number)
        return binding.product_id

    def create_cash_customer(self):
        self.admin(
            "POST",
            "/create",
            {
                "resource": "customers",
                "record": {
                    "customerNumber": CASH_CUSTOMER,
                    "name": "Kontantsalg",
                    "currency": "DKK",
                    "customerGroup": {"customerGroupNumber": 1},
                    "paymentTerms": {"paymentTermsNumber": 1},
                    "vatZone": {"vatZoneNumber": 1},
                },
            },
        )

    def book_sales(self, day=None, sales=(("800", "25"), ("100", "0")), cash=None, card="400"):
        """A day's sales booked by hand in the register journal, posted: ``sales`` ``(net,
        tax[, product, quantity])`` on 1010 with their tax (Odoo adds the tax lines; a negative
        net is a return: the income debited), the card amount and the rest in cash debited."""
        taxes = {"25": self.tax25, "0": self.tax0}
        lines, gross = [], 0.0
        for sale in sales:
            net, tax = float(sale[0]), taxes[sale[1]]
            vals = {
                "name": "Salg %s%%" % sale[1] if net > 0 else "Retur %s%%" % sale[1],
                "account_id": self.income.id,
                "credit" if net > 0 else "debit": abs(net),
                "tax_ids": [Command.set(tax.ids)],
            }
            if len(sale) > 2:
                vals["product_id"] = sale[2].id
            if len(sale) > 3:
                vals["quantity"] = sale[3]
            lines.append(Command.create(vals))
            gross += tax.compute_all(abs(net))["total_included"] * (1 if net > 0 else -1)
        cash = round(gross - float(card), 2) if cash is None else float(cash)
        for name, account, amount in (
            ("Kontant", self.cash_account, cash),
            ("Kort", self.card_account, float(card)),
        ):
            if amount:
                side = "debit" if amount > 0 else "credit"
                lines.append(
                    Command.create({"name": name, "account_id": account.id, side: abs(amount)})
                )
        move = self.env["account.move"].create(
            {
                "move_type": "entry",
                "journal_id": self.register.id,
                "date": day or self.day,
                "line_ids": lines,
            }
        )
        move.action_post()
        return move

    def push(self):
        return self.run_pass(entities=[ENTITY])

    def days(self):
        return self.env["economic.shop.day"].search([("backend_id", "=", self.backend.id)])

    def drafts(self):
        with self.backend._get_client() as client:
            return [
                client.invoices.drafts.get(d["draftInvoiceNumber"])
                for d in client.invoices.drafts.list()
                if d["customer"]["customerNumber"] == CASH_CUSTOMER
            ]

    def journal_drafts(self, journal=DAILY):
        with self.backend._get_client() as client:
            return client.journals.entries(journal).list()

    def posts(self, path):
        return [
            r for r in self.requests_log() if r["method"] == "POST" and r["path"].startswith(path)
        ]

    def writes(self, path):
        return [
            r
            for r in self.requests_log()
            if r["method"] in ("POST", "PUT", "DELETE") and r["path"].startswith(path)
        ]

    def day_string(self, day=None):
        return fields.Date.to_string(day or self.day)
