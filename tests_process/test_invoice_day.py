"""An accountant's ordinary day with invoices, with real commits in separate ``odoo shell``
processes (issue 14 §1): the bookkeeper books a draft in e-conomic, Odoo pushes the next invoice
and the next paid order's draft, again and again. e-conomic gives each new draft the number of
the draft just booked; every draft is bound, nothing fails, nothing is made twice, also when the
process dies between e-conomic's commit and Odoo's."""

from odoo_scripts import CRON_SCRIPT, JOB_STARTED, connection_script
from process_helpers import wait_for_hanging_post

#: script lines: DKK and a 25 % sales tax, a sales journal whose invoices are pushed, push of
#: invoices and write-back on, customers and products pulled; ``result`` names them
DAY_SETUP = """
from odoo import Command
env.ref('base.DKK').active = True
tax = env['account.tax'].create({'name': 'Salgsmoms 25%', 'amount': 25.0,
                                 'type_tax_use': 'sale', 'company_id': company.id})
journal = env['account.journal'].create({'name': 'Sales to e-conomic', 'code': 'TOECO',
                                         'type': 'sale', 'company_id': company.id})
backend._run_pass(entities=['customer', 'product'])
backend.write({'write_back': True, 'invoice_push_journal_ids': [Command.set(journal.ids)]})
for entity in ('invoice', 'credit_note'):
    backend._entity_setting(entity).write({'push': True, 'strategy': 'economic_wins'})
customer = env['economic.partner.binding'].search(
    [('backend_id', '=', backend.id), ('kind', '=', 'customer'), ('economic_key', '=', '1')]
).partner_id
product = env['economic.product.binding'].search(
    [('backend_id', '=', backend.id), ('economic_key', '=', '1')]).product_id
pricelist = env['product.pricelist'].create({'name': 'DKK', 'currency_id': env.ref('base.DKK').id})
env.cr.commit()
result(backend=backend.id, journal=journal.id, tax=tax.id, customer=customer.id,
       product=product.id, pricelist=pricelist.id)
"""

#: script lines: the ids of DAY_SETUP's result in ``ids``; ``backend``, ``admin`` (an e-conomic
#: manager, as the user of the Action menu) and helpers
PRELUDE = """
from odoo import Command
ids = %(ids)r
backend = env['economic.backend'].browse(ids['backend'])
admin = env.ref('base.user_admin')

def binding_of(record):
    field = 'move_id' if record._name == 'account.move' else 'sale_order_id'
    return env['economic.invoice.binding'].search(
        [('backend_id', '=', backend.id), (field, '=', record.id)])

def failed_lines():
    return env['economic.sync.log'].search_read(
        [('backend_id', '=', backend.id), ('state', '=', 'failed')], ['message'])
"""

NEW_INVOICE = """
move = env['account.move'].create({
    'move_type': 'out_invoice', 'partner_id': ids['customer'], 'journal_id': ids['journal'],
    'currency_id': env.ref('base.DKK').id, 'invoice_date': '2026-11-20',
    'invoice_line_ids': [Command.create({'product_id': ids['product'], 'quantity': 2,
                                         'price_unit': 70.0,
                                         'tax_ids': [Command.set([ids['tax']])]})]})
move.action_post()
env.cr.commit()
res = backend._run_pass(entities=['invoice', 'credit_note'])
env.cr.commit()
result(move=move.id, draft=binding_of(move).draft_number, state=res['state'],
       failed=failed_lines())
"""

NEW_ORDER = """
order = env['sale.order'].create({
    'partner_id': ids['customer'], 'pricelist_id': ids['pricelist'],
    'order_line': [Command.create({'product_id': ids['product'], 'product_uom_qty': 3,
                                   'price_unit': 70.0,
                                   'tax_id': [Command.set([ids['tax']])]})]})
order.action_confirm()
env.cr.commit()
order.with_user(admin).action_economic_create_draft()
env.cr.commit()
result(order=order.id, draft=binding_of(order).draft_number, failed=failed_lines())
"""

CHECK = """
res = backend._run_pass(entities=['invoice', 'credit_note'])
env.cr.commit()
moves = env['account.move'].browse(%(moves)r)
orders = env['sale.order'].browse(%(orders)r)
live = {b.draft_number: b.reference for b in env['economic.invoice.binding'].search(
    [('backend_id', '=', backend.id), ('doc_state', '=', 'draft')])}
result(state=res['state'], failed=failed_lines(), live=live,
       moves=[[binding_of(m).doc_state, binding_of(m).booked_number, binding_of(m).draft_number,
               m.economic_booked_number] for m in moves],
       orders=[[binding_of(o).doc_state, binding_of(o).booked_number,
                o.economic_booked_number] for o in orders])
"""


def _setup(odoo_db, sandbox):
    return odoo_db.run(connection_script(sandbox.info) + DAY_SETUP).results()


def _economic_drafts(sandbox):
    return {
        d["draftInvoiceNumber"]: (d.get("references") or {}).get("other")
        for d in sandbox.admin("GET", "/records/invoices/drafts")
    }


