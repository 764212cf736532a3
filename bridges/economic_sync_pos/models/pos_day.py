"""The business days of points of sale, summed (plain Python: no Odoo record, no query).

``shop_source.py`` reads the closed orders and feeds each order line's amounts (as Odoo's
session closing computes them) and each payment into a :class:`PosDays`; ``facts()`` turns the
sums into ``sync_core.shop_day.DayFacts``, one per (point of sale, business day).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.economic_sync.sync_core.shop_day import DayFacts, PaymentRow, SaleRow

CENT = Decimal("0.01")


def money(value):
    """A float amount Odoo rounded to the cent, as an exact ``Decimal``."""
    return Decimal("%.2f" % value).quantize(CENT) + 0  # + 0: never "-0.00"


@dataclass
class _Sale:
    tax_label: str
    label: str
    quantity: Decimal = Decimal(0)
    net: Decimal = Decimal(0)
    vat: Decimal = Decimal(0)


@dataclass
class _Day:
    shop_name: str
    sessions: set = field(default_factory=set)
    #: (tax ids, account id, product id, is return) -> _Sale
    sales: dict = field(default_factory=dict)
    #: the cash rounding of the day's orders (what the customers paid beyond the total)
    rounding: Decimal = Decimal(0)
    #: payment method id -> amount
    payments: dict = field(default_factory=dict)


@dataclass(frozen=True)
class RoundingAccounts:
    """Where a point of sale books its cash rounding: profit (customers paid more than the
    total) or loss, and the rounding's name."""

    profit_id: int
    loss_id: int
    label: str


class PosDays:
    """The sums of the orders and payments of points of sale per business day."""

    def __init__(self, currency):
        self.currency = currency
        self.days = {}

    def _day(self, config_id, shop_name, day):
        key = (config_id, day)
        if key not in self.days:
            self.days[key] = _Day(shop_name)
        return self.days[key]

    def add_line(self, config_id, shop_name, day, session_id, key, labels, quantity, net, vat):
        """One order line: ``key`` = (sorted tax ids, income account id, product id, is
        return), ``labels`` = (tax label, product label); the amounts as Odoo's closing books
        them (``net`` and ``vat`` ``Decimal`` cents, positive for a sale)."""
        day_sums = self._day(config_id, shop_name, day)
        day_sums.sessions.add(session_id)
        sale = day_sums.sales.get(key)
        if sale is None:
            sale = day_sums.sales[key] = _Sale(*labels)
        sale.quantity += quantity
        sale.net += net
        sale.vat += vat

    def add_rounding(self, config_id, shop_name, day, amount):
        self._day(config_id, shop_name, day).rounding += amount

    def add_payment(self, config_id, shop_name, day, session_id, method_id, amount):
        day_sums = self._day(config_id, shop_name, day)
        day_sums.sessions.add(session_id)
        day_sums.payments[method_id] = day_sums.payments.get(method_id, Decimal(0)) + amount

    def facts(self, method_rows, rounding_accounts):
        """``list[DayFacts]`` ordered by day and point of sale. ``method_rows``: payment
        method id -> (label, e-conomic account number or None, missing sentence);
        ``rounding_accounts``: config id -> ``RoundingAccounts`` (points of sale with cash
        rounding)."""
        out = []
        for (config_id, day), sums in sorted(self.days.items(), key=lambda item: item[0][::-1]):
            sales = [
                SaleRow(
                    tax_ids=key[0],
                    tax_label=sale.tax_label,
                    account_id=key[1],
                    product_id=key[2],
                    label=sale.label,
                    quantity=sale.quantity,
                    net=sale.net,
                    vat=sale.vat,
                    is_return=key[3],
                )
                for key, sale in sorted(
                    sums.sales.items(), key=lambda item: (item[0][3], item[0][:3])
                )
                if sale.net or sale.vat
            ]
            rounding = rounding_accounts.get(config_id)
            if sums.rounding and rounding:
                sales.append(
                    SaleRow(
                        tax_ids=(),
                        tax_label="",
                        account_id=rounding.profit_id if sums.rounding > 0 else rounding.loss_id,
                        product_id=None,
                        label=rounding.label,
                        quantity=Decimal(1),
                        net=sums.rounding,
                        vat=Decimal(0),
                        is_return=False,
                    )
                )
            payments = tuple(
                PaymentRow(
                    key="pos.payment.method,%d" % method_id,
                    label=method_rows[method_id][0],
                    economic_account=method_rows[method_id][1],
                    missing=method_rows[method_id][2],
                    amount=amount,
                )
                for method_id, amount in sorted(sums.payments.items())
                if amount
            )
            out.append(
                DayFacts(
                    shop_ref="pos.config,%d" % config_id,
                    shop_name=sums.shop_name,
                    day=day,
                    currency=self.currency,
                    sources=tuple("pos.session,%d" % sid for sid in sorted(sums.sessions)),
                    sales=tuple(sales),
                    payments=payments,
                )
            )
        return out
