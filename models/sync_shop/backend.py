"""The connection's settings of the day's sales (the "Shops" tab): how a day goes to e-conomic
(one draft invoice to the cash customer, or cash-journal drafts), the cash customer, a line per
tax or per product, the e-conomic journal of the drafts, the Odoo sales journals whose posted
entries are the days' sales without Point of Sale, the day from which days are sent, and the
product of each tax; the button that creates the cash customer in e-conomic."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ...economic_client import NotFoundError
from .const import DAY_MODEL, DEFAULT_CASH_CUSTOMER, ENTRY_TYPE, GROUPINGS, MODES


class EconomicBackendShops(models.Model):
    _inherit = "economic.backend"

    shop_mode = fields.Selection(
        MODES,
        string="Send Each Day As",
        default="invoice",
        required=True,
        help="One draft invoice per shop and day to the cash customer, or one finance voucher "
        "per shop and day in the e-conomic journal below (debit per payment method, credit "
        "per sales account with its VAT code). Never booked: the bookkeeper books them.",
    )
    shop_cash_customer = fields.Integer(
        string="Cash Customer",
        default=DEFAULT_CASH_CUSTOMER,
        aggregator=False,
        help="The e-conomic customer number the days' draft invoices go to (e-conomic's retail "
        "integrations use 99999999). It must exist in e-conomic: the preview says when it "
        "does not, and Create Cash Customer makes it (with write-back).",
    )
    shop_grouping = fields.Selection(
        GROUPINGS,
        string="Invoice Lines",
        default="tax",
        required=True,
        help="One line per Odoo tax (on the product chosen for the tax below), or one line per "
        "product sold (on the product's own e-conomic product). Returns are lines of their own.",
    )
    shop_journal_id = fields.Many2one(
        "economic.journal",
        string="e-conomic Cash Journal",
        domain="[('backend_id', '=', id), ('entry_type_restricted_to', 'in', [False, '%s'])]"
        % ENTRY_TYPE,
        ondelete="set null",
        help="The e-conomic journal (kassekladde) where each day becomes one voucher of draft "
        "finance-voucher entries. Only journals that accept finance vouchers are offered.",
    )
    shop_sale_journal_ids = fields.Many2many(
        "account.journal",
        "economic_backend_shop_journal_rel",
        "backend_id",
        "journal_id",
        string="Odoo Sales Journals",
        domain="[('company_id', '=', company_id), ('type', 'in', ('sale', 'cash', 'bank', "
        "'general'))]",
        help="Without Point of Sale: the posted journal entries (not invoices, credit notes or "
        "payments) of these journals that book sales, e.g. a cash register booked by hand, "
        "make each journal's days of sales.",
    )
    shop_send_from = fields.Date(
        string="Send Sales From",
        default=fields.Date.context_today,
        help="Only days from this one on are sent (by default the day the connection was "
        "made: older sales are in e-conomic already). A day is sent once it is over.",
    )
    shop_tax_product_ids = fields.One2many(
        "economic.shop.tax.product", "backend_id", string="Products of the Taxes"
    )
    shop_day_count = fields.Integer(compute="_compute_shop_day_count")

    @api.depends("company_id")
    def _compute_shop_day_count(self):
        counts = dict(
            self.env[DAY_MODEL]._read_group(
                [("backend_id", "in", self.ids)], groupby=["backend_id"], aggregates=["__count"]
            )
        )
        for backend in self:
            backend.shop_day_count = counts.get(backend, 0)

    @api.constrains("shop_journal_id")
    def _check_shop_journal(self):
        for backend in self.filtered("shop_journal_id"):
            journal = backend.shop_journal_id
            if journal.backend_id != backend:
                raise ValidationError(
                    self.env._("The cash journal must be a journal of this connection.")
                )
            if journal.entry_type_restricted_to not in (False, ENTRY_TYPE):
                raise ValidationError(
                    self.env._(
                        "e-conomic journal %(journal)s takes no finance vouchers: choose a "
                        "journal without an entry-type restriction, or one for finance "
                        "vouchers.",
                        journal=journal.display_name,
                    )
                )
            if journal.finance_voucher_account:
                raise ValidationError(
                    self.env._(
                        "e-conomic journal %(journal)s puts its contra account %(account)s on "
                        "every finance voucher: a day's entries are one-sided (they balance "
                        "together). Choose a journal without a contra account for finance "
                        "vouchers.",
                        journal=journal.display_name,
                        account=journal.finance_voucher_account,
                    )
                )

    @api.constrains("shop_sale_journal_ids", "company_id")
    def _check_shop_sale_journals(self):
        for backend in self:
            if backend.shop_sale_journal_ids.company_id - backend.company_id:
                raise ValidationError(
                    self.env._("The sales journals must be journals of the connection's company.")
                )

    @api.constrains("shop_cash_customer")
    def _check_shop_cash_customer(self):
        for backend in self:
            if not 0 < backend.shop_cash_customer <= 999999999:
                raise ValidationError(
                    self.env._("The cash customer's number is between 1 and 999999999.")
                )

    # ------------------------------------------------------------------ buttons
    def action_open_shop_days(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.action_economic_shop_day"
        )
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {"default_backend_id": self.id}
        return action

    def action_create_cash_customer(self):
        """Create the cash customer in e-conomic under its number (with write-back on), with
        the connection's defaults for new customers, in the company's currency and the
        domestic VAT zone. One that exists is left as it is."""
        self.ensure_one()
        engine = self.env["economic.sync.engine"]
        engine._check_manager(self.env._("create the cash customer in e-conomic"))
        if not self.write_back:
            raise UserError(
                self.env._(
                    "Switch on write-back on the connection first: nothing is written to "
                    "e-conomic while it is off."
                )
            )
        backend = self.sudo()
        number = backend.shop_cash_customer
        with engine._friendly_errors(backend), engine._action_lock(backend):
            with backend._get_client() as client:
                try:
                    client.customers.get(number)
                except NotFoundError:
                    # a lost answer is harmless: the next press finds the customer
                    client.customers.create(self._cash_customer_payload(number))
                    return self._notification(
                        self.env._("Cash customer created"),
                        self.env._("Customer %s was created in e-conomic.", number),
                        "success",
                    )
        return self._notification(
            self.env._("Cash customer"),
            self.env._("Customer %s exists in e-conomic already.", number),
            "info",
        )

    def _cash_customer_payload(self, number):
        """A new cash customer: the connection's default customer group and payment terms
        (else e-conomic's first), the company's currency, the domestic VAT zone."""
        _ = self.env._

        def first(kind, field):
            chosen = self[field]
            if chosen:
                return int(chosen.number)
            ref = (
                self.env["economic.reference"]
                .search([("backend_id", "=", self.id), ("kind", "=", kind)])
                .sorted(lambda r: r.sequence_key)[:1]
            )
            if not ref:
                raise UserError(
                    _(
                        "Refresh the references of the connection first: e-conomic's customer "
                        "groups, payment terms and VAT zones are not read yet."
                    )
                )
            return int(ref.number)

        return {
            "customerNumber": number,
            "name": _("Cash sales"),
            "currency": self.company_id.currency_id.name,
            "customerGroup": {
                "customerGroupNumber": first("customer_group", "default_customer_group_id")
            },
            "paymentTerms": {
                "paymentTermsNumber": first("payment_term", "default_payment_term_id")
            },
            "vatZone": {"vatZoneNumber": first("vat_zone", "vat_zone_domestic_id")},
        }
