"""``make demo`` and ``make demo-stop`` (called by ``harness.py``): the virtualenv, PostgreSQL
under ``.demo/``, the sandbox, the database with the Danish company, its point of sale and the
connection, then Odoo on :8069 (``$DEMO_HTTP_PORT``; PostgreSQL: ``$DEMO_PG_PORT``)."""

import contextlib
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

from harness_base import (
    ADDON,
    CACHE,
    CACHED_ODOO,
    REPO,
    OdooRunner,
    PgCluster,
    bridges,
    die,
    ensure_venv,
    fetch_odoo,
    find_odoo,
    say,
)

# --------------------------------------------------------------------------- demo
DEMO_DIR = REPO / ".demo"
DEMO_DB = "economic_demo"
#: the demo's Danish company, run in ``odoo shell`` (see that file)
DEMO_COMPANY_SCRIPT = REPO / "tools" / "demo_company.py"
DEMO_SHOP_SCRIPT = REPO / "tools" / "demo_shop.py"
#: the Odoo app the demo's shop needs; the bridges install themselves with it
DEMO_SHOP_APP = "point_of_sale"


def demo_http_port():
    """The port the demo's Odoo serves on: 8069, or ``$DEMO_HTTP_PORT``."""
    return int(os.environ.get("DEMO_HTTP_PORT", "8069"))


def demo_pg_port():
    """The port of the demo's PostgreSQL: 54329, or ``$DEMO_PG_PORT``."""
    return int(os.environ.get("DEMO_PG_PORT", "54329"))


def demo_company_script():
    """The ``odoo shell`` script that makes the main company the demo's Danish company (or
    reuses it) and prints one line ``DEMO-COMPANY {json}`` describing it."""
    return (
        DEMO_COMPANY_SCRIPT.read_text()
        + "\nimport json as _json\n"
        + "print('DEMO-COMPANY', _json.dumps(danish_company(env, DEMO_COMPANY)), flush=True)\n"
    )


def demo_company_summary(line):
    """What ``make demo`` says about the company from the script's ``DEMO-COMPANY`` line."""
    if not line:
        return "the Danish company could not be set up; see " + str(DEMO_DIR / "company.log")
    info = json.loads(line.split(" ", 1)[1])
    if info["status"] == "kept":
        return (
            f"company: {info['name']} ({info['currency']}, chart {info['chart_template']}) "
            "kept as it is: this demo database predates the Danish demo and has accounting "
            "entries. For the Danish company start over: make demo-stop; rm -rf .demo; make demo"
        )
    return (
        f"company ({info['status']}): {info['name']}, {info['country']}, {info['currency']}, "
        f"Odoo's Danish chart ({info['chart_template']}: {info['taxes']} taxes, "
        f"{info['fiscal_positions']} fiscal positions), CVR {info['company_registry']}; "
        f"languages {', '.join(info['languages'])} (admin: {info['admin_language']})"
    )


def demo_shop_script():
    """The ``odoo shell`` script that makes the demo's point of sale and its day of sales (or
    reuses them) and prints one line ``DEMO-SHOP {json}``."""
    return (
        DEMO_SHOP_SCRIPT.read_text()
        + "\nimport json as _json\n"
        + "print('DEMO-SHOP', _json.dumps(demo_shop(env, DEMO_SHOP)), flush=True)\n"
    )


def demo_shop_summary(line):
    """What ``make demo`` says about the shop from the script's ``DEMO-SHOP`` line."""
    if not line:
        return "the point of sale could not be set up; see " + str(DEMO_DIR / "shop.log")
    info = json.loads(line.split(" ", 1)[1])
    day = (
        f"a closed session {info['session']} on {info['day']}"
        if info["session"]
        else f"its sessions kept ({info['day']} was sold already)"
    )
    methods = ", ".join(
        f"{name} → e-conomic {number or 'not mapped'}" for name, number in info["methods"].items()
    )
    products = ", ".join(
        f"{tax} on {number}" for tax, number in sorted(info.get("tax_products", {}).items())
    )
    return (
        f"point of sale {info['config']}: {day}; {info['orders']} orders closed, "
        f"{info['total']:.2f} DKK; {methods}; the connection sends its days (Shops tab: "
        f"{products or 'no product per tax yet'}; the cash customer is left to create)"
    )


