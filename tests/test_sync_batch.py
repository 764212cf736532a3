"""Batching of the engine: requests and SQL queries per page, not per record; one bad record in a
batch; customer contacts through the customers OpenAPI listing; full passes; cron progress.

Counts, never timings: requests come from the sandbox's request log, queries from the cursor's
``sql_log_count``."""

import math
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from .sync_common import SyncCase

CUSTOMERS_PATH = "/customers"
CONTACTS_API_PATH = "/customersapi/v3.1.0/Contacts"


@tagged("post_install", "-at_install")
class TestSyncBatch(SyncCase):
    def _reset(self, customers, contacts=0):
        counts = {"customers": customers}
        if contacts:
            counts["contacts_per_customer"] = contacts
        self.sandbox.reset(seed="empty", **counts)
        self.backend.action_refresh_references()
        self.clear_requests()

    def _pull_customers(self):
        """Initial pull of customers (+contacts) only; returns (result, requests, queries)."""
        self.clear_requests()
        count0 = self.env.cr.sql_log_count
        result = self.run_pass(entities=["customer", "customer_contact"])
        queries = self.env.cr.sql_log_count - count0
        return result, self.requests_log(), queries

    # ------------------------------------------------------------------ requests per page
    def test_initial_pull_requests_per_page(self):
        """N customers cost ceil(N/1000) list requests (+ the contacts' pages), not N."""
        self._reset(2500, contacts=2)
        result, requests, _queries = self._pull_customers()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(result["created"], 2500 * 3)  # the customers and their two contacts
        lists = [r for r in requests if r["method"] == "GET" and r["path"] == CUSTOMERS_PATH]
        self.assertEqual(len(lists), math.ceil(2500 / 1000))
        contacts = [r for r in requests if r["path"] == CONTACTS_API_PATH]
        # 5000 contacts: 5 cursor pages (a 6th only if e-conomic sends an empty cursor)
        self.assertIn(len(contacts), (math.ceil(5000 / 1000), math.ceil(5000 / 1000) + 1))
        self.assertFalse([r for r in requests if "/contacts" in r["path"]])
        # every request: lists, contacts pages, references and a few constant ones
        self.assertLess(len(requests), len(lists) + len(contacts) + 20)
        self.assertEqual(
            self.env["economic.partner.binding"].search_count(
                [("backend_id", "=", self.backend.id), ("kind", "=", "customer")]
            ),
            2500,
        )

    def test_initial_pull_queries_per_page_not_per_record(self):
        """The second page of 1000 customers costs a bounded number of queries: the
        creations are batched (one create of partners, one of bindings, one of log lines)."""
        self._reset(1000)
        _r, _req, queries_1000 = self._pull_customers()
        self.env["economic.partner.binding"].search(
            [("backend_id", "=", self.backend.id)]
        ).partner_id.unlink()
        self.setting("customer").last_pull_at = False
        self.backend.last_full_pass = False
        self._reset(2000)
        result, _req, queries_2000 = self._pull_customers()
        self.assertEqual(result["created"], 2000, result)
        extra = queries_2000 - queries_1000
        # one page more: far fewer queries than records (per-record work would cost >= 1000)
        self.assertLess(extra, 300, "a page of 1000 customers cost %s queries" % extra)

    # ------------------------------------------------------------------ failure isolation
    def test_failing_record_in_a_batch_the_rest_lands(self):
        self._reset(30)
        bad = self.remote("customers", 7)
        self.env.cr.execute(
            "ALTER TABLE res_partner ADD CONSTRAINT economic_test_no_bad CHECK (name != %s)",
            (bad["name"],),
        )
        with mute_logger("odoo.sql_db", "odoo.addons.economic_sync.models.economic_sync_entity"):
            result, _requests, _queries = self._pull_customers()
        self.assertEqual(result["state"], "partial", result)
        self.assertEqual(result["created"], 29)
        self.assertEqual(result["errors"], 1)
        line = self.logs(operation="error", economic_key="7")
        self.assertEqual(line.state, "failed")
        # a constraint Odoo does not know: the user reads words of ours, never the database's
        self.assertIn("unexpected error", line.message)
        self.assertNotIn("economic_test_no_bad", line.message)
        self.assertFalse(self.binding("customer", 7))
        self.assertTrue(self.binding("customer", 8))
        self.assertEqual(len(self.logs(operation="create", entity="customer")), 29)

    # ------------------------------------------------------------------ contacts (OpenAPI)
    def test_contacts_via_openapi_listing(self):
        self.run_pass()
        customer = self.partner("customer", 1)
        self.assertEqual(
            sorted(customer.child_ids.mapped("name")), ["Daphne Moon", "Frasier Crane"]
        )
        # a contact-only change (its customer's lastUpdated does not move) is seen
        with self.backend._get_client() as client:
            api = client.customer_contacts_api
            daphne = next(
                c for c in api.iter() if c["customerNumber"] == 1 and c["name"] == "Daphne Moon"
            )
            daphne = dict(daphne, email="daphne@contacts.example")
            api.update(daphne)
        customer_stamp = self.remote("customers", 1).get("lastUpdated")
        self.clear_requests()
        result = self.run_pass()
        self.assertFalse(result["full"])
        self.assertEqual(self.remote("customers", 1).get("lastUpdated"), customer_stamp)
        contact = customer.child_ids.filtered(lambda c: c.name == "Daphne Moon")
        self.assertEqual(contact.email, "daphne@contacts.example")
        requests = self.requests_log()
        self.assertFalse([r for r in requests if "/contacts" in r["path"]])
        self.assertTrue([r for r in requests if r["path"] == CONTACTS_API_PATH])
        # deleted in e-conomic: archived by the next full pass (key comparison)
        with self.backend._get_client() as client:
            client.customer_contacts_api.delete(daphne["number"])
        self.backend.last_full_pass = fields.Datetime.now() - timedelta(days=2)
        result = self.run_pass()
        self.assertTrue(result["full"])
        self.assertFalse(contact.active)
        self.assertTrue(self.logs(operation="archive", entity="customer_contact"))

    def test_pulled_contacts_equal_contacts_created_by_hand(self):
        """New contacts are created in one batch with their parent's commercial fields,
        address and pricelist already in the values (no write per contact afterwards): the
        result is what ``res.partner.create`` of one contact gives."""
        pricelist = self.env["product.pricelist"].create({"name": "E Pricelist"})
        self.run_pass()
        customer = self.partner("customer", 1)
        customer.property_product_pricelist = pricelist
        self.assertTrue(customer.vat and customer.property_payment_term_id and customer.city)
        with self.backend._get_client() as client:
            for name in ("Niles Crane", "Martin Crane"):
                client.customers.contacts(1).create({"name": name, "email": "x@crane.example"})
        self.run_pass()
        pulled = customer.child_ids.filtered(lambda c: c.name in ("Niles Crane", "Martin Crane"))
        self.assertEqual(len(pulled), 2)
        by_hand = self.env["res.partner"].create(
            {"name": "By Hand", "parent_id": customer.id, "type": "contact"}
        )
        fnames = [
            "vat",
            "property_payment_term_id",
            "property_supplier_payment_term_id",
            "property_account_receivable_id",
            "property_account_position_id",
            "property_product_pricelist",
            "specific_property_product_pricelist",
            "credit_limit",
            "street",
            "street2",
            "zip",
            "city",
            "country_id",
            "state_id",
            "lang",
            "commercial_partner_id",
        ]
        self.env.invalidate_all()
        for contact in pulled:
            for fname in fnames:
                self.assertEqual(contact[fname], by_hand[fname], fname)
        self.assertEqual(by_hand.property_product_pricelist, pricelist)

    # ------------------------------------------------------------------ full passes
    def test_full_pass_once_per_interval(self):
        self.assertEqual(self.backend.full_pass_interval_days, 1)
        first = self.run_pass()
        self.assertTrue(first["full"])
        self.assertTrue(self.backend.last_full_pass)
        self.assertFalse(self.run_pass()["full"])
        # a supplier deleted in e-conomic is found by key comparison (no change stamp)
        partner = self.partner("supplier", 25)
        self.admin("POST", "/delete", {"resource": "suppliers", "key": 25})
        self.backend.last_full_pass = fields.Datetime.now() - timedelta(days=1, minutes=1)
        result = self.run_pass()
        self.assertTrue(result["full"])
        self.assertFalse(partner.active)
        self.assertFalse(self.run_pass()["full"])
        self.backend.full_pass_interval_days = 0
        self.backend.last_full_pass = fields.Datetime.now() - timedelta(days=30)
        self.assertFalse(self.run_pass()["full"])
        self.assertTrue(self.run_pass(full=True)["full"])

    # ------------------------------------------------------------------ cron progress
    def test_cron_pass_notifies_progress(self):
        cron = self.backend.cron_id
        self.backend.next_pass_date = False
        # the connection runs on a cursor of its own: let it see this test's transaction
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        # what the cron worker does: a progress record in the context, then the action
        cron, progress = cron._add_progress()
        self.env["economic.backend"].with_context(cron.env.context)._cron_run_connection(
            self.backend.id
        )
        self.env.invalidate_all()
        self.assertGreater(progress.done, 0)  # records read, reported per page
        self.assertEqual(progress.remaining, 0)  # and the run is complete
        self.assertIn(self.backend.last_pass_state, ("done", "partial"))
