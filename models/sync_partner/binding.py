from odoo import api, fields, models

BINDING_KINDS = [
    ("customer", "Customer"),
    ("supplier", "Supplier"),
    ("customer_contact", "Customer Contact"),
    ("supplier_contact", "Supplier Contact"),
]


def key_number(key):
    """The e-conomic number a partner key stands for (``"101"`` -> 101; no key: 0)."""
    return int(key) if isinstance(key, str) and key.isdigit() else 0


class EconomicPartnerBinding(models.Model):
    """The link between one Odoo partner and one e-conomic customer, supplier or contact.

    Keyed by text like every binding (``economic_key``: the e-conomic number as text); the
    number (``economic_number``) is computed from the key, for numeric ordering, the number
    column and the readers that send it to e-conomic as a number."""

    _name = "economic.partner.binding"
    _inherit = ["economic.binding.mixin"]
    _description = "e-conomic Partner Binding"
    _order = "backend_id, kind, economic_number"
    _rec_name = "partner_id"

    _sql_constraints = [
        # contacts are numbered per customer in e-conomic: the parent is part of the key;
        # top-level records (no parent) are unique by key through the index of init()
        (
            "key_uniq",
            "unique(backend_id, kind, parent_binding_id, economic_key)",
            "An e-conomic record can be bound to only one Odoo partner.",
        ),
        (
            "partner_uniq",
            "unique(backend_id, kind, partner_id)",
            "An Odoo partner can be bound only once per kind and connection.",
        ),
    ]

    _economic_record_field = "partner_id"

    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(BINDING_KINDS, required=True, index=True)
    economic_number = fields.Integer(
        string="e-conomic Number",
        compute="_compute_economic_number",
        store=True,
        aggregator=False,
        help="The e-conomic key as a number (partners are numbered in e-conomic).",
    )
    parent_binding_id = fields.Many2one("economic.partner.binding", ondelete="cascade", index=True)
    group_id = fields.Many2one("economic.reference", ondelete="set null")
    vat_zone_id = fields.Many2one("economic.reference", ondelete="set null")
    layout_id = fields.Many2one("economic.reference", ondelete="set null")
    currency_code = fields.Char()
    ean = fields.Char(string="EAN")
    balance = fields.Float(readonly=True)
    credit_limit = fields.Float(
        string="Credit Limit (e-conomic)",
        readonly=True,
        help="e-conomic's credit limit, in the agreement's base currency: kept here while it is "
        "not the company's currency (then not synced with the partner's Credit Limit).",
    )

    def init(self):
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS economic_partner_binding_top_key_uniq
                   ON economic_partner_binding (backend_id, kind, economic_key)
                WHERE parent_binding_id IS NULL"""
        )

    @api.depends("economic_key")
    def _compute_economic_number(self):
        for binding in self:
            binding.economic_number = key_number(binding.economic_key)

    @api.model_create_multi
    def create(self, vals_list):
        # the number goes in with the row, from the key (cheaper than a precompute, which
        # makes a new record per row, or a recompute and an UPDATE after the insert)
        return super().create(
            [dict(vals, economic_number=key_number(vals.get("economic_key"))) for vals in vals_list]
        )

    @api.depends("partner_id", "kind", "economic_key")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for binding in self:
            binding.display_name = "%s %s (%s)" % (
                labels.get(binding.kind, ""),
                binding.economic_key or "-",
                binding.partner_id.display_name or "",
            )

    def write(self, vals):
        # editing a binding-level value is a local change to push
        if (
            not self.env.context.get("economic_sync_write")
            and {"group_id", "vat_zone_id", "layout_id", "currency_code", "ean"} & set(vals)
            and "state" not in vals
        ):
            vals = dict(vals, state="pending")
        return super().write(vals)

    def action_open_partner(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "view_mode": "form",
        }
