#!/usr/bin/env python3
"""Benchmark of the sync engine: partners, products, invoices, webhooks (not in the test suite).

Partners: seeds an in-process e-conomic sandbox with N customers (2 contacts each), then
measures on a real Odoo database: the initial pull, a pass with no change (the partner
entities, then every entity), a full pass with no change (every key read and compared: the
daily deletion check), a pass with 100 remote changes, and as the floor a plain
``res.partner.create`` of the same N rows.

Products (after the partners, on a sandbox reset to N products): the initial product pull
(``economic.sync.engine._run_pass(backend, entities=["product"])``), a product pass with no
change, a full product pass with no change (the daily one: every product read and compared),
and as the floor one ``product.product`` create of the same N rows (name, internal
reference, sales price, cost, barcode, category, unit; no tracking and no "created" message,
as the engine's batch creates). While the engine has no ``product`` entity the bench prints
"product entity not available" and goes on.

For each step: seconds, API requests (sandbox request log), SQL queries
(``odoo.sql_db.sql_counter``) and memory: the resident set before the step, the highest
resident set during it (sampled every 10 ms and after every commit), their difference (what
the step itself added: the sandbox's store is seeded before, so this is the engine's and
Odoo's growth) and the process's peak RSS so far (``ru_maxrss``, the figure of earlier runs).

Run it with ``make bench-sync`` (``BENCH_ARGS="..."`` passes options): the harness starts a
throwaway PostgreSQL cluster and passes the connection options. By hand, with Odoo 18 on
``PYTHONPATH`` and an addons path in which this repository is named ``economic_sync``::

    python tools/bench_sync.py --db BENCH_DB --db-host 127.0.0.1 --db-port PORT --db-user USER \\
        --addons-path ODOO/odoo/addons,FOLDER_HOLDING_economic_sync --customers 10000

Options:

``--customers N`` (10000), ``--contacts N`` per customer (2), ``--changes N`` remote changes of
the third partner pass (100), ``--products N`` (20000), ``--invoices N`` (5000) of
``--invoice-lines L`` lines (5), ``--skip-partners``, ``--skip-products``,
``--skip-invoices``, ``--webhooks N`` (10000) requests for ``--webhook-customers N`` (2000),
``--skip-webhooks``, ``--entries N`` (50000) journal entries of one year, ``--skip-entries``:
the counts and which part runs. Invoices: ``tools/bench_invoices.py``; webhooks:
``tools/bench_webhooks.py``; journal entries: ``tools/bench_entries.py``.

``--connections N`` (with ``--cron-threads M``, 2; ``--cron-servers S``, 1; ``--timeout``
seconds, 3600): instead of the steps above, N connections (N companies, N sandboxes of
``--customers`` customers each) pulled by the connections' own scheduled actions in a real Odoo
server with one cron thread, then in S servers with M cron threads each:
the wall time until every first pass is done, and the speed-up (``tools/bench_connections.py``).

``--skip-floors``: no floor step of the partners and products (at 100,000 records a plain
``create`` of them all in one call holds gigabytes).

``--page-rss``: print the resident set after every commit (one commit per page) of the
initial pulls, to see whether memory grows page after page.

``--tracemalloc``: trace Python allocations during the initial partner pull and print the 15
allocation sites (``--top N``) that grew most between its start and its end (what a finished
pull keeps), and those of the commit point where the traced heap was largest (just before
that commit, while the ORM cache still holds the page), with their
share per package (engine, Odoo, sandbox, client). ``--frames N`` (default 1) keeps N frames
per allocation: with more than one, each site also names the innermost line of this addon
that led to it. Tracing makes the pull several times slower: timings of such a run do not
count.

``--profile FILE``: write a cProfile of the initial partner pull to FILE
(``python -m pstats FILE``).

The database is created (with economic_sync installed, no demo data) when it does not exist;
``--drop`` drops it first. Passes commit per page, as in production.

Examples::

    make bench-sync BENCH_ARGS="--customers 2000 --skip-products"
    make bench-sync BENCH_ARGS="--customers 2000 --skip-products --page-rss --tracemalloc"
    make bench-sync BENCH_ARGS="--skip-partners --products 20000"
"""

import argparse
import gc
import os
import resource
import sys
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: seeded long ago: the lookback window of the next passes does not cover them
OLD_STAMP = "2020-01-01T00:00:00Z"
PARTNER_KINDS = ("customer", "customer_contact", "supplier", "supplier_contact")


# ---------------------------------------------------------------------------- memory
PAGE_KB = os.sysconf("SC_PAGE_SIZE") / 1024


