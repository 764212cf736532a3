"""Shared pieces of the OpenAPI services (openapi.py): problem+json errors, filters, the generic
cursor/paged/count service over one store table, body parsing and string checks."""

from . import errors
from .filters import apply_sort, compile_filter, parse_filter, parse_sort

SUP = r"suppliersapi/v2\.0\.0"
CUST = r"customersapi/v3\.1\.0"
WH = r"webhooksapi/v1\.0\.0"
CURSOR_PAGE = 1000


def problem(status, title, code, errs=None, prop=None):
    e = errors.ApiError(status, title, problem_code=code)
    e.problem_errors = (
        errs if errs is not None else [{"message": title, "errorCode": code, "property": prop}]
    )
    return e


def _q(ctx, name, default=None):
    for k, v in ctx.query.items():
        if k.lower() == name.lower():
            return v
    return default


def _filtered(ctx, recs, allowed):
    flt = _q(ctx, "filter")
    if not flt:
        return recs
    try:
        node = parse_filter(flt, allowed)
    except errors.ApiError as e:
        msgs = e.errors if isinstance(e.errors, list) else [e.message]
        raise problem(
            400,
            "Bad filter request.",
            "BadFilterRequest",
            [{"message": m, "errorCode": "BadFilterRequest", "property": None} for m in msgs],
        )
    pred = compile_filter(node, text_in=True)
    return [r for r in recs if pred(r)]


class Service:
    """A generic OpenAPI collection over one store table."""

    def __init__(self, table, key, filterable, sortable, wire):
        self.table, self.key, self.filterable, self.sortable, self.wire = (
            table,
            key,
            filterable,
            sortable,
            wire,
        )

    def records(self, ctx):
        tbl = ctx.st.t(self.table)
        return [tbl[k] for k in tbl.sorted_keys()]

    def filtered(self, ctx):
        return _filtered(ctx, self.records(ctx), self.filterable)

    def h_cursor(self, ctx):
        with ctx.st.lock:
            recs = _filtered(ctx, self.records(ctx), self.filterable)
            cur = _q(ctx, "cursor")
            if cur:
                try:
                    ck = type(recs[0][self.key])(cur) if recs else cur
                except ValueError:
                    raise problem(400, "Invalid cursor.", "InvalidCursor")
                recs = [r for r in recs if r[self.key] >= ck]
            page = recs[:CURSOR_PAGE]
            body = {"items": [self.wire(ctx, r) for r in page]}
            if len(recs) > CURSOR_PAGE:
                body["cursor"] = str(recs[CURSOR_PAGE][self.key])
        return 200, body, {}

    def h_paged(self, ctx):
        try:
            ps = int(_q(ctx, "pageSize", 20))
            sk = int(_q(ctx, "skipPages", 0))
            if not (1 <= ps <= 100) or not (0 <= sk <= 100):
                raise ValueError
        except ValueError:
            raise problem(
                400,
                "Validation error.",
                "InvalidPaging",
                [
                    {
                        "message": "pageSize must be between 1 and 100 and skipPages between 0 and 100.",
                        "errorCode": "InvalidPaging",
                        "property": "pageSize",
                    }
                ],
            )
        with ctx.st.lock:
            recs = self.filtered(ctx)
            srt = _q(ctx, "sort")
            if srt:
                try:
                    recs = apply_sort(recs, parse_sort(srt, self.sortable))
                except errors.ApiError:
                    raise problem(400, "Bad sort request.", "BadSortRequest")
            page = recs[:10000][sk * ps : (sk + 1) * ps]
            return 200, [self.wire(ctx, r) for r in page], {}

    def h_count(self, ctx):
        with ctx.st.lock:
            return 200, len(self.filtered(ctx)), {}

    def h_get(self, ctx, raw):
        key = self.parse(raw)
        rec = ctx.st.t(self.table).get(key)
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        return 200, self.wire(ctx, rec), {}

    def parse(self, raw):
        try:
            return int(raw)
        except ValueError:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])


def _body(ctx):
    try:
        b = ctx.body
    except errors.ApiError:
        raise problem(
            400,
            "Validation error.",
            "InvalidJson",
            [
                {
                    "message": "The request body is not valid JSON.",
                    "errorCode": "InvalidJson",
                    "property": None,
                }
            ],
        )
    if not isinstance(b, dict):
        raise problem(
            400,
            "Validation error.",
            "InvalidJson",
            [{"message": "Expected a JSON object.", "errorCode": "InvalidJson", "property": None}],
        )
    return b


def _str(b, name, maxlen, required=False, code="ValidationError"):
    v = b.get(name)
    if v is None:
        if required:
            raise problem(
                400,
                "Validation error.",
                code,
                [
                    {
                        "message": "The %s field is required." % name,
                        "errorCode": code,
                        "property": name,
                    }
                ],
            )
        return None
    if not isinstance(v, str):
        raise problem(
            400,
            "Validation error.",
            "ValidationError",
            [
                {
                    "message": "The field %s must be a string." % name,
                    "errorCode": "ValidationError",
                    "property": name,
                }
            ],
        )
    if len(v) > maxlen:
        raise problem(
            400,
            "Validation error.",
            "ValidationError",
            [
                {
                    "message": "The field %s must be a string with a maximum length of %d."
                    % (name, maxlen),
                    "errorCode": "ValidationError",
                    "property": name,
                }
            ],
        )
    return v


def _check_version(b, rec):
    if b.get("objectVersion") != rec.get("objectVersion"):
        raise problem(
            409,
            "The resource has been updated by another user.",
            "UpdateConflict",
            [
                {
                    "message": "Update conflict. Version does not match.",
                    "errorCode": "UpdateConflict",
                    "property": "objectVersion",
                }
            ],
        )
