import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..economic_client import EconomicClient, EconomicError
from ..models.economic_backend import (
    DEFAULT_APIS_URL,
    DEFAULT_REST_URL,
    DEFAULT_TIMEOUT,
)

_logger = logging.getLogger(__name__)


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
    economic_company_name = fields.Char(string="e-conomic Company", readonly=True)
    base_currency = fields.Char(readonly=True)
    test_message = fields.Text(readonly=True)
    run_first_sync = fields.Boolean(
        string="Run a first sync now (read only)",
        help="Read customers and suppliers from e-conomic right after connecting. "
        "Nothing is written to e-conomic: write-back stays off.",
    )

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
            if not Backend._is_http_url(vals[fname]):
                raise UserError(
                    _(
                        "%(field)s must be an http:// or https:// URL (got %(value)s).",
                        field=self._fields[fname]._description_string(self.env),
                        value=vals[fname],
                    )
                )
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
        except EconomicError as error:
            probe = Backend.new(dict(vals, timeout=DEFAULT_TIMEOUT))
            message = probe._error_message(error)
            _logger.info("e-conomic connect wizard: test failed: %s", type(error).__name__)
            self.write({"state": "error", "test_message": message})
            return False
        info = info if isinstance(info, dict) else {}
        self.write(
            {
                "state": "tested",
                "agreement_number": str(info.get("agreementNumber") or ""),
                "economic_company_name": (info.get("company") or {}).get("name") or "",
                "base_currency": (info.get("settings") or {}).get("baseCurrency") or "",
                "test_message": False,
            }
        )
        return True

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
        if self.run_first_sync and hasattr(backend, "action_run_pass"):
            backend.action_run_pass()
        return {
            "type": "ir.actions.act_window",
            "res_model": "economic.backend",
            "res_id": backend.id,
            "view_mode": "form",
            "target": "current",
        }
