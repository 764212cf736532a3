"""Filter builder for e-conomic's ``filter=`` query parameter.

    >>> from economic_client.filters import F
    >>> str(F("name").eq("Ø & Sønner (A/S)") & (F("balance").gt(0) | F("ean").eq(None)))
    'name$eq:Ø & Sønner $(A/S$)$and:(balance$gt:0$or:ean$eq:$null:)'

Values are escaped as e-conomic documents it (``$``→``$$``, ``(``→``$(``, ``)``→``$)``,
``*``→``$*``, ``,``→``$,``, ``[``→``$[``, ``]``→``$]``); under ``$like:`` a ``*`` stays a wildcard.
Booleans render ``true``/``false``, ``None`` renders ``$null:``, dates ``YYYY-MM-DD``, datetimes
are converted to UTC ``YYYY-MM-DDTHH:MM:SSZ`` (naive datetimes are taken as UTC), Decimals plain.
The result is a plain string; URL-encoding is left to the HTTP layer.
"""

import datetime
from decimal import Decimal

__all__ = [
    "F",
    "Filter",
    "Condition",
    "Group",
    "AnyOf",
    "and_",
    "or_",
    "escape_value",
    "render_value",
    "build_filter",
    "IN_LIMIT",
    "ANY_OF_LIMIT",
]

#: e-conomic refuses ``$in:``/``$nin:`` lists with more than 200 values.
IN_LIMIT = 200
#: values per request of an ``any_of`` (``$or:`` chain of ``$eq:``/``$like:``): keeps the URL short
#: (40 e-mail addresses URL-encoded are ~3 KB)
ANY_OF_LIMIT = 40

_ESCAPES = {"$": "$$", "(": "$(", ")": "$)", "*": "$*", ",": "$,", "[": "$[", "]": "$]"}
_OPERATORS = ("eq", "ne", "gt", "gte", "lt", "lte", "like", "in", "nin")


def escape_value(text, *, keep_wildcards=False):
    """Escape a string value for use in a filter."""
    out = []
    for ch in text:
        if keep_wildcards and ch == "*":
            out.append(ch)
        else:
            out.append(_ESCAPES.get(ch, ch))
    return "".join(out)


def _format_decimal(value):
    if not value.is_finite():
        raise ValueError("Cannot send %s to e-conomic" % value)
    text = format(value, "f")
    return "0" if text in ("-0",) else text


