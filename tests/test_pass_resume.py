"""A pass over several runs of its connection's scheduled action (issue 19): the time budget of a
run, the pass's record of how far it is (``pass_resume``), the customers pull going on after its
last committed page (``pull_cursor``), the cron's progress asking for the rest. Nothing
committed is read twice. With real commits, two servers and a server killed mid-pull:
``tests_process/test_parallel_passes.py``."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from odoo import fields
from odoo.tests import tagged

from .sync_common import SyncCase

#: a budget spent at once: the pass gives way at every point it can
SPENT = 1e-9


def _query(request):
    return {k: v[0] for k, v in parse_qs(urlsplit("?" + request["query"]).query).items()}


@tagged("post_install", "-at_install")
class TestPassResume(SyncCase):
    def setUp(self):
        super().setUp()
        self.sandbox.reset(seed="empty", customers=2500)
        self.backend.action_refresh_references()
        self.backend.next_pass_date = False
        self.clear_requests()

    def run_cron(self, budget=SPENT):
        """One run of the connection's scheduled action, as a cron worker does it (a progress
        record in the context); returns the progress ``(done, remaining)``."""
        cron, progress = self.backend.cron_id._add_progress()
        self.env["economic.backend"].with_context(
            cron.env.context, economic_pass_budget=budget
        )._cron_run_connection(self.backend.id)
        self.env.invalidate_all()
        return progress.done, progress.remaining

    def run_to_the_end(self, budget=SPENT, limit=40):
        runs = []
        self.pull_starts = set()  # the start each unfinished customers pull recorded
        for _attempt in range(limit):
            runs.append(self.run_cron(budget))
            if self.setting("customer").pull_cursor_started:
                self.pull_starts.add(self.setting("customer").pull_cursor_started)
            if not self.backend.pass_resume:
                return runs
        self.fail("the pass did not end within %d runs: %s" % (limit, runs))

    def customer_pages(self, requests):
        return [
            _query(r)
            for r in requests
            if r["method"] == "GET"
            and r["path"] == "/customers"
            and _query(r).get("pagesize") != "1"
        ]

    def customers(self):
        return self.env["economic.partner.binding"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "customer")]
        )

    # ------------------------------------------------------------------ tests
    def test_a_pass_over_several_runs_reads_nothing_twice(self):
        # the same first pass in one run, rolled back: what it reads
        savepoint = self.env.cr.savepoint()
        done, remaining = self.run_cron(budget=0)
        self.assertEqual(remaining, 0)
        self.assertEqual(len(self.customers()), 2500)
        in_one_run = self.requests_log()
        savepoint.close(rollback=True)
        self.env.invalidate_all()
        self.assertFalse(self.customers())
        self.backend.next_pass_date = False
        self.clear_requests()
        # the pass giving way at every point it can: after each module, after each page of
        # customers
        runs = self.run_to_the_end()
        requests = self.requests_log()
        self.assertGreater(len(runs), 4, runs)
        for done, remaining in runs[:-1]:
            self.assertGreater(done, 0, "work done and work remaining: Odoo runs it again")
            self.assertEqual(remaining, 1)
        self.assertEqual(runs[-1][1], 0, "the last run ends the pass")
        self.assertEqual(runs[-1][0], done)
        self.assertEqual(self.backend.pass_number, 1, "one pass over several runs")
        self.assertEqual(self.backend.last_pass_state, "done", self.backend.last_pass_message)
        self.assertTrue(self.backend.last_full_pass, "a whole first pass: full")
        # the customers: one page a run, each after the last committed one
        self.assertEqual(
            [(q.get("filter"), q.get("skippages")) for q in self.customer_pages(requests)],
            [(None, "0"), ("customerNumber$gt:1000", "0"), ("customerNumber$gt:2000", "0")],
        )
        self.assertEqual(len(self.customer_pages(in_one_run)), 3)

        # everything else read as in one run: nothing twice
        def others(log):
            return sorted(
                (r["method"], r["path"], r["query"]) for r in log if r["path"] != "/customers"
            )

        self.assertEqual(others(requests), others(in_one_run))
        customers = self.customers()
        self.assertEqual(len(customers), 2500)
        self.assertEqual(len(customers.partner_id), 2500, "one partner each")
        setting = self.setting("customer")
        self.assertFalse(setting.pull_cursor)
        # the watermark: the start of the pull's first run (what changed after it is read
        # by the next pull)
        self.assertEqual(len(self.pull_starts), 1)
        self.assertEqual(setting.last_pull_at, self.pull_starts.pop())
        self.assertGreaterEqual(setting.last_pull_at, self.backend.last_pass_start)
        self.assertFalse(self.backend.pass_resume)

    def test_an_unfinished_incremental_pull_goes_on_with_its_filter(self):
        setting = self.setting("customer")
        watermark = fields.Datetime.now() - timedelta(days=2)
        started = fields.Datetime.now() - timedelta(hours=1)
        setting.write(
            {
                "last_pull_at": watermark,
                "pull_cursor": "1500",
                "pull_cursor_started": started,
                "pull_cursor_full": False,
            }
        )
        self.backend.last_full_pass = fields.Datetime.now()
        setting.last_full_pass = fields.Datetime.now()
        self.run_pass(entities=["customer"])
        # the rest of the pull, then (the customers before the cursor were never bound here)
        # the deletion check's read of every key
        pages = [q for q in self.customer_pages(self.requests_log()) if q.get("filter")]
        self.assertEqual(len(pages), 1)
        since = fields.Datetime.subtract(watermark, minutes=self.backend.lookback_minutes)
        self.assertEqual(
            pages[0]["filter"],
            "customerNumber$gt:1500$and:lastUpdated$gte:%s" % since.strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
        self.assertEqual(setting.last_pull_at, started, "the watermark of the pull it finished")
        self.assertFalse(setting.pull_cursor)
        # a full pass reads every customer again, in full, whatever an incremental pull left
        setting.write({"pull_cursor": "1500", "pull_cursor_started": started})
        self.clear_requests()
        self.run_pass(entities=["customer"], full=True)
        pages = self.customer_pages(self.requests_log())
        self.assertEqual([q.get("filter") for q in pages], [None, None, None])
        self.assertFalse(setting.pull_cursor)

    def test_a_customer_deleted_before_the_rest_of_a_full_read_is_archived(self):
        """A full read that went on in another run did not see the keys of the first: it
        compares e-conomic's count with the bound customers, and reads every key when they
        differ."""
        for _attempt in range(20):
            self.run_cron()
            if self.setting("customer").pull_cursor:
                break
        self.assertEqual(self.setting("customer").pull_cursor, "1000")
        partner = self.partner("customer", 5)
        self.assertTrue(partner.active)
        self.admin("POST", "/delete", {"resource": "customers", "key": 5})
        self.run_to_the_end()
        self.assertEqual(self.backend.last_pass_state, "done", self.backend.last_pass_message)
        self.assertFalse(partner.active)
        self.assertEqual(len(self.customers()), 2500)

    def test_a_run_that_stopped_goes_on_from_the_pass_record(self):
        """A server stopped mid-pass leaves the pass's record (committed with its last
        page): the next run goes on with that pass (same number, the modules done skipped),
        due or not."""
        self.run_cron()  # references: done, then the pass gave way
        record = dict(self.backend.pass_resume)
        self.assertEqual(len(record["done"]), 1)
        self.backend.next_pass_date = fields.Datetime.now() + timedelta(hours=5)
        self.backend.cron_id.nextcall = fields.Datetime.now() + timedelta(hours=5)
        self.clear_requests()
        self.run_to_the_end(budget=0)
        self.assertEqual(self.backend.pass_number, 1)
        self.assertEqual(self.backend.last_pass_state, "done", self.backend.last_pass_message)
        paths = {r["path"] for r in self.requests_log()}
        self.assertIn("/customers", paths)
        self.assertNotIn("/customer-groups", paths, "the references were read by the first run")
