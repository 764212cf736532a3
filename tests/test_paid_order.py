"""The paid-order rule (issue 8 §4): a sales order paid (by a payment transaction, or by the
payment of its invoices) gets exactly one e-conomic draft, whatever the runs; nothing is ever
booked; the order's invoice pushed later binds to the same draft; with write-back off the
action refuses and logs it."""

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_invoice_push import InvoicePushCase


class PaidOrderCase(InvoicePushCase):
    def setUp(self):
        super().setUp()
        self.rule = self.env.ref("economic_sync.automation_sale_order_paid_draft")
        self.pricelist = self.env["product.pricelist"].create(
            {"name": "DKK", "currency_id": self.dkk.id}
        )
        self.manager = self._new_user(
            "eco_sales_manager_%s" % self.id().rsplit(".", 1)[-1],
            "base.group_user,sales_team.group_sale_manager,account.group_account_invoice,"
            "economic_sync.group_economic_manager",
        )

    # ------------------------------------------------------------------ helpers
    def new_order(self):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": self.pricelist.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.shirt.id,
                            "product_uom_qty": 3,
                            "price_unit": 70.0,
                            "tax_id": [Command.set(self.tax25.ids)],
                        }
                    ),
                    Command.create(
                        {
                            "product_id": self.consulting.id,
                            "product_uom_qty": 2,
                            "price_unit": 850.0,
                            "discount": 5.0,
                            "tax_id": [Command.set(self.tax25.ids)],
                        }
                    ),
                ],
            }
        )
        order.action_confirm()
        return order

    def pay_by_transaction(self, order):
        method = self.env.ref("payment.payment_method_unknown")
        provider = self.env["payment.provider"].create(
            {
                "name": "Dummy Provider",
                "code": "none",
                "state": "test",
                "payment_method_ids": [Command.set(method.ids)],
            }
        )
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": provider.id,
                "payment_method_id": method.id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "reference": "TX-%s" % order.name,
                "operation": "online_redirect",
                "sale_order_ids": [Command.set(order.ids)],
            }
        )
        tx._set_done()
        self.env.flush_all()
        return tx

    def invoice_of(self, order, journal=None):
        invoice = order._create_invoices()
        if journal:
            invoice.journal_id = journal
        invoice.action_post()
        return invoice

    def pay_invoice(self, invoice):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({})._create_payments()
        self.env.flush_all()

    def posts(self, path):
        return [r for r in self.requests_log() if r["method"] == "POST" and r["path"] == path]


