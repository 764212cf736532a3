"""Declarative resource registry and the generic collection/CRUD engine of the legacy REST API."""

import math
import re
from urllib.parse import quote

from .. import errors
from ..filters import apply_sort, compile_filter, parse_filter, parse_sort
from ..util import decode_id, encode_id
from ..validation import Validator

MAX_PAGE = 1000
DEFAULT_PAGE = 20


class Ctx:
    """One request as the handlers see it."""

    def __init__(self, sandbox, method, path, query, raw_query, body_bytes, demo, host="rest"):
        self.sb = sandbox
        self.st = sandbox.state
        self.method = method
        self.path = path
        self.query = query
        self.raw_query = raw_query
        self.body_bytes = body_bytes
        self.demo = demo
        self.host = host
        self.base = sandbox.rest_url
        self._body = None

    @property
    def body(self):
        if self._body is None:
            from ..util import loads

            raw = self.body_bytes or b""
            if not raw.strip():
                raise errors.bad_request("Request body is empty.", "Send a JSON document.")
            try:
                self._body = loads(raw.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as e:
                raise errors.bad_request(
                    "Could not parse the request body as JSON.",
                    "Send a valid JSON document. (%s)" % e,
                )
        return self._body

    def link(self, *parts):
        return self.base + "/" + "/".join(str(p) for p in parts)

    def validator(self):
        return Validator(self.st.exists, self.base)


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, pattern, fn):
        self.routes.append((method, re.compile("^" + pattern + "/?$"), fn))

    def dispatch(self, ctx):
        path_matched = False
        for method, rx, fn in self.routes:
            m = rx.match(ctx.path)
            if not m:
                continue
            path_matched = True
            if method != ctx.method:
                continue
            return fn(ctx, *[decode_id(g) if g is not None else None for g in m.groups()])
        if path_matched:
            raise errors.method_not_allowed()
        raise errors.not_found()


# ------------------------------------------------------------------ paging / filter / sort


def page_params(ctx):
    q = {k.lower(): v for k, v in ctx.query.items()}
    ps_raw = q.get("pagesize", str(DEFAULT_PAGE))
    sk_raw = q.get("skippages", "0")
    try:
        ps = int(ps_raw)
        if not 1 <= ps <= MAX_PAGE:
            raise ValueError
    except ValueError:
        raise errors.bad_request(
            "pagesize must be a positive whole number between 1 and 1000.",
            "Page size must be between 1 and 1000.",
            error_code="E04810",
        )
    try:
        sk = int(sk_raw)
        if sk < 0:
            raise ValueError
    except ValueError:
        raise errors.bad_request(
            "skippages must be a positive whole number.",
            "skippages must be 0 or greater.",
            error_code="E04800",
        )
    return ps, sk, q.get("filter"), q.get("sort")


def _link(ctx, path, sk, ps, flt, srt):
    qs = "skippages=%d&pagesize=%d" % (sk, ps)
    if flt:
        qs += "&filter=" + quote(flt, safe="")
    if srt:
        qs += "&sort=" + quote(srt, safe="")
    return ctx.base + path + "?" + qs


NO_RESULTS_HINT = "Pagination links are suppressed when there are no results."


def page_links(ctx, path, sk, ps, total, flt, srt):
    """The page links of a collection, as e-conomic sends them (real recorded responses): none
    at all but a ``developerHint`` when nothing matches; otherwise ``firstPage``,
    ``previousPage`` (pages after the first), ``nextPage`` (all but the last) and ``lastPage``."""
    if not total:
        return {"developerHint": NO_RESULTS_HINT}
    last = max(0, math.ceil(total / ps) - 1)
    links = {"firstPage": _link(ctx, path, 0, ps, flt, srt)}
    if sk > 0:
        links["previousPage"] = _link(ctx, path, sk - 1, ps, flt, srt)
    if sk < last:
        links["nextPage"] = _link(ctx, path, sk + 1, ps, flt, srt)
    links["lastPage"] = _link(ctx, path, last, ps, flt, srt)
    return links


