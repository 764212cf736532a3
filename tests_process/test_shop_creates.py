"""A shop's day sent to e-conomic across a crash, with real commits in separate ``odoo shell``
processes (issue 18 §4): the pass dies after e-conomic made the day's draft invoice and before
Odoo committed its number; the next passes bind that draft and make no second one."""

from odoo_scripts import connection_script
from process_helpers import wait_for_hanging_post

DRAFTS = "/invoices/drafts"
CASH_CUSTOMER = 99999999

#: script lines: the cash customer in e-conomic, products pulled, a 25 % and a 0 % sales tax
#: with their products, a register journal whose posted entries are the days' sales, Daily
#: Sales push and write-back on, and a day of sales booked by hand two days ago
SHOP_SETUP = """
import datetime
from odoo import Command
env.ref('base.DKK').active = True
Tax = env['account.tax']
tax25 = Tax.create({'name': 'Salgsmoms 25%', 'amount': 25.0, 'type_tax_use': 'sale',
                    'company_id': company.id})
tax0 = Tax.create({'name': 'Momsfri', 'amount': 0.0, 'type_tax_use': 'sale',
                   'company_id': company.id})
Account = env['account.account']
income = Account.search([*Account._check_company_domain(company),
                         ('account_type', '=', 'income')], limit=1)
cash = Account.create({'name': 'Kasse (butik)', 'code': '699901', 'account_type': 'asset_cash'})
register = env['account.journal'].create({'name': 'Kasseapparat', 'code': 'KASA',
                                          'type': 'general', 'company_id': company.id})
backend._run_pass(entities=['product'])
products = {b.economic_key: b.product_id for b in env['economic.product.binding'].search(
    [('backend_id', '=', backend.id), ('economic_key', 'in', ['1', 'EXPORT-1'])])}
today = datetime.datetime.now(datetime.timezone.utc).date()
day = today - datetime.timedelta(days=2)
backend.write({
    'write_back': True,
    'shop_sale_journal_ids': [Command.set(register.ids)],
    'shop_send_from': today - datetime.timedelta(days=10),
    'shop_tax_product_ids': [
        Command.create({'tax_id': tax25.id, 'product_id': products['1'].id}),
        Command.create({'tax_id': tax0.id, 'product_id': products['EXPORT-1'].id}),
    ],
})
backend._entity_setting('shop_day').write({'push': True, 'strategy': 'local_wins'})
move = env['account.move'].create({
    'move_type': 'entry', 'journal_id': register.id, 'date': day,
    'line_ids': [
        Command.create({'name': 'Salg 25%', 'account_id': income.id, 'credit': 800.0,
                        'tax_ids': [Command.set(tax25.ids)]}),
        Command.create({'name': 'Salg momsfri', 'account_id': income.id, 'credit': 100.0,
                        'tax_ids': [Command.set(tax0.ids)]}),
        Command.create({'name': 'Kontant', 'account_id': cash.id, 'debit': 1100.0}),
    ]})
move.action_post()
env.cr.commit()
result(backend=backend.id, move=move.id, day=str(day), total=move.amount_total)
"""

PASS = "backend = env['economic.backend'].browse(%d)\nbackend._run_pass(entities=['shop_day'])\n"


def _cash_customer(sandbox):
    sandbox.admin(
        "POST",
        "/create",
        {
            "resource": "customers",
            "record": {
                "customerNumber": CASH_CUSTOMER,
                "name": "Kontantsalg",
                "currency": "DKK",
                "customerGroup": {"customerGroupNumber": 1},
                "paymentTerms": {"paymentTermsNumber": 1},
                "vatZone": {"vatZoneNumber": 1},
            },
        },
    )


def _drafts(sandbox):
    return [
        d
        for d in sandbox.admin("GET", "/records/invoices/drafts")
        if d["customer"]["customerNumber"] == CASH_CUSTOMER
    ]


def test_day_killed_between_economic_commit_and_odoo_commit(odoo_db, sandbox):
    _cash_customer(sandbox)
    ids = odoo_db.run(connection_script(sandbox.info) + SHOP_SETUP).results()
    sandbox.admin("DELETE", "/requests")
    # e-conomic makes the draft and commits, then does not answer yet
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "hang_after_commit", "path": DRAFTS, "method": "POST", "delay": 120},
    )
    passing = odoo_db.start(PASS % ids["backend"])
    hanging = wait_for_hanging_post(sandbox, DRAFTS)
    passing.kill()  # the pass dies: e-conomic has the draft, Odoo never learnt its number
    drafts = _drafts(sandbox)
    assert len(drafts) == 1, drafts
    # the key and the document were committed before the request; no number was
    assert odoo_db.sql(
        "SELECT idempotency_key, state FROM economic_create_attempt WHERE entity = 'shop_day'"
    ) == [(hanging["idempotency_key"], "pending")]
    assert odoo_db.sql("SELECT doc_state, draft_number FROM economic_shop_document") == [
        ("sending", None)
    ]
    sandbox.admin("DELETE", "/faults")
    # the next passes (the scheduled action's next runs) bind it, and send nothing new
    odoo_db.run(
        "backend = env['economic.backend'].browse(%d)\n"
        "res = backend._run_pass(entities=['shop_day'])\n"
        "env.cr.commit()\n"
        "res2 = backend._run_pass(entities=['shop_day'])\n"
        "env.cr.commit()\n"
        "result(state=res['state'], state2=res2['state'])\n" % ids["backend"]
    )
    drafts = _drafts(sandbox)
    assert len(drafts) == 1, drafts
    draft = drafts[0]
    assert draft["date"] == ids["day"]
    assert round(float(draft["grossAmount"]), 2) == round(ids["total"], 2)
    posts = [r for r in sandbox.requests() if r["method"] == "POST" and r["path"] == DRAFTS]
    assert {r["idempotency_key"] for r in posts} <= {hanging["idempotency_key"]}, posts
    assert odoo_db.sql("SELECT doc_state, draft_number, reference FROM economic_shop_document") == [
        ("draft", draft["draftInvoiceNumber"], draft["references"]["other"])
    ]
    assert odoo_db.sql("SELECT state FROM economic_shop_day") == [("draft",)]
    assert odoo_db.sql("SELECT count(*) FROM economic_create_attempt") == [(0,)]
