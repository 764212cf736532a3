"""The e-conomic client: one choke point for every HTTP request.

``EconomicClient._send`` is the only place that talks HTTP.  It adds both auth headers, JSON, a
timeout and an ``Idempotency-Key`` on writes, logs method, path, status, ``X-RequestId`` and
duration (never a token), turns error answers into typed errors, retries what is safe to retry
with exponential backoff and jitter, and slows down when ``X-RateLimiting`` says the token bucket
is nearly empty.  Collections are read lazily, one page in memory at a time.
"""

import email.utils
import itertools
import logging
import random as _random
import re
import time
import uuid
from urllib.parse import quote, urlencode, urlsplit

import requests

from . import errors as E
from .filters import build_filter
from .jsonutil import dumps, loads

__all__ = ["EconomicClient", "EconomicResponse", "AUTO"]

_logger = logging.getLogger(__name__)

DEFAULT_REST_URL = "https://restapi.e-conomic.com"
DEFAULT_APIS_URL = "https://apis.e-conomic.com"
MAX_PAGE_SIZE = 1000

_RATE_RE = re.compile(r"token-limit-(\d+)-per-(\d+)-seconds\s*:\s*(\d+)\s*/\s*(\d+)", re.I)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "PUT", "DELETE"))
_READ_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


class _Auto:
    def __repr__(self):
        return "AUTO"

    def __bool__(self):
        return True


#: default of ``idempotency_key``: generate a uuid4 key for writes.
AUTO = _Auto()


class EconomicResponse:
    """What ``request_raw`` returns: status, headers, parsed JSON and bookkeeping."""

    __slots__ = (
        "status",
        "headers",
        "data",
        "request_id",
        "idempotency_key",
        "attempts",
        "elapsed",
        "url",
    )

    def __init__(self, status, headers, data, request_id, idempotency_key, attempts, elapsed, url):
        self.status = status
        self.headers = headers
        self.data = data
        self.request_id = request_id
        self.idempotency_key = idempotency_key
        self.attempts = attempts
        self.elapsed = elapsed
        self.url = url

    @property
    def from_cache(self):
        """True when e-conomic replayed a cached answer for a repeated Idempotency-Key."""
        return str(self.headers.get("X-ResultFromCache", "")).lower() == "true"

    def __repr__(self):
        return "<EconomicResponse %s %s X-RequestId=%s>" % (self.status, self.url, self.request_id)


def _origin(url):
    parts = urlsplit(url)
    scheme = (parts.scheme or "").lower()
    host = (parts.hostname or "").lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, host, port


def parse_rate_limit(value):
    """``token-limit-10000-per-60-seconds: 147/10000`` → ``{"limit", "per_seconds", "used"}``."""
    if not value:
        return None
    match = _RATE_RE.search(value)
    if not match:
        return None
    limit, per, used, limit2 = (int(g) for g in match.groups())
    return {"limit": limit2 or limit, "per_seconds": per, "used": used}


