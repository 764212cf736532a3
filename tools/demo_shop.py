"""The demo's shop (``make demo``, tools/harness.py): a point of sale with a day of sales.

``make demo`` installs Point of Sale (the bridges ``economic_sync_pos`` and
``economic_sync_stock`` install themselves with it), connects the Danish company to the
sandbox, then runs this file in ``odoo shell`` followed by ``demo_shop(env, DEMO_SHOP)``:

- a point of sale "Butik" with the payment methods Cash and Card, their money debited in
  e-conomic to the sandbox's accounts 5810 Kasse and 5820 Bankkonto;
- YESTERDAY (in the company's timezone) a closed session of a handful of orders: coffee and
  pastries at 25 % VAT, newspapers at 0 % (Danish newspapers are zero-rated), a discount, a
  return, cash with change and card;
- the connection's shop settings pointing at it: days sent as one draft invoice to the cash
  customer from yesterday on, a line per tax on the e-conomic products "Dagens salg 25 % moms"
  (DAG25) and "Dagens salg momsfri" (DAG0), which the harness creates in the sandbox before
  the connection's first pass, as an accountant creates them in e-conomic; the Daily Sales
  push on (write-back stays off, as the demo's connection has it: the preview shows the day,
  nothing is sent until the user says so).

The cash customer 99999999 is left missing in the sandbox on purpose: the preview says so and
offers to create it (with write-back), which is what an accountant meets on a real agreement
first, where the retail integrations fail later instead.

Running it again adds nothing: the point of sale is reused, and a day that already has a
closed session is not sold again (a demo started on a later day gets that day's yesterday).
The file holds no Odoo import at module level, so the pure tier can read ``DEMO_SHOP``.
"""

from datetime import datetime, time, timedelta

#: the demo's point of sale
DEMO_SHOP = {
    "name": "Butik",
    "tz": "Europe/Copenhagen",
    # (name, sales price without VAT as Odoo's Danish taxes take it, tax XML id of the Danish
    # chart): 35.00, 22.00 and 28.50 with 25 % VAT at the till, the newspaper 30.00 at 0 %
    "products": [
        ("Kaffe", 28.0, "tax_s1"),
        ("Wienerbrød", 17.6, "tax_s1"),
        ("Kage", 22.8, "tax_s1"),
        ("Avis", 30.0, "tax_s0"),
    ],
    # the e-conomic product each tax's line of the day's invoice goes on: (number, name,
    # product group of the sandbox: 3 "Ydelser m/moms" sells at 25 %, 4 "Ydelser u/moms"
    # without VAT); the harness creates them in the sandbox, as an accountant does in
    # e-conomic before sending days per tax
    "tax_products": {
        "tax_s1": ("DAG25", "Dagens salg 25 % moms", 3),
        "tax_s0": ("DAG0", "Dagens salg momsfri", 4),
    },
    # payment method -> (journal kind of the chart, e-conomic account number of the sandbox)
    "methods": {"Cash": ("cash", 5810), "Card": ("bank", 5820)},
    # (hour, minute, [(product, quantity, discount %)], [(method, amount or None: the rest)],
    #  change given back in cash)
    "orders": [
        (8, 5, [("Kaffe", 2, 0), ("Wienerbrød", 2, 0)], [("Card", None)], 0),
        (9, 40, [("Kaffe", 1, 0), ("Avis", 1, 0)], [("Cash", 100.0)], 35.0),
        (11, 15, [("Kage", 4, 10), ("Kaffe", 4, 10)], [("Card", None)], 0),
        (12, 30, [("Avis", 2, 0), ("Wienerbrød", 1, 0)], [("Cash", None)], 0),
        (14, 0, [("Kaffe", -1, 0)], [("Cash", None)], 0),
        (16, 45, [("Kaffe", 3, 0), ("Kage", 1, 0), ("Avis", 1, 0)], [("Card", None)], 0),
    ],
}


def _tz(env, company, name):
    import pytz  # noqa: PLC0415 - the pure tier imports this file without Odoo's libraries

    if not company.partner_id.tz:
        company.partner_id.tz = name
    return pytz.timezone(company.partner_id.tz)


def _products(env, company, params):
    chart = env["account.chart.template"].with_company(company)
    Product = env["product.product"].with_company(company)
    out = {}
    for name, price, tax in params["products"]:
        product = Product.search(
            [("name", "=", name), ("company_id", "=", company.id), ("available_in_pos", "=", True)],
            limit=1,
        )
        if not product:
            product = Product.create(
                {
                    "name": name,
                    "type": "consu",
                    "available_in_pos": True,
                    "list_price": price,
                    "taxes_id": [(6, 0, chart.ref(tax).ids)],
                    "company_id": company.id,
                }
            )
        out[name] = product
    return out


def _methods(env, company, backend, params):
    chart = env["account.chart.template"].with_company(company)
    Method = env["pos.payment.method"]
    out = {}
    for name, (journal, number) in params["methods"].items():
        method = Method.search([("name", "=", name), ("company_id", "=", company.id)], limit=1)
        if not method:
            vals = {"name": name, "journal_id": chart.ref(journal).id, "company_id": company.id}
            if journal == "bank":  # as the form's onchange sets it
                vals["outstanding_account_id"] = chart.ref(
                    "account_journal_payment_debit_account_id"
                ).id
            method = Method.create(vals)
        account = env["economic.account"].search(
            [("backend_id", "=", backend.id), ("account_number", "=", number)], limit=1
        )
        if account and not method.economic_account_id:
            method.economic_account_id = account
        out[name] = method
    return out


