"""The closed sessions of a point of sale as the facts of the day's sales: what Odoo booked,
to the cent, per tax; payments per method; days in the company's timezone."""

from datetime import timedelta
from decimal import Decimal as D

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.economic_sync.models.economic_sync_state import PassState

from .pos_common import DanishPosCase


@tagged("post_install", "-at_install")
class TestPosDayFacts(DanishPosCase):
    def setUp(self):
        super().setUp()
        self.backend.shop_pos_config_ids = self.config

    def rows(self, facts):
        return {
            (row.label, row.is_return): (row.tax_ids, row.quantity, row.net, row.vat)
            for row in facts.sales
        }

    def test_day_equals_the_session_entry_per_tax(self):
        """Rounding per line (the company's default): the day's net and VAT per tax are the
        session's journal entry's, discounts in, the return as a row of its own, the invoiced
        order left out with its payment."""
        self.assertEqual(self.company.tax_calculation_rounding_method, "round_per_line")
        session = self.sell_the_day(self.yesterday)
        (facts,) = self.collect()
        self.assertEqual(facts.shop_ref, "pos.config,%d" % self.config.id)
        self.assertEqual(facts.shop_name, "Butik")
        self.assertEqual(facts.day, self.yesterday)
        self.assertEqual(facts.currency, "DKK")
        self.assertEqual(facts.sources, ("pos.session,%d" % session.id,))
        t25, t0 = (self.tax25.id,), (self.tax0.id,)
        self.assertEqual(self.facts_per_tax(facts), self.booked_per_tax(session))
        self.assertEqual(
            self.facts_per_tax(facts), {t25: (D("44.78"), D("11.21")), t0: (D("134.10"), D(0))}
        )
        self.assertEqual(
            self.rows(facts),
            {
                ("Øl", False): (t25, D(5), D("49.73"), D("12.43")),
                ("Øl", True): (t25, D(-1), D("-10.36"), D("-2.59")),
                ("Rugbrød", False): (t25, D(6), D("5.41"), D("1.37")),
                ("Bog", False): (t0, D(1), D("134.10"), D(0)),
            },
        )
        income = self.beer.categ_id.with_company(self.company).property_account_income_categ_id
        self.assertEqual({row.account_id for row in facts.sales}, {income.id})
        self.assertEqual(
            {row.product_id for row in facts.sales}, set((self.beer | self.bread | self.book).ids)
        )
        payments = {row.label: row.amount for row in facts.payments}
        # the change given back is in the cash; the invoiced order's card payment is not
        self.assertEqual(payments, {"Kontant": D("63.39"), "Kort": D("126.70")})
        self.assertEqual(sum(row.net + row.vat for row in facts.sales), sum(payments.values()))

    def test_day_rounded_globally(self):
        """Rounding globally: Odoo rounds each order's VAT per tax once; the day has Odoo's
        VAT, a cent less than per line here (three breads in one order)."""
        self.company.tax_calculation_rounding_method = "round_globally"
        session = self.sell_the_day(self.yesterday)
        (facts,) = self.collect()
        t25, t0 = (self.tax25.id,), (self.tax0.id,)
        self.assertEqual(self.facts_per_tax(facts), self.booked_per_tax(session))
        self.assertEqual(
            self.facts_per_tax(facts), {t25: (D("44.79"), D("11.20")), t0: (D("134.10"), D(0))}
        )
        payments = sum(row.amount for row in facts.payments)
        self.assertEqual(sum(row.net + row.vat for row in facts.sales), payments)

    def test_cash_rounding_is_a_row(self):
        """A point of sale rounding cash to 0.50: what the customer paid beyond the total is a
        row on the rounding's profit account, as the session booked it."""
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "Øreafrunding",
                "rounding": 0.5,
                "rounding_method": "HALF-UP",
                "profit_account_id": self.chart.ref("dk_coa_1010").id,
                "loss_account_id": self.chart.ref("dk_coa_1010").id,
            }
        )
        self.config.write({"cash_rounding": True, "rounding_method": rounding.id})
        session = self.open_session()
        self.sell(session, [(self.beer, 1)], [(self.cash, 13.0)], self.at(self.yesterday, 9))
        self.close(session)
        (facts,) = self.collect()
        (row,) = (row for row in facts.sales if not row.tax_ids)
        self.assertEqual((row.label, row.net, row.vat), ("Øreafrunding", D("0.05"), D(0)))
        booked = session.move_id.line_ids.filtered(lambda line: line.name == "Rounding line")
        self.assertEqual(-booked.balance, 0.05)
        self.assertEqual(row.account_id, booked.account_id.id)
        self.assertEqual(sum(r.net + r.vat for r in facts.sales), D("13.00"))
        self.assertEqual([p.amount for p in facts.payments], [D("13.00")])

    def test_fiscal_position_maps_taxes_and_accounts(self):
        """Rows carry the taxes and income account after the order's fiscal position."""
        income = self.beer.categ_id.with_company(self.company).property_account_income_categ_id
        abroad = self.env["account.account"].create(
            {"name": "Salg til udland", "code": "1099", "account_type": "income"}
        )
        position = self.env["account.fiscal.position"].create(
            {
                "name": "Turist (momsfri)",
                "company_id": self.company.id,
                "tax_ids": [
                    Command.create({"tax_src_id": self.tax25.id, "tax_dest_id": self.tax0.id})
                ],
                "account_ids": [
                    Command.create({"account_src_id": income.id, "account_dest_id": abroad.id})
                ],
            }
        )
        session = self.open_session()
        self.sell(
            session,
            [(self.beer, 2)],
            [(self.card, None)],
            self.at(self.yesterday, 9),
            position=position,
        )
        self.close(session)
        (facts,) = self.collect()
        (row,) = facts.sales
        self.assertEqual((row.tax_ids, row.account_id, row.vat), ((self.tax0.id,), abroad.id, D(0)))
        self.assertEqual(self.facts_per_tax(facts), self.booked_per_tax(session))

    def test_session_over_midnight_is_two_days(self):
        """A business day is a calendar day in the company's timezone: a session open over
        midnight (Copenhagen) makes two days, each naming the session."""
        before = self.yesterday - timedelta(days=1)
        session = self.open_session()
        self.sell(session, [(self.beer, 1)], [(self.cash, None)], self.at(before, 23, 30))
        # 00:30 in Copenhagen is still the day before in UTC
        self.sell(session, [(self.beer, 2)], [(self.card, None)], self.at(self.yesterday, 0, 30))
        self.close(session)
        facts = self.collect(before, self.yesterday)
        self.assertEqual([f.day for f in facts], [before, self.yesterday])
        self.assertEqual({f.sources for f in facts}, {("pos.session,%d" % session.id,)})
        self.assertEqual([f.sales[0].quantity for f in facts], [D(1), D(2)])
        self.assertEqual(self.collect(self.yesterday)[0].sales[0].quantity, D(2))

    def test_only_closed_sessions_of_chosen_points_of_sale(self):
        other = self.config.copy({"name": "Lager", "payment_method_ids": self.card.ids})
        session = self.open_session()
        self.sell(session, [(self.beer, 1)], [(self.cash, None)], self.at(self.yesterday, 9))
        self.assertEqual(self.collect(), [], "an open session is not a closed day")
        self.close(session)
        elsewhere = self.open_session(other)
        self.sell(elsewhere, [(self.book, 1)], [(self.card, None)], self.at(self.yesterday, 9))
        self.close(elsewhere)
        self.assertEqual([f.shop_name for f in self.collect()], ["Butik"])
        self.backend.shop_pos_config_ids = False
        self.assertEqual(self.collect(), [])
        self.backend.shop_pos_config_ids = self.config | other
        self.assertEqual([f.shop_name for f in self.collect()], ["Butik", "Lager"])

    def test_payment_method_accounts(self):
        """A method's own e-conomic account first, else the one mapped to the Odoo account its
        money goes to; else a sentence naming the method to configure."""
        Account = self.env["economic.account"]
        cash_account = Account.create(
            {
                "backend_id": self.backend.id,
                "account_number": 55000,
                "name": "Kasse",
                "account_type": "status",
                "account_id": self.cash_journal.default_account_id.id,
            }
        )
        clearing = Account.create(
            {
                "backend_id": self.backend.id,
                "account_number": 55100,
                "name": "Kortclearing",
                "account_type": "status",
            }
        )
        self.card.economic_account_id = clearing
        session = self.open_session()
        self.sell(
            session,
            [(self.beer, 2)],
            [(self.cash, 10.0), (self.card, None)],
            self.at(self.yesterday, 9),
        )
        self.close(session)
        (facts,) = self.collect()
        rows = {row.label: row for row in facts.payments}
        self.assertEqual(rows["Kontant"].key, "pos.payment.method,%d" % self.cash.id)
        self.assertEqual((rows["Kontant"].economic_account, rows["Kontant"].missing), (55000, ""))
        self.assertEqual((rows["Kort"].economic_account, rows["Kort"].amount), (55100, D("15.90")))
        cash_account.account_id = False
        self.card.economic_account_id = False
        (facts,) = self.collect()
        for row in facts.payments:
            self.assertIsNone(row.economic_account)
            self.assertIn(row.label, row.missing)
            self.assertIn("Point of Sale", row.missing)

    def test_economic_account_of_the_company(self):
        other = self.env["res.company"].create({"name": "Anden butik"})
        backend = self.env["economic.backend"].create(self._backend_vals(company_id=other.id))
        foreign = self.env["economic.account"].create(
            {"backend_id": backend.id, "account_number": 1, "account_type": "status"}
        )
        with self.assertRaises(ValidationError) as caught:
            self.cash.economic_account_id = foreign
        self.assertIn("Kontant", str(caught.exception))
        with self.assertRaises(ValidationError):
            backend.shop_pos_config_ids = [Command.link(self.config.id)]

    def test_batch_reads(self):
        """The day is read in batches: no query per order."""
        before = self.yesterday - timedelta(days=1)
        session = self.open_session()
        for hour in (9, 10):
            self.sell(
                session,
                [(self.beer, 1), (self.book, 1)],
                [(self.card, None)],
                self.at(before, hour),
            )
        for hour in (9, 10, 11, 12, 13, 14):
            self.sell(
                session,
                [(self.beer, 1), (self.book, 1)],
                [(self.card, None)],
                self.at(self.yesterday, hour),
            )
        self.close(session)
        # what is cached for the process (menus, precisions, taxes' data) is read once
        self.collect(before, self.yesterday)
        counts = []
        for day in (before, self.yesterday):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            (facts,) = self.collect(day)
            counts.append(self.env.cr.sql_log_count - start)
        self.assertEqual(facts.sales[0].quantity, D(6))
        # three times the orders, not one query more (a registry cache refilled in between
        # may add one to the first)
        self.assertLessEqual(counts[1], counts[0], counts)

    def test_economic_manager_without_point_of_sale_rights(self):
        """An e-conomic manager who is no Point of Sale user opens the connection, sees and
        chooses its points of sale, and the pass still reads the sessions."""
        user = self._new_user(
            "pos_bridge_accountant",
            "economic_sync.group_economic_manager,account.group_account_manager",
            company=self.company,
        )
        self.assertFalse(user.has_group("point_of_sale.group_pos_user"))
        backend = self.backend.with_user(user)
        arch = backend.get_view(view_type="form")["arch"]
        self.assertIn('name="shop_pos_config_ids"', arch)
        backend.shop_pos_config_ids = [Command.set(self.config.ids)]
        values = backend.web_read({"shop_pos_config_ids": {"fields": {"display_name": {}}}})
        self.assertEqual(
            values[0]["shop_pos_config_ids"], [{"id": self.config.id, "display_name": "Butik"}]
        )
        session = self.open_session()
        self.sell(session, [(self.beer, 1)], [(self.cash, None)], self.at(self.yesterday, 9))
        self.close(session)
        state = PassState(self.env["economic.sync.engine"].with_user(user), backend, None)
        (facts,) = (
            self.env["economic.sync.shop"]
            .with_user(user)
            ._economic_shop_collect(state, self.yesterday, self.yesterday)
        )
        self.assertEqual(facts.sales[0].net, D("10.36"))
