import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import LazyTranslate

from ..engine.product import PRODUCT_MAPPINGS

_lt = LazyTranslate(__name__)

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
    ("cvr", "CVR / VAT Number (VAT + company registry)"),
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

#: e-conomic's properties in words, as e-conomic's own screens name them (the others are
#: spelled out from their name: ``someProperty.otherNumber`` -> "Some property other number")
ECONOMIC_PROPERTY_LABELS = {
    "name": _lt("Name"),
    "address": _lt("Address"),
    "zip": _lt("Zip"),
    "city": _lt("City"),
    "country": _lt("Country"),
    "email": _lt("Email"),
    "telephoneAndFaxNumber": _lt("Phone"),
    "phone": _lt("Phone"),
    "mobilePhone": _lt("Mobile"),
    "corporateIdentificationNumber": _lt("CVR / VAT Number"),
    "vatNumber": _lt("VAT Number"),
    "website": _lt("Website"),
    "currency": _lt("Currency"),
    "paymentTerms.paymentTermsNumber": _lt("Payment Terms"),
    "customerGroup.customerGroupNumber": _lt("Customer Group"),
    "supplierGroup.supplierGroupNumber": _lt("Supplier Group"),
    "vatZone.vatZoneNumber": _lt("VAT Zone"),
    "layout.layoutNumber": _lt("Layout"),
    "ean": _lt("EAN"),
    "barred": _lt("Barred"),
    "creditLimit": _lt("Credit Limit"),
    "balance": _lt("Balance"),
    "productNumber": _lt("Product Number"),
    "description": _lt("Description"),
    "salesPrice": _lt("Sales Price"),
    "costPrice": _lt("Cost Price"),
    "recommendedPrice": _lt("Recommended Price"),
    "barCode": _lt("Barcode"),
    "unit.unitNumber": _lt("Unit"),
    "productGroup.productGroupNumber": _lt("Product Group"),
    "inventory.available": _lt("Available"),
    "inventory.inStock": _lt("In Stock"),
    "inventory.orderedByCustomers": _lt("Ordered by Customers"),
    "inventory.orderedFromSuppliers": _lt("Ordered from Suppliers"),
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def spelled_out(prop):
    """``inventory.orderedByCustomers`` -> ``Inventory ordered by customers``."""
    words = _CAMEL.sub(" ", (prop or "").replace(".", " ").replace("_", " ")).split()
    text = " ".join(words).lower()
    return text[:1].upper() + text[1:]


# (odoo_field, economic_property, direction, converter). An empty odoo_field marks a
# binding-level value (group, currency, ean, balance): it lives on the binding, per agreement,
# not on the partner. ``street,street2`` is the address pair; ``vat,company_registry`` the
# VAT and registry fields of a CVR/VAT number (``cvr``). The VAT zone lives on the binding
# and, where the zone has a fiscal position, in the partner's fiscal position too.
_CUSTOMER = [
    ("name", "name", "both", "char"),
    ("street,street2", "address", "both", "address"),
    ("zip", "zip", "both", "char"),
    ("city", "city", "both", "char"),
    ("country_id", "country", "both", "country"),
    ("email", "email", "both", "char"),
    ("phone", "telephoneAndFaxNumber", "both", "char"),
    ("mobile", "mobilePhone", "both", "char"),
    ("vat,company_registry", "corporateIdentificationNumber", "both", "cvr"),
    ("website", "website", "both", "char"),
    (False, "currency", "both", "currency"),
    ("property_payment_term_id", "paymentTerms.paymentTermsNumber", "both", "payment_term"),
    (False, "customerGroup.customerGroupNumber", "both", "customer_group"),
    ("property_account_position_id", "vatZone.vatZoneNumber", "both", "vat_zone"),
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
    ("vat,company_registry", "corporateIdentificationNumber", "both", "cvr"),
    (False, "currency", "both", "currency"),
    (
        "property_supplier_payment_term_id",
        "paymentTerms.paymentTermsNumber",
        "both",
        "payment_term",
    ),
    (False, "supplierGroup.supplierGroupNumber", "both", "supplier_group"),
    ("property_account_position_id", "vatZone.vatZoneNumber", "both", "vat_zone"),
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
    converter = fields.Selection(CONVERTERS, required=True, default="char")
    is_binding_level = fields.Boolean(
        string="Per Connection",
        compute="_compute_is_binding_level",
        help="The value lives on the binding (per e-conomic agreement), not on the " "contact.",
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
            model = MAPPING_MODELS.get(mapping.entity, "res.partner")
            names = mapping._odoo_field_names()
            mapping.odoo_field_label = (
                self._economic_odoo_field_label(model, names)
                if names
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
        if names:
            return self._economic_odoo_field_label(model, names)
        return self._economic_property_label(prop)

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
