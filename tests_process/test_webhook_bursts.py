"""Webhooks against a real Odoo HTTP server with real commits (issue 9): a burst of duplicate
events sent concurrently while a pass runs is answered 200 throughout, recorded once per
record (no serialization failure, no lock on what the pass uses), and processed by the
scheduled action into targeted pulls."""

import socket
import urllib.request

from odoo_scripts import CRON_SCRIPT, connection_script


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_burst_during_a_pass_is_recorded_once_per_record_and_processed(odoo_db, sandbox):
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    setup = odoo_db.run(
        connection_script(sandbox.info)
        + """
env['ir.config_parameter'].set_param('web.base.url', %r)
backend._run_pass()
env.cr.commit()
result(url=backend._webhook_url('customer_updated'), backend=backend.id,
       customers=env['economic.partner.binding'].search_count(
           [('backend_id', '=', backend.id), ('kind', '=', 'customer')]))
"""
        % base
    )
    values = setup.results()
    assert values["customers"] >= 5
    server = odoo_db.serve(port)
    sandbox.admin("POST", "/webhooks", {"type": "customer_updated", "url": values["url"]})
    # a pass of the connection runs meanwhile (the sandbox answers it slowly)
    sandbox.admin("POST", "/faults", {"fault": "latency", "delay": 0.5, "path": "/customers"})
    pass_run = odoo_db.start(
        "backend = env['economic.backend'].browse(%d)\n"
        "backend.last_full_pass = False\n"
        "env.cr.commit()\n"
        "result(**{'pass': backend._run_pass(full=True)['state']})\n" % values["backend"]
    )
    numbers = list(range(1, 201))
    sandbox.admin(
        "POST", "/webhooks/burst", {"type": "customer_updated", "numbers": numbers, "repeat": 10}
    )
    for _attempt in range(8):
        stats = sandbox.admin("POST", "/webhooks/wait", {"timeout": 25})
        if stats["idle"]:
            break
    assert stats["idle"], stats
    deliveries = sandbox.admin("GET", "/webhooks/deliveries")
    statuses = [d["status"] for d in deliveries if d["type"] == "customer_updated"]
    assert len(statuses) == 2000
    assert set(statuses) == {200}, sorted(set(statuses), key=str)
    pass_run.wait(180)
    pass_run.check()
    assert pass_run.results()["pass"] in ("done", "partial")
    rows = odoo_db.sql(
        "SELECT key, count(*) FROM economic_webhook_event WHERE state = 'pending' GROUP BY key"
    )
    assert {key for key, _n in rows} == {str(n) for n in numbers}
    assert all(n == 1 for _key, n in rows), "one pending event per record"
    hits = odoo_db.sql("SELECT sum(hits) FROM economic_webhook_event")
    assert hits == [(2000,)], "every request counted"
    # the scheduled action, woken by the events, pulls them (the connection is not due)
    sandbox.admin("DELETE", "/faults")
    sandbox.admin("DELETE", "/requests")
    cron = odoo_db.run(
        CRON_SCRIPT
        + """
backend = env['economic.backend'].browse(%d)
backend.next_pass_date = datetime.datetime.now() + datetime.timedelta(hours=3)
env.cr.commit()
woken = env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)])
run_cron()
states = dict(env['economic.webhook.event']._read_group([], ['state'], ['__count']))
result(states=states, woken=woken)
"""
        % values["backend"]
    )
    result = cron.results()
    assert result["woken"] >= 1, "the events woke their connection's scheduled action"
    assert result["states"] == {"done": 200}, result
    listings = [r for r in sandbox.requests() if r["path"] == "/customers"]
    assert 1 <= len(listings) <= 2, "targeted reads of 200 numbers, no full listing"
    server.kill()
    assert not server.bad_lines(), "\n".join(server.bad_lines()[:20])
    with urllib.request.urlopen(sandbox.info["admin_url"] + "/webhooks/stats") as response:
        assert response.status == 200
