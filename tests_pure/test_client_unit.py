"""Unit tests of the e-conomic client without the sandbox: filters, encodings, JSON, error
parsing, and the HTTP choke point against a scripted local server."""

import datetime
import email.utils
import logging
import socket
import threading
from decimal import Decimal

import pytest
from client_helpers import ScriptedServer, Sleeper
from wait_helpers import wait_until

from economic_client import (
    AuthenticationError,
    ConflictError,
    EconomicClient,
    EconomicError,
    EconomicTimeout,
    F,
    ForbiddenError,
    InvalidResponseError,
    NetworkError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    UnsafeURLError,
    ValidationError,
    build_filter,
    encode_legacy_id,
    parse_rate_limit,
    parse_retry_after,
)
from economic_client.errors import flatten_field_errors
from economic_client.jsonutil import dumps, loads

SECRET = "app-secret-TOKEN-0123456789"
GRANT = "grant-TOKEN-9876543210"


# ---------------------------------------------------------------- filters
def test_client_filter_escapes_documented_table():
    assert (
        str(F("name").eq("Ø & Sønner (A/S) $50*, [x]"))
        == "name$eq:Ø & Sønner $(A/S$) $$50$*$, $[x$]"
    )


def test_client_filter_operators_and_values():
    assert str(F("a").ne(1)) == "a$ne:1"
    assert str(F("a").gt(Decimal("1.50"))) == "a$gt:1.50"
    assert str(F("a").gte(Decimal("1E+3"))) == "a$gte:1000"
    assert str(F("a").lt(2.5)) == "a$lt:2.5"
    assert str(F("a").lte(datetime.date(2026, 1, 2))) == "a$lte:2026-01-02"
    assert str(F("barred").eq(True)) == "barred$eq:true"
    assert str(F("barred").eq(False)) == "barred$eq:false"
    assert str(F("ean").eq(None)) == "ean$eq:$null:"
    assert str(F("ean").not_null()) == "ean$ne:$null:"
    assert str(F("n").in_([1, 2, 3])) == "n$in:[1,2,3]"
    assert str(F("n").nin(["a,b", "c"])) == "n$nin:[a$,b,c]"
    # $like keeps the caller's * wildcards but escapes the rest
    assert str(F("name").like("*port (x)*")) == "name$like:*port $(x$)*"


def test_client_filter_any_of_renders_escapes_and_chunks():
    assert str(F("email").any_of(["a@x.dk"])) == "email$eq:a@x.dk"
    assert str(F("email").any_of(["a@x.dk", "b@y.dk", "a@x.dk"])) == (
        "(email$eq:a@x.dk$or:email$eq:b@y.dk)"
    )
    # like = contains; every special character escaped, a * too (no wildcard)
    assert str(F("name").any_of(["Ø (A/S) $5*, [x]", "b"], like=True)) == (
        "(name$like:Ø $(A/S$) $$5$*$, $[x$]$or:name$like:b)"
    )
    # inside $and:/$or: the chain stays one term
    assert str(F("barred").eq(False) & F("email").any_of(["a", "b"])) == (
        "barred$eq:false$and:(email$eq:a$or:email$eq:b)"
    )
    chunks = F("vat").any_of([str(i) for i in range(95)]).chunks()
    assert [len(c.value) for c in chunks] == [40, 40, 15]
    assert str(chunks[2]).startswith("(vat$eq:80$or:vat$eq:81$or:")
    assert [len(c.value) for c in F("v").any_of(range(5), limit=2).chunks()] == [2, 2, 1]
    with pytest.raises(ValueError):
        F("a").any_of([])
    with pytest.raises(ValueError):
        F("a").any_of([None], like=True)


def test_client_filter_datetimes_in_utc():
    cph = datetime.timezone(datetime.timedelta(hours=1))
    assert (
        str(F("lastUpdated").gte(datetime.datetime(2026, 1, 2, 1, 30, tzinfo=cph)))
        == "lastUpdated$gte:2026-01-02T00:30:00Z"
    )
    # naive = UTC, microseconds dropped
    assert (
        str(F("lastUpdated").gte(datetime.datetime(2026, 1, 2, 3, 4, 5, 999)))
        == "lastUpdated$gte:2026-01-02T03:04:05Z"
    )


