"""Typed errors raised by the e-conomic client.

Every error carries what e-conomic told us (``error_code``, ``message``, ``developer_hint``,
``log_id``, the raw ``errors`` and the flattened ``field_errors``) plus the ``X-RequestId`` of the
answer.  ``str(error)`` is plain English and never contains an API token: the client scrubs the
tokens from everything it puts into an error before the error is built.
"""

__all__ = [
    "EconomicError",
    "AuthenticationError",
    "ForbiddenError",
    "NotFoundError",
    "ValidationError",
    "ConflictError",
    "RateLimitedError",
    "ServerError",
    "NetworkError",
    "EconomicTimeout",
    "InvalidResponseError",
    "UnsafeURLError",
    "error_from_response",
    "flatten_field_errors",
]


class EconomicError(Exception):
    """Base class of every error the client raises."""

    default_message = "e-conomic request failed"

    def __init__(
        self,
        message=None,
        *,
        status=None,
        error_code=None,
        developer_hint=None,
        log_id=None,
        request_id=None,
        errors=None,
        field_errors=None,
        body=None,
        method=None,
        path=None,
    ):
        self.status = status
        self.error_code = error_code
        self.message = message or self.default_message
        self.developer_hint = developer_hint
        self.log_id = log_id
        self.request_id = request_id
        self.errors = errors
        self.field_errors = list(field_errors or [])
        self.body = body
        self.method = method
        self.path = path
        super().__init__(self.message)

    def __str__(self):
        parts = []
        if self.method and self.path:
            parts.append("%s %s" % (self.method, self.path))
        if self.status:
            parts.append("HTTP %s" % self.status)
        head = ": ".join(p for p in (" ".join(parts), self.message) if p)
        if self.error_code:
            head += " [%s]" % self.error_code
        for fe in self.field_errors[:10]:
            where = fe.get("path") or ""
            if fe.get("array_index") is not None:
                where += "[%s]" % fe["array_index"]
            head += "; %s%s" % (
                "%s: " % where if where else "",
                fe.get("message") or fe.get("error_code"),
            )
        if len(self.field_errors) > 10:
            head += "; ... %d more" % (len(self.field_errors) - 10)
        if self.developer_hint:
            head += " (hint: %s)" % self.developer_hint
        ids = []
        if self.log_id:
            ids.append("logId %s" % self.log_id)
        if self.request_id and self.request_id != self.log_id:
            ids.append("X-RequestId %s" % self.request_id)
        if ids:
            head += " {%s}" % ", ".join(ids)
        return head

    def __repr__(self):
        return "%s(status=%r, error_code=%r, message=%r, log_id=%r, request_id=%r)" % (
            type(self).__name__,
            self.status,
            self.error_code,
            self.message,
            self.log_id,
            self.request_id,
        )

    def __reduce__(self):  # keep pickling (multiprocessing, Odoo queue jobs) working
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls, state):
    err = cls.__new__(cls)
    Exception.__init__(err, state.get("message"))
    err.__dict__.update(state)
    return err


class AuthenticationError(EconomicError):
    """401: wrong, missing or revoked tokens (or a write with the read-only demo tokens)."""

    default_message = "Authentication with e-conomic failed"


class ForbiddenError(EconomicError):
    """403: the app's roles or the agreement's modules do not allow the call."""

    default_message = "Access denied by e-conomic"


class NotFoundError(EconomicError):
    """404: the resource does not exist (also a repeated DELETE)."""

    default_message = "Resource not found"


class ValidationError(EconomicError):
    """400 (and 422): the request was refused; see ``field_errors``."""

    default_message = "e-conomic refused the data"


class ConflictError(EconomicError):
    """409: OpenAPI ``objectVersion`` mismatch (somebody else changed the record)."""

    default_message = "The resource was changed by someone else"


class RateLimitedError(EconomicError):
    """429: the token bucket is empty; ``retry_after`` is in seconds (or None)."""

    default_message = "Too many requests to e-conomic"

    def __init__(self, message=None, *, retry_after=None, **kw):
        self.retry_after = retry_after
        super().__init__(message, **kw)


class ServerError(EconomicError):
    """5xx: e-conomic failed."""

    default_message = "e-conomic server error"


class NetworkError(EconomicError):
    """No answer: connection refused, DNS failure, connection dropped."""

    default_message = "Could not reach e-conomic"


