"""Compact field rules and a validator producing e-conomic's annotated error objects (docs/ECONOMIC.md §6.1).

Rules mirror the legacy POST/PUT schemas: required, type, min/max length, minimum/maximum, enums
(case-sensitive), references to other resources (E06000 when missing).  Unknown and readOnly
properties are dropped silently, as e-conomic does.
Messages for schema-level failures follow the Newtonsoft JSON-schema wording that e-conomic
returns ("Invalid type. Expected String but got Null.", "Integer 0 is less than minimum value of 1.").
"""

import re
from decimal import Decimal

SCHEMA_CODE = "E00000"  # e-conomic's code for schema failures is not documented; see README
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TYPE_NAMES = {
    str: "String",
    bool: "Boolean",
    int: "Integer",
    Decimal: "Number",
    float: "Number",
    dict: "Object",
    list: "Array",
    type(None): "Null",
}


def _tname(v):
    return _TYPE_NAMES.get(type(v), type(v).__name__)


class Rule:
    required = False
    readonly = False

    def __init__(self, req=False, ro=False, **kw):
        self.required = req
        self.readonly = ro
        self.kw = kw


class S(Rule):
    """String: min, max, pattern, ref (resource keyed by this string)."""


class I(Rule):
    """Integer: min, max."""


class N(Rule):
    """Number: min, max, scale (max decimals)."""


class B(Rule):
    pass


class D(Rule):
    """Date YYYY-MM-DD."""


class E(Rule):
    def __init__(self, values, req=False, ro=False):
        super().__init__(req, ro)
        self.values = values


class O(Rule):
    def __init__(self, fields, req=False, ro=False):
        super().__init__(req, ro)
        self.fields = fields


class A(Rule):
    def __init__(self, item, req=False, ro=False, max_items=None):
        super().__init__(req, ro)
        self.item = item
        self.max_items = max_items


class Ref(Rule):
    """A reference object `{keyField: n}` or `{self: url}` to resource `resource`."""

    def __init__(self, resource, key, req=False, key_type=int, extra=None, label=None):
        super().__init__(req)
        self.resource = resource
        self.key = key
        self.key_type = key_type
        self.extra = extra or {}
        self.label = label


def err(code, message, value=None, hint="Please check the format of your data.", with_value=True):
    e = {"errorCode": code, "message": message}
    if with_value:
        e["value"] = value
    e["developerHint"] = hint
    return {"errors": [e]}


