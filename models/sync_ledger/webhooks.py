"""e-conomic's "Day book booked" webhook event (a day book's entries booked).

It belongs to journal entries, which have no entity module yet: declared here meanwhile, and the
journal entries package takes it over (with its key parser, ``webhook_keys.py``). Its entity,
``journal_entry``, is synced by no module, so its events are recorded and not processed ("does
not sync yet"), exactly as before."""

from odoo import models
from odoo.tools import LazyTranslate

from ..webhooks.declaration import WebhookEvent
from .webhook_keys import daybook_keys

_lt = LazyTranslate(__name__)


class EconomicSyncLedgerWebhooks(models.AbstractModel):
    _inherit = "economic.sync.ledger"

    _economic_webhooks = (
        WebhookEvent(
            type="daybook_booked",
            segment="daybook-booked",
            api_type="JOURNAL_BOOKED",
            label=_lt("Day book booked"),
            entity="journal_entry",
            merge_fields="daybook=[DAYBOOKNO]&from=[FROMSERIALNO]&to=[TOSERIALNO]",
            aliases={
                "daybook": ("daybook", "daybookno"),
                "from": ("from", "fromserialno"),
                "to": ("to", "toserialno"),
            },
            keys=daybook_keys,
            sequence=40,
        ),
    )
