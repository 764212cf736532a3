#!/usr/bin/env python3
"""Benchmark of the partner sync engine (not part of the test suite).

Seeds an in-process e-conomic sandbox with N customers (2 contacts each), then measures on a
real Odoo database: the initial pull, a pass with no change, a pass with 100 remote changes, and
as the floor a plain ``res.partner.create`` of the same N rows. For each: seconds, API requests
(sandbox request log), SQL queries (``odoo.sql_db.sql_counter``) and peak RSS.

Run it with ``make bench-sync`` (``BENCH_ARGS="--customers 2000"`` for a smaller run): the
harness starts a throwaway PostgreSQL cluster and passes the connection options. By hand, with
Odoo 18 on ``PYTHONPATH`` and an addons path in which this repository is named ``economic_sync``::

    python tools/bench_sync.py --db BENCH_DB --db-host 127.0.0.1 --db-port PORT --db-user USER \\
        --addons-path ODOO/odoo/addons,FOLDER_HOLDING_economic_sync --customers 10000

The database is created (with economic_sync installed, no demo data) when it does not exist;
``--drop`` drops it first. Passes commit per page, as in production.
"""

import argparse
import os
import resource
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mb():
    """Current resident set size in MB (Linux), and the peak so far."""
    current = 0.0
    try:
        with open("/proc/self/statm") as fh:
            current = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3
    return current, peak


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="b_bench")
    parser.add_argument("--db-host", default="127.0.0.1")
    parser.add_argument("--db-port", default="55432")
    parser.add_argument("--db-user", default="odoo")
    parser.add_argument("--db-password", default=None)
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--customers", type=int, default=10000)
    parser.add_argument("--contacts", type=int, default=2, help="contacts per customer")
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--drop", action="store_true")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the initial pull to FILE"
    )
    args = parser.parse_args()

    sys.path.insert(0, ROOT)
    import odoo
    from odoo import api, sql_db
    from odoo.service import db as db_service
    from odoo.tools import config

    cfg = [
        "--db_host",
        args.db_host,
        "--db_port",
        str(args.db_port),
        "--db_user",
        args.db_user,
        "--addons-path",
        args.addons_path,
        "--without-demo",
        "all",
        "--workers",
        "0",
        "--max-cron-threads",
        "0",
        "--log-level",
        "warn",
    ]
    if args.data_dir:
        cfg += ["--data-dir", args.data_dir]
    if args.db_password:
        cfg += ["--db_password", args.db_password]
    config.parse_config(cfg)
    odoo.netsvc.init_logger()

    from economic_sandbox import Sandbox
    from economic_sandbox.store import Table

    if args.drop and args.db in db_service.list_dbs(True):
        db_service.exp_drop(args.db)
    if args.db not in db_service.list_dbs(True):
        print("creating database %s and installing economic_sync ..." % args.db, flush=True)
        db_service._create_empty_database(args.db)
        config["init"] = {"economic_sync": 1}
        odoo.modules.registry.Registry.new(args.db, update_module=True)
        config["init"] = {}
    registry = odoo.modules.registry.Registry(args.db)

    try:  # the sandbox seeds contacts itself (flat, agreement-wide store)
        sb = Sandbox(seed="empty", customers=args.customers, contacts_per_customer=args.contacts)
        seeded_contacts = True
    except TypeError:
        sb = Sandbox(seed="empty", customers=args.customers)
        seeded_contacts = False
    sb.start()
    st = sb.state
    # seeded long ago: the lookback window of the next passes does not cover them
    old_stamp = "2020-01-01T00:00:00Z"
    with st.lock:
        contacts = st.tables["customer-contacts"]
        if not seeded_contacts:
            k = 0
            for number in list(st.tables["customers"]):
                tbl = contacts.setdefault(number, Table())
                for i in range(args.contacts):
                    k += 1
                    tbl[k] = {
                        "customerContactNumber": k,
                        "name": "Contact %d-%d" % (number, i),
                        "email": "c%d.%d@example.com" % (number, i),
                        "phone": "+45%08d" % k,
                        "customer": {"customerNumber": number},
                        "sortKey": i + 1,
                    }
        else:
            for number, rec in list(contacts.items()):
                contacts[number] = dict(rec, lastUpdated=old_stamp)
        for number, rec in list(st.tables["customers"].items()):
            st.tables["customers"][number] = dict(rec, lastUpdated=old_stamp)
    info = sb.info
    results = []

    def measure(label, func):
        sb.request_log.clear()
        q0 = sql_db.sql_counter
        t0 = time.perf_counter()
        out = func()
        seconds = time.perf_counter() - t0
        queries = sql_db.sql_counter - q0
        requests = len(sb.request_log)
        _cur, peak = rss_mb()
        results.append((label, seconds, requests, queries, peak))
        print(
            "%-28s %8.2fs %7d requests %9d queries  peak RSS %7.0f MB  %s"
            % (label, seconds, requests, queries, peak, out or ""),
            flush=True,
        )

    with registry.cursor() as cr:
        env = api.Environment(cr, odoo.SUPERUSER_ID, {})
        company = env.company
        company.country_id = env.ref("base.dk")
        old = (
            env["economic.backend"]
            .with_context(active_test=False)
            .search([("company_id", "=", company.id)])
        )
        if old:
            env["economic.partner.binding"].search(
                [("backend_id", "in", old.ids)]
            ).partner_id.with_context(active_test=False).unlink()
            old.unlink()
        backend = env["economic.backend"].create(
            {
                "name": "Bench",
                "app_secret_token": info["app_secret_token"],
                "agreement_grant_token": info["agreement_grant_token"],
                "rest_url": info["rest_url"],
                "apis_url": info["apis_url"],
                "timeout": 60,
            }
        )
        cr.commit()
        backend.action_refresh_references()
        for ref in env["economic.reference"].search(
            [
                ("backend_id", "=", backend.id),
                ("kind", "=", "payment_term"),
                ("payment_term_id", "=", False),
            ]
        ):
            ref.payment_term_id = env["account.payment.term"].create({"name": ref.name})
        cr.commit()

        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        measure("initial pull", lambda: backend._run_pass().get("created"))
        if args.profile:
            profiler.disable()
            profiler.dump_stats(args.profile)
        measure("no-change pass", lambda: backend._run_pass().get("updated"))

        def remote_changes():
            with st.lock:
                stamp = st.clock.stamp()
                for number in list(st.tables["customers"])[: args.changes]:
                    rec = dict(st.tables["customers"][number])
                    rec["city"] = "Changed City"
                    rec["lastUpdated"] = stamp
                    st.tables["customers"][number] = rec

        remote_changes()
        measure(
            "pass, %d remote changes" % args.changes, lambda: backend._run_pass().get("updated")
        )

        def floor():
            vals = [
                {
                    "name": "Floor %d" % i,
                    "email": "floor%d@example.com" % i,
                    "customer_rank": 1,
                    "is_company": True,
                }
                for i in range(args.customers)
            ]
            partners = env["res.partner"].create(vals)
            env.flush_all()
            count = len(partners)
            cr.rollback()
            return count

        measure("floor: res.partner.create", floor)
    sb.stop()
    print("\nbindings: %d customers x %d contacts" % (args.customers, args.contacts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
