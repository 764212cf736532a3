"""A point of sale's day to e-conomic end to end (issue 18 §4), through the addon's Daily Sales:
a closed session of two tax rates, a discount, a return, cash and card, and an invoiced order;
sent as one draft invoice (a line per tax, Odoo's totals, sent once), as one balanced voucher of
cash-journal drafts, amended by a session closed late, refused without the cash customer (the
preview says so), and nothing sent with write-back off."""

from decimal import Decimal as D

from odoo import Command
from odoo.tests import tagged

from odoo.addons.economic_sync.tests.shop_common import CASH_CUSTOMER, DAILY, ENTITY

from .pos_common import PosShopCase

#: the day of ``sell_the_day``, as Odoo booked it: net and VAT per tax, payments per method
NET_25, VAT_25, NET_0 = D("44.78"), D("11.21"), D("134.10")
GROSS = NET_25 + VAT_25 + NET_0  # 190.09
CASH, CARD = D("63.39"), D("126.70")


def amount(value):
    return D(str(value))


@tagged("post_install", "-at_install")
class TestPosDayInvoice(PosShopCase):
    def test_day_as_one_draft_invoice_then_nothing_more(self):
        session = self.sell_the_day(self.yesterday)
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        (draft,) = self.drafts()
        self.assertEqual(len(self.posts("/invoices/drafts")), 1)
        # a line per tax on the tax's product, the return a negative line of its own
        self.assertEqual(
            sorted(
                (line["product"]["productNumber"], amount(line["totalNetAmount"]))
                for line in draft["lines"]
            ),
            [("1", D("-10.36")), ("1", D("55.14")), ("EXPORT-1", NET_0)],
        )
        self.assertEqual(amount(draft["netAmount"]), NET_25 + NET_0)
        self.assertEqual(draft["date"], str(self.yesterday))
        self.assertEqual(draft["customer"]["customerNumber"], CASH_CUSTOMER)
        self.assertIn("Butik", draft["references"]["other"])
        self.assertIn(str(self.yesterday), draft["references"]["other"])
        day = self.days()
        self.assertEqual(len(day), 1)
        self.assertEqual((day.state, day.day, day.shop_name), ("draft", self.yesterday, "Butik"))
        # Odoo's totals, to the cent; the invoiced order (149.00) is not in them
        self.assertEqual(
            (day.net_amount, day.vat_amount, day.gross_amount, day.payment_amount),
            (float(NET_25 + NET_0), float(VAT_25), float(GROSS), float(CASH + CARD)),
        )
        self.assertEqual(day._sources(), ("pos.session,%d" % session.id,))
        # e-conomic computes the VAT of the 25 % line itself, 25 % of 55.14 = 13.79; Odoo's
        # is 13.80 (12.43 + 1.37 on the till's lines): the day says so, for the bookkeeper
        self.assertEqual(amount(draft["vatAmount"]), VAT_25 - D("0.01"))
        self.assertIn("13.80", day.note)
        self.assertIn("13.79", day.note)
        self.assertEqual(len(self.logs(entity=ENTITY, operation="create")), 1)
        # sent again: still one
        self.clear_requests()
        self.push()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))
        self.assertEqual(len(self.drafts()), 1)

    def test_cash_rounding_on_the_product_of_sales_without_tax(self):
        """A point of sale rounding cash to 0.50 (Danish tills): the rounding has no tax and no
        product; as an invoice it goes on the product of the sales without a tax, else the day
        is an error saying so and nothing is sent."""
        rounding = self.env["account.cash.rounding"].create(
            {
                "name": "Øreafrunding",
                "rounding": 0.5,
                "rounding_method": "HALF-UP",
                "profit_account_id": self.income.id,
                "loss_account_id": self.income.id,
            }
        )
        self.config.write({"cash_rounding": True, "rounding_method": rounding.id})
        session = self.open_session()
        self.sell(session, [(self.beer, 1)], [(self.cash, 13.0)], self.at(self.yesterday, 9))
        self.close(session)
        self.clear_requests()
        self.assertEqual(self.push()["state"], "partial")
        day = self.days()
        self.assertEqual(day.state, "error")
        self.assertIn("Sales without a tax", day.last_error)
        self.assertFalse(self.posts("/invoices/drafts"))
        self.backend.shop_tax_product_ids = [
            Command.create({"tax_id": False, "product_id": self.product("EXPORT-1").id})
        ]
        self.assertEqual(self.push()["state"], "done")
        (draft,) = self.drafts()
        rounding_lines = [
            line for line in draft["lines"] if amount(line["totalNetAmount"]) == D("0.05")
        ]
        self.assertEqual(len(rounding_lines), 1, draft["lines"])
        self.assertEqual(rounding_lines[0]["product"]["productNumber"], "EXPORT-1")
        # what the customer paid, to the cent
        self.assertEqual(amount(draft["grossAmount"]), D("13.00"))
        self.assertEqual(self.days().state, "draft")

    def test_session_closed_late_amends_the_draft(self):
        first = self.sell_the_day(self.yesterday)
        self.push()
        (draft,) = self.drafts()
        # a till closed only today, with a sale of yesterday evening
        late = self.open_session()
        self.sell(late, [(self.beer, 2)], [(self.card, None)], self.at(self.yesterday, 21))
        self.close(late)
        self.clear_requests()
        self.push()
        self.assertFalse(self.posts("/invoices/drafts"), "no new draft")
        puts = [r for r in self.requests_log() if r["method"] == "PUT"]
        self.assertEqual(
            [r["path"] for r in puts], ["/invoices/drafts/%s" % draft["draftInvoiceNumber"]]
        )
        (amended,) = self.drafts()
        self.assertEqual(amount(amended["netAmount"]), NET_25 + NET_0 + D("20.72"))
        day = self.days()
        self.assertEqual(day._sources(), ("pos.session,%d" % first.id, "pos.session,%d" % late.id))
        self.assertEqual(day.gross_amount, float(GROSS + D("25.90")))
        self.assertEqual(len(day.document_ids), 1)
        self.assertTrue(self.logs(entity=ENTITY, operation="update"))

    def test_cash_customer_missing_the_preview_says_so(self):
        self.admin("POST", "/delete", {"resource": "customers", "key": CASH_CUSTOMER})
        self.sell_the_day(self.yesterday)
        self.clear_requests()
        lines = self.engine._preview_push(self.backend, [ENTITY])
        self.assertFalse(self.writes("/"))
        self.assertFalse(self.days(), "the preview writes nothing")
        missing = [line for line in lines if str(CASH_CUSTOMER) in (line["message"] or "")]
        self.assertTrue(missing, lines)
        self.assertIn("Create Cash Customer", missing[0]["message"])

    def test_write_back_off_sends_nothing(self):
        self.sell_the_day(self.yesterday)
        self.backend.write_back = False
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/"))
        self.assertFalse(self.days())
        self.assertFalse(self.drafts())

    def test_invoiced_orders_only_is_no_day(self):
        """A day whose every order was invoiced has nothing to send as the shop's day."""
        session = self.open_session()
        self.sell(
            session,
            [(self.book, 1)],
            [(self.card, None)],
            self.at(self.yesterday, 12),
            customer=self.customer,
            invoice=True,
        )
        self.close(session)
        self.assertEqual(self.collect(), [])
        self.clear_requests()
        self.push()
        self.assertFalse(self.writes("/invoices/drafts"))
        self.assertFalse(self.days())

    def test_session_entries_are_never_a_sales_journal_day_too(self):
        """The point of sale's journal chosen as a sales journal as well: its session entry
        stays the point of sale's day, not counted twice."""
        self.backend.shop_sale_journal_ids = [Command.set(self.config.journal_id.ids)]
        session = self.sell_the_day(self.yesterday)
        self.assertEqual(session.move_id.journal_id, self.config.journal_id)
        facts = self.collect()
        self.assertEqual([f.shop_ref for f in facts], ["pos.config,%d" % self.config.id])


