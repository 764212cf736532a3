import json

from odoo import api, fields, models

BINDING_KINDS = [
    ("customer", "Customer"),
    ("supplier", "Supplier"),
    ("customer_contact", "Customer Contact"),
    ("supplier_contact", "Supplier Contact"),
]
BINDING_STATES = [
    ("synced", "Synced"),
    ("pending", "Pending Push"),
    ("conflict", "Conflict"),
    ("error", "Error"),
]


def _with_backend_company(env, vals_list):
    """The create values with ``company_id`` (related ``backend_id.company_id``) filled in: the
    ORM then inserts it with the row instead of recomputing it record by record after the
    insert and updating every new row a second time. A value the caller gave is kept."""
    backend_ids = {
        vals["backend_id"]
        for vals in vals_list
        if "company_id" not in vals and isinstance(vals.get("backend_id"), int)
    }
    if not backend_ids:
        return vals_list
    backends = env["economic.backend"].sudo().browse(backend_ids).exists()
    companies = {backend.id: backend.company_id.id for backend in backends}
    return [
        dict(vals, company_id=companies[vals["backend_id"]])
        if "company_id" not in vals and vals.get("backend_id") in companies
        else vals
        for vals in vals_list
    ]


class EconomicPartnerBinding(models.Model):
    """The link between one Odoo partner and one e-conomic customer, supplier or contact."""

    _name = "economic.partner.binding"
    _description = "e-conomic Partner Binding"
    _order = "backend_id, kind, economic_number"
    _rec_name = "partner_id"

    _sql_constraints = [
        # contacts are numbered per customer in e-conomic: the parent is part of the key;
        # top-level records (no parent) are unique by number through the index of init()
        (
            "number_uniq",
            "unique(backend_id, kind, parent_binding_id, economic_number)",
            "An e-conomic record can be bound to only one Odoo partner.",
        ),
        (
            "partner_uniq",
            "unique(backend_id, kind, partner_id)",
            "An Odoo partner can be bound only once per kind and connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade", index=True)
    kind = fields.Selection(BINDING_KINDS, required=True, index=True)
    economic_number = fields.Integer(string="e-conomic Number", index=True)
    parent_binding_id = fields.Many2one("economic.partner.binding", ondelete="cascade", index=True)
    base = fields.Text(copy=False, help="Canonical values both sides held after the last sync.")
    last_synced = fields.Datetime(copy=False)
    remote_last_updated = fields.Char(copy=False)
    remote_seen_at = fields.Datetime(copy=False)
    state = fields.Selection(BINDING_STATES, default="synced", required=True, index=True)
    last_error = fields.Text(copy=False)
    overrides = fields.Text(copy=False)
    group_id = fields.Many2one("economic.reference", ondelete="set null")
    vat_zone_id = fields.Many2one("economic.reference", ondelete="set null")
    layout_id = fields.Many2one("economic.reference", ondelete="set null")
    currency_code = fields.Char()
    ean = fields.Char(string="EAN")
    balance = fields.Float(readonly=True)
    remote_archived = fields.Boolean(copy=False)

    def init(self):
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS economic_partner_binding_top_number_uniq
                   ON economic_partner_binding (backend_id, kind, economic_number)
                WHERE parent_binding_id IS NULL"""
        )

    @api.depends("partner_id", "kind", "economic_number")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for binding in self:
            binding.display_name = "%s %s (%s)" % (
                labels.get(binding.kind, ""),
                binding.economic_number or "-",
                binding.partner_id.display_name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(_with_backend_company(self.env, vals_list))

    def _get_overrides(self):
        self.ensure_one()
        try:
            return json.loads(self.overrides) if self.overrides else {}
        except ValueError:
            return {}

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
