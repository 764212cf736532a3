"""Each connection's scheduled action: created, renamed, re-timed, archived and deleted with the
connection (and made for connections of earlier versions); Run Pass Now, ``auto`` and the work
the modules have waiting, each waking and running its own connection's action alone.

Scheduled passes through Odoo's real cron machinery, with commits, several servers and cron
threads, are tested in ``tests_process/`` (process tier of the harness)."""

import importlib.util
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import SUPERUSER_ID, fields, sql_db
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

MIGRATION = Path(__file__).parent.parent / "migrations" / "18.0.1.5.0" / "post-migrate.py"


@tagged("post_install", "-at_install")
class TestCronSchedule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["economic.backend"].create(
            {
                "name": "Schedule",
                "company_id": cls.env.company.id,
                "app_secret_token": "secret",
                "agreement_grant_token": "grant",
            }
        )
        cls.cron = cls.backend.cron_id

    def _backend(self, name, **vals):
        company = self.env["res.company"].create({"name": name})
        return self.env["economic.backend"].create(
            dict({"name": name, "company_id": company.id}, **vals)
        )

    def _record_passes(self):
        """Patch the connection's pass: record (connection, entities) instead of syncing."""
        calls = []

        def fake_run_pass(backend, entities=None, full=False):
            calls.append((backend.id, entities))
            return {"state": "done"}

        patcher = patch.object(type(self.backend), "_run_pass", fake_run_pass)
        patcher.start()
        self.addCleanup(patcher.stop)
        return calls

    def _run(self, backend):
        """What the connection's scheduled action runs."""
        self.env["economic.backend"]._cron_run_connection(backend.id)

    def _triggers(self, cron):
        return self.env["ir.cron.trigger"].sudo().search_count([("cron_id", "=", cron.id)])

    # ------------------------------------------------------------------ the action's life
    def test_each_connection_has_its_own_scheduled_action(self):
        cron = self.cron
        self.assertTrue(cron)
        self.assertEqual(cron.name, "e-conomic: Schedule")
        self.assertIn("\nmodel._cron_run_connection(%d)" % self.backend.id, cron.code)
        self.assertEqual(cron.model_id.model, "economic.backend")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "hours"))
        self.assertTrue(cron.active)
        # it runs as the scheduled actions of Odoo's data files do (the superuser): a pass
        # works for its connection's company whatever the user who made the connection
        self.assertEqual(cron.user_id.id, SUPERUSER_ID)
        self.assertLessEqual(cron.nextcall, fields.Datetime.now() + timedelta(hours=1))
        other = self._backend("Other company", sync_interval_number=5, sync_interval_type="minutes")
        self.assertNotEqual(other.cron_id, cron)
        self.assertEqual(
            (other.cron_id.interval_number, other.cron_id.interval_type), (5, "minutes")
        )
        self.assertFalse(
            self.env.ref("economic_sync.ir_cron_economic_sync", raise_if_not_found=False),
            "no single action for every connection any more",
        )

    def test_renamed_retimed_archived_and_deleted_with_the_connection(self):
        other = self._backend("Lifecycle")
        cron = other.cron_id
        action = cron.ir_actions_server_id
        other.name = "Lifecycle renamed"
        self.assertEqual(cron.name, "e-conomic: Lifecycle renamed")
        other.write({"sync_interval_number": 3, "sync_interval_type": "days"})
        self.assertEqual((cron.interval_number, cron.interval_type), (3, "days"))
        other.active = False
        self.assertFalse(cron.active)
        other.active = True
        self.assertTrue(cron.active)
        other.unlink()
        self.assertFalse(cron.exists())
        self.assertFalse(action.exists(), "its server action goes too")
        self.assertTrue(self.cron.exists(), "the other connections' actions stay")

    def test_interval_change_reschedules_at_once(self):
        now = fields.Datetime.now()
        self.cron.nextcall = now + timedelta(days=1)
        self.backend.next_pass_date = now + timedelta(hours=1)
        self.backend.write({"sync_interval_number": 5, "sync_interval_type": "minutes"})
        self.assertEqual((self.cron.interval_number, self.cron.interval_type), (5, "minutes"))
        limit = fields.Datetime.now() + timedelta(minutes=5)
        self.assertLessEqual(self.cron.nextcall, limit)
        self.assertGreaterEqual(self.cron.nextcall, now)
        self.assertLessEqual(self.backend.next_pass_date, limit)
        # a longer interval does not postpone what is due sooner
        self.backend.write({"sync_interval_number": 2, "sync_interval_type": "days"})
        self.assertEqual((self.cron.interval_number, self.cron.interval_type), (2, "days"))
        self.assertLessEqual(self.cron.nextcall, limit)
        self.assertLessEqual(self.backend.next_pass_date, limit)

    def test_a_missing_action_is_made_again(self):
        """An action deleted by hand (or a connection of an earlier version, which had none)
        gets one on the next module update (``_ensure_defaults_all``) or Run Pass Now."""
        other = self._backend("Lost action")
        other.cron_id.unlink()
        self.assertFalse(other.cron_id)
        self.env["economic.backend"]._ensure_defaults_all()
        self.assertTrue(other.cron_id)
        self.assertIn("\nmodel._cron_run_connection(%d)" % other.id, other.cron_id.code)
        other.cron_id.unlink()
        other.action_run_pass()
        self.assertTrue(other.cron_id.active)
        self.assertEqual(self._triggers(other.cron_id), 1)

    def test_migration_removes_the_single_action_of_earlier_versions(self):
        """18.0.1.5.0: the action of 18.0.1.4.0 that ran every connection is removed; every
        connection has its own."""
        old = self.env["ir.cron"].create(
            {
                "name": "e-conomic: run sync passes",
                "model_id": self.env["ir.model"]._get_id("economic.backend"),
                "state": "code",
                "code": "model._cron_run_passes()",
            }
        )
        self.env["ir.model.data"].create(
            {
                "module": "economic_sync",
                "name": "ir_cron_economic_sync",
                "model": "ir.cron",
                "res_id": old.id,
                "noupdate": True,
            }
        )
        action = old.ir_actions_server_id
        self.backend.cron_id.unlink()  # as a connection of 18.0.1.4.0 had none
        spec = importlib.util.spec_from_file_location("economic_sync_migration", MIGRATION)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        migration.migrate(self.env.cr, "18.0.1.4.0")
        self.env.invalidate_all()
        self.assertFalse(old.exists())
        self.assertFalse(action.exists())
        self.assertFalse(self.env.ref("economic_sync.ir_cron_economic_sync", False))
        self.assertTrue(self.backend.cron_id.active)

    def test_an_archived_connection_switches_its_running_action_off(self):
        """An action that was running when its connection was archived could not be written;
        its next run switches it off through the cron's progress (``deactivate``)."""
        calls = self._record_passes()
        other = self._backend("Archived while running")
        cron = other.cron_id
        other.with_context(active_test=False).write({"next_pass_date": False})
        # archived without its action following (it was running)
        self.env.cr.execute("UPDATE economic_backend SET active = false WHERE id = %s", [other.id])
        other.invalidate_recordset()
        cron_env, progress = cron._add_progress()
        self.env["economic.backend"].with_context(cron_env.env.context)._cron_run_connection(
            other.id
        )
        self.assertEqual(calls, [], "no pass of an archived connection")
        self.assertTrue(progress.deactivate)
        self.assertEqual((progress.done, progress.remaining), (0, 0))

    def test_a_running_action_refuses_the_deletion(self):
        """A connection whose action is running (a cron worker holds its row) is not deleted
        (the action could not be): a clear error instead of Odoo's lock error."""
        other = self._backend("Busy")
        # a committed action stands for the connection's (the test transaction is not seen
        # by another connection), held as a cron worker holds the job it runs
        held = self.env.ref("base.autovacuum_job")
        other.cron_id = held
        worker = sql_db.db_connect(self.env.cr.dbname).cursor()
        self.addCleanup(worker.close)
        self.addCleanup(worker.rollback)
        worker.execute("SELECT id FROM ir_cron WHERE id = %s FOR NO KEY UPDATE", [held.id])
        with self.assertRaisesRegex(UserError, "running"):
            other.unlink()
        self.assertTrue(other.exists())

    # ------------------------------------------------------------------ waking and running
    def test_run_pass_now_wakes_only_its_connection(self):
        calls = self._record_passes()
        other = self._backend("Untouched")
        before = self._triggers(self.cron)
        action = self.backend.action_run_pass()
        self.assertEqual(calls, [], "the web request does not run the pass")
        self.assertTrue(self.backend.pass_requested)
        self.assertEqual(self._triggers(self.cron), before + 1)
        self.assertEqual(self._triggers(other.cron_id), 0, "the others are not woken")
        self.assertEqual(action["params"]["type"], "info")
        self.assertIn("runs in the background", action["params"]["message"])
        # clicked twice: the trigger due already stands for both
        self.backend.action_run_pass()
        self.assertEqual(self._triggers(self.cron), before + 1)

    def test_a_webhook_event_wakes_only_its_connection(self):
        """The controller records an event (SQL, its own cursor) and wakes the scheduled
        action of the event's connection, once, and no other."""
        other = self._backend("Events")
        self.env.flush_all()  # the controller's SQL reads what is committed
        Event = self.env["economic.webhook.event"]
        self.assertTrue(Event._record(other.id, "customer_updated", "5", None))
        self.assertTrue(Event._record(other.id, "customer_updated", "6", None))
        self.assertEqual(self._triggers(other.cron_id), 1, "one trigger for a burst")
        self.assertEqual(self._triggers(self.cron), 0)

    def test_run_pass_now_with_the_action_archived(self):
        self.cron.active = False
        action = self.backend.action_run_pass()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("e-conomic: Schedule", action["params"]["message"])
        self.assertFalse(self.backend.pass_requested)

    def test_requested_connection_runs_and_clears_the_flag(self):
        calls = self._record_passes()
        later = fields.Datetime.now() + timedelta(hours=5)
        other = self._backend("Not due", next_pass_date=later)
        self.backend.write({"next_pass_date": later, "pass_requested": True})
        # a requested pass syncs every entity, automatic or not
        self.backend._entity_setting("supplier").auto = False
        self._run(self.backend)
        self._run(other)
        self.assertEqual(calls, [(self.backend.id, None)])
        self.assertFalse(self.backend.pass_requested)
        self.assertFalse(other.pass_requested)

    def test_due_when_its_action_fires_on_schedule(self):
        """The pass date written when the last pass started may be a few seconds later than
        the action's own schedule: the action firing on schedule makes the pass due."""
        calls = self._record_passes()
        now = fields.Datetime.now()
        self.backend.next_pass_date = now + timedelta(seconds=30)
        self.cron.nextcall = now + timedelta(minutes=30)
        self._run(self.backend)  # woken by a trigger (webhook events): not due
        self.assertEqual(calls, [])
        self.cron.nextcall = now - timedelta(seconds=1)
        self._run(self.backend)
        self.assertEqual(calls, [(self.backend.id, None)])

    def test_scheduled_pass_syncs_the_automatic_entities_only(self):
        calls = self._record_passes()
        self.backend.next_pass_date = False
        self._run(self.backend)
        self.assertEqual(calls, [(self.backend.id, None)], "all automatic: a whole pass")
        calls.clear()
        self.backend._entity_setting("supplier").auto = False
        self.backend._entity_setting("supplier_contact").auto = False
        self.backend.next_pass_date = False
        self._run(self.backend)
        automatic = [
            entity
            for entity in self.env["economic.sync.engine"]._available_entities()
            if entity not in ("supplier", "supplier_contact")
        ]
        self.assertEqual(
            automatic[:5], ["account", "vat_code", "product", "customer", "customer_contact"]
        )
        self.assertIn("shop_day", automatic)
        self.assertEqual(
            calls,
            [(self.backend.id, automatic)],
            "every automatic entity of every module, in pass order (documents: auto on, "
            "their pull waits for the accountant)",
        )
        calls.clear()
        for entity in self.env["economic.sync.engine"]._available_entities():
            self.backend._entity_setting(entity).auto = False
        self.backend.next_pass_date = False
        self._run(self.backend)
        self.assertEqual(calls, [], "nothing automatic: no scheduled pass")
        self.assertGreater(self.backend.next_pass_date, fields.Datetime.now())

    def test_waiting_work_of_the_modules_runs_off_schedule(self):
        """Work an entity module has waiting (``_economic_waiting_work``: a paid order's draft)
        runs at once in the connection's own action, those entities alone and in pass order,
        whatever the connection's schedule (left as it is); not a second time when the
        connection's pass ran in the same run; never another connection's."""
        calls = self._record_passes()
        later = (fields.Datetime.now() + timedelta(hours=5)).replace(microsecond=0)
        waiting = self._backend("Waiting", next_pass_date=later)
        self.backend.next_pass_date = False  # due: its whole pass runs, nothing more
        engine = self.env["economic.sync.engine"]
        work = {
            "invoice": {waiting.id: ["credit_note", "invoice"], self.backend.id: ["invoice"]},
            "product": {waiting.id: ["product"]},
        }
        for entity, module_work in work.items():
            patcher = patch.object(
                type(engine._entity_module(entity)),
                "_economic_waiting_work",
                lambda module, module_work=module_work: module_work,
            )
            patcher.start()
            self.addCleanup(patcher.stop)
        self._run(self.backend)
        self.assertEqual(calls, [(self.backend.id, None)])
        calls.clear()
        self._run(waiting)
        self.assertEqual(calls, [(waiting.id, ["product", "invoice", "credit_note"])])
        self.assertEqual(waiting.next_pass_date, later, "its schedule is unchanged")
        # nothing waits: nothing more runs
        calls.clear()
        work["invoice"].clear()
        work["product"].clear()
        self._run(waiting)
        self._run(self.backend)
        self.assertEqual(calls, [])
