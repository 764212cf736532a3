"""The day's sales of a shop to e-conomic (issue 18 §1): what a shop sold and received on a
business day (``sync_core.shop_day``'s ``DayFacts``: from posted entries of chosen sales journals
here, from closed Point of Sale sessions in the ``economic_sync_pos`` bridge) becomes one draft
invoice to the connection's cash customer, or one finance voucher in an e-conomic cash journal,
never booked. The journal entries package comes first: the connection's cash journal is one of
its e-conomic journals."""

from .. import sync_entry  # noqa: F401 - economic.journal first
from . import const
from . import document
from . import day
from . import tax_product
from . import backend
from . import sync
from . import source
from . import plan
from . import send
from . import bookings
from . import push
