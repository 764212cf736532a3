"""The key parser of the "Day book booked" webhook event (declared in ``webhooks.py``) and
its reading back. Pure Python: the pure tier tests it."""

from ..webhooks.declaration import number


def daybook_keys(values):
    """``("<day book>:<first serial>-<last serial>", None)`` of a booked day book."""
    daybook = number(values.get("daybook"), "daybook")
    first = number(values.get("from"), "from")
    last = number(values.get("to"), "to")
    return "%s:%s-%s" % (daybook, first, last), None


def daybook_span(key):
    """``(day book, first voucher, last voucher)`` of a key made by ``daybook_keys``."""
    daybook, span = key.split(":", 1)
    first, last = span.split("-", 1)
    return int(daybook), int(first), int(last)
