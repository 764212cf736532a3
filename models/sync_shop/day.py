"""A shop's day of sales as the sync sent it to e-conomic: one record per connection, shop and
business day, with what was sent (its lines and totals, the material it was made of) and the
documents it became in e-conomic (a draft invoice or a voucher, and any correction)."""

import json

from odoo import api, fields, models

from .const import DAY_STATES, DOCUMENT, MODES


class EconomicShopDay(models.Model):
    _name = "economic.shop.day"
    _description = "e-conomic Day of Sales"
    _order = "day desc, shop_name, id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "shop_day_uniq",
            "unique(backend_id, shop_ref, day)",
            "A shop's day goes to e-conomic once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    shop_ref = fields.Char(
        string="Shop Key",
        required=True,
        help="The shop's record: a sales journal, a point of sale.",
    )
    shop_name = fields.Char(string="Shop")
    day = fields.Date(required=True, index=True)
    mode = fields.Selection(
        MODES, help="How the day went to e-conomic (kept for its later corrections)."
    )
    state = fields.Selection(DAY_STATES, default="pending", required=True, index=True)
    sources = fields.Text(
        help="What the day was made of when it was sent (journal entries, sessions): JSON."
    )
    source_count = fields.Integer(string="Made Of", compute="_compute_source_count")
    currency_code = fields.Char(string="Currency")
    net_amount = fields.Float(string="Net", digits=(16, 2), help="Odoo's net sales sent.")
    vat_amount = fields.Float(string="VAT", digits=(16, 2), help="Odoo's VAT of the sales sent.")
    gross_amount = fields.Float(string="Total", digits=(16, 2))
    payment_amount = fields.Float(
        string="Payments", digits=(16, 2), help="The money received that day."
    )
    line_ids = fields.One2many("economic.shop.day.line", "day_id", string="Lines Sent")
    document_ids = fields.One2many(DOCUMENT, "day_id", string="e-conomic Documents")
    documents_text = fields.Char(string="In e-conomic", compute="_compute_documents_text")
    note = fields.Text(
        string="Notes", help="What e-conomic computes otherwise than Odoo (VAT rounding)."
    )
    last_error = fields.Text()
    last_sent = fields.Datetime(readonly=True)

    @api.depends("shop_name", "day")
    def _compute_display_name(self):
        for day in self:
            day.display_name = "%s %s" % (day.shop_name or "", fields.Date.to_string(day.day))

    @api.depends("sources")
    def _compute_source_count(self):
        for day in self:
            day.source_count = len(day._sources())

    @api.depends(
        "document_ids.doc_state",
        "document_ids.draft_number",
        "document_ids.booked_number",
        "document_ids.voucher_number",
    )
    def _compute_documents_text(self):
        for day in self:
            day.documents_text = ", ".join(
                doc.display_name for doc in day.document_ids if doc.doc_state in ("draft", "booked")
            )

    def _sources(self):
        self.ensure_one()
        try:
            return tuple(json.loads(self.sources or "[]"))
        except ValueError:
            return ()

    # ------------------------------------------------------------------ buttons
    def action_economic_push(self):
        """Send this day to e-conomic now (a day deleted in e-conomic is sent again)."""
        self.ensure_one()
        return self.env["economic.sync.engine"]._action_record(self.backend_id, self, "push")

    def action_economic_refresh(self):
        """Whether the day's drafts were booked (or deleted) in e-conomic since."""
        self.ensure_one()
        return self.env["economic.sync.engine"]._action_record(self.backend_id, self, "pull")

    def action_open_sources(self):
        """The journal entries (or sessions) the day was made of."""
        self.ensure_one()
        by_model = {}
        for ref in self._sources():
            model, _sep, ident = ref.partition(",")
            if ident.isdigit():
                by_model.setdefault(model, []).append(int(ident))
        if len(by_model) != 1:
            return False
        model, ids = next(iter(by_model.items()))
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", ids)],
        }


class EconomicShopDayLine(models.Model):
    _name = "economic.shop.day.line"
    _description = "e-conomic Day of Sales: Line Sent"
    _order = "day_id, sequence, id"

    day_id = fields.Many2one("economic.shop.day", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="day_id.company_id", store=True)
    sequence = fields.Integer()
    kind = fields.Selection([("sale", "Sales"), ("payment", "Payment")], required=True)
    label = fields.Char(string="Description")
    economic_product = fields.Char(string="e-conomic Product")
    economic_account = fields.Integer(string="e-conomic Account", aggregator=False)
    vat_code = fields.Char(string="e-conomic VAT Code")
    quantity = fields.Float(digits=(16, 2))
    net_amount = fields.Float(string="Net", digits=(16, 2))
    vat_amount = fields.Float(string="VAT", digits=(16, 2))
    amount = fields.Float(
        string="Amount", digits=(16, 2), help="Gross sales; a payment: the money received."
    )