def rss_mb():
    """Current resident set size in MB (Linux; MB as in earlier runs: 1,000 KiB, the unit of
    ``ru_maxrss / 1000``)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * PAGE_KB / 1e3
    except OSError:
        return 0.0


def max_rss_mb():
    """The process's peak resident set so far, in MB (as ``rss_mb``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


class MemoryMonitor:
    """Samples the resident set in a thread (every ``interval`` seconds) and after every
    database commit (``odoo.sql_db.Cursor.commit`` wrapped), so that a step's highest RSS is
    known, not only the process's lifetime peak. ``page_rss``: print the RSS after each
    commit while ``pages_on`` is set."""

    def __init__(self, interval=0.01, page_rss=False):
        self.interval = interval
        self.page_rss = page_rss
        self.pages_on = False
        self.commits = 0
        self.top = 0.0
        self.page_top = 0.0  # highest RSS since the last commit
        self.commit_hooks = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-rss", daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def sample(self):
        value = rss_mb()
        if value > self.top:
            self.top = value
        if value > self.page_top:
            self.page_top = value
        return value

    def reset(self):
        """Start a step: returns the RSS now, from which the step's peak is counted."""
        self.commits = 0
        self.top = self.page_top = 0.0
        return self.sample()

    def peak(self):
        return max(self.top, self.sample())

    def patch_commit(self, sql_db):
        monitor = self
        original = sql_db.Cursor.commit

        def commit(cursor):
            for hook in monitor.commit_hooks:  # before the commit clears the ORM cache
                hook()
            page_top = max(monitor.page_top, monitor.sample())
            result = original(cursor)
            monitor.commits += 1
            value = monitor.sample()
            monitor.page_top = value
            if monitor.pages_on and monitor.page_rss:
                print(
                    "    commit %4d: RSS %7.1f MB (highest since the last commit %7.1f MB)"
                    % (monitor.commits, value, page_top),
                    flush=True,
                )
            return result

        sql_db.Cursor.commit = commit

    def stop(self):
        self._stop.set()


class HeapTrace:
    """tracemalloc around one step: the sites that grew between its start and end, and
    those of the commit point with the largest traced heap (taken just before the commit,
    while the ORM cache still holds the page)."""

    def __init__(self, monitor, top=15, frames=1):
        import tracemalloc

        self.tm = tracemalloc
        self.monitor = monitor
        self.top = top
        self.frames = max(1, frames)
        self.start_snap = self.peak_snap = None
        self.peak_size = self.peak_commit = 0

    def __enter__(self):
        gc.collect()
        self.tm.start(self.frames)
        self.start_snap = self._snapshot()
        self.monitor.commit_hooks.append(self._at_commit)
        return self

    def _snapshot(self):
        return self.tm.take_snapshot().filter_traces(
            [self.tm.Filter(False, self.tm.__file__), self.tm.Filter(False, __file__)]
        )

    def _at_commit(self):
        current, _peak = self.tm.get_traced_memory()
        if current > self.peak_size:
            self.peak_size = current
            self.peak_commit = self.monitor.commits + 1
            self.peak_snap = self._snapshot()

    def __exit__(self, *exc):
        self.monitor.commit_hooks.remove(self._at_commit)
        gc.collect()
        end = self._snapshot()
        current, peak = self.tm.get_traced_memory()
        self.tm.stop()
        if exc[0] is not None:
            return False
        print(
            "\n  tracemalloc: traced heap now %.1f MB, highest during the step %.1f MB"
            % (current / 1e6, peak / 1e6)
        )
        self._report("kept after the step (end - start, after gc)", end)
        if self.peak_snap is not None:
            self._report(
                "just before commit %d, the largest traced heap at a commit (%.1f MB)"
                % (self.peak_commit, self.peak_size / 1e6),
                self.peak_snap,
            )
        print(flush=True)
        return False

    def _report(self, title, snapshot):
        group = "traceback" if self.frames > 1 else "lineno"
        stats = snapshot.compare_to(self.start_snap, group)
        stats.sort(key=lambda s: s.size_diff, reverse=True)
        print("\n  %s: top %d allocation sites" % (title, self.top))
        for stat in stats[: self.top]:
            frame = stat.traceback[-1]  # the innermost frame (oldest first)
            line = "    %+9.1f KB %+8d blocks  %s:%d" % (
                stat.size_diff / 1e3,
                stat.count_diff,
                _short(frame.filename),
                frame.lineno,
            )
            ours = _innermost_ours(stat.traceback)
            if ours is not None and ours is not frame:
                line += "  <- %s:%d" % (_short(ours.filename), ours.lineno)
            print(line)
        shares = {}
        for stat in stats:
            pkg = _package(stat.traceback)
            shares[pkg] = shares.get(pkg, 0) + stat.size_diff
        print(
            "  by package: "
            + ", ".join(
                "%s %+.1f MB" % (k, v / 1e6)
                for k, v in sorted(shares.items(), key=lambda kv: -kv[1])
            )
        )


