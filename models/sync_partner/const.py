"""Declarative tables of the partner entity module (customers, suppliers, their contacts)."""

PARTY_KINDS = ("customer", "supplier")
CONTACT_KINDS = ("customer_contact", "supplier_contact")
CONTACT_OF = {"customer": "customer_contact", "supplier": "supplier_contact"}
PARENT_OF = {"customer_contact": "customer", "supplier_contact": "supplier"}
RANK_FIELD = {"customer": "customer_rank", "supplier": "supplier_rank"}
DEFAULT_MATCH_KEYS = ["number", "vat", "email", "phone"]
#: matching key -> (e-conomic property per kind)
REMOTE_KEY_PROP = {
    "customer": {
        "number": "customerNumber",
        "vat": "corporateIdentificationNumber",
        "email": "email",
        "phone": "telephoneAndFaxNumber",
    },
    "supplier": {
        "number": "supplierNumber",
        "vat": "corporateIdentificationNumber",
        "email": "email",
        "phone": "phone",
    },
}
LOCAL_KEY_FIELD = {"vat": "vat", "email": "email", "phone": "phone"}
#: matching key -> the partner field read where the first is empty: a CVR/VAT number Odoo's
#: validation refused is kept in the registry field (and a CVR may be there alone)
LOCAL_KEY_FALLBACK = {"vat": "company_registry"}
#: the partner fields every matching key may read
LOCAL_KEY_FIELDS = frozenset(LOCAL_KEY_FIELD.values()) | frozenset(LOCAL_KEY_FALLBACK.values())


def local_key_value(row, key):
    """The value of matching key ``key`` of a partner (a ``read()`` row), or None."""
    for fname in (LOCAL_KEY_FIELD.get(key), LOCAL_KEY_FALLBACK.get(key)):
        if fname and row.get(fname):
            return row[fname]
    return None


#: kinds matched before push against a full read of e-conomic (no filter requests): suppliers
#: have no change stamp and are read in full by the pull anyway, and e-conomic refuses to filter
#: them by phone (400 "Filtering is not allowed on property 'phone'")
FULL_READ_MATCHING = ("supplier",)
