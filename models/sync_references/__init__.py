"""The references module (``economic.sync.references``): e-conomic's groups, VAT zones,
payment terms, layouts, currencies, product groups and units read in every pass
(``pull.py``) into ``economic.reference`` (``reference.py``), with their Odoo counterparts;
the connection's Refresh References and the defaults filled from them (``backend.py``)."""

from . import reference
from . import backend
from . import pull
