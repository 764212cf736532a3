import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from ..economic_client import EconomicClient, EconomicError, jsonutil
from ..models.economic_backend import (
    DEFAULT_APIS_URL,
    DEFAULT_REST_URL,
    DEFAULT_TIMEOUT,
)

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

#: e-conomic's kinds of payment terms (``paymentTermsType``), in words
PAYMENT_TERMS_TYPES = {
    "net": _lt("net days"),
    "invoiceMonth": _lt("days after the end of the month"),
    "paidInCash": _lt("paid in cash"),
    "prepaid": _lt("prepaid"),
    "dueDate": _lt("due date given on each invoice"),
    "factoring": _lt("factoring"),
    "invoiceWeekStartingSunday": _lt("days after the end of the week (from Sunday)"),
    "invoiceWeekStartingMonday": _lt("days after the end of the week (from Monday)"),
    "creditcard": _lt("credit card"),
    "avtaleGiro": _lt("AvtaleGiro"),
}


class EconomicConnectWizard(models.TransientModel):
    """Connect the company to e-conomic: paste the tokens, test, connect."""

    _name = "economic.connect.wizard"
    _description = "Connect to e-conomic"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        readonly=True,
    )
    backend_id = fields.Many2one(
        "economic.backend",
        string="Existing Connection",
        compute="_compute_backend_id",
    )
    app_secret_token = fields.Char(
        string="App Secret Token",
        groups="economic_sync.group_economic_manager",
    )
    agreement_grant_token = fields.Char(
        string="Agreement Grant Token",
        groups="economic_sync.group_economic_manager",
    )
    rest_url = fields.Char(string="REST API URL", required=True, default=DEFAULT_REST_URL)
    apis_url = fields.Char(string="OpenAPI URL", required=True, default=DEFAULT_APIS_URL)
    state = fields.Selection(
        [("draft", "Enter Tokens"), ("tested", "Tested"), ("error", "Failed")],
        default="draft",
        required=True,
    )
    agreement_number = fields.Char(readonly=True)
    agreement_country_id = fields.Many2one("res.country", readonly=True)
    economic_company_name = fields.Char(string="e-conomic Company", readonly=True)
    base_currency = fields.Char(readonly=True)
    test_message = fields.Text(readonly=True)
    agreement_warning = fields.Text(
        readonly=True,
        help="Set when another connection (of any company) is linked to the same agreement.",
    )
    missing_payment_terms = fields.Text(
        string="Payment Terms Missing in Odoo",
        readonly=True,
        help="e-conomic payment terms no Odoo payment term matches (by name, else by days) "
        "and that Odoo can express: they can be created.",
    )
    missing_payment_term_count = fields.Integer(readonly=True)
    manual_payment_terms = fields.Text(
        string="Payment Terms to Map by Hand",
        readonly=True,
        help="e-conomic payment terms no Odoo payment term matches and that Odoo cannot "
        "express (paid in cash, prepaid, due date, factoring, ...): map each by hand.",
    )
    manual_payment_term_count = fields.Integer(readonly=True)
    references_menu = fields.Char(
        compute="_compute_references_menu",
        help="Where e-conomic payment terms are mapped to Odoo ones, as the user's menus name it.",
    )
    create_payment_terms = fields.Boolean(
        string="Create the missing Odoo payment terms",
        help="Create an Odoo payment term for each e-conomic one listed above (net days, days "
        "after the end of the month) and map them. Those Odoo cannot express are never "
        "created: map them by hand in the references.",
    )
    run_first_sync = fields.Boolean(
        string="Run a first sync now (read only)",
        help="Read customers and suppliers from e-conomic right after connecting. "
        "Nothing is written to e-conomic: write-back stays off.",
    )

    def _compute_references_menu(self):
        menu = self.env["ir.ui.menu"]._economic_menu_path("economic_sync.menu_economic_reference")
        for wizard in self:
            wizard.references_menu = menu

    @api.depends("company_id")
    def _compute_backend_id(self):
        Backend = self.env["economic.backend"].with_context(active_test=False)
        for wizard in self:
            wizard.backend_id = Backend.search([("company_id", "=", wizard.company_id.id)], limit=1)

    @api.onchange("app_secret_token", "agreement_grant_token", "rest_url", "apis_url")
    def _onchange_credentials(self):
        if self.state != "draft":
            self.state = "draft"
            self.test_message = False

    def _clean_vals(self):
        self.ensure_one()
        return self.env["economic.backend"]._clean_vals(
            {
                "app_secret_token": self.app_secret_token or "",
                "agreement_grant_token": self.agreement_grant_token or "",
                "rest_url": self.rest_url or "",
                "apis_url": self.apis_url or "",
            }
        )

    def _test(self):
        """Call ``GET /self`` with the entered tokens; records and returns the result."""
        self.ensure_one()
        _ = self.env._
        vals = self._clean_vals()
        if not vals["app_secret_token"] or not vals["agreement_grant_token"]:
            raise UserError(_("Paste the App Secret Token and the Agreement Grant Token first."))
        Backend = self.env["economic.backend"]
        for fname in ("rest_url", "apis_url"):
            if not Backend._is_allowed_url(vals[fname]):
                raise UserError(Backend._url_error(fname, vals[fname]))
        try:
            with EconomicClient(
                vals["app_secret_token"],
                vals["agreement_grant_token"],
                rest_url=vals["rest_url"],
                apis_url=vals["apis_url"],
                timeout=float(DEFAULT_TIMEOUT),
                max_attempts=1,
            ) as client:
                info = client.get_self()
                terms = client.payment_terms.list()
        except EconomicError as error:
            probe = Backend.new(dict(vals, timeout=DEFAULT_TIMEOUT))
            message = probe._error_message(error)
            _logger.info("e-conomic connect wizard: test failed: %s", type(error).__name__)
            self.write({"state": "error", "test_message": message})
            return False
        info = info if isinstance(info, dict) else {}
        agreement_number = str(info.get("agreementNumber") or "")
        others = Backend._other_agreement_connections(
            agreement_number, exclude_ids=self.backend_id.ids
        )
        missing, manual = self._missing_payment_terms(terms or [])
        self.write(
            {
                "state": "tested",
                "agreement_number": agreement_number,
                "agreement_country_id": Backend._agreement_country(info).id,
                "economic_company_name": (info.get("company") or {}).get("name") or "",
                "base_currency": (info.get("settings") or {}).get("baseCurrency") or "",
                "test_message": False,
                "agreement_warning": Backend._agreement_warning_text(agreement_number, others),
                "missing_payment_terms": "\n".join(missing) or False,
                "missing_payment_term_count": len(missing),
                "manual_payment_terms": "\n".join(manual) or False,
                "manual_payment_term_count": len(manual),
                # ticked only where there is something Odoo can create
                "create_payment_terms": bool(missing),
            }
        )
        return True

    def _missing_payment_terms(self, records):
        """The e-conomic payment terms no Odoo payment term matches (the mappings already
        made on the company's connection are kept), one line each: ``(creatable, manual)``,
        those Odoo can express (net days, end of month) and those mapped by hand."""
        self.ensure_one()
        _ = self.env._
        Reference = self.env["economic.reference"]
        mapped = set()
        if self.backend_id:
            mapped = set(
                Reference.search(
                    [
                        ("backend_id", "=", self.backend_id.id),
                        ("kind", "=", "payment_term"),
                        ("payment_term_id", "!=", False),
                    ]
                ).mapped("number")
            )
        odoo_terms = self.env["account.payment.term"].search(
            [("company_id", "in", [False, self.company_id.id])]
        )
        creatable, manual = [], []
        for record in records:
            if not isinstance(record, dict) or record.get("paymentTermsNumber") in (None, ""):
                continue
            number = str(record["paymentTermsNumber"])
            if number in mapped:
                continue
            reference = Reference.new(
                {
                    "kind": "payment_term",
                    "number": number,
                    "name": record.get("name") or number,
                    "data": jsonutil.dumps(record),
                }
            )
            if reference._match_payment_term(odoo_terms):
                continue
            kind = record.get("paymentTermsType")
            kind = self.env._(PAYMENT_TERMS_TYPES[kind]) if kind in PAYMENT_TERMS_TYPES else kind
            if reference._can_create_payment_term():
                creatable.append(
                    _(
                        "%(name)s (%(number)s): %(days)s %(kind)s",
                        name=reference.name,
                        number=number,
                        days=record.get("daysOfCredit") or 0,
                        kind=kind,
                    )
                )
            else:
                manual.append(
                    _(
                        "%(name)s (%(number)s): %(kind)s",
                        name=reference.name,
                        number=number,
                        kind=kind or "-",
                    )
                )
        return creatable, manual

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Connect to e-conomic"),
        }

    def action_test(self):
        self.ensure_one()
        self._test()
        return self._reopen()

    def action_connect(self):
        """Create or update the company's connection, read the references and, when
        asked, run a first (read-only) pass. Write-back is never switched on here."""
        self.ensure_one()
        _ = self.env._
        if self.state != "tested" and not self._test():
            raise UserError(
                _(
                    "Could not connect to e-conomic:\n%(message)s",
                    message=self.test_message or "",
                )
            )
        vals = dict(
            self._clean_vals(),
            state="connected",
            active=True,
            agreement_number=self.agreement_number,
            agreement_country_id=self.agreement_country_id.id,
            economic_company_name=self.economic_company_name,
            base_currency=self.base_currency,
            last_error=False,
            last_test_date=fields.Datetime.now(),
        )
        backend = self.backend_id
        if backend:
            backend.write(vals)
        else:
            name = self.economic_company_name or _(
                "e-conomic %(agreement)s", agreement=self.agreement_number or ""
            )
            backend = (
                self.env["economic.backend"]
                .with_context(default_company_id=self.company_id.id)
                .create(dict(vals, name=name.strip(), company_id=self.company_id.id))
            )
        backend.action_refresh_references()
        if self.create_payment_terms:
            backend.reference_ids.filtered(
                lambda r: r.kind == "payment_term"
                and not r.payment_term_id
                and r._can_create_payment_term()
            ).action_create_odoo_payment_terms()
        form = {
            "type": "ir.actions.act_window",
            "res_model": "economic.backend",
            "res_id": backend.id,
            "view_mode": "form",
            "target": "current",
        }
        if self.run_first_sync and hasattr(backend, "action_run_pass"):
            result = backend.action_run_pass()
            if isinstance(result, dict) and result.get("tag") == "display_notification":
                # say what became of the first pass, then show the connection
                result["params"]["next"] = form
                return result
        return form