def test_client_filter_grouping():
    flt = F("name").eq("Joe") & (F("city").like("*port") | F("age").lt(40))
    assert str(flt) == "name$eq:Joe$and:(city$like:*port$or:age$lt:40)"
    flt = (F("a").eq(1) & F("b").eq(2)) | F("c").eq(3)
    assert str(flt) == "(a$eq:1$and:b$eq:2)$or:c$eq:3"
    # same combinator flattens
    assert str(F("a").eq(1) & F("b").eq(2) & F("c").eq(3)) == "a$eq:1$and:b$eq:2$and:c$eq:3"
    assert str(build_filter({"name": "x", "balance__gt": 0})) == "name$eq:x$and:balance$gt:0"
    assert build_filter("raw$eq:1").render() == "raw$eq:1"
    assert build_filter(None) is None
    with pytest.raises(ValueError):
        F("a").in_([])
    with pytest.raises(ValueError):
        F("bad field").eq(1)


def test_client_filter_large_nin_is_anded_in_one_filter():
    text = str(F("n").nin(range(450)))
    parts = text.split("$and:")
    assert len(parts) == 3 and all(p.startswith("n$nin:[") for p in parts)
    assert str(F("x").eq(1) | F("n").nin(range(201))).startswith("x$eq:1$or:(n$nin:[")


# ---------------------------------------------------------------- encodings and JSON
def test_client_legacy_id_encoding():
    assert (
        encode_legacy_id("My Awesome Product_Discount5%") == "My_9_Awesome_9_Product_8_Discount5_3_"
    )
    assert encode_legacy_id("a_0_b") == "a_8_0_8_b"  # "_" first, so no double encoding
    assert encode_legacy_id("<>*%:&/\\_ ?.#+") == "_0__1__2__3__4__5__6__7__8__9__10__11__12__13_"
    assert encode_legacy_id("Æble-1") == "%C3%86ble-1"
    assert encode_legacy_id(42) == "42"


def test_client_json_decimals_round_trip():
    data = loads('{"balance": -1600.0, "exchangeRate": 100.000000, "n": 3, "s": "x"}')
    assert data["balance"] == Decimal("-1600.0") and isinstance(data["balance"], Decimal)
    assert isinstance(data["n"], int)
    assert (
        dumps(
            {
                "a": Decimal("0.1"),
                "b": Decimal("1E+2"),
                "c": Decimal("-0"),
                "d": 0.1,
                "e": datetime.date(2026, 8, 14),
                "f": 'Ø"\n',
            }
        )
        == '{"a":0.1,"b":100,"c":0,"d":0.1,"e":"2026-08-14","f":"Ø\\"\\n"}'
    )
    with pytest.raises(ValueError):
        dumps({"x": Decimal("NaN")})


