"""The key parser of the invoices' webhook event ("Invoice booked"; declared in
``webhooks.py``). Pure Python: the pure tier tests it."""

from ..webhooks.declaration import number


def invoice_keys(values):
    """``(booked invoice number, None)``."""
    return number(values.get("invoice"), "invoice"), None
