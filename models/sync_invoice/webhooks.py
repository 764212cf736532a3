"""The invoices' webhook event: e-conomic's "Invoice booked"; its key parser:
``webhook_keys.py``; the pull it triggers: ``_economic_pull_keys`` (``pull.py``)."""

from odoo import models
from odoo.tools import LazyTranslate

from ..webhooks.declaration import WebhookEvent
from .webhook_keys import invoice_keys

_lt = LazyTranslate(__name__)


class EconomicSyncInvoiceWebhooks(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    _economic_webhooks = (
        WebhookEvent(
            type="invoice_booked",
            segment="invoice-booked",
            api_type="INVOICE_BOOKED",
            label=_lt("Invoice booked"),
            entity="invoice",
            merge_fields="invoice=[INVOICENO]",
            aliases={"invoice": ("invoice", "invoiceno", "number")},
            keys=invoice_keys,
            related=("invoice", "credit_note"),
            sequence=30,
        ),
    )
