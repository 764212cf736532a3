"""Writing to e-conomic safely (issue: no double creates, one lock, reused numbers, scope,
pending edits, preview). Against the sandbox subprocess, inside the test transaction; what needs
real commits and separate processes is in ``tests_process/``."""

from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .sync_common import SyncCase


@tagged("post_install", "-at_install")
class TestSyncSafety(SyncCase):
    # ------------------------------------------------------------------ helpers
    def remote_named(self, name, resource="customers"):
        return [c for c in self.admin("GET", "/records/%s" % resource) if c["name"] == name]

    def writes(self):
        return [r for r in self.requests_log() if r["method"] != "GET"]

    def attempts(self, partner=None):
        domain = [("backend_id", "=", self.backend.id)]
        if partner:
            domain.append(("res_id", "=", partner.id))
        return self.env["economic.create.attempt"].search(domain)

    def new_customer(self, name, **vals):
        return self.Partner.create(
            dict(
                {"name": name, "customer_rank": 1, "country_id": self.env.ref("base.dk").id}, **vals
            )
        )

    # ------------------------------------------------------------------ 1. never a second record
    def test_create_key_is_derived_from_the_record_and_stored_before_the_request(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("Keyed ApS")
        # e-conomic refuses every create: the attempt stays, with the key that was sent
        self.sandbox.add_fault("error", path="/customers", method="POST", status=503, times=10)
        self.run_pass(entities=["customer"])
        attempt = self.attempts(partner)
        self.assertEqual(attempt.state, "pending")
        posts = [r for r in self.writes() if r["path"] == "/customers"]
        self.assertTrue(posts)
        self.assertEqual({r["idempotency_key"] for r in posts}, {attempt.idempotency_key})
        # the same record, connection and attempt always give the same key
        Attempt = self.env["economic.create.attempt"]
        self.assertEqual(
            Attempt._key(self.backend, "customer", "res.partner", partner.id, 1),
            attempt.idempotency_key,
        )
        self.assertNotEqual(
            Attempt._key(self.backend, "customer", "res.partner", partner.id, 2),
            attempt.idempotency_key,
        )

    def test_lost_create_then_503s_without_keys_makes_one_record_each_side(self):
        """The hardest case: no e-mail, phone or VAT to match on; e-conomic committed the
        create, the answer was lost and the retries got 503s. The next pass reaches the same
        key, gets e-conomic's cached answer and binds: one customer, one partner."""
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("Nameless Trading")
        self.sandbox.add_fault("drop_after_commit", path="/customers", method="POST", times=1)
        self.sandbox.add_fault("error", path="/customers", method="POST", status=503, times=20)
        result = self.run_pass()
        self.assertEqual(result["state"], "partial", result)
        self.assertEqual(len(self.remote_named("Nameless Trading")), 1)
        self.assertEqual(self.attempts(partner).state, "pending")
        self.admin("DELETE", "/faults")
        self.run_pass()
        self.run_pass(full=True)
        created = self.remote_named("Nameless Trading")
        self.assertEqual(len(created), 1)
        self.assertEqual(self.Partner.search_count([("name", "=", "Nameless Trading")]), 1)
        binding = self.binding("customer", created[0]["customerNumber"])
        self.assertEqual(binding.partner_id, partner)
        self.assertFalse(self.attempts(partner))
        keys = {r["idempotency_key"] for r in self.writes() if r["path"] == "/customers"}
        self.assertEqual(len(keys), 1)

    def test_lost_create_found_by_name_once_the_key_is_forgotten(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("Forgotten Key ApS")
        self.sandbox.add_fault("drop_after_commit", path="/customers", method="POST", times=1)
        self.sandbox.add_fault("error", path="/customers", method="POST", status=503, times=20)
        self.run_pass()
        self.admin("DELETE", "/faults")
        # two hours later: e-conomic no longer remembers the key
        self.admin("POST", "/clock", {"offset_seconds": 7200})
        attempt = self.attempts(partner)
        attempt.requested_at = fields.Datetime.now() - timedelta(hours=2)
        self.run_pass()
        created = self.remote_named("Forgotten Key ApS")
        self.assertEqual(len(created), 1)
        self.assertEqual(self.Partner.search_count([("name", "=", "Forgotten Key ApS")]), 1)
        self.assertEqual(self.binding("customer", created[0]["customerNumber"]).partner_id, partner)
        self.assertTrue(self.logs(operation="bind", res_id=partner.id))

    def test_pull_holds_a_record_an_unconfirmed_create_may_have_made(self):
        """Write-back switched off after a lost create: the orphan is not pulled as a second
        partner while the create is unsettled (found by name once the key is old)."""
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("Held Back ApS")
        self.sandbox.add_fault("drop_after_commit", path="/customers", method="POST", times=1)
        self.sandbox.add_fault("error", path="/customers", method="POST", status=503, times=20)
        self.run_pass()
        self.admin("DELETE", "/faults")
        self.backend.write_back = False
        # the same name twice in e-conomic: ambiguous, nothing bound, nothing created
        self.sandbox.admin(
            "POST", "/create", {"resource": "customers", "record": self._customer("Held Back ApS")}
        )
        self.attempts(partner).requested_at = fields.Datetime.now() - timedelta(hours=2)
        self.run_pass()
        self.assertEqual(self.Partner.search_count([("name", "=", "Held Back ApS")]), 1)
        self.assertTrue(self.logs(operation="skip", record_name="Held Back ApS"))
        self.assertEqual(self.attempts(partner).state, "pending")

    def _customer(self, name):
        return {
            "name": name,
            "currency": "DKK",
            "customerGroup": {"customerGroupNumber": 1},
            "paymentTerms": {"paymentTermsNumber": 1},
            "vatZone": {"vatZoneNumber": 1},
        }

    def test_refused_create_gets_a_new_key_once_corrected(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("X" * 300)
        self.run_pass(entities=["customer"])
        attempt = self.attempts(partner)
        self.assertEqual(attempt.state, "refused")
        refused_key = attempt.idempotency_key
        partner.name = "Corrected ApS"
        self.run_pass(entities=["customer"])
        created = self.remote_named("Corrected ApS")
        self.assertEqual(len(created), 1)
        keys = [r["idempotency_key"] for r in self.writes() if r["path"] == "/customers"]
        self.assertEqual(len(set(keys)), 2)
        self.assertEqual(keys[0], refused_key)
        self.assertFalse(self.attempts(partner))

    def test_reused_number_is_another_record(self):
        self.run_pass()
        highest = max(c["customerNumber"] for c in self.admin("GET", "/records/customers"))
        old = self.partner("customer", highest)
        self.assertTrue(old)
        self.sandbox.admin("DELETE", "/faults")
        self.admin("POST", "/delete", {"resource": "customers", "key": highest})
        record = dict(
            self._customer("Brand New Owner ApS"), corporateIdentificationNumber="55443322"
        )
        created = self.admin("POST", "/create", {"resource": "customers", "record": record})
        self.assertEqual(created["customerNumber"], highest)
        self.run_pass()  # incremental: the deletion was never seen
        old.invalidate_recordset()
        self.assertFalse(old.active)
        self.assertNotEqual(old.name, "Brand New Owner ApS")
        new = self.partner("customer", highest)
        self.assertEqual(new.name, "Brand New Owner ApS")
        self.assertNotEqual(new, old)
        self.assertTrue(self.logs(operation="archive", res_id=old.id))

    def test_number_seen_deleted_then_reused_is_another_record(self):
        self.run_pass()
        highest = max(c["customerNumber"] for c in self.admin("GET", "/records/customers"))
        old = self.partner("customer", highest)
        self.admin("POST", "/delete", {"resource": "customers", "key": highest})
        self.run_pass(full=True)
        self.assertFalse(old.active)
        self.admin(
            "POST", "/create", {"resource": "customers", "record": self._customer("Next Owner")}
        )
        self.run_pass(full=True)
        new = self.partner("customer", highest)
        self.assertEqual(new.name, "Next Owner")
        self.assertNotEqual(new, old)
        self.assertNotEqual(old.name, "Next Owner")

    def test_deleted_customer_does_not_bar_the_partners_supplier(self):
        self.run_pass()
        self.enable_push("economic_wins")
        highest = max(c["customerNumber"] for c in self.admin("GET", "/records/customers"))
        partner = self.partner("customer", highest)
        # the customer's partner is supplier 25 too (one company partner, both roles)
        supplier = self.binding("supplier", 25)
        supplier.partner_id = partner
        self.run_pass(entities=["supplier"])
        self.assertEqual(supplier.state, "synced")
        self.clear_requests()
        self.admin("POST", "/delete", {"resource": "customers", "key": highest})
        self.run_pass(full=True)
        self.assertTrue(partner.active)
        self.assertTrue(self.binding("customer", highest).remote_archived)
        self.assertFalse(self.remote("suppliers", 25).get("barred"))
        self.assertFalse([r for r in self.writes() if r["path"].startswith("/suppliers")])

    # ------------------------------------------------------------------ one lock
    def test_user_actions_wait_for_the_connections_lock(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.partner("customer", 2)
        engine = self.engine.with_context(economic_lock_wait=0.3)
        with engine._pass_lock(self.backend) as locked:
            self.assertTrue(locked)
            for direction in ("push", "pull"):
                with self.assertRaises(UserError):
                    engine._action_record(self.backend, partner, direction)
            self.assertEqual(self.backend._run_pass()["state"], "skipped")
        # free again
        self.assertEqual(
            engine._action_record(self.backend, partner, "pull")["tag"], "display_notification"
        )

    # ------------------------------------------------------------------ rights
    def test_plain_user_cannot_push_and_actions_use_the_users_rights(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.partner("customer", 2)
        user = self._new_user(
            "econ_plain",
            "base.group_user,economic_sync.group_economic_user,base.group_partner_manager",
        )
        with self.assertRaises(AccessError):
            partner.with_user(user).action_economic_push()
        # Refresh writes the partner with the user's rights: without write access, refused
        reader = self._new_user("econ_reader", "base.group_portal")
        with self.assertRaises(AccessError):
            self.engine.with_user(reader)._action_record(
                self.backend, partner.with_user(reader), "pull"
            )
        result = partner.with_user(user).action_economic_refresh()
        self.assertIn("0 errors", result["params"]["message"])

    # ------------------------------------------------------------------ scope
    def test_one_company_pushes_partners_without_a_company(self):
        """With one company in the database, a partner without a company (Odoo's default for a
        new partner) is that company's: switching push on creates it in e-conomic, with no box
        to tick, and the preview explains nothing away.

        The test database has a second company that cannot go: Odoo's Danish localisation,
        installed beside the addon, brings its demo company, with posted entries and an audit
        trail Odoo never deletes. A database with one company is what ``_several_companies``
        (its count of companies, archived ones too) answers False for: it answers so here."""
        Backend = type(self.env["economic.backend"])
        with patch.object(Backend, "_several_companies", lambda backend: False):
            self.backend.invalidate_recordset(["several_companies"])
            self.assertFalse(self.backend.push_shared_partners)
            self.assertFalse(self.backend.several_companies)
            self.run_pass()
            self.enable_push("economic_wins", entities=("customer",))
            plain = self.env["res.partner"].create(
                {"name": "Default Partner ApS", "customer_rank": 1}
            )
            self.assertFalse(plain.company_id, "Odoo's default: no company")
            preview = self.engine._preview_push(self.backend)
            self.assertFalse([line for line in preview if line["operation"] == "skip"])
            self.assertIn(
                "Default Partner ApS",
                [line["record_name"] for line in preview if line["operation"] == "create"],
            )
            self.run_pass(entities=["customer"])
            self.assertEqual(len(self.remote_named("Default Partner ApS")), 1)
            self.assertTrue(plain.economic_customer_number)

    def test_shared_partners_are_created_nowhere_unless_scoped(self):
        """With several companies, a partner without a company is shared: created in no
        agreement unless the connection says so."""
        self.env["res.company"].create({"name": "Second Company (shared partners)"})
        self.assertTrue(self.backend.several_companies)
        self.run_pass()
        self.enable_push("economic_wins", entities=("customer",))
        shared = self.env["res.partner"].create(
            {"name": "Shared Between Companies", "customer_rank": 1, "company_id": False}
        )
        self.run_pass(entities=["customer"])
        self.assertFalse(self.remote_named("Shared Between Companies"))
        # the preview says why nothing is created for it
        skipped = [
            line
            for line in self.engine._preview_push(self.backend)
            if line["operation"] == "skip" and line["entity"] == "customer"
        ]
        self.assertEqual(len(skipped), 1)
        self.assertIn("Push Shared Partners", skipped[0]["message"])
        self.backend.push_shared_partners = True
        self.run_pass(entities=["customer"])
        self.assertEqual(len(self.remote_named("Shared Between Companies")), 1)
        self.assertTrue(shared.economic_customer_number)

    def test_push_only_domain_limits_new_records(self):
        self.run_pass()
        self.enable_push("economic_wins", entities=("customer",))
        self.setting("customer").push_domain = "[('ref', '=', 'PUSH-ME')]"
        self.new_customer("Left Out ApS")
        self.new_customer("Pushed ApS", ref="PUSH-ME")
        self.run_pass(entities=["customer"])
        self.assertFalse(self.remote_named("Left Out ApS"))
        self.assertEqual(len(self.remote_named("Pushed ApS")), 1)

    # ------------------------------------------------------------------ pending edits, cost
    def test_no_change_pass_after_the_initial_pull_reads_no_record_by_record(self):
        self.admin("POST", "/reset", {"seed": "demo", "customers": 100})
        self.run_pass()
        self.enable_push("economic_wins")
        self.assertFalse(
            self.env["economic.partner.binding"].search(
                [("backend_id", "=", self.backend.id), ("state", "!=", "synced")]
            )
        )
        self.clear_requests()
        self.run_pass()
        single = [r for r in self.requests_log() if r["path"].rstrip("/").split("/")[-1].isdigit()]
        self.assertEqual(single, [])
        # one local edit costs about one record request
        self.partner("customer", 5).phone = "+45 70 20 30 40"
        self.clear_requests()
        self.run_pass()
        single = [r for r in self.requests_log() if r["path"].rstrip("/").split("/")[-1].isdigit()]
        self.assertEqual({r["path"] for r in single}, {"/customers/5"})

    def test_pending_follows_the_active_mappings(self):
        self.run_pass()
        partner = self.partner("customer", 2)
        binding = self.binding("customer", 2)
        partner.comment = "<p>not synced</p>"
        self.assertEqual(binding.state, "synced")
        self.backend.field_mapping_ids.filtered(
            lambda m: m.entity == "customer" and m.economic_property == "telephoneAndFaxNumber"
        ).active = False
        partner.phone = "+45 11 11 11 11"
        self.assertEqual(binding.state, "synced")
        partner.email = "new@example.com"
        self.assertEqual(binding.state, "pending")

    def test_pending_marks_a_real_change_with_one_search(self):
        """A value written unchanged (a form sends what it shows) and the sync's own write mark
        nothing; a write of several partners looks at their bindings once."""
        self.run_pass()
        partner = self.partner("customer", 2)
        binding = self.binding("customer", 2)
        partner.write({"phone": partner.phone, "email": partner.email, "name": partner.name})
        self.assertEqual(binding.state, "synced", "nothing changed")
        partner.with_context(economic_sync_write=True).phone = "+45 12 12 12 12"
        self.assertEqual(binding.state, "synced", "the sync's own write")
        partners = self.Partner.union(*(self.partner("customer", n) for n in (3, 4, 5, 6)))
        self.assertEqual(len(partners), 4)
        partners._economic_guard({"comment": "<p>warm</p>"})
        with self.assertQueryCount(0):
            partners._economic_guard({"comment": "<p>not synced</p>"})

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.assertTrue(records._economic_guard({"phone": "+45 70 70 70 70"}))
            return self.env.cr.sql_log_count - before

        queries(partners)
        self.assertEqual(queries(partners[:1]), queries(partners))
        partners.write({"phone": "+45 70 70 70 70"})
        self.assertEqual(set(partners.economic_binding_ids.mapped("state")), {"pending"})
        # a binding whose e-conomic record was deleted is pushed by no one: never pending
        binding.with_context(economic_sync_write=True).write({"remote_archived": True})
        partner.phone = "+45 13 13 13 13"
        self.assertEqual(binding.state, "synced", "deleted in e-conomic")

    def test_write_back_off_says_why_an_edit_is_not_pushed(self):
        self.run_pass()
        partner = self.partner("customer", 2)
        partner.phone = "+45 22 22 22 22"
        partner.invalidate_recordset()
        self.assertEqual(partner.economic_state, "pending")
        self.assertIn("write-back is off", partner.economic_pending_reason)
        self.enable_push("economic_wins")
        partner.invalidate_recordset()
        self.assertFalse(partner.economic_pending_reason)

    def test_create_base_holds_the_defaults_sent(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.new_customer("Default Terms ApS")
        self.assertFalse(partner.property_payment_term_id)
        self.run_pass(entities=["customer"])
        number = partner.economic_customer_number
        self.assertTrue(number)
        self.assertTrue(partner.property_payment_term_id)
        self.clear_requests()
        self.run_pass(entities=["customer"])
        self.assertEqual(self.writes(), [])
        self.assertTrue(self.remote("customers", number)["paymentTerms"])

    # ------------------------------------------------------------------ preview
    def test_preview_shows_what_would_be_sent_and_sends_nothing(self):
        self.run_pass()
        for entity in ("customer", "supplier"):
            self.setting(entity).write({"strategy": "local_wins", "push": True})
        self.assertFalse(self.backend.write_back)
        edited = self.partner("customer", 3)
        edited.phone = "+45 33 33 33 33"
        new = self.new_customer("Preview Only ApS")
        bindings = self.env["economic.partner.binding"].search_count([])
        self.clear_requests()
        lines = self.engine._preview_push(self.backend)
        self.assertEqual(self.writes(), [])
        self.assertEqual(self.env["economic.partner.binding"].search_count([]), bindings)
        self.assertFalse(self.attempts())
        by_record = {(line["operation"], line["res_id"]): line for line in lines}
        self.assertIn(("create", new.id), by_record)
        update = by_record[("update", edited.id)]
        self.assertEqual(update["economic_key"], "3")
        self.assertIn("telephoneAndFaxNumber", update["fields"])
        self.assertEqual(self.binding("customer", 3).state, "pending")
        self.assertEqual(edited.phone, "+45 33 33 33 33")
        # the same code as the real push: with write-back on it sends exactly that
        self.backend.write_back = True
        self.run_pass()
        self.assertEqual(len(self.remote_named("Preview Only ApS")), 1)

    def test_conflict_names_the_field_as_the_user_knows_it(self):
        self.run_pass()
        conflict = self.env["economic.sync.conflict"]._record(
            {
                "backend_id": self.backend.id,
                "binding_model": "economic.partner.binding",
                "binding_res_id": self.binding("customer", 2).id,
                "entity": "customer",
                "field": "telephoneAndFaxNumber",
                "local_value": '"+45 1"',
                "remote_value": '"+45 2"',
                "strategy": "economic_wins",
                "decision": "remote",
                "state": "resolved",
            }
        )
        self.assertEqual(conflict.field_label, "Phone")
        self.assertIn("Phone", conflict.display_name)
