"""e-conomic's VAT codes (``/vat-accounts``), mirrored read-only per connection (issue 7 §3),
each mapped to an Odoo tax by the sync (``models/sync_ledger/mapping.py``): e-conomic's
standard Danish codes to the Danish chart's taxes by their XML ids (a table in
``models/sync_ledger/const.py``), other codes where exactly one Odoo tax of the connection's
company has the same use (sales/purchase, reverse charge or not) and rate; a suggestion or a
note saying what to do otherwise. A mapping made by hand is kept. Where Odoo has a tax of its
own for services (the Danish chart: S-DK-Y-25 beside S-DK-25), lines of services take it.
Invoices and purchases ask ``_tax_for``: a missing mapping is a per-record error that names
what to configure."""

import json
import re

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import get_lang

from ...engine.adapters import MissingMapping
from .const import DANISH_CHART, DANISH_EXEMPT_SALES, GOODS_CODES, SERVICES_CODES, SERVICES_WORDS

#: e-conomic's VAT types (``vatType``): its three standard ones are 1 "Outgoing Sales Domestic",
#: 2 "Ingoing Purchase Domestic" and 3 "Reversed charge"
VAT_TYPES = [
    ("sales", "Sales"),
    ("purchase", "Purchase"),
    ("reverse_charge", "Reverse Charge (Purchase)"),
    ("other", "Other"),
]
_TYPE_BY_NUMBER = {1: "sales", 2: "purchase", 3: "reverse_charge"}
_TYPE_WORDS = [
    ("reverse_charge", re.compile(r"revers|omvendt", re.I)),
    ("sales", re.compile(r"sales|salg|outgoing|udgående", re.I)),
    ("purchase", re.compile(r"purchase|køb|ingoing|indgående", re.I)),
]
#: the Odoo tax use of each VAT type
TAX_USE = {"sales": "sale", "purchase": "purchase", "reverse_charge": "purchase"}
#: why a VAT code is mapped, suggested or left unmapped (``models/sync_ledger/mapping.py``)
MAP_REASONS = [
    ("danish_chart", "e-conomic Standard Code"),
    ("rate", "Only Tax of This Use and Rate"),
    ("standard", "Suggested for the Standard Code"),
    ("inactive", "Odoo Tax Archived"),
    ("shape", "Other Rate or Type than the Standard Code"),
    ("ambiguous", "Several Odoo Taxes"),
    ("none", "No Odoo Tax"),
    ("type", "Unknown VAT Type"),
]
MAPPING_STATES = [
    ("todo", "To Map"),
    ("suggested", "Suggestion to Confirm"),
    ("auto", "Mapped Automatically"),
    ("manual", "Mapped by Hand"),
    ("none", "Archived"),
]
MAPPING_SEQUENCE = {"todo": 0, "suggested": 1}


def vat_type_of(number, name):
    """The kind of an e-conomic VAT type from its name (any language), else its number."""
    for vat_type, pattern in _TYPE_WORDS:
        if pattern.search(name or ""):
            return vat_type
    return _TYPE_BY_NUMBER.get(number, "other")


def rate_text(rate, decimal_point="."):
    """``25.0`` -> ``"25 %"``, ``6.25`` -> ``"6.25 %"`` (``"6,25 %"`` with a decimal comma)."""
    text = ("%.4f" % (rate or 0.0)).rstrip("0").rstrip(".")
    return "%s %%" % text.replace(".", decimal_point)