def _demo_shop_products(info):
    """The e-conomic products of the demo shop's taxes, in the sandbox (once): what an
    accountant creates in e-conomic before sending days with a line per tax."""
    from demo_shop import DEMO_SHOP  # noqa: PLC0415 - tools/ is on the path (top of file)

    admin = info["admin_url"]
    for number, name, group in DEMO_SHOP["tax_products"].values():
        try:
            urllib.request.urlopen(f"{admin}/records/products/{number}", timeout=10).close()
            continue  # there already
        except urllib.error.HTTPError as error:
            if error.code != 404:
                raise
        record = {
            "productNumber": number,
            "name": name,
            "productGroup": {"productGroupNumber": group},
            "salesPrice": 0,
        }
        request = urllib.request.Request(
            f"{admin}/create",
            data=json.dumps({"resource": "products", "record": record}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=10).close()


def _demo_module_installed(pg, name):
    """Whether the demo database has the module ``name`` installed."""
    out = subprocess.run(
        [
            str(pg.bin / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(pg.port),
            "-U",
            pg.user,
            "-d",
            DEMO_DB,
            "-tAc",
            f"SELECT state FROM ir_module_module WHERE name = '{name}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return out == "installed"


def _demo_shop_app(odoo, pg):
    """Point of Sale in the demo database (once; a minute or two): the bridges follow it."""
    if _demo_module_installed(pg, DEMO_SHOP_APP):
        return
    say(f"installing {DEMO_SHOP_APP} (the bridges {', '.join(sorted(bridges()))} follow) ...")
    rc = odoo.run(
        odoo.base_cmd(DEMO_DB) + ["-i", DEMO_SHOP_APP, "--without-demo=all", "--stop-after-init"],
        DEMO_DIR / "install-shop.log",
    )
    if rc != 0:
        die(f"installing {DEMO_SHOP_APP} failed; see {DEMO_DIR / 'install-shop.log'}")


def _start_sandbox(python):
    DEMO_DIR.mkdir(exist_ok=True)
    info_file = DEMO_DIR / "sandbox.json"
    pid_file = DEMO_DIR / "sandbox.pid"
    if info_file.exists() and pid_file.exists():
        pid = int(pid_file.read_text())
        with contextlib.suppress(OSError):
            os.kill(pid, 0)
            info = json.loads(info_file.read_text())
            say(f"sandbox already running (pid {pid}) at {info['rest_url']}")
            return info
    port = 18080 if _port_free(18080) else 0
    apis = 18081 if _port_free(18081) else 0
    log = open(DEMO_DIR / "sandbox.log", "a")
    proc = subprocess.Popen(
        [
            str(python),
            "-u",
            "-m",
            "economic_sandbox",
            "--seed",
            "demo",
            "--port",
            str(port),
            "--apis-port",
            str(apis),
        ],
        cwd=str(REPO),
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    first = proc.stdout.readline()
    try:
        info = json.loads(first)
    except ValueError:
        die(f"the sandbox did not start (first line: {first!r}); see {DEMO_DIR / 'sandbox.log'}")
    pid_file.write_text(str(proc.pid))
    info_file.write_text(json.dumps(info))
    say(f"sandbox started (pid {proc.pid}): {info['rest_url']}, admin {info['admin_url']}")
    return info


def sandbox_summary(info):
    """What a user needs to connect to the demo's sandbox by hand (the Connect wizard): its
    tokens and addresses, one per line."""
    rows = [
        ("App Secret Token", info.get("app_secret_token")),
        ("Agreement Grant Token", info.get("agreement_grant_token")),
        ("REST API URL", info.get("rest_url")),
        ("OpenAPI URL", info.get("apis_url")),
        ("sandbox admin API", info.get("admin_url")),
    ]
    width = max(len(label) for label, _value in rows)
    return [
        "the e-conomic sandbox, to connect by hand (Invoicing → e-conomic → Connections → "
        "Connect to e-conomic; the demo's connection already uses it):",
        *(f"  {label.ljust(width)}  {value}" for label, value in rows if value),
    ]


def _port_free(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def cmd_demo(args):
    kind, src, why = find_odoo()
    if not kind:
        say(why)
        if not fetch_odoo():
            die(
                "Odoo 18 is needed for the demo and could not be fetched. Provide it with "
                "ODOO_SRC=/path/to/odoo-18.0-source (a tree holding odoo/release.py and "
                f"requirements.txt), or place that tree at {CACHED_ODOO}, then run make demo "
                "again."
            )
        kind, src, why = find_odoo()
    say(f"Odoo: {why}")
    python = ensure_venv(src if kind == "src" else None)
    if kind == "installed":
        python = Path(sys.executable)
    pg = PgCluster(DEMO_DIR / "pg" / "data", port=demo_pg_port())
    if not pg.running():
        pg.start()
        say(f"PostgreSQL started: 127.0.0.1:{pg.port}, data in {pg.datadir}")
    else:
        say(f"PostgreSQL already running: 127.0.0.1:{pg.port}")
    info = _start_sandbox(python)
    _demo_shop_products(info)
    work = DEMO_DIR / "odoo"
    work.mkdir(parents=True, exist_ok=True)
    stale_link = work / "addons"  # where versions before this one put the addons link
    if stale_link.is_dir():
        shutil.rmtree(stale_link)
    # the addons link of this clone lives outside the repository (one per clone path)
    links = CACHE / "demo-addons" / hashlib.sha256(str(REPO).encode()).hexdigest()[:12]
    odoo = OdooRunner(python, kind, src, pg, work, addons_dir=links)
    exists = (
        subprocess.run(
            [
                str(pg.bin / "psql"),
                "-h",
                "127.0.0.1",
                "-p",
                str(pg.port),
                "-U",
                pg.user,
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{DEMO_DB}'",
            ],
            capture_output=True,
            text=True,
        ).stdout.strip()
        == "1"
    )
    if not exists:
        say(f"creating database {DEMO_DB} with {ADDON} installed (a minute or two) ...")
        # without Odoo's demo data: the company's business comes from e-conomic
        rc = odoo.run(
            odoo.base_cmd(DEMO_DB) + ["-i", ADDON, "--without-demo=all", "--stop-after-init"],
            DEMO_DIR / "install.log",
        )
        if rc != 0:
            die(f"installation failed; see {DEMO_DIR / 'install.log'}")
    else:
        say(f"database {DEMO_DB} exists; updating {ADDON}")
        odoo.run(
            odoo.base_cmd(DEMO_DB) + ["-u", ADDON, "--stop-after-init"], DEMO_DIR / "update.log"
        )
    say("the Danish company: localisation, chart of accounts, taxes, Danish language ...")
    odoo.shell(DEMO_DB, demo_company_script(), DEMO_DIR / "company.log", log_level="warn")
    line = [
        x
        for x in (DEMO_DIR / "company.log").read_text().splitlines()
        if x.startswith("DEMO-COMPANY ")
    ]
    if not line:
        die(demo_company_summary(None))
    say(demo_company_summary(line[0]))
    _demo_shop_app(odoo, pg)
    script = (
        "import json\n"
        f"info = json.loads({json.dumps(json.dumps(info))})\n"
        "company = env.ref('base.main_company')\n"
        "Backend = env['economic.backend'].with_context(active_test=False)\n"
        "b = Backend.search([('company_id', '=', company.id)], limit=1)\n"
        "vals = {'name': 'e-conomic sandbox', 'company_id': company.id,\n"
        "        'rest_url': info['rest_url'], 'apis_url': info['apis_url'],\n"
        "        'app_secret_token': info['app_secret_token'],\n"
        "        'agreement_grant_token': info['agreement_grant_token']}\n"
        "b = b.write(vals) and b if b else Backend.create(vals)\n"
        "b.action_test_connection()\n"
        "env.cr.commit()\n"
        "print('DEMO-CONNECTION', b.state, b.agreement_number, b.economic_company_name)\n"
        # read the references, give e-conomic's payment terms Odoo counterparts, then a first
        # pass: write-back stays off, so it only reads
        "b.action_refresh_references()\n"
        "b.reference_ids.action_create_odoo_payment_terms()\n"
        "env.cr.commit()\n"
        "res = b._run_pass()\n"
        "env.cr.commit()\n"
        "print('DEMO-FIRST-PASS', res.get('state'), b.last_pass_message)\n"
    )
    odoo.shell(DEMO_DB, script, DEMO_DIR / "connect.log", log_level="warn")
    line = [
        x
        for x in (DEMO_DIR / "connect.log").read_text().splitlines()
        if x.startswith("DEMO-CONNECTION")
    ]
    say("connection: " + (line[0] if line else f"not configured, see {DEMO_DIR / 'connect.log'}"))
    first = [
        x
        for x in (DEMO_DIR / "connect.log").read_text().splitlines()
        if x.startswith("DEMO-FIRST-PASS")
    ]
    say("first pass (read only): " + (first[0][16:] if first else "not run, see connect.log"))
    odoo.shell(DEMO_DB, demo_shop_script(), DEMO_DIR / "shop.log", log_level="warn")
    shop = [
        x for x in (DEMO_DIR / "shop.log").read_text().splitlines() if x.startswith("DEMO-SHOP ")
    ]
    say(demo_shop_summary(shop[0] if shop else None))
    for row in sandbox_summary(info):
        say(row)
    say(
        f"serving Odoo on http://127.0.0.1:{demo_http_port()} (login admin / admin); "
        "Ctrl-C stops Odoo "
        "(PostgreSQL and the sandbox keep running; make demo-stop stops them)"
    )
    cmd = [
        str(python),
        "-m",
        "odoo",
        "-d",
        DEMO_DB,
        *pg.odoo_args(),
        "--addons-path",
        odoo.addons_path,
        "--data-dir",
        str(odoo.data_dir),
        "--http-interface",
        "127.0.0.1",
        "--http-port",
        str(demo_http_port()),
        "--db-filter",
        f"^{DEMO_DB}$",
    ]
    with contextlib.suppress(KeyboardInterrupt):
        return subprocess.run(cmd, env=odoo.env, cwd=str(work)).returncode
    return 0


def cmd_demo_stop(_args):
    pid_file = DEMO_DIR / "sandbox.pid"
    if pid_file.exists():
        with contextlib.suppress(OSError, ValueError):
            os.killpg(int(pid_file.read_text()), signal.SIGTERM)
        pid_file.unlink()
        (DEMO_DIR / "sandbox.json").unlink(missing_ok=True)
        say("sandbox stopped")
    pg = PgCluster(DEMO_DIR / "pg" / "data", port=demo_pg_port())
    if (pg.datadir / "PG_VERSION").exists() and pg.running():
        pg.stop()
        say("PostgreSQL stopped")