def test_book_then_push_the_next_invoice_and_order_again_and_again(odoo_db, sandbox):
    ids = _setup(odoo_db, sandbox)
    prelude = PRELUDE % {"ids": ids}
    moves, orders, numbers = [], [], set()
    for _round in range(3):
        pushed = odoo_db.run(prelude + NEW_INVOICE).results()
        assert pushed["state"] == "done" and not pushed["failed"], pushed
        assert pushed["draft"], pushed
        moves.append(pushed["move"])
        booked = sandbox.book(pushed["draft"])  # the bookkeeper books it in e-conomic
        # the next paid order's draft: e-conomic gives it the number just booked
        made = odoo_db.run(prelude + NEW_ORDER).results()
        assert not made["failed"], made
        assert made["draft"] == pushed["draft"], (made, pushed)
        numbers.add(made["draft"])
        orders.append(made["order"])
        checked = odoo_db.run(prelude + CHECK % {"moves": moves, "orders": orders}).results()
        assert checked["state"] == "done" and not checked["failed"], checked
        assert checked["moves"][-1] == [
            "booked",
            booked["bookedInvoiceNumber"],
            pushed["draft"],
            booked["bookedInvoiceNumber"],
        ], checked
        sandbox.book(made["draft"])
        checked = odoo_db.run(prelude + CHECK % {"moves": moves, "orders": orders}).results()
        assert checked["state"] == "done" and not checked["failed"], checked
        assert all(row[0] == "booked" and row[1] == row[2] for row in checked["orders"]), checked
        # every draft e-conomic holds with an Odoo reference is bound to its document
        for number, reference in _economic_drafts(sandbox).items():
            if reference:
                assert checked["live"].get(str(number)) == reference, (number, checked)
    assert len(numbers) == 1, "the same draft number all day long: %s" % numbers


def test_order_draft_killed_after_economics_commit_is_bound_once(odoo_db, sandbox):
    ids = _setup(odoo_db, sandbox)
    prelude = PRELUDE % {"ids": ids}
    pushed = odoo_db.run(prelude + NEW_INVOICE).results()
    sandbox.book(pushed["draft"])
    sandbox.admin("DELETE", "/requests")
    # e-conomic makes the order's draft (with the number just booked) and does not answer
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "hang_after_commit", "path": "/invoices/drafts", "method": "POST", "delay": 120},
    )
    making = odoo_db.start(prelude + NEW_ORDER)
    wait_for_hanging_post(sandbox, "/invoices/drafts")
    making.kill()  # Odoo dies: e-conomic has the draft, Odoo never learnt its number
    sandbox.admin("DELETE", "/faults")
    orders = odoo_db.sql("SELECT id FROM sale_order ORDER BY id DESC LIMIT 1")
    order_name = odoo_db.sql("SELECT name FROM sale_order WHERE id = %s", orders[0])[0][0]
    assert list(_economic_drafts(sandbox).values()).count(order_name) == 1
    # the user clicks the action again: the draft is found by its reference, not made again
    again = odoo_db.run(
        prelude
        + "order = env['sale.order'].browse(%d)\n" % orders[0][0]
        + "order.with_user(admin).action_economic_create_draft()\nenv.cr.commit()\n"
        + "result(draft=binding_of(order).draft_number, failed=failed_lines())\n"
    ).results()
    assert again["draft"] == pushed["draft"], again
    assert not again["failed"], again
    assert list(_economic_drafts(sandbox).values()).count(order_name) == 1
    posts = [
        r for r in sandbox.requests() if r["method"] == "POST" and r["path"] == "/invoices/drafts"
    ]
    assert len(posts) == 1, "never sent twice"
    checked = odoo_db.run(
        prelude + CHECK % {"moves": [pushed["move"]], "orders": orders[0]}
    ).results()
    assert checked["moves"][0][0] == "booked", checked
    assert not checked["failed"], checked


def test_paid_order_draft_is_made_by_the_woken_cron_off_schedule(odoo_db, sandbox):
    """The paid-order rule (``_economic_request_draft``, in the payment's transaction) asks for
    the draft and wakes the scheduled action; its next run makes the draft at once, in its own
    transaction, the invoices alone, though the connection's pass is not due (its schedule is
    left as it is): the invoice module's waiting work (``_economic_waiting_work``)."""
    ids = _setup(odoo_db, sandbox)
    sandbox.admin("DELETE", "/requests")
    script = (
        PRELUDE % {"ids": ids}
        + CRON_SCRIPT
        + """
next_pass = (datetime.datetime.now() + datetime.timedelta(hours=5)).replace(microsecond=0)
backend.next_pass_date = next_pass
cron.nextcall = later
order = env['sale.order'].create({
    'partner_id': ids['customer'], 'pricelist_id': ids['pricelist'],
    'order_line': [Command.create({'product_id': ids['product'], 'product_uom_qty': 3,
                                   'price_unit': 70.0,
                                   'tax_id': [Command.set([ids['tax']])]})]})
order.action_confirm()
order._economic_request_draft()  # what the paid-order rule runs
asked = order.economic_draft_requested
no_draft_yet = not binding_of(order)
env.cr.commit()
run_cron()
result(asked=asked, no_draft_yet=no_draft_yet, draft=binding_of(order).draft_number,
       reference=binding_of(order).reference, name=order.name,
       requested=order.economic_draft_requested, failed=failed_lines(),
       schedule_kept=backend.next_pass_date == next_pass, **cron_state())
"""
    )
    process = odoo_db.run(script)
    values = process.results()
    assert values["asked"] and values["no_draft_yet"], values
    assert process.count(JOB_STARTED) == 1, process.output[-4000:]
    assert values["draft"], values
    assert values["reference"] == values["name"], values
    assert not values["requested"], values
    assert not values["failed"], values
    assert values["schedule_kept"], "the connection's schedule is left as it is"
    assert values["triggers"] == 0
    assert values["failure_count"] == 0
    paths = {r["path"] for r in sandbox.requests()}
    assert "/invoices/drafts" in paths, sorted(paths)
    assert not [p for p in paths if p.startswith(("/customers", "/suppliers", "/products"))], (
        "the invoices alone: %s" % sorted(paths)
    )
    assert list(_economic_drafts(sandbox).values()).count(values["name"]) == 1
