"""Error bodies: legacy REST shape and OpenAPI problem+json shape (docs/ECONOMIC.md §6)."""

from .util import request_id

NOT_FOUND_HINT = (
    "The API tries to provide all the resource urls you need. If you have hard coded urls "
    "yourself, then try to look at the enclosing collection for hypermedia information on "
    "where the resource you are looking for could be."
)


class ApiError(Exception):
    """Raised by handlers; the server renders it in the shape of the host that answered."""

    def __init__(
        self,
        status,
        message,
        developer_hint="",
        error_code=None,
        errors=None,
        extra=None,
        headers=None,
        problem_code=None,
        problem_errors=None,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.developer_hint = developer_hint
        self.error_code = error_code
        self.errors = errors
        self.extra = extra or {}
        self.headers = headers or {}
        self.problem_code = problem_code
        self.problem_errors = problem_errors

    def legacy_body(self, clock, log_id=None):
        body = {
            "message": self.message,
            "developerHint": self.developer_hint,
            "logId": log_id or request_id(),
            "httpStatusCode": self.status,
            "logTime": clock.log_time(),
        }
        if self.error_code:
            body["errorCode"] = self.error_code
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body

    def problem_body(self, clock, trace_id=None):
        body = {
            "type": PROBLEM_TYPES.get(self.status, "about:blank"),
            "title": self.message,
            "status": self.status,
            "traceId": trace_id or request_id(),
            "errorCode": self.problem_code or DEFAULT_PROBLEM_CODES.get(self.status, "Error"),
            "traceTimeUtc": clock.log_time(),
        }
        if self.problem_errors:
            body["errors"] = self.problem_errors
        return body


PROBLEM_TYPES = {
    400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
    401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
    403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
    404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
    405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
    409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
    429: "https://tools.ietf.org/html/rfc6585#section-4",
    500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
}
DEFAULT_PROBLEM_CODES = {
    400: "ValidationError",
    401: "Unauthorized",
    403: "Forbidden",
    404: "ResourceNotFound",
    405: "MethodNotAllowed",
    409: "UpdateConflict",
    429: "TooManyRequests",
    500: "InternalServerError",
}


def not_found():
    return ApiError(404, "Resource not found.", NOT_FOUND_HINT, error_code="E06000")


def unauthorized(demo_write=False):
    if demo_write:
        return ApiError(
            401,
            "The demo agreement is read-only.",
            "When using the demo integration, you can only use the GET http method.",
        )
    return ApiError(
        401,
        "Unauthorized access (401).",
        "You must supply valid X-AppSecretToken and X-AgreementGrantToken headers. "
        "See https://www.e-conomic.com/developer/connect for details.",
    )


def validation(errors):
    return ApiError(
        400,
        "Validation error.",
        "Inspect validation errors and correct your request.",
        errors=errors,
        problem_errors=_flatten(errors),
    )


def bad_request(message, hint="", error_code=None, errors=None, extra=None, problem_code=None):
    return ApiError(
        400,
        message,
        hint,
        error_code=error_code,
        errors=errors,
        extra=extra,
        problem_code=problem_code,
    )


def method_not_allowed():
    return ApiError(
        405, "Method not allowed.", "The HTTP method is not supported on this resource."
    )


def field_error(code, message, value=None, hint="Please check your request data.", with_value=True):
    e = {"errorCode": code, "message": message}
    if with_value:
        e["value"] = value
    e["developerHint"] = hint
    return {"errors": [e]}


def _flatten(errors, prefix=""):
    """Annotated legacy errors → problem+json `errors[]` list."""
    out = []
    if isinstance(errors, dict):
        for k, v in errors.items():
            if k == "errors" and isinstance(v, list):
                for e in v:
                    if isinstance(e, dict):
                        out.append(
                            {
                                "message": e.get("message"),
                                "errorCode": e.get("errorCode"),
                                "property": prefix.rstrip(".") or None,
                            }
                        )
            elif k != "arrayIndex":
                out.extend(_flatten(v, prefix + k + "."))
    elif isinstance(errors, list):
        for item in errors:
            idx = item.get("arrayIndex", 0) if isinstance(item, dict) else 0
            out.extend(_flatten(item, prefix.rstrip(".") + "[%d]." % idx))
    return out
