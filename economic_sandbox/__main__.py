"""`python3 -m economic_sandbox [--host H] [--port P] [--apis-port P] [--seed demo|empty] [--customers N] ...
[--contacts-per-customer K] [--lines-per-invoice L] [--no-inventory]`

Prints one JSON line (the connection info) and serves until SIGTERM/SIGINT."""

import argparse
import json
import signal
import sys
import threading

from .server import Sandbox


def main(argv=None):
    p = argparse.ArgumentParser(
        prog="python3 -m economic_sandbox", description="e-conomic sandbox server"
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--apis-port", type=int, default=0)
    p.add_argument("--seed", choices=["demo", "empty"], default="demo")
    for name in ("customers", "suppliers", "products", "invoices"):
        p.add_argument("--" + name, type=int, default=0)
    p.add_argument(
        "--contacts-per-customer",
        type=int,
        default=0,
        help="contacts generated for each generated customer",
    )
    p.add_argument(
        "--lines-per-invoice",
        type=int,
        default=5,
        help="lines of each generated booked invoice (--invoices N)",
    )
    p.add_argument(
        "--no-inventory",
        action="store_true",
        help="an agreement without the inventory module (products carry no `inventory`)",
    )
    a = p.parse_args(argv)
    sb = Sandbox(
        seed=a.seed,
        customers=a.customers,
        suppliers=a.suppliers,
        products=a.products,
        invoices=a.invoices,
        contacts_per_customer=a.contacts_per_customer,
        inventory=not a.no_inventory,
        lines_per_invoice=a.lines_per_invoice,
        host=a.host,
        port=a.port,
        apis_port=a.apis_port,
    )
    sb.start()
    sys.stdout.write(json.dumps(sb.info) + "\n")
    sys.stdout.flush()
    done = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: done.set())
    while not done.wait(0.5):
        pass
    sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
