"""Purchases made by scheduled passes with real commits (issue 17 §2), in an ``odoo shell``
subprocess: the scheduled action mirrors the sandbox's booked entries, pulls the suppliers on
demand (committing their pages) and makes the demo's supplier invoices posted vendor bills,
committed; the next scheduled pass makes none again."""

from odoo_scripts import CRON_SCRIPT, JOB_STARTED, connection_script

#: script lines: DKK, the taxes and accounts the demo's supplier invoices need, mapped; Purchases
#: switched on
PURCHASE_SETUP = """
env.ref('base.DKK').active = True
Tax = env['account.tax'].with_company(company)
tax25 = Tax.create({'name': 'Købsmoms 25%', 'amount': 25.0, 'type_tax_use': 'purchase',
                    'company_id': company.id})
tax625 = Tax.create({'name': 'Repræsentation', 'amount': 6.25, 'type_tax_use': 'purchase',
                     'company_id': company.id})
backend._run_pass(entities=['account', 'vat_code'])
for number in (3600, 2750, 3628, 3640):
    account = env['account.account'].create({
        'name': 'e-conomic %s' % number, 'code': '69%s' % number, 'account_type': 'expense',
        'company_ids': [(6, 0, company.ids)]})
    env['economic.account'].search([('backend_id', '=', backend.id),
                                    ('account_number', '=', number)]).account_id = account
Vat = env['economic.vat.code']
Vat.search([('backend_id', '=', backend.id), ('code', '=', 'I25')]).tax_id = tax25
Vat.search([('backend_id', '=', backend.id), ('code', '=', 'REP')]).tax_id = tax625
backend._entity_setting('purchase').write({'pull': True, 'auto': True})
env.cr.commit()

def purchases():
    bindings = env['economic.purchase.binding'].search([('backend_id', '=', backend.id)])
    return {b.supplier_invoice_number: [b.move_id.id, b.move_id.state, b.move_id.move_type,
                                        b.move_id.amount_total, b.payment_status]
            for b in bindings}

def run_scheduled_pass():
    backend.next_pass_date = False
    cron.nextcall = datetime.datetime.now() - datetime.timedelta(minutes=1)
    env.cr.commit()
    run_cron()
"""


def test_scheduled_passes_make_each_bill_once(odoo_db, sandbox):
    script = (
        connection_script(sandbox.info)
        + CRON_SCRIPT
        + PURCHASE_SETUP
        + """
run_scheduled_pass()
first = purchases()
state, message = backend.last_pass_state, backend.last_pass_message
run_scheduled_pass()
failed = env['economic.sync.log'].search_read(
    [('backend_id', '=', backend.id), ('state', '=', 'failed')], ['message'])
created = env['economic.sync.log'].search_count(
    [('backend_id', '=', backend.id), ('entity', '=', 'purchase'), ('operation', '=', 'create')])
result(first=first, second=purchases(), state=state, message=message,
       second_state=backend.last_pass_state, failed=failed, created=created,
       suppliers=bindings(backend).get('supplier', 0))
"""
    )
    process = odoo_db.run(script, timeout=240)
    values = process.results()
    assert process.count(JOB_STARTED) == 2, process.output[-4000:]
    assert values["state"] == "done", values["message"]
    assert values["second_state"] == "done"
    assert not values["failed"], values["failed"]
    first = values["first"]
    # the demo's supplier invoices: this year's four and last year's one
    assert set(first) == {"S-1001", "K-7788", "K-7790", "S-1002", "S-2024"}, first
    assert all(bill[1] == "posted" for bill in first.values()), first
    assert first["S-1001"][2:4] == ["in_invoice", 1856.25]
    assert first["S-1001"][4] == "paid", "its supplier payment paid it"
    assert first["K-7790"][2:4] == ["in_refund", 625.0]
    assert values["suppliers"] >= 2
    # the next scheduled pass makes nothing again
    assert values["second"] == first
    assert values["created"] == len(first)
