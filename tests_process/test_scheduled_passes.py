"""Scheduled passes through Odoo's real cron machinery (``ir_cron._process_jobs``, what a cron
worker thread calls), with real commits, in ``odoo shell`` subprocesses."""

from odoo_scripts import CRON_SCRIPT, JOB_STARTED, connection_script


def test_scheduled_pass_runs_once_without_errors(odoo_db, sandbox):
    """Before the fix, the pass wrote ``ir_cron_progress`` from a cursor of its own; the cron
    worker's update of that row then failed ("could not serialize access due to concurrent
    update", ERROR + "Exception in cron" WARNING), the job was not rescheduled and ran again."""
    script = (
        connection_script(sandbox.info)
        + CRON_SCRIPT
        + """
backend.next_pass_date = False
cron.nextcall = datetime.datetime.now() - datetime.timedelta(minutes=1)
env.cr.commit()
run_cron()
run_cron()  # the worker's next poll: the job is not due any more
result(
    state=backend.last_pass_state, message=backend.last_pass_message,
    next_pass_future=backend.next_pass_date > datetime.datetime.now(),
    bindings=bindings(backend), **cron_state())
"""
    )
    process = odoo_db.run(script)
    values = process.results()
    assert process.count(JOB_STARTED) == 1, process.output[-4000:]
    assert values["state"] == "done", values["message"]
    assert values["bindings"].get("customer", 0) > 0
    assert values["bindings"].get("supplier", 0) > 0
    assert values["next_pass_future"]
    # one run, complete: records reported, nothing remaining, rescheduled, no failure
    assert len(values["progress"]) == 1, values["progress"]
    done, remaining = values["progress"][0]
    assert done > 0 and remaining == 0
    assert values["nextcall_future"]
    assert values["failure_count"] == 0


def test_one_failing_connection_is_rolled_back_alone(odoo_db, sandbox):
    """Two connections, each run by its own scheduled action in the same poll of the cron
    worker: the first one's pass crashes after writing (its work is rolled back, the failure
    recorded, its action completes normally), the second one's pass runs and is committed."""
    script = (
        connection_script(sandbox.info)
        + "good = backend\n"
        + connection_script(
            sandbox.info,
            company="env['res.company'].create({'name': 'Second company'})",
            name="A crashing connection",
        )
        + "bad = backend\n"
        + CRON_SCRIPT
        + """
(bad | good).write({'next_pass_date': False})
(bad | good).cron_id.write({'nextcall': datetime.datetime.now() - datetime.timedelta(minutes=1)})
env.cr.commit()
Backend = type(env['economic.backend'])
run_pass = Backend._run_pass

def crashing_run_pass(self, entities=None, full=False):
    if self.id == bad.id:
        self.env['res.partner'].create({'name': 'Half-done work'})
        self.env.flush_all()
        raise RuntimeError('the pass crashed')
    return run_pass(self, entities=entities, full=full)

Backend._run_pass = crashing_run_pass
run_cron()
result(
    half_done=env['res.partner'].search_count([('name', '=', 'Half-done work')]),
    bad_state=bad.last_pass_state, bad_message=bad.last_pass_message, bad_id=bad.id,
    good_state=good.last_pass_state, good_bindings=bindings(good),
    bad_cron=cron_state(bad.cron_id), good_cron=cron_state(good.cron_id))
"""
    )
    process = odoo_db.run(
        script,
        allow=[
            r"ERROR \S+ odoo\.addons\.economic_sync\.models\.economic_backend_schedule: e-conomic "
            r"connection id \d+: the scheduled pass failed"
        ],
    )
    values = process.results()
    assert process.count(JOB_STARTED) == 2, "one job per connection"
    assert process.count("the scheduled pass failed") == 1
    assert values["half_done"] == 0, "the crashed pass's work is rolled back"
    assert values["bad_state"] == "failed"
    # our words on the connection (the traceback is in the server log), and a failed line
    assert "unexpected error" in values["bad_message"]
    assert "the pass crashed" not in values["bad_message"]
    assert process.count("RuntimeError: the pass crashed") == 1, "the details in the log"
    failed = odoo_db.sql(
        "SELECT count(*) FROM economic_sync_log WHERE backend_id = %s AND entity = 'pass' "
        "AND state = 'failed'",
        (values["bad_id"],),
    )
    assert failed == [(1,)]
    assert values["good_state"] == "done"
    assert values["good_bindings"].get("customer", 0) > 0
    for job in (values["bad_cron"], values["good_cron"]):
        assert job["progress"][-1][1] == 0
        assert job["nextcall_future"]
        assert job["failure_count"] == 0, "the failure is the connection's, not the job's"