def render_value(value, *, keep_wildcards=False):
    """Render one filter value (not a list)."""
    if value is None:
        return "$null:"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        return value.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, Decimal):
        return _format_decimal(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_decimal(Decimal(repr(value)))
    if isinstance(value, str):
        return escape_value(value, keep_wildcards=keep_wildcards)
    raise TypeError("Cannot use %r (%s) as a filter value" % (value, type(value).__name__))


class Filter:
    """A node of a filter expression; combine with ``&`` and ``|``."""

    def render(self):
        raise NotImplementedError

    def __str__(self):
        return self.render()

    def __and__(self, other):
        return and_(self, other)

    def __or__(self, other):
        return or_(self, other)

    def __eq__(self, other):
        return isinstance(other, Filter) and self.render() == other.render()

    def __hash__(self):
        return hash(self.render())

    def __repr__(self):
        return "<Filter %s>" % self.render()

    # used by the client to split oversized $in lists over several requests
    def _oversized_in(self):
        return []

    def _replace(self, mapping):
        return self


class Condition(Filter):
    """``<field><$op:><value>``."""

    def __init__(self, field, op, value):
        if op not in _OPERATORS:
            raise ValueError("Unknown filter operator %r" % op)
        if not field or any(c in field for c in "$():,[] "):
            raise ValueError("Invalid filter field %r" % field)
        if op in ("in", "nin"):
            value = list(value)
            if not value:
                raise ValueError("$%s: needs at least one value" % op)
        self.field = field
        self.op = op
        self.value = value

    def render(self):
        if self.op in ("in", "nin"):
            if self.op == "nin" and len(self.value) > IN_LIMIT:
                # e-conomic caps every list at 200 values: NOT IN a ∪ b == NOT IN a AND NOT IN b
                return "$and:".join(
                    Condition(self.field, "nin", chunk).render()
                    for chunk in _chunks(self.value, IN_LIMIT)
                )
            return "%s$%s:[%s]" % (
                self.field,
                self.op,
                ",".join(render_value(v) for v in self.value),
            )
        return "%s$%s:%s" % (
            self.field,
            self.op,
            render_value(self.value, keep_wildcards=self.op == "like"),
        )

    def _oversized_in(self):
        if self.op == "in" and len(self.value) > IN_LIMIT:
            return [self]
        return []

    def _chunked(self):
        """The replacements of an oversized ``$in:``, one per request."""
        return [Condition(self.field, "in", chunk) for chunk in _chunks(self.value, IN_LIMIT)]

    def _replace(self, mapping):
        return mapping.get(id(self), self)

    @property
    def _is_compound(self):
        return self.op == "nin" and len(self.value) > IN_LIMIT


class Group(Filter):
    """``$and:``/``$or:`` of several filters; nested groups are parenthesised."""

    def __init__(self, op, children):
        if op not in ("and", "or"):
            raise ValueError("Unknown combinator %r" % op)
        flat = []
        for child in children:
            if child is None:
                continue
            if isinstance(child, str):
                child = Raw(child)
            if isinstance(child, Group) and child.op == op:
                flat.extend(child.children)
            else:
                flat.append(child)
        self.op = op
        self.children = flat

    def render(self):
        parts = []
        for child in self.children:
            text = child.render()
            needs_parens = (
                (isinstance(child, Group) and len(child.children) > 1)
                or (isinstance(child, Condition) and child._is_compound and self.op != "and")
                or isinstance(child, Raw)
            ) and len(self.children) > 1
            parts.append("(%s)" % text if needs_parens else text)
        return ("$%s:" % self.op).join(parts)

    def _oversized_in(self):
        return [c for child in self.children for c in child._oversized_in()]

    def _replace(self, mapping):
        return Group(self.op, [child._replace(mapping) for child in self.children])


class AnyOf(Filter):
    """``field`` equal to (``$eq:``) or containing (``$like:``) any of ``values``: a ``$or:``
    chain, ``(p$eq:a$or:p$eq:b)``, for text properties.

    e-conomic documents ``$in:`` for numeric properties only, and on a text property it answers
    200 and matches nothing (docs/ECONOMIC.md §3.2 CONFLICT), so text keys are matched this way. Values
    are escaped (a ``*`` is literal, also under ``$like:``, which then means "contains").
    Rendered whole; the client sends more than ``ANY_OF_LIMIT`` values over several requests
    (see ``_chunked``), like an oversized ``$in:``.
    """

    def __init__(self, field, values, op="eq", limit=None):
        if op not in ("eq", "like"):
            raise ValueError("any_of compares with $eq: or $like:, not %r" % op)
        if not field or any(c in field for c in "$():,[] "):
            raise ValueError("Invalid filter field %r" % field)
        values = list(dict.fromkeys(values))
        if not values:
            raise ValueError("any_of needs at least one value")
        if op == "like" and any(v is None for v in values):
            raise ValueError("$like: takes no null value")
        self.field = field
        self.op = op
        self.value = values
        self.limit = limit or ANY_OF_LIMIT

    def render(self):
        parts = [
            "%s$%s:%s" % (self.field, self.op, render_value(v, keep_wildcards=False))
            for v in self.value
        ]
        if len(parts) == 1:
            return parts[0]
        return "(%s)" % "$or:".join(parts)

    def _oversized_in(self):
        return [self] if len(self.value) > self.limit else []

    def _chunked(self):
        return [
            AnyOf(self.field, chunk, self.op, self.limit)
            for chunk in _chunks(self.value, self.limit)
        ]

    def _replace(self, mapping):
        return mapping.get(id(self), self)

    def chunks(self):
        """One filter per request (at most ``limit`` values each)."""
        return self._chunked()


class Raw(Filter):
    """A pre-rendered filter string (used as is)."""

    def __init__(self, text):
        self.text = text

    def render(self):
        return self.text


def _chunks(values, size):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def and_(*filters):
    return Group("and", filters)


def or_(*filters):
    return Group("or", filters)


class F:
    """Field reference: ``F("name").eq("x")``, ``F("customerNumber").in_([1, 2])``."""

    def __init__(self, field):
        self.field = field

    def eq(self, value):
        return Condition(self.field, "eq", value)

    def ne(self, value):
        return Condition(self.field, "ne", value)

    def gt(self, value):
        return Condition(self.field, "gt", value)

    def gte(self, value):
        return Condition(self.field, "gte", value)

    def lt(self, value):
        return Condition(self.field, "lt", value)

    def lte(self, value):
        return Condition(self.field, "lte", value)

    def like(self, pattern):
        """``*`` is a wildcard; without one e-conomic treats the pattern as "contains"."""
        return Condition(self.field, "like", pattern)

    def in_(self, values):
        """``$in:`` - numeric properties only (on text e-conomic matches nothing): for text use
        ``any_of``."""
        return Condition(self.field, "in", values)

    def any_of(self, values, *, like=False, limit=None):
        """Equal to any of ``values`` (``like=True``: contains any): ``(p$eq:a$or:p$eq:b…)``."""
        return AnyOf(self.field, values, "like" if like else "eq", limit)

    def nin(self, values):
        return Condition(self.field, "nin", values)

    def is_null(self):
        return Condition(self.field, "eq", None)

    def not_null(self):
        return Condition(self.field, "ne", None)


def build_filter(spec=None, **kwargs):
    """Normalise what callers pass as ``filter=``.

    Accepts a :class:`Filter`, a raw string (used as is), a dict or keyword arguments
    (``{"name": "x", "balance__gt": 0, "customerNumber__in": [1, 2]}``, combined with ``$and:``),
    or a list/tuple of those (also ``$and:``).  Returns a :class:`Filter` or None.
    """
    parts = []
    if isinstance(spec, Filter):
        parts.append(spec)
    elif isinstance(spec, str):
        if spec:
            parts.append(Raw(spec))
    elif isinstance(spec, dict):
        kwargs = dict(spec, **kwargs)
    elif isinstance(spec, (list, tuple)):
        parts.extend(p for p in (build_filter(s) for s in spec) if p is not None)
    elif spec is not None:
        raise TypeError("Unsupported filter %r" % (spec,))
    for key, value in kwargs.items():
        field, _, op = key.partition("__")
        op = op or "eq"
        if op == "in_":
            op = "in"
        parts.append(Condition(field, op, value))
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    return Group("and", parts)