def _short(filename):
    for marker in ("/odoo/addons/", "/odoo/", "/economic_sync/", "/site-packages/", "/lib/python"):
        if marker in filename:
            return marker.strip("/") + "/" + filename.split(marker, 1)[1]
    return filename


def _innermost_ours(traceback):
    """The innermost frame in this repository (the addon, its client and sandbox; not this
    bench)."""
    for frame in reversed(traceback):  # tracemalloc lists the oldest frame first
        name = frame.filename
        if name.startswith(ROOT) and not name.startswith(os.path.join(ROOT, "tools", "")):
            return frame
    return None


def _package(traceback):
    frame = _innermost_ours(traceback) or traceback[-1]
    name = frame.filename
    if name.startswith(ROOT):
        part = os.path.relpath(name, ROOT).split(os.sep)[0]
        return {"economic_sandbox": "sandbox", "economic_client": "client"}.get(part, "engine")
    if "/odoo/" in name:
        return "odoo"
    return "other"


# ---------------------------------------------------------------------------- setup
def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
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
    parser.add_argument("--products", type=int, default=20000)
    parser.add_argument("--skip-partners", action="store_true")
    parser.add_argument("--skip-products", action="store_true")
    parser.add_argument("--invoices", type=int, default=5000)
    parser.add_argument("--invoice-lines", type=int, default=5, help="lines per invoice")
    parser.add_argument("--skip-invoices", action="store_true")
    parser.add_argument("--webhooks", type=int, default=10000)
    parser.add_argument("--webhook-customers", type=int, default=2000)
    parser.add_argument("--skip-webhooks", action="store_true")
    parser.add_argument("--entries", type=int, default=50000)
    parser.add_argument("--skip-entries", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument(
        "--skip-floors", action="store_true", help="no floor (plain create) of partners, products"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=0,
        help="N connections pulled by Odoo servers' cron threads (tools/bench_connections.py)",
    )
    parser.add_argument("--cron-threads", type=int, default=2, help="with --connections")
    parser.add_argument(
        "--cron-servers", type=int, default=1, help="servers of --cron-threads each"
    )
    parser.add_argument(
        "--timeout", type=int, default=3600, help="seconds a --connections run may take"
    )
    parser.add_argument("--page-rss", action="store_true", help="RSS after every commit")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="allocation sites of the initial pull"
    )
    parser.add_argument("--top", type=int, default=15, help="sites listed by --tracemalloc")
    parser.add_argument("--frames", type=int, default=1, help="frames kept by --tracemalloc")
    parser.add_argument(
        "--profile", metavar="FILE", help="write a cProfile of the initial pull to FILE"
    )
    return parser.parse_args()


def start_odoo(args):
    sys.path.insert(0, ROOT)
    import odoo
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
    if args.drop and args.db in db_service.list_dbs(True):
        db_service.exp_drop(args.db)
    if args.db not in db_service.list_dbs(True):
        print("creating database %s and installing economic_sync ..." % args.db, flush=True)
        db_service._create_empty_database(args.db)
        config["init"] = {"economic_sync": 1}
        odoo.modules.registry.Registry.new(args.db, update_module=True)
        config["init"] = {}
    return odoo.modules.registry.Registry(args.db)


def start_sandbox(args):
    """The sandbox with the customers and contacts, all stamped long ago."""
    from economic_sandbox import Sandbox
    from economic_sandbox.store import Table

    customers = 0 if args.skip_partners else args.customers
    try:  # the sandbox seeds contacts itself (flat, agreement-wide store)
        sb = Sandbox(seed="empty", customers=customers, contacts_per_customer=args.contacts)
        seeded_contacts = True
    except TypeError:
        sb = Sandbox(seed="empty", customers=customers)
        seeded_contacts = False
    sb.start()
    st = sb.state
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
                contacts[number] = dict(rec, lastUpdated=OLD_STAMP)
        for number, rec in list(st.tables["customers"].items()):
            st.tables["customers"][number] = dict(rec, lastUpdated=OLD_STAMP)
    return sb