class EconomicVatCode(models.Model):
    """One VAT code (VAT account) of e-conomic, as one connection sees it."""

    _name = "economic.vat.code"
    _description = "e-conomic VAT Code"
    _order = "backend_id, code"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    _sql_constraints = [
        (
            "backend_code_uniq",
            "unique(backend_id, code)",
            "An e-conomic VAT code exists only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    code = fields.Char(required=True, help="e-conomic's VAT code, e.g. U25 or I25.")
    name = fields.Char()
    rate = fields.Float(
        string="Rate (%)", digits=(16, 4), help="The rate in percent (ratePercentage)."
    )
    rate_label = fields.Char(
        string="Rate", compute="_compute_rate_label", help="The rate as e-conomic shows it: 25 %."
    )
    vat_type = fields.Selection(VAT_TYPES, string="VAT Type")
    vat_type_number = fields.Integer(string="e-conomic VAT Type", aggregator=False)
    vat_type_name = fields.Char(string="e-conomic VAT Type Name")
    account_number = fields.Integer(
        string="Account", aggregator=False, help="The e-conomic account the VAT is booked on."
    )
    contra_account_number = fields.Integer(
        string="Contra Account",
        aggregator=False,
        help="Reverse charge: the e-conomic account of the counter-entry.",
    )
    barred = fields.Boolean(help="Barred in e-conomic: no longer used.")
    data = fields.Text(string="e-conomic Record", help="The record as e-conomic sent it (JSON).")
    active = fields.Boolean(default=True)
    tax_id = fields.Many2one(
        "account.tax",
        string="Odoo Tax",
        ondelete="set null",
        check_company=True,
        domain="[('type_tax_use', 'in', ('sale', 'purchase'))]",
        help="The Odoo tax this VAT code is. Filled automatically for e-conomic's standard codes "
        "(the Danish chart's taxes) and where exactly one Odoo tax has the same use and rate; "
        "once chosen by hand, the sync keeps it.",
    )
    tax_manual = fields.Boolean(
        string="Mapped by Hand",
        help="The Odoo tax was chosen by a user: the sync never changes it.",
    )
    tax_services_id = fields.Many2one(
        "account.tax",
        string="Odoo Tax for Services",
        ondelete="set null",
        check_company=True,
        domain="[('type_tax_use', 'in', ('sale', 'purchase'))]",
        help="Where Odoo has a tax of its own for services (the Danish chart: S-DK-Y-25 beside "
        "S-DK-25), lines of products of a services product group take this one. Empty: the "
        "Odoo Tax.",
    )
    suggested_tax_id = fields.Many2one(
        "account.tax",
        string="Suggested Odoo Tax",
        ondelete="set null",
        check_company=True,
        help="What the automatic mapping would choose, but not surely enough to apply it: "
        "accept it or choose another tax.",
    )
    map_reason = fields.Selection(
        MAP_REASONS,
        string="Mapping Reason",
        help="Why the automatic mapping chose, suggested or left out an Odoo tax.",
    )
    map_detail = fields.Char(string="Mapping Details", help="The Odoo taxes the reason names.")
    mapping_state = fields.Selection(
        MAPPING_STATES, compute="_compute_mapping_state", store=True, string="Mapping"
    )
    mapping_sequence = fields.Integer(compute="_compute_mapping_state", store=True)
    mapping_note = fields.Char(
        string="What to Do",
        compute="_compute_mapping_note",
        help="How the VAT code is mapped, or why it is not and what to do.",
    )

    @api.depends("rate")
    @api.depends_context("lang")
    def _compute_rate_label(self):
        for vat in self:
            vat.rate_label = vat._rate_text()

    def _rate_text(self):
        """The rate in the user's language: ``25 %``, ``6.25 %`` (``6,25 %`` in Danish)."""
        self.ensure_one()
        return rate_text(self.rate, get_lang(self.env).decimal_point or ".")

    @api.depends("code", "name")
    def _compute_display_name(self):
        for vat in self:
            vat.display_name = "%s %s" % (vat.code or "", vat.name or "")

    @api.depends("active", "tax_id", "tax_manual", "suggested_tax_id")
    def _compute_mapping_state(self):
        for vat in self:
            if not vat.active:
                state = "none"
            elif vat.tax_id:
                state = "manual" if vat.tax_manual else "auto"
            else:
                state = "suggested" if vat.suggested_tax_id else "todo"
            vat.mapping_state = state
            vat.mapping_sequence = MAPPING_SEQUENCE.get(state, 2)

    @api.depends("mapping_state", "map_reason", "map_detail", "tax_manual", "rate")
    @api.depends_context("lang")
    def _compute_mapping_note(self):
        for vat in self:
            vat.mapping_note = vat._mapping_note()

    def _mapping_note(self):
        """The mapping in words, in the user's language: how it was made, or why there is
        none and what to do."""
        self.ensure_one()
        _ = self.env._
        detail = self.map_detail or ""
        if self.mapping_state == "none":
            return False
        if self.mapping_state == "manual":
            return _("Mapped by hand: the sync never changes it.")
        if self.tax_id:
            if self.map_reason == "danish_chart":
                return _("e-conomic's standard VAT code: the tax of Odoo's Danish chart.")
            return _("The one Odoo tax of this use and rate.")
        todo = _("Choose the Odoo tax (create it first if Odoo has none).")
        if self.tax_manual:
            return _("Left unmapped by hand: the sync leaves it so.") + " " + todo
        reasons = {
            "standard": _(
                "e-conomic's standard code: the tax of Odoo's Danish chart that comes closest; "
                "check that it deducts what this code does."
            ),
            "inactive": _(
                "e-conomic's standard code: its tax in Odoo's Danish chart, %(tax)s, is "
                "archived. Accepting the suggestion activates it.",
                tax=detail,
            ),
            "shape": _(
                "This code has another rate or VAT type than e-conomic's standard code of the "
                "same name: check the suggested tax %(tax)s.",
                tax=detail,
            ),
            "ambiguous": _(
                "Several Odoo taxes have this use and rate (%(taxes)s).",
                taxes=detail,
            ),
            "none": _("No Odoo tax has this use and rate (%(rate)s).", rate=self._rate_text()),
            "type": _("e-conomic's VAT type of this code says neither sales nor purchase."),
        }
        reason = reasons.get(self.map_reason) or _("Not mapped yet: the next pass maps it.")
        accept = _("Accept the suggestion, or choose another Odoo tax.")
        return "%s %s" % (reason, accept if self.suggested_tax_id else todo)

    def write(self, vals):
        if {"tax_id", "tax_services_id"} & set(vals) and not self.env.context.get(
            "economic_sync_write"
        ):
            # the user's choice: kept by the sync, the automatic reasoning no longer applies
            # (nor the automatic services tax: lines of services take the tax chosen by hand)
            vals = {
                **({"tax_services_id": False} if "tax_id" in vals else {}),
                **vals,
                "tax_manual": True,
                "suggested_tax_id": False,
                "map_reason": False,
                "map_detail": False,
            }
        return super().write(vals)

    # ------------------------------------------------------------------ mapping
    def action_accept_suggestion(self):
        """Map the selected VAT codes to their suggested Odoo taxes (an archived one is
        activated first): the user's choice (by hand), kept by the sync. With the user's
        rights."""
        self.check_access("write")
        todo = self.filtered(lambda v: v.suggested_tax_id and not v.tax_id)
        if not todo:
            raise UserError(self.env._("None of these VAT codes has a suggestion."))
        archived = todo.suggested_tax_id.filtered(lambda tax: not tax.active)
        if archived:
            archived.write({"active": True})
        for tax, codes in todo.grouped("suggested_tax_id").items():
            codes.write({"tax_id": tax.id})
        return True

    def _line_tax(self, services):
        """The Odoo tax of a line of this code: the services tax for services, if any."""
        self.ensure_one()
        return (self.tax_services_id if services else self.tax_id) or self.tax_id

    @api.model
    def _services_groups(self, backend):
        """The numbers (strings) of the product groups of ``backend`` that sell services: one
        of their sales accounts carries a VAT code of services (UEUY) and none of goods
        (UEUV); without either, their name says so (Ydelser…)."""

        groups = (
            self.env["economic.reference"]
            .sudo()
            .search([("backend_id", "=", backend.id), ("kind", "=", "product_group")])
        )
        numbers = {
            int(number)
            for group in groups
            for number in json.loads(group.sales_accounts or "{}").values()
            if str(number).isdigit()
        }
        codes = {
            account.account_number: account.vat_code
            for account in self.env["economic.account"]
            .sudo()
            .search([("backend_id", "=", backend.id), ("account_number", "in", list(numbers))])
        }
        out = set()
        for group in groups:
            used = {
                codes.get(int(n))
                for n in json.loads(group.sales_accounts or "{}").values()
                if str(n).isdigit()
            }
            if used & SERVICES_CODES and not used & GOODS_CODES:
                out.add(group.number)
            elif not used & (SERVICES_CODES | GOODS_CODES) and SERVICES_WORDS.search(
                group.name or ""
            ):
                out.add(group.number)
        return out

    @api.model
    def _economic_menu(self):
        """Where the user maps e-conomic VAT codes (the menu's path as they see it)."""
        return self.env["ir.ui.menu"]._economic_menu_path("economic_sync.menu_economic_vat_code")

    @api.model
    def _exempt_sales_tax(self, backend, scope):
        """The tax of a VAT-free sale in the VAT zone of ``scope`` (domestic, eu, abroad) when
        the company uses Odoo's Danish chart (S-DK-MF, S-EU-MF, S-%EU-MF), else no tax."""

        company = backend.company_id
        template = DANISH_EXEMPT_SALES.get(scope or "domestic")
        if company.chart_template != DANISH_CHART or not template:
            return self.env["account.tax"]
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search(
                [
                    ("module", "=", "account"),
                    ("model", "=", "account.tax"),
                    ("name", "=", "%s_%s" % (company.id, template)),
                ],
                limit=1,
            )
        )
        return self.env["account.tax"].browse(data.res_id).exists().filtered("active")

    @api.model
    def _tax_for(self, backend, code, services=False):
        """The Odoo tax of the e-conomic VAT code ``code`` of ``backend`` (of its services tax
        for ``services``, if it has one); raises ``MissingMapping`` naming what to configure
        when it is unknown or not mapped."""
        vat = (
            self.sudo()
            .with_context(active_test=False)
            .search([("backend_id", "=", backend.id), ("code", "=", code)], limit=1)
        )
        if not vat or not vat.active:
            raise MissingMapping(
                self.env._(
                    "The e-conomic VAT code '%(code)s' is not among the VAT codes read from the "
                    "connection %(connection)s: run a pass, then map it under %(menu)s.",
                    code=code,
                    connection=backend.display_name,
                    menu=self._economic_menu(),
                )
            )
        if not vat.tax_id:
            raise MissingMapping(
                self.env._(
                    "Map the e-conomic VAT code '%(code)s' (%(rate)s) to an Odoo tax under "
                    "%(menu)s.",
                    code=vat.code,
                    rate=vat._rate_text(),
                    menu=self._economic_menu(),
                )
            )
        return self.env["account.tax"].browse(vat._line_tax(services).id)  # not the sudo() record
