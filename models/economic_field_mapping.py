import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import LazyTranslate

_lt = LazyTranslate(__name__)

DIRECTIONS = [
    ("both", "Both Ways"),
    ("pull", "e-conomic → Odoo"),
    ("push", "Odoo → e-conomic"),
    ("readonly", "Shown Only (e-conomic's value)"),
]
#: the converters every entity may use (the others are declared by the entity modules:
#: ``_economic_converters``)
CONVERTERS = [
    ("char", _lt("Text")),
    ("decimal", _lt("Number")),
    ("currency", _lt("Currency")),
    ("barred", _lt("Barred (archived)")),
]
#: properties in words that every entity may have (the others are declared by the entity
#: modules: ``_economic_property_labels``; the rest are spelled out from their name:
#: ``someProperty.otherNumber`` -> "Some property other number")
ECONOMIC_PROPERTY_LABELS = {
    "name": _lt("Name"),
    "currency": _lt("Currency"),
    "barred": _lt("Barred"),
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def spelled_out(prop):
    """``inventory.orderedByCustomers`` -> ``Inventory ordered by customers``."""
    words = _CAMEL.sub(" ", (prop or "").replace(".", " ").replace("_", " ")).split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


class EconomicFieldMapping(models.Model):
    """One synced field: a field of the entity's Odoo model and an e-conomic property. The
    entities with mappings, their Odoo models and the pre-filled rows are the entity modules'
    (``_economic_default_mappings``)."""

    _name = "economic.field.mapping"
    _description = "e-conomic Field Mapping"
    _order = "backend_id, entity, sequence, id"

    backend_id = fields.Many2one(
        "economic.backend",
        string="Connection",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    entity = fields.Selection(selection="_selection_entity", required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    odoo_field = fields.Char(
        string="Odoo Field",
        help="Technical name of the field of the entity's Odoo model; 'street,street2' for "
        "the address pair, 'vat,company_registry' for a CVR/VAT number. Empty: a value kept "
        "per connection on the binding (group, currency, EAN, balance). A VAT zone is kept on "
        "the binding and written into the field named here (the fiscal position) where the "
        "zone has one.",
    )
    economic_property = fields.Char(
        string="e-conomic Property",
        required=True,
        help="Dotted path in the e-conomic record, e.g. " "paymentTerms.paymentTermsNumber.",
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="both")
    converter = fields.Selection(selection="_selection_converter", required=True, default="char")
    is_binding_level = fields.Boolean(
        string="Per Connection",
        compute="_compute_is_binding_level",
        help="The value lives on the binding (per e-conomic agreement), not on the Odoo record.",
    )
    odoo_field_label = fields.Char(
        string="Odoo Field Name",
        compute="_compute_labels",
        help="The Odoo field as the user knows it (its label).",
    )
    economic_property_label = fields.Char(
        string="e-conomic Property Name",
        compute="_compute_labels",
        help="The e-conomic property in words.",
    )

    @api.model
    def _selection_entity(self):
        """The declared entities that have field mappings."""
        engine = self.env["economic.sync.engine"]
        return [
            (key, label)
            for key, label in engine._entity_selection()
            if engine._entity_module(key)._economic_default_mappings(key)
        ]

    @api.model
    def _selection_converter(self):
        """The shared converters and those the entity modules declare."""
        declared = [
            pair
            for module in self.env["economic.sync.engine"]._entity_modules()
            for pair in module._economic_converters
        ]
        return [(key, self.env._(label)) for key, label in dict(CONVERTERS + declared).items()]

    @api.model
    def _economic_model(self, entity):
        """The Odoo model whose fields ``entity``'s mappings name (its declared model)."""
        spec = self.env["economic.sync.engine"]._entity_specs().get(entity)
        return self.env[spec.res_model] if spec else None

    @api.model
    def _default_vals(self, rows):
        """Field mapping values of ``Mapping`` rows (an entity's pre-filled mappings)."""
        return [
            {
                "sequence": (index + 1) * 10,
                "odoo_field": row.odoo_field,
                "economic_property": row.prop,
                "direction": row.direction,
                "converter": row.converter,
            }
            for index, row in enumerate(rows)
        ]

    @api.depends("odoo_field")
    def _compute_is_binding_level(self):
        for mapping in self:
            mapping.is_binding_level = not mapping.odoo_field

    @api.depends("entity", "odoo_field_label", "economic_property_label")
    @api.depends_context("lang")
    def _compute_display_name(self):
        entities = dict(self._fields["entity"]._description_selection(self.env))
        for mapping in self:
            mapping.display_name = self.env._(
                "%(entity)s: %(odoo)s ↔ %(economic)s",
                entity=entities.get(mapping.entity, mapping.entity or ""),
                odoo=mapping.odoo_field_label or "",
                economic=mapping.economic_property_label or "",
            )

    @api.depends("odoo_field", "economic_property", "entity")
    @api.depends_context("lang")
    def _compute_labels(self):
        for mapping in self:
            model = self._economic_model(mapping.entity)
            names = mapping._odoo_field_names()
            mapping.odoo_field_label = (
                self._economic_odoo_field_label(model._name, names)
                if names and model is not None
                else self.env._("(kept per connection)")
            )
            mapping.economic_property_label = self._economic_property_label(
                mapping.economic_property
            )

    @api.model
    def _economic_property_label(self, prop):
        """An e-conomic property in words in the user's language ("Phone" for
        ``telephoneAndFaxNumber``)."""
        label = ECONOMIC_PROPERTY_LABELS.get(prop or "")
        for module in self.env["economic.sync.engine"]._entity_modules():
            label = label or module._economic_property_labels.get(prop or "")
        return self.env._(label) if label else spelled_out(prop)

    @api.model
    def _economic_odoo_field_label(self, model, names):
        """The labels of the Odoo fields ``names`` of ``model`` in the user's language ("Sales
        Price" for ``list_price``); a name the model lacks stays as it is."""
        fields_ = self.env[model]._fields
        return ", ".join(
            fields_[name]._description_string(self.env) if name in fields_ else name
            for name in names
        )

    @api.model
    def _economic_label(self, model, odoo_field, prop):
        """A synced field as the user knows it: the label of the Odoo field its mapping names
        (``odoo_field``, e.g. ``street,street2``), else the e-conomic property in words."""
        names = [name.strip() for name in (odoo_field or "").split(",") if name.strip()]
        if names and model:
            return self._economic_odoo_field_label(model, names)
        return self._economic_property_label(prop)

    def _odoo_field_names(self):
        self.ensure_one()
        return [name.strip() for name in (self.odoo_field or "").split(",") if name.strip()]

    @api.constrains("odoo_field", "entity")
    def _check_odoo_field(self):
        for mapping in self:
            model = self._economic_model(mapping.entity)
            if model is None:
                continue
            for name in mapping._odoo_field_names():
                if name not in model._fields:
                    raise ValidationError(
                        self.env._(
                            "The %(model)s has no field '%(field)s' (mapping of %(property)s).",
                            model=model._description,
                            field=name,
                            property=mapping.economic_property,
                        )
                    )

    # the synced records cache which of their fields push (``_economic_pushed_fields``)
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