def make_backend(env, sb, company=None, name="Bench"):
    """A connection of ``company`` (default: the main company, made Danish) to the sandbox
    ``sb``, its references read and Odoo payment terms made for e-conomic's, committed; a
    connection of the company made by an earlier run is deleted first, with its partners."""
    if company is None:
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
    info = sb.info
    backend = env["economic.backend"].create(
        {
            "name": name,
            "company_id": company.id,
            "app_secret_token": info["app_secret_token"],
            "agreement_grant_token": info["agreement_grant_token"],
            "rest_url": info["rest_url"],
            "apis_url": info["apis_url"],
            "timeout": 60,
        }
    )
    env.cr.commit()
    backend.action_refresh_references()
    for ref in env["economic.reference"].search(
        [
            ("backend_id", "=", backend.id),
            ("kind", "=", "payment_term"),
            ("payment_term_id", "=", False),
        ]
    ):
        ref.payment_term_id = env["account.payment.term"].create({"name": ref.name})
    env.cr.commit()
    return backend


class Bench:
    def __init__(self, sb, monitor, sql_db):
        self.sb = sb
        self.monitor = monitor
        self.sql_db = sql_db

    def measure(self, label, func, pages=False):
        self.sb.request_log.clear()
        gc.collect()
        before = self.monitor.reset()
        self.monitor.pages_on = pages
        q0 = self.sql_db.sql_counter
        t0 = time.perf_counter()
        out = func()
        seconds = time.perf_counter() - t0
        self.monitor.pages_on = False
        queries = self.sql_db.sql_counter - q0
        requests = len(self.sb.request_log)
        peak = self.monitor.peak()
        gc.collect()
        after = rss_mb()
        print(
            "%-28s %8.2fs %6d req %8d queries  RSS %6.0f -> peak %6.0f (+%4.0f) -> %6.0f MB"
            "  max RSS %6.0f MB  %s"
            % (
                label,
                seconds,
                requests,
                queries,
                before,
                peak,
                peak - before,
                after,
                max_rss_mb(),
                "" if out is None else out,
            ),
            flush=True,
        )
        return out


# ---------------------------------------------------------------------------- partners
PARTNER_ENTITIES = ("customer", "customer_contact", "supplier", "supplier_contact")


