"""The journal entries entity module (``economic.sync.entry``, entity ``journal_entry``):
e-conomic's booked ledger entries and its journals (day books), read first and mirrored per
connection, never posted in Odoo's books (docs/ENGINE.md "Journal entries").

* ``entry.py``: the mirrors ``economic.entry`` and ``economic.journal``, and what each
  accounting year remembers of its entries (how far they were read);
* ``pull.py``: the declaration and the pass (closed years once, open years by entry-number
  watermark, a full comparison on full passes), the journals;
* ``webhooks.py``, ``webhook_keys.py``: "Day book booked" reads the booked voucher span;
* ``odoo_side.py``: the entries of a mirrored account and of a bound partner."""

# the ledger's mirrors first: the entries extend its accounting years and accounts
from .. import sync_ledger  # noqa: F401
from . import entry
from . import pull
from . import webhooks
from . import odoo_side
