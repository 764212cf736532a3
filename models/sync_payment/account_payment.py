"""Customer payments in Odoo: the e-conomic entries they became (journal, vouchers, state),
shown read-only on the payment's e-conomic page, with Refresh and Push now."""

from odoo import api, fields, models

from .const import BINDING, DOC_STATES


class AccountPayment(models.Model):
    _inherit = "account.payment"

    economic_payment_binding_ids = fields.One2many(
        BINDING, "payment_id", string="e-conomic Entries", readonly=True
    )
    economic_payment_state = fields.Selection(
        DOC_STATES + [("deleted", "Deleted in e-conomic")],
        string="In e-conomic",
        compute="_compute_economic_payment",
    )
    economic_payment_vouchers = fields.Char(
        string="e-conomic Vouchers", compute="_compute_economic_payment"
    )

    @api.depends(
        "economic_payment_binding_ids.doc_state",
        "economic_payment_binding_ids.voucher_number",
        "economic_payment_binding_ids.remote_archived",
    )
    def _compute_economic_payment(self):
        for payment in self:
            bindings = payment.economic_payment_binding_ids
            if not bindings:
                payment.economic_payment_state = False
            elif all(b.remote_archived for b in bindings):
                payment.economic_payment_state = "deleted"
            elif all(b.doc_state == "booked" for b in bindings):
                payment.economic_payment_state = "booked"
            else:
                payment.economic_payment_state = "draft"
            payment.economic_payment_vouchers = ", ".join(
                "%s-%s" % (b.year, b.voucher_number) for b in bindings if b.voucher_number
            )

    def _economic_backend(self):
        self.ensure_one()
        binding = self.economic_payment_binding_ids[:1]
        return binding.backend_id or self.env["economic.backend"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def action_economic_refresh(self):
        """Whether the payment's draft entries were booked in e-conomic since."""
        self.ensure_one()
        engine = self.env["economic.sync.engine"]
        return engine._action_record(self._economic_backend(), self, "pull")

    def action_economic_push(self):
        """Send this payment to e-conomic now (where push is effective)."""
        self.ensure_one()
        engine = self.env["economic.sync.engine"]
        return engine._action_record(self._economic_backend(), self, "push")