def bench_partners(args, bench, env, backend):
    st = bench.sb.state
    cr = env.cr

    def initial():
        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        try:
            return backend._run_pass().get("created")
        finally:
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(args.profile)

    if args.tracemalloc:
        with HeapTrace(bench.monitor, top=args.top, frames=args.frames):
            bench.measure("initial pull (traced)", initial, pages=True)
    else:
        bench.measure("initial pull", initial, pages=True)
    # the partner entities alone (comparable with the figures of earlier versions), then a
    # pass of every entity (references, accounts, VAT codes and products too)
    bench.measure(
        "no-change pass", lambda: backend._run_pass(entities=PARTNER_ENTITIES).get("updated")
    )
    bench.measure("no-change pass, every entity", lambda: backend._run_pass().get("updated"))
    # the daily full pass: every key read and compared (deletions, renumbering)
    bench.measure(
        "full pass, no change",
        lambda: backend._run_pass(entities=PARTNER_ENTITIES, full=True).get("updated"),
    )

    with st.lock:
        stamp = st.clock.stamp()
        for number in list(st.tables["customers"])[: args.changes]:
            rec = dict(st.tables["customers"][number])
            rec["city"] = "Changed City"
            rec["lastUpdated"] = stamp
            st.tables["customers"][number] = rec
    bench.measure(
        "pass, %d remote changes" % args.changes,
        lambda: backend._run_pass(entities=PARTNER_ENTITIES).get("updated"),
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

    if not args.skip_floors:
        bench.measure("floor: res.partner.create", floor)
    print(
        "partners: %d customers x %d contacts" % (args.customers, args.contacts),
        flush=True,
    )


# ---------------------------------------------------------------------------- products
def seed_products(sb, count):
    """The sandbox reset to ``count`` products (and its references), stamped long ago."""
    sb.reset(seed="empty", products=count)
    st = sb.state
    with st.lock:
        table = st.tables["products"]
        for number, rec in list(table.items()):
            table[number] = dict(rec, lastUpdated=OLD_STAMP)


# ---------------------------------------------------------------------------- ledger entries
def product_pass(env, backend, first=True, full=False):
    """A product pass, or None when the engine has no product entity (yet): an error naming
    the entity, or a first pass that neither creates nor counts anything."""
    Product = env["product.product"].with_context(active_test=False)
    before = Product.search_count([])
    try:
        result = env["economic.sync.engine"]._run_pass(backend, entities=["product"], full=full)
    except (KeyError, ValueError, NotImplementedError, AttributeError) as error:
        env.cr.rollback()
        print("  product entity not available (%s: %s)" % (type(error).__name__, error))
        return None
    created = Product.search_count([]) - before
    counted = any(result.get(k) for k in ("created", "updated", "bound", "errors", "skipped"))
    if result.get("state") not in ("done", "partial") or (first and not (created or counted)):
        print("  product entity not available (the pass did nothing: %s)" % result)
        return None
    return result


def bench_products(args, bench, env, backend):
    seed_products(bench.sb, args.products)
    backend.action_refresh_references()
    # the products appear in e-conomic now: the connection's first product pull (the partner
    # passes before ran the product entity over an agreement without products)
    setting = backend._entity_setting("product")
    if setting:
        setting.write({"last_pull_at": False, "last_full_pass": False})
    env.cr.commit()
    available = {}

    def initial():
        result = product_pass(env, backend)
        available["yes"] = result is not None
        return result and {
            k: result.get(k) for k in ("created", "bound", "errors", "state", "full")
        }

    bench.measure("product pull (%d)" % args.products, initial, pages=True)
    if available.get("yes"):
        bench.measure(
            "product no-change pass",
            lambda: {
                k: v
                for k, v in (product_pass(env, backend, first=False) or {}).items()
                if k in ("updated", "errors", "full")
            },
        )
        # the daily full pass: every product read and compared with its base
        bench.measure(
            "product full pass, no change",
            lambda: {
                k: v
                for k, v in (product_pass(env, backend, first=False, full=True) or {}).items()
                if k in ("updated", "errors", "full")
            },
        )
    else:
        print("product entity not available: no-change product pass not measured", flush=True)
    if not args.skip_floors:
        bench.measure("floor: product.product.create", lambda: product_floor(env, args.products))
    print("products: %d" % args.products, flush=True)


def product_floor(env, count):
    """One create of ``count`` products with the values a pull writes, rolled back."""
    cr = env.cr
    categories = env["product.category"].create(
        [{"name": "Bench group %d" % i} for i in range(1, 5)]
    )
    unit = env.ref("uom.product_uom_unit")
    vals = [
        {
            "name": "Floor product %d" % i,
            "default_code": "FLOOR-%05d" % i,
            "list_price": 20 + i % 100,
            "standard_price": 10 + i % 50,
            "barcode": "59%011d" % i,
            "categ_id": categories[i % 4].id,
            "uom_id": unit.id,
            "uom_po_id": unit.id,
        }
        for i in range(1, count + 1)
    ]
    products = (
        env["product.product"]
        .with_context(
            tracking_disable=True,
            mail_create_nolog=True,
            mail_notrack=True,
            mail_create_nosubscribe=True,
        )
        .create(vals)
    )
    env.flush_all()
    created = len(products)
    cr.rollback()
    return created


# ---------------------------------------------------------------------------- main
def main():
    args = parse_args()
    registry = start_odoo(args)
    import odoo
    from odoo import api, sql_db

    monitor = MemoryMonitor(page_rss=args.page_rss)
    monitor.patch_commit(sql_db)
    gc.collect()
    loaded = rss_mb()
    sb = start_sandbox(args)
    gc.collect()
    print(
        "RSS: Odoo loaded %.0f MB; sandbox seeded with %d customers x %d contacts: +%.0f MB"
        % (
            loaded,
            0 if args.skip_partners else args.customers,
            args.contacts,
            rss_mb() - loaded,
        ),
        flush=True,
    )
    if args.connections:
        from bench_connections import bench_connections

        sandboxes = [sb] + [start_sandbox(args) for _i in range(args.connections - 1)]
        try:
            bench_connections(args, registry, sandboxes)
        finally:
            for each in sandboxes:
                each.stop()
            monitor.stop()
        return 0
    bench = Bench(sb, monitor, sql_db)
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, odoo.SUPERUSER_ID, {})
            backend = make_backend(env, sb)
            if not args.skip_partners:
                bench_partners(args, bench, env, backend)
            if not args.skip_products:
                bench_products(args, bench, env, backend)
            if not args.skip_invoices:
                from bench_invoices import bench_invoices

                bench_invoices(args, bench, env, backend)
            if not args.skip_webhooks:
                from bench_webhooks import bench_webhooks

                bench_webhooks(args, bench, env, backend)
            if not args.skip_entries:
                from bench_entries import bench_entries

                bench_entries(args, bench, env, backend)
    finally:
        sb.stop()
        monitor.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
