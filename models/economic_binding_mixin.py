"""``economic.binding.mixin``: the one shape every binding has, whatever the entity.

A binding links one Odoo record to one e-conomic record of one connection and remembers what
both sides held after the last sync (``base``, for the three-way merge). Master data (partners,
products) and documents (invoices: read once and locked) bind the same way. The e-conomic key
is text: product numbers are strings, entries are keyed by year and number.
"""

import json
from datetime import datetime, timezone

from odoo import api, fields, models

BINDING_STATES = [
    ("synced", "Synced"),
    ("pending", "Pending Push"),
    ("conflict", "Conflict"),
    ("error", "Error"),
]


def parse_remote_stamp(stamp):
    """e-conomic's ``lastUpdated`` (``2026-01-02T03:04:05Z``, an offset or none: UTC) as a
    naive UTC datetime, what Odoo shows in the user's time zone and format; None if unreadable."""
    if not stamp or not isinstance(stamp, str):
        return None
    text = stamp.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.replace(microsecond=0)


def with_backend_company(env, vals_list):
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


class EconomicBindingMixin(models.AbstractModel):
    _name = "economic.binding.mixin"
    _description = "e-conomic Binding (abstract)"

    #: the field holding the bound Odoo record
    _economic_record_field = None
    #: the entity of every binding of the model (None: a ``kind`` field says it per binding)
    _economic_entity_name = None

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    economic_key = fields.Char(string="e-conomic Key", index=True, copy=False)
    base = fields.Text(copy=False, help="Canonical values both sides held after the last sync.")
    last_synced = fields.Datetime(copy=False)
    remote_last_updated = fields.Char(copy=False)
    remote_updated_at = fields.Datetime(
        string="Last Changed in e-conomic",
        compute="_compute_remote_updated_at",
        help="When e-conomic last changed the record (its lastUpdated), as of the last sync.",
    )
    remote_seen_at = fields.Datetime(copy=False)
    state = fields.Selection(BINDING_STATES, default="synced", required=True, index=True)
    last_error = fields.Text(copy=False)
    overrides = fields.Text(copy=False)
    remote_archived = fields.Boolean(copy=False)
    economic_currency_id = fields.Many2one(
        "res.currency",
        string="e-conomic Currency",
        compute="_compute_economic_currency",
        help="The agreement's base currency: the currency of e-conomic's amounts kept here.",
    )

    @api.depends("backend_id.base_currency", "backend_id.company_id")
    def _compute_economic_currency(self):
        for binding in self:
            binding.economic_currency_id = binding.backend_id._economic_currency()

    @api.depends("remote_last_updated")
    def _compute_remote_updated_at(self):
        for binding in self:
            binding.remote_updated_at = parse_remote_stamp(binding.remote_last_updated) or False

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(with_backend_company(self.env, vals_list))

    def unlink(self):
        self.env["economic.sync.conflict"].sudo().search(
            [("binding_model", "=", self._name), ("binding_res_id", "in", self.ids)]
        ).unlink()
        return super().unlink()

    def _economic_record(self):
        """The bound Odoo record."""
        return self[self._economic_record_field]

    def _economic_entity(self):
        self.ensure_one()
        return self._economic_entity_name or self.kind

    @api.model
    def _economic_bindings_of(self, state, record):
        """The bindings of ``record`` on the pass's connection."""
        return self.sudo().search(
            [
                ("backend_id", "=", state.backend.id),
                (self._economic_record_field, "in", record.ids),
            ]
        )

    def _get_overrides(self):
        self.ensure_one()
        try:
            return json.loads(self.overrides) if self.overrides else {}
        except ValueError:
            return {}
