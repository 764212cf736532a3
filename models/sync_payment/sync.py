"""The customer-payment entity module (issue 17 §3): the declaration and what the engine calls.

Payments are pushed only (nothing is read from e-conomic but the entries they became): with
push effective (push on, write-back on, a strategy other than read-only) each pass sends the
posted Odoo customer payments of invoices booked in e-conomic (``push.py``) and follows their
draft entries until the bookkeeper books them (``bookings.py``).
"""

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from ..economic_sync_entity import Entity
from .const import BINDING, ENTITY

_lt = LazyTranslate(__name__)


class EconomicSyncPayment(models.AbstractModel):
    _name = "economic.sync.payment"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: customer payments"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Customer Payments"),
            _lt("Customer Payment"),
            "account.payment",
            110,
            push=True,
            read_first=False,
            pull=False,
        ),
    )
    _economic_sequence = 70
    _economic_binding_model = BINDING

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models[ENTITY] = "account.payment"
        state.settings.setdefault(ENTITY, state.setting(ENTITY))

    def _economic_pass(self, state, entities, full):
        self._economic_push(state, entities)

    def _economic_push(self, state, entities):
        if ENTITY not in entities or not state.settings[ENTITY]["push"]:
            return
        self._withdraw_unposted_payments(state)
        self._detect_payment_bookings(state, self._draft_payment_bindings(state))
        self._push_payments(state)

    def _economic_preview_notes(self, state, entities):
        """The payments the push leaves out, each with why (an invoice not in e-conomic,
        a draft not booked yet...)."""
        return list(getattr(state, "payment_skips", ()))

    def _push_not_effective(self):
        return UserError(
            self.env._(
                "Customer payments are not sent: switch on write-back on the connection, and "
                "push with a strategy other than read-only for Customer Payments."
            )
        )

    def _economic_push_record(self, state, payment):
        """Push now: the payment's entries sent (if they are not in e-conomic yet)."""
        if not state.settings[ENTITY]["push"]:
            raise self._push_not_effective()
        if payment.payment_type != "inbound" or payment.partner_type != "customer":
            raise UserError(self.env._("Only customer payments go to e-conomic."))
        if payment.state not in ("in_process", "paid"):
            raise UserError(self.env._("Confirm the payment first: only posted payments are sent."))
        bindings = self.env[BINDING]._economic_bindings_of(state, payment)
        if bindings:
            self._detect_payment_bookings(
                state, bindings.filtered(lambda b: b.doc_state == "draft")
            )
            return
        state.payment_skips = []
        self._push_payment_batch(state, payment)
        if state.payment_skips and not state.counts["created"] + state.counts["bound"]:
            raise UserError(state.payment_skips[0]["message"])

    def _economic_refresh_record(self, state, payment):
        """Refresh: whether the payment's draft entries were booked (or deleted) since."""
        bindings = self.env[BINDING]._economic_bindings_of(state, payment)
        if not bindings:
            raise UserError(self.env._("This payment is not in e-conomic yet."))
        self._detect_payment_bookings(state, bindings.filtered(lambda b: b.doc_state == "draft"))

    def _economic_replay(self, state, line, binding):
        if line.res_model == "account.payment" and line.res_id:
            payment = self.env["account.payment"].browse(line.res_id).exists()
            if not payment:
                return self.env._("The record of this line is gone.")
            if not state.settings[ENTITY]["push"]:
                return self._push_not_effective().args[0]
            self._economic_push_record(state, payment)
            return True
        return super()._economic_replay(state, line, binding)