@tagged("post_install", "-at_install")
class TestPosDayJournal(PosShopCase):
    def setUp(self):
        super().setUp()
        self.backend.write({"shop_mode": "journal", "shop_journal_id": self.economic_journal.id})

    def test_day_as_one_balanced_voucher(self):
        self.sell_the_day(self.yesterday)
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(len(self.posts("/journals/%s/vouchers" % DAILY)), 1)
        entries = self.journal_drafts()
        self.assertEqual(len({e["voucher"]["voucherNumber"] for e in entries}), 1, "one voucher")
        self.assertEqual(sum(amount(e["amount"]) for e in entries), 0, "balanced")
        amounts = {
            (e["account"]["accountNumber"], (e.get("vatAccount") or {}).get("vatCode")): amount(
                e["amount"]
            )
            for e in entries
        }
        # debit per payment method on its e-conomic account; credit per sales account and VAT
        # code, the gross Odoo booked
        self.assertEqual(
            amounts,
            {
                (5810, None): CASH,
                (5820, None): CARD,
                (1010, "U25"): -(NET_25 + VAT_25),
                (1030, None): -NET_0,
            },
        )
        self.assertTrue(all(e["date"] == str(self.yesterday) for e in entries))
        day = self.days()
        self.assertEqual((day.state, day.vat_amount), ("draft", float(VAT_25)))
        self.clear_requests()
        self.push()
        self.assertFalse(self.posts("/journals/"))

    def test_session_closed_late_amends_the_voucher(self):
        self.sell_the_day(self.yesterday)
        self.push()
        first = {e["journalEntryNumber"] for e in self.journal_drafts()}
        late = self.open_session()
        self.sell(late, [(self.book, 1)], [(self.cash, None)], self.at(self.yesterday, 22))
        self.close(late)
        self.clear_requests()
        self.push()
        entries = self.journal_drafts()
        self.assertFalse(first & {e["journalEntryNumber"] for e in entries}, "posted again")
        self.assertEqual(len({e["voucher"]["voucherNumber"] for e in entries}), 1)
        self.assertEqual(sum(amount(e["amount"]) for e in entries), 0)
        cash = [e for e in entries if e["account"]["accountNumber"] == 5810]
        self.assertEqual(amount(cash[0]["amount"]), CASH + D("149.00"))
        self.assertEqual(len(self.days().document_ids), 1)

    def test_payment_method_without_account_is_the_days_error(self):
        self.card.economic_account_id = False
        self.sell_the_day(self.yesterday)
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        self.assertFalse(self.posts("/journals/"))
        day = self.days()
        self.assertEqual(day.state, "error")
        self.assertIn("Kort", day.last_error)
        self.assertIn("Payment Methods", day.last_error)
