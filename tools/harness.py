#!/usr/bin/env python3
"""Harness behind ``make test`` and ``make demo`` (stdlib only).

``python3 tools/harness.py test``   pure tier always; Odoo tier when Odoo 18 is found.
                                    ``--pure-only [pytest arguments]``: the pure tier alone.
``python3 tools/harness.py demo``   virtualenv, PostgreSQL, sandbox, database (a Danish company
                                    connected to the sandbox), Odoo on :8069
                                    (``$DEMO_HTTP_PORT``; PostgreSQL: ``$DEMO_PG_PORT``).
``python3 tools/harness.py env``    prints what was found (Odoo, virtualenv, PostgreSQL).

Odoo 18 is looked for in this order: ``$ODOO_SRC`` (a source tree), an importable ``odoo``
package, the per-user cache ``~/.cache/economic_sync/odoo-18.0`` (``$XDG_CACHE_HOME`` is
honoured). The virtualenv lives in the same cache folder (``$ECONOMIC_SYNC_VENV`` overrides),
so that a fresh clone on the same machine reuses it.

The pure tier's schema tests read e-conomic's published schemas from ``$ECONOMIC_SPEC_DIR``, else
from ``../shared/economic-spec`` beside the clone (the project's development layout), else from
the per-user cache ``~/.cache/economic_sync/economic-spec``, which the harness fills from
e-conomic's public URLs when the network allows (``tools/economic_spec.py``); else they are
skipped, and the harness says why in one line.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

sys.path.insert(0, str(Path(__file__).resolve().parent))

from economic_spec import prepare_spec  # noqa: E402
from harness_base import (  # noqa: E402
    ADDON,
    DANISH_LOCALISATION,
    REPO,
    OdooRunner,
    PgCluster,
    bridges,
    check_log,
    count_odoo_tests,
    die,
    ensure_venv,
    find_odoo,
    pg_bin,
    say,
    venv_dir,
)
from harness_demo import (  # noqa: E402, F401 (the demo's names, also for tests_pure)
    DEMO_SHOP_APP,
    cmd_demo,
    cmd_demo_stop,
    demo_company_script,
    demo_company_summary,
    demo_http_port,
    demo_pg_port,
    demo_shop_script,
    demo_shop_summary,
    sandbox_summary,
)


# --------------------------------------------------------------------------- commands
def cmd_env(_args):
    kind, src, why = find_odoo()
    print(
        json.dumps(
            {
                "odoo": why,
                "odoo_found": bool(kind),
                "venv": str(venv_dir()),
                "pg_bin": str(pg_bin()),
                "repo": str(REPO),
            },
            indent=2,
        )
    )


def run_pure_tier(python, paths=None):
    """pytest on tests_pure (or ``paths``); ``(exit code, passed, failed, schema line)``, the
    schema line saying whether the schema tests ran and where their schemas came from."""
    say("pure tier: client, sandbox and sync core (pytest tests_pure)")
    env = dict(os.environ)
    spec_dir, spec_why = prepare_spec(REPO, env)
    spec_line = "schema tests: %s (%s)" % ("RAN" if spec_dir else "SKIPPED", spec_why)
    with tempfile.TemporaryDirectory(prefix="economic_sync-pure-") as tmp:
        junit = Path(tmp) / "pure.xml"
        # pytest-odoo (in the same virtualenv) imports odoo on load: keep it out of this tier.
        res = subprocess.run(
            [
                str(python),
                "-m",
                "pytest",
                *(paths or ["tests_pure"]),
                "-q",
                "-p",
                "no:cacheprovider",
                "-p",
                "no:odoo",
                f"--junitxml={junit}",
            ],
            cwd=str(REPO),
            env=env,
        )
        passed, failed = _junit_counts(junit)
    return res.returncode, passed, failed, spec_line


def _junit_counts(junit):
    """``(passed, failed)`` tests of a junit file: test cases, not subtests (pytest counts
    each ``subTest`` in the suite's ``tests`` attribute; a failing subtest still fails)."""
    try:
        root = ElementTree.parse(junit).getroot()
    except (OSError, ElementTree.ParseError):
        return 0, 0
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    cases = [case for suite in suites for case in suite.iter("testcase")]
    bad = {"failure", "error"}
    failed_cases = [c for c in cases if any(child.tag in bad for child in c)]
    passed = [c for c in cases if not any(child.tag in bad | {"skipped"} for child in c)]
    failed = max(
        len(failed_cases),
        sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites),
    )
    return len(passed), failed


