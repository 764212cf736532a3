"""The partner entity's settings on the connection: customer numbers, matching keys, the scope
of partners without a company (shared between companies), the defaults of new customers and
suppliers, and its dashboard count."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class EconomicBackendPartner(models.Model):
    _inherit = "economic.backend"

    several_companies = fields.Boolean(
        compute="_compute_several_companies",
        help="The database has more than one company: partners without a company are shared "
        "between them.",
    )
    push_shared_partners = fields.Boolean(
        string="Push Shared Partners",
        default=False,
        help="Partners without a company are visible to every company. When this is off, "
        "they are never created in this agreement, only bound when they match an "
        "e-conomic record. In a database with one company, they are that company's and "
        "are pushed whatever this says.",
    )

    customer_number_mode = fields.Selection(
        [("economic", "Assigned by e-conomic"), ("odoo", "Taken from an Odoo field")],
        string="Customer Numbers",
        default="economic",
        required=True,
    )
    customer_number_field_id = fields.Many2one(
        "ir.model.fields",
        string="Customer Number Field",
        default=lambda self: self._default_customer_number_field(),
        domain="[('model', '=', 'res.partner'), ('ttype', 'in', ('char', 'integer'))]",
        ondelete="set null",
        help="The contact field holding the customer number when numbers are taken " "from Odoo.",
    )
    match_key_ids = fields.One2many("economic.match.key", "backend_id", string="Matching Keys")

    default_customer_group_id = fields.Many2one(
        "economic.reference",
        string="Customer Group",
        domain="[('backend_id', '=', id), ('kind', '=', 'customer_group')]",
        ondelete="set null",
    )
    default_supplier_group_id = fields.Many2one(
        "economic.reference",
        string="Supplier Group",
        domain="[('backend_id', '=', id), ('kind', '=', 'supplier_group')]",
        ondelete="set null",
    )
    vat_zone_domestic_id = fields.Many2one(
        "economic.reference",
        string="VAT Zone (Domestic)",
        domain="[('backend_id', '=', id), ('kind', '=', 'vat_zone')]",
        ondelete="set null",
        help="For contacts in the company's country.",
    )
    vat_zone_eu_id = fields.Many2one(
        "economic.reference",
        string="VAT Zone (EU)",
        domain="[('backend_id', '=', id), ('kind', '=', 'vat_zone')]",
        ondelete="set null",
        help="For contacts in another EU country.",
    )
    vat_zone_abroad_id = fields.Many2one(
        "economic.reference",
        string="VAT Zone (Abroad)",
        domain="[('backend_id', '=', id), ('kind', '=', 'vat_zone')]",
        ondelete="set null",
        help="For contacts outside the EU.",
    )
    default_payment_term_id = fields.Many2one(
        "economic.reference",
        string="Customer Payment Terms",
        domain="[('backend_id', '=', id), ('kind', '=', 'payment_term')]",
        ondelete="set null",
        help="Used when the contact has no payment terms mapped to e-conomic.",
    )
    default_supplier_payment_term_id = fields.Many2one(
        "economic.reference",
        string="Supplier Payment Terms",
        domain="[('backend_id', '=', id), ('kind', '=', 'payment_term')]",
        ondelete="set null",
        help="Used when the contact has no payment terms mapped to e-conomic.",
    )
    default_layout_id = fields.Many2one(
        "economic.reference",
        string="Layout",
        domain="[('backend_id', '=', id), ('kind', '=', 'layout')]",
        ondelete="set null",
    )
    default_currency_id = fields.Many2one(
        "res.currency",
        string="Currency",
        help="Currency of new e-conomic customers and suppliers (else the company's).",
    )

    @api.model
    def _default_customer_number_field(self):
        return self.env["ir.model.fields"]._get("res.partner", "ref")

    @api.constrains("customer_number_mode", "customer_number_field_id")
    def _check_customer_number_field(self):
        for backend in self:
            if backend.customer_number_mode != "odoo":
                continue
            field = backend.customer_number_field_id
            if not field or field.model != "res.partner" or field.ttype not in ("char", "integer"):
                raise ValidationError(
                    self.env._(
                        "Choose the contact field (text or whole number) that holds "
                        "the customer number when numbers are taken from Odoo."
                    )
                )

    def _economic_default_references(self):
        """The defaults of new customers and suppliers: group 1 (else the first), the zones
        by scope, the first payment terms and layout."""
        return dict(
            super()._economic_default_references(),
            default_customer_group_id=("customer_group", {}),
            default_supplier_group_id=("supplier_group", {}),
            vat_zone_domestic_id=("vat_zone", {"vat_scope": "domestic"}),
            vat_zone_eu_id=("vat_zone", {"vat_scope": "eu"}),
            vat_zone_abroad_id=("vat_zone", {"vat_scope": "abroad"}),
            default_payment_term_id=("payment_term", {}),
            default_supplier_payment_term_id=("payment_term", {}),
            default_layout_id=("layout", {}),
        )

    def _economic_default_values(self):
        """New customers and suppliers in the company's currency unless told otherwise."""
        vals = super()._economic_default_values()
        if not self.default_currency_id:
            vals["default_currency_id"] = self.company_id.currency_id.id
        return vals

    binding_count = fields.Integer(compute="_compute_binding_count")

    def _compute_binding_count(self):
        counts = {
            backend.id: count
            for backend, count in self.env["economic.partner.binding"]
            .sudo()
            ._read_group([("backend_id", "in", self.ids)], ["backend_id"], ["__count"])
        }
        for backend in self:
            backend.binding_count = counts.get(backend.id, 0)

    def action_open_bindings(self):
        return self._economic_open("economic.partner.binding", [], self.env._("Bindings"))

    # ------------------------------------------------------------------ partners without company
    def _compute_several_companies(self):
        several = self._several_companies()
        for backend in self:
            backend.several_companies = several

    @api.model
    def _several_companies(self):
        """Whether partners without a company are shared between companies: the database has
        more than one (archived ones count: their users may come back)."""
        return self.env["res.company"].sudo().with_context(active_test=False).search_count([]) > 1

    def _pushes_shared_partners(self):
        """Whether the push creates partners without a company in this agreement: always with
        one company in the database (they are that company's), else only when the connection
        says so (``push_shared_partners``)."""
        self.ensure_one()
        return bool(self.push_shared_partners or not self._several_companies())
