"""The scheduled action of the passes: interval changes, "Run Pass Now" requests, ``auto``.

Scheduled passes through Odoo's real cron machinery, with commits, are tested in
``tests_process/`` (process tier of the harness)."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestCronSchedule(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("economic_sync.ir_cron_economic_sync")
        cls.backend = cls.env["economic.backend"].create(
            {
                "name": "Schedule",
                "company_id": cls.env.company.id,
                "app_secret_token": "secret",
                "agreement_grant_token": "grant",
            }
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
        self.assertLessEqual(self.cron.nextcall, limit)
        self.assertLessEqual(self.backend.next_pass_date, limit)

    def test_run_pass_now_asks_the_cron(self):
        calls = self._record_passes()
        Trigger = self.env["ir.cron.trigger"].sudo()
        before = Trigger.search_count([("cron_id", "=", self.cron.id)])
        action = self.backend.action_run_pass()
        self.assertEqual(calls, [], "the web request does not run the pass")
        self.assertTrue(self.backend.pass_requested)
        self.assertEqual(Trigger.search_count([("cron_id", "=", self.cron.id)]), before + 1)
        self.assertEqual(action["params"]["type"], "info")
        self.assertIn("runs in the background", action["params"]["message"])

    def test_cron_runs_requested_connections_and_clears_the_flag(self):
        calls = self._record_passes()
        later = fields.Datetime.now() + timedelta(hours=5)
        other_company = self.env["res.company"].create({"name": "Schedule B"})
        other = self.env["economic.backend"].create(
            {"name": "Not due", "company_id": other_company.id, "next_pass_date": later}
        )
        self.backend.write({"next_pass_date": later, "pass_requested": True})
        # a requested pass syncs every entity, automatic or not
        self.backend._entity_setting("supplier").auto = False
        self.env["economic.backend"]._cron_run_passes()
        self.assertEqual(calls, [(self.backend.id, None)])
        self.assertFalse(self.backend.pass_requested)
        self.assertFalse(other.pass_requested)

    def test_scheduled_pass_syncs_the_automatic_entities_only(self):
        calls = self._record_passes()
        Backend = self.env["economic.backend"]
        self.backend.next_pass_date = False
        Backend._cron_run_passes()
        self.assertEqual(calls, [(self.backend.id, None)], "all automatic: a whole pass")
        calls.clear()
        self.backend._entity_setting("supplier").auto = False
        self.backend._entity_setting("supplier_contact").auto = False
        self.backend.next_pass_date = False
        Backend._cron_run_passes()
        self.assertEqual(
            calls,
            [
                (
                    self.backend.id,
                    [
                        "account",
                        "vat_code",
                        "product",
                        "customer",
                        "customer_contact",
                        "invoice",
                        "credit_note",
                        "journal_entry",
                        "purchase",
                        "payment",
                    ],
                )
            ],
            "every automatic entity of every module, in pass order (documents: auto on, "
            "their pull waits for the accountant)",
        )
        calls.clear()
        for entity in self.env["economic.sync.engine"]._available_entities():
            self.backend._entity_setting(entity).auto = False
        self.backend.next_pass_date = False
        Backend._cron_run_passes()
        self.assertEqual(calls, [], "nothing automatic: no scheduled pass")
        self.assertGreater(self.backend.next_pass_date, fields.Datetime.now())

    def test_waiting_work_of_the_modules_runs_off_schedule(self):
        """Work an entity module has waiting (``_economic_waiting_work``: a paid order's draft)
        runs at once, those entities alone and in pass order, whatever the connection's
        schedule (left as it is); not a second time for a connection the run passed already,
        never for an archived connection."""
        calls = self._record_passes()
        Backend = self.env["economic.backend"]
        later = (fields.Datetime.now() + timedelta(hours=5)).replace(microsecond=0)
        waiting, archived = Backend.create(
            [
                {"name": name, "company_id": self.env["res.company"].create({"name": name}).id}
                for name in ("Waiting", "Archived")
            ]
        )
        archived.active = False
        (waiting | archived).write({"next_pass_date": later})
        self.backend.next_pass_date = False  # due: its whole pass runs, nothing more
        engine = self.env["economic.sync.engine"]
        work = {
            "invoice": {
                waiting.id: ["credit_note", "invoice"],
                self.backend.id: ["invoice"],
                archived.id: ["invoice"],
            },
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
        Backend._cron_run_passes()
        self.assertEqual(
            calls,
            [(self.backend.id, None), (waiting.id, ["product", "invoice", "credit_note"])],
        )
        self.assertEqual(waiting.next_pass_date, later, "its schedule is unchanged")
        # nothing waits: nothing more runs
        calls.clear()
        work["invoice"].clear()
        work["product"].clear()
        Backend._cron_run_passes()
        self.assertEqual(calls, [])
