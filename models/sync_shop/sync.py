"""The day's-sales entity module (issue 18 §1): the declaration, what the engine calls, and the
source interface the bridges extend (``_economic_shop_collect``)."""

from odoo import models


class EconomicSyncShop(models.AbstractModel):
    _name = "economic.sync.shop"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: the day's sales of shops"

    _economic_sequence = 75

    # ================================================================== sources
    def _economic_shop_collect(self, state, day_from, day_to):
        """``list[DayFacts]`` of every (shop, day) with closed material in ``[day_from,
        day_to]`` (dates, inclusive) from the connection's chosen sources. Base: posted entries
        of the connection's sales journals. Bridges: ``return super()._economic_shop_collect(
        ...) + their own``. Batch queries, no query per record."""
        return []

    def _economic_shop_payment_account(self, state, account):
        """``(e-conomic account number or None, missing sentence)`` for an Odoo
        ``account.account`` through the connection's account mapping (the ledger's
        ``economic.account`` <-> ``account.account``). The POS bridge uses it as the fallback
        for a payment method without an explicit e-conomic account."""
        number = self._shop_account_numbers(state).get(account.id)
        if number is not None:
            return number, ""
        return None, self.env._(
            "Map the Odoo account %(account)s to an e-conomic account under %(menu)s.",
            account=account.display_name,
            menu=self.env["economic.account"]._economic_menu(),
        )

    def _shop_account_numbers(self, state):
        """``{Odoo account id: e-conomic account number}`` of the connection's mapped accounts,
        read once per pass (one query)."""
        cache = getattr(state, "shop_account_numbers", None)
        if cache is None:
            rows = (
                self.env["economic.account"]
                .sudo()
                .search_read(
                    [("backend_id", "=", state.backend.id), ("account_id", "!=", False)],
                    ["account_id", "account_number"],
                    order="account_number",
                )
            )
            cache = {}
            for row in rows:
                cache.setdefault(row["account_id"][0], row["account_number"])
            state.shop_account_numbers = cache
        return cache
