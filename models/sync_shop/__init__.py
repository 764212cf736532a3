"""The day's sales of a shop to e-conomic (issue 18 §1): what a shop sold and received on a
business day (``sync_core.shop_day``'s ``DayFacts``, from posted entries of chosen sales journals
here, from closed Point of Sale sessions in the ``economic_sync_pos`` bridge) becomes one draft
invoice to the connection's cash customer, or one finance voucher in an e-conomic cash journal,
never booked."""

from . import const
from . import sync
