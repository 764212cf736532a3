"""Booked e-conomic invoices as Odoo moves: the move values, the lines' taxes and accounts, and
totals equal to e-conomic's to the cent (docs/SYNC.md §8).

Per page: one search of the customers' and products' bindings, cached taxes and accounts per
(product group, VAT zone, rate); nothing is read per line.
"""

from odoo import models
from odoo.tools import float_compare, float_is_zero

from ...sync_core import load_base
from ..economic_sync_state import RecordError
from .const import is_credit_note

GROUP_KEY = "productGroup.productGroupNumber"


class EconomicSyncInvoiceBuild(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    # ------------------------------------------------------------------ the page's context
    def _build_context(self, state, records):
        """What the moves of ``records`` are built from: the bound partners and products (one
        search each), the journal, the references, and caches for taxes and accounts."""
        backend = state.backend
        customers = {r["customer"]["customerNumber"] for r in records}
        products = {
            str(line["product"]["productNumber"])
            for r in records
            for line in r.get("lines", [])
            if line.get("product")
        }
        partner_bindings = self.env["economic.partner.binding"].search(
            [
                ("backend_id", "=", backend.id),
                ("kind", "=", "customer"),
                ("economic_key", "in", [str(number) for number in customers]),
            ]
        )
        product_bindings = (
            self.env["economic.product.binding"]
            .with_context(active_test=False)
            .search([("backend_id", "=", backend.id), ("economic_key", "in", list(products))])
        )
        refs = self.env["economic.reference"].search([("backend_id", "=", backend.id)])
        return {
            "journal": backend._invoice_journal(),
            "partners": {b.economic_number: b for b in partner_bindings},
            "products": {b.economic_key: b for b in product_bindings},
            "groups": {r.number: r for r in refs if r.kind == "product_group"},
            "zones": {r.number: r.vat_scope for r in refs if r.kind == "vat_zone"},
            "units": {r.number: r.uom_id for r in refs if r.kind == "unit"},
            "services": self.env["economic.vat.code"]._services_groups(backend),
            "currencies": {},
            "taxes": {},
            "accounts": {},
        }

    # ------------------------------------------------------------------ one move
    def _move_vals(self, state, ctx, record):
        """The create values of the Odoo move of one booked e-conomic invoice."""
        number = record["bookedInvoiceNumber"]
        binding = ctx["partners"].get(record["customer"]["customerNumber"])
        if not binding:
            raise RecordError(
                self.env._(
                    "Customer %(customer)s of invoice %(number)s could not be pulled (the "
                    "customer's own line in the sync log says why): the invoice follows once "
                    "it is.",
                    customer=record["customer"]["customerNumber"],
                    number=number,
                )
            )
        refund = is_credit_note(record)
        currency = self._currency(state, ctx, record.get("currency"))
        zone = ((record.get("recipient") or {}).get("vatZone") or {}).get("vatZoneNumber")
        lines = [
            (0, 0, self._line_vals(state, ctx, line, zone, refund))
            for line in sorted(record.get("lines", []), key=lambda li: li.get("sortKey", 0))
        ]
        vals = {
            "move_type": "out_refund" if refund else "out_invoice",
            "journal_id": ctx["journal"].id,
            "company_id": state.company.id,
            "partner_id": binding.partner_id.id,
            "invoice_date": record["date"],
            "date": record["date"],
            # e-conomic's due date, not one an Odoo payment term of the customer would compute
            "invoice_payment_term_id": False,
            "invoice_date_due": record.get("dueDate") or record["date"],
            "currency_id": currency.id,
            "ref": ((record.get("references") or {}).get("other") or False),
            "payment_reference": str(number),
            "invoice_line_ids": lines,
        }
        notes = record.get("notes") or {}
        text = "\n".join(notes[k] for k in ("heading", "textLine1", "textLine2") if notes.get(k))
        if text:
            vals["narration"] = text.replace("\r", "\n")
        return vals

    def _currency(self, state, ctx, code):
        code = (code or state.company.currency_id.name).upper()
        if code not in ctx["currencies"]:
            currency = self.env["res.currency"].search([("name", "=", code)], limit=1)
            if not currency:
                raise RecordError(
                    self.env._(
                        "The currency %(code)s of an e-conomic invoice is not active in Odoo: "
                        "activate it under %(menu)s.",
                        code=code,
                        menu=self.env["ir.ui.menu"]._economic_menu_path(
                            "account.menu_action_currency_form"
                        ),
                    )
                )
            ctx["currencies"][code] = currency
        return ctx["currencies"][code]

    def _line_vals(self, state, ctx, line, zone, refund):
        description = (line.get("description") or "").replace("\r", "\n")
        product_no = (line.get("product") or {}).get("productNumber")
        if product_no is None:
            # a text line: e-conomic takes no quantity or price without a product
            return {"display_type": "line_note", "name": description or "-"}
        binding = ctx["products"].get(str(product_no))
        if not binding:
            raise RecordError(
                self.env._(
                    "Product %(product)s could not be pulled (its own line in the sync log "
                    "says why): the invoice follows once it is.",
                    product=product_no,
                )
            )
        quantity = float(line.get("quantity") or 0)
        group = load_base(binding.base).get(GROUP_KEY)
        vals = {
            "product_id": binding.product_id.id,
            "name": description or binding.product_id.display_name,
            "quantity": -quantity if refund else quantity,
            "price_unit": float(line.get("unitNetPrice") or 0),
            "discount": float(line.get("discountPercentage") or 0),
            "tax_ids": [(6, 0, self._line_taxes(state, ctx, group, zone, line).ids)],
        }
        account = self._line_account(state, ctx, group, zone)
        if account:
            vals["account_id"] = account.id
        unit = (line.get("unit") or {}).get("unitNumber")
        uom = ctx["units"].get(str(unit)) if unit is not None else None
        if uom and uom.category_id == binding.product_id.uom_id.category_id:
            vals["product_uom_id"] = uom.id
        return vals

    def _group_account(self, ctx, group, zone):
        reference = ctx["groups"].get(str(group)) if group is not None else None
        return reference._sales_account(zone) if reference and zone else None

    def _line_account(self, state, ctx, group, zone):
        """The Odoo account of the product group's sales account for the VAT zone (mapped
        under Accounts); none: the journal's default account."""
        key = (group, zone)
        if key not in ctx["accounts"]:
            number = self._group_account(ctx, group, zone)
            account = self.env["account.account"]
            if number:
                try:
                    account = self.env["economic.account"]._account_for(state.backend, number)
                except Exception:  # noqa: BLE001 - unmapped: the journal's default account
                    account = self.env["account.account"]
            ctx["accounts"][key] = account
        return ctx["accounts"][key]

    def _line_taxes(self, state, ctx, group, zone, line):
        """The Odoo tax of a line: the VAT code of the product group's sales account (mapped
        under VAT Codes; its services tax for a group of services) when its rate is the line's;
        else the company's one sales tax of that rate. A rate no Odoo tax has stops the invoice
        with a message saying what to map."""
        rate = float(line.get("vatRate") or 0)
        key = (group, zone, rate)
        if key in ctx["taxes"]:
            return ctx["taxes"][key]
        Tax = self.env["account.tax"]
        tax = Tax
        number = self._group_account(ctx, group, zone)
        if number:
            account = self.env["economic.account"].search(
                [("backend_id", "=", state.backend.id), ("account_number", "=", int(number))],
                limit=1,
            )
            vat = account.vat_code and self.env["economic.vat.code"].search(
                [("backend_id", "=", state.backend.id), ("code", "=", account.vat_code)], limit=1
            )
            line_tax = vat and vat._line_tax(str(group) in ctx["services"])
            if line_tax and float_compare(line_tax.amount, rate, 4) == 0:
                tax = line_tax
        if not tax and float_is_zero(rate, 4):
            # a VAT-free sale: the Danish chart's exempt tax of the zone (its VAT return box)
            scope = ctx["zones"].get(str(zone)) if zone is not None else None
            tax = self.env["economic.vat.code"]._exempt_sales_tax(state.backend, scope)
        elif not tax:
            tax = Tax.search(
                [
                    *Tax._check_company_domain(state.company),
                    ("type_tax_use", "=", "sale"),
                    ("amount_type", "=", "percent"),
                    ("price_include", "=", False),
                    ("amount", "=", rate),
                ],
                limit=1,
            )
            if not tax:
                raise RecordError(
                    self.env._(
                        "No Odoo sales tax of %(rate)s %% for an e-conomic invoice line: map "
                        "the VAT code under %(menu)s, or create the tax.",
                        rate=rate,
                        menu=self.env["ir.ui.menu"]._economic_menu_path(
                            "economic_sync.menu_economic_vat_code"
                        ),
                    )
                )
        ctx["taxes"][key] = tax
        return tax
