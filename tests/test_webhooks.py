"""Webhooks (issue 9): e-conomic's requests reach Odoo over HTTP, record events, and a targeted
pull of exactly the named records runs through the engine from the scheduled action."""

import logging
from unittest.mock import patch
from urllib.parse import unquote

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged

from ..models.economic_sync_entity import EconomicSyncEntity
from ..models.webhooks import event as event_model
from .invoice_common import InvoiceCase

EVENT = "economic.webhook.event"


@tagged("post_install", "-at_install")
class TestWebhooks(InvoiceCase, HttpCase):
    def setUp(self):
        super().setUp()
        # what the classic webhook URLs contain: this test server
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.backend.next_pass_date = fields.Datetime.add(fields.Datetime.now(), hours=5)
        for entity in ("customer", "customer_contact", "product"):
            self.setting(entity).write({"pull": True, "auto": True})

    # ------------------------------------------------------------------ helpers
    def url(self, event_type):
        return self.backend._webhook_url(event_type)

    def hook(self, event_type):
        """Register the connection's classic webhook of ``event_type`` in the sandbox, as a
        user pastes the URL the connection's form shows."""
        self.admin("POST", "/webhooks", {"type": event_type, "url": self.url(event_type)})

    def wait_deliveries(self):
        self.admin("POST", "/webhooks/wait", {"timeout": 25})
        self.env.invalidate_all()

    def events(self, **filters):
        domain = [("backend_id", "=", self.backend.id)]
        domain += [(k, "=", v) for k, v in filters.items()]
        return self.env[EVENT].search(domain)

    def process(self):
        """The connection's scheduled action, woken by the events (its pass is not due)."""
        self.env["economic.backend"]._cron_run_connection(self.backend.id)
        self.env.invalidate_all()

    def get(self, path):
        return self.url_open(path, allow_redirects=False)

    # ------------------------------------------------------------------ tests
    def test_customer_edited_in_economic_arrives_through_one_targeted_pull(self):
        self.run_pass()
        partner = self.partner("customer", 2)
        self.hook("customer_updated")
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "customers",
                "key": 2,
                "changes": {"telephoneAndFaxNumber": "+45 11 22 33 44"},
            },
        )
        self.wait_deliveries()
        event = self.events(event_type="customer_updated", key="2")
        self.assertEqual(event.state, "pending")
        cron = self.backend.cron_id
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        self.clear_requests()
        self.process()
        self.assertEqual(event.state, "done")
        self.assertEqual(event.res_id, partner.id)
        self.assertEqual(partner.phone, "+45 11 22 33 44")
        paths = [r["path"] for r in self.requests_log() if r["method"] == "GET"]
        self.assertTrue(all("/invoices" not in p and "/products" not in p for p in paths), paths)
        listings = [r for r in self.requests_log() if r["path"] == "/customers"]
        self.assertEqual(len(listings), 1, "one targeted read, no full pass")
        self.assertIn("customerNumber$in:[2]", unquote(listings[0]["query"]))

    def test_renumbered_customer_keeps_one_partner(self):
        self.run_pass()
        partner = self.partner("customer", 3)
        count = self.env["res.partner"].with_context(active_test=False).search_count([])
        self.hook("customer_updated")
        self.admin("POST", "/renumber", {"resource": "customers", "old": 3, "new": 3003})
        self.wait_deliveries()
        self.assertEqual(self.events(key="3003").old_key, "3")
        self.process()
        self.assertEqual(self.partner("customer", 3003), partner)
        self.assertFalse(self.binding("customer", 3))
        self.assertTrue(partner.active)
        self.assertEqual(
            self.env["res.partner"].with_context(active_test=False).search_count([]), count
        )
        line = self.logs(operation="bind", economic_key="3003")
        self.assertEqual(line.message, "Renumbered in e-conomic from 3 to 3003: re-bound.")
        self.assertEqual(line.res_id, partner.id)

    def test_renumbered_product_keeps_one_product(self):
        """The product's binding is re-keyed by the same helper as a customer's."""
        self.run_pass()
        Binding = self.env["economic.product.binding"]
        domain = [("backend_id", "=", self.backend.id)]
        product = Binding.search(domain + [("economic_key", "=", "1")]).product_id
        self.assertTrue(product)
        self.hook("product_updated")
        self.admin("POST", "/renumber", {"resource": "products", "old": "1", "new": "T-1"})
        self.wait_deliveries()
        self.assertEqual(self.events(key="T-1").old_key, "1")
        self.process()
        self.assertEqual(
            Binding.search(domain + [("economic_key", "=", "T-1")]).product_id, product
        )
        self.assertFalse(Binding.search(domain + [("economic_key", "=", "1")]))
        self.assertTrue(product.active)
        line = self.logs(operation="bind", economic_key="T-1")
        self.assertEqual(line.message, "Renumbered in e-conomic from 1 to T-1: re-bound.")
        self.assertEqual(
            (line.entity, line.res_model, line.res_id), ("product", "product.product", product.id)
        )

    def test_deleted_customer_is_archived(self):
        self.run_pass()
        partner = self.partner("customer", 4)
        self.admin("POST", "/delete", {"resource": "customers", "key": 4})
        self.url_open(
            self.url("customer_updated").replace("[NEWNUMBER]", "4").replace("[OLDNUMBER]", "4")
        )
        self.process()
        self.assertFalse(partner.active)

    def test_booked_invoice_arrives(self):
        self.run_pass()
        self.hook("invoice_booked")
        record = self.book_new(1, [("1", 2, "70")])
        self.wait_deliveries()
        event = self.events(event_type="invoice_booked", key=str(record["bookedInvoiceNumber"]))
        self.assertEqual(event.state, "pending")
        self.process()
        self.assertEqual(event.state, "done")
        move = self.move(record["bookedInvoiceNumber"])
        self.assertEqual(event.res_id, move.id)
        self.assert_totals(move, record)

    def test_wrong_secret_404_and_nothing_recorded(self):
        url = self.url("customer_updated").replace("[NEWNUMBER]", "2").replace("[OLDNUMBER]", "2")
        wrong = url.replace(self.backend.sudo().webhook_secret, "x" * 43)
        self.assertEqual(self.get(wrong).status_code, 404)
        other = url.replace("/webhook/%s/" % self.backend.id, "/webhook/999999/")
        self.assertEqual(self.get(other).status_code, 404)
        self.assertFalse(self.events())
        self.assertEqual(self.get(url).status_code, 200)
        self.assertEqual(len(self.events()), 1)
        # a regenerated secret: the old URL stops working at once
        self.backend.action_regenerate_webhook_secret()
        self.assertEqual(self.get(url).status_code, 404)
        self.assertEqual(
            self.get(
                self.url("customer_updated").replace("[NEWNUMBER]", "2").replace("[OLDNUMBER]", "2")
            ).status_code,
            200,
        )

    def test_malformed_input_400(self):
        base = self.backend._webhook_url("customer_updated", with_merge_fields=False)
        for query in ("", "?new=[NEWNUMBER]", "?new=abc", "?new=-3", "?new=2&old=x"):
            self.assertEqual(self.get(base + query).status_code, 400, query)
        invoice = self.backend._webhook_url("invoice_booked", with_merge_fields=False)
        self.assertEqual(self.get(invoice + "?invoice=").status_code, 400)
        self.assertFalse(self.events())
        # a JSON body (the webhooks API form) is read too
        response = self.url_open(
            invoice, data='{"invoice": "7"}', headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.events().key, "7")

    def test_burst_of_2000_events_for_200_records(self):
        self.run_pass()
        self.hook("customer_updated")
        numbers = [1, 2, 3, 4, 5]
        self.admin(
            "POST",
            "/webhooks/burst",
            {"type": "customer_updated", "numbers": list(range(1, 201)), "repeat": 10},
        )
        self.wait_deliveries()
        deliveries = self.admin("GET", "/webhooks/deliveries")
        answered = [d for d in deliveries if d.get("status") is not None]
        self.assertEqual(len(answered), 2000)
        self.assertEqual({d["status"] for d in answered}, {200})
        events = self.events()
        self.assertLessEqual(len(events), 200)
        self.assertEqual(set(events.mapped("key")), {str(n) for n in range(1, 201)})
        self.clear_requests()
        self.process()
        self.assertEqual(set(self.events().mapped("state")), {"done"})
        # at most 200 record pulls: one listing per 200 numbers, only the seeded ones exist
        listings = [r for r in self.requests_log() if r["path"] == "/customers"]
        self.assertLessEqual(len(listings), 2)
        self.assertTrue(self.partner("customer", numbers[0]))

    def test_events_of_an_entity_without_auto_are_recorded_not_processed(self):
        self.run_pass()
        self.setting("customer").auto = False
        self.hook("customer_updated")
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": 2, "changes": {"telephoneAndFaxNumber": "+45 99"}},
        )
        self.wait_deliveries()
        self.process()
        event = self.events(key="2")
        self.assertEqual(event.state, "ignored")
        self.assertNotEqual(self.partner("customer", 2).phone, "+45 99")
        # switched on again, the event is replayed
        self.setting("customer").auto = True
        event.action_replay()
        self.env.invalidate_all()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.partner("customer", 2).phone, "+45 99")

    def test_connection_form_shows_the_urls_and_what_arrived(self):
        info = self.backend.webhook_info
        for segment in (
            "customer-updated?new=[NEWNUMBER]&old=[OLDNUMBER]",
            "invoice-booked?invoice=[INVOICENO]",
        ):
            self.assertIn(segment, str(info).replace("&amp;", "&"))
        self.assertIn(self.base_url(), info)
        self.get(self.url("invoice_booked").replace("[INVOICENO]", "1"))
        self.backend.invalidate_recordset(["webhook_info"])
        self.assertIn("1 received", self.backend.webhook_info)
        self.assertEqual(self.backend.webhook_pending_count, 1)

    def test_product_updated_pulls_the_product(self):
        self.run_pass()
        self.hook("product_updated")
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "50", "changes": {"name": "Rådgivning"}},
        )
        self.wait_deliveries()
        self.process()
        event = self.events(event_type="product_updated", key="50")
        self.assertEqual(event.state, "done")
        product = self.env["product.product"].browse(event.res_id)
        self.assertEqual(product.name, "Rådgivning")
        self.assertEqual(product.default_code, "50")

    def test_register_and_unregister_in_the_webhooks_api(self):
        self.run_pass()
        with self.assertRaisesRegex(UserError, "HTTPS"):
            self.backend.action_register_webhooks()
        # Odoo served over HTTPS (the sandbox delivers to this test server over plain HTTP)
        https = self.base_url().replace("http://", "https://")
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", https)
        self.admin("POST", "/webhooks/https-downgrade", {"enabled": True})
        self.backend.action_register_webhooks()
        self.backend.action_register_webhooks()  # again: updated, not duplicated
        with self.client() as client:
            hooks = {h["eventType"]: h for h in client.webhooks.list()}
        self.assertEqual(
            set(hooks), {"CUSTOMER_UPDATED", "PRODUCT_UPDATED", "INVOICE_BOOKED", "JOURNAL_BOOKED"}
        )
        hook = hooks["CUSTOMER_UPDATED"]
        secret = self.backend.sudo().webhook_secret
        self.assertTrue(hook["url"].startswith(https))
        self.assertNotIn(secret, hook["url"])
        self.assertEqual(hook["customHeaders"][0]["value"], secret)
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": 2, "changes": {"telephoneAndFaxNumber": "+45 55"}},
        )
        self.wait_deliveries()
        event = self.events(event_type="customer_updated", key="2")
        self.assertEqual(event.state, "pending")
        self.process()
        self.assertEqual(self.partner("customer", 2).phone, "+45 55")
        # a request without the header (or with a wrong one) is refused
        url = (
            https.replace("https://", "http://")
            + "/economic/webhook/%s/customer-updated" % self.backend.id
        )
        response = self.url_open(
            url, data='{"new": "2"}', headers={"Content-Type": "application/json"}
        )
        self.assertEqual(response.status_code, 404)
        self.backend.action_unregister_webhooks()
        with self.client() as client:
            self.assertEqual(client.webhooks.list(), [])

    def test_connections_made_before_webhooks_get_a_secret_of_their_own(self):
        self.env.cr.execute(
            "UPDATE economic_backend SET webhook_secret = NULL WHERE id = %s", [self.backend.id]
        )
        self.env["economic.backend"].init()
        self.backend.invalidate_recordset(["webhook_secret"])
        secret = self.backend.sudo().webhook_secret
        self.assertGreaterEqual(len(secret), 40)
        # a second run leaves it alone
        self.env["economic.backend"].init()
        self.backend.invalidate_recordset(["webhook_secret"])
        self.assertEqual(self.backend.sudo().webhook_secret, secret)

    def test_the_secret_is_never_in_the_access_log(self):
        """The access log line werkzeug writes for a webhook request (as the server writes it
        after answering) passes the logger's filters with the secret masked."""
        url = self.url("invoice_booked").replace("[INVOICENO]", "1")
        secret = self.backend.sudo().webhook_secret
        self.assertEqual(self.get(url).status_code, 200)
        request_line = "POST %s HTTP/1.1" % url[len(self.base_url()) :]
        self.assertIn(secret, request_line)
        record = logging.LogRecord(
            "werkzeug",
            logging.INFO,
            __file__,
            0,
            '%s - - [%s] "%s" %s %s',
            ("127.0.0.1", "02/Dec/2026 05:00:00", request_line, "200", "-"),
            None,
        )
        self.assertTrue(logging.getLogger("werkzeug").filter(record))
        line = record.getMessage()
        self.assertIn("/economic/webhook/%s/***/invoice-booked" % self.backend.id, line)
        self.assertNotIn(secret, line)

    # ------------------------------------------------------------------ declarations
    def test_event_types_are_the_entity_modules_declarations(self):
        """Each entity package declares its event types (``_economic_webhooks``); the event
        model, the URLs and the controller are built from them (stored types unchanged)."""
        Event = self.env[EVENT]
        declared = Event._economic_event_types()
        self.assertEqual(
            list(declared),
            ["customer_updated", "product_updated", "invoice_booked", "daybook_booked"],
        )
        modules = self.env["economic.sync.engine"]._entity_modules()
        self.assertEqual(
            {event.type: module._name for module in modules for event in module._economic_webhooks},
            {
                "customer_updated": "economic.sync.partner",
                "product_updated": "economic.sync.product",
                "invoice_booked": "economic.sync.invoice",
                "daybook_booked": "economic.sync.entry",
            },
        )
        self.assertEqual(
            Event._fields["event_type"]._description_selection(self.env),
            [
                ("customer_updated", "Customer updated"),
                ("product_updated", "Product updated"),
                ("invoice_booked", "Invoice booked"),
                ("daybook_booked", "Day book booked"),
            ],
        )
        segments = Event._economic_event_segments()
        self.assertEqual(sorted(e.type for e in segments.values()), sorted(declared))
        self.assertEqual(len({e.api_type for e in declared.values()}), len(declared))
        # the module of every entity an event names pulls its records by key
        for event in declared.values():
            module = self.env["economic.sync.engine"]._entity_module(event.entity)
            if module is not None:
                self.assertIsNot(
                    type(module)._economic_pull_keys,
                    EconomicSyncEntity._economic_pull_keys,
                    module._name,
                )
        # an unknown segment: 404, nothing recorded
        base = self.backend._webhook_url("invoice_booked", with_merge_fields=False)
        self.assertEqual(self.get(base.replace("invoice-booked", "order-paid")).status_code, 404)
        self.assertFalse(self.events())

    def test_day_book_events_read_the_booked_span(self):
        """A booked day book: the event is checked and recorded, and its processing reads
        exactly the entries of the booked voucher span into the journal entries' mirror."""
        base = self.backend._webhook_url("daybook_booked", with_merge_fields=False)
        for query in ("?daybook=3&from=10", "?daybook=x&from=1&to=2", "?daybookno=3&from=1&to=-2"):
            self.assertEqual(self.get(base + query).status_code, 400, query)
        self.assertFalse(self.events())
        year = str(fields.Date.context_today(self.backend).year)
        with self.backend._get_client() as client:
            client.journals.create_vouchers(
                1,
                {
                    "accountingYear": {"year": year},
                    "journal": {"journalNumber": 1},
                    "entries": {
                        "financeVouchers": [
                            {
                                "account": {"accountNumber": 2750},
                                "contraAccount": {"accountNumber": 5820},
                                "amount": 321.5,
                                "date": "%s-02-01" % year,
                                "text": "Webhook voucher",
                            }
                        ]
                    },
                },
            )
        booked = self.sandbox.admin("POST", "/journals/book", {"journal": 1})
        url = (
            self.url("daybook_booked")
            .replace("[DAYBOOKNO]", "1")
            .replace("[FROMSERIALNO]", str(booked["fromSerialNo"]))
            .replace("[TOSERIALNO]", "%03d" % booked["toSerialNo"])
        )
        self.assertEqual(self.get(url).status_code, 200)
        event = self.events()
        self.assertEqual(
            (event.event_type, event.key),
            ("daybook_booked", "1:%s-%s" % (booked["fromSerialNo"], booked["toSerialNo"])),
        )
        self.process()
        self.assertEqual(event.state, "done", event.message)
        self.assertEqual(event.res_model, "economic.entry")
        entries = self.env["economic.entry"].search(
            [("backend_id", "=", self.backend.id), ("text", "=", "Webhook voucher")]
        )
        self.assertEqual(sorted(entries.mapped("amount")), [-321.5, 321.5])

    def test_burst_beyond_the_cap_passes_the_related_entities(self):
        """Beyond the queue's cap one "everything of this type" event stands for the rest; it
        runs a pass of the entities its declaration relates (customers with their contacts,
        invoices with credit notes), and of nothing else."""
        self.run_pass()
        old = fields.Datetime.to_datetime("2020-01-01 00:00:00")
        watched = ("customer", "customer_contact", "product", "invoice", "credit_note")
        for entity in watched:
            self.setting(entity).last_pull_at = old
        Event = self.env[EVENT]
        with patch.object(event_model, "QUEUE_CAP", 2):
            for event_type in ("customer_updated", "invoice_booked"):
                for key in ("1", "2", "3"):
                    Event._record(self.backend.id, event_type, key, None)
        self.env.invalidate_all()
        self.assertEqual(sorted(self.events().mapped("key")), ["*", "*", "1", "1", "2", "2"])
        self.process()
        events = self.events()
        self.assertEqual(set(events.mapped("state")), {"done"})
        self.assertTrue(all("whole entity" in e.message for e in events))
        pulled = {e: self.setting(e).last_pull_at != old for e in watched}
        self.assertEqual(
            pulled,
            {
                "customer": True,
                "customer_contact": True,
                "product": False,
                "invoice": True,
                "credit_note": True,
            },
        )
