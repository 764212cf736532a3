"""The webhook part of ``tools/bench_sync.py``: e-conomic's bursts against a running Odoo.

Odoo's HTTP server is started in the benchmark's process (threaded, as ``odoo-bin`` with no
workers); the sandbox is reset to ``--webhook-customers N`` customers (2,000), which are pulled
first (not measured). Then ``--webhooks M`` "Customer updated" requests (10,000; every customer
several times, shuffled) are sent as fast as possible by a separate process (16 connections):
requests per second answered, and their statuses. Then the scheduled action processes the
events: the time until every event is processed, with the API requests and queries it took.
"""

import json
import os
import random
import socket
import subprocess
import sys
import time

CONNECTIONS = 16


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_http():
    """Odoo's threaded HTTP server on a free loopback port; returns its base URL."""
    import odoo
    from odoo.service import server
    from odoo.tools import config

    port = free_port()
    config["http_interface"] = "127.0.0.1"
    config["http_port"] = port
    srv = server.ThreadedServer(odoo.http.root)
    srv.http_spawn()
    return "http://127.0.0.1:%d" % port


def bench_webhooks(args, bench, env, backend):
    sb = bench.sb
    sb.reset(seed="empty", customers=args.webhook_customers)
    backend.action_refresh_references()
    setting = backend._entity_setting("customer")
    setting.write({"pull": True, "auto": True, "last_pull_at": False, "last_full_pass": False})
    env.cr.commit()
    env["economic.sync.engine"]._run_pass(backend, entities=["customer", "customer_contact"])
    base = start_http()
    env["ir.config_parameter"].sudo().set_param("web.base.url", base)
    env.cr.commit()
    url = backend._webhook_url("customer_updated", with_merge_fields=False)
    numbers = [n % args.webhook_customers + 1 for n in range(args.webhooks)]
    random.Random(7).shuffle(numbers)

    def send():
        out = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--send", url],
            input=json.dumps(numbers),
            capture_output=True,
            text=True,
            check=True,
        )
        result = json.loads(out.stdout)
        return "%.0f requests/s answered, statuses %s" % (
            len(numbers) / result["seconds"],
            result["statuses"],
        )

    bench.measure("webhooks: %d requests" % args.webhooks, send)
    Event = env["economic.webhook.event"]
    env.cr.commit()  # a new snapshot: what the HTTP requests committed
    env.invalidate_all()
    pending = Event.search_count([("backend_id", "=", backend.id), ("state", "=", "pending")])
    hits = sum(Event.search([("backend_id", "=", backend.id)]).mapped("hits"))
    print("webhook events recorded: %d pending, %d requests counted" % (pending, hits), flush=True)

    def process():
        t0 = time.perf_counter()
        env["economic.backend"]._cron_run_connection(backend.id)
        env.invalidate_all()
        left = Event.search_count([("backend_id", "=", backend.id), ("state", "=", "pending")])
        done = Event.search_count([("backend_id", "=", backend.id), ("state", "=", "done")])
        return "%d processed, %d left, in %.2f s" % (done, left, time.perf_counter() - t0)

    # the connection's pass is not due: only the events are processed
    backend.next_pass_date = "2999-01-01 00:00:00"
    env.cr.commit()
    bench.measure("webhook events processed", process)


def send(url):
    """Run in a separate process: POST every number of stdin's JSON list to ``url`` from
    ``CONNECTIONS`` threads (one keep-alive session each); print the seconds and statuses."""
    from collections import Counter
    from concurrent.futures import ThreadPoolExecutor

    import requests

    numbers = json.loads(sys.stdin.read())
    chunks = [numbers[i::CONNECTIONS] for i in range(CONNECTIONS)]

    def run(chunk):
        statuses = Counter()
        with requests.Session() as session:
            for number in chunk:
                response = session.post(url, params={"new": number, "old": number}, timeout=60)
                statuses[response.status_code] += 1
        return statuses

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CONNECTIONS) as pool:
        total = sum(pool.map(run, chunks), Counter())
    seconds = time.perf_counter() - t0
    print(json.dumps({"seconds": seconds, "statuses": dict(total)}))


if __name__ == "__main__" and sys.argv[1:2] == ["--send"]:
    send(sys.argv[2])