def parse_retry_after(value, now=None):
    """Retry-After as seconds: delta-seconds or an HTTP-date.  None if absent or unreadable."""
    if value is None:
        return None
    value = str(value).strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def encode_legacy_id(value):
    """Path segment for a legacy resource id.

    Integers as is; strings with e-conomic's custom self-link encoding (``_`` → ``_8_`` first,
    then ``<>*%:&/\\ ?.#+`` → ``_0_``…``_13_``), then standard URL-encoding of the rest.
    """
    if isinstance(value, bool):
        raise TypeError("Invalid id %r" % value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    text = text.replace("_", "_8_")
    for ch, repl in (
        ("<", "_0_"),
        (">", "_1_"),
        ("*", "_2_"),
        ("%", "_3_"),
        (":", "_4_"),
        ("&", "_5_"),
        ("/", "_6_"),
        ("\\", "_7_"),
        (" ", "_9_"),
        ("?", "_10_"),
        (".", "_11_"),
        ("#", "_12_"),
        ("+", "_13_"),
    ):
        text = text.replace(ch, repl)
    return quote(text, safe="")


def encode_openapi_id(value):
    """Path segment for an OpenAPI id: standard URL-encoding of everything non-alphanumeric."""
    return quote(str(value), safe="")


class EconomicClient:
    """Client for e-conomic's legacy REST API and OpenAPI services.

    ``sleep``, ``random`` and ``clock`` are injectable for tests; ``session`` may be a
    ``requests.Session`` of your own.  ``max_attempts`` bounds every request (first try
    included).
    """

    def __init__(
        self,
        app_secret_token,
        agreement_grant_token,
        rest_url=DEFAULT_REST_URL,
        apis_url=DEFAULT_APIS_URL,
        timeout=30.0,
        max_attempts=4,
        *,
        session=None,
        sleep=None,
        random=None,
        clock=None,
        wall_clock=None,
        backoff_base=0.5,
        backoff_max=30.0,
        max_retry_after=120.0,
        throttle_threshold=0.9,
        page_size=MAX_PAGE_SIZE,
        user_agent="economic_sync-client/1.0",
    ):
        if not app_secret_token or not agreement_grant_token:
            raise ValueError("Both the app secret token and the agreement grant token are needed")
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.__secret = str(app_secret_token)
        self.__grant = str(agreement_grant_token)
        self.rest_url = rest_url.rstrip("/")
        self.apis_url = apis_url.rstrip("/")
        self.timeout = timeout
        self.max_attempts = int(max_attempts)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.max_retry_after = max_retry_after
        self.throttle_threshold = throttle_threshold
        self.page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
        self.user_agent = user_agent
        self._sleep = sleep or time.sleep
        self._random = random or _random.random
        self._clock = clock or time.monotonic
        self._wall_clock = wall_clock or time.time
        self._session = session or requests.Session()
        self._owns_session = session is None
        self._throttle_from = None
        self._throttle_delay = 0.0
        #: last ``X-RateLimiting`` seen, parsed: ``{"limit", "per_seconds", "used"}``
        self.rate_limit = None
        #: the last successful ``EconomicResponse``, without its body (handy in logs and tests)
        self.last_response = None
        from .resources import build_services

        build_services(self)

    # ------------------------------------------------------------------ plumbing
    def __repr__(self):
        return "<EconomicClient %s>" % self.rest_url

    def close(self):
        if self._owns_session:
            self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _scrub(self, text):
        if not isinstance(text, str):
            return text
        for token in (self.__secret, self.__grant):
            if len(token) >= 6 and token in text:
                text = text.replace(token, "***")
        return text

    def _scrub_deep(self, obj):
        if isinstance(obj, str):
            return self._scrub(obj)
        if isinstance(obj, list):
            return [self._scrub_deep(v) for v in obj]
        if isinstance(obj, dict):
            return {k: self._scrub_deep(v) for k, v in obj.items()}
        return obj

    def _scrub_error(self, err):
        for attr in ("message", "developer_hint", "error_code", "log_id", "path"):
            setattr(err, attr, self._scrub(getattr(err, attr)))
        err.body = self._scrub_deep(err.body)
        err.errors = self._scrub_deep(err.errors)
        err.field_errors = self._scrub_deep(err.field_errors)
        err.args = (err.message,)
        return err

    def _base(self, which):
        return self.apis_url if which == "apis" else self.rest_url

    def check_url(self, url):
        """Raise ``UnsafeURLError`` unless ``url`` is on the configured REST or APIs base URL."""
        for base in (self.rest_url, self.apis_url):
            if _origin(url) == _origin(base):
                base_path = urlsplit(base).path.rstrip("/")
                path = urlsplit(url).path
                if not base_path or path == base_path or path.startswith(base_path + "/"):
                    return url
        raise E.UnsafeURLError(
            "Refusing to follow a link to %s: it is not on the configured e-conomic URL"
            % self._scrub("%s://%s" % (urlsplit(url).scheme, urlsplit(url).netloc))
        )

    def url(self, path, params=None, base="rest"):
        """Absolute URL for ``path`` (or a checked absolute URL) plus encoded ``params``."""
        if path.startswith(("http://", "https://")):
            url = self.check_url(path)
        else:
            if not path.startswith("/"):
                path = "/" + path
            url = self._base(base) + path
        if params:
            items = [(k, v) for k, v in params.items() if v is not None]
            if items:
                query = urlencode([(k, _param(v)) for k, v in items], quote_via=quote, safe="")
                url += ("&" if "?" in url else "?") + query
        return url

    def _headers(self, idempotency_key, has_body, accept=None):
        headers = {
            "X-AppSecretToken": self.__secret,
            "X-AgreementGrantToken": self.__grant,
            "Accept": accept or "application/json",
            "User-Agent": self.user_agent,
        }
        if has_body:
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        return headers

    # ------------------------------------------------------------------ rate limiting
    def _note_rate_limit(self, headers):
        info = parse_rate_limit(headers.get("X-RateLimiting"))
        if not info:
            return
        self.rate_limit = info
        limit, per, used = info["limit"], info["per_seconds"], info["used"]
        if limit <= 0:
            return
        floor = self.throttle_threshold * limit
        if used > floor:
            # wait until the bucket has refilled to the threshold again
            self._throttle_delay = min((used - floor) * per / limit, float(per))
            self._throttle_from = self._clock()
        else:
            self._throttle_delay = 0.0
            self._throttle_from = None

    def _pre_throttle(self, method, path):
        if not self._throttle_delay:
            return
        remaining = self._throttle_delay - (self._clock() - self._throttle_from)
        self._throttle_delay = 0.0
        self._throttle_from = None
        if remaining > 0:
            _logger.info(
                "e-conomic rate limit %s/%s used: waiting %.2fs before %s %s",
                self.rate_limit["used"],
                self.rate_limit["limit"],
                remaining,
                method,
                path,
            )
            self._sleep(remaining)

    def _backoff(self, attempt):
        delay = min(self.backoff_max, self.backoff_base * (2 ** (attempt - 1)))
        return delay * (0.5 + 0.5 * self._random())

    # ------------------------------------------------------------------ the choke point
    def request_raw(
        self,
        method,
        path,
        *,
        params=None,
        json=None,
        idempotency_key=AUTO,
        base="rest",
        timeout=None,
        accept=None,
    ):
        """Send one logical request (with retries) and return an ``EconomicResponse``.

        ``idempotency_key``: ``AUTO`` (default) generates a uuid4 for POST/PUT/DELETE and reuses it
        on every retry; a string is used as is; ``None``/``False`` sends none (then a POST is
        never retried once it may have reached e-conomic).

        ``accept``: a binary answer (``"application/pdf"``): ``data`` is the body's bytes, checked
        to be of that type (a PDF starts with ``%PDF-``); a body that is not is retried like a
        malformed JSON answer.  Errors are read and raised as for JSON requests.
        """
        method = method.upper()
        url = self.url(path, params, base)
        url_path = urlsplit(url).path
        if idempotency_key is AUTO:
            idempotency_key = None if method in _READ_METHODS else str(uuid.uuid4())
        elif not idempotency_key:
            idempotency_key = None
        else:
            idempotency_key = str(idempotency_key)
        body = None if json is None else dumps(json).encode("utf-8")
        headers = self._headers(idempotency_key, body is not None, accept)
        safe_replay = method in _READ_METHODS or idempotency_key is not None
        safe_resend = safe_replay or method in _IDEMPOTENT_METHODS
        timeout = self.timeout if timeout is None else timeout

        attempt = 0
        started = self._clock()
        while True:
            attempt += 1
            self._pre_throttle(method, url_path)
            t0 = self._clock()
            try:
                resp = self._session.request(
                    method, url, data=body, headers=headers, timeout=timeout, allow_redirects=False
                )
            except requests.exceptions.RequestException as exc:
                err, retryable = self._network_error(
                    exc, method, url_path, safe_replay, safe_resend
                )
                ms = (self._clock() - t0) * 1000
                if retryable and attempt < self.max_attempts:
                    delay = self._backoff(attempt)
                    _logger.info(
                        "%s %s -> %s after %.0f ms (attempt %d/%d), retrying in %.2fs",
                        method,
                        url_path,
                        type(err).__name__,
                        ms,
                        attempt,
                        self.max_attempts,
                        delay,
                    )
                    self._sleep(delay)
                    continue
                _logger.info(
                    "%s %s -> %s after %.0f ms (attempt %d/%d)",
                    method,
                    url_path,
                    type(err).__name__,
                    ms,
                    attempt,
                    self.max_attempts,
                )
                raise err from None

            ms = (self._clock() - t0) * 1000
            status = resp.status_code
            request_id = resp.headers.get("X-RequestId")
            self._note_rate_limit(resp.headers)
            text = resp.content
            log_args = (method, url_path, status, request_id, ms, attempt)

            if 200 <= status < 300:
                _logger.debug("%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d", *log_args)
                try:
                    if accept:
                        data = self._binary_success(resp, text, accept, method, url_path)
                    else:
                        data = self._parse_success(resp, text, method, url_path, request_id)
                except E.InvalidResponseError:
                    if self._retry_malformed(safe_replay, attempt, log_args):
                        continue
                    raise
                elapsed = self._clock() - started
                # last_response keeps no body: a pager must not hold a second page alive
                self.last_response = EconomicResponse(
                    status, resp.headers, None, request_id, idempotency_key, attempt, elapsed, url
                )
                return EconomicResponse(
                    status, resp.headers, data, request_id, idempotency_key, attempt, elapsed, url
                )

            err = self._http_error(resp, text, method, url_path, request_id)
            if status == 429:
                retryable = True  # refused before any work was done
            elif status >= 500:
                retryable = safe_resend
            else:
                retryable = False
            if retryable and attempt < self.max_attempts:
                retry_after = parse_retry_after(resp.headers.get("Retry-After"), self._wall_clock())
                if retry_after is not None and retry_after > self.max_retry_after:
                    _logger.info(
                        "%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d; Retry-After "
                        "%.0fs is too long to wait",
                        *(log_args + (retry_after,)),
                    )
                    raise err
                delay = retry_after if retry_after is not None else self._backoff(attempt)
                _logger.info(
                    "%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d; retrying in " "%.2fs",
                    *(log_args + (delay,)),
                )
                self._sleep(delay)
                continue
            _logger.info(
                "%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d: %s",
                *(log_args + (err.error_code or err.message,)),
            )
            raise err

    def _retry_malformed(self, safe_replay, attempt, log_args):
        """A 2xx whose body is not JSON is retried like a 5xx (same backoff, same
        ``max_attempts``); a write only with an Idempotency-Key: e-conomic did the work, and the
        retry gets its cached answer.  True after waiting for the next attempt."""
        if not safe_replay or attempt >= self.max_attempts:
            _logger.info(
                "%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d: malformed body", *log_args
            )
            return False
        delay = self._backoff(attempt)
        _logger.info(
            "%s %s -> %s (X-RequestId %s) %.0f ms, attempt %d: malformed body; retrying in %.2fs",
            *(log_args + (delay,)),
        )
        self._sleep(delay)
        return True

    def _network_error(self, exc, method, path, safe_replay, safe_resend):
        not_sent = isinstance(exc, requests.exceptions.ConnectTimeout) or _is_connect_failure(exc)
        if isinstance(exc, requests.exceptions.Timeout):
            cls, what = E.EconomicTimeout, "no answer within %ss" % (self.timeout,)
            if isinstance(exc, requests.exceptions.ConnectTimeout):
                what = "could not connect within %ss" % (self.timeout,)
            retryable = not_sent or safe_replay
        elif isinstance(exc, requests.exceptions.ConnectionError):
            cls = E.NetworkError
            what = "could not connect" if not_sent else "connection lost before an answer"
            retryable = not_sent or safe_resend
        elif isinstance(
            exc,
            (
                requests.exceptions.InvalidURL,
                requests.exceptions.MissingSchema,
                requests.exceptions.InvalidSchema,
            ),
        ):
            cls, what, retryable = E.NetworkError, "invalid URL", False
        else:
            cls, what = E.NetworkError, "request failed"
            retryable = safe_replay
        detail = _exception_reason(exc)
        message = "%s %s: %s%s" % (method, path, what, " (%s)" % detail if detail else "")
        err = cls(self._scrub(message), method=method, path=path)
        return err, retryable

    def _parse_success(self, resp, text, method, path, request_id):
        if resp.status_code == 204 or not text.strip():
            return None
        try:
            return loads(text.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            snippet = " ".join(text[:200].decode("utf-8", "replace").split())
            raise self._scrub_error(
                E.InvalidResponseError(
                    "Answer is not valid JSON (HTTP %s, %s, body starts %r)"
                    % (resp.status_code, resp.headers.get("Content-Type"), snippet),
                    status=resp.status_code,
                    request_id=request_id,
                    method=method,
                    path=path,
                    body=text[:2000].decode("utf-8", "replace"),
                )
            ) from None

    def _binary_success(self, resp, text, accept, method, path):
        """The bytes of a 2xx binary answer; InvalidResponseError when they are not `accept`."""
        ctype = (resp.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        is_pdf = accept == "application/pdf"
        if (is_pdf and not text.startswith(b"%PDF-")) or (ctype and ctype != accept):
            raise self._scrub_error(
                E.InvalidResponseError(
                    "Expected %s, got %s (HTTP %s, %d bytes)"
                    % (accept, ctype or "no Content-Type", resp.status_code, len(text)),
                    status=resp.status_code,
                    request_id=resp.headers.get("X-RequestId"),
                    method=method,
                    path=path,
                )
            )
        return bytes(text)

    def get_binary(self, path, accept="application/pdf", params=None, base="rest"):
        """GET a binary document (a PDF by default) through the choke point; returns bytes.
        ``path`` may be an absolute link on the configured e-conomic URL (``pdf.download``)."""
        return self.request_raw("GET", path, params=params, base=base, accept=accept).data

    def _http_error(self, resp, text, method, path, request_id):
        status = resp.status_code
        if 300 <= status < 400:
            return self._scrub_error(
                E.InvalidResponseError(
                    "Unexpected redirect (HTTP %s) from e-conomic; not followed" % status,
                    status=status,
                    request_id=request_id,
                    method=method,
                    path=path,
                )
            )
        body = None
        raw = text.decode("utf-8", "replace") if text else ""
        try:
            body = loads(raw) if raw.strip() else None
        except ValueError:
            body = None
        err = E.error_from_response(
            status,
            body,
            request_id=request_id,
            method=method,
            path=path,
            raw_text=raw,
            retry_after=parse_retry_after(resp.headers.get("Retry-After"), self._wall_clock()),
        )
        return self._scrub_error(err)

    def request(self, method, path, **kw):
        """Like ``request_raw`` but returns the parsed JSON body (None for 204)."""
        return self.request_raw(method, path, **kw).data

    def get(self, path, params=None, base="rest", **kw):
        return self.request("GET", path, params=params, base=base, **kw)

    # ------------------------------------------------------------------ collections
    def iter_collection(
        self, path, *, filter=None, sort=None, page_size=None, params=None, base="rest"
    ):
        """Lazily yield every item of a legacy collection (``skippages``/``pagesize`` paging,
        following ``nextPage``).  ``$in:`` lists longer than 200 values (and ``any_of`` chains
        longer than 40) are split over several requests and the results concatenated (each chunk
        in ``sort`` order)."""
        return self._split_in(
            filter, lambda flt: self._iter_legacy(path, flt, sort, page_size, params, base)
        )

    def iter_cursor(self, path, *, filter=None, params=None, base="apis"):
        """Lazily yield every item of an OpenAPI cursor collection (``{items, cursor}``)."""
        return self._split_in(filter, lambda flt: self._iter_cursor(path, flt, params, base))

    def _split_in(self, filter, run):
        flt = build_filter(filter)
        oversized = flt._oversized_in() if flt is not None else []
        if not oversized:
            return run(flt.render() if flt is not None else None)
        return self._iter_split(flt, oversized, run)

    def _iter_split(self, flt, oversized, run):
        # chunks of a top-level $in: are disjoint; any_of chunks may overlap (contains, or values
        # equal but for case), so their items are de-duplicated
        top_level = all(cond.op == "in" for cond in oversized) and (
            any(flt is cond for cond in oversized)
            or (
                getattr(flt, "op", None) == "and"
                and all(any(cond is child for child in flt.children) for cond in oversized)
            )
        )
        seen = None if top_level else set()
        chunk_lists = [cond._chunked() for cond in oversized]
        for combo in itertools.product(*chunk_lists):
            mapping = {id(cond): chunk for cond, chunk in zip(oversized, combo, strict=False)}
            for item in run(flt._replace(mapping).render()):
                if seen is not None:
                    marker = item.get("self") if isinstance(item, dict) else None
                    if marker is None:
                        marker = dumps(item)
                    if marker in seen:
                        continue
                    seen.add(marker)
                yield item

    def _iter_legacy(self, path, filter_text, sort, page_size, params, base):
        query = dict(params or {})
        query["skippages"] = 0
        query["pagesize"] = max(1, min(int(page_size or self.page_size), MAX_PAGE_SIZE))
        if filter_text:
            query["filter"] = filter_text
        if sort:
            query["sort"] = _sort_param(sort)
        url = self.url(path, query, base)
        while url:
            data = self.request("GET", url)
            if not isinstance(data, dict) or not isinstance(data.get("collection"), list):
                raise E.InvalidResponseError(
                    "Expected a collection from %s" % urlsplit(url).path,
                    path=urlsplit(url).path,
                    method="GET",
                    request_id=self.last_response.request_id if self.last_response else None,
                )
            page = data["collection"]
            next_url = (data.get("pagination") or {}).get("nextPage")
            del data
            if next_url:
                next_url = self.check_url(next_url)
                if next_url == url:
                    raise E.InvalidResponseError(
                        "nextPage points at the page just read: %s" % urlsplit(url).path
                    )
            if not page:
                next_url = None
            url = next_url
            yield from page
            del page

    def _iter_cursor(self, path, filter_text, params, base):
        query = dict(params or {})
        if filter_text:
            query["filter"] = filter_text
        cursor = None
        while True:
            if cursor is not None:
                query["cursor"] = cursor
            data = self.request("GET", path, params=query, base=base)
            if isinstance(data, list):  # endpoints that answer a bare array
                items, cursor = data, None
            elif isinstance(data, dict) and isinstance(data.get("items"), list):
                items, cursor = data["items"], data.get("cursor")
            else:
                raise E.InvalidResponseError(
                    "Expected {items, cursor} from %s" % path, path=path, method="GET"
                )
            del data
            yield from items
            if not cursor or not items:
                return
            del items

    def get_self(self):
        """``GET /self``: the agreement, company, user and application."""
        return self.request("GET", "/self")


def _param(value):
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _sort_param(sort):
    if isinstance(sort, (list, tuple)):
        return ",".join(sort)
    return sort


def _is_connect_failure(exc):
    """True when the request certainly never reached the server (refused, DNS)."""
    try:
        from urllib3.exceptions import MaxRetryError, NameResolutionError, NewConnectionError
    except ImportError:  # pragma: no cover - very old urllib3
        from urllib3.exceptions import MaxRetryError, NewConnectionError

        NameResolutionError = NewConnectionError
    reason = exc.args[0] if exc.args else None
    if isinstance(reason, MaxRetryError):
        reason = reason.reason
    return isinstance(reason, (NewConnectionError, NameResolutionError))


def _exception_reason(exc):
    """A short, token-free description of a requests exception."""
    reason = exc.args[0] if exc.args else exc
    inner = getattr(reason, "reason", None)
    if inner is not None:
        reason = inner
    # urllib3 messages embed the connection object's repr; keep the readable tail
    text = str(reason)
    if ": " in text and "object at 0x" in text:
        text = text.split(": ", 1)[1]
    return text[:200]
