"""What a pass tells the user (issue 14 §5): the conflicts a pass counted are reachable, and a
partner whose Odoo edit a strategy replaced says so on its e-conomic tab."""

import json

from lxml import etree

from odoo.tests import tagged

from .sync_common import SyncCase


@tagged("post_install", "-at_install")
class TestPassFeedback(SyncCase):
    def conflict_on(self, number, field, local, remote, strategy="economic_wins"):
        """Both sides change ``field`` of customer ``number``; a pass decides. Returns the
        partner, the pass's result and the conflict."""
        partner = self.partner("customer", number)
        partner[field] = local
        prop = {"city": "city", "zip": "zip"}[field]
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": number, "changes": {prop: remote}},
        )
        result = self.run_pass()
        conflict = self.env["economic.sync.conflict"].search(
            [
                ("binding_model", "=", "economic.partner.binding"),
                ("binding_res_id", "=", self.binding("customer", number).id),
                ("field", "=", prop),
            ],
            order="id desc",
            limit=1,
        )
        return partner, result, conflict

    def test_the_conflicts_a_pass_counted_are_reachable(self):
        self.run_pass()
        self.enable_push("economic_wins")
        _partner, result, conflict = self.conflict_on(7, "city", "Odense Local", "Odense Remote")
        self.assertEqual(result["conflicts"], 1)
        self.assertIn("1 conflicts", self.backend.last_pass_message)
        self.assertEqual((conflict.decision, conflict.state), ("remote", "resolved"))
        # the Conflicts menu shows open ones by default: the strategy decided this one
        menu = self.env.ref("economic_sync.economic_sync_conflict_action")
        self.assertIn("search_default_open", menu.context)
        self.assertFalse(
            self.env["economic.sync.conflict"].search_count(
                [("backend_id", "=", self.backend.id), ("state", "=", "open")]
            )
        )
        # the connection leads to exactly what the pass counted
        self.assertEqual(self.backend.last_pass_conflict_count, 1)
        action = self.backend.action_open_last_pass_conflicts()
        self.assertNotIn("search_default_open", str(action.get("context")))
        self.assertEqual(self.env["economic.sync.conflict"].search(action["domain"]), conflict)
        # a later pass counts two others: the button shows those two, not the first one
        self.partner("customer", 3).city = "Vejle Local"
        self.partner("customer", 2).zip = "1111"
        self.admin(
            "POST", "/edit", {"resource": "customers", "key": 3, "changes": {"city": "Vejle R"}}
        )
        self.admin("POST", "/edit", {"resource": "customers", "key": 2, "changes": {"zip": "2222"}})
        result = self.run_pass()
        self.assertEqual(result["conflicts"], 2)
        shown = self.env["economic.sync.conflict"].search(
            self.backend.action_open_last_pass_conflicts()["domain"]
        )
        self.assertEqual(len(shown), 2)
        self.assertNotIn(conflict, shown)
        self.assertEqual(self.backend.last_pass_conflict_count, 2)
        # a pass without conflicts: nothing to lead to
        self.run_pass()
        self.assertEqual(self.backend.last_pass_conflict_count, 0)
        # the smart button is on the connection's form, shown when the last pass had some
        arch = etree.fromstring(
            self.env["economic.backend"].get_view(view_type="form")["arch"].encode()
        )
        button = arch.xpath("//button[@name='action_open_last_pass_conflicts']")
        self.assertEqual(len(button), 1)
        self.assertIn("last_pass_conflict_count", button[0].get("invisible"))

    def test_partner_says_which_odoo_edit_a_strategy_replaced(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner, _result, conflict = self.conflict_on(7, "city", "Odense Local", "Odense Remote")
        self.assertEqual(partner.city, "Odense Remote")
        self.assertEqual(partner.economic_overwritten_ids, conflict)
        self.assertEqual(conflict.field_label, "City")
        self.assertEqual(conflict.local_value_display, "Odense Local")
        self.assertEqual(conflict.remote_value_display, "Odense Remote")
        self.assertTrue(conflict.date)
        # an e-conomic user (no manager) sees it on the partner too
        user = self._new_user(
            "feedback_user",
            "base.group_user,base.group_partner_manager,economic_sync.group_economic_user",
        )
        self.assertEqual(partner.with_user(user).economic_overwritten_ids.ids, conflict.ids)
        # the other partners say nothing
        self.assertFalse(self.partner("customer", 3).economic_overwritten_ids)
        # passes that change nothing keep saying it
        self.run_pass()
        self.assertEqual(partner.economic_overwritten_ids, conflict)
        # a later edit, synced, makes it moot
        partner.city = "Odense Again"
        self.run_pass()
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Again")
        self.assertFalse(partner.economic_overwritten_ids)

    def test_replaced_edit_reversed_or_kept_by_odoo(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner, _result, conflict = self.conflict_on(7, "city", "Odense Local", "Odense Remote")
        self.assertEqual(partner.economic_overwritten_ids, conflict)
        # the user takes Odoo's value back: nothing was lost any more
        conflict.action_choose_local()
        self.assertEqual(conflict.state, "reversed")
        partner.invalidate_recordset(["economic_overwritten_ids"])  # as a form reads it afresh
        self.assertFalse(partner.economic_overwritten_ids)
        self.run_pass()
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Local")
        self.assertFalse(partner.economic_overwritten_ids)
        # Odoo's value kept (local wins): no Odoo edit was replaced, nothing to say
        self.setting("customer").strategy = "local_wins"
        partner3, _result, kept = self.conflict_on(3, "city", "Vejle Local", "Vejle Remote")
        self.assertEqual(kept.decision, "local")
        self.assertFalse(partner3.economic_overwritten_ids)

    def test_partner_form_shows_replaced_edits_on_the_economic_tab(self):
        arch = etree.fromstring(self.env["res.partner"].get_view(view_type="form")["arch"].encode())
        page = arch.xpath("//page[@name='economic']")
        self.assertEqual(len(page), 1)
        field = page[0].xpath(".//field[@name='economic_overwritten_ids']")
        self.assertEqual(len(field), 1)
        names = field[0].xpath("./list/field/@name")
        self.assertEqual(
            names[:4], ["date", "field_label", "local_value_display", "remote_value_display"]
        )


@tagged("post_install", "-at_install")
class TestPassNews(SyncCase):
    """Run Pass Now shows its result without a reload: a pass that starts or ends tells the open
    forms of its connection (a bus message to the e-conomic users), which read it again."""

    def pass_messages(self):
        """The bus messages of passes sent so far (what the commit would send)."""
        self.env.cr.precommit.run()
        out = []
        for row in self.env["bus.bus"].sudo().search([], order="id"):
            message = json.loads(row.message)
            if message.get("type") == "economic_sync/pass":
                out.append((json.loads(row.channel), message["payload"]))
        return out

    def test_run_pass_now_sends_start_and_end(self):
        self.pass_messages()
        self.env["bus.bus"].sudo().search([]).unlink()
        action = self.backend.action_run_pass()
        self.assertEqual(action["params"]["next"]["tag"], "soft_reload")
        self.assertTrue(self.backend.pass_requested)
        self.assertFalse(self.pass_messages(), "nothing runs before the scheduled action")
        self.env["economic.backend"]._cron_run_connection(self.backend.id)
        self.assertFalse(self.backend.pass_requested)
        self.assertEqual(self.backend.last_pass_state, "done")
        messages = self.pass_messages()
        group = self.env.ref("economic_sync.group_economic_user")
        self.assertEqual(
            [payload for _channel, payload in messages],
            [
                {"backend_id": self.backend.id, "event": "started", "pass_number": 1},
                {"backend_id": self.backend.id, "event": "done", "pass_number": 1},
            ],
        )
        for channel, _payload in messages:
            self.assertEqual(channel[1:], ["res.groups", group.id])
        # a failed pass says it ended too
        self.backend.sudo().agreement_grant_token = "revoked"
        self.backend._run_pass()
        self.assertEqual(self.backend.last_pass_state, "failed")
        self.assertEqual(
            [payload["event"] for _channel, payload in self.pass_messages()[2:]],
            ["started", "done"],
        )

    def test_pass_running_is_read_without_taking_the_lock(self):
        self.assertFalse(self.backend.pass_running)
        with self.engine._pass_lock(self.backend) as taken:
            self.assertTrue(taken)
            self.backend.invalidate_recordset(["pass_running"])
            self.assertTrue(self.backend.pass_running)
            # looking did not take the lock: a second look sees it held still
            self.backend.invalidate_recordset(["pass_running"])
            self.assertTrue(self.backend.pass_running)
        self.backend.invalidate_recordset(["pass_running"])
        self.assertFalse(self.backend.pass_running)
        with self.engine._pass_lock(self.backend) as taken:
            self.assertTrue(taken, "the look released nothing it had taken")

    def test_run_pass_now_while_a_pass_runs(self):
        with self.engine._pass_lock(self.backend) as taken:
            self.assertTrue(taken)
            action = self.backend.action_run_pass()
            self.assertEqual(action["params"]["title"], "Pass running")
            self.assertFalse(self.backend.pass_requested)
        action = self.backend.action_run_pass()
        self.assertEqual(action["params"]["title"], "Pass requested")
        self.assertTrue(self.backend.pass_requested)

    def test_form_watches_its_passes(self):
        arch = etree.fromstring(
            self.env["economic.backend"].get_view(view_type="form")["arch"].encode()
        )
        self.assertEqual(len(arch.xpath("//widget[@name='economic_pass_watcher']")), 1)
        for name in ("pass_number", "pass_requested", "pass_running", "last_pass_start"):
            self.assertTrue(arch.xpath("//field[@name='%s']" % name), name)
        running = arch.xpath("//div[contains(@class, 'o_economic_pass_running')]")
        self.assertEqual(running[0].get("invisible"), "not pass_running")
        assets = self.env["ir.asset"]._get_asset_paths("web.assets_backend", {})
        self.assertTrue(
            [
                path
                for path, *_rest in assets
                if path.endswith("economic_sync/static/src/js/pass_watcher.js")
            ]
        )
