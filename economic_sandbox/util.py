"""Small helpers: clock, identifiers, JSON encoding, e-conomic path encoding."""

import datetime as _dt
import json
import os
import re
import threading
from decimal import Decimal
from urllib.parse import quote, unquote

UTC = _dt.timezone.utc


class Clock:
    """The sandbox clock: real UTC time, optionally frozen or shifted by the admin API."""

    def __init__(self):
        self.offset = 0.0
        self.fixed = None  # datetime or None

    def now(self):
        if self.fixed is not None:
            return self.fixed
        return _dt.datetime.now(UTC) + _dt.timedelta(seconds=self.offset)

    def today(self):
        return self.now().date()

    def stamp(self):
        """`lastUpdated` format: YYYY-MM-DDTHH:MM:SSZ (UTC, seconds)."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%SZ")

    def log_time(self):
        """`logTime` format of legacy errors: no zone suffix."""
        return self.now().strftime("%Y-%m-%dT%H:%M:%S")


def parse_iso(s):
    s = s.strip()
    if s.endswith("Z"):
        s = s[:-1] + "+00:00"
    d = _dt.datetime.fromisoformat(s)
    if d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    return d.astimezone(UTC)


def request_id():
    return "%016x-CPH" % int.from_bytes(os.urandom(8), "big")


def to_jsonable(v):
    """Decimals become JSON numbers (float), recursively."""
    if isinstance(v, dict):
        return {k: to_jsonable(x) for k, x in v.items()}
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    if isinstance(v, Decimal):
        if v == v.to_integral_value() and v.as_tuple().exponent >= 0:
            return int(v)
        return float(v)
    return v


class _Enc(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, Decimal):
            return float(o)
        if isinstance(o, (_dt.date, _dt.datetime)):
            return o.isoformat()
        return super().default(o)


def dumps(obj):
    return json.dumps(obj, cls=_Enc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(raw):
    """Parse a request body; floats are kept as Decimal (scale checks need them)."""
    return json.loads(raw, parse_float=Decimal)


# e-conomic's custom encoding of string identifiers in legacy URLs (docs/ECONOMIC.md §3.6).
_ENC_CHARS = ["<", ">", "*", "%", ":", "&", "/", "\\", "_", " ", "?", ".", "#", "+"]
_ENC_MAP = {c: "_%d_" % i for i, c in enumerate(_ENC_CHARS)}
_DEC_RE = re.compile(r"_(\d{1,2})_")


def encode_id(value):
    s = str(value).replace("_", "_8_")
    out = []
    for ch in s:
        if ch in _ENC_MAP and ch != "_":
            out.append(_ENC_MAP[ch])
        else:
            out.append(ch)
    # '_' already replaced first; protect the produced markers from re-quoting
    return quote("".join(out), safe="_-~")


def decode_id(segment):
    s = unquote(segment)

    def repl(m):
        i = int(m.group(1))
        return _ENC_CHARS[i] if i < len(_ENC_CHARS) else m.group(0)

    return _DEC_RE.sub(repl, s)


class Counter:
    def __init__(self):
        self._n = 0
        self._lock = threading.Lock()

    def next(self):
        with self._lock:
            self._n += 1
            return self._n
