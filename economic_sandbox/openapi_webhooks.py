"""webhooksapi v1.0.0 on the "apis" host (see openapi.py for the conventions)."""

import json
import re
from urllib.parse import urlsplit

from .openapi_common import Service, _body, _check_version, _str, problem
from .webhooks import EVENT_TYPES

# ------------------------------------------------------------------ webhooksapi

WEBHOOK_FILTERS = ["eventType", "name", "url", "isDisabled", "lastDisabledDate", "lastUpdated"]
URL_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


def _wh_wire(ctx, w):
    out = {
        "eventType": w["eventType"],
        "name": w["name"],
        "url": w["url"],
        "contentType": w["contentType"],
    }
    if w.get("postData") is not None:
        out["postData"] = w["postData"]
    if w.get("customHeaders"):
        out["customHeaders"] = [dict(h) for h in w["customHeaders"]]
    if w.get("isDisabled"):
        out["isDisabled"] = True
    if w.get("lastDisabledDate"):
        out["lastDisabledDate"] = w["lastDisabledDate"]
    out["lastUpdated"] = w["lastUpdated"]
    out["objectVersion"] = w["objectVersion"]
    return out


class _WebhookService(Service):
    def records(self, ctx):
        tbl = ctx.st.t("openapi/webhooks")
        return [tbl[k] for k in tbl.sorted_keys()]

    def parse(self, raw):
        return raw


WEBHOOKS = _WebhookService(
    "openapi/webhooks", "eventType", WEBHOOK_FILTERS, ["eventType", "name"], _wh_wire
)


def _wh_error(code, message, prop):
    return problem(
        400, "Validation error.", code, [{"message": message, "errorCode": code, "property": prop}]
    )


def _check_url(url):
    """RFC 3986 absolute URL (WebhookInvalidUrl), then HTTPS only (WebhookInvalidUrlScheme): no
    exception for loopback hosts; tests use the admin https-downgrade switch instead."""
    try:
        parts = urlsplit(url)
        ok = bool(URL_CHARS.match(url) and parts.scheme and parts.hostname)
    except ValueError:
        ok = False
    if not ok:
        raise _wh_error("WebhookInvalidUrl", "The URL has invalid format (check RFC 3986).", "url")
    if parts.scheme.lower() != "https":
        raise _wh_error(
            "WebhookInvalidUrlScheme", "Only HTTPS is allowed for the webhook URL.", "url"
        )


def _webhook_fields(ctx, b):
    et = _str(b, "eventType", 100, required=True)
    if et not in {e["name"] for e in EVENT_TYPES}:
        raise _wh_error(
            "WebhookInvalidType", "An unknown/unsupported webhook event type.", "eventType"
        )
    name = _str(b, "name", 100, required=True)
    url = _str(b, "url", 1000, required=True)
    ctype = _str(b, "contentType", 50, required=True)
    post = _str(b, "postData", 4000)
    _check_url(url)
    headers = b.get("customHeaders") or []
    if not isinstance(headers, list):
        raise _wh_error(
            "WebhookCustomHeaderInvalid",
            "customHeaders must be a list of key/value pairs.",
            "customHeaders",
        )
    if len(headers) > 5:
        raise _wh_error(
            "WebhookCustomHeadersTooMany", "At most 5 custom headers are allowed.", "customHeaders"
        )
    clean_headers = []
    for h in headers:
        if (
            not isinstance(h, dict)
            or not isinstance(h.get("key"), str)
            or not isinstance(h.get("value"), str)
            or not h["key"]
            or any(not (32 <= ord(ch) < 127) for ch in h["key"])
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in h["value"])
        ):
            raise _wh_error(
                "WebhookCustomHeaderInvalid",
                "One or more custom headers contain invalid characters (e.g. CRLF or non-printable).",
                "customHeaders",
            )
        clean_headers.append({"key": h["key"], "value": h["value"]})
    if len(json.dumps(clean_headers)) > 1000:
        raise _wh_error(
            "WebhookCustomHeadersTooLong",
            "Custom headers exceed the maximum allowed length "
            "(1000 characters when serialized as JSON).",
            "customHeaders",
        )
    dis = b.get("isDisabled", False)
    if dis is None:
        dis = False
    if not isinstance(dis, bool):
        raise _wh_error("ValidationError", "The field isDisabled must be a boolean.", "isDisabled")
    return {
        "eventType": et,
        "name": name,
        "url": url,
        "contentType": ctype,
        "postData": post,
        "customHeaders": clean_headers,
        "isDisabled": bool(dis),
    }


def webhook_post(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        f = _webhook_fields(ctx, b)
        tbl = ctx.st.t("openapi/webhooks")
        if f["eventType"] in tbl:
            raise _wh_error(
                "WebhookAlreadyExistsForEventType",
                "A webhook for this event type already exists for the agreement. Only one webhook per "
                "event type is allowed.",
                "eventType",
            )
        tbl[f["eventType"]] = dict(
            f,
            lastUpdated=ctx.st.clock.stamp(),
            objectVersion=ctx.st.object_version(),
            lastDisabledDate=ctx.st.clock.stamp() if f["isDisabled"] else None,
        )
    return 201, {"eventType": f["eventType"]}, {}


def webhook_put(ctx):
    b = _body(ctx)
    with ctx.st.lock:
        tbl = ctx.st.t("openapi/webhooks")
        rec = tbl.get(b.get("eventType"))
        if rec is None:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        _str(b, "objectVersion", 100, required=True)
        _check_version(b, rec)
        f = _webhook_fields(ctx, b)
        ldd = rec.get("lastDisabledDate")
        if f["isDisabled"] and not rec.get("isDisabled"):
            ldd = ctx.st.clock.stamp()
        tbl[f["eventType"]] = dict(
            f,
            lastUpdated=ctx.st.clock.stamp(),
            objectVersion=ctx.st.object_version(),
            lastDisabledDate=ldd,
        )
    return 204, None, {}


def webhook_delete(ctx, et):
    with ctx.st.lock:
        tbl = ctx.st.t("openapi/webhooks")
        if et not in tbl:
            raise problem(404, "Resource not found.", "ResourceNotFound", errs=[])
        del tbl[et]
    return 204, None, {}