def _split_tags(tags):
    """``(the addon's tags, the bridges' tags)`` of an Odoo ``--test-tags`` value."""
    names = bridges()
    mine, theirs = [], []
    for tag in filter(None, (t.strip() for t in tags.split(","))):
        module = tag.lstrip("/").split(":")[0].split(".")[0]
        (theirs if module in names else mine).append(tag)
    return ",".join(mine), ",".join(theirs)


def _bridge_tests(odoo, work, tags, results):
    """Step 2b: the bridge modules (``bridges/``) with the Odoo apps they bridge to, the addon
    and Odoo's Danish localisation, in a database of their own; their tests under Odoo's
    runner (``tags``: the bridges' tags, all of them by default)."""
    names = sorted(bridges())
    if not names:
        return
    tags = tags or ",".join(f"/{name}" for name in names)
    say("Odoo tier 2b/5: the bridges (Point of Sale, Inventory) in a database of their own")
    modules = [ADDON, DANISH_LOCALISATION] + names
    _test_enable(
        odoo,
        "es_bridges",
        modules,
        tags,
        work / "odoo-bridges.log",
        "bridges (odoo --test-enable)",
        results,
    )


def _test_enable(odoo, db, modules, tags, log, label, results):
    """Install ``modules`` with demo data on ``db`` and run the tests ``tags`` under Odoo's
    own runner; their counts and any problem (exit code, failures, WARNING/ERROR lines) go to
    ``results``."""
    rc = odoo.run(
        odoo.base_cmd(db)
        + ["-i", ",".join(modules), "--test-enable", "--test-tags", tags]
        + ["--stop-after-init", "--log-level", "info"],
        log,
    )
    passed, failed = count_odoo_tests(log)
    results["passed"] += passed
    results["failed"] += failed
    bad = check_log(log)
    say(f"  {label}: {passed} passed, {failed} failed (exit {rc}), log {log}")
    if rc != 0 or failed or bad or not passed:
        results["problems"].append((label, log, bad, rc))


def _odoo_tests(odoo, work, tags, results):
    """Steps 1, 2 and 2b of the Odoo tier: the addon's tests under Odoo's runner, then
    pytest-odoo (not when ``tags`` asks for a subset), then the bridges' tests."""
    tags, bridge_tags = _split_tags(tags)
    if tags:
        _addon_tests(odoo, work, tags, results)
    if bridge_tags or tags == f"/{ADDON}":
        _bridge_tests(odoo, work, bridge_tags, results)