def collection(ctx, res, records=None, table=None, render=None, path=None, create=None):
    """Answer a legacy collection GET.

    `table`: a store.Table (fast path: paging over its cached sorted keys when no filter/sort);
    `records`: any iterable of stored records otherwise.  `render(ctx, rec)` builds the wire item.
    """
    ps, sk, flt, srt = page_params(ctx)
    path = path or ctx.path
    if not path.startswith("/"):
        path = "/" + path
    render = render or res.render_list
    pred = compile_filter(parse_filter(flt, res.filterable)) if flt else None
    sort_keys = parse_sort(srt, res.sortable) if srt else None
    with ctx.st.lock:
        if table is not None and pred is None and sort_keys is None and res.default_sort is None:
            keys = table.sorted_keys()
            total = unfiltered = len(keys)
            page = [table[k] for k in keys[sk * ps : (sk + 1) * ps]]
        else:
            recs = list(table.values()) if table is not None else list(records)
            unfiltered = len(recs)
            if pred is not None:
                recs = [r for r in recs if pred(r)]
            if sort_keys is None:
                sort_keys = res.default_sort_keys()
            recs = apply_sort(recs, sort_keys) if sort_keys else recs
            total = len(recs)
            page = recs[sk * ps : (sk + 1) * ps]
        items = [render(ctx, r) for r in page]
    pag = {
        "skipPages": sk,
        "pageSize": ps,
        "maxPageSizeAllowed": MAX_PAGE,
        "results": total,
        "resultsWithoutFilter": unfiltered,
    }
    pag.update(page_links(ctx, path, sk, ps, total, flt, srt))
    body = {"collection": items, "pagination": pag}
    create = res.create_description if create is None else create
    if create:
        body["metaData"] = {
            "create": {"description": create, "href": ctx.base + path, "httpMethod": "post"}
        }
    body["self"] = ctx.base + path + ("?" + ctx.raw_query if ctx.raw_query else "")
    return 200, body, {}


# ------------------------------------------------------------------ resources


