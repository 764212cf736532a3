"""Admin API under `/__sandbox__` (docs/CONTRACTS.md): reset, request log, records, user edits,
faults, rate limit, clock, webhooks (webhooks.py: admin_call), booking a day book."""

import json
import re

from . import errors
from .util import decode_id, loads, parse_iso, to_jsonable

USER_RESOURCES = (
    "customers",
    "products",
    "suppliers",
    "invoices/drafts",
    "invoices/booked",
    "units",
    "payment-terms",
    "customer-groups",
)

RESET_ARGS = (
    "seed",
    "customers",
    "suppliers",
    "products",
    "invoices",
    "contacts_per_customer",
    "inventory",
    "lines_per_invoice",
)


def _resource(name):
    from .resources import booked, invoices, master

    for r in master.RESOURCES + [invoices.DRAFTS, booked.BOOKED]:
        if r.path == name:
            return r
    return None


def _key(sb, resource, raw):
    res = _resource(resource)
    if res is not None and res.key_type is int:
        return int(raw)
    if resource in sb.state.tables and isinstance(raw, str) and raw.isdigit():
        tbl = sb.state.tables[resource]
        if tbl and isinstance(next(iter(tbl)), int):
            return int(raw)
    return raw


def _merge(dst, changes):
    for k, v in changes.items():
        if v is None:
            dst.pop(k, None)
        elif isinstance(v, dict) and isinstance(dst.get(k), dict):
            dst[k] = dict(dst[k])
            _merge(dst[k], v)
        else:
            dst[k] = v


def handle_admin(sb, method, path, query, body):
    try:
        data = loads(body.decode("utf-8")) if body.strip() else {}
    except ValueError:
        return 400, {"error": "body is not JSON"}
    try:
        return _route(sb, method, path.rstrip("/") or "/", query, data)
    except errors.ApiError as e:
        return e.status, e.legacy_body(sb.state.clock)
    except (KeyError, ValueError, TypeError) as e:
        return 400, {"error": repr(e)}


def _route(sb, method, path, query, data):
    st = sb.state
    if path in ("/", "/info") and method == "GET":
        return 200, sb.info
    if path == "/reset" and method == "POST":
        sb.reset(**{k: data[k] for k in RESET_ARGS if k in data})
        return 200, {"ok": True}
    if path == "/requests":
        if method == "GET":
            return 200, list(sb.request_log)
        if method == "DELETE":
            sb.request_log.clear()
            return 200, {"ok": True}
    if path.startswith("/records/") and method == "GET":
        rest = path[len("/records/") :]
        for name in sorted(st.tables, key=len, reverse=True):
            if rest == name:
                with st.lock:
                    tbl = st.tables[name]
                    return 200, to_jsonable(
                        [_public(r) for r in (tbl[k] for k in tbl.sorted_keys())]
                    )
            if rest.startswith(name + "/"):
                key = _key(sb, name, decode_id(rest[len(name) + 1 :]))
                with st.lock:
                    rec = st.tables[name].get(key)
                if rec is None:
                    return 404, {"error": "no such record"}
                return 200, to_jsonable(_public(rec))
        return 404, {"error": "unknown resource"}
    if path == "/edit" and method == "POST":
        return _edit(sb, data)
    if path == "/create" and method == "POST":
        return _create(sb, data)
    if path == "/delete" and method == "POST":
        return _delete(sb, data)
    if path == "/renumber" and method == "POST":
        return _renumber(sb, data)
    if path == "/faults" and method in ("POST", "DELETE", "GET"):
        return _faults(sb, method, data)
    if path == "/modules" and method == "POST":
        # switch the agreement's inventory module without a reset
        from .seed import _self_info

        with st.lock:
            if "inventory" in data:
                st.inventory = bool(data["inventory"])
                st.self_info = dict(
                    _self_info(st.inventory),
                    **{k: v for k, v in st.self_info.items() if k != "wire"},
                )
        return 200, {"inventory": st.inventory}
    if path in ("/payments", "/settings"):
        hit = _payments_settings(st, method, path, data)
        if hit:
            return hit
    if path == "/rate-limit" and method == "POST":
        sb.configure_rate_limit(data.get("limit", 10000), data.get("per_seconds", 60))
        return 200, {"limit": sb.bucket_config[0], "per_seconds": sb.bucket_config[1]}
    if path == "/clock" and method == "POST":
        if "now" in data:
            st.clock.fixed = parse_iso(data["now"]) if data["now"] else None
        if "offset_seconds" in data:
            st.clock.offset = float(data["offset_seconds"])
        return 200, {"now": st.clock.stamp()}
    if path == "/webhooks" or path.startswith("/webhooks/"):
        from .webhooks import admin_call

        hit = admin_call(sb, method, path, query, data)
        if hit:
            return hit
    if path == "/journals/book" and method == "POST":
        # book a day book as a user would: its entries go to the ledger, "Day book booked" fires
        from .resources.journals import book_journal

        return 200, to_jsonable(book_journal(sb, data))
    if path == "/seed/entries" and method == "POST":
        # N booked entries of one accounting year in bulk (benchmarks): seed_ledger.py
        from .seed_ledger import bulk_entries

        return 201, bulk_entries(st, str(data["year"]), int(data["count"]))
    return 404, {"error": "unknown admin call %s %s" % (method, path)}