@tagged("post_install", "-at_install")
class TestPaidOrder(PaidOrderCase):
    def test_rule_is_shipped_inactive_on_the_paid_state(self):
        self.assertFalse(self.rule.active)
        self.assertEqual(self.rule.model_id.model, "sale.order")
        self.assertEqual(self.rule.trigger_field_ids.name, "economic_paid")
        action = self.env.ref("economic_sync.action_sale_order_economic_draft")
        self.assertEqual(action.binding_model_id.model, "sale.order")
        # inactive: paying asks for nothing
        order = self.new_order()
        self.pay_by_transaction(order)
        self.assertTrue(order.economic_paid)
        self.assertFalse(order.economic_draft_requested)

    def test_order_paid_by_transaction_gets_exactly_one_draft(self):
        self.rule.active = True
        order = self.new_order()
        self.assertFalse(order.economic_paid)
        self.pay_by_transaction(order)
        self.assertTrue(order.economic_paid)
        self.assertTrue(order.economic_draft_requested)
        # the rule woke the scheduled action, which makes the draft although the connection's
        # next pass is not due
        cron = self.backend.cron_id
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
        later = fields.Datetime.add(fields.Datetime.now(), hours=5).replace(microsecond=0)
        self.backend.next_pass_date = later
        self.clear_requests()
        self.env["economic.backend"]._cron_run_connection(self.backend.id)
        self.env.invalidate_all()
        self.assertEqual(self.backend.next_pass_date, later, "its schedule is unchanged")
        binding = self.binding_of(order)
        self.assertTrue(binding.draft_number)
        self.assertEqual(order.economic_draft_number, binding.draft_number)
        self.assertFalse(order.economic_draft_requested)
        draft = self.draft(binding.draft_number)
        self.assertEqual(draft["references"]["other"], order.name)
        self.assertEqual(round(float(draft["grossAmount"]), 2), round(order.amount_total, 2))
        self.assertEqual([float(li["quantity"]) for li in draft["lines"]], [3.0, 2.0])
        self.assertEqual(float(draft["lines"][1]["discountPercentage"]), 5.0)
        # running again (a pass, the action) creates none
        order.with_user(self.manager).action_economic_create_draft()
        self.push()
        self.assertEqual(len(self.drafts_named(order.name)), 1)
        self.assertEqual(len(self.posts("/invoices/drafts")), 1)
        self.assertFalse(self.posts("/invoices/booked"), "nothing is ever booked")
        # the order's invoice pushed later binds to the same draft
        invoice = self.invoice_of(order, self.journal)
        self.clear_requests()
        self.push()
        binding.invalidate_recordset()
        self.assertEqual(binding.move_id, invoice)
        self.assertEqual(invoice.economic_draft_number, binding.draft_number)
        self.assertFalse(self.posts("/invoices/drafts"), "no second draft")
        draft = self.draft(binding.draft_number)
        self.assertEqual(draft["references"]["other"], invoice.name)
        self.assertFalse(self.drafts_named(order.name))

    def test_order_whose_invoice_is_paid_gets_one_draft(self):
        self.rule.active = True
        order = self.new_order()
        other = self.env["account.journal"].create(
            {"name": "Not pushed", "code": "NOPSH", "type": "sale"}
        )
        invoice = self.invoice_of(order, other)
        self.assertFalse(order.economic_paid)
        self.pay_invoice(invoice)
        self.assertIn(invoice.payment_state, ("paid", "in_payment"))
        self.assertTrue(order.economic_paid)
        self.assertTrue(order.economic_draft_requested)
        self.clear_requests()
        self.push()
        self.push()
        self.assertEqual(len(self.drafts_named(order.name)), 1)
        self.assertEqual(len(self.posts("/invoices/drafts")), 1)
        self.assertFalse(self.posts("/invoices/booked"))
        # the invoice pushed later (its journal chosen) binds to the order's draft
        self.backend.invoice_push_journal_ids = [Command.link(other.id)]
        self.clear_requests()
        self.push()
        self.assertEqual(self.binding_of(order).move_id, invoice)
        self.assertFalse(self.posts("/invoices/drafts"))

    def test_booked_order_draft_binds_the_invoice_and_locks_it(self):
        order = self.new_order()
        order.with_user(self.manager).action_economic_create_draft()
        binding = self.binding_of(order)
        with self.client() as client:
            booked = client.invoices.book(binding.draft_number)
        self.push()
        self.assertEqual(binding.booked_number, booked["bookedInvoiceNumber"])
        invoice = self.invoice_of(order, self.journal)
        self.push()
        self.assertEqual(binding.move_id, invoice)
        self.assertEqual(invoice.economic_booked_number, booked["bookedInvoiceNumber"])
        with self.assertRaisesRegex(UserError, "booked in e-conomic"):
            invoice.button_draft()
        self.assertEqual(
            self.env["account.move"].search_count(
                [("economic_booked_number", "=", booked["bookedInvoiceNumber"])]
            ),
            1,
        )

    def test_action_refuses_with_write_back_off_and_logs_it(self):
        self.backend.write_back = False
        order = self.new_order()
        self.clear_requests()
        try:
            order.with_user(self.manager).action_economic_create_draft()
        except UserError as error:
            self.assertIn("write-back is off", str(error))
        else:
            self.fail("the action refuses with write-back off")
        self.assertFalse(self.posts("/invoices/drafts"))
        line = self.logs(entity="invoice", res_model="sale.order", res_id=order.id)
        self.assertIn("write-back is off", line.message)
        # the rule asks for nothing either, and says why in the log
        self.rule.active = True
        self.pay_by_transaction(order)
        self.assertFalse(order.economic_draft_requested)