class Resource:
    """A legacy REST resource.  Subclasses set the class attributes and override hooks."""

    path = None  # URL path of the collection, e.g. "customers"
    table = None  # store table name (defaults to path)
    key = None  # identifier field
    key_type = int
    filterable = ()
    sortable = ()
    default_sort = None  # e.g. [("fromDate", False, False)] when not the key order
    methods = ("GET",)  # subset of GET, POST, PUT, DELETE
    rule = None  # validation rule (O) for POST/PUT
    stamp = False  # maintain lastUpdated
    auto_number = False  # server assigns the key when omitted on POST
    singular = "resource"
    create_description = None
    delete_status = 204

    def __init__(self):
        self.table = self.table or self.path

    def default_sort_keys(self):
        return self.default_sort

    # --- rendering
    def render(self, ctx, rec):
        raise NotImplementedError

    def render_list(self, ctx, rec):
        return self.render(ctx, rec)

    def self_link(self, ctx, key):
        return ctx.link(self.path, encode_id(key) if self.key_type is str else key)

    # --- hooks
    def parse_key(self, raw):
        if self.key_type is int:
            try:
                return int(raw)
            except ValueError:
                raise errors.not_found()
        return raw

    def prepare(self, ctx, clean, key, old):
        """Turn validated input into the stored record; raise ApiError for business rules."""
        return clean

    def check_delete(self, ctx, key, rec):
        pass

    def on_change(self, ctx, kind, old_key, new_key):
        """kind ∈ create/update/delete; used to fire webhooks."""
        ctx.sb.webhooks.record_change(self.path, kind, old_key, new_key)

    # --- routes
    def register(self, router):
        p = re.escape(self.path)
        router.add("GET", p, self.h_list)
        router.add("GET", p + r"/([^/]+)", self.h_get)
        if "POST" in self.methods:
            router.add("POST", p, self.h_post)
        if "PUT" in self.methods:
            router.add("PUT", p + r"/([^/]+)", self.h_put)
        if "DELETE" in self.methods:
            router.add("DELETE", p + r"/([^/]+)", self.h_delete)

    def tbl(self, ctx):
        return ctx.st.t(self.table)

    def h_list(self, ctx):
        return collection(ctx, self, table=self.tbl(ctx))

    def h_get(self, ctx, raw):
        key = self.parse_key(raw)
        with ctx.st.lock:
            rec = self.tbl(ctx).get(key)
            if rec is None:
                raise errors.not_found()
            return 200, self.render(ctx, rec), {}

    def validate(self, ctx, body):
        clean, errs = ctx.validator().validate(self.rule, body)
        if errs:
            raise errors.validation(errs)
        return clean

    def write(self, ctx, body, key=None, replace_key=None):  # pylint: disable=method-required-super
        """Create (key None → assigned) or replace; returns (status, rendered)."""
        clean = self.validate(ctx, body)
        with ctx.st.lock:
            tbl = self.tbl(ctx)
            if key is None:
                key = clean.get(self.key)
                if key is None:
                    if not self.auto_number:
                        raise errors.validation(
                            {
                                self.key: {
                                    "errors": [
                                        {
                                            "errorCode": "E00000",
                                            "message": "Required properties are missing from object: %s."
                                            % self.key,
                                            "developerHint": "Please check your request data.",
                                        }
                                    ]
                                }
                            }
                        )
                    key = tbl.next_number()
                elif key in tbl:
                    raise errors.validation(
                        {
                            self.key: {
                                "errors": [
                                    {
                                        "errorCode": "E06010",
                                        "message": "%s %s already exists." % (self.key, key),
                                        "value": key,
                                        "developerHint": "Use PUT to update an existing %s."
                                        % self.singular,
                                    }
                                ]
                            }
                        }
                    )
            old = tbl.get(key)
            rec = self.prepare(ctx, clean, key, old)
            rec[self.key] = key
            if self.stamp:
                rec["lastUpdated"] = ctx.st.clock.stamp()
            tbl[key] = rec
            self.on_change(ctx, "update" if old is not None else "create", key, key)
            return (200 if old is not None else 201), self.render(ctx, rec)

    def h_post(self, ctx):
        status, body = self.write(ctx, ctx.body)
        key = body[self.key]
        return 201, body, {"Location": self.self_link(ctx, key)}

    def h_put(self, ctx, raw):
        key = self.parse_key(raw)
        body = ctx.body
        if not isinstance(body, dict):
            raise errors.validation(
                {
                    "errors": [
                        {
                            "errorCode": "E00000",
                            "message": "Invalid type. Expected Object.",
                            "developerHint": "Send a JSON object.",
                        }
                    ]
                }
            )
        body = dict(body)
        body[self.key] = key
        with ctx.st.lock:
            existed = key in self.tbl(ctx)
            status, rendered = self.write(ctx, body, key=key)
        headers = {} if existed else {"Location": self.self_link(ctx, key)}
        return (200 if existed else 201), rendered, headers

    def h_delete(self, ctx, raw):
        key = self.parse_key(raw)
        with ctx.st.lock:
            tbl = self.tbl(ctx)
            rec = tbl.get(key)
            if rec is None:
                raise errors.not_found()
            self.check_delete(ctx, key, rec)
            del tbl[key]
            self.on_change(ctx, "delete", key, key)
        return 204, None, {}


def ref(ctx, resource, key_name, key, **extra):
    out = {key_name: key}
    out.update(extra)
    out["self"] = ctx.link(resource, encode_id(key) if isinstance(key, str) else key)
    return out


def copy_fields(rec, names):
    return {n: rec[n] for n in names if n in rec}


def refs(ctx, rec, out, spec):
    """Copy reference objects `name → (resource, keyName)` from rec into out, with self links."""
    for name, (resource, key_name) in spec.items():
        v = rec.get(name)
        if v and v.get(key_name) is not None:
            extra = {k: x for k, x in v.items() if k != key_name}
            out[name] = ref(ctx, resource, key_name, v[key_name], **extra)
