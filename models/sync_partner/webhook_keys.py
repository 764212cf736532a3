"""The key parser of the partners' webhook event ("Customer updated"; declared in
``webhooks.py``). Pure Python: the pure tier tests it."""

from ..webhooks.declaration import number


def customer_keys(values):
    """``(new number, old number)`` of a customer event; the old one is the new one unless
    e-conomic renumbered the customer."""
    key = number(values.get("new"), "new")
    old = number(values["old"], "old") if values.get("old") else key
    return key, old
