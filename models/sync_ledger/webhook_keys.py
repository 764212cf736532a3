"""The key parser of the "Day book booked" webhook event (declared in ``webhooks.py``; the
journal entries package takes both over). Pure Python: the pure tier tests it."""

from ..webhooks.declaration import number


def daybook_keys(values):
    """``("<day book>:<first serial>-<last serial>", None)`` of a booked day book."""
    daybook = number(values.get("daybook"), "daybook")
    first = number(values.get("from"), "from")
    last = number(values.get("to"), "to")
    return "%s:%s-%s" % (daybook, first, last), None
