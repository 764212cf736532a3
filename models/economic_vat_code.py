"""e-conomic's VAT codes (``/vat-accounts``), mirrored read-only per connection (issue 7 §3),
each mapped to an Odoo tax: automatically where exactly one Odoo tax of the connection's company
has the same use (sales/purchase, reverse charge or not) and rate; by hand otherwise, and then
kept. Invoices and purchases ask ``_tax_for``: a missing mapping is a per-record error that names
what to configure."""

import re

from odoo import api, fields, models
from odoo.tools.misc import get_lang

from ..engine.adapters import MissingMapping

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
        help="The Odoo tax this VAT code is. Filled automatically when exactly one Odoo tax has "
        "the same use and rate; once chosen by hand, the sync keeps it.",
    )
    tax_manual = fields.Boolean(
        string="Mapped by Hand",
        help="The Odoo tax was chosen by a user: the sync never changes it.",
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

    def write(self, vals):
        if "tax_id" in vals and not self.env.context.get("economic_sync_write"):
            vals = dict(vals, tax_manual=True)
        return super().write(vals)

    # ------------------------------------------------------------------ mapping
    @staticmethod
    def _is_reverse_charge(tax):
        """An Odoo tax that books and takes back the same VAT (a negative repartition)."""
        return any(line.factor_percent < 0 for line in tax.invoice_repartition_line_ids)

    def _auto_map(self, company):
        """Map the unmapped codes (never one set by hand) to the one Odoo tax of ``company``
        with the same use, reverse charge or not, and rate (one search); ambiguous or unknown
        ones are left for the user."""
        todo = self.filtered(
            lambda v: v.active and not v.tax_id and not v.tax_manual and v.vat_type in TAX_USE
        )
        if not todo:
            return
        Tax = self.env["account.tax"].sudo().with_company(company)
        taxes = Tax.search(
            [
                *Tax._check_company_domain(company),
                ("amount_type", "=", "percent"),
                ("type_tax_use", "in", ("sale", "purchase")),
            ]
        )
        candidates = {}
        for tax in taxes:
            key = (tax.type_tax_use, round(tax.amount, 4), self._is_reverse_charge(tax))
            candidates.setdefault(key, []).append(tax)
        for vat in todo:
            key = (
                TAX_USE[vat.vat_type],
                round(vat.rate, 4),
                vat.vat_type == "reverse_charge",
            )
            found = candidates.get(key, [])
            if len(found) == 1:
                vat.with_context(economic_sync_write=True).tax_id = found[0]

    @api.model
    def _economic_menu(self):
        """Where the user maps e-conomic VAT codes (the menu's path as they see it)."""
        return self.env["ir.ui.menu"]._economic_menu_path("economic_sync.menu_economic_vat_code")

    @api.model
    def _tax_for(self, backend, code):
        """The Odoo tax of the e-conomic VAT code ``code`` of ``backend``; raises
        ``MissingMapping`` naming what to configure when it is unknown or not mapped."""
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
        return self.env["account.tax"].browse(vat.tax_id.id)  # not the sudo() record
