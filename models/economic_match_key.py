from odoo import fields, models

MATCH_ENTITIES = [("customer", "Customers"), ("supplier", "Suppliers")]
MATCH_KEYS = [
    ("number", "Customer/Supplier Number"),
    ("vat", "VAT/CVR Number"),
    ("email", "Email"),
    ("phone", "Phone"),
]
#: default matching keys, in order, per entity (docs/SYNC.md §4)
DEFAULT_MATCH_KEYS = {
    "customer": ("number", "vat", "email", "phone"),
    "supplier": ("number", "vat", "email", "phone"),
}


class EconomicMatchKey(models.Model):
    """One key used, in sequence, to match unbound records before creating any."""

    _name = "economic.match.key"
    _description = "e-conomic Matching Key"
    _order = "backend_id, entity, sequence, id"

    _sql_constraints = [
        (
            "backend_entity_key_uniq",
            "unique(backend_id, entity, key)",
            "A matching key can be used only once per entity and connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend",
        string="Connection",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    entity = fields.Selection(MATCH_ENTITIES, required=True)
    key = fields.Selection(MATCH_KEYS, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