def test_auto_off_entities_stay_out_of_scheduled_passes(odoo_db, sandbox):
    script = (
        connection_script(sandbox.info)
        + CRON_SCRIPT
        + """
for entity in ('supplier', 'supplier_contact', 'product'):
    backend._entity_setting(entity).auto = False
backend.next_pass_date = False
cron.nextcall = datetime.datetime.now() - datetime.timedelta(minutes=1)
env.cr.commit()
run_cron()
result(state=backend.last_pass_state, message=backend.last_pass_message,
       bindings=bindings(backend),
       supplier_pulled=bool(backend._entity_setting('supplier').last_pull_at))
"""
    )
    sandbox.admin("DELETE", "/requests")
    process = odoo_db.run(script)
    values = process.results()
    assert process.count(JOB_STARTED) == 1
    assert values["state"] == "done", values["message"]
    assert values["bindings"].get("customer", 0) > 0
    assert not values["bindings"].get("supplier")
    assert not values["supplier_pulled"]
    paths = {r["path"] for r in sandbox.requests()}
    assert not [p for p in paths if p.startswith("/suppliers")], sorted(paths)
    assert not [p for p in paths if p.startswith("/products")], sorted(paths)
    assert [p for p in paths if p.startswith("/customers")]
    assert [p for p in paths if p.startswith("/accounts")], "accounts stay automatic"


def test_run_pass_now_is_run_by_the_triggered_cron(odoo_db, sandbox):
    """ "Run Pass Now" only asks (flag + trigger); the cron worker's next poll runs the pass
    although neither the connection nor the scheduled action is due."""
    script = (
        connection_script(sandbox.info)
        + CRON_SCRIPT
        + """
backend.next_pass_date = datetime.datetime.now() + datetime.timedelta(hours=5)
cron.nextcall = later
env.cr.commit()
run_cron()
before = bindings(backend)
action = backend.action_run_pass()
asked = backend.pass_requested
env.cr.commit()
run_cron()
result(before=before, asked=asked, message=action['params']['message'],
       requested=backend.pass_requested, state=backend.last_pass_state,
       bindings=bindings(backend), **cron_state())
"""
    )
    process = odoo_db.run(script)
    values = process.results()
    assert values["before"] == {}, "nothing was due before the request"
    assert values["asked"]
    assert "runs in the background" in values["message"]
    assert process.count(JOB_STARTED) == 1
    assert values["state"] == "done"
    assert values["bindings"].get("customer", 0) > 0
    assert not values["requested"]
    assert values["triggers"] == 0
    assert values["progress"][-1][1] == 0


def test_run_pass_now_tells_the_open_forms(odoo_db, sandbox):
    """Run Pass Now, then the scheduled action's run with real commits: the start and the end
    of the pass reach the bus (the form's watcher reloads on them), each committed with its
    transaction, for the e-conomic users' channel, with the connection and the pass number."""
    script = (
        connection_script(sandbox.info)
        + CRON_SCRIPT
        + """
import json as _json
env['bus.bus'].sudo().search([]).unlink()
env.cr.commit()
backend.action_run_pass()
env.cr.commit()
run_cron()
rows = env['bus.bus'].sudo().search([], order='id')
messages = [(_json.loads(r.channel), _json.loads(r.message)) for r in rows]
result(
    messages=[[c, m['payload']] for c, m in messages if m.get('type') == 'economic_sync/pass'],
    state=backend.last_pass_state, number=backend.pass_number, requested=backend.pass_requested,
    group=env.ref('economic_sync.group_economic_user').id, backend=backend.id, db=env.cr.dbname)
"""
    )
    values = odoo_db.run(script).results()
    assert values["state"] == "done"
    assert not values["requested"]
    channel = [values["db"], "res.groups", values["group"]]
    assert values["messages"] == [
        [channel, {"backend_id": values["backend"], "event": "started", "pass_number": 1}],
        [channel, {"backend_id": values["backend"], "event": "done", "pass_number": 1}],
    ], values["messages"]
