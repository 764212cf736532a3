"""The e-conomic filter language (`filter=`) and sort parameter (`sort=`), docs/ECONOMIC.md §3.2/§3.3.

Grammar:   expr := term (('$and:' | '$or:') term)*      ($and: binds tighter than $or:)
           term := '(' expr ')' | property op value
           op   := $eq: $ne: $gt: $gte: $lt: $lte: $like: $in: $nin:
Values: `$null:` is the null value; escapes `$$ $( $) $* $, $[ $]`; `$in:`/`$nin:` take `[a,b,...]`
(at most 200 values).  `$like:` without a wildcard means "contains"; `*` is the wildcard.
String comparisons are case-insensitive.

`$in:`/`$nin:` are for numeric properties (docs/ECONOMIC.md §3.2): on the legacy REST API a text property
(`name$in:[Abe,Bob]`) answers 200 and matches nothing, as the live API does; so does a list of
non-numeric values.  The OpenAPI services, whose specs allow `in` on text (customersapi Contacts
`name`, `email`), compile with `text_in=True` and compare case-insensitively.
"""

import datetime as _dt
import functools
import re
from decimal import Decimal, InvalidOperation

from .errors import bad_request

OPS = ("$eq:", "$ne:", "$gte:", "$gt:", "$lte:", "$lt:", "$like:", "$in:", "$nin:")
ESCAPES = {"$": "$", "(": "(", ")": ")", "*": "*", ",": ",", "[": "[", "]": "]"}
MAX_IN = 200
FILTER_HINT = "Filtering on collections can be done using the querystring parameter 'filter'."
_PROP_RE = re.compile(r"[A-Za-z0-9_.\-]+")


class FilterSyntaxError(Exception):
    pass


class _Val:
    """A parsed value: list of (char, escaped) pairs, or None for $null:."""

    def __init__(self, chars):
        self.chars = chars

    @property
    def text(self):
        return "".join(c for c, _ in self.chars)


def filter_error(msgs, allowed=None):
    extra = {}
    if allowed is not None:
        extra["allowedFilteringFields"] = list(allowed)
    return bad_request(
        "Could not parse query string filter.",
        FILTER_HINT,
        errors=msgs,
        extra=extra,
        problem_code="BadFilterRequest",
    )


class _Parser:
    def __init__(self, s, allowed):
        self.s = s
        self.i = 0
        self.allowed = allowed

    def parse(self):
        node = self.expr()
        if self.i != len(self.s):
            raise FilterSyntaxError("Syntax error at position %d." % self.i)
        return node

    def expr(self):
        ors = [self.and_expr()]
        while self.s.startswith("$or:", self.i):
            self.i += 4
            ors.append(self.and_expr())
        return ors[0] if len(ors) == 1 else ("or", ors)

    def and_expr(self):
        ands = [self.term()]
        while self.s.startswith("$and:", self.i):
            self.i += 5
            ands.append(self.term())
        return ands[0] if len(ands) == 1 else ("and", ands)

    def term(self):
        if self.i < len(self.s) and self.s[self.i] == "(":
            self.i += 1
            node = self.expr()
            if self.i >= len(self.s) or self.s[self.i] != ")":
                raise FilterSyntaxError("Syntax error, expected: )")
            self.i += 1
            return node
        m = _PROP_RE.match(self.s, self.i)
        if not m:
            raise FilterSyntaxError(
                "Syntax error, expected a property name at position %d." % self.i
            )
        prop = m.group(0)
        self.i = m.end()
        op = None
        for o in OPS:
            if self.s.startswith(o, self.i):
                op = o
                break
        if op is None:
            raise FilterSyntaxError("Syntax error, expected an operator after '%s'." % prop)
        self.i += len(op)
        if self.allowed is not None and prop not in self.allowed:
            raise PermissionError(prop)
        if op in ("$in:", "$nin:"):
            val = self.list_value()
        else:
            val = self.value()
        return ("pred", prop, op, val)

    def _stop(self):
        s, i = self.s, self.i
        return s.startswith("$and:", i) or s.startswith("$or:", i) or s[i] == ")"

    def value(self, in_list=False):
        if self.s.startswith("$null:", self.i):
            self.i += 6
            return None
        chars = []
        s = self.s
        while self.i < len(s):
            ch = s[self.i]
            if ch == "$":
                if self.s.startswith("$and:", self.i) or self.s.startswith("$or:", self.i):
                    break
                nxt = s[self.i + 1] if self.i + 1 < len(s) else ""
                if nxt in ESCAPES:
                    chars.append((nxt, True))
                    self.i += 2
                    continue
                raise FilterSyntaxError(
                    "Syntax error, invalid escape sequence at position %d." % self.i
                )
            if ch == ")":
                break
            if in_list and ch in ",]":
                break
            chars.append((ch, False))
            self.i += 1
        return _Val(chars)

    def list_value(self):
        if self.i >= len(self.s) or self.s[self.i] != "[":
            raise FilterSyntaxError("Syntax error, expected: [")
        self.i += 1
        vals = []
        if self.i < len(self.s) and self.s[self.i] == "]":
            self.i += 1
            return vals
        while True:
            vals.append(self.value(in_list=True))
            if self.i >= len(self.s):
                raise FilterSyntaxError("Syntax error, expected: ]")
            ch = self.s[self.i]
            self.i += 1
            if ch == "]":
                break
            if ch != ",":
                raise FilterSyntaxError("Syntax error, expected: ]")
        if len(vals) > MAX_IN:
            raise FilterSyntaxError(
                "The $in: and $nin: operators only allow filtering on arrays with less than "
                "'%d' values. Your array has %d values." % (MAX_IN, len(vals))
            )
        return vals


