"""Many connections on Odoo's cron workers (issue 19 §3): ``make bench-sync
BENCH_ARGS="--connections N --cron-threads M --customers C"``.

N connections (N companies, each connected to a sandbox of its own with C customers and
``--contacts`` contacts each) are made on the bench database; then, on two copies of it
(``CREATE DATABASE ... TEMPLATE``, so that both runs start from the same state), a real Odoo
server (``odoo server --no-http --max-cron-threads T``, as ``tests_process`` starts it:
``process_helpers.OdooDatabase.serve_cron``) runs the connections' own scheduled actions, first
with one cron thread, then with M (in each of ``--cron-servers`` servers sharing the copy: the
threads of one server share its Python interpreter lock, those of several servers do not).
Printed for each: the wall time from waking the crons until
every connection's first pass is done (its ``last_pass_end`` written, no pass under way), the
server's peak resident set (``VmHWM``) and the customers bound; then the speed-up.

The sandboxes run in this (the bench's) process and answer every server's requests: on a
machine with few cores they share the CPU with the servers, which bounds the speed-up.
"""

import datetime
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests_process"))

from process_helpers import REGISTRY_LOADED, OdooDatabase, OdooSetup  # noqa: E402

#: the connections whose first pass is done (and none under way)
DONE = (
    "SELECT count(*), coalesce(sum(CASE WHEN last_pass_state = 'failed' THEN 1 END), 0) "
    "FROM economic_backend WHERE id IN %s AND last_pass_end IS NOT NULL AND pass_resume IS NULL"
)
STARTED = "SELECT count(*) FROM economic_backend WHERE id IN %s AND next_pass_date IS NOT NULL"
BOUND = "SELECT count(*) FROM economic_partner_binding WHERE backend_id IN %s AND kind = 'customer'"


def make_connections(args, env, sandboxes):
    """One connection per sandbox, each of a company of its own (the first: the main
    company); their scheduled actions made ready; committed. Returns the connections' ids."""
    from bench_sync import make_backend

    ids = []
    for index, sb in enumerate(sandboxes):
        name = "Bench %d" % (index + 1)
        company = None
        if index:
            company = env["res.company"].search([("name", "=", name)], limit=1)
            company = company or env["res.company"].create({"name": name})
        ids.append(make_backend(env, sb, company=company, name=name).id)
    ready_only(env, env["economic.backend"].browse(ids))
    env.cr.commit()
    return ids


def ready_only(env, backends):
    """Only the connections' scheduled actions ready (with the production time budget); their
    next passes after a day (the bench measures the first)."""
    backends.write(
        {"sync_interval_number": 1, "sync_interval_type": "days", "next_pass_date": False}
    )
    now = datetime.datetime.now()
    env["ir.cron"].search([("id", "not in", backends.cron_id.ids)]).write(
        {"nextcall": now + datetime.timedelta(days=365)}
    )
    backends.cron_id.write({"nextcall": now})
    env["ir.cron.trigger"].search([]).unlink()


def server_peak_mb(process):
    """The peak resident set of the server process (``VmHWM``), in MB (1,000 KiB, as the
    bench's other figures)."""
    try:
        with open("/proc/%d/status" % process.proc.pid) as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1e3
    except OSError:
        pass
    return 0.0


def run_crons(setup, ids, threads, timeout, servers=1):
    """A copy of the bench database served by ``servers`` Odoo servers with ``threads`` cron
    threads each: seconds until every connection's first pass is done, the servers' highest
    peak RSS, the customers bound, the failed passes and the WARNING/ERROR lines."""
    db = OdooDatabase(setup, "%s_s%dt%d" % (setup.template, servers, threads)).create()
    running = []
    try:
        running = [db.serve_cron(cron_threads=threads, wait=False) for _i in range(servers)]
        for server in running:
            server.wait_for(REGISTRY_LOADED, timeout=180)
        t0 = time.perf_counter()
        key = (tuple(ids),)
        done, failed, started = 0, 0, 0
        while time.perf_counter() - t0 < timeout:
            if started < len(ids):
                # the cron threads listen only once the server runs, after its registry is
                # loaded: woken until every connection's pass has started (else a thread
                # that missed the first call sleeps up to a minute, Odoo's poll)
                db.wake_crons()
                started = db.sql(STARTED, key)[0][0]
            done, failed = db.sql(DONE, key)[0]
            if done == len(ids) or any(s.proc.poll() is not None for s in running):
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - t0
        peak = max(server_peak_mb(server) for server in running)
        bound = db.sql(BOUND, key)[0][0]
        bad = [line for server in running for line in server.bad_lines()]
    finally:
        for server in running:
            server.kill()
        db.drop()
    if done < len(ids):
        raise SystemExit(
            "%d server(s) x %d thread(s): only %d of %d connections done in %ss; output:\n%s"
            % (servers, threads, done, len(ids), timeout, running[0].output[-4000:])
        )
    return seconds, peak, bound, failed, bad


def bench_connections(args, registry, sandboxes):
    """The bench of ``--connections``: prints one line per thread count and the speed-up."""
    import odoo
    from odoo import api, sql_db

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        ids = make_connections(args, env, sandboxes)
    sql_db.close_db(args.db)  # a template database takes no other session
    setup = OdooSetup(
        python=sys.executable,
        addons_path=args.addons_path,
        db_host=args.db_host,
        db_port=str(args.db_port),
        db_user=args.db_user,
        data_dir=args.data_dir or odoo.tools.config["data_dir"],
        template=args.db,
        log_dir="",
    )
    print(
        "%d connections x %d customers x %d contacts, Odoo servers on a copy of the database "
        "(odoo server --no-http --max-cron-threads T):" % (len(ids), args.customers, args.contacts),
        flush=True,
    )
    runs = [(1, 1)]
    if args.cron_threads != 1 or args.cron_servers != 1:
        runs.append((args.cron_servers, args.cron_threads))
    times = []
    for servers, threads in runs:
        seconds, peak, bound, failed, bad = run_crons(setup, ids, threads, args.timeout, servers)
        times.append(seconds)
        print(
            "  %d server(s) x %d cron thread(s): every first pass done in %8.1fs  (%6.2f ms per "
            "customer with its contacts)  peak RSS of a server %6.0f MB  %d customers bound  "
            "%d failed%s"
            % (
                servers,
                threads,
                seconds,
                1000 * seconds / max(1, len(ids) * args.customers),
                peak,
                bound,
                failed,
                "  WARNING/ERROR lines: %s" % bad[:3] if bad else "",
            ),
            flush=True,
        )
    if len(times) > 1:
        print("  speed-up against one thread: %.2fx" % (times[0] / times[1]), flush=True)
