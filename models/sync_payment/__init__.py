"""Customer payments to e-conomic (issue 17 §3): a posted Odoo customer payment of invoices
booked in e-conomic becomes draft customer-payment entries in the connection's e-conomic
journal, never booked by the sync."""

from . import const
from . import binding
from . import backend
from . import sync
from . import push
from . import bookings
from . import account_payment
