"""The journal entries part of ``tools/bench_sync.py``: a year of booked e-conomic entries
mirrored into Odoo.

The sandbox is reset to 50 generated customers and 20 suppliers and ``--entries N`` booked
entries (50,000) of this year in e-conomic's mix (the sandbox's ``bulk_entries``: supplier
invoices, customer and supplier payments, finance vouchers, balanced per voucher). The chart of
accounts, VAT codes, customers and suppliers are read first (not measured). Then: the first
read of the year (the mirror created), a pass with no change (one request per open year above
its watermark), a full pass with no change (every entry read and compared), and as the floor a
plain create of the same mirror rows (pages of 1,000, as the pull), rolled back.
"""

ENTRY_ENTITIES = ["journal_entry"]
CUSTOMERS, SUPPLIERS = 50, 20


def seed_entries(sb, count):
    """The sandbox reset to ``count`` booked entries of this year in e-conomic's mix
    (``economic_sandbox/seed_ledger.py``: supplier invoices, customer and supplier payments,
    finance vouchers, balanced per voucher) naming its customers and suppliers; returns the
    year."""
    from economic_sandbox.seed_ledger import bulk_entries

    sb.reset(seed="empty", customers=CUSTOMERS, suppliers=SUPPLIERS)
    year = str(sb.state.clock.today().year)
    bulk_entries(sb.state, year, count)
    return year


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