def _faults(sb, method, data):
    if method == "POST":
        if data.get("fault") not in (
            "latency",
            "error",
            "429",
            429,
            "drop",
            "drop_after_commit",
            "hang_after_commit",
            "malformed",
        ):
            return 400, {"error": "unknown fault"}
        data["fault"] = str(data["fault"])
        return 200, {"id": sb.faults.add(data)}
    if method == "DELETE":
        sb.faults.clear()
        return 200, {"ok": True}
    return 200, [{k: v for k, v in f.items() if not k.startswith("_")} for f in sb.faults.items]


def _payments_settings(st, method, path, data):
    """`POST|GET /payments` (pay a booked invoice as a user would) and `POST|GET /settings`
    (the agreement's invoice rounding); see payments.py."""
    from .payments import configure, pay, settings

    if path == "/payments" and method == "POST":
        return 201, to_jsonable(pay(st, data))
    if path == "/payments" and method == "GET":
        with st.lock:
            return 200, to_jsonable(list(st.payments))
    if path == "/settings" and method == "POST":
        return 200, configure(st, data)
    if path == "/settings" and method == "GET":
        return 200, settings(st)
    return None


def _public(rec):
    return {k: v for k, v in rec.items() if not k.startswith("_")} if isinstance(rec, dict) else rec


_CONTACTS_RE = re.compile(r"^customers/(\d+)/contacts$")


def _contact_resource(name):
    """`customer-contacts`, `contacts` or `customers/<n>/contacts` → (True, n or None)."""
    if name in ("customer-contacts", "contacts"):
        return True, None
    m = _CONTACTS_RE.match(name or "")
    return (True, int(m.group(1))) if m else (False, None)


def _edit_contact(sb, cn, data):
    from . import contacts

    st = sb.state
    key = int(data["key"])
    with st.lock:
        tbl = contacts.table(st)
        if key not in tbl or (cn is not None and tbl[key]["customer"]["customerNumber"] != cn):
            return 404, {"error": "no such record"}
        rec = dict(tbl[key])
        changes = dict(data.get("changes") or {})
        for f in ("customerContactNumber", "customer", "lastUpdated", "objectVersion"):
            changes.pop(f, None)
        _merge(rec, changes)
        tbl[key] = contacts.touch(st, rec)
        return 200, to_jsonable(_public(rec))


def _create_contact(sb, cn, data):
    from .resources.parties import CustomerContacts

    record = dict(data["record"])
    if cn is None:
        cn = record.pop("customerNumber", None) or (record.get("customer") or {}).get(
            "customerNumber"
        )
    record.pop("customer", None)
    ctx = _fake_ctx(sb, "POST", "customers/%s/contacts" % cn, record)
    status, body, headers = CustomerContacts().h_post(ctx, str(cn))
    return 201, to_jsonable(body)


