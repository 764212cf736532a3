"""The key parser of the products' webhook event ("Product updated"; declared in
``webhooks.py``). Pure Python: the pure tier tests it."""

import re

#: a product number: up to 25 printable characters (e-conomic's limit)
PRODUCT_RE = re.compile(r"^[^\x00-\x1f\x7f]{1,25}$")


def product_keys(values):
    """``(new number, old number)`` of a product event (product numbers are text); the old one
    is the new one unless e-conomic renumbered the product. A merge field e-conomic left
    unfilled (``[NEWNUMBER]``) is refused."""
    key, old = values.get("new"), values.get("old") or values.get("new")
    for value, what in ((key, "new"), (old, "old")):
        if value is None or not PRODUCT_RE.match(value) or "[" in value:
            raise ValueError("%s must be a product number" % what)
    return key, old
