"""Products in Odoo: their e-conomic status, Refresh / Push now, and the read-only lock.

While the Products strategy of a connection is ``read_only`` (the default: products are
read-first, docs/SYNC.md §2), e-conomic is the source of a bound product's synced fields: a
user's change of one of them is refused with a message that says so, while the sync's own
writes (context ``economic_sync_write``) pass. With another strategy and push effective, a
local change of a pushed field makes the binding pending instead.

Inventory figures are e-conomic's, shown read-only: they are never written into Odoo stock.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..economic_binding_mixin import BINDING_STATES

BINDING = "economic.product.binding"
ENTITY = "product"
#: the worst state of several bindings is the one shown
STATE_ORDER = {"error": 0, "conflict": 1, "pending": 2, "synced": 3}
#: the binding's figures summed over a template's variants
SUMMED = {
    "economic_inventory_available": "inventory_available",
    "economic_inventory_in_stock": "inventory_in_stock",
    "economic_inventory_ordered_by_customers": "inventory_ordered_by_customers",
    "economic_inventory_ordered_from_suppliers": "inventory_ordered_from_suppliers",
}
#: the fields a template's write checked on all its variants: their writes skip them
CHECKED = "economic_lock_checked"


def _status_values(bindings, setting, locked, currency):
    """The e-conomic fields of one product (or template) from its bindings of the current
    company's connection (``currency``: the currency of e-conomic's prices)."""
    states = sorted(bindings.mapped("state"), key=lambda s: STATE_ORDER.get(s, 9))
    dates = [d for d in bindings.mapped("last_synced") if d]
    live = bindings.filtered(lambda b: not b.remote_archived)
    values = {
        "economic_bound": bool(bindings),
        "economic_product_number": ", ".join(k for k in bindings.mapped("economic_key") if k),
        "economic_last_synced": max(dates) if dates else False,
        "economic_state": states[0] if states else False,
        "economic_last_error": "\n".join(e for e in bindings.mapped("last_error") if e),
        "economic_currency_id": currency.id,
        "economic_recommended_price": (bindings.recommended_price if len(bindings) == 1 else 0.0),
        "economic_sales_price": bindings.sales_price if len(bindings) == 1 else 0.0,
        "economic_cost_price": bindings.cost_price if len(bindings) == 1 else 0.0,
        "economic_has_inventory": any(bindings.mapped("has_inventory")),
        "economic_can_push": bool(bindings and setting and setting.effective_push),
        "economic_locked_fields": (
            ",%s," % ",".join(sorted(locked))
            if live and locked and setting.strategy == "read_only"
            else False
        ),
    }
    for name, source in SUMMED.items():
        values[name] = sum(bindings.mapped(source))
    return values


class EconomicProductMixin(models.AbstractModel):
    """What ``product.product`` and ``product.template`` share: the e-conomic status fields,
    computed for the current company's connection, and the lock (a synced record: a local
    change of a pushed field makes the binding pending)."""

    _name = "economic.product.mixin"
    _inherit = "economic.synced.record"
    _description = "e-conomic Product Status"

    _economic_binding_model = BINDING

    economic_bound = fields.Boolean(
        string="Bound to e-conomic",
        compute="_compute_economic",
        search="_search_economic_bound",
    )
    economic_product_number = fields.Char(
        string="e-conomic Product No.", compute="_compute_economic"
    )
    economic_last_synced = fields.Datetime(
        string="Last Synced with e-conomic", compute="_compute_economic"
    )
    economic_state = fields.Selection(
        BINDING_STATES, string="e-conomic State", compute="_compute_economic"
    )
    economic_last_error = fields.Text(string="e-conomic Error", compute="_compute_economic")
    economic_currency_id = fields.Many2one(
        "res.currency",
        string="e-conomic Currency",
        compute="_compute_economic",
        help="The agreement's base currency: the currency of e-conomic's prices.",
    )
    economic_prices_foreign = fields.Boolean(
        compute="_compute_economic",
        help="The agreement's base currency is not the company's: e-conomic's prices are shown "
        "here, not synced with the product's Sales Price and Cost.",
    )
    economic_recommended_price = fields.Monetary(
        string="Recommended Price",
        currency_field="economic_currency_id",
        compute="_compute_economic",
        help="e-conomic's recommended price of the product (shown, not synced).",
    )
    economic_sales_price = fields.Monetary(
        string="Sales Price in e-conomic",
        currency_field="economic_currency_id",
        compute="_compute_economic",
        help="e-conomic's sales price, in the agreement's base currency (shown, not synced "
        "while that is not the company's currency).",
    )
    economic_cost_price = fields.Monetary(
        string="Cost Price in e-conomic",
        currency_field="economic_currency_id",
        compute="_compute_economic",
        help="e-conomic's cost price, in the agreement's base currency (shown, not synced "
        "while that is not the company's currency).",
    )
    economic_has_inventory = fields.Boolean(
        string="e-conomic Inventory",
        compute="_compute_economic",
        help="e-conomic's inventory module answered for this product.",
    )
    economic_inventory_available = fields.Float(
        string="Available (e-conomic)",
        digits="Product Unit of Measure",
        compute="_compute_economic",
    )
    economic_inventory_in_stock = fields.Float(
        string="In Stock (e-conomic)",
        digits="Product Unit of Measure",
        compute="_compute_economic",
    )
    economic_inventory_ordered_by_customers = fields.Float(
        string="Ordered by Customers (e-conomic)",
        digits="Product Unit of Measure",
        compute="_compute_economic",
    )
    economic_inventory_ordered_from_suppliers = fields.Float(
        string="Ordered from Suppliers (e-conomic)",
        digits="Product Unit of Measure",
        compute="_compute_economic",
    )
    economic_can_push = fields.Boolean(compute="_compute_economic")
    economic_locked_fields = fields.Char(
        compute="_compute_economic",
        help="The fields kept in e-conomic (read-only sync), comma-separated: the form shows "
        "them read-only.",
    )

    # ------------------------------------------------------------------ status
    def _economic_current_backend(self):
        return (
            self.env["economic.backend"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], limit=1)
        )

    def _economic_bindings_by_record(self, backend):
        """``{record id: its bindings of backend}`` (sudo)."""
        raise NotImplementedError

    def _compute_economic(self):
        backend = self._economic_current_backend()
        setting = backend and backend._entity_setting(ENTITY)
        locked = (
            self.env["economic.sync.product"].sudo()._economic_locked_fields(backend.id)
            if backend
            else frozenset()
        )
        by_record = self._economic_bindings_by_record(backend)
        empty = self.env[BINDING].sudo()
        currency = backend._economic_currency() if backend else self.env.company.currency_id
        foreign = bool(backend) and backend._economic_foreign_currency()
        for record in self:
            values = _status_values(by_record.get(record.id, empty), setting, locked, currency)
            values["economic_prices_foreign"] = foreign and values["economic_bound"]
            record.update(values)

    def _search_economic_bound(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search on 'Bound to e-conomic' with = True or = False."))
        positive = (operator == "=") == value
        return self._economic_bound_domain(positive)

    def _economic_bound_domain(self, positive):
        raise NotImplementedError

    # ------------------------------------------------------------------ the lock
    def _economic_guarded_fields(self, backend, entity):
        return self._economic_sync_module()._economic_locked_fields(backend.id)

    def _economic_check_write(self, backend, entity, bindings, names, vals, owners):
        """Refuse a user's change of a field kept in e-conomic (read-only sync) on a bound
        product."""
        if backend._entity_setting(entity).strategy != "read_only":
            return
        locked = names & self._economic_sync_module()._economic_locked_fields(backend.id)
        if not locked:
            return
        for binding in bindings:
            record = owners.get(self._economic_owner_id(binding))
            changed = self._economic_changes(record, locked, vals)
            if changed:
                labels = [record._fields[f]._description_string(self.env) for f in changed]
                raise UserError(
                    self.env._(
                        "The fields %(fields)s of %(product)s are kept in e-conomic (read-only "
                        "sync): change them in e-conomic, or change the Products strategy of "
                        "the connection.",
                        fields=", ".join(labels),
                        product=record.display_name,
                    )
                )

    def _economic_pushes_edits(self, backend, entity):
        """Only with push effective and updates of e-conomic products on (else find or create
        only, the default: a local edit is not something to push)."""
        return bool(backend._entity_setting(entity).effective_push and backend.product_push_updates)


class ProductProduct(models.Model):
    _name = "product.product"
    _inherit = ["product.product", "economic.product.mixin"]

    economic_binding_ids = fields.One2many(BINDING, "product_id", string="e-conomic Bindings")

    @api.depends_context("company")
    @api.depends(
        "economic_binding_ids.state",
        "economic_binding_ids.last_synced",
        "economic_binding_ids.economic_key",
        "economic_binding_ids.last_error",
        "economic_binding_ids.remote_archived",
        "economic_binding_ids.recommended_price",
        "economic_binding_ids.sales_price",
        "economic_binding_ids.cost_price",
        "economic_binding_ids.has_inventory",
        "economic_binding_ids.inventory_available",
        "economic_binding_ids.inventory_in_stock",
        "economic_binding_ids.inventory_ordered_by_customers",
        "economic_binding_ids.inventory_ordered_from_suppliers",
    )
    def _compute_economic(self):
        return super()._compute_economic()

    def _economic_bindings_by_record(self, backend):
        if not backend:
            return {}
        return {
            product.id: product.sudo().economic_binding_ids.filtered(
                lambda b: b.backend_id == backend
            )
            for product in self
        }

    def _economic_bound_domain(self, positive):
        query = (
            self.env[BINDING]
            .sudo()
            ._search([("backend_id.company_id", "in", self.env.companies.ids)])
        )
        ids = query.subselect(SQL.identifier(query.table, "product_id"))
        return [("id", "in" if positive else "not in", ids)]

    # ------------------------------------------------------------------ the lock
    def _economic_checked_fields(self, vals):
        """A product's template fields are checked by the template's write (which the ORM
        calls for them, and which sees every variant of the template), and so are the fields
        a template's write checked on all its variants (context ``economic_lock_checked``)."""
        return {
            f for f in super()._economic_checked_fields(vals) if not self._fields[f].inherited
        } - set(self.env.context.get(CHECKED) or ())

    # ------------------------------------------------------------------ buttons
    def action_economic_refresh(self):
        """Pull this product's e-conomic record now."""
        self.ensure_one()
        backend = self.env["economic.backend"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return self.env["economic.sync.engine"]._action_record(backend, self, "pull")

    def action_economic_push(self):
        """Push this product to e-conomic now (where push is effective)."""
        self.ensure_one()
        backend = self.env["economic.backend"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return self.env["economic.sync.engine"]._action_record(backend, self, "push")


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "economic.product.mixin"]

    @api.depends_context("company")
    @api.depends(
        "product_variant_ids.economic_binding_ids.state",
        "product_variant_ids.economic_binding_ids.last_synced",
        "product_variant_ids.economic_binding_ids.economic_key",
        "product_variant_ids.economic_binding_ids.last_error",
        "product_variant_ids.economic_binding_ids.remote_archived",
        "product_variant_ids.economic_binding_ids.recommended_price",
        "product_variant_ids.economic_binding_ids.sales_price",
        "product_variant_ids.economic_binding_ids.cost_price",
        "product_variant_ids.economic_binding_ids.has_inventory",
        "product_variant_ids.economic_binding_ids.inventory_available",
        "product_variant_ids.economic_binding_ids.inventory_in_stock",
        "product_variant_ids.economic_binding_ids.inventory_ordered_by_customers",
        "product_variant_ids.economic_binding_ids.inventory_ordered_from_suppliers",
    )
    def _compute_economic(self):
        return super()._compute_economic()

    def _economic_bindings_by_record(self, backend):
        if not backend or not self.ids:
            return {}
        bindings = (
            self.env[BINDING]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("product_id.product_tmpl_id", "in", self.ids),
                ]
            )
        )
        return {
            template.id: binding_group
            for template, binding_group in bindings.grouped(
                lambda b: b.product_id.product_tmpl_id
            ).items()
        }

    def _economic_bound_domain(self, positive):
        return [
            (
                "product_variant_ids",
                "any" if positive else "not any",
                [("economic_bound", "=", True)],
            )
        ]

    # ------------------------------------------------------------------ the lock
    def _economic_bindings_domain(self):
        return [("product_id.product_tmpl_id", "in", self.ids), ("remote_archived", "=", False)]

    def _economic_owner_id(self, binding):
        return binding.product_id.product_tmpl_id.id

    def write(self, vals):
        # the lock checks these fields on every variant of the templates (the synced record's
        # write, under this one): the variants' writes of them that follow (a template's
        # reference, barcode, cost or archiving) need no second look
        checked = tuple(sorted(self._economic_checked_fields(vals)))
        return super(ProductTemplate, self.with_context(**{CHECKED: checked})).write(vals)

    # ------------------------------------------------------------------ buttons
    def _economic_variants(self):
        self.ensure_one()
        variants = self.with_context(active_test=False).product_variant_ids.filtered(
            "economic_bound"
        )
        if not variants:
            raise UserError(self.env._("This product is not bound to e-conomic yet."))
        return variants

    def action_economic_refresh(self):
        """Pull the e-conomic records of this product's variants now."""
        result = False
        for variant in self._economic_variants():
            result = variant.action_economic_refresh()
        return result

    def action_economic_push(self):
        """Push this product's variants to e-conomic now (where push is effective)."""
        result = False
        for variant in self._economic_variants():
            result = variant.action_economic_push()
        return result
