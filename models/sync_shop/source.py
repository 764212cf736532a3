"""The days' sales without Point of Sale: the posted journal entries of the sales journals
chosen on the connection (``shop_sale_journal_ids``), one shop per journal.

Which entries: posted entries of type "journal entry" (``move_type`` ``entry``) that book sales
(at least one line on an income account), dated in the days asked for, that are not the journal
entry of a payment. Customer invoices and credit notes are not a day's sales here: they go to
e-conomic as invoices (the invoice entities), and vendor bills are no sales. A hand-booked cash
register (debit the cash account, credit the sales with their taxes) is what this source reads.

Of such an entry the income lines are the sales (``SaleRow``: taxes, account, product, quantity,
net; a debit on income is a return), the tax lines Odoo's VAT (shared among the sales lines of
each tax: each line's own VAT, the cents left on the biggest), and every other line the money
received (``PaymentRow`` per account, mapped to e-conomic through the account mapping).
"""

from collections import defaultdict
from decimal import Decimal

from odoo import models

from ...sync_core.shop_day import DayFacts, PaymentRow, SaleRow, allocate, money

INCOME = ("income", "income_other")


class EconomicSyncShopSource(models.AbstractModel):
    _inherit = "economic.sync.shop"

    # ================================================================== the interface
    def _economic_shop_collect(self, state, day_from, day_to):
        """``list[DayFacts]`` of every (shop, day) with closed material in ``[day_from,
        day_to]`` (dates, inclusive) from the connection's chosen sources. Base: posted entries
        of the connection's sales journals. Bridges: ``return super()._economic_shop_collect(
        ...) + their own``. Batch queries, no query per record."""
        journals = state.backend.shop_sale_journal_ids
        if not journals:
            return []
        moves = self.env["account.move"].search(
            self._economic_shop_move_domain(state, journals, day_from, day_to), order="date, id"
        )
        if not moves:
            return []
        lines = self.env["account.move.line"].search_read(
            [
                ("move_id", "in", moves.ids),
                ("display_type", "not in", ("line_section", "line_note")),
            ],
            [
                "move_id",
                "account_id",
                "tax_ids",
                "tax_line_id",
                "product_id",
                "quantity",
                "balance",
                "name",
            ],
            order="move_id, id",
        )
        accounts = self.env["account.account"].browse(
            {line["account_id"][0] for line in lines if line["account_id"]}
        )
        types = {a.id: a.account_type for a in accounts}
        by_move = defaultdict(list)
        for line in lines:
            by_move[line["move_id"][0]].append(line)
        days = defaultdict(list)  # (journal, date) -> moves
        for move in moves:
            if any(
                types.get(line["account_id"] and line["account_id"][0]) in INCOME
                for line in by_move[move.id]
            ):
                days[(move.journal_id, move.date)].append(move)
        taxes = self._shop_taxes({t for line in lines for t in line["tax_ids"]})
        return [
            self._shop_journal_day(state, journal, day, day_moves, by_move, types, taxes)
            for (journal, day), day_moves in sorted(
                days.items(), key=lambda kv: (kv[0][1], kv[0][0].id)
            )
        ]

    def _economic_shop_move_domain(self, state, journals, day_from, day_to):
        """The journal entries that make the journals' days of sales (see the module's
        docstring). A bridge whose own source posts into such a journal (a point of sale's
        session entries) extends it so that nothing is counted twice."""
        return [
            ("company_id", "=", state.company.id),
            ("journal_id", "in", journals.ids),
            ("state", "=", "posted"),
            ("move_type", "=", "entry"),
            ("origin_payment_id", "=", False),
            ("date", ">=", day_from),
            ("date", "<=", day_to),
        ]

    def _economic_shop_payment_account(self, state, account):
        """``(e-conomic account number or None, missing sentence)`` for an Odoo
        ``account.account`` through the connection's account mapping (the ledger's
        ``economic.account`` <-> ``account.account``). The POS bridge uses it as the fallback
        for a payment method without an explicit e-conomic account."""
        numbers = self._shop_account_numbers(state).get(account.id)
        if numbers:
            return numbers[0][0], ""
        return None, self.env._(
            "Map the Odoo account %(account)s to an e-conomic account under %(menu)s (e-conomic "
            "account → Odoo Account).",
            account=account.display_name,
            menu=self.env["economic.account"]._economic_menu(),
        )

    # ================================================================== one journal's day
    def _shop_journal_day(self, state, journal, day, moves, by_move, types, taxes):
        sales = defaultdict(lambda: [Decimal(0), Decimal(0), Decimal(0), None])
        payments = defaultdict(Decimal)
        for move in moves:
            rows, paid = self._shop_move_rows(by_move[move.id], types, taxes)
            for key, (qty, net, vat, label) in rows.items():
                total = sales[key]
                total[0] += qty
                total[1] += net
                total[2] += vat
                total[3] = total[3] or label
            for account_id, amount in paid.items():
                payments[account_id] += amount
        return DayFacts(
            shop_ref="account.journal,%s" % journal.id,
            shop_name=journal.name,
            day=day,
            currency=state.company.currency_id.name,
            sources=tuple(sorted("account.move,%s" % move.id for move in moves)),
            sales=tuple(
                SaleRow(
                    tax_ids=tax_ids,
                    tax_label=self._shop_tax_label(taxes, tax_ids),
                    account_id=account_id,
                    product_id=product_id,
                    label=label or "",
                    quantity=qty,
                    net=money(net),
                    vat=money(vat),
                    is_return=is_return,
                )
                for (tax_ids, account_id, product_id, is_return), (qty, net, vat, label) in sorted(
                    sales.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or 0, kv[0][3])
                )
                if net or vat or qty
            ),
            payments=self._shop_payment_rows(state, payments),
        )

    def _shop_move_rows(self, lines, types, taxes):
        """``(rows, payments)`` of one journal entry: ``{(tax ids, account, product, return):
        (quantity, net, VAT, label)}`` and ``{account id: amount}``."""
        rows, tax_totals, paid = {}, defaultdict(Decimal), defaultdict(Decimal)
        for line in lines:
            account_id = line["account_id"] and line["account_id"][0]
            balance = money(line["balance"])
            if line["tax_line_id"]:
                tax_totals[line["tax_line_id"][0]] -= balance
            elif types.get(account_id) in INCOME:
                net = -balance
                tax_ids = tuple(sorted(line["tax_ids"]))
                product = line["product_id"] and line["product_id"][0] or None
                key = (tax_ids, account_id, product, net < 0)
                qty = abs(Decimal(str(line["quantity"] or 0))) * (-1 if net < 0 else 1)
                label = line["product_id"] and line["product_id"][1] or line["name"] or ""
                old = rows.get(key, (Decimal(0), Decimal(0), Decimal(0), label))
                rows[key] = (old[0] + qty, old[1] + net, old[2], old[3])
            elif balance:
                paid[account_id] += balance
        vat = self._shop_share_vat(rows, tax_totals, taxes)
        return {
            key: (q, n, vat.get(key, Decimal(0)), lab) for key, (q, n, _v, lab) in rows.items()
        }, paid

    @staticmethod
    def _shop_share_vat(rows, tax_totals, taxes):
        """``{row key: VAT}``: each tax line's amount shared among the rows of that tax (each
        row's own VAT at the tax's rate, the cents left on the biggest)."""
        out = defaultdict(Decimal)
        for tax_id, total in tax_totals.items():
            keys = [key for key in rows if tax_id in key[0]]
            if not keys:
                continue
            amount_type, rate = taxes.get(tax_id, ("", "percent", 0.0))[1:3]
            nets = [rows[key][1] for key in keys]
            if amount_type == "percent":
                own = [n * Decimal(str(rate)) / 100 for n in nets]
            else:
                whole = sum(nets, Decimal(0)) or Decimal(1)
                own = [total * n / whole for n in nets]
            for key, share in zip(keys, allocate(total, own), strict=False):
                out[key] += share
        return out

    def _shop_taxes(self, tax_ids):
        """``{tax id: (name, amount type, amount)}`` (one read)."""
        taxes = self.env["account.tax"].with_context(active_test=False).browse(sorted(tax_ids))
        return {t.id: (t.name, t.amount_type, t.amount) for t in taxes}

    def _shop_tax_label(self, taxes, tax_ids):
        if not tax_ids:
            return self.env._("No tax")
        return ", ".join(taxes.get(t, (str(t),))[0] for t in tax_ids)

    def _shop_payment_rows(self, state, payments):
        accounts = self.env["account.account"].browse(sorted(payments))
        rows = []
        for account in accounts:
            amount = money(payments[account.id])
            if not amount:
                continue
            number, missing = self._economic_shop_payment_account(state, account)
            rows.append(
                PaymentRow(
                    key="account.account,%s" % account.id,
                    label=account.display_name,
                    economic_account=number,
                    missing=missing,
                    amount=amount,
                )
            )
        return tuple(rows)

    # ================================================================== the account mapping
    def _shop_account_numbers(self, state):
        """``{Odoo account id: [(e-conomic account number, its VAT code)]}`` of the connection's
        mapped accounts, by number, read once per pass (one query)."""
        cache = getattr(state, "shop_account_numbers", None)
        if cache is None:
            cache = defaultdict(list)
            for row in (
                self.env["economic.account"]
                .sudo()
                .search_read(
                    [("backend_id", "=", state.backend.id), ("account_id", "!=", False)],
                    ["account_id", "account_number", "vat_code"],
                    order="account_number",
                )
            ):
                cache[row["account_id"][0]].append((row["account_number"], row["vat_code"] or ""))
            state.shop_account_numbers = cache
        return cache
