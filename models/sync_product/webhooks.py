"""The products' webhook event: e-conomic's "Product updated" (created, edited, renumbered or
deleted products); its key parser: ``webhook_keys.py``; the pull it triggers:
``_economic_pull_keys`` (``pull.py``)."""

from odoo import models
from odoo.tools import LazyTranslate

from ..webhooks.declaration import WebhookEvent
from .webhook_keys import product_keys

_lt = LazyTranslate(__name__)


class EconomicSyncProductWebhooks(models.AbstractModel):
    _inherit = "economic.sync.product"

    _economic_webhooks = (
        WebhookEvent(
            type="product_updated",
            segment="product-updated",
            api_type="PRODUCT_UPDATED",
            label=_lt("Product updated"),
            entity="product",
            merge_fields="new=[NEWNUMBER]&old=[OLDNUMBER]",
            aliases={"new": ("new", "newnumber"), "old": ("old", "oldnumber")},
            keys=product_keys,
            sequence=20,
        ),
    )
