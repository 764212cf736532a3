"""The ledger entity module (``economic.sync.ledger``): e-conomic's chart of accounts,
accounting years and VAT codes, read first and mirrored per connection (``pull.py``); the
mirrors: ``account.py``, ``vat_code.py``; their automatic
mapping: ``mapping.py`` (what it relies on: ``const.py``; the Odoo side: ``odoo_side.py``);
the connection's Re-run Automatic Mapping: ``backend.py``."""

from . import account
from . import vat_code
from . import pull
from . import mapping
from . import backend
