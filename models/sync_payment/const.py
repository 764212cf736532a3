"""Constants of the customer-payment entity module (issue 17 §3)."""

ENTITY = "payment"
BINDING = "economic.payment.binding"
#: the e-conomic entry type of a customer payment, and the journals that accept it
ENTRY_TYPE = "customerPayment"
#: the context key of the sync's own writes
SYNC_WRITE = "economic_sync_write"
#: e-conomic's state of the entry a binding stands for
DOC_STATES = [
    ("draft", "Draft in e-conomic"),
    ("booked", "Booked in e-conomic"),
]
#: the longest entry text e-conomic takes
TEXT_MAX = 250
