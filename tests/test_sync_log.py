"""A log and a conflict list a person can use (issue 6 §3) and who may act on them (§2)."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .sync_common import SyncCase

ECONOMIC_USER = "base.group_user,account.group_account_invoice,economic_sync.group_economic_user"
ECONOMIC_MANAGER = (
    "base.group_user,base.group_partner_manager,account.group_account_invoice,"
    "economic_sync.group_economic_manager"
)


@tagged("post_install", "-at_install")
class TestSyncLog(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Log = cls.env["economic.sync.log"]
        cls.Conflict = cls.env["economic.sync.conflict"]
        cls.economic_user = cls._new_user("esl_user", ECONOMIC_USER)
        cls.manager = cls._new_user("esl_manager", ECONOMIC_MANAGER)
        cls.invoicing_user = cls._new_user(
            "esl_invoicing", "base.group_user,account.group_account_invoice"
        )
        cls.customer = cls.env["res.partner"].create({"name": "Log Customer"})
        cls.other = cls.env["res.partner"].create({"name": "Other Customer"})

    # ------------------------------------------------------------------ helpers
    def vals(self, partner=None, **kw):
        partner = self.customer if partner is None else partner
        vals = {
            "backend_id": self.backend.id,
            "entity": "customer",
            "direction": "push",
            "operation": "error",
            "state": "failed",
            "res_model": "res.partner",
            "res_id": partner.id,
            "record_name": partner.display_name,
            "message": "E01000 name too long",
        }
        vals.update(kw)
        return vals

    def open_lines(self, **filters):
        return self.logs(state="failed", **filters)

    def binding_of(self, partner, number=900):
        return self.env["economic.partner.binding"].create(
            {
                "backend_id": self.backend.id,
                "partner_id": partner.id,
                "kind": "customer",
                "economic_key": str(number),
            }
        )

    def conflict_vals(self, binding, local='"Odense Local"', remote='"Odense Remote"', **kw):
        vals = {
            "backend_id": self.backend.id,
            "binding_model": "economic.partner.binding",
            "binding_res_id": binding.id,
            "entity": "customer",
            "field": "city",
            "base_value": '"Odense"',
            "local_value": local,
            "remote_value": remote,
            "strategy": False,
            "decision": "undecided",
            "state": "open",
        }
        vals.update(kw)
        return vals

    # ------------------------------------------------------------------ one line per failure
    def test_same_failure_twice_is_one_line_with_count(self):
        self.Log._create_safe([self.vals(message="first failure")])
        first = self.open_lines(res_id=self.customer.id)
        self.assertEqual((len(first), first.count), (1, 1))
        self.Log._create_safe([self.vals(message="second failure\nwith details")])
        line = self.open_lines(res_id=self.customer.id)
        self.assertEqual(line, first, "the failure updated its open line, no copy")
        self.assertEqual(line.count, 2)
        self.assertEqual(line.message, "second failure\nwith details")
        self.assertEqual(line.message_short, "second failure")
        self.assertTrue(line.last_seen)
        self.assertEqual(self.backend.error_log_count, 1)
        # another operation, direction or record is another problem
        self.Log._create_safe(
            [
                self.vals(operation="skip", message="ambiguous"),
                self.vals(direction="pull", message="pull failed"),
                self.vals(self.other),
            ]
        )
        self.assertEqual(len(self.open_lines()), 4)
        self.assertEqual(line.count, 2)
        # the same failure twice in one batch: one line too
        self.Log._create_safe([self.vals(message="a"), self.vals(message="b")])
        self.assertEqual(line.count, 4)
        self.assertEqual(line.message, "b")

    def test_failures_without_odoo_record_by_key_and_pass(self):
        key_failure = self.vals(
            res_model=False, res_id=False, direction="pull", operation="skip", economic_key="9"
        )
        pass_failure = {
            "backend_id": self.backend.id,
            "entity": "pass",
            "operation": "error",
            "state": "failed",
            "message": "HTTP 401",
        }
        self.Log._create_safe([key_failure, pass_failure])
        self.Log._create_safe([key_failure])
        self.Log._create_safe([pass_failure])
        by_key = self.open_lines(economic_key="9")
        by_pass = self.open_lines(entity="pass")
        self.assertEqual((len(by_key), by_key.count), (1, 2))
        self.assertEqual((len(by_pass), by_pass.count), (1, 2))
        # a pass that is skipped is no success: the failed pass stays open
        self.Log._create_safe(
            [dict(pass_failure, operation="skip", state="done", message="Another pass")]
        )
        self.assertEqual(by_pass.state, "failed")

    def test_success_closes_the_open_failure(self):
        self.Log._create_safe([self.vals(), self.vals(self.other)])
        line = self.open_lines(res_id=self.customer.id)
        self.Log._create_safe(
            [self.vals(operation="create", state="done", message=False, economic_key="42")]
        )
        self.assertEqual(line.state, "resolved")
        self.assertEqual(self.open_lines(res_id=self.other.id).state, "failed")
        self.assertEqual(self.backend.error_log_count, 1, "only open problems count")
        # the record fails again later: a new open line, the closed one is history
        self.Log._create_safe([self.vals(message="again")])
        again = self.open_lines(res_id=self.customer.id)
        self.assertEqual((len(again), again.count, again.message), (1, 1, "again"))
        self.assertNotEqual(again, line)
        # a failure and a success in one batch: the line is written, closed
        self.Log._create_safe(
            [self.vals(self.other, message="b"), self.vals(self.other, state="done")]
        )
        self.assertFalse(self.open_lines(res_id=self.other.id))
        # a success of the other direction closes it too: the record is in sync (a push that
        # failed after e-conomic took the change, then a pull that found both sides equal)
        self.Log._create_safe([self.vals(direction="pull", operation="update", state="done")])
        self.assertEqual(again.state, "resolved")
        # another record's success, or another entity's, closes nothing
        self.Log._create_safe([self.vals(message="again")])
        third = self.open_lines(res_id=self.customer.id)
        self.Log._create_safe(
            [
                self.vals(self.other, direction="pull", state="done"),
                self.vals(entity="supplier", direction="pull", state="done"),
            ]
        )
        self.assertEqual(third.state, "failed")

    def test_success_by_key_closes_a_failure_known_by_key(self):
        """An ambiguous pull (e-conomic key only) closes once the record binds."""
        self.Log._create_safe(
            [self.vals(res_model=False, res_id=False, direction="pull", economic_key="7")]
        )
        line = self.open_lines(economic_key="7")
        self.Log._create_safe(
            [self.vals(direction="pull", operation="bind", state="done", economic_key="7")]
        )
        self.assertEqual(line.state, "resolved")

    def test_close_open(self):
        self.Log._create_safe(
            [
                self.vals(),
                self.vals(self.other),
                self.vals(res_model=False, res_id=False, direction="pull", economic_key="9"),
                {
                    "backend_id": self.backend.id,
                    "entity": "pass",
                    "operation": "error",
                    "state": "failed",
                },
            ]
        )
        closed = self.Log._close_open(
            self.backend, "customer", "res.partner", res_ids=[self.customer.id]
        )
        self.assertEqual(closed, self.logs(res_id=self.customer.id))
        self.assertEqual(closed.state, "resolved")
        self.assertEqual(self.open_lines(res_id=self.other.id).state, "failed")
        # by key, whatever the direction of the failure (a pull failure here); another
        # entity's key closes nothing
        self.assertFalse(self.Log._close_open(self.backend, "supplier", False, [], [9]))
        self.Log._close_open(self.backend, "customer", False, economic_keys=[9])
        self.assertFalse(self.open_lines(economic_key="9"))
        # the lines about no record: a failed pass, closed by the next good one
        self.assertTrue(self.open_lines(entity="pass"))
        self.Log._close_open(self.backend.id, "pass", False)
        self.assertFalse(self.open_lines(entity="pass"))
        self.assertEqual(self.open_lines(), self.logs(res_id=self.other.id))

    def test_a_page_of_failures_costs_a_handful_of_queries(self):
        """1000 lines: one search, the inserts and updates in the ORM's batches of 100."""
        page = [
            self.vals(res_id=1_000_000 + n, record_name="R%s" % n, message="failed %s" % n)
            for n in range(1000)
        ]
        self.env.flush_all()
        for round_ in (1, 2):
            before = self.env.cr.sql_log_count
            self.Log._create_safe([dict(vals) for vals in page])
            self.env.flush_all()
            queries = self.env.cr.sql_log_count - before
            self.assertLessEqual(queries, 40, "round %s: %s queries" % (round_, queries))
        lines = self.open_lines()
        self.assertEqual(len(lines), 1000)
        self.assertEqual(set(lines.mapped("count")), {2})
        before = self.env.cr.sql_log_count
        self.Log._create_safe([dict(vals, state="done", operation="update") for vals in page])
        self.env.flush_all()
        self.assertLessEqual(self.env.cr.sql_log_count - before, 40)
        self.assertFalse(self.open_lines())

    def test_message_short(self):
        long_line = "x" * 300
        self.Log._create_safe([self.vals(message="\n  %s  \nsecond" % long_line)])
        line = self.open_lines()
        self.assertEqual(len(line.message_short), 120)
        self.assertTrue(line.message_short.endswith("…"))
        self.assertEqual(line.message, "\n  %s  \nsecond" % long_line)
        arch = self.Log.get_views([(False, "list")])["views"]["list"]["arch"]
        self.assertIn('name="message_short"', arch)
        self.assertIn('name="count"', arch)
        self.assertIn('name="last_seen"', arch)

    # ------------------------------------------------------------------ through the engine
    def test_pass_and_replay_keep_one_line_per_failing_record(self):
        self.run_pass()
        self.enable_push("economic_wins")
        too_long = self.Partner.create(
            {"name": "X" * 300, "customer_rank": 1, "company_id": self.env.company.id}
        )
        self.assertEqual(self.run_pass()["state"], "partial")
        line = self.logs(res_model="res.partner", res_id=too_long.id)
        self.assertEqual((len(line), line.state, line.count), (1, "failed", 1))
        # the next pass fails the same way: the same line
        self.run_pass()
        self.assertEqual(self.logs(res_model="res.partner", res_id=too_long.id), line)
        self.assertEqual(line.count, 2)
        # a replay that fails twice: still that one line
        for expected in (3, 4):
            line.with_user(self.manager).action_replay()
            self.env.invalidate_all()
            self.assertEqual(self.logs(res_model="res.partner", res_id=too_long.id), line)
            self.assertEqual((line.state, line.count), ("failed", expected))
        self.assertIn("name", line.message)
        self.assertEqual(self.backend.error_log_count, 1)
        # fixed, the replay replaces the line
        too_long.name = "Short Again"
        line.with_user(self.manager).action_replay()
        self.env.invalidate_all()
        self.assertEqual(line.state, "replayed")
        self.assertFalse(self.open_lines(res_model="res.partner", res_id=too_long.id))
        self.assertEqual(self.backend.error_log_count, 0)

    def test_next_pass_success_closes_the_failure(self):
        self.run_pass()
        self.enable_push("economic_wins")
        too_long = self.Partner.create(
            {"name": "Y" * 300, "customer_rank": 1, "company_id": self.env.company.id}
        )
        self.run_pass()
        line = self.open_lines(res_model="res.partner", res_id=too_long.id)
        self.assertEqual(len(line), 1)
        too_long.name = "Fixed By Hand"
        self.assertEqual(self.run_pass()["state"], "done")
        self.assertEqual(line.state, "resolved")
        self.assertEqual(self.logs(res_id=too_long.id, operation="create").state, "done")
        self.assertEqual(self.backend.error_log_count, 0)

    # ------------------------------------------------------------------ conflicts
    def test_conflict_recorded_once_for_the_same_values(self):
        binding = self.binding_of(self.customer)
        first, created = self.Conflict._record_batch([self.conflict_vals(binding)])
        self.assertEqual(created, [True])
        again = self.Conflict._record(self.conflict_vals(binding))
        self.assertEqual(again, first)
        # decided (by a strategy or by hand): still the same conflict
        first.write({"decision": "remote", "state": "resolved"})
        decided_vals = self.conflict_vals(
            binding, strategy="economic_wins", decision="remote", state="resolved"
        )
        conflicts, created = self.Conflict._record_batch([decided_vals])
        self.assertEqual((conflicts, created), (first, [False]))
        # other values: another conflict; twice in one batch: recorded once
        other = self.conflict_vals(binding, remote='"Vejle"')
        conflicts, created = self.Conflict._record_batch([other, other])
        self.assertEqual(created, [True, False])
        self.assertEqual(len(conflicts), 2)
        self.assertEqual(conflicts[0], conflicts[1])
        self.assertNotEqual(conflicts[0], first)
        # a reversed decision is history: the same values again are a new conflict
        first.state = "reversed"
        self.assertNotEqual(self.Conflict._record(self.conflict_vals(binding)), first)
        self.assertEqual(
            self.Conflict.search_count(
                [
                    ("binding_model", "=", "economic.partner.binding"),
                    ("binding_res_id", "=", binding.id),
                ]
            ),
            3,
        )

    def test_conflict_in_words(self):
        binding = self.binding_of(self.customer)
        conflict = self.Conflict._record(
            self.conflict_vals(
                binding,
                local="null",
                remote="3",
                strategy="economic_wins",
                decision="remote",
                state="resolved",
            )
        )
        self.assertEqual(conflict.base_value_display, "Odense")
        self.assertEqual(conflict.local_value_display, "(empty)")
        self.assertEqual(conflict.remote_value_display, "3")

        def label(fname):
            selection = dict(conflict._fields[fname]._description_selection(self.env))
            return selection[conflict[fname]]

        self.assertEqual(label("entity"), "Customer")
        self.assertEqual(label("strategy"), "e-conomic wins")
        self.assertEqual(label("decision"), "e-conomic's value kept")
        self.assertEqual(label("state"), "Decided")
        views = self.Conflict.get_views([(False, "list"), (False, "form"), (False, "search")])
        for name in ("local_value_display", "remote_value_display", "strategy", "decision"):
            self.assertIn('name="%s"' % name, views["views"]["list"]["arch"])
        self.assertIn("applied on the next pass", views["views"]["form"]["arch"])
        search = views["views"]["search"]["arch"]
        for name in ("open", "decided", "reversed", "group_entity"):
            self.assertIn('name="%s"' % name, search)
        action = self.env.ref("economic_sync.economic_sync_conflict_action")
        self.assertIn("search_default_open", action.context)
        self.assertFalse(action.domain, "decided conflicts are listed once the filter is off")

    # ------------------------------------------------------------------ menus and rights
    def test_menus_where_accountants_work(self):
        Menu = self.env["ir.ui.menu"]
        top = self.env.ref("economic_sync.menu_economic_main")
        self.assertEqual(top.parent_id, self.env.ref("account.menu_finance"))
        wanted = {
            self.env.ref("account.menu_finance").id,
            top.id,
            self.env.ref("economic_sync.menu_economic_sync_log").id,
            self.env.ref("economic_sync.menu_economic_sync_conflict").id,
            self.env.ref("economic_sync.menu_economic_main_backend").id,
        }
        self.assertFalse(self.economic_user.has_group("account.group_account_manager"))
        visible = Menu.with_user(self.economic_user)._visible_menu_ids()
        self.assertLessEqual(wanted, visible)
        self.assertNotIn(self.env.ref("economic_sync.menu_economic_root").id, visible)
        self.assertNotIn(top.id, Menu.with_user(self.invoicing_user)._visible_menu_ids())
        self.assertLessEqual(wanted, Menu.with_user(self.manager)._visible_menu_ids())
        # what the web client loads
        menus = Menu.with_user(self.economic_user).load_menus(False)
        self.assertIn(top.id, menus[self.env.ref("account.menu_finance").id]["children"])

    def test_user_sees_but_cannot_replay_or_reverse(self):
        self.Log._create_safe([self.vals(entity="pass", res_model=False, res_id=False)])
        line = self.open_lines()
        binding = self.binding_of(self.customer)
        conflict = self.Conflict._record(self.conflict_vals(binding))
        as_user = self.economic_user
        self.assertEqual(self.Log.with_user(as_user).search([("id", "=", line.id)]), line)
        self.assertEqual(self.Conflict.with_user(as_user).search([]), conflict)
        with self.assertRaises(AccessError):
            line.with_user(as_user).action_replay()
        with self.assertRaises(AccessError):
            conflict.with_user(as_user).action_choose_local()
        with self.assertRaises(AccessError):
            conflict.with_user(as_user).action_choose_remote()
        self.assertEqual((line.state, line.count), ("failed", 1))
        self.assertEqual((conflict.state, conflict.decision), ("open", "undecided"))
        for model, button in (
            (self.Log, "action_replay"),
            (self.Conflict, "action_choose_local"),
        ):
            views = model.with_user(as_user).get_views([(False, "list"), (False, "form")])
            self.assertNotIn(button, views["views"]["list"]["arch"])
            self.assertNotIn(button, views["views"]["form"]["arch"])
        # a manager can
        result = line.with_user(self.manager).action_replay()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertEqual((line.state, line.count), ("failed", 2), "the same line says why")
        conflict.with_user(self.manager).action_choose_local()
        self.assertEqual((conflict.state, conflict.decision), ("resolved", "local"))
