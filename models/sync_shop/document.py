"""One document sent to e-conomic for a shop's day: a draft invoice to the cash customer, or a
finance voucher of draft entries in the cash journal.

The first document of a day holds its sales; a change after it was booked in e-conomic makes
one more (a correction, numbered 2, 3…) holding the difference. ``content`` is what the
document holds (``sync_core.shop_day``'s content: per line the product or account and the
amounts), so that the next change is measured against what e-conomic has.
"""

import json

from odoo import api, fields, models

from ...sync_core.shop_day import dump_content, load_content
from .const import DOC_KINDS, DOC_STATES, ENTITY


class EconomicShopDocument(models.Model):
    _name = "economic.shop.document"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Document of a Day of Sales"
    _order = "day_id, number, id"
    _rec_name = "reference"

    _economic_record_field = "day_id"
    _economic_entity_name = ENTITY

    _sql_constraints = [
        (
            "day_number_uniq",
            "unique(day_id, number)",
            "A day's documents are numbered once each.",
        ),
    ]

    day_id = fields.Many2one(
        "economic.shop.day", string="Day", required=True, ondelete="cascade", index=True
    )
    kind = fields.Selection(DOC_KINDS, required=True)
    number = fields.Integer(
        default=1,
        aggregator=False,
        help="1: the day's sales; 2 and on: a correction sent after the day was booked.",
    )
    doc_state = fields.Selection(DOC_STATES, string="e-conomic State", default="sending")
    reference = fields.Char(
        help="The draft invoice's reference (references.other), or the text of the voucher's "
        "entries: how the sync knows its document in e-conomic."
    )
    draft_number = fields.Integer(string="Draft Invoice", aggregator=False)
    booked_number = fields.Integer(string="Booked Invoice", aggregator=False)
    journal_number = fields.Integer(string="e-conomic Journal", aggregator=False)
    year = fields.Char(string="Accounting Year")
    voucher_number = fields.Integer(string="Voucher", aggregator=False, index="btree_not_null")
    entry_numbers = fields.Char(
        string="Journal Entries", help="The draft entries' numbers in the journal."
    )
    net_amount = fields.Float(digits=(16, 2), help="e-conomic's net amount of the draft.")
    vat_amount = fields.Float(
        string="VAT Amount", digits=(16, 2), help="e-conomic's VAT of the draft."
    )
    gross_amount = fields.Float(
        digits=(16, 2), help="e-conomic's total of the draft; for a voucher, its debits."
    )
    content = fields.Text(help="What the document holds (JSON).")
    attempt = fields.Integer(
        aggregator=False, help="The create attempt whose key made the document in e-conomic."
    )

    @api.depends("kind", "draft_number", "booked_number", "year", "voucher_number", "number")
    def _compute_display_name(self):
        for doc in self:
            # a preview's document has no number yet (or the recording client's provisional one)
            if doc.kind == "invoice" and doc.booked_number:
                name = doc.env._("Invoice %s", doc.booked_number)
            elif doc.kind == "invoice":
                name = (
                    doc.env._("Draft invoice %s", doc.draft_number)
                    if doc.draft_number and doc.draft_number > 0
                    else doc.env._("A new draft invoice")
                )
            elif not doc.voucher_number or doc.voucher_number < 0:
                name = doc.env._("A new voucher")
            else:
                name = doc.env._(
                    "Voucher %(year)s-%(voucher)s",
                    year=doc.year or "-",
                    voucher=doc.voucher_number or "-",
                )
            doc.display_name = "%s #%s" % (name, doc.number) if doc.number > 1 else name

    # ------------------------------------------------------------------ content
    def _content(self):
        self.ensure_one()
        try:
            return load_content(json.loads(self.content or "{}"))
        except ValueError:
            return {}

    @staticmethod
    def _dump(content):
        return json.dumps(dump_content(content), sort_keys=True)

    def _entry_list(self):
        self.ensure_one()
        return [int(n) for n in (self.entry_numbers or "").split(",") if n.strip().isdigit()]

    @staticmethod
    def _key(kind, draft=None, booked=None, year=None, voucher=None):
        """The binding's key: the booked invoice's number, else the draft's (``draft-148``),
        or the voucher (``2026-7001``)."""
        if kind == "invoice":
            return str(booked) if booked else ("draft-%s" % draft if draft else False)
        return "%s-%s" % (year, voucher) if year and voucher else False
