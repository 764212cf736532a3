"""A customer payment sent to e-conomic across a crash, with real commits in separate
``odoo shell`` processes (issue 17 §3): the pass dies after e-conomic made the draft entry and
before Odoo committed its binding; the next passes bind that entry and make no second one."""

from odoo_scripts import connection_script
from process_helpers import wait_for_hanging_post

VOUCHERS = "/journals/2/vouchers"

#: script lines: accounts, customers, products and journals pulled; an invoice booked in
#: e-conomic and pulled; journal 2 (customer payments only) chosen; push of payments and
#: write-back on; the invoice paid in Odoo
PAYMENT_SETUP = """
from odoo import fields
env.ref('base.DKK').active = True
env.ref('base.EUR').active = True
env['account.tax'].create({'name': 'Salgsmoms 25%', 'amount': 25.0, 'type_tax_use': 'sale',
                           'company_id': company.id})
backend._run_pass(entities=['account', 'customer', 'product', 'journal_entry'])
today = fields.Date.to_string(fields.Date.context_today(backend))
with backend._get_client() as client:
    cust = client.customers.get(1)
    draft = client.invoices.drafts.create({
        'date': today, 'currency': 'DKK', 'customer': {'customerNumber': 1},
        'layout': cust.get('layout') or {'layoutNumber': 19},
        'paymentTerms': {'paymentTermsNumber': cust['paymentTerms']['paymentTermsNumber']},
        'recipient': {'name': cust['name'],
                      'vatZone': {'vatZoneNumber': cust['vatZone']['vatZoneNumber']}},
        'lines': [{'lineNumber': 1, 'sortKey': 1, 'product': {'productNumber': '1'},
                   'description': 'Shirts', 'quantity': 2.0, 'unitNetPrice': 100.0}]})
    booked = client.invoices.book(draft['draftInvoiceNumber'])
number = booked['bookedInvoiceNumber']
backend._entity_setting('invoice').write({'pull': True})
backend._run_pass(entities=['invoice'])
move = env['economic.invoice.binding'].search(
    [('backend_id', '=', backend.id), ('booked_number', '=', number)]).move_id
assert move, 'the booked invoice was pulled'
journal = env['economic.journal'].search(
    [('backend_id', '=', backend.id), ('journal_number', '=', 2)])
backend.write({'write_back': True, 'payment_journal_id': journal.id})
backend._entity_setting('payment').write({'push': True, 'strategy': 'local_wins'})
payment = env['account.payment.register'].with_context(
    active_model='account.move', active_ids=move.ids).create({})._create_payments()
env.cr.commit()
result(backend=backend.id, payment=payment.id, name=payment.name, number=number,
       amount=move.amount_total)
"""


def _entries(sandbox):
    return sandbox.rest("GET", "/journals/2/entries")["collection"]


def test_pass_killed_between_economic_commit_and_odoo_commit(odoo_db, sandbox):
    ids = odoo_db.run(connection_script(sandbox.info) + PAYMENT_SETUP).results()
    sandbox.admin("DELETE", "/requests")
    # e-conomic makes the draft entry and commits, then does not answer yet
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "hang_after_commit", "path": VOUCHERS, "method": "POST", "delay": 120},
    )
    passing = odoo_db.start(
        "backend = env['economic.backend'].browse(%d)\n"
        "backend._run_pass(entities=['payment'])\n" % ids["backend"]
    )
    hanging = wait_for_hanging_post(sandbox, VOUCHERS)
    passing.kill()  # the pass dies: e-conomic has the entry, Odoo never learnt its voucher
    entries = _entries(sandbox)
    assert len(entries) == 1, entries
    # the key was committed before the request; no binding was
    assert odoo_db.sql(
        "SELECT idempotency_key, state FROM economic_create_attempt WHERE res_id = %s",
        (ids["payment"],),
    ) == [(hanging["idempotency_key"], "pending")]
    assert not odoo_db.sql(
        "SELECT id FROM economic_payment_binding WHERE payment_id = %s", (ids["payment"],)
    )
    sandbox.admin("DELETE", "/faults")
    # the next passes (the scheduled action's next runs) bind it, and send nothing new
    odoo_db.run(
        "backend = env['economic.backend'].browse(%d)\n"
        "res = backend._run_pass(entities=['payment'])\n"
        "env.cr.commit()\n"
        "res2 = backend._run_pass(entities=['payment'])\n"
        "result(state=res['state'], state2=res2['state'])\n" % ids["backend"]
    )
    entries = _entries(sandbox)
    assert len(entries) == 1, entries
    entry = entries[0]
    assert (entry["customerInvoice"], entry["customer"]["customerNumber"]) == (ids["number"], 1)
    assert round(float(entry["amount"]), 2) == round(ids["amount"], 2)
    posts = [r for r in sandbox.requests() if r["method"] == "POST" and r["path"] == VOUCHERS]
    assert {r["idempotency_key"] for r in posts} <= {hanging["idempotency_key"]}, posts
    assert odoo_db.sql(
        "SELECT voucher_number, journal_entry_number, doc_state FROM economic_payment_binding "
        "WHERE payment_id = %s",
        (ids["payment"],),
    ) == [(entry["voucher"]["voucherNumber"], entry["journalEntryNumber"], "draft")]
    assert odoo_db.sql("SELECT count(*) FROM economic_create_attempt") == [(0,)]
