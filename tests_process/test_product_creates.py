"""Products pushed to e-conomic across a crash, with real commits in separate ``odoo shell``
processes: a pass killed between e-conomic's commit of a new product and Odoo's commit of its
binding makes exactly one e-conomic product, bound to the Odoo product, on the next pass."""

from odoo_scripts import connection_script
from process_helpers import wait_for_hanging_post

#: script lines: products pulled once, write-back and product push on (a strategy chosen,
#: only the test's product in scope), and a new product with an internal reference
PUSH_SETUP = """
backend._run_pass(entities=['product'])
backend.write_back = True
backend._entity_setting('product').write({
    'strategy': 'newer_wins', 'push': True,
    'push_domain': "[('default_code', '=', %(code)r)]"})
product = env['product.product'].create({
    'name': 'Killed Midway Lamp', 'default_code': %(code)r, 'list_price': 99.5,
    'categ_id': backend.reference_ids.filtered(
        lambda r: r.kind == 'product_group' and r.number == '1').category_id.id})
env.cr.commit()
result(product=product.id, backend=backend.id)
"""


def _remote(sandbox, code):
    return [p for p in sandbox.admin("GET", "/records/products") if p["productNumber"] == code]


def test_product_push_killed_between_economic_commit_and_odoo_commit(odoo_db, sandbox):
    code = "LAMP-1"
    ids = odoo_db.run(connection_script(sandbox.info) + PUSH_SETUP % {"code": code}).results()
    sandbox.admin("DELETE", "/requests")
    sandbox.admin(
        "POST",
        "/faults",
        {"fault": "hang_after_commit", "path": "/products", "method": "POST", "delay": 120},
    )
    passing = odoo_db.start(
        "backend = env['economic.backend'].browse(%d)\n"
        "backend._run_pass(entities=['product'])\n" % ids["backend"]
    )
    hanging = wait_for_hanging_post(sandbox, "/products")
    passing.kill()  # e-conomic has the product, Odoo never learnt it did
    assert len(_remote(sandbox, code)) == 1
    rows = odoo_db.sql(
        "SELECT idempotency_key, state FROM economic_create_attempt WHERE res_id = %s",
        (ids["product"],),
    )
    assert rows == [(hanging["idempotency_key"], "pending")]
    assert not odoo_db.sql(
        "SELECT id FROM economic_product_binding WHERE product_id = %s", (ids["product"],)
    )
    sandbox.admin("DELETE", "/faults")
    odoo_db.run(
        "backend = env['economic.backend'].browse(%d)\n"
        "res = backend._run_pass(entities=['product'])\n"
        "res2 = backend._run_pass(entities=['product'], full=True)\n"
        "result(state=res['state'], state2=res2['state'])\n" % ids["backend"]
    )
    created = _remote(sandbox, code)
    assert len(created) == 1, created
    assert created[0]["name"] == "Killed Midway Lamp"
    posts = [r for r in sandbox.requests() if r["method"] == "POST" and r["path"] == "/products"]
    assert {r["idempotency_key"] for r in posts} == {hanging["idempotency_key"]}
    assert odoo_db.sql(
        "SELECT economic_key FROM economic_product_binding WHERE product_id = %s",
        (ids["product"],),
    ) == [(code,)]
    assert odoo_db.sql("SELECT count(*) FROM product_product WHERE default_code = %s", (code,)) == [
        (1,)
    ]
    assert odoo_db.sql("SELECT count(*) FROM economic_create_attempt WHERE entity = 'product'") == [
        (0,)
    ]
