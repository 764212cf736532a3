"""Webhook event types: e-conomic's names, the URL segment, the merge fields, the entity."""

#: type -> (URL segment, e-conomic webhooks-API event type, entity, merge fields in the URL)
EVENT_TYPES = {
    "customer_updated": (
        "customer-updated",
        "CUSTOMER_UPDATED",
        "customer",
        "new=[NEWNUMBER]&old=[OLDNUMBER]",
    ),
    "product_updated": (
        "product-updated",
        "PRODUCT_UPDATED",
        "product",
        "new=[NEWNUMBER]&old=[OLDNUMBER]",
    ),
    "invoice_booked": ("invoice-booked", "INVOICE_BOOKED", "invoice", "invoice=[INVOICENO]"),
    "daybook_booked": (
        "daybook-booked",
        "JOURNAL_BOOKED",
        "journal_entry",
        "daybook=[DAYBOOKNO]&from=[FROMSERIALNO]&to=[TOSERIALNO]",
    ),
}
EVENT_SELECTION = [
    ("customer_updated", "Customer updated"),
    ("product_updated", "Product updated"),
    ("invoice_booked", "Invoice booked"),
    ("daybook_booked", "Day book booked"),
]
BY_SEGMENT = {spec[0]: name for name, spec in EVENT_TYPES.items()}
#: pending events of one type and connection beyond which one "everything of this type" event
#: stands for the rest (a burst of a product import): the queue stays bounded
QUEUE_CAP = 2000
#: the key of that event
ALL_KEY = "*"
#: events processed per batch (one commit each)
BATCH = 500
#: query parameter names accepted for each merge field (e-conomic's own names too)
PARAMS = {
    "new": ("new", "newnumber"),
    "old": ("old", "oldnumber"),
    "invoice": ("invoice", "invoiceno", "number"),
    "daybook": ("daybook", "daybookno"),
    "from": ("from", "fromserialno"),
    "to": ("to", "toserialno"),
}
