import logging
from urllib.parse import urlsplit

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..economic_client import (
    AuthenticationError,
    EconomicClient,
    EconomicError,
    EconomicTimeout,
    ForbiddenError,
    InvalidResponseError,
    NetworkError,
)

_logger = logging.getLogger(__name__)

DEFAULT_REST_URL = "https://restapi.e-conomic.com"
DEFAULT_APIS_URL = "https://apis.e-conomic.com"
DEFAULT_TIMEOUT = 30

#: fields holding secrets: never logged, never tracked, never shown to non-managers
TOKEN_FIELDS = ("app_secret_token", "agreement_grant_token")
#: fields whose change makes the last connection test meaningless
CONNECTION_FIELDS = TOKEN_FIELDS + ("rest_url", "apis_url")


class EconomicBackend(models.Model):
    """One e-conomic agreement linked to one Odoo company."""

    _name = "economic.backend"
    _description = "e-conomic Connection"
    _inherit = ["mail.thread"]
    _order = "name, id"

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company can have only one e-conomic connection.",
        ),
    ]

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
        tracking=True,
    )
    app_secret_token = fields.Char(
        string="App Secret Token",
        groups="economic_sync.group_economic_manager",
        copy=False,
        help="The secret token of the e-conomic app (the integration). Keep it secret.",
    )
    agreement_grant_token = fields.Char(
        string="Agreement Grant Token",
        groups="economic_sync.group_economic_manager",
        copy=False,
        help="The token e-conomic issues when the agreement (the company) grants the app "
        "access. Keep it secret.",
    )
    rest_url = fields.Char(
        string="REST API URL",
        required=True,
        default=DEFAULT_REST_URL,
        tracking=True,
        help="Base URL of e-conomic's REST API.",
    )
    apis_url = fields.Char(
        string="OpenAPI URL",
        required=True,
        default=DEFAULT_APIS_URL,
        tracking=True,
        help="Base URL of e-conomic's OpenAPI services.",
    )
    timeout = fields.Integer(
        string="Request Timeout",
        required=True,
        default=DEFAULT_TIMEOUT,
        help="Seconds to wait for an answer from e-conomic before giving up.",
    )
    state = fields.Selection(
        [("draft", "Not Tested"), ("connected", "Connected"), ("error", "Error")],
        required=True,
        default="draft",
        copy=False,
        readonly=True,
        tracking=True,
    )
    agreement_number = fields.Char(copy=False, readonly=True)
    economic_company_name = fields.Char(
        string="e-conomic Company", copy=False, readonly=True
    )
    base_currency = fields.Char(copy=False, readonly=True)
    last_test_date = fields.Datetime(
        string="Last Connection Test", copy=False, readonly=True
    )
    last_error = fields.Text(copy=False, readonly=True)

    # ------------------------------------------------------------------ constraints
    @api.constrains("rest_url", "apis_url")
    def _check_urls(self):
        for backend in self:
            for fname in ("rest_url", "apis_url"):
                url = backend[fname]
                if url and not self._is_http_url(url):
                    raise ValidationError(
                        self.env._(
                            "%(field)s must be an http:// or https:// URL, "
                            "e.g. %(example)s (got %(value)s).",
                            field=self._fields[fname]._description_string(self.env),
                            example=DEFAULT_REST_URL
                            if fname == "rest_url"
                            else DEFAULT_APIS_URL,
                            value=url,
                        )
                    )

    @api.constrains("timeout")
    def _check_timeout(self):
        for backend in self:
            if backend.timeout < 1:
                raise ValidationError(
                    self.env._("The request timeout must be at least one second.")
                )

    @staticmethod
    def _is_http_url(url):
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return False
        return (
            parts.scheme in ("http", "https")
            and bool(parts.hostname)
            and not parts.query
            and not parts.fragment
            and " " not in url.strip()
        )

    def _check_one_per_company(self, company_ids):
        """Refuse a second connection for a company, with a clear message.

        Runs before the database is touched (the SQL constraint is the last guard).
        """
        companies = self.env["res.company"].browse(company_ids)
        for company in companies:
            others = (
                self.with_context(active_test=False)
                .sudo()
                .search_count(
                    [("company_id", "=", company.id), ("id", "not in", self.ids)]
                )
            )
            if others or list(company_ids).count(company.id) > 1:
                raise ValidationError(
                    self.env._(
                        "The company %(company)s already has an e-conomic connection "
                        "(it may be archived). A company can have only one.",
                        company=company.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model
    def _clean_vals(self, vals):
        for fname in TOKEN_FIELDS:
            if isinstance(vals.get(fname), str):
                # tokens never contain whitespace: drop what copy/paste brings along
                vals[fname] = "".join(vals[fname].split()) or False
        for fname in ("rest_url", "apis_url"):
            if isinstance(vals.get(fname), str):
                vals[fname] = vals[fname].strip().rstrip("/")
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [self._clean_vals(dict(vals)) for vals in vals_list]
        self._check_one_per_company(
            [
                vals.get("company_id")
                or self.env.context.get("default_company_id")
                or self.env.company.id
                for vals in vals_list
            ]
        )
        return super().create(vals_list)

    def write(self, vals):
        vals = self._clean_vals(dict(vals))
        if vals.get("company_id"):
            self._check_one_per_company([vals["company_id"]] * len(self))
        if "state" not in vals and any(f in vals for f in CONNECTION_FIELDS):
            # other tokens or URLs: the last test no longer says anything
            vals["state"] = "draft"
        return super().write(vals)

    # ------------------------------------------------------------------ client
    def _get_client(self, max_attempts=4):
        """Build the e-conomic client of this connection.

        The only place that reads the tokens. Callers close the client (or use it as a
        context manager).
        """
        self.ensure_one()
        backend = self.sudo()
        if not backend.app_secret_token or not backend.agreement_grant_token:
            raise UserError(
                self.env._(
                    "Enter the App Secret Token and the Agreement Grant Token of "
                    "the connection %(name)s first.",
                    name=self.display_name,
                )
            )
        return EconomicClient(
            backend.app_secret_token,
            backend.agreement_grant_token,
            rest_url=backend.rest_url,
            apis_url=backend.apis_url,
            timeout=float(backend.timeout or DEFAULT_TIMEOUT),
            max_attempts=max_attempts,
        )

    def _scrub_tokens(self, text):
        """Remove this connection's tokens from ``text`` (defence in depth)."""
        if not text:
            return text
        backend = self.sudo()
        for fname in TOKEN_FIELDS:
            token = backend[fname]
            if token and token in text:
                text = text.replace(token, "***")
        return text

    def _error_message(self, error):
        """A translated, token-free explanation of a client error."""
        self.ensure_one()
        _ = self.env._
        if isinstance(error, AuthenticationError):
            message = _(
                "e-conomic refused the tokens (HTTP 401): check the App Secret Token "
                "and the Agreement Grant Token, and that the agreement has not revoked "
                "the app's access."
            )
        elif isinstance(error, ForbiddenError):
            message = _(
                "e-conomic accepted the tokens but denied access (HTTP 403): the app's "
                "role or the agreement's modules do not allow this."
            )
        elif isinstance(error, EconomicTimeout):
            message = _(
                "e-conomic did not answer within %(seconds)s seconds.",
                seconds=self.timeout,
            )
        elif isinstance(error, NetworkError):
            message = _(
                "Could not reach e-conomic at %(url)s: check the URL and the network.",
                url=self.rest_url,
            )
        elif isinstance(error, InvalidResponseError):
            message = _(
                "e-conomic gave an unexpected answer (not the JSON it should send)."
            )
        else:
            message = _("e-conomic reported an error.")
        details = []
        if not isinstance(error, NetworkError):
            if error.status:
                details.append(_("HTTP status: %(status)s", status=error.status))
            if error.message and error.message != type(error).default_message:
                details.append(_("e-conomic says: %(message)s", message=error.message))
            if error.error_code:
                details.append(_("Error code: %(code)s", code=error.error_code))
            if error.log_id:
                details.append(_("logId: %(log_id)s", log_id=error.log_id))
        else:
            details.append(_("Details: %(details)s", details=error.message))
        if details:
            message = "\n".join([message] + details)
        return self._scrub_tokens(message)

    # ------------------------------------------------------------------ actions
    def action_test_connection(self):
        """Call ``GET /self`` and record the outcome on the connection.

        Never raises on an e-conomic failure: the error is written on the connection
        (state, last error, date) and shown as a notification.
        """
        self.ensure_one()
        self.check_access("write")
        _ = self.env._
        try:
            with self._get_client(max_attempts=1) as client:
                info = client.get_self()
        except EconomicError as error:
            message = self._error_message(error)
            _logger.info(
                "e-conomic connection %s (id %s): connection test failed: %s",
                self.name,
                self.id,
                type(error).__name__,
            )
            self.write(
                {
                    "state": "error",
                    "last_error": message,
                    "last_test_date": fields.Datetime.now(),
                }
            )
            return self._notification(
                _("Connection to e-conomic failed"), message, "danger"
            )
        info = info if isinstance(info, dict) else {}
        agreement_number = info.get("agreementNumber")
        company_name = (info.get("company") or {}).get("name") or ""
        currency = (info.get("settings") or {}).get("baseCurrency") or ""
        self.write(
            {
                "state": "connected",
                "agreement_number": str(agreement_number or ""),
                "economic_company_name": company_name,
                "base_currency": currency,
                "last_error": False,
                "last_test_date": fields.Datetime.now(),
            }
        )
        _logger.info(
            "e-conomic connection %s (id %s): connected to agreement %s",
            self.name,
            self.id,
            agreement_number,
        )
        return self._notification(
            _("Connected to e-conomic"),
            _(
                "Agreement %(number)s, %(company)s, base currency %(currency)s.",
                number=agreement_number or "?",
                company=company_name or "?",
                currency=currency or "?",
            ),
            "success",
        )

    @api.model
    def _notification(self, title, message, kind):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
