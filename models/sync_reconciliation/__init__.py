"""The reconciliation report (issue 17 §4): per connection, Odoo and e-conomic side by side,
the differences first. Not an entity: it declares none and writes nothing to e-conomic.

* ``snapshot.py``: the snapshot mirrors of e-conomic's customers and suppliers (with their
  balance) and booked invoices, written only by *Refresh from e-conomic*;
* ``refresh.py``: the connection's side: when the snapshot was read, Refresh (a paged read,
  one page at a time, upserted in SQL), opening and printing the report;
* ``line.py``: the report's rows and what each opens;
* ``build.py``: the rows rebuilt from the snapshots and the bindings by a few grouped queries
  (never one per record), on opening, on Recompute and after Refresh."""

# the bindings the report compares with: partners and invoices
from .. import sync_invoice  # noqa: F401
from .. import sync_partner  # noqa: F401
from . import snapshot
from . import line
from . import build
from . import suppliers
from . import refresh
