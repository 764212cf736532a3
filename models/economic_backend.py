import ipaddress
import logging
from datetime import timedelta
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
#: e-conomic's agreement types (``/self`` ``agreementType.name``) and their countries
AGREEMENT_COUNTRIES = {"denmark": "DK", "sweden": "SE", "norway": "NO"}

#: fields holding secrets: never logged, never tracked, never shown to non-managers
TOKEN_FIELDS = ("app_secret_token", "agreement_grant_token")
#: fields whose change makes the last connection test meaningless
CONNECTION_FIELDS = TOKEN_FIELDS + ("rest_url", "apis_url")
#: fields the connection's scheduled action follows (its name, interval, archiving)
SCHEDULE_FIELDS = ("name", "active", "sync_interval_number", "sync_interval_type")
#: minutes in one unit of ``sync_interval_type``
INTERVAL_MINUTES = {"minutes": 1, "hours": 60, "days": 1440}
#: host names that are this computer (plain http:// is accepted only for them: the sandbox)
LOOPBACK_NAMES = ("localhost", "localhost.")


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
    agreement_country_id = fields.Many2one(
        "res.country",
        string="Agreement Country",
        copy=False,
        readonly=True,
        help="Country of the e-conomic agreement (Denmark, Sweden or Norway), read by Test "
        "Connection. VAT numbers and phone numbers without a country prefix are taken to be "
        "of this country when matching.",
    )
    economic_company_name = fields.Char(string="e-conomic Company", copy=False, readonly=True)
    base_currency = fields.Char(copy=False, readonly=True)
    last_test_date = fields.Datetime(string="Last Connection Test", copy=False, readonly=True)
    last_error = fields.Text(copy=False, readonly=True)
    agreement_warning = fields.Text(
        compute="_compute_agreement_warning",
        help="Set when another connection (of any company) is linked to the same "
        "e-conomic agreement.",
    )

    # ------------------------------------------------------------------ sync settings
    write_back = fields.Boolean(
        string="Write to e-conomic",
        default=False,
        tracking=True,
        help="Master switch: while it is off nothing is ever written to e-conomic, "
        "whatever the entity settings say.",
    )
    sync_interval_number = fields.Integer(
        string="Sync Every",
        default=1,
        required=True,
        help="How often a scheduled pass runs for this connection.",
    )
    sync_interval_type = fields.Selection(
        [("minutes", "Minutes"), ("hours", "Hours"), ("days", "Days")],
        string="Interval Unit",
        default="hours",
        required=True,
    )
    lookback_minutes = fields.Integer(
        string="Lookback (minutes)",
        default=10,
        required=True,
        help="Pulls ask e-conomic for what changed since the last successful pull "
        "minus this margin, so nothing changed during a pass is missed.",
    )
    full_pass_interval_days = fields.Integer(
        string="Full Pass Every (days)",
        default=1,
        required=True,
        help="Passes are incremental (what changed since the last pull); a full pass, at "
        "most this often, reads everything: deletions, renumbered records and records "
        "without a change stamp are found by comparing every key. 0: only on demand.",
    )
    entity_setting_ids = fields.One2many("economic.entity.setting", "backend_id", string="Entities")
    available_setting_ids = fields.One2many(
        "economic.entity.setting",
        "backend_id",
        string="Synced Entities",
        domain=[("available", "=", True)],
        help="The entities that sync in this version (the others are not offered).",
    )
    field_mapping_ids = fields.One2many(
        "economic.field.mapping", "backend_id", string="Field Mappings"
    )
    reference_ids = fields.One2many("economic.reference", "backend_id", string="References")
    reference_count = fields.Integer(compute="_compute_reference_count")
    # ------------------------------------------------------------------ dashboard
    last_pass_start = fields.Datetime(copy=False, readonly=True)
    last_pass_end = fields.Datetime(copy=False, readonly=True)
    next_pass_date = fields.Datetime(
        string="Next Pass",
        copy=False,
        help="When the scheduled action runs the next pass of this connection.",
    )
    last_pass_state = fields.Selection(
        [
            ("done", "Done"),
            ("partial", "Partly Done"),
            ("failed", "Failed"),
            ("skipped", "Skipped"),
        ],
        copy=False,
        readonly=True,
    )
    last_pass_message = fields.Text(copy=False, readonly=True)
    last_full_pass = fields.Datetime(
        string="Last Full Pass",
        copy=False,
        readonly=True,
        help="Start of the last full pass that finished (every record read and compared).",
    )

    @api.depends("reference_ids")
    def _compute_reference_count(self):
        groups = self.env["economic.reference"]._read_group(
            [("backend_id", "in", self.ids)], ["backend_id"], ["__count"]
        )
        counts = {backend.id: count for backend, count in groups}
        for backend in self:
            backend.reference_count = counts.get(backend.id, 0)

    @api.model
    def _other_agreement_connections(self, agreement_number, exclude_ids=()):
        """Every other connection (any company, archived too) linked to the agreement."""
        if not agreement_number:
            return self.browse()
        return (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("agreement_number", "=", str(agreement_number)),
                    ("id", "not in", list(exclude_ids)),
                ]
            )
        )

    @api.model
    def _agreement_warning_text(self, agreement_number, others):
        """The translated warning naming the companies already linked to the agreement."""
        if not others:
            return False
        return self.env._(
            "The e-conomic agreement %(number)s is already connected to %(companies)s "
            "(connection %(connections)s). Two Odoo companies syncing the same agreement "
            "create and overwrite each other's customers and suppliers: connect each "
            "company to its own agreement.",
            number=agreement_number,
            companies=", ".join(others.mapped("company_id.display_name")),
            connections=", ".join(others.mapped("display_name")),
        )

    @api.depends("agreement_number")
    def _compute_agreement_warning(self):
        for backend in self:
            others = self._other_agreement_connections(
                backend.agreement_number, exclude_ids=backend._origin.ids
            )
            backend.agreement_warning = self._agreement_warning_text(
                backend.agreement_number, others
            )

    # ------------------------------------------------------------------ constraints
    def _full_pass_due(self, now=None):
        """A full pass is due when none ran within ``full_pass_interval_days``."""
        self.ensure_one()
        if self.full_pass_interval_days <= 0:
            return False
        if not self.last_full_pass:
            return True
        now = now or fields.Datetime.now()
        return self.last_full_pass + timedelta(days=self.full_pass_interval_days) <= now

    @api.constrains("sync_interval_number", "lookback_minutes", "full_pass_interval_days")
    def _check_schedule(self):
        for backend in self:
            if backend.sync_interval_number < 1:
                raise ValidationError(self.env._("The sync interval must be at least 1."))
            if backend.lookback_minutes < 0:
                raise ValidationError(self.env._("The lookback cannot be negative."))
            if backend.full_pass_interval_days < 0:
                raise ValidationError(self.env._("The full pass interval cannot be negative."))

    @api.constrains("rest_url", "apis_url")
    def _check_urls(self):
        for backend in self:
            for fname in ("rest_url", "apis_url"):
                url = backend[fname]
                if url and not self._is_allowed_url(url):
                    raise ValidationError(self._url_error(fname, url))

    @api.model
    def _url_error(self, fname, url):
        """The translated message refusing ``url`` for the field ``fname``."""
        return self.env._(
            "%(field)s must be an https:// URL, e.g. %(example)s (got %(value)s). "
            "Plain http:// is accepted only for this computer (localhost, 127.0.0.1, ::1), "
            "e.g. the e-conomic sandbox.",
            field=self._fields[fname]._description_string(self.env),
            example=DEFAULT_REST_URL if fname == "rest_url" else DEFAULT_APIS_URL,
            value=url,
        )

    @api.constrains("timeout")
    def _check_timeout(self):
        for backend in self:
            if backend.timeout < 1:
                raise ValidationError(
                    self.env._("The request timeout must be at least one second.")
                )

    @staticmethod
    def _is_loopback(hostname):
        hostname = (hostname or "").lower()
        if hostname in LOOPBACK_NAMES:
            return True
        try:
            return ipaddress.ip_address(hostname).is_loopback
        except ValueError:
            return False

    @classmethod
    def _is_allowed_url(cls, url):
        """An ``https://`` URL, or ``http://`` on a loopback host (the sandbox)."""
        url = (url or "").strip()
        try:
            parts = urlsplit(url)
            hostname = parts.hostname
            port = parts.port  # raises ValueError on a port that is not a number
        except ValueError:
            return False
        if not hostname or parts.query or parts.fragment or " " in url or port == 0:
            return False
        if parts.scheme == "https":
            return True
        return parts.scheme == "http" and cls._is_loopback(hostname)

    def _check_one_per_company(self, company_ids):
        """Refuse a second connection for a company, with a clear message.

        Runs before the database is touched (the SQL constraint is the last guard).
        """
        companies = self.env["res.company"].browse(company_ids)
        for company in companies:
            others = (
                self.with_context(active_test=False)
                .sudo()
                .search_count([("company_id", "=", company.id), ("id", "not in", self.ids)])
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
        backends = super().create(vals_list)
        backends._ensure_defaults()
        backends._economic_sync_crons()
        return backends

    def write(self, vals):
        vals = self._clean_vals(dict(vals))
        if vals.get("company_id"):
            self._check_one_per_company([vals["company_id"]] * len(self))
        if "state" not in vals and any(f in vals for f in CONNECTION_FIELDS):
            # other tokens or URLs: the last test no longer says anything
            vals["state"] = "draft"
        result = super().write(vals)
        if any(f in vals for f in SCHEDULE_FIELDS):
            self._economic_sync_crons()
        return result

    def unlink(self):
        drop_crons = self._economic_drop_crons()
        result = super().unlink()
        drop_crons()
        return result

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

    @api.model
    def _agreement_country(self, info):
        """The country of an agreement, from its ``GET /self`` (``agreementType``): it decides
        what an unprefixed VAT or phone number means when matching."""
        agreement_type = ((info.get("agreementType") or {}).get("name") or "").lower()
        return self.env["res.country"].search(
            [("code", "=", AGREEMENT_COUNTRIES.get(agreement_type, ""))], limit=1
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
            message = _("e-conomic gave an unexpected answer (not the JSON it should send).")
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
            return self._notification(_("Connection to e-conomic failed"), message, "danger")
        info = info if isinstance(info, dict) else {}
        agreement_number = info.get("agreementNumber")
        company_name = (info.get("company") or {}).get("name") or ""
        currency = (info.get("settings") or {}).get("baseCurrency") or ""
        country = self._agreement_country(info)
        self.write(
            {
                "state": "connected",
                "agreement_country_id": country.id,
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
        message = _(
            "Agreement %(number)s, %(company)s, base currency %(currency)s.",
            number=agreement_number or "?",
            company=company_name or "?",
            currency=currency or "?",
        )
        if self.agreement_warning:
            _logger.info(
                "e-conomic connection %s (id %s): agreement %s is connected to another "
                "connection too",
                self.name,
                self.id,
                agreement_number,
            )
        warnings = [w for w in (self.agreement_warning, self.currency_warning) if w]
        if warnings:
            return self._notification(
                _("Connected to e-conomic, with a warning"),
                "\n".join([message] + warnings),
                "warning",
                sticky=True,
            )
        return self._notification(_("Connected to e-conomic"), message, "success")

    @api.model
    def _notification(self, title, message, kind, sticky=None):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind == "danger" if sticky is None else sticky,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------ sync engine (issue 3)
    open_conflict_count = fields.Integer(compute="_compute_sync_counts")
    error_log_count = fields.Integer(compute="_compute_sync_counts")

    def _compute_sync_counts(self):
        def counts(model, domain):
            groups = (
                self.env[model]
                .sudo()
                ._read_group([("backend_id", "in", self.ids)] + domain, ["backend_id"], ["__count"])
            )
            return {backend.id: count for backend, count in groups}

        conflicts = counts("economic.sync.conflict", [("state", "=", "open")])
        errors = counts("economic.sync.log", [("state", "=", "failed")])
        for backend in self:
            backend.open_conflict_count = conflicts.get(backend.id, 0)
            backend.error_log_count = errors.get(backend.id, 0)

    def _economic_push_possible(self, entities):
        """Whether one of ``entities`` pushes (write-back and push with a strategy)."""
        self.ensure_one()
        return any(s.effective_push for s in self.entity_setting_ids if s.entity in entities)

    # ------------------------------------------------------------------ write-back and preview
    def action_write_back_on_preview(self):
        """Show what the next pass would send; write-back is switched on when confirmed."""
        self.ensure_one()
        self.check_access("write")
        return self.env["economic.push.preview"]._open(self, "enable_write_back")

    def action_write_back_off(self):
        self.check_access("write")
        self.write({"write_back": False})
        return True

    def action_preview_push(self):
        """Dry run: what the next pass would send to e-conomic; nothing is written."""
        self.ensure_one()
        self.check_access("write")
        return self.env["economic.push.preview"]._open(self, "preview")

    def _economic_open(self, model, domain, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("backend_id", "=", self.id)] + domain,
            "context": {"default_backend_id": self.id},
        }

    def action_open_conflicts(self):
        return self._economic_open(
            "economic.sync.conflict", [("state", "=", "open")], self.env._("Open Conflicts")
        )

    def action_open_error_logs(self):
        return self._economic_open(
            "economic.sync.log", [("state", "=", "failed")], self.env._("Sync Errors")
        )
