"""The product each Odoo sales tax goes to e-conomic on when a day is one draft invoice with a
line per tax: e-conomic takes a line's VAT from its product's group (the group's sales account
for the VAT zone, that account's VAT code), so the product's group must carry the tax's rate."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...sync_core.canonical import load_base
from ..sync_ledger.vat_code import rate_text


def product_group_vat(env, backend, binding, product):
    """``(VAT code, rate)`` of the e-conomic product group of a bound product for the
    connection's domestic VAT zone (``("", 0.0)``: its sales account has no VAT code); None
    when the mirror does not say (group, account or code not read yet). The group is the
    binding's (as last synced), else the one of the product's category."""
    if not binding or not backend:
        return None
    try:
        group_number = load_base(binding.base).get("productGroup.productGroupNumber")
    except ValueError:
        group_number = None
    domain = [("backend_id", "=", backend.id), ("kind", "=", "product_group")]
    if group_number is not None:
        domain.append(("number", "=", str(group_number)))
    else:
        domain.append(("category_id", "=", product.categ_id.id))
    group = env["economic.reference"].sudo().search(domain, limit=1)
    zone = backend.vat_zone_domestic_id.number or "1"
    number = group._sales_account(zone) if group else None
    if not number:
        return None
    account = (
        env["economic.account"]
        .sudo()
        .search([("backend_id", "=", backend.id), ("account_number", "=", int(number))], limit=1)
    )
    if not account:
        return None
    if not account.vat_code:
        return ("", 0.0)  # a group whose sales account has no VAT code sells without VAT
    vat = (
        env["economic.vat.code"]
        .sudo()
        .search([("backend_id", "=", backend.id), ("code", "=", account.vat_code)], limit=1)
    )
    return (vat.code, vat.rate) if vat else None


class EconomicShopTaxProduct(models.Model):
    _name = "economic.shop.tax.product"
    _description = "e-conomic Product of an Odoo Tax (days of sales)"
    _order = "backend_id, sequence, id"
    _check_company_auto = True

    _sql_constraints = [
        ("tax_uniq", "unique(backend_id, tax_id)", "One product per tax and connection."),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    tax_id = fields.Many2one(
        "account.tax",
        string="Odoo Tax",
        ondelete="cascade",
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
        help="Empty: the sales without a tax, such as the cash rounding of a point of sale; "
        "their product must be in an e-conomic product group without VAT.",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        required=True,
        ondelete="restrict",
        check_company=True,
        help="A product bound to an e-conomic product whose product group carries the tax's "
        "VAT (e.g. a product 'Salg 25% moms' in the group 'Varer m/moms').",
    )
    economic_product = fields.Char(
        string="e-conomic Product", compute="_compute_economic", help="Its e-conomic number."
    )
    economic_vat = fields.Char(
        string="e-conomic VAT",
        compute="_compute_economic",
        help="The VAT code and rate of the product's group for domestic sales, as the mirror of "
        "the accounts knows it.",
    )

    @api.depends("product_id", "backend_id")
    def _compute_economic(self):
        for row in self:
            binding = row._binding()
            row.economic_product = binding.economic_key or False
            vat = row._group_vat(binding)
            row.economic_vat = (
                "%s (%s)" % (vat[0] or "-", rate_text(vat[1])) if vat is not None else False
            )

    def _binding(self):
        self.ensure_one()
        if not self.product_id or not self.backend_id:
            return self.env["economic.product.binding"]
        return (
            self.env["economic.product.binding"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", self.backend_id.id),
                    ("product_id", "=", self.product_id.id),
                    ("remote_archived", "=", False),
                ],
                limit=1,
            )
        )

    def _group_vat(self, binding):
        return product_group_vat(self.env, self.backend_id, binding, self.product_id)

    @api.constrains("tax_id", "product_id", "backend_id")
    def _check_group_vat(self):
        for row in self:
            if (
                row.backend_id.company_id
                and row.tax_id.company_id
                and (row.tax_id.company_id != row.backend_id.company_id)
            ):
                raise ValidationError(
                    self.env._("The tax must be one of the connection's company.")
                )
            if (
                not row.tax_id
                and self.search_count(
                    [("backend_id", "=", row.backend_id.id), ("tax_id", "=", False)]
                )
                > 1
            ):
                raise ValidationError(
                    self.env._("One product for the sales without a tax per connection.")
                )
            vat = row._group_vat(row._binding())
            if vat is None or (row.tax_id and row.tax_id.amount_type != "percent"):
                continue
            if round(vat[1], 4) != round(row.tax_id.amount, 4):
                raise ValidationError(
                    self.env._(
                        "The e-conomic product %(product)s is in a product group whose VAT is "
                        "%(rate)s %%, and the tax %(tax)s is %(tax_rate)s %%: e-conomic would "
                        "charge another VAT than Odoo. Choose a product of a group with the "
                        "tax's VAT.",
                        product=row.product_id.display_name,
                        rate=vat[1],
                        tax=row.tax_id.display_name or self.env._("No tax"),
                        tax_rate=row.tax_id.amount,
                    )
                )
