"""The e-conomic account a Point of Sale payment method's money is debited to in the day's
cash-journal drafts."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class PosPaymentMethod(models.Model):
    _inherit = "pos.payment.method"

    economic_account_id = fields.Many2one(
        "economic.account",
        string="e-conomic Account",
        domain="[('company_id', '=', company_id), ('postable', '=', True)]",
        ondelete="set null",
        help="The e-conomic account the day's payments of this method are debited to when the "
        "day's sales go to e-conomic as cash-journal drafts (cash, card clearing, MobilePay...). "
        "Empty: the e-conomic account mapped to the method's Odoo account (the cash journal's "
        "account, the outstanding account of a bank method).",
    )

    @api.constrains("economic_account_id", "company_id")
    def _check_economic_account_company(self):
        for method in self.filtered("economic_account_id"):
            if method.economic_account_id.company_id != method.company_id:
                raise ValidationError(
                    self.env._(
                        "The e-conomic account of the payment method %(method)s must be one of "
                        "the connection of its company %(company)s.",
                        method=method.name,
                        company=method.company_id.display_name,
                    )
                )
