"""The partners' webhook event: e-conomic's "Customer updated" (created, edited, renumbered or
deleted customers); its key parser: ``webhook_keys.py``; the pull it triggers:
``_economic_pull_keys`` (``pull.py``)."""

from odoo import models
from odoo.tools import LazyTranslate

from ..webhooks.declaration import WebhookEvent
from .webhook_keys import customer_keys

_lt = LazyTranslate(__name__)


class EconomicSyncPartnerWebhooks(models.AbstractModel):
    _inherit = "economic.sync.partner"

    _economic_webhooks = (
        WebhookEvent(
            type="customer_updated",
            segment="customer-updated",
            api_type="CUSTOMER_UPDATED",
            label=_lt("Customer updated"),
            entity="customer",
            merge_fields="new=[NEWNUMBER]&old=[OLDNUMBER]",
            aliases={"new": ("new", "newnumber"), "old": ("old", "oldnumber")},
            keys=customer_keys,
            related=("customer", "customer_contact"),
            sequence=10,
        ),
    )
