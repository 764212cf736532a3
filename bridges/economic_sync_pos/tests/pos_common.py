"""A Danish shop with a point of sale: the company of ``DanishChartCase`` (Odoo's Danish chart,
connected to the sandbox), prices with VAT included as Danish shops show them, a point of sale
"Butik" with Cash and Card, and helpers that sell, return and close sessions the way the till
does (orders computed and paid by Odoo's own methods, sessions closed by ``close_session_from_ui``)."""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytz

from odoo import Command, fields

from odoo.addons.economic_sync.models.economic_sync_state import PassState
from odoo.addons.economic_sync.tests.danish_common import DanishChartCase
from odoo.addons.economic_sync.tests.shop_common import ShopCase

TZ = "Europe/Copenhagen"


class PosTill:
    """The point of sale "Butik" and the till's helpers, on a Danish company case."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        company.partner_id.tz = TZ
        # Danish shops show prices with VAT
        company.account_price_include = "tax_included"
        cls.tax25 = cls.chart.ref("tax_s1")  # S-DK-25
        cls.tax0 = cls.chart.ref("tax_smf")  # S-DK-MF, VAT-exempt sale
        cls.cash_journal = cls.chart.ref("cash")
        cls.bank_journal = cls.chart.ref("bank")
        cls.cash = cls.env["pos.payment.method"].create(
            {"name": "Kontant", "journal_id": cls.cash_journal.id, "company_id": company.id}
        )
        cls.card = cls.env["pos.payment.method"].create(
            {"name": "Kort", "journal_id": cls.bank_journal.id, "company_id": company.id}
        )
        cls.config = cls.env["pos.config"].create(
            {
                "name": "Butik",
                "company_id": company.id,
                "payment_method_ids": [Command.set((cls.cash | cls.card).ids)],
            }
        )
        Product = cls.env["product.product"].with_company(company)
        cls.beer = Product.create(
            cls._product_vals("Øl", 12.95, cls.tax25),
        )
        cls.bread = Product.create(cls._product_vals("Rugbrød", 1.13, cls.tax25))
        cls.book = Product.create(cls._product_vals("Bog", 149.0, cls.tax0))
        cls.customer = cls.env["res.partner"].create(
            {"name": "Kunde med faktura", "company_id": company.id}
        )
        cls.tz = pytz.timezone(TZ)
        cls.today = datetime.now(cls.tz).date()
        cls.yesterday = cls.today - timedelta(days=1)

    @classmethod
    def _product_vals(cls, name, price, tax):
        return {
            "name": name,
            "type": "consu",
            "available_in_pos": True,
            "list_price": price,
            "taxes_id": [Command.set(tax.ids)],
            "company_id": cls.company.id,
        }

    # ------------------------------------------------------------------ the till
    def at(self, day, hour, minute=0):
        """The UTC moment (as Odoo stores it) of ``hour:minute`` on ``day`` in Copenhagen."""
        local = self.tz.localize(datetime.combine(day, time(hour, minute)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def open_session(self, config=None):
        config = config or self.config
        config.open_ui()
        session = config.current_session_id
        session.set_opening_control(0, None)
        return session

    def sell(
        self,
        session,
        lines,
        payments,
        when,
        change=0.0,
        customer=None,
        invoice=False,
        position=None,
    ):
        """One paid order: ``lines`` (product, quantity[, discount %[, price]]), ``payments``
        (method, amount; None: the rest of the total); ``change`` given back in cash; ``when`` its UTC date."""
        order = self.env["pos.order"].create(
            {
                "session_id": session.id,
                "date_order": fields.Datetime.to_string(when),
                "partner_id": customer.id if customer else False,
                "to_invoice": invoice,
                "fiscal_position_id": position.id if position else False,
                "amount_tax": 0.0,
                "amount_total": 0.0,
                "amount_paid": 0.0,
                "amount_return": 0.0,
                "lines": [
                    Command.create(
                        {
                            "product_id": line[0].id,
                            "qty": line[1],
                            "discount": line[2] if len(line) > 2 else 0.0,
                            "price_unit": line[3] if len(line) > 3 else line[0].lst_price,
                            "tax_ids": [Command.set(line[0].taxes_id.ids)],
                            "price_subtotal": 0.0,
                            "price_subtotal_incl": 0.0,
                            "full_product_name": line[0].name,
                        }
                    )
                    for line in lines
                ],
            }
        )
        order.lines._onchange_amount_line_all()
        order._compute_prices()
        for method, amount in payments:
            if amount is None:  # the rest of the total
                amount = order.amount_total - order.amount_paid + change
            order.add_payment(
                {"pos_order_id": order.id, "amount": amount, "payment_method_id": method.id}
            )
        if change:
            order.add_payment(
                {
                    "pos_order_id": order.id,
                    "amount": -change,
                    "payment_method_id": self.cash.id,
                    "is_change": True,
                }
            )
        order._compute_prices()
        order.action_pos_order_paid()
        if invoice:
            order._generate_pos_order_invoice()
        return order

    def sell_the_day(self, day):
        """A day of the shop: sales at 25 % and VAT-exempt, discounts, a return, cash with
        change and card, and an order invoiced to a customer (not part of the day)."""
        session = self.open_session()
        self.sell(
            session,
            [(self.beer, 3), (self.bread, 3), (self.book, 1, 10.0)],
            [(self.card, 100.0), (self.cash, None)],
            self.at(day, 10),
            change=50.0,
        )
        self.sell(
            session,
            [(self.beer, 2, 10.0), (self.bread, 1), (self.bread, 1), (self.bread, 1)],
            [(self.card, None)],
            self.at(day, 11),
        )
        self.sell(session, [(self.beer, -1)], [(self.cash, None)], self.at(day, 14))
        invoiced = self.sell(
            session,
            [(self.book, 1)],
            [(self.card, None)],
            self.at(day, 15),
            customer=self.customer,
            invoice=True,
        )
        self.assertTrue(invoiced.account_move)
        return self.close(session)

    def close(self, session):
        cash = sum(
            session.order_ids.payment_ids.filtered(
                lambda p: p.payment_method_id.is_cash_count
            ).mapped("amount")
        )
        if session.cash_journal_id:
            session.post_closing_cash_details(cash)
        result = session.close_session_from_ui()
        self.assertTrue(result.get("successful"), result)
        self.assertEqual(session.state, "closed")
        return session

    # ------------------------------------------------------------------ the facts
    def collect(self, day_from=None, day_to=None):
        state = PassState(self.env["economic.sync.engine"], self.backend, None)
        shop = self.env["economic.sync.shop"]
        return shop._economic_shop_collect(
            state, day_from or self.yesterday, day_to or day_from or self.yesterday
        )

    def booked_per_tax(self, sessions):
        """``{tax ids: (net, vat)}`` as the sessions' journal entries booked them."""
        lines = sessions.move_id.line_ids
        out = {}
        for line in lines.filtered(lambda item: item.display_type == "product"):
            key = tuple(sorted(line.tax_ids.ids))
            net, vat = out.get(key, (Decimal(0), Decimal(0)))
            out[key] = (net - Decimal("%.2f" % line.balance), vat)
        for line in lines.filtered("tax_line_id"):
            key = (line.tax_line_id.id,)
            net, vat = out.get(key, (Decimal(0), Decimal(0)))
            out[key] = (net, vat - Decimal("%.2f" % line.balance))
        return out

    @staticmethod
    def facts_per_tax(day_facts):
        out = {}
        for row in day_facts.sales:
            net, vat = out.get(row.tax_ids, (Decimal(0), Decimal(0)))
            out[row.tax_ids] = (net + row.net, vat + row.vat)
        return out


class DanishPosCase(PosTill, DanishChartCase):
    """The point of sale on the Danish company connected to the sandbox."""


class PosShopCase(PosTill, ShopCase):
    """The point of sale as a source of the connection's Daily Sales (the addon's shop set-up:
    accounts, VAT codes and products read, 5810/5820 mapped, a product per tax, the cash
    customer in e-conomic, write-back and the push on); the sales journal source emptied, the
    payment methods on e-conomic's Kasse (5810) and Bankkonto (5820)."""

    def setUp(self):
        super().setUp()
        accounts = self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_number", "in", (5810, 5820))]
        )
        number = {a.account_number: a for a in accounts}
        self.cash.economic_account_id = number[5810]
        self.card.economic_account_id = number[5820]
        self.backend.write(
            {
                "shop_sale_journal_ids": [Command.clear()],
                "shop_pos_config_ids": [Command.set(self.config.ids)],
            }
        )
