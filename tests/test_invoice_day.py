"""An accountant's ordinary day with invoices (issue 14 §1, §2): book a draft in e-conomic,
push the next invoice and the next paid order, again and again, while e-conomic gives each new
draft the number of the draft just booked; bookings found with the push alone; an error nobody
foresaw is one record's log line, never the pass's, never the database's words."""

from unittest.mock import patch

import psycopg2

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .test_paid_order import PaidOrderCase

ENTITY_LOGGER = "odoo.addons.economic_sync.models.economic_sync_entity"


@tagged("post_install", "-at_install")
class TestInvoiceDay(PaidOrderCase):
    def live_drafts(self):
        with self.client() as client:
            return client.invoices.drafts.list()

    def book(self, binding):
        with self.client() as client:
            return client.invoices.book(binding.draft_number)

    def assert_no_orphan(self):
        """Every draft in e-conomic that carries an Odoo reference is bound to its document
        (the seed's own drafts carry none)."""
        Binding = self.env["economic.invoice.binding"]
        for draft in self.live_drafts():
            reference = (draft.get("references") or {}).get("other")
            if not reference:
                continue
            bound = Binding.search(
                [
                    ("backend_id", "=", self.backend.id),
                    ("doc_state", "=", "draft"),
                    ("draft_number", "=", draft["draftInvoiceNumber"]),
                ]
            )
            self.assertEqual(bound.reference, reference, "draft %s is bound" % reference)

    def test_book_then_push_the_next_invoice_and_order_again_and_again(self):
        numbers = set()
        for round_ in range(3):
            invoice = self.new_move()
            result = self.push()
            self.assertEqual(result["state"], "done", result)
            first = self.binding_of(invoice)
            numbers.add(first.draft_number)
            booked = self.book(first)
            # the next paid order's draft takes the number of the draft just booked
            order = self.new_order()
            order.with_user(self.manager).action_economic_create_draft()
            second = self.binding_of(order)
            self.assertTrue(second.draft_number, "round %s: the order has its draft" % round_)
            self.assertEqual(second.draft_number, first.draft_number, "e-conomic reused it")
            # the pass finds the booking of the first, and the next invoice takes the number
            result = self.push()
            self.assertEqual(result["state"], "done", result)
            self.assertEqual(first.doc_state, "booked")
            self.assertEqual(first.booked_number, booked["bookedInvoiceNumber"])
            self.assertEqual(first.draft_number, second.draft_number, "kept as history")
            self.assertEqual(invoice.economic_booked_number, booked["bookedInvoiceNumber"])
            self.book(second)
            self.push()
            self.assertEqual(second.doc_state, "booked")
            self.assertEqual(order.economic_booked_number, second.booked_number)
            self.assert_no_orphan()
        self.assertEqual(len(numbers), 1, "the same draft number all day long")
        self.assertFalse(self.logs(state="failed"), self.logs(state="failed").mapped("message"))

    def test_booking_found_with_the_push_alone(self):
        for entity in ("invoice", "credit_note"):
            self.setting(entity).pull = False
        invoice = self.new_move()
        refund = self.new_move("out_refund", [(self.shirt, 1, 70.0, 0.0)])
        self.push()
        self.book(self.binding_of(invoice))
        self.book(self.binding_of(refund))
        moves_before = self.env["account.move"].search_count([])
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        for move in (invoice, refund):
            self.assertEqual(self.binding_of(move).doc_state, "booked")
            self.assertTrue(move.economic_booked_number)
            with self.assertRaisesRegex(UserError, "booked in e-conomic"):
                move.button_draft()
        self.assertEqual(
            self.env["account.move"].search_count([]), moves_before, "nothing else is pulled"
        )
        # a plain write of the state is refused with the lock's message too
        with self.assertRaisesRegex(UserError, "credit note .* can no longer be changed"):
            refund.write({"state": "draft"})

    def test_refresh_of_a_draft_finds_its_booking(self):
        for entity in ("invoice", "credit_note"):
            self.setting(entity).pull = False
        invoice = self.new_move()
        self.push()
        booked = self.book(self.binding_of(invoice))
        invoice.action_economic_refresh()
        self.assertEqual(invoice.economic_booked_number, booked["bookedInvoiceNumber"])

    def test_a_draft_number_taken_by_another_draft_is_never_overwritten(self):
        invoice = self.new_move()
        self.push()
        binding = self.binding_of(invoice)
        number = binding.draft_number
        booked = self.book(binding)
        # someone makes a draft in e-conomic: it gets the number of the one just booked
        with self.client() as client:
            template = client.invoices.drafts.get(
                min(d["draftInvoiceNumber"] for d in self.live_drafts())
            )
            other = client.invoices.drafts.create(
                {
                    key: template[key]
                    for key in ("date", "currency", "customer", "layout", "paymentTerms")
                }
                | {
                    "recipient": {
                        "name": "Someone else",
                        "vatZone": template["recipient"]["vatZone"],
                    },
                    "references": {"other": "MADE-IN-ECONOMIC"},
                }
            )
        self.assertEqual(other["draftInvoiceNumber"], number)
        self.clear_requests()
        invoice.action_economic_push()  # Push now before any pass found the booking
        self.assertFalse(
            [r for r in self.writes() if r["method"] == "PUT"], "the other draft is left alone"
        )
        self.assertEqual(binding.doc_state, "booked")
        self.assertEqual(binding.booked_number, booked["bookedInvoiceNumber"])
        self.assertEqual(self.draft(number)["references"]["other"], "MADE-IN-ECONOMIC")

    def test_an_unexpected_error_is_one_records_line_and_the_draft_is_found_again(self):
        first, second = self.new_move(), self.new_move()
        Module = type(self.env["economic.sync.invoice"])
        original = Module._new_binding
        calls = []

        def broken(module, state, kind, record, draft, payload):
            if record == first and not calls:
                calls.append(record)
                module.env.cr.execute("SELECT 1 / 0")  # a database error nobody foresaw
            return original(module, state, kind, record, draft, payload)

        with (
            patch.object(Module, "_new_binding", broken),
            mute_logger("odoo.sql_db", ENTITY_LOGGER),
        ):
            result = self.push()
        self.assertEqual(result["state"], "partial", result)
        self.assertEqual(result["errors"], 1)
        self.assertFalse(self.binding_of(first))
        self.assertTrue(self.binding_of(second), "the pass went on")
        line = self.logs(state="failed", res_id=first.id)
        self.assertEqual(len(line), 1)
        self.assertIn("unexpected error", line.message)
        self.assertNotIn("division", line.message.lower())
        self.assertEqual(self.backend.error_log_count, 1)
        self.assertEqual(len(self.drafts_named(first.name)), 1, "e-conomic made the draft")
        # the next pass finds it by its reference: bound, not sent again
        self.clear_requests()
        result = self.push()
        self.assertEqual(result["state"], "done", result)
        binding = self.binding_of(first)
        self.assertEqual(
            binding.draft_number, self.drafts_named(first.name)[0]["draftInvoiceNumber"]
        )
        self.assertFalse(self.posts("/invoices/drafts"))
        self.assertEqual(line.state, "resolved")

    def test_a_crashed_pass_says_so_in_words_and_counts(self):
        with mute_logger("odoo.addons.economic_sync.models.economic_backend_schedule"):
            self.env["economic.backend"]._cron_pass_failed(
                self.backend.id,
                RuntimeError('duplicate key value violates unique constraint "x_uniq"'),
            )
        self.assertEqual(self.backend.last_pass_state, "failed")
        self.assertIn("unexpected error", self.backend.last_pass_message)
        self.assertNotIn("duplicate key", self.backend.last_pass_message)
        line = self.logs(entity="pass", state="failed")
        self.assertEqual(len(line), 1)
        self.assertEqual(self.backend.error_log_count, 1)

    def test_a_constraint_odoo_knows_is_said_odoos_way(self):
        known = None
        try:
            with self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
                # a second setting of one entity: the model's own SQL constraint
                self.env["economic.entity.setting"].create(
                    {"backend_id": self.backend.id, "entity": "invoice"}
                )
                self.env.flush_all()
        except psycopg2.IntegrityError as error:
            known = self.env["economic.sync.invoice"]._known_integrity_error(error)
        self.assertIn("only one setting per e-conomic connection", str(known))
        self.assertIsNone(
            self.env["economic.sync.invoice"]._known_integrity_error(RuntimeError("x"))
        )

    def test_a_users_action_never_shows_python_or_the_database(self):
        invoice = self.new_move()
        Module = type(self.env["economic.sync.invoice"])
        with (
            patch.object(Module, "_economic_push_record", side_effect=KeyError("lines")),
            mute_logger("odoo.addons.economic_sync.models.economic_sync_actions"),
            self.assertRaises(UserError) as caught,
        ):
            invoice.action_economic_push()
        self.assertIn("unexpected error", str(caught.exception))
        self.assertNotIn("KeyError", str(caught.exception))
        # e-conomic unreachable: the record's log line says so, the user gets the counts
        self.backend.rest_url = "http://127.0.0.1:9"
        action = invoice.action_economic_push()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("See the sync log", action["params"]["message"])

    def test_a_failed_look_for_bookings_is_one_line_closed_by_the_next(self):
        invoices = self.new_move() | self.new_move()
        self.push()
        self.assertTrue(all(self.binding_of(m).draft_number for m in invoices))
        self.sandbox.add_fault("error", path="/invoices/drafts", method="GET", status=503, times=50)
        result = self.push()
        self.assertEqual(result["state"], "partial", result)
        line = self.logs(state="failed", entity="invoice", direction="push")
        self.assertEqual(len(line), 1, "one line, not one per draft")
        self.assertIn("could not be looked for", line.message)
        self.assertTrue(all(self.binding_of(m).state == "synced" for m in invoices))
        self.admin("DELETE", "/faults")
        self.assertEqual(self.push()["state"], "done")
        self.assertEqual(line.state, "resolved")
