"""The journal entries part of ``tools/bench_sync.py``: a year of booked e-conomic entries
mirrored into Odoo.

The sandbox is reset to 500 generated customers and 200 suppliers and ``--entries N`` booked
entries (50,000) of this year: finance vouchers, customer invoices, customer payments and
supplier invoices, each with its account, VAT code where it has one, and party. The chart of
accounts, VAT codes, customers and suppliers are read first (not measured). Then: the first
read of the year (the mirror created), a pass with no change (one request per open year above
its watermark), a full pass with no change (every entry read and compared), and as the floor a
plain create of the same mirror rows (pages of 1,000, as the pull), rolled back.
"""

import datetime as dt
from decimal import Decimal

CUSTOMERS, SUPPLIERS = 500, 200
ENTRY_ENTITIES = ["journal_entry"]
#: (entry type, account, VAT code, party)
KINDS = [
    ("financeVoucher", 2750, "I25", None),
    ("financeVoucher", 5820, None, None),
    ("customerInvoice", 5600, None, "customer"),
    ("customerInvoice", 1010, "U25", None),
    ("customerPayment", 5600, None, "customer"),
    ("supplierInvoice", 6800, None, "supplier"),
    ("supplierInvoice", 2200, "I25", None),
]


def seed_entries(sb, count):
    """The sandbox reset to its references, the customers and suppliers, and ``count``
    booked entries of this year (written straight into its ledger, as bookings would)."""
    from economic_sandbox.resources.journals import add_ledger_entry

    sb.reset(seed="empty", customers=CUSTOMERS, suppliers=SUPPLIERS)
    st = sb.state
    year = st.clock.today().year
    start = dt.date(year, 1, 1)
    with st.lock:
        for i in range(count):
            kind, account, vat, party = KINDS[i % len(KINDS)]
            amount = Decimal(100 + i % 900) + Decimal(i % 100) / 100
            entry = {
                "entryType": kind,
                "date": (start + dt.timedelta(days=i % 300)).isoformat(),
                "amount": amount if i % 2 else -amount,
                "amountInBaseCurrency": amount if i % 2 else -amount,
                "currency": "DKK",
                "text": "Bench %d" % i,
                "account": {"accountNumber": account},
                "voucherNumber": 1 + i // 2,
            }
            if vat:
                entry["vatAccount"] = {"vatCode": vat}
            if party == "customer":
                entry["customer"] = {"customerNumber": 1 + i % CUSTOMERS}
            elif party == "supplier":
                entry["supplier"] = {"supplierNumber": 1 + i % SUPPLIERS}
                entry["supplierInvoiceNumber"] = "B-%d" % i
            add_ledger_entry(st, entry)
    return str(year)


def bench_entries(args, bench, env, backend):
    year = seed_entries(bench.sb, args.entries)
    backend.action_refresh_references()
    for entity in ("account", "vat_code", "customer", "supplier", "journal_entry"):
        setting = backend._entity_setting(entity)
        setting.write({"pull": True, "last_pull_at": False, "last_full_pass": False})
    env.cr.commit()
    engine = env["economic.sync.engine"]
    engine._run_pass(backend, entities=["account", "vat_code", "customer", "supplier"])
    env.cr.commit()

    def entry_pass(full=False):
        result = engine._run_pass(backend, entities=ENTRY_ENTITIES, full=full)
        return {k: result.get(k) for k in ("created", "updated", "errors", "state")}

    bench.measure("entry pull (%d)" % args.entries, entry_pass, pages=True)
    bench.measure("entry no-change pass", entry_pass)
    bench.measure("entry full pass, no change", lambda: entry_pass(full=True))
    rows = floor_rows(env, backend, year)
    bench.measure("floor: economic.entry.create", lambda: entry_floor(env, rows))
    print("entries: %d of %s" % (args.entries, year), flush=True)


def floor_rows(env, backend, year):
    """The values of the rows the pull made, read back; then the rows deleted (not committed:
    the floor rolls back), so the floor creates exactly them again."""
    Entry = env["economic.entry"].sudo()
    names = [
        name
        for name, field in Entry._fields.items()
        if field.store and not field.automatic and not field.related and name != "company_id"
    ]
    entries = Entry.search([("backend_id", "=", backend.id), ("year", "=", year)])
    rows = [{k: v for k, v in row.items() if k != "id"} for row in entries.read(names, load=None)]
    env.cr.execute("DELETE FROM economic_entry WHERE backend_id = %s", [backend.id])
    Entry.invalidate_model()
    return rows


def entry_floor(env, rows):
    """A plain create of ``rows`` in pages of 1,000 (as the pull), rolled back."""
    Entry = env["economic.entry"].sudo()
    created = 0
    for start in range(0, len(rows), 1000):
        created += len(Entry.create(rows[start : start + 1000]))
    env.flush_all()
    env.cr.rollback()
    return created
