#!/usr/bin/env python3
"""Benchmark: pull every customer through the e-conomic client, beside a bare requests loop.

    python3 tools/bench_client.py                      # 10k, 25k and 50k customers
    python3 tools/bench_client.py --customers 20000    # N/5, N/2 and N
    python3 tools/bench_client.py --counts 1000,5000

For each count a sandbox is started as a subprocess (``python3 -m economic_sandbox --seed empty
--customers N``) and each side (client, bare loop) runs in a fresh worker process, twice: once
timed without tracing, once under ``tracemalloc`` for the peak of Python allocations.  RSS is
the worker's high-water mark (VmHWM).  The client's peak must stay flat as N grows: it holds one
page (≤1000 records) at a time.  Not part of the test suite.
"""

import argparse
import json
import os
import subprocess
import sys
import time
import tracemalloc

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _rss_kib():
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _pull_client(info):
    sys.path.insert(0, ROOT)
    from economic_client import EconomicClient

    client = EconomicClient(
        info["app_secret_token"],
        info["agreement_grant_token"],
        rest_url=info["rest_url"],
        apis_url=info["apis_url"],
        timeout=120,
    )
    count = 0
    for _customer in client.customers.iter():
        count += 1
    client.close()
    return count


def _pull_bare(info):
    import requests

    headers = {
        "X-AppSecretToken": info["app_secret_token"],
        "X-AgreementGrantToken": info["agreement_grant_token"],
        "Content-Type": "application/json",
    }
    session = requests.Session()
    url = info["rest_url"] + "/customers?skippages=0&pagesize=1000"
    count = 0
    while url:
        resp = session.get(url, headers=headers, timeout=120)
        resp.raise_for_status()
        data = resp.json()
        count += len(data["collection"])
        url = data["pagination"].get("nextPage")
        del data, resp
    session.close()
    return count


def worker(mode, info):
    pull = _pull_client if mode == "client" else _pull_bare
    if mode == "client":  # import outside the measurements
        sys.path.insert(0, ROOT)
        import economic_client  # noqa: F401
    import requests  # noqa: F401

    t0 = time.perf_counter()
    count = pull(info)
    seconds = time.perf_counter() - t0
    tracemalloc.start()
    count2 = pull(info)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "mode": mode,
        "records": count,
        "records_traced": count2,
        "seconds": seconds,
        "rate": count / seconds if seconds else 0.0,
        "peak": peak,
        "rss_kib": _rss_kib(),
    }


def start_sandbox(customers):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "economic_sandbox",
            "--seed",
            "empty",
            "--customers",
            str(customers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        raise SystemExit("the sandbox did not start (exit code %s)" % proc.wait())
    return proc, json.loads(line)


def run_worker(mode, info):
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--worker", mode, "--info", json.dumps(info)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--customers",
        type=int,
        default=50000,
        help="largest count; also runs N/5 and N/2 (default 50000)",
    )
    parser.add_argument("--counts", help="comma-separated counts instead (e.g. 1000,5000)")
    parser.add_argument("--worker", choices=("client", "bare"), help=argparse.SUPPRESS)
    parser.add_argument("--info", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        print(json.dumps(worker(args.worker, json.loads(args.info))))
        return 0

    if args.counts:
        counts = [int(c) for c in args.counts.split(",") if c.strip()]
    else:
        n = args.customers
        counts = sorted({max(1, n // 5), max(1, n // 2), n})

    print(
        "%-9s %-7s %10s %9s %12s %11s %10s"
        % ("customers", "side", "records/s", "seconds", "py peak MiB", "RSS MiB", "records")
    )
    results = []
    for count in counts:
        proc, info = start_sandbox(count)
        try:
            for mode in ("client", "bare"):
                res = run_worker(mode, info)
                results.append((count, res))
                if res["records"] != count or res["records_traced"] != count:
                    print("!! %s pulled %s of %s records" % (mode, res["records"], count))
                print(
                    "%-9d %-7s %10.0f %9.2f %12.2f %11.1f %10d"
                    % (
                        count,
                        mode,
                        res["rate"],
                        res["seconds"],
                        res["peak"] / 2**20,
                        res["rss_kib"] / 1024,
                        res["records"],
                    ),
                    flush=True,
                )
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    peaks = [res["peak"] for _count, res in results if res["mode"] == "client"]
    if len(peaks) > 1:
        growth = max(peaks) / min(peaks)
        print(
            "client peak across counts: %.2f–%.2f MiB (max/min %.2f: %s)"
            % (
                min(peaks) / 2**20,
                max(peaks) / 2**20,
                growth,
                "flat" if growth < 1.5 else "GROWS WITH N",
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
