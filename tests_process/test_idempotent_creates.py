"""Creates in e-conomic across crashes and concurrent users, with real commits in separate
``odoo shell`` processes: a pass killed between e-conomic's commit and Odoo's, and two users
pushing the same new partner at once, each make exactly one e-conomic customer."""

from odoo_scripts import connection_script
from process_helpers import wait_for_hanging_post

#: script lines: write-back and customer push on (a strategy chosen), a first pull done, and
#: a new company partner without e-mail, phone or VAT (nothing to match it by)
PUSH_SETUP = """
backend._run_pass()
backend.write_back = True
backend._entity_setting('customer').write({'strategy': 'economic_wins', 'push': True})
partner = env['res.partner'].create({
    'name': %(name)r, 'customer_rank': 1, 'company_id': company.id,
    'country_id': env.ref('base.dk').id})
env.cr.commit()
result(partner=partner.id, backend=backend.id)
"""


def _setup(odoo_db, sandbox, name):
    process = odoo_db.run(connection_script(sandbox.info) + PUSH_SETUP % {"name": name})
    return process.results()


def _remote_named(sandbox, name):
    return [c for c in sandbox.admin("GET", "/records/customers") if c["name"] == name]


def test_pass_killed_between_economic_commit_and_odoo_commit(odoo_db, sandbox):
    name = "Killed Midway ApS"
    ids = _setup(odoo_db, sandbox, name)
    sandbox.admin("DELETE", "/requests")
    # e-conomic creates the customer and commits, then does not answer yet
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "hang_after_commit", "path": "/customers", "method": "POST", "delay": 120},
    )
    passing = odoo_db.start(
        "backend = env['economic.backend'].browse(%d)\nbackend._run_pass()\n" % ids["backend"]
    )
    hanging = wait_for_hanging_post(sandbox, "/customers")
    passing.kill()  # the pass dies: e-conomic has the customer, Odoo never learnt its number
    assert len(_remote_named(sandbox, name)) == 1
    # the key was committed before the request; no binding was
    rows = odoo_db.sql(
        "SELECT idempotency_key, state FROM economic_create_attempt WHERE res_id = %s",
        (ids["partner"],),
    )
    assert rows == [(hanging["idempotency_key"], "pending")]
    assert not odoo_db.sql(
        "SELECT id FROM economic_partner_binding WHERE partner_id = %s", (ids["partner"],)
    )
    sandbox.admin("DELETE", "/faults")
    # the next pass (the scheduled action's next run) settles it with the same key
    odoo_db.run(
        "backend = env['economic.backend'].browse(%d)\n"
        "res = backend._run_pass()\n"
        "res2 = backend._run_pass(full=True)\n"
        "result(state=res['state'], state2=res2['state'])\n" % ids["backend"]
    )
    created = _remote_named(sandbox, name)
    assert len(created) == 1, created
    posts = [r for r in sandbox.requests() if r["method"] == "POST" and r["path"] == "/customers"]
    assert {r["idempotency_key"] for r in posts} == {hanging["idempotency_key"]}
    assert odoo_db.sql(
        "SELECT economic_key FROM economic_partner_binding "
        "WHERE partner_id = %s AND kind = 'customer'",
        (ids["partner"],),
    ) == [(str(created[0]["customerNumber"]),)]
    assert odoo_db.sql("SELECT count(*) FROM res_partner WHERE name = %s", (name,)) == [(1,)]
    assert odoo_db.sql("SELECT count(*) FROM economic_create_attempt") == [(0,)]


def test_two_users_push_the_same_new_partner_at_once(odoo_db, sandbox):
    name = "Pushed Twice ApS"
    ids = _setup(odoo_db, sandbox, name)
    sandbox.admin("DELETE", "/requests")
    # a slow create, so that the second Push now arrives while the first one is running
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "latency", "path": "/customers", "method": "POST", "delay": 6, "times": 5},
    )
    push = (
        "partner = env['res.partner'].browse(%d)\n"
        "action = partner.action_economic_push()\n"
        "result(message=action['params']['message'])\n" % ids["partner"]
    )
    first = odoo_db.start(push)
    second = odoo_db.start(push)
    for process in (first, second):
        process.wait(120)
        process.check()
    created = _remote_named(sandbox, name)
    assert len(created) == 1, created
    assert odoo_db.sql(
        "SELECT count(*) FROM economic_partner_binding WHERE partner_id = %s", (ids["partner"],)
    ) == [(1,)]
    messages = [first.results()["message"], second.results()["message"]]
    assert sorted(m.startswith("1 created") for m in messages) == [False, True], messages
    assert all("0 errors" in m for m in messages), messages
