"""The ledger entity module (``economic.sync.ledger``): e-conomic's chart of accounts,
accounting years and VAT codes, read first and mirrored per connection (``pull.py``); the
mirrors and their mappings: ``models/economic_account.py``, ``models/economic_vat_code.py``."""

from . import pull
