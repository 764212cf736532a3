from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.product_adapter import PRODUCT_MAPPINGS

MAPPING_ENTITIES = [
    ("customer", "Customers"),
    ("supplier", "Suppliers"),
    ("customer_contact", "Customer Contacts"),
    ("supplier_contact", "Supplier Contacts"),
    ("product", "Products"),
]
#: the Odoo model whose fields each entity's mappings name (default: contacts)
MAPPING_MODELS = {"product": "product.product"}
DIRECTIONS = [
    ("both", "Both Ways"),
    ("pull", "e-conomic → Odoo"),
    ("push", "Odoo → e-conomic"),
    ("readonly", "Shown Only (e-conomic's value)"),
]
CONVERTERS = [
    ("char", "Text"),
    ("address", "Address (street + street2)"),
    ("country", "Country (by name)"),
    ("currency", "Currency"),
    ("payment_term", "Payment Terms"),
    ("customer_group", "Customer Group"),
    ("supplier_group", "Supplier Group"),
    ("vat_zone", "VAT Zone"),
    ("layout", "Layout"),
    ("barred", "Barred (archived)"),
    ("decimal", "Number"),
    ("product_group", "Product Group (product category)"),
    ("unit", "Unit (unit of measure)"),
]

# (odoo_field, economic_property, direction, converter). An empty odoo_field marks a
# binding-level value (group, zone, currency, ean, balance): it lives on the binding,
# per agreement, not on the partner. ``street,street2`` is the address pair.
_CUSTOMER = [
    ("name", "name", "both", "char"),
    ("street,street2", "address", "both", "address"),
    ("zip", "zip", "both", "char"),
    ("city", "city", "both", "char"),
    ("country_id", "country", "both", "country"),
    ("email", "email", "both", "char"),
    ("phone", "telephoneAndFaxNumber", "both", "char"),
    ("mobile", "mobilePhone", "both", "char"),
    ("vat", "corporateIdentificationNumber", "both", "char"),
    ("website", "website", "both", "char"),
    (False, "currency", "both", "currency"),
    ("property_payment_term_id", "paymentTerms.paymentTermsNumber", "both", "payment_term"),
    (False, "customerGroup.customerGroupNumber", "both", "customer_group"),
    (False, "vatZone.vatZoneNumber", "both", "vat_zone"),
    (False, "ean", "both", "char"),
    ("active", "barred", "both", "barred"),
    ("credit_limit", "creditLimit", "both", "decimal"),
    (False, "balance", "readonly", "decimal"),
]
# e-conomic suppliers have no mobile, creditLimit, ean, website or balance
_SUPPLIER = [
    ("name", "name", "both", "char"),
    ("street,street2", "address", "both", "address"),
    ("zip", "zip", "both", "char"),
    ("city", "city", "both", "char"),
    ("country_id", "country", "both", "country"),
    ("email", "email", "both", "char"),
    ("phone", "phone", "both", "char"),
    ("vat", "corporateIdentificationNumber", "both", "char"),
    (False, "currency", "both", "currency"),
    (
        "property_supplier_payment_term_id",
        "paymentTerms.paymentTermsNumber",
        "both",
        "payment_term",
    ),
    (False, "supplierGroup.supplierGroupNumber", "both", "supplier_group"),
    (False, "vatZone.vatZoneNumber", "both", "vat_zone"),
    ("active", "barred", "both", "barred"),
]
_CONTACT = [
    ("name", "name", "both", "char"),
    ("email", "email", "both", "char"),
    ("phone", "phone", "both", "char"),
]
DEFAULT_FIELD_MAPPINGS = {
    "customer": _CUSTOMER,
    "supplier": _SUPPLIER,
    "customer_contact": _CONTACT,
    "supplier_contact": _CONTACT,
    "product": [tuple(m) for m in PRODUCT_MAPPINGS],
}


def default_field_mapping_vals():
    """The pre-filled field mappings of a new connection (docs/ENGINE.md)."""
    vals_list = []
    for entity, rows in DEFAULT_FIELD_MAPPINGS.items():
        for index, (odoo_field, prop, direction, converter) in enumerate(rows):
            vals_list.append(
                {
                    "entity": entity,
                    "sequence": (index + 1) * 10,
                    "odoo_field": odoo_field,
                    "economic_property": prop,
                    "direction": direction,
                    "converter": converter,
                }
            )
    return vals_list


class EconomicFieldMapping(models.Model):
    """One synced field: an Odoo partner field and an e-conomic property."""

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
    entity = fields.Selection(MAPPING_ENTITIES, required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    odoo_field = fields.Char(
        string="Odoo Field",
        help="Technical name of the contact (res.partner) field; 'street,street2' for "
        "the address pair. Empty: a value kept per connection on the binding "
        "(group, VAT zone, currency, EAN, balance).",
    )
    economic_property = fields.Char(
        string="e-conomic Property",
        required=True,
        help="Dotted path in the e-conomic record, e.g. " "paymentTerms.paymentTermsNumber.",
    )
    direction = fields.Selection(DIRECTIONS, required=True, default="both")
    converter = fields.Selection(CONVERTERS, required=True, default="char")
    is_binding_level = fields.Boolean(
        string="Per Connection",
        compute="_compute_is_binding_level",
        help="The value lives on the binding (per e-conomic agreement), not on the " "contact.",
    )

    @api.depends("odoo_field")
    def _compute_is_binding_level(self):
        for mapping in self:
            mapping.is_binding_level = not mapping.odoo_field

    def _odoo_field_names(self):
        self.ensure_one()
        return [name.strip() for name in (self.odoo_field or "").split(",") if name.strip()]

    @api.constrains("odoo_field", "entity")
    def _check_odoo_field(self):
        for mapping in self:
            model = self.env[MAPPING_MODELS.get(mapping.entity, "res.partner")]
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

    # the engine caches which partner fields push (``_economic_pushed_fields``)
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