class EconomicTimeout(NetworkError):
    """No answer within the configured timeout."""

    default_message = "e-conomic did not answer in time"


class InvalidResponseError(EconomicError):
    """An answer that is not the JSON e-conomic sends (or a redirect, or an unexpected shape)."""

    default_message = "Unexpected answer from e-conomic"


class UnsafeURLError(InvalidResponseError):
    """A link from e-conomic (``nextPage``, ``self``) points at a host other than the configured one."""

    default_message = "Refusing to follow a link to another host"


_STATUS_CLASSES = {
    400: ValidationError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitedError,
}


def _error_class(status):
    if status in _STATUS_CLASSES:
        return _STATUS_CLASSES[status]
    if status and status >= 500:
        return ServerError
    return EconomicError


def _is_error_item(item):
    return isinstance(item, dict) and ("errorCode" in item or "message" in item)


def flatten_field_errors(errors):
    """Flatten e-conomic's ``errors`` member into a list of
    ``{"path", "error_code", "message", "value", "array_index"}`` dicts.

    Handles the legacy annotated object (a copy of the request document where every failing
    property is replaced by ``{"errors": [...]}`` and array items carry ``arrayIndex``), the legacy
    list of strings (query errors), the problem+json list of ``{message, errorCode, property}`` and
    the ASP.NET ``{"Field": ["message", ...]}`` dictionary.
    """
    out = []

    def emit(path, item, array_index):
        if isinstance(item, dict):
            out.append(
                {
                    "path": ".".join(path) if path else (item.get("property") or None),
                    "error_code": item.get("errorCode"),
                    "message": item.get("message"),
                    "value": item.get("value"),
                    "array_index": array_index,
                }
            )
        else:
            out.append(
                {
                    "path": ".".join(path) or None,
                    "error_code": None,
                    "message": str(item),
                    "value": None,
                    "array_index": array_index,
                }
            )

    def walk(node, path, array_index):
        if isinstance(node, dict):
            inner = node.get("errors")
            if isinstance(inner, list) and inner and all(_is_error_item(i) for i in inner):
                for item in inner:
                    emit(path, item, array_index)
            for key, value in node.items():
                if key in ("errors", "arrayIndex"):
                    continue
                if isinstance(value, (dict, list)):
                    walk(value, path + [str(key)], array_index)
        elif isinstance(node, list):
            for position, item in enumerate(node):
                if isinstance(item, dict):
                    idx = item.get("arrayIndex", position)
                    walk(item, path, idx)

    if isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict) and ("property" in item or "errorCode" in item):
                emit([], item, None)
            elif isinstance(item, str):
                emit([], item, None)
            elif isinstance(item, dict):
                walk(item, [], None)
    elif isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                for message in value:  # ASP.NET ModelState style
                    emit([str(key)], message, None)
            elif isinstance(value, (dict, list)):
                walk(value, [str(key)], None)
    return out


def error_from_response(
    status, body, *, request_id=None, retry_after=None, method=None, path=None, raw_text=None
):
    """Build the typed error for an HTTP error answer.  ``body`` is the parsed JSON (or None)."""
    cls = _error_class(status)
    kw = {"status": status, "request_id": request_id, "method": method, "path": path}
    if isinstance(body, dict):
        message = body.get("message") or body.get("title") or body.get("detail")
        hint = body.get("developerHint")
        if not hint and body.get("detail") and body.get("detail") != message:
            hint = body.get("detail")
        errors = body.get("errors")
        kw.update(
            error_code=body.get("errorCode")
            if body.get("errorCode") is None
            else str(body.get("errorCode")),
            developer_hint=hint,
            log_id=body.get("logId") or body.get("traceId"),
            errors=errors,
            field_errors=flatten_field_errors(errors),
            body=body,
        )
        if not kw["field_errors"] and body.get("property"):  # old OpenAPI conflict shape
            kw["field_errors"] = [
                {
                    "path": body["property"],
                    "error_code": body.get("errorCode"),
                    "message": message,
                    "value": None,
                    "array_index": None,
                }
            ]
    else:
        message = None
        if raw_text:
            kw["body"] = raw_text[:2000]
            snippet = " ".join(raw_text.split())[:200]
            message = "%s (body: %s)" % (cls.default_message, snippet)
    if cls is RateLimitedError:
        kw["retry_after"] = retry_after
    return cls(message, **kw)