def _addon_tests(odoo, work, tags, results):
    """Steps 1 and 2 of the Odoo tier: the addon's tests under Odoo's runner, then
    pytest-odoo (not when ``tags`` asks for a subset)."""
    # 1. install with demo data and run the addon's tests under Odoo's own runner.
    say("Odoo tier 1/5: install with demo data and run the tests (odoo --test-enable)")
    # Odoo's Danish localisation beside the addon: the tests load the Danish chart on a
    # company of their own (module operations are refused inside tests)
    modules = [ADDON, DANISH_LOCALISATION]
    _test_enable(
        odoo, "es_test", modules, tags, work / "odoo-test.log", "odoo --test-enable", results
    )
    if tags != f"/{ADDON}":
        return  # a subset: step 1 only
    # 2. the same tests under pytest-odoo, on the installed database.
    say("Odoo tier 2/5: the same tests under pytest-odoo")
    cfg = odoo.write_config("es_test")
    junit = work / "pytest-odoo.xml"
    log2 = work / "pytest-odoo.log"
    with open(log2, "w") as log:
        res = subprocess.run(
            [
                odoo.python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                f"--odoo-config={cfg}",
                "--odoo-database=es_test",
                "--odoo-log-level=warn",
                f"--junitxml={junit}",
                str(odoo.addon_path / "tests"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=odoo.env,
            cwd=str(work),
        )
    p2, f2 = _junit_counts(junit)
    say(f"  pytest-odoo: {p2} passed, {f2} failed (exit {res.returncode}), log {log2}")
    results["passed"] += p2
    results["failed"] += f2
    if res.returncode != 0 or not p2:
        results["problems"].append(("pytest-odoo", log2, [], res.returncode))


def run_process_tests(odoo, work, template, results):
    """pytest on tests_process/: each test copies ``template`` (nothing may be connected to
    it) and runs Odoo in ``odoo shell`` subprocesses with real commits. What the tests need
    comes in ECONOMIC_PROCESS_* variables (tests_process/process_helpers.py)."""
    junit = work / "process.xml"
    log = work / "process-tests.log"
    env = dict(
        odoo.env,
        ECONOMIC_PROCESS_PYTHON=odoo.python,
        ECONOMIC_PROCESS_ADDONS_PATH=odoo.addons_path,
        ECONOMIC_PROCESS_DB_HOST="127.0.0.1",
        ECONOMIC_PROCESS_DB_PORT=str(odoo.pg.port),
        ECONOMIC_PROCESS_DB_USER=odoo.pg.user,
        ECONOMIC_PROCESS_DATA_DIR=str(odoo.data_dir),
        ECONOMIC_PROCESS_TEMPLATE=template,
        ECONOMIC_PROCESS_LOG_DIR=str(work / "process-logs"),
    )
    cmd = [odoo.python, "-m", "pytest", "tests_process", "-q", "-p", "no:cacheprovider"]
    cmd += ["-p", "no:odoo", f"--junitxml={junit}"]
    with open(log, "w") as out:
        try:
            res = subprocess.run(
                cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=str(REPO), timeout=900
            )
            rc = res.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    passed, failed = _junit_counts(junit)
    say(f"  process tests: {passed} passed, {failed} failed (exit {rc}), log {log}")
    results["passed"] += passed
    results["failed"] += failed
    if rc != 0 or not passed:
        results["problems"].append(("process tests", log, [], rc))


def run_odoo_tier(python, kind, src, keep=False, tags=None, process_only=False):
    """Fresh throwaway cluster; install with demo + tests, pytest-odoo, install without demo,
    process tests on copies of that database, uninstall. Every Odoo log is checked for
    WARNING/ERROR lines.

    ``tags``: an Odoo ``--test-tags`` value: only step 1, with those tests (a quick subset
    while developing; ``make test`` always runs everything). ``process_only``: only steps 3
    and 4 (development)."""
    work = Path(tempfile.mkdtemp(prefix="economic_sync-odoo-"))
    work.chmod(0o755)  # the postgres system user must reach its data folder inside
    pg = PgCluster(work / "pg" / "data")
    say(f"Odoo tier: throwaway PostgreSQL on 127.0.0.1:{pg.port} in {work}")
    pg.start()
    results = {"passed": 0, "failed": 0, "problems": []}
    try:
        odoo = OdooRunner(python, kind, src, pg, work)
        subset = bool(tags)
        tags = tags or f"/{ADDON}"
        if not process_only:
            _odoo_tests(odoo, work, tags, results)
        if subset:
            return results

        # 3. install without demo data, the way the Apps list's Install button does it.
        say(
            "Odoo tier 3/5: install without demo data from the Apps list (button_immediate_install)"
        )
        log3 = work / "odoo-nodemo.log"
        rc = odoo.run(
            odoo.base_cmd("es_nodemo")
            + ["-i", "base", "--without-demo=all", "--stop-after-init", "--log-level", "info"],
            log3,
        )
        script = (
            "env['ir.module.module'].update_list()\n"
            "mod = env['ir.module.module'].search([('name', '=', %r)])\n"
            "assert mod.state == 'uninstalled', mod.state\n"
            "mod.button_immediate_install()\n"
            "env.cr.commit()\n"
            "mod.invalidate_recordset()\n"
            "assert mod.state == 'installed', mod.state\n"
            # no app forced on the user: the bridges wait for Point of Sale and Inventory
            "others = env['ir.module.module'].search([('name', 'in', %r)])\n"
            "assert set(others.mapped('state')) <= {'uninstalled'}, others.mapped('state')\n"
            "print('INSTALL-OK')\n" % (ADDON, sorted(bridges()) + ["point_of_sale", "stock"])
        )
        log3b = work / "odoo-apps-install.log"
        shell_rc = odoo.shell("es_nodemo", script, log3b)
        bad = check_log(log3) + check_log(log3b)
        installed = "INSTALL-OK" in log3b.read_text(errors="replace")
        if rc != 0 or shell_rc != 0 or bad or not installed:
            results["problems"].append(("install from the Apps list", log3b, bad, shell_rc))

        # 4. process tests: real commits, Odoo in subprocesses, on copies of es_nodemo.
        say("Odoo tier 4/5: process tests (tests_process/: real commits, odoo shell processes)")
        if installed:
            run_process_tests(odoo, work, "es_nodemo", results)
        else:
            results["problems"].append(("process tests (not run: no install)", log3b, [], 1))
        if process_only:
            return results

        # 5. uninstall.
        say("Odoo tier 5/5: uninstall")
        log4 = work / "odoo-uninstall.log"
        script = (
            "mod = env['ir.module.module'].search([('name', '=', %r)])\n"
            "mod.button_immediate_uninstall()\n"
            "env.cr.commit()\n"
            "mod.invalidate_recordset()\n"
            "assert mod.state == 'uninstalled', mod.state\n"
            "assert not env['ir.model'].search([('model', 'like', 'economic.%%')])\n"
            "print('UNINSTALL-OK')\n" % ADDON
        )
        shell_rc = odoo.shell("es_nodemo", script, log4)
        text = log4.read_text(errors="replace")
        bad = check_log(log4)
        if shell_rc != 0 or "UNINSTALL-OK" not in text or bad:
            results["problems"].append(("uninstall", log4, bad, shell_rc))
    finally:
        pg.stop()
        if not keep and not results["problems"]:
            shutil.rmtree(work, ignore_errors=True)
    return results


def cmd_test(args):
    kind, src, why = find_odoo()
    python = ensure_venv(src if kind == "src" else None)
    if kind == "installed":
        python = Path(sys.executable)
    if args.no_pure:
        rc_pure, pure_passed, pure_failed, spec_line = 0, 0, 0, None
    else:
        rc_pure, pure_passed, pure_failed, spec_line = run_pure_tier(python, args.pytest_args)
    total_passed, total_failed = pure_passed, pure_failed
    if rc_pure != 0 and not pure_failed:
        total_failed += 1
    odoo_line = None
    if args.pure_only:
        odoo_line = "Odoo tier: not run (--pure-only)"
    elif kind:
        res = run_odoo_tier(
            python, kind, src, keep=args.keep, tags=args.tags, process_only=args.process_only
        )
        total_passed += res["passed"]
        total_failed += res["failed"]
        for name, log, bad, rc in res["problems"]:
            total_failed += 0 if res["failed"] else 1
            print(f"[harness] FAILED: {name} (exit {rc}); log: {log}")
            for line in bad[:30]:
                print(f"    {line}")
            if not bad:
                tail = Path(log).read_text(errors="replace").splitlines()[-40:]
                print("\n".join("    " + t for t in tail))
        odoo_line = f"Odoo tier: RAN ({why})"
    else:
        odoo_line = f"Odoo tier: SKIPPED ({why})"
    if spec_line:
        print(spec_line)
    print(odoo_line)
    print(f"total: {total_passed} passed, {total_failed} failed")
    return 1 if total_failed or rc_pure else 0


def cmd_bench_sync(args):
    """The partner sync benchmark (tools/bench_sync.py) on a throwaway PostgreSQL cluster:
    a fresh database with economic_sync installed, then the passes measured inside Odoo."""
    kind, src, why = find_odoo()
    if kind is None:
        die(f"Odoo 18 not found: {why}")
    python = ensure_venv(src if kind == "src" else None)
    if kind == "installed":
        python = Path(sys.executable)
    work = Path(tempfile.mkdtemp(prefix="economic_sync-bench-"))
    work.chmod(0o755)  # the postgres system user must reach its data folder inside
    pg = PgCluster(work / "pg" / "data")
    say(f"bench-sync: throwaway PostgreSQL on 127.0.0.1:{pg.port} in {work}")
    pg.start()
    try:
        odoo = OdooRunner(python, kind, src, pg, work)
        cmd = [
            str(python),
            str(REPO / "tools" / "bench_sync.py"),
            "--db",
            "es_bench",
            "--db-host",
            "127.0.0.1",
            "--db-port",
            str(pg.port),
            "--db-user",
            pg.user,
            "--addons-path",
            odoo.addons_path,
            "--data-dir",
            str(odoo.data_dir),
            *args.bench_args,
        ]
        rc = subprocess.run(cmd, env=odoo.env, cwd=str(work)).returncode
    finally:
        pg.stop()
        shutil.rmtree(work, ignore_errors=True)
    return rc


def cmd_venv_python(_args):
    """Print the virtualenv's python (creating the virtualenv first when needed)."""
    kind, src, _why = find_odoo()
    python = ensure_venv(src if kind == "src" else None)
    print(python)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("test", help="run the whole suite")
    t.add_argument("--keep", action="store_true", help="keep the Odoo tier's work folder")
    t.add_argument(
        "--tags",
        help="Odoo --test-tags of a quick subset (e.g. /economic_sync:TestSyncLog): only the "
        "install with demo data and those tests; for development, not CI",
    )
    t.add_argument("--no-pure", action="store_true", help="skip the pure tier (development)")
    t.add_argument(
        "--pure-only",
        action="store_true",
        help="only the pure tier; further arguments go to its pytest (e.g. test files)",
    )
    t.add_argument(
        "--process-only",
        action="store_true",
        help="of the Odoo tier, only the install without demo data and the process tests "
        "(development)",
    )
    sub.add_parser("demo", help="set up and serve the demo")
    sub.add_parser("demo-stop", help="stop the demo's sandbox and PostgreSQL")
    sub.add_parser("env", help="print what was found")
    sub.add_parser("venv-python", help="print the virtualenv's python")
    sub.add_parser(
        "bench-sync",
        help="benchmark the partner sync on a throwaway database "
        "(further options go to tools/bench_sync.py)",
    )
    args, extra = parser.parse_known_args()
    takes_extra = args.cmd == "bench-sync" or (args.cmd == "test" and args.pure_only)
    if extra and not takes_extra:
        parser.error("unrecognized arguments: %s" % " ".join(extra))
    if args.cmd == "test" and args.pure_only and args.no_pure:
        parser.error("--pure-only and --no-pure exclude each other")
    args.bench_args = extra
    args.pytest_args = extra
    started = time.time()
    rc = {
        "test": cmd_test,
        "demo": cmd_demo,
        "demo-stop": cmd_demo_stop,
        "env": cmd_env,
        "venv-python": cmd_venv_python,
        "bench-sync": cmd_bench_sync,
    }[args.cmd](args)
    if args.cmd == "test":
        say(f"done in {time.time() - started:.0f} s")
    sys.exit(rc or 0)


if __name__ == "__main__":
    main()
