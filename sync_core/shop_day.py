"""The day's sales of a shop to e-conomic (issue 18 §1): the facts of one day and the pure
decisions on them (no I/O, stdlib only, never imports Odoo).

A *source* (posted entries of sales journals in the addon, closed Point of Sale sessions in the
``economic_sync_pos`` bridge) describes each (shop, day) as a :class:`DayFacts`: what was sold
(:class:`SaleRow`, grouped by taxes and income account) and what was received
(:class:`PaymentRow`). The functions below turn that into what e-conomic is sent: the lines of
one draft invoice to the cash customer, or the entries of one finance voucher in a cash journal.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["DayFacts", "PaymentRow", "SaleRow"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SaleRow:
    """One group of sold (or returned) lines of a day."""

    #: sorted Odoo account.tax ids applied (after fiscal position); () = no tax
    tax_ids: tuple
    #: e.g. "25% Moms" (the taxes' names joined)
    tax_label: str
    #: Odoo income account id (after fiscal position)
    account_id: int
    #: Odoo product.product id (needed for the per-product setting), None if unknown
    product_id: "int | None"
    #: product name or the journal item's label
    label: str
    #: summed; negative for returns
    quantity: Decimal
    #: summed net (tax excluded), company currency, 2 decimals; negative for returns
    net: Decimal
    #: Odoo's VAT of these lines, 2 decimals (what Odoo computed: order/move tax lines)
    vat: Decimal
    #: returned goods (their lines go as negative lines)
    is_return: bool


@dataclass(frozen=True)
class PaymentRow:
    """Money received that day, per payment method (POS) or debit account (journals)."""

    #: "pos.payment.method,3" / "account.account,12"
    key: str
    #: "Cash", "Card", "MobilePay" / the account's name
    label: str
    #: the e-conomic account number it is debited to; None = not mapped
    economic_account: "int | None"
    #: when economic_account is None: the translated sentence naming what to configure
    missing: str
    #: 2 decimals, company currency (negative if money went out)
    amount: Decimal


@dataclass(frozen=True)
class DayFacts:
    """Everything one shop sold and received on one business day."""

    #: "pos.config,3" / "account.journal,7" (stable key of the shop)
    shop_ref: str
    shop_name: str
    #: business day in the company's timezone
    day: datetime.date
    #: ISO code of the company currency
    currency: str
    #: sorted refs of what the day is made of ("pos.session,12", ...) / ("account.move,55", ...);
    #: a change here (a late session) means amend/correct
    sources: tuple
    #: SaleRow...
    sales: tuple
    #: PaymentRow...
    payments: tuple