def test_client_parse_headers():
    assert parse_rate_limit("token-limit-10000-per-60-seconds: 147/10000") == {
        "limit": 10000,
        "per_seconds": 60,
        "used": 147,
    }
    assert parse_rate_limit("garbage") is None
    assert parse_retry_after("7") == 7.0
    now = 1_800_000_000
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert parse_retry_after(date, now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after("nonsense") is None


# ---------------------------------------------------------------- error bodies
LEGACY_VALIDATION = {
    "message": "Validation error.",
    "developerHint": "Inspect validation errors and correct your request.",
    "logId": "c7ca5bc2-ad2d-4639-93f9-b22ba88c97d7",
    "httpStatusCode": 400,
    "errors": {
        "currency": {
            "errors": [
                {
                    "errorCode": "E06000",
                    "message": "currency does not exist.",
                    "value": "ZUL",
                    "developerHint": "...",
                }
            ]
        },
        "lines": [
            {
                "arrayIndex": 0,
                "unit": {
                    "errors": [
                        {"errorCode": "E06000", "message": "unit does not exist.", "value": 10}
                    ]
                },
                "unitNetPrice": {
                    "errors": [{"errorCode": "E04740", "message": "scale", "value": 10.12345}]
                },
            },
            {
                "arrayIndex": 1,
                "product": {"errors": [{"errorCode": "E04500", "message": "No identifiers"}]},
            },
        ],
        "recipient": {"vatZone": {"errors": [{"errorCode": "E04200", "message": "missing"}]}},
    },
    "logTime": "2015-03-12T16:44:56",
}


def test_client_flatten_annotated_errors():
    flat = flatten_field_errors(LEGACY_VALIDATION["errors"])
    by_path = {(f["path"], f["array_index"]): f for f in flat}
    assert by_path[("currency", None)]["error_code"] == "E06000"
    assert by_path[("currency", None)]["value"] == "ZUL"
    assert by_path[("lines.unit", 0)]["message"] == "unit does not exist."
    assert by_path[("lines.unitNetPrice", 0)]["error_code"] == "E04740"
    assert by_path[("lines.product", 1)]["error_code"] == "E04500"
    assert by_path[("recipient.vatZone", None)]["error_code"] == "E04200"
    assert len(flat) == 5
    # problem+json list, legacy list of strings, ASP.NET dict
    assert flatten_field_errors([{"message": "m", "errorCode": "X", "property": "name"}]) == [
        {"path": "name", "error_code": "X", "message": "m", "value": None, "array_index": None}
    ]
    assert (
        flatten_field_errors(["Filtering is not allowed"])[0]["message"]
        == "Filtering is not allowed"
    )
    assert flatten_field_errors({"Name": ["too long"]})[0]["path"] == "Name"


# ---------------------------------------------------------------- scripted server
@pytest.fixture
def server():
    srv = ScriptedServer().start()
    yield srv
    srv.stop()


@pytest.fixture
def sleeper():
    return Sleeper()


def make_client(server, sleeper, **kw):
    kw.setdefault("timeout", 5)
    kw.setdefault("max_attempts", 4)
    return EconomicClient(
        SECRET,
        GRANT,
        rest_url=server.url,
        apis_url=server.url,
        sleep=sleeper,
        random=lambda: 0.5,
        **kw,
    )


def test_client_sends_auth_headers_and_json(server, sleeper):
    server.add(201, {"customerNumber": 7, "balance": 1.50})
    client = make_client(server, sleeper)
    created = client.customers.create({"name": "Acme", "creditLimit": Decimal("1000.10")})
    assert created["balance"] == Decimal("1.50")
    req = server.requests[0]
    assert req["method"] == "POST" and req["path"] == "/customers"
    assert req["headers"]["X-AppSecretToken"] == SECRET
    assert req["headers"]["X-AgreementGrantToken"] == GRANT
    assert req["headers"]["Content-Type"] == "application/json"
    assert len(req["headers"]["Idempotency-Key"]) == 36  # uuid4
    assert req["body"] == b'{"name":"Acme","creditLimit":1000.10}'


def test_client_get_self_and_product_path(server, sleeper):
    server.add(200, {"agreementNumber": 1})
    server.add(200, {"productNumber": "A_B 1"})
    client = make_client(server, sleeper)
    assert client.get_self() == {"agreementNumber": 1}
    client.products.get("A_B 1")
    assert server.requests[0]["path"] == "/self"
    assert "Idempotency-Key" not in server.requests[0]["headers"]
    assert server.requests[1]["path"] == "/products/A_8_B_9_1"


def test_client_error_types_by_status(server, sleeper):
    cases = [
        (401, AuthenticationError),
        (403, ForbiddenError),
        (404, NotFoundError),
        (400, ValidationError),
        (409, ConflictError),
        (405, EconomicError),
    ]
    client = make_client(server, sleeper)
    for status, cls in cases:
        server.add(
            status,
            {
                "message": "m%d" % status,
                "errorCode": "E%d" % status,
                "developerHint": "h",
                "logId": "L%d" % status,
            },
            {"X-RequestId": "rid-%d" % status},
        )
        with pytest.raises(cls) as info:
            client.customers.get(1)
        err = info.value
        assert (
            err.status,
            err.error_code,
            err.message,
            err.developer_hint,
            err.log_id,
            err.request_id,
        ) == (status, "E%d" % status, "m%d" % status, "h", "L%d" % status, "rid-%d" % status)
    assert sleeper.calls == []  # 4xx are never retried


def test_client_problem_json_error(server, sleeper):
    server.add(
        404,
        {
            "type": "https://tools.ietf.org/html/rfc9110#section-15.5.5",
            "title": "Resource not found.",
            "status": 404,
            "traceId": "a2a259bbe959d8d5-CPH",
            "errorCode": "ResourceNotFound",
        },
        {"Content-Type": "application/problem+json"},
    )
    server.add(
        400,
        {
            "title": "Validation",
            "status": 400,
            "errorCode": "BadFilterRequest",
            "errors": [
                {
                    "message": "Filtering is not allowed on property 'x'",
                    "errorCode": "BadFilterRequest",
                    "property": "x",
                }
            ],
        },
    )
    client = make_client(server, sleeper)
    with pytest.raises(NotFoundError) as info:
        client.webhooks.get("CUSTOMER_UPDATED")
    assert info.value.error_code == "ResourceNotFound"
    assert info.value.log_id == "a2a259bbe959d8d5-CPH"
    assert info.value.message == "Resource not found."
    with pytest.raises(ValidationError) as info:
        client.supplier_contacts.list(filter=F("x").eq(1))
    assert info.value.field_errors[0]["path"] == "x"


def test_client_validation_error_field_errors(server, sleeper):
    server.add(400, LEGACY_VALIDATION)
    client = make_client(server, sleeper)
    with pytest.raises(ValidationError) as info:
        client.draft_invoices.create({"lines": []})
    err = info.value
    assert err.log_id == LEGACY_VALIDATION["logId"]
    assert {
        "path": "lines.unitNetPrice",
        "error_code": "E04740",
        "message": "scale",
        "value": Decimal("10.12345"),
        "array_index": 0,
    } in err.field_errors
    assert "lines.product[1]: No identifiers" in str(err)


def test_client_retry_after_http_date(server, sleeper):
    when = email.utils.formatdate(1_800_000_042, usegmt=True)
    server.add(429, {"message": "slow down"}, {"Retry-After": when})
    server.add(200, {"ok": 1})
    client = make_client(server, sleeper, wall_clock=lambda: 1_800_000_000)
    assert client.get_self() == {"ok": 1}
    assert sleeper.calls == [pytest.approx(42, abs=1)]


def test_client_retry_after_too_long_raises(server, sleeper):
    server.add(429, {"message": "slow down"}, {"Retry-After": "3600"})
    client = make_client(server, sleeper, max_retry_after=60)
    with pytest.raises(RateLimitedError) as info:
        client.get_self()
    assert info.value.retry_after == 3600
    assert sleeper.calls == []


def test_client_429_exhausted_raises_rate_limited(server, sleeper):
    for _ in range(3):
        server.add(429, {"message": "slow down"}, {"Retry-After": "1"})
    client = make_client(server, sleeper, max_attempts=3)
    with pytest.raises(RateLimitedError):
        client.get_self()
    assert sleeper.calls == [1, 1] and len(server.requests) == 3


def test_client_backoff_grows_exponentially_with_jitter(server, sleeper):
    for _ in range(4):
        server.add(503, "<html>busy</html>")
    client = EconomicClient(
        SECRET,
        GRANT,
        rest_url=server.url,
        sleep=sleeper,
        random=lambda: 1.0,
        backoff_base=1.0,
        max_attempts=4,
    )
    with pytest.raises(ServerError) as info:
        client.get_self()
    assert sleeper.calls == [1.0, 2.0, 4.0]
    assert "busy" in str(info.value)


def test_client_post_5xx_without_key_not_retried(server, sleeper):
    server.add(500, {"message": "boom"})
    client = make_client(server, sleeper)
    with pytest.raises(ServerError):
        client.request("POST", "/customers", json={"name": "x"}, idempotency_key=None)
    assert len(server.requests) == 1
    assert "Idempotency-Key" not in server.requests[0]["headers"]


def test_client_post_5xx_with_key_retried_same_key(server, sleeper):
    server.add(500, {"message": "boom"})
    server.add(201, {"customerNumber": 1})
    client = make_client(server, sleeper)
    client.customers.create({"name": "x"}, idempotency_key="my-key-1")
    keys = [r["headers"].get("Idempotency-Key") for r in server.requests]
    assert keys == ["my-key-1", "my-key-1"]


def test_client_rate_limit_slowdown(server, sleeper):
    server.add(200, {"a": 1}, {"X-RateLimiting": "token-limit-100-per-60-seconds: 95/100"})
    server.add(200, {"a": 2}, {"X-RateLimiting": "token-limit-100-per-60-seconds: 10/100"})
    server.add(200, {"a": 3})
    client = make_client(server, sleeper, clock=lambda: 1000.0)
    client.get_self()
    assert sleeper.calls == []  # nothing to wait for until the next request
    assert client.rate_limit == {"limit": 100, "per_seconds": 60, "used": 95}
    client.get_self()
    # (95 - 90) tokens above the 90 % mark refill at 100/60 per second: 3 s
    assert sleeper.calls == [pytest.approx(3.0)]
    client.get_self()
    assert sleeper.calls == [pytest.approx(3.0)]


def test_client_next_page_to_other_host_refused(server, sleeper):
    page = {
        "collection": [{"customerNumber": 1}],
        "pagination": {"nextPage": "https://evil.example.com/customers?skippages=1"},
    }
    server.add(200, page)
    client = make_client(server, sleeper)
    got = []
    with pytest.raises(UnsafeURLError):
        for item in client.customers.iter():
            got.append(item)
    assert got == []  # refused before any item of the page is handed out
    assert len(server.requests) == 1
    # same host, other port: refused too
    server.add(200, dict(page, pagination={"nextPage": server.url.rsplit(":", 1)[0] + ":1/x"}))
    with pytest.raises(UnsafeURLError):
        client.customers.list()


def test_client_follows_next_page_and_cursor(server, sleeper):
    server.add(
        200,
        {
            "collection": [{"n": 1}, {"n": 2}],
            "pagination": {"nextPage": server.url + "/customers?skippages=1&pagesize=2"},
        },
    )
    server.add(200, {"collection": [{"n": 3}], "pagination": {}})
    server.add(200, {"items": [{"number": 1}], "cursor": "abc"})
    server.add(200, {"items": [{"number": 2}]})
    client = make_client(server, sleeper)
    assert [c["n"] for c in client.customers.iter(sort="-name")] == [1, 2, 3]
    assert server.requests[0]["path"] == "/customers?skippages=0&pagesize=1000&sort=-name"
    assert server.requests[1]["path"] == "/customers?skippages=1&pagesize=2"
    assert [c["number"] for c in client.supplier_contacts.iter(filter={"supplierNumber": 5})] == [
        1,
        2,
    ]
    assert (
        server.requests[2]["path"] == "/suppliersapi/v2.0.0/Contacts?filter=supplierNumber%24eq%3A5"
    )
    assert server.requests[3]["path"].endswith("&cursor=abc")


def test_client_in_split_under_or_deduplicates(server, sleeper):
    def answer(srv, request):
        return 200, {}, {"collection": [{"self": "x/1"}, {"self": "x/2"}], "pagination": {}}

    server.default = (200, {}, {"collection": [], "pagination": {}})
    for _ in range(3):
        server.add(body=answer)
    client = make_client(server, sleeper)
    items = client.customers.list(filter=F("name").eq("a") | F("customerNumber").in_(range(450)))
    assert len(server.requests) == 3
    assert items == [{"self": "x/1"}, {"self": "x/2"}]


def test_client_malformed_and_redirect(server, sleeper):
    garbled = (200, b'{"collection": [', {"Content-Type": "application/json"})
    for _ in range(4):
        server.add(*garbled)
    server.add(302, b"", {"Location": "https://elsewhere.example.com/"})
    client = make_client(server, sleeper)
    # a GET garbled every time: retried like a 5xx, then InvalidResponseError
    with pytest.raises(InvalidResponseError):
        client.customers.list()
    assert len(server.requests) == 4 and sleeper.calls == [0.375, 0.75, 1.5]
    # a redirect is not retried
    with pytest.raises(InvalidResponseError):
        client.get_self()
    assert len(server.requests) == 5


def test_client_malformed_write_retried_only_with_key(server, sleeper):
    garbled = (200, b"<html>proxy</html>", {"Content-Type": "text/html"})
    client = make_client(server, sleeper)
    # POST and PUT without a key: e-conomic did the work; not sent again
    for method in ("POST", "PUT"):
        server.add(*garbled)
        with pytest.raises(InvalidResponseError):
            client.request(method, "/customers", json={"name": "x"}, idempotency_key=None)
    assert len(server.requests) == 2 and sleeper.calls == []
    # with a key: sent again with the same key, the answer (the cached one) is returned
    server.add(*garbled)
    server.add(201, {"customerNumber": 9})
    assert client.customers.create({"name": "y"}) == {"customerNumber": 9}
    keys = [r["headers"]["Idempotency-Key"] for r in server.requests[2:]]
    assert len(keys) == 2 and keys[0] == keys[1] and len(sleeper.calls) == 1


def test_client_tokens_never_leak(server, sleeper, caplog):
    caplog.set_level(logging.DEBUG)
    # a server that echoes the token back in its error body
    server.add(500, {"message": "bad token %s" % SECRET, "developerHint": GRANT})
    server.add(401, {"message": "grant %s rejected" % GRANT, "errors": [SECRET]})
    client = make_client(server, sleeper, max_attempts=1)
    errors = []
    for _ in range(2):
        with pytest.raises(EconomicError) as info:
            client.get_self()
        errors.append(info.value)
    errors.append(NetworkError("x"))
    closed = EconomicClient(
        SECRET,
        GRANT,
        rest_url="http://127.0.0.1:%d" % _closed_port(),
        sleep=sleeper,
        max_attempts=1,
    )
    with pytest.raises(NetworkError) as info:
        closed.get_self()
    errors.append(info.value)
    for err in errors:
        for text in (
            str(err),
            repr(err),
            str(err.body),
            str(err.errors),
            str(err.field_errors),
            str(err.args),
        ):
            assert SECRET not in text and GRANT not in text
    assert SECRET not in caplog.text and GRANT not in caplog.text
    assert SECRET not in repr(client) and GRANT not in repr(client)
    assert "GET /self -> 500" in caplog.text


def _closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_client_unreachable_host_network_error(sleeper):
    client = EconomicClient(
        SECRET,
        GRANT,
        rest_url="http://127.0.0.1:%d" % _closed_port(),
        sleep=sleeper,
        random=lambda: 0.0,
        max_attempts=3,
    )
    with pytest.raises(NetworkError) as info:
        client.get_self()
    assert not isinstance(info.value, EconomicTimeout)
    assert "could not connect" in str(info.value)
    assert len(sleeper.calls) == 2  # connect failures are safe to retry, even for POST
    with pytest.raises(NetworkError):
        client.request("POST", "/customers", json={}, idempotency_key=None)
    assert len(sleeper.calls) == 4


def test_client_constructor_contract():
    client = EconomicClient("a", "b")
    assert client.rest_url == "https://restapi.e-conomic.com"
    assert client.apis_url == "https://apis.e-conomic.com"
    assert client.timeout == 30.0 and client.max_attempts == 4
    with pytest.raises(ValueError):
        EconomicClient("", "b")


def test_client_put_retry_rules(server, sleeper):
    release = threading.Event()  # the slow answers wait for it: set when the test is done
    slow_done = []

    def slow(srv, request):
        release.wait(10)
        slow_done.append(request["method"])
        return 200, {}, {"slow": True}

    client = make_client(server, sleeper, timeout=0.15, max_attempts=3)
    # PUT is idempotent: a 503 is retried even without a key
    server.add(503, {"message": "busy"})
    server.add(200, {"customerNumber": 5})
    assert client.request("PUT", "/customers/5", json={"name": "x"}, idempotency_key=None) == {
        "customerNumber": 5
    }
    assert len(server.requests) == 2
    # ...but a PUT timeout without a key is not (e-conomic may have done the work)
    server.add(body=slow)
    with pytest.raises(EconomicTimeout):
        client.request("PUT", "/customers/5", json={"name": "x"}, idempotency_key=None)
    assert len(server.requests) == 3
    # a GET timeout is retried, and so is a keyed POST timeout (same key)
    server.add(body=slow)
    server.add(200, {"ok": 1})
    assert client.get_self() == {"ok": 1}
    assert len(server.requests) == 5
    server.add(body=slow)
    server.add(201, {"customerNumber": 9})
    assert client.customers.create({"name": "y"}) == {"customerNumber": 9}
    keys = [r["headers"]["Idempotency-Key"] for r in server.requests[5:]]
    assert len(keys) == 2 and keys[0] == keys[1]
    # the three slow handlers answer (to nobody) before the server stops
    release.set()
    wait_until(lambda: len(slow_done) == 3, 5, lambda: "slow handlers done: %r" % slow_done)


def test_client_errors_pickle_and_str():
    import pickle

    err = ValidationError(
        "Validation error.",
        status=400,
        error_code="E04740",
        log_id="L1",
        field_errors=[
            {
                "path": "lines.unitNetPrice",
                "array_index": 2,
                "error_code": "E04740",
                "message": "scale",
                "value": None,
            }
        ],
    )
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is ValidationError and copy.field_errors == err.field_errors
    assert str(copy) == str(err)
    assert "lines.unitNetPrice[2]: scale" in str(err) and "logId L1" in str(err)
    assert isinstance(EconomicTimeout("x"), NetworkError)
    assert RateLimitedError(retry_after=3).retry_after == 3
