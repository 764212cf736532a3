"""JSON in and out with exact decimals.

Responses are parsed with ``parse_float=Decimal`` so amounts never pass through binary floats.
Requests are serialised by a small writer that emits ``Decimal`` as a JSON number in plain
notation (``Decimal("1E+2")`` → ``100``), dates as ``YYYY-MM-DD`` and datetimes as UTC
``YYYY-MM-DDTHH:MM:SSZ``.
"""

import datetime
import json
from decimal import Decimal

__all__ = ["dumps", "loads"]

_encode_str = json.encoder.encode_basestring  # keeps non-ASCII as UTF-8 (e-conomic accepts it)


def loads(text):
    return json.loads(text, parse_float=Decimal)


def _decimal(value):
    if not value.is_finite():
        raise ValueError("Cannot send %s to e-conomic" % value)
    text = format(value, "f")
    return "0" if text == "-0" else text


def _write(obj, out):
    if obj is None:
        out.append("null")
    elif obj is True:
        out.append("true")
    elif obj is False:
        out.append("false")
    elif isinstance(obj, str):
        out.append(_encode_str(obj))
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, Decimal):
        out.append(_decimal(obj))
    elif isinstance(obj, float):
        out.append(_decimal(Decimal(repr(obj))))
    elif isinstance(obj, dict):
        out.append("{")
        first = True
        for key, value in obj.items():
            if not isinstance(key, str):
                key = str(key)
            if not first:
                out.append(",")
            first = False
            out.append(_encode_str(key))
            out.append(":")
            _write(value, out)
        out.append("}")
    elif isinstance(obj, (list, tuple)):
        out.append("[")
        for i, value in enumerate(obj):
            if i:
                out.append(",")
            _write(value, out)
        out.append("]")
    elif isinstance(obj, datetime.datetime):
        if obj.tzinfo is not None:
            obj = obj.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        out.append('"%s"' % obj.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"))
    elif isinstance(obj, datetime.date):
        out.append('"%s"' % obj.strftime("%Y-%m-%d"))
    else:
        raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def dumps(obj):
    out = []
    _write(obj, out)
    return "".join(out)