def parse_filter(s, allowed):
    """Parse `s`; `allowed` is the list of filterable properties (None = anything)."""
    try:
        return _Parser(s, allowed).parse()
    except PermissionError as e:
        raise filter_error(
            ["Filtering is not allowed on property '%s'." % e.args[0]], allowed=allowed or []
        )
    except FilterSyntaxError as e:
        raise filter_error([str(e)])


def get_path(rec, prop):
    cur = rec
    for part in prop.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
        if cur is None:
            return None
    return cur


def _coerce(v, ref):
    """Convert filter text `v` to the type of the record value `ref`."""
    if v is None:
        return None
    text = v.text if isinstance(v, _Val) else v
    if isinstance(ref, bool):
        low = text.lower()
        if low in ("true", "false"):
            return low == "true"
        return _NOMATCH
    if isinstance(ref, (int, float, Decimal)):
        try:
            return Decimal(text)
        except InvalidOperation:
            return _NOMATCH
    if _DATETIME_RE.match(ref):
        when = _as_datetime(text)
        if when is not None:
            return when
    return text.casefold()


_NOMATCH = object()
# a stored timestamp (`lastUpdated`): compared as an instant, so the filter value may carry `Z`,
# an offset or nothing (= UTC), or be a bare date (= midnight UTC)
_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@functools.lru_cache(maxsize=65536)  # stamps repeat a lot (a seed shares one)
def _as_datetime(text):
    text = text.strip()
    if not re.fullmatch(
        r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|z|[+-]\d{2}:?\d{2})?)?", text
    ):
        return None
    if text[-1:] in "Zz":
        text = text[:-1] + "+00:00"
    try:
        when = _dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when.astimezone(_dt.timezone.utc)


def _norm(x):
    if isinstance(x, bool):
        return x
    if isinstance(x, (int, float)):
        return Decimal(str(x))
    if isinstance(x, str):
        if _DATETIME_RE.match(x):
            when = _as_datetime(x)
            if when is not None:
                return when
        return x.casefold()
    return x


def _like_regex(val):
    parts = []
    wildcard = False
    for ch, esc in val.chars:
        if ch == "*" and not esc:
            parts.append(".*")
            wildcard = True
        else:
            parts.append(re.escape(ch))
    body = "".join(parts)
    if not wildcard:
        body = ".*" + body + ".*"
    return re.compile(body, re.IGNORECASE | re.DOTALL)


def _numeric_text(v):
    if v is None:
        return True
    try:
        return Decimal(v.text).is_finite()
    except InvalidOperation:
        return False


def compile_filter(node, text_in=False):
    """Return a predicate function rec → bool.

    ``text_in``: `$in:`/`$nin:` also compare text (OpenAPI); without it (legacy REST, as live)
    they match nothing on a text property or with a non-numeric value in the list."""
    kind = node[0]
    if kind == "and":
        fs = [compile_filter(n, text_in) for n in node[1]]
        return lambda r: all(f(r) for f in fs)
    if kind == "or":
        fs = [compile_filter(n, text_in) for n in node[1]]
        return lambda r: any(f(r) for f in fs)
    _, prop, op, val = node
    if op == "$like:":
        if val is None:
            return lambda r: get_path(r, prop) is None
        rx = _like_regex(val)
        return lambda r: (lambda x: x is not None and rx.fullmatch(str(x)) is not None)(
            get_path(r, prop)
        )
    if op in ("$in:", "$nin:"):
        if not text_in and not all(_numeric_text(v) for v in val):
            return lambda r: False

        def inner(r, vals=val, neg=(op == "$nin:")):
            x = get_path(r, prop)
            if not text_in and isinstance(x, str):
                return False
            if x is None:
                hit = any(v is None for v in vals)
            else:
                nx = _norm(x)
                hit = any(v is not None and _coerce(v, x) == nx for v in vals)
            return hit != neg

        return inner

    def pred(r):
        x = get_path(r, prop)
        if val is None:
            if op == "$eq:":
                return x is None
            if op == "$ne:":
                return x is not None
            return False
        if x is None:
            return op == "$ne:"
        v = _coerce(val, x)
        if v is _NOMATCH:
            return op == "$ne:"
        nx = _norm(x)
        try:
            if op == "$eq:":
                return nx == v
            if op == "$ne:":
                return nx != v
            if op == "$gt:":
                return nx > v
            if op == "$gte:":
                return nx >= v
            if op == "$lt:":
                return nx < v
            if op == "$lte:":
                return nx <= v
        except TypeError:
            return False
        return False

    return pred


# ---------------------------------------------------------------- sorting


def sort_error():
    return bad_request(
        "Could not parse query string sort parameter",
        "Sorting on collections can be done using the querystring parameter 'sort'.",
        problem_code="BadSortRequest",
    )


def parse_sort(s, sortable):
    keys = []
    for raw in s.split(","):
        raw = raw.strip()
        if not raw:
            raise sort_error()
        desc = alpha = False
        while raw and raw[0] in "-~":
            if raw[0] == "-":
                desc = True
            else:
                alpha = True
            raw = raw[1:]
        if sortable is not None and raw not in sortable:
            raise sort_error()
        keys.append((raw, desc, alpha))
    return keys


def _sort_value(x, alpha):
    if x is None:
        return (0, "")
    if isinstance(x, bool):
        return (1, int(x))
    if isinstance(x, (int, float, Decimal)) and not alpha:
        return (1, x)
    if isinstance(x, str):
        return (2, x.casefold())
    return (2, str(x).casefold())


def apply_sort(records, keys):
    out = list(records)
    for prop, desc, alpha in reversed(keys):
        out.sort(key=lambda r: _sort_value(get_path(r, prop), alpha), reverse=desc)
    return out
