"""The invoice part of ``tools/bench_sync.py``: booked e-conomic invoices pulled into Odoo.

The sandbox is reset to ``--invoices N`` booked invoices of ``--invoice-lines L`` lines (5) for
500 generated customers and 200 products (25 % and 0 % VAT, discounts, every tenth a credit
note). The customers and products are pulled first (not measured). Then: the initial invoice
pull (posted, locked moves with their bindings), a pass with no change (new numbers, the date
window and the unpaid view are read; nothing is created), and as the floor a plain
create-and-post of the same N invoices (same partners, products, quantities, prices,
discounts and taxes; pages of 1,000, as the pull), rolled back.
"""

from decimal import Decimal

CUSTOMERS, PRODUCTS = 500, 200
INVOICE_ENTITIES = ["invoice", "credit_note"]


def seed_invoices(sb, count, lines):
    sb.reset(
        seed="empty",
        customers=CUSTOMERS,
        products=PRODUCTS,
        invoices=count,
        lines_per_invoice=lines,
    )


def prepare_odoo(env):
    """DKK active and a 25 % sales tax: what e-conomic's domestic VAT maps to."""
    env.ref("base.DKK").active = True
    Tax = env["account.tax"]
    company = env.company
    domain = [
        *Tax._check_company_domain(company),
        ("type_tax_use", "=", "sale"),
        ("amount_type", "=", "percent"),
        ("price_include", "=", False),
        ("amount", "=", 25.0),
    ]
    if not Tax.search(domain, limit=1):
        Tax.create({"name": "Bench 25%", "amount": 25.0, "company_id": company.id})


def bench_invoices(args, bench, env, backend):
    seed_invoices(bench.sb, args.invoices, args.invoice_lines)
    prepare_odoo(env)
    backend.action_refresh_references()
    for entity in ("customer", "product"):
        setting = backend._entity_setting(entity)
        setting.write({"pull": True, "last_pull_at": False, "last_full_pass": False})
    env.cr.commit()
    engine = env["economic.sync.engine"]
    engine._run_pass(backend, entities=["customer", "product"])
    for entity in INVOICE_ENTITIES:
        backend._entity_setting(entity).write({"pull": True, "auto": True})
    env.cr.commit()

    def invoice_pass():
        result = engine._run_pass(backend, entities=INVOICE_ENTITIES)
        return {k: result.get(k) for k in ("created", "updated", "errors", "state")}

    bench.measure("invoice pull (%d x %d)" % (args.invoices, args.invoice_lines), invoice_pass)
    bench.measure("invoice no-change pass", invoice_pass)
    bench.measure("floor: create+post invoices", lambda: invoice_floor(env, bench.sb, backend))
    print("invoices: %d of %d lines" % (args.invoices, args.invoice_lines), flush=True)


def invoice_floor(env, sb, backend):
    """A plain create-and-post of the sandbox's booked invoices (the same rows), rolled back."""
    st = sb.state
    with st.lock:
        records = [dict(r) for r in st.tables["invoices/booked"].values()]
    partners = {
        b.economic_number: b.partner_id.id
        for b in env["economic.partner.binding"].search(
            [("backend_id", "=", backend.id), ("kind", "=", "customer")]
        )
    }
    products = {
        b.economic_key: b.product_id.id
        for b in env["economic.product.binding"].search([("backend_id", "=", backend.id)])
    }
    Tax = env["account.tax"]
    tax = Tax.search(
        [
            *Tax._check_company_domain(env.company),
            ("type_tax_use", "=", "sale"),
            ("amount", "=", 25.0),
            ("price_include", "=", False),
        ],
        limit=1,
    )
    journal = backend._invoice_journal()
    dkk = env.ref("base.DKK")
    Move = env["account.move"].with_context(
        tracking_disable=True, mail_create_nolog=True, mail_notrack=True
    )
    created = 0
    for start in range(0, len(records), 1000):
        vals = [
            _floor_vals(r, partners, products, tax, journal, dkk)
            for r in records[start : start + 1000]
        ]
        moves = Move.create(vals)
        moves.action_post()
        created += len(moves)
    env.flush_all()
    env.cr.rollback()
    return created


def _floor_vals(record, partners, products, tax, journal, currency):
    refund = Decimal(record["grossAmount"]) < 0
    return {
        "move_type": "out_refund" if refund else "out_invoice",
        "journal_id": journal.id,
        "partner_id": partners[record["customer"]["customerNumber"]],
        "invoice_date": record["date"],
        "invoice_date_due": record["dueDate"],
        "currency_id": currency.id,
        "invoice_line_ids": [
            (
                0,
                0,
                {
                    "product_id": products[str(line["product"]["productNumber"])],
                    "name": line.get("description") or "-",
                    "quantity": float(-line["quantity"] if refund else line["quantity"]),
                    "price_unit": float(line["unitNetPrice"]),
                    "discount": float(line.get("discountPercentage") or 0),
                    "tax_ids": [(6, 0, tax.ids if Decimal(line["vatRate"]) else [])],
                },
            )
            for line in record.get("lines", [])
        ],
    }