def _delete_contact(sb, cn, data):
    from . import contacts

    st = sb.state
    key = int(data["key"])
    with st.lock:
        tbl = contacts.table(st)
        if key not in tbl or (cn is not None and tbl[key]["customer"]["customerNumber"] != cn):
            return 404, {"error": "no such record"}
        del tbl[key]
    return 200, {"ok": True}


def _edit(sb, data):
    st = sb.state
    name = data["resource"]
    is_contact, cn = _contact_resource(name)
    if is_contact:
        return _edit_contact(sb, cn, data)
    res = _resource(name)
    key = _key(sb, name, data["key"])
    with st.lock:
        tbl = st.tables[name]
        if key not in tbl:
            return 404, {"error": "no such record"}
        rec = dict(tbl[key])
        _merge(rec, data.get("changes") or {})
        if name in ("invoices/drafts",) and "lines" in (data.get("changes") or {}):
            from .resources.invoices import price_lines

            st.base_url_hint = sb.rest_url
            price_lines(st, rec)
        if res is not None and res.stamp:
            rec["lastUpdated"] = st.clock.stamp()
        tbl[key] = rec
        sb.webhooks.record_change(name, "update", key, key)
        return 200, to_jsonable(_public(rec))


def _fake_ctx(sb, method, path, body):
    from .resources.base import Ctx

    return Ctx(sb, method, path, {}, "", json.dumps(to_jsonable(body)).encode("utf-8"), False)


def _create(sb, data):
    name = data["resource"]
    is_contact, cn = _contact_resource(name)
    if is_contact:
        return _create_contact(sb, cn, data)
    res = _resource(name)
    if res is None or "POST" not in res.methods:
        return 400, {"error": "cannot create %s" % name}
    ctx = _fake_ctx(sb, "POST", name, data["record"])
    status, body, headers = res.h_post(ctx)
    return 201, to_jsonable(body)


def _delete(sb, data):
    st = sb.state
    name = data["resource"]
    is_contact, cn = _contact_resource(name)
    if is_contact:
        return _delete_contact(sb, cn, data)
    key = _key(sb, name, data["key"])
    res = _resource(name)
    with st.lock:
        tbl = st.tables[name]
        if key not in tbl:
            return 404, {"error": "no such record"}
        if res is not None:
            res.check_delete(_fake_ctx(sb, "DELETE", name, {}), key, tbl[key])
        del tbl[key]
        sb.webhooks.record_change(name, "delete", key, key)
    return 200, {"ok": True}


def _renumber(sb, data):
    st = sb.state
    name = data["resource"]
    res = _resource(name)
    old, new = _key(sb, name, data["old"]), _key(sb, name, data["new"])
    with st.lock:
        tbl = st.tables[name]
        if old not in tbl:
            return 404, {"error": "no such record"}
        if new in tbl:
            return 409, {"error": "number %s is taken" % new}
        rec = dict(tbl.pop(old))
        rec[res.key] = new
        if res.stamp:
            rec["lastUpdated"] = st.clock.stamp()
        tbl[new] = rec
        if name == "customers":
            from .contacts import renumber_customer

            renumber_customer(st, old, new)
            for t in ("invoices/drafts", "invoices/booked"):
                for inv in st.tables[t].values():
                    if inv["customer"]["customerNumber"] == old:
                        inv["customer"] = {"customerNumber": new}
        if name == "products":
            for t in ("invoices/drafts", "invoices/booked"):
                for inv in st.tables[t].values():
                    for line in inv.get("lines", []):
                        if line.get("product", {}).get("productNumber") == old:
                            line["product"] = {"productNumber": new}
        sb.webhooks.record_change(name, "renumber", old, new)
        return 200, to_jsonable(_public(rec))
