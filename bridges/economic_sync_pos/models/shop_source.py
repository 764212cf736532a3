"""Closed Point of Sale sessions as a source of the day's sales (``economic.sync.shop``).

Per point of sale chosen on the connection and business day (the order's date in the company's
timezone: a session over midnight makes two days), the orders of closed sessions that were not
invoiced (an invoiced order is a customer invoice, which the invoice sync sends) and their
payments. The amounts are computed the way Odoo's session closing books them
(``pos.session._accumulate_amounts``): each order's lines through the tax engine
(``_add_tax_details_in_base_lines``, ``_round_base_lines_tax_details`` with the company's
rounding method, per line or globally per order, ``_prepare_tax_lines``), so the VAT per tax
equals the session's journal entry to the cent.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytz

from odoo import models

from .pos_day import PosDays, RoundingAccounts, money

#: the states of an order paid (an "invoiced" one has its invoice: left out)
CLOSED_STATES = ("paid", "done", "invoiced")


class EconomicSyncShopPos(models.AbstractModel):
    _inherit = "economic.sync.shop"

    def _economic_shop_collect(self, state, day_from, day_to):
        """The base's sources, and the closed sessions of the connection's points of sale."""
        facts = super()._economic_shop_collect(state, day_from, day_to)
        return facts + self._pos_shop_days(state, day_from, day_to)

    # ------------------------------------------------------------------ reading
    def _pos_shop_days(self, state, day_from, day_to):
        """``list[DayFacts]`` of the connection's points of sale in ``[day_from, day_to]``.

        Read as superuser within the connection's company: the pass sums what the points of
        sale booked; the user who runs it need not be a Point of Sale user."""
        company = state.company
        configs = (
            state.backend.sudo()
            .shop_pos_config_ids.with_company(company)
            .filtered(lambda config: config.company_id == company)
        )
        if not configs:
            return []
        tz = self._pos_day_tz(company)
        orders = self._pos_closed_orders(configs, tz, day_from, day_to)
        book = PosDays(company.currency_id.name)
        for order in orders:
            self._pos_add_order(book, order, tz)
        self._pos_add_payments(book, orders, tz)
        methods = orders.payment_ids.payment_method_id
        return book.facts(
            self._pos_method_rows(state, methods), self._pos_rounding_accounts(configs)
        )

    def _pos_day_tz(self, company):
        """The company's timezone (its partner's, else the user's, else UTC): a business day
        is a calendar day there."""
        name = company.partner_id.tz or self.env.user.tz or "UTC"
        try:
            return pytz.timezone(name)
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @staticmethod
    def _pos_utc(tz, day):
        """The UTC moment (naive, as Odoo stores it) ``day`` starts in ``tz``."""
        start = tz.localize(datetime.combine(day, time.min))
        return start.astimezone(pytz.utc).replace(tzinfo=None)

    @staticmethod
    def _pos_local_day(tz, moment):
        return pytz.utc.localize(moment).astimezone(tz).date()

    def _pos_closed_orders(self, configs, tz, day_from, day_to):
        """The orders of closed sessions of ``configs`` dated in the days, not invoiced, with
        what the computation reads prefetched (one query per model, not per order)."""
        orders = (
            self.env["pos.order"]
            .sudo()
            .with_company(configs.company_id)
            .search(
                [
                    ("config_id", "in", configs.ids),
                    ("session_id.state", "=", "closed"),
                    ("state", "in", CLOSED_STATES),
                    ("account_move", "=", False),
                    ("date_order", ">=", self._pos_utc(tz, day_from)),
                    ("date_order", "<", self._pos_utc(tz, day_to + timedelta(days=1))),
                ],
                order="date_order, id",
            )
        )
        # what each order's computation reads, fetched for all orders at once
        orders.mapped("lines.tax_ids_after_fiscal_position.children_tax_ids")
        orders.mapped("lines.product_id.categ_id")
        orders.mapped("partner_id.commercial_partner_id")
        return orders

    def _pos_add_order(self, book, order, tz):
        """Odoo's closing computation of one order (``pos.session._accumulate_amounts``), its
        lines summed into ``book``."""
        company = order.company_id
        AccountTax = self.env["account.tax"]
        base_lines = order.with_context(linked_to_pos=True)._prepare_tax_base_line_values()
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        AccountTax._add_accounting_data_in_base_lines_tax_details(
            base_lines, company, include_caba_tags=True
        )
        results = AccountTax._prepare_tax_lines(base_lines, company)
        config, session = order.config_id, order.session_id
        day = self._pos_local_day(tz, order.date_order)
        total = 0.0  # in the order's currency, signed as the journal items (sales < 0)
        for base_line, to_update in results["base_lines_to_update"]:
            line = base_line["record"]
            taxes = line.tax_ids_after_fiscal_position.flatten_taxes_hierarchy()
            sign = base_line["sign"]
            vat = -sum(
                sign * rep["tax_amount"]
                for tax_data in base_line["tax_details"]["taxes_data"]
                for rep in tax_data["tax_reps_data"]
            )
            key = (
                tuple(sorted(taxes.ids)),
                base_line["account_id"].id,
                line.product_id.id or None,
                bool(base_line["is_refund"]),
            )
            labels = (", ".join(taxes.mapped("name")), line.product_id.display_name or line.name)
            book.add_line(
                config.id,
                config.name,
                day,
                session.id,
                key,
                labels,
                Decimal(str(line.qty)),
                money(-to_update["balance"]),
                money(vat),
            )
            total += to_update["amount_currency"]
        total += sum(tax_line["amount_currency"] for tax_line in results["tax_lines_to_add"])
        if config.cash_rounding:
            diff = order.amount_paid + total
            if not order.currency_id.is_zero(diff):
                book.add_rounding(config.id, config.name, day, self._pos_company_money(order, diff))

    @staticmethod
    def _pos_company_money(order, amount):
        """An amount of the order's currency in the company's, at the order's rate."""
        if order.currency_id != order.company_id.currency_id and order.currency_rate:
            amount = order.company_id.currency_id.round(amount / order.currency_rate)
        return money(amount)

    def _pos_add_payments(self, book, orders, tz):
        """The orders' payments (the change given back is a negative cash payment) summed per
        point of sale, day of the order and payment method."""
        for payment in orders.payment_ids:
            order = payment.pos_order_id
            if order.currency_id.is_zero(payment.amount):
                continue
            book.add_payment(
                order.config_id.id,
                order.config_id.name,
                self._pos_local_day(tz, order.date_order),
                order.session_id.id,
                payment.payment_method_id.id,
                self._pos_company_money(order, payment.amount),
            )

    # ------------------------------------------------------------------ accounts
    def _pos_rounding_accounts(self, configs):
        return {
            config.id: RoundingAccounts(
                config.rounding_method.profit_account_id.id,
                config.rounding_method.loss_account_id.id,
                config.rounding_method.name or self.env._("Rounding"),
            )
            for config in configs
            if config.cash_rounding and config.rounding_method
        }

    def _pos_method_rows(self, state, methods):
        """payment method id -> (name, e-conomic account number or None, missing sentence)."""
        rows = {}
        for method in methods:
            number, missing = self._pos_method_account(state, method)
            rows[method.id] = (method.name, number, missing)
        return rows

    def _pos_method_account(self, state, method):
        """The e-conomic account of a payment method: its own (``economic_account_id``), else
        the one mapped to the Odoo account its money goes to."""
        chosen = method.economic_account_id
        if chosen and chosen.backend_id == state.backend:
            return chosen.account_number, ""
        where = self.env["ir.ui.menu"]._economic_menu_path("point_of_sale.menu_pos_payment_method")
        account = self._pos_method_odoo_account(method)
        if account:
            number, mapping = self._economic_shop_payment_account(state, account)
            if number is not None:
                return number, ""
            return None, self.env._(
                "The Point of Sale payment method %(method)s has no e-conomic account: choose "
                "one on the payment method (%(menu)s), or map its Odoo account. %(mapping)s",
                method=method.name,
                menu=where,
                mapping=mapping,
            )
        return None, self.env._(
            "The Point of Sale payment method %(method)s has no e-conomic account: choose one "
            "on the payment method (%(menu)s).",
            method=method.name,
            menu=where,
        )

    def _pos_method_odoo_account(self, method):
        """The Odoo account the session closing leaves a method's money on: the cash
        journal's account, a bank method's outstanding account, the receivable of a customer
        account method."""
        if method.type == "cash":
            return method.journal_id.default_account_id
        if method.type == "bank":
            return (
                method.outstanding_account_id
                or method.journal_id.inbound_payment_method_line_ids.payment_account_id[:1]
                or self.env["account.chart.template"]
                .with_company(method.company_id)
                .ref("account_journal_payment_debit_account_id", raise_if_not_found=False)
            )
        return (
            method.receivable_account_id
            or method.company_id.account_default_pos_receivable_account_id
        )

    # ------------------------------------------------------------------ the journal source
    def _economic_shop_move_domain(self, state, journals, day_from, day_to):
        """The entries of points of sale are this source's (their sessions), never a sales
        journal's too: a session's entry, its cash statement lines and the reversals of orders
        invoiced after the closing are left out of the journals' days, whatever journals the
        connection names."""
        return super()._economic_shop_move_domain(state, journals, day_from, day_to) + [
            ("pos_session_ids", "=", False),
            ("reversed_pos_order_id", "=", False),
            ("statement_line_id", "not any", [("pos_session_id", "!=", False)]),
        ]
