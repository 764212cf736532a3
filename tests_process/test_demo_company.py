"""``make demo``'s Danish company (tools/demo_company.py), run the way the harness runs it: in
``odoo shell`` on a database with the addon installed without demo data, outside test mode, so
that setting the company's country installs Odoo's Danish localisation for real (and Peppol,
which needs ``phonenumbers``), then connected to the sandbox."""

import importlib.util
import json
import os

from conftest import REPO
from odoo_scripts import connection_script

#: module installs and a language: several minutes on a busy machine
SLOW = 900


def _harness():
    spec = importlib.util.spec_from_file_location(
        "economic_sync_harness", os.path.join(REPO, "tools", "harness.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _company(process):
    line = process.wait_for(r"^DEMO-COMPANY ", timeout=5)
    return json.loads(line.split(" ", 1)[1])


#: script lines: what a user of the demo sees of the company (``result``)
INSPECT = """
company = env.ref('base.main_company')
Module = env['ir.module.module']
dk_names = {a.code: a.name for a in env['account.account'].with_context(lang='da_DK').search(
    [('company_ids', 'in', company.id), ('code', 'in', ['1010', '6190', '7440'])])}
ChartTemplate = env['account.chart.template'].with_company(company)
result(
    modules={m.name: m.state for m in Module.search(
        [('name', 'in', ['l10n_dk', 'account_peppol', 'base_vat'])])},
    dk_names=dk_names,
    receivable=env['res.partner'].with_company(company).create(
        {'name': 'Ny kunde'}).property_account_receivable_id.code,
    sale_tax=company.account_sale_tax_id == ChartTemplate.ref('tax_s1'),
    symbol=company.currency_id.symbol,
    user_company=env.ref('base.user_admin').company_id.id,
)
"""


def test_demo_company_is_danish_and_reused(odoo_db, sandbox):
    harness = _harness()
    first = odoo_db.run(harness.demo_company_script(), timeout=SLOW)
    company = _company(first)
    assert company["status"] == "created", company
    assert company["name"] == "Fjordby Handel ApS"
    assert (company["country"], company["currency"], company["chart_template"]) == (
        "DK",
        "DKK",
        "dk",
    )
    # the agreement's CVR, as Odoo's Danish localisation keeps it
    assert company["vat"] == "DK29403473" and company["company_registry"] == "29403473"
    # Odoo's Danish taxes and fiscal positions (l10n_dk: 52 active taxes, 4 positions)
    assert company["taxes"] >= 40 and company["fiscal_positions"] >= 3, company
    # Danish for users to switch to; Odoo itself stays English
    assert company["languages"] == ["da_DK", "en_US"] and company["admin_language"] == "en_US"
    assert company["admin_tz"] == "Europe/Copenhagen"

    seen = odoo_db.run(INSPECT).results()
    assert seen["modules"] == {
        "l10n_dk": "installed",
        "account_peppol": "installed",
        "base_vat": "installed",
    }
    assert seen["dk_names"]["6190"] == "Tilgodehavender fra salg og tjenesteydelser", seen
    assert seen["dk_names"]["1010"] == "Salg af varer og ydelser", seen
    assert seen["receivable"] == "6190" and seen["sale_tax"]
    assert seen["symbol"] == "kr"  # Odoo's symbol of the Danish krone
    assert seen["user_company"] == company["company_id"]

    # a user renames the company; make demo again reuses it as it is
    odoo_db.run(
        "env.ref('base.main_company').name = 'Fjordby Handel og Service ApS'\nenv.cr.commit()\n"
    )
    second = _company(odoo_db.run(harness.demo_company_script(), timeout=SLOW))
    assert second["status"] == "reused"
    assert second["name"] == "Fjordby Handel og Service ApS"
    assert second["company_id"] == company["company_id"] and second["taxes"] == company["taxes"]

    # connected to the sandbox: e-conomic's DKK prices are the company's own, in kr.
    connect = odoo_db.run(
        connection_script(sandbox.info, company="env.ref('base.main_company')")
        + """
res = backend._run_pass(entities=['product'])
env.cr.commit()
product = env['economic.product.binding'].search(
    [('backend_id', '=', backend.id), ('economic_key', '=', '1')]).product_id
result(state=res['state'], message=backend.last_pass_message,
       base_currency=backend.base_currency,
       product=product.name, price=product.list_price,
       price_currency=product.currency_id.name)
"""
    ).results()
    assert connect["state"] == "done", connect["message"]
    assert connect["base_currency"] == "DKK"
    assert (connect["product"], connect["price"], connect["price_currency"]) == (
        "T-shirt sort",
        70.0,
        "DKK",
    )


def test_demo_database_of_an_earlier_version_is_kept(odoo_db):
    """A main company with another chart and entries (the USD demo of earlier versions) is not
    touched: loading the Danish chart would delete its entries."""
    odoo_db.run(
        """
company = env.ref('base.main_company')
journal = env['account.journal'].search(
    [('company_id', '=', company.id), ('type', '=', 'general')], limit=1)
accounts = env['account.account'].search([('company_ids', 'in', company.id)], limit=2)
move = env['account.move'].create({'journal_id': journal.id, 'line_ids': [
    (0, 0, {'account_id': accounts[0].id, 'debit': 100.0}),
    (0, 0, {'account_id': accounts[1].id, 'credit': 100.0})]})
env.cr.commit()
"""
    )
    company = _company(odoo_db.run(_harness().demo_company_script()))
    assert company["status"] == "kept", company
    assert (company["name"], company["country"], company["currency"]) == ("My Company", "US", "USD")
    assert company["chart_template"] == "generic_coa"
    assert "da_DK" not in company["languages"]
