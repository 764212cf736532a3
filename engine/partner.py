"""The partner entities in plain Python (no Odoo): customers, suppliers and their contacts;
their adapters and their default field mappings."""

from .adapters import Adapter, Mapping

_M = Mapping
#: the pre-filled field mappings of each partner entity (one source: the connection's
#: mappings are made from these). An empty Odoo field marks a binding-level value (group,
#: currency, EAN, balance: per agreement, on the binding); ``street,street2`` is the address
#: pair; ``vat,company_registry`` the VAT and registry fields of a CVR/VAT number (``cvr``);
#: the VAT zone lives on the binding and, where the zone has a fiscal position, in the
#: partner's fiscal position too. e-conomic suppliers have no mobile, credit limit, EAN,
#: website or balance.
PARTNER_MAPPINGS = {
    "customer": [
        _M("name", "name", "both", "char"),
        _M("street,street2", "address", "both", "address"),
        _M("zip", "zip", "both", "char"),
        _M("city", "city", "both", "char"),
        _M("country_id", "country", "both", "country"),
        _M("email", "email", "both", "char"),
        _M("phone", "telephoneAndFaxNumber", "both", "char"),
        _M("mobile", "mobilePhone", "both", "char"),
        _M("vat,company_registry", "corporateIdentificationNumber", "both", "cvr"),
        _M("website", "website", "both", "char"),
        _M(False, "currency", "both", "currency"),
        _M("property_payment_term_id", "paymentTerms.paymentTermsNumber", "both", "payment_term"),
        _M(False, "customerGroup.customerGroupNumber", "both", "customer_group"),
        _M("property_account_position_id", "vatZone.vatZoneNumber", "both", "vat_zone"),
        _M(False, "ean", "both", "char"),
        _M("active", "barred", "both", "barred"),
        _M("credit_limit", "creditLimit", "both", "decimal"),
        _M(False, "balance", "readonly", "decimal"),
    ],
    "supplier": [
        _M("name", "name", "both", "char"),
        _M("street,street2", "address", "both", "address"),
        _M("zip", "zip", "both", "char"),
        _M("city", "city", "both", "char"),
        _M("country_id", "country", "both", "country"),
        _M("email", "email", "both", "char"),
        _M("phone", "phone", "both", "char"),
        _M("vat,company_registry", "corporateIdentificationNumber", "both", "cvr"),
        _M(False, "currency", "both", "currency"),
        _M(
            "property_supplier_payment_term_id",
            "paymentTerms.paymentTermsNumber",
            "both",
            "payment_term",
        ),
        _M(False, "supplierGroup.supplierGroupNumber", "both", "supplier_group"),
        _M("property_account_position_id", "vatZone.vatZoneNumber", "both", "vat_zone"),
        _M("active", "barred", "both", "barred"),
    ],
    "customer_contact": [
        _M("name", "name", "both", "char"),
        _M("email", "email", "both", "char"),
        _M("phone", "phone", "both", "char"),
    ],
    "supplier_contact": [
        _M("name", "name", "both", "char"),
        _M("email", "email", "both", "char"),
        _M("phone", "phone", "both", "char"),
    ],
}


class CustomerAdapter(Adapter):
    kind = "customer"
    key = "customerNumber"
    #: what identifies a record besides its name (a reused number is another record)
    identity = ("corporateIdentificationNumber", "email", "telephoneAndFaxNumber")

    def prepare_write(self, record):
        for name in (
            "self",
            "contacts",
            "templates",
            "totals",
            "invoices",
            "deliveryLocations",
            "balance",
            "dueAmount",
            "lastUpdated",
            "metaData",
        ):
            record.pop(name, None)
        return record


class SupplierAdapter(Adapter):
    kind = "supplier"
    key = "supplierNumber"
    #: what identifies a record besides its name (a reused number is another record)
    identity = ("corporateIdentificationNumber", "email", "phone")

    def prepare_write(self, record):
        for name in ("self", "contacts", "metaData", "balance", "lastUpdated"):
            record.pop(name, None)
        return record


class CustomerContactAdapter(Adapter):
    kind = "customer_contact"
    key = "customerContactNumber"
    #: what identifies a record besides its name (a reused number is another record)
    identity = ("email", "phone")

    def prepare_write(self, record):
        for name in ("self", "metaData"):
            record.pop(name, None)
        return record


class SupplierContactAdapter(Adapter):
    kind = "supplier_contact"
    key = "number"
    #: what identifies a record besides its name (a reused number is another record)
    identity = ("email", "phone")


ADAPTER_CLASSES = {
    "customer": CustomerAdapter,
    "supplier": SupplierAdapter,
    "customer_contact": CustomerContactAdapter,
    "supplier_contact": SupplierContactAdapter,
}