def _config(env, company, methods, params):
    config = env["pos.config"].search(
        [("name", "=", params["name"]), ("company_id", "=", company.id)], limit=1
    )
    if not config:
        config = env["pos.config"].create(
            {
                "name": params["name"],
                "company_id": company.id,
                "payment_method_ids": [(6, 0, [m.id for m in methods.values()])],
            }
        )
    return config


def _sell(env, session, products, methods, when, lines, payments, change):
    order = env["pos.order"].create(
        {
            "session_id": session.id,
            "date_order": when,
            "amount_tax": 0.0,
            "amount_total": 0.0,
            "amount_paid": 0.0,
            "amount_return": 0.0,
            "lines": [
                (
                    0,
                    0,
                    {
                        "product_id": products[name].id,
                        "qty": qty,
                        "discount": discount,
                        "price_unit": products[name].lst_price,
                        "tax_ids": [(6, 0, products[name].taxes_id.ids)],
                        "price_subtotal": 0.0,
                        "price_subtotal_incl": 0.0,
                        "full_product_name": name,
                    },
                )
                for name, qty, discount in lines
            ],
        }
    )
    order.lines._onchange_amount_line_all()
    order._compute_prices()
    for name, amount in payments:
        if amount is None:
            amount = order.amount_total - order.amount_paid + change
        order.add_payment(
            {"pos_order_id": order.id, "amount": amount, "payment_method_id": methods[name].id}
        )
    if change:
        order.add_payment(
            {
                "pos_order_id": order.id,
                "amount": -change,
                "payment_method_id": methods["Cash"].id,
                "is_change": True,
            }
        )
    order._compute_prices()
    order.action_pos_order_paid()
    return order


def _sell_the_day(env, config, products, methods, tz, day, params):
    """A closed session of ``day``'s orders; None when the day has one already."""
    import pytz  # noqa: PLC0415

    start = tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)
    sold = env["pos.order"].search_count(
        [
            ("config_id", "=", config.id),
            ("session_id.state", "=", "closed"),
            ("date_order", ">=", start),
            ("date_order", "<", start + timedelta(days=1)),
        ]
    )
    if sold or config.current_session_id:
        return None
    config.open_ui()
    session = config.current_session_id
    session.set_opening_control(0, None)
    for hour, minute, lines, payments, change in params["orders"]:
        local = tz.localize(datetime.combine(day, time(hour, minute)))
        when = local.astimezone(pytz.utc).replace(tzinfo=None)
        _sell(env, session, products, methods, when, lines, payments, change)
    cash = sum(p.amount for p in session.order_ids.payment_ids if p.payment_method_id.is_cash_count)
    session.post_closing_cash_details(cash)
    session.close_session_from_ui()
    return session


def _tax_products(env, company, backend, params):
    """Each tax's e-conomic product (pulled by the connection's first pass) on the connection's
    Products of the Taxes, where the tax has none yet."""
    chart = env["account.chart.template"].with_company(company)
    done = set(backend.shop_tax_product_ids.tax_id.ids)
    rows = []
    for tax_ref, (number, _name, _group) in params["tax_products"].items():
        tax = chart.ref(tax_ref)
        binding = env["economic.product.binding"].search(
            [("backend_id", "=", backend.id), ("economic_key", "=", number)], limit=1
        )
        if binding and tax.id not in done:
            rows.append((0, 0, {"tax_id": tax.id, "product_id": binding.product_id.id}))
    if rows:
        backend.write({"shop_tax_product_ids": rows})


def _shop_settings(env, company, backend, config, day, params):
    """The connection's Shops tab: the point of sale, days sent as one draft invoice per day
    with a line per tax from ``day`` on (a connection that sent days keeps its settings), the
    Daily Sales push on (write-back stays as the connection has it)."""
    vals = {"shop_pos_config_ids": [(4, config.id)]}
    if not backend.shop_day_count:
        vals.update({"shop_mode": "invoice", "shop_grouping": "tax", "shop_send_from": day})
    backend.write(vals)
    _tax_products(env, company, backend, params)
    setting = backend._entity_setting("shop_day")
    if setting and not setting.push:
        setting.write({"strategy": "local_wins", "push": True})


def demo_shop(env, params):
    """Make (or reuse) the demo's point of sale with a closed day of sales yesterday, and point
    the connection's shop settings at it; commits. Returns what it is (a dict to print)."""
    company = env.ref("base.main_company")
    backend = env["economic.backend"].search([("company_id", "=", company.id)], limit=1)
    # as the administrator (a Point of Sale manager: the shell's superuser may not open a
    # session), in the company
    env = env(
        user=env.ref("base.user_admin"),
        context=dict(env.context, allowed_company_ids=company.ids),
    )
    tz = _tz(env, company, params["tz"])
    yesterday = datetime.now(tz).date() - timedelta(days=1)
    products = _products(env, company, params)
    methods = _methods(env, company, backend, params)
    config = _config(env, company, methods, params)
    session = _sell_the_day(env, config, products, methods, tz, yesterday, params)
    if backend:
        _shop_settings(env, company, backend, config, yesterday, params)
    env.cr.commit()
    orders = config.session_ids.order_ids.filtered(lambda o: o.session_id.state == "closed")
    return {
        "config": config.name,
        "day": str(yesterday),
        "session": session.name if session else None,
        "orders": len(orders),
        "total": round(sum(orders.mapped("amount_total")), 2),
        "methods": {
            name: method.economic_account_id.account_number or None
            for name, method in methods.items()
        },
        "connection": bool(backend),
        "tax_products": {
            row.tax_id.name: row.economic_product for row in backend.shop_tax_product_ids
        },
    }
