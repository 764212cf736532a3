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
#: kinds matched before push against a full read of e-conomic (no filter requests): suppliers
#: have no change stamp and are read in full by the pull anyway, and e-conomic refuses to filter
#: them by phone (400 "Filtering is not allowed on property 'phone'")
FULL_READ_MATCHING = ("supplier",)
