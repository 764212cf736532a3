"""e-conomic's "Day book booked" webhook event: a day book's entries were booked; the event
names the journal and the span of voucher numbers booked (docs/ECONOMIC.md §8). The entries
package reads exactly those vouchers' entries of the open years, with the same upsert as a
pass."""

from odoo import models
from odoo.tools import LazyTranslate

from ...economic_client import F
from ..webhooks.declaration import WebhookEvent
from .pull import ENTITY, Links
from .webhook_keys import daybook_keys, daybook_span

_lt = LazyTranslate(__name__)


class EconomicSyncEntryWebhooks(models.AbstractModel):
    _inherit = "economic.sync.entry"

    _economic_webhooks = (
        WebhookEvent(
            type="daybook_booked",
            segment="daybook-booked",
            api_type="JOURNAL_BOOKED",
            label=_lt("Day book booked"),
            entity=ENTITY,
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

    def _economic_pull_keys(self, state, entity, keys, renames):
        """Each booked span (``"<day book>:<first>-<last>"``): the entries of those voucher
        numbers in the open years (a booking goes into an open year), one filtered read per
        year and span, upserted like a pass. Returns ``{key: first entry read}``."""
        if entity != ENTITY:
            return super()._economic_pull_keys(state, entity, keys, renames)
        years = (
            self.env["economic.accounting.year"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("active", "=", True),
                    ("closed", "=", False),
                ]
            )
        )
        links = Links(self.env, state.backend)
        reached = {}
        for key in keys:
            _daybook, first, last = daybook_span(key)
            flt = F("voucherNumber").gte(first) & F("voucherNumber").lte(last)
            numbers = set()
            for year in years:
                service = state.client.accounting_years.entries(year.year)
                page = list(service.iter(filter=flt, sort="entryNumber"))
                if page:
                    self._upsert_entries(state, links, year, page, set())
                    numbers.update((year.year, r["entryNumber"]) for r in page)
            if numbers:
                year, number = min(numbers)
                reached[key] = self.env["economic.entry"].search(
                    [
                        ("backend_id", "=", state.backend.id),
                        ("year", "=", year),
                        ("entry_number", "=", number),
                    ],
                    limit=1,
                )
        self._link_entries(state)
        self._economic_entries_arrived(state, reached)
        return reached

    def _economic_entries_arrived(self, state, reached):
        """Entries a webhook read (``{key: entry}``): what other packages build on the mirror
        (purchases) may act at once. Default: nothing."""
