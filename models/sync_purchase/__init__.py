"""The purchases entity module (``economic.sync.purchase``, entity ``purchase``, issue 17 §2):
supplier invoices booked in e-conomic as posted, locked Odoo vendor bills, built from the
journal entries mirror (``economic.entry``) without reading e-conomic again.

* ``binding.py``: ``economic.purchase.binding``, one booked supplier invoice (year, voucher,
  supplier, supplier invoice number) and its Odoo bill, with e-conomic's remainder;
* ``pull.py``: the declaration and the pass: the vouchers of supplier invoices not bound yet
  (one grouped query), grouped into bills; remainders from the mirror; Replay;
* ``build.py``: a group of entries as vendor bill values, and the bill's amounts equal to
  e-conomic's entries to the cent;
* ``backend.py``: the purchase journal and the date from which supplier invoices come in;
* ``account_move.py``: the bill's e-conomic fields and its lock;
* ``webhooks.py``: the bills of the vouchers a "Day book booked" event read, at once."""

# the entries mirror first: purchases are built from it, and extend its webhook
from .. import sync_entry  # noqa: F401
from . import const
from . import groups
from . import binding
from . import backend
from . import pull
from . import build
from . import account_move
from . import webhooks
from . import payments