class Validator:
    """validate(rule, data) → (clean, errors_or_None); `exists(resource, key)` checks references."""

    def __init__(self, exists, base_url):
        self.exists = exists
        self.base_url = base_url

    def validate(self, rule, data):
        if not isinstance(data, dict):
            return None, err(
                SCHEMA_CODE, "Invalid type. Expected Object but got %s." % _tname(data), None
            )
        return self._obj(rule, data, "")

    def _obj(self, rule, data, path):
        clean, errors = {}, {}
        for name, sub in rule.fields.items():
            if sub.readonly:
                continue
            if name not in data:
                if sub.required:
                    errors[name] = err(
                        SCHEMA_CODE,
                        "Required properties are missing from object: %s." % name,
                        with_value=False,
                        hint="Please check your request data.",
                    )
                continue
            c, e = self._value(sub, data[name], name)
            if e is not None:
                errors[name] = e
            elif c is not _DROP:
                clean[name] = c
        return clean, (errors or None)

    def _value(self, rule, v, name):
        if v is None:
            want = {
                S: "String",
                I: "Integer",
                N: "Number",
                B: "Boolean",
                D: "String",
                E: "String",
                O: "Object",
                A: "Array",
                Ref: "Object",
            }.get(type(rule), "Value")
            return None, err(SCHEMA_CODE, "Invalid type. Expected %s but got Null." % want, None)
        kw = rule.kw
        if isinstance(rule, (S, D, E)):
            if not isinstance(v, str):
                return None, err(
                    SCHEMA_CODE, "Invalid type. Expected String but got %s." % _tname(v), v
                )
            if isinstance(rule, D) and not DATE_RE.match(v):
                return None, err(
                    SCHEMA_CODE, "String '%s' does not match the date format YYYY-MM-DD." % v, v
                )
            if isinstance(rule, E) and v not in rule.values:
                return None, err(SCHEMA_CODE, 'Value "%s" is not defined in enum.' % v, v)
            if "max" in kw and len(v) > kw["max"]:
                return None, err(
                    SCHEMA_CODE, "String '%s' exceeds maximum length of %d." % (v, kw["max"]), v
                )
            if "min" in kw and len(v) < kw["min"]:
                return None, err(
                    SCHEMA_CODE,
                    "String '%s' is less than minimum length of %d." % (v, kw["min"]),
                    v,
                )
            if "ref" in kw and not self.exists(kw["ref"], v.upper() if kw.get("upper") else v):
                return None, err(
                    "E06000",
                    "%s does not exist." % name,
                    v,
                    hint="Find a list of %s at %s/%s." % (kw["ref"], self.base_url, kw["ref"]),
                )
            return v, None
        if isinstance(rule, I):
            if isinstance(v, bool) or not isinstance(v, int):
                if isinstance(v, Decimal) and v == v.to_integral_value():
                    v = int(v)
                else:
                    return None, err(
                        SCHEMA_CODE, "Invalid type. Expected Integer but got %s." % _tname(v), v
                    )
            if "min" in kw and v < kw["min"]:
                return None, err(
                    SCHEMA_CODE, "Integer %d is less than minimum value of %d." % (v, kw["min"]), v
                )
            if "max" in kw and v > kw["max"]:
                return None, err(
                    SCHEMA_CODE, "Integer %d exceeds maximum value of %d." % (v, kw["max"]), v
                )
            return v, None
        if isinstance(rule, N):
            if isinstance(v, bool) or not isinstance(v, (int, Decimal)):
                return None, err(
                    SCHEMA_CODE, "Invalid type. Expected Number but got %s." % _tname(v), v
                )
            v = Decimal(v)
            if "min" in kw and v < kw["min"]:
                return None, err(
                    SCHEMA_CODE, "Number %s is less than minimum value of %s." % (v, kw["min"]), v
                )
            if "max" in kw and v > kw["max"]:
                return None, err(
                    SCHEMA_CODE, "Number %s exceeds maximum value of %s." % (v, kw["max"]), v
                )
            if (
                "scale" in kw
                and -v.as_tuple().exponent > kw["scale"]
                and v != v.quantize(Decimal(10) ** -kw["scale"])
            ):
                return None, err(
                    kw.get("scale_code", "E04740"),
                    "%s scale cannot be greater then two decimal places." % name,
                    v,
                )
            return v, None
        if isinstance(rule, B):
            if not isinstance(v, bool):
                return None, err(
                    SCHEMA_CODE, "Invalid type. Expected Boolean but got %s." % _tname(v), v
                )
            return v, None
        if isinstance(rule, O):
            if not isinstance(v, dict):
                return None, err(
                    SCHEMA_CODE, "Invalid type. Expected Object but got %s." % _tname(v), v
                )
            return self._obj(rule, v, name)
        if isinstance(rule, A):
            if not isinstance(v, list):
                return None, err(
                    SCHEMA_CODE, "Invalid type. Expected Array but got %s." % _tname(v), v
                )
            out, errs = [], []
            for idx, item in enumerate(v):
                c, e = self._value(rule.item, item, name)
                if e is not None:
                    if "errors" in e and len(e) == 1:
                        e = {"arrayIndex": idx, **e}
                    else:
                        e = {"arrayIndex": idx, **e}
                    errs.append(e)
                else:
                    out.append(c)
            return (None, errs) if errs else (out, None)
        if isinstance(rule, Ref):
            return self._ref(rule, v, name)
        return v, None

    def _ref(self, rule, v, name):
        if not isinstance(v, dict):
            return None, err(
                SCHEMA_CODE, "Invalid type. Expected Object but got %s." % _tname(v), v
            )
        key = v.get(rule.key)
        if key is None and isinstance(v.get("self"), str):
            seg = v["self"].rstrip("/").rsplit("/", 1)[-1].split("?")[0]
            from .util import decode_id

            key = decode_id(seg)
            if rule.key_type is int:
                try:
                    key = int(key)
                except ValueError:
                    key = None
        if key is None:
            return None, err(
                "E04500",
                "No identifiers present on %s. Please include either a self link or a %s."
                % (name, rule.key),
                with_value=False,
                hint="Find a list of resources at %s/%s." % (self.base_url, rule.resource),
            )
        if rule.key_type is int:
            c, e = self._value(I(min=1, max=999999999), key, rule.key)
            if e is not None:
                return None, {rule.key: e}
            key = c
        else:
            if not isinstance(key, str):
                return None, {
                    rule.key: err(
                        SCHEMA_CODE, "Invalid type. Expected String but got %s." % _tname(key), key
                    )
                }
        if rule.resource and not self.exists(rule.resource, key):
            return None, err(
                "E06000",
                "%s does not exist." % (rule.label or name),
                key,
                hint="Find a list of resources at %s/%s." % (self.base_url, rule.resource),
            )
        clean = {rule.key: key}
        if rule.extra:
            sub, e = self._obj(O(rule.extra), v, name)
            if e:
                return None, e
            clean.update(sub)
        return clean, None


class _Drop:
    pass


_DROP = _Drop()
