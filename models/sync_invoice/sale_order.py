"""Sales orders and e-conomic (issue 8 §4): the paid state, the order's e-conomic draft, and
the paid-order rule.

``economic_paid`` is stored: online payment transactions done or authorised for the order's
total, or every posted invoice of the order paid (or in payment). *Create e-conomic draft
invoice* (Action menu, one or many orders) makes one e-conomic draft per order from its lines,
now, with the user's rights and the connection's lock; whatever the runs, an order has at most
one draft. The shipped automation rule (inactive) asks for the draft when an order becomes
paid: the next pass of the connection makes it (no request to e-conomic, no commit, inside the
transaction that confirms a payment). Nothing is ever booked.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..economic_sync_state import PassState
from .const import BINDING, SYNC_WRITE


class SaleOrder(models.Model):
    _inherit = "sale.order"

    economic_paid = fields.Boolean(
        string="Paid",
        compute="_compute_economic_paid",
        store=True,
        help="Online payment transactions done or authorised for the total, or every posted "
        "invoice of the order paid or in payment.",
    )
    economic_invoice_binding_ids = fields.One2many(
        BINDING, "sale_order_id", string="e-conomic Invoice Bindings"
    )
    economic_draft_number = fields.Integer(
        string="e-conomic Draft",
        compute="_compute_economic_draft",
        store=True,
        copy=False,
        aggregator=False,
    )
    economic_booked_number = fields.Integer(
        string="e-conomic Invoice",
        compute="_compute_economic_draft",
        store=True,
        copy=False,
        aggregator=False,
    )
    economic_draft_requested = fields.Boolean(
        string="e-conomic Draft Requested",
        copy=False,
        help="The paid-order rule asked for an e-conomic draft invoice: the next pass of the "
        "connection creates it.",
    )

    @api.depends(
        "amount_total",
        "transaction_ids.state",
        "transaction_ids.amount",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.payment_state",
    )
    def _compute_economic_paid(self):
        for order in self:
            order.economic_paid = order._economic_paid_by_transactions() or (
                order._economic_paid_by_invoices()
            )

    def _economic_paid_by_transactions(self):
        self.ensure_one()
        txs = self.transaction_ids.filtered(lambda t: t.state in ("done", "authorized"))
        if not txs or not self.amount_total:
            return False
        paid = sum(txs.mapped("amount"))
        return (
            float_compare(paid, self.amount_total, precision_rounding=self.currency_id.rounding)
            >= 0
        )

    def _economic_paid_by_invoices(self):
        self.ensure_one()
        invoices = self.order_line.invoice_lines.move_id.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        return bool(invoices) and all(m.payment_state in ("paid", "in_payment") for m in invoices)

    @api.depends(
        "economic_invoice_binding_ids.draft_number",
        "economic_invoice_binding_ids.booked_number",
    )
    def _compute_economic_draft(self):
        for order in self:
            binding = order.economic_invoice_binding_ids[:1]
            order.economic_draft_number = binding.draft_number
            order.economic_booked_number = binding.booked_number

    # ------------------------------------------------------------------ the server action
    def action_economic_create_draft(self):
        """Create e-conomic draft invoices of the orders (Action menu): one per order, at
        most, whatever the runs; refused while invoices are not pushed."""
        if not self:
            return False
        engine = self.env["economic.sync.engine"]
        engine._check_manager(self.env._("create e-conomic draft invoices"))
        self.check_access("write")
        counts = {}
        for company in self.company_id:
            backend = self._economic_backend_of(company)
            orders = self.filtered(lambda o, c=company: o.company_id == c)
            counts = self._economic_create_drafts(engine, backend, orders)
        if len(self.company_id) == 1:
            return engine._action_notification(
                backend, self.env._("e-conomic draft invoices"), counts
            )
        return True

    def _economic_backend_of(self, company):
        backend = (
            self.env["economic.backend"].sudo().search([("company_id", "=", company.id)], limit=1)
        )
        if not backend:
            raise UserError(
                self.env._("The company %s has no e-conomic connection.", company.display_name)
            )
        return backend

    def _economic_create_drafts(self, engine, backend, orders):
        with (
            engine._friendly_errors(backend),
            engine._action_lock(backend),
            backend._get_client() as client,
        ):
            state = PassState(engine, backend, client)
            if not state.settings["invoice"]["push"]:
                message = self._economic_refusal(backend)
                for order in orders:
                    state.log(
                        entity="invoice",
                        direction="push",
                        operation="skip",
                        state="failed",
                        res_model=order._name,
                        res_id=order.id,
                        record_name=order.display_name,
                        message=message,
                    )
                engine._commit_action(state)
                raise UserError(message)
            self.env["economic.sync.invoice"]._push_orders(state, orders)
            engine._commit_action(state)
        return state.counts

    def _economic_refusal(self, backend):
        if not backend.write_back:
            return self.env._(
                "No e-conomic draft invoice was created: write-back is off on the connection "
                "%s. Switch it on to send invoices to e-conomic.",
                backend.display_name,
            )
        return self.env._(
            "No e-conomic draft invoice was created: the push of Invoices is off (or "
            "read-only) on the connection %s.",
            backend.display_name,
        )

    # ------------------------------------------------------------------ the automation rule
    def _economic_request_draft(self):
        """The paid-order rule: ask the next pass for the orders' drafts (orders with one
        already are left alone). Refused while invoices are not pushed: logged, no error
        (the rule runs inside the payment's transaction)."""
        for company in self.company_id:
            backend = (
                self.env["economic.backend"]
                .sudo()
                .search([("company_id", "=", company.id)], limit=1)
            )
            orders = self.filtered(
                lambda o, c=company: o.company_id == c and not o.economic_invoice_binding_ids
            )
            if not backend or not orders:
                continue
            setting = backend._entity_setting("invoice")
            pushed = PassState.setting_vals(backend, setting)["push"] if setting else False
            if pushed:
                orders.sudo().with_context(**{SYNC_WRITE: True}).write(
                    {"economic_draft_requested": True}
                )
                # wake the connection's scheduled action: it makes the drafts at once, in its
                # own transaction (no request to e-conomic inside the payment's)
                backend._economic_wake()
                continue
            message = self._economic_refusal(backend)
            self.env["economic.sync.log"]._create_safe(
                [
                    {
                        "backend_id": backend.id,
                        "entity": "invoice",
                        "direction": "push",
                        "operation": "skip",
                        "state": "failed",
                        "res_model": order._name,
                        "res_id": order.id,
                        "record_name": order.display_name,
                        "message": message,
                    }
                    for order in orders
                ]
            )
        return True
