"""e-conomic draft invoices built from Odoo documents (issue 8 §3, §4): the payload of
``POST /invoices/drafts`` (and of the ``PUT`` that replaces a draft, lines included) for a
posted customer invoice or credit note, or for a sales order.

What e-conomic needs besides the lines comes from the customer's binding and the connection's
defaults (docs/ECONOMIC.md §4.10): the VAT zone, the layout (the customer's, its group's, the
connection's), the payment terms (the document's own when they map to e-conomic's, the
customer's, the connection's) and, for terms of type ``dueDate``, the due date. Unit prices go
with e-conomic's 2 decimals; a credit note is a draft with negative quantities
(docs/ECONOMIC.md §4.13). The customer and the products must be in e-conomic: bound, or pushed
first where their push is effective (find or create); otherwise the document fails with a
message saying what to bind or push.
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo import fields, models
from odoo.tools import float_is_zero

from ...engine.adapters import MissingMapping
from ..economic_sync_state import RecordError

CENT = Decimal("0.01")
#: e-conomic's limits on text of a draft (docs/ECONOMIC.md §4.10)
MAX_DESCRIPTION = 2500
MAX_NAME = 250
MAX_REFERENCE = 250


def cents(value):
    """A number with e-conomic's 2 decimals (half up, as e-conomic rounds)."""
    return float(Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP))


class EconomicSyncInvoiceDraft(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    # ================================================================== documents
    def _draft_from_move(self, state, move):
        """The draft payload of a posted customer invoice or credit note."""
        refund = move.move_type == "out_refund"
        lines = [
            self._draft_line_spec(line, line.quantity, line.product_uom_id, line.tax_ids)
            for line in move.invoice_line_ids.sorted("sequence")
            if line.display_type in ("product", "line_section", "line_note")
        ]
        return self._draft_payload(
            state,
            partner=move.partner_id,
            currency=move.currency_id,
            date=move.invoice_date or move.date,
            due=move.invoice_date_due,
            term=move.invoice_payment_term_id,
            reference=move.name,
            lines=lines,
            sign=-1 if refund else 1,
            rate=move.invoice_currency_rate,
            position=move.fiscal_position_id,
        )

    def _draft_from_order(self, state, order):
        """The draft payload of a sales order: its lines as ordered."""
        lines = [
            self._draft_line_spec(line, line.product_uom_qty, line.product_uom, line.tax_id)
            for line in order.order_line.sorted("sequence")
            if not line.is_downpayment
        ]
        today = fields.Date.context_today(order)
        return self._draft_payload(
            state,
            partner=order.partner_invoice_id or order.partner_id,
            currency=order.currency_id,
            date=today,
            due=today,
            term=order.payment_term_id,
            reference=order.name,
            lines=lines,
            sign=1,
            rate=False,
            position=order.fiscal_position_id,
        )

    @staticmethod
    def _draft_line_spec(line, quantity, uom, taxes):
        """What a draft line is made of, from an invoice or an order line (net of any tax
        included in the price: e-conomic takes net unit prices)."""
        if line.display_type in ("line_section", "line_note"):
            return {"text": line.name or ""}
        price = line.price_unit
        discount = line.discount or 0.0
        if any(taxes.mapped("price_include")) and quantity and discount < 100:
            price = line.price_subtotal / quantity / (1 - discount / 100.0)
        return {
            "line": line,
            "product": line.product_id,
            "quantity": quantity,
            "price": price,
            "discount": discount,
            "text": line.name or "",
            "uom": uom,
        }

    # ================================================================== the payload
    def _draft_payload(
        self, state, partner, currency, date, due, term, reference, lines, sign, rate, position=None
    ):
        customer = self._draft_customer(state, partner)
        products = self._draft_products(
            state,
            self.env["product.product"].browse(
                sorted({s["product"].id for s in lines if s.get("product")})
            ),
        )
        terms = self._draft_terms(state, partner, customer, term)
        payload = {
            "date": fields.Date.to_string(date),
            "currency": currency.name,
            "customer": {"customerNumber": customer.economic_number},
            "recipient": self._draft_recipient(state, partner, customer, position),
            "paymentTerms": {"paymentTermsNumber": int(terms.number)},
            "layout": {"layoutNumber": self._draft_layout(state, customer)},
            "references": {"other": (reference or "")[:MAX_REFERENCE]},
            "lines": self._draft_lines(state, lines, products, sign),
        }
        if terms._data_dict().get("paymentTermsType") == "dueDate":
            payload["dueDate"] = fields.Date.to_string(max(due or date, date))
        company = state.company
        if (
            rate
            and currency != company.currency_id
            and state.backend.base_currency == company.currency_id.name
        ):
            # e-conomic: the base-currency cost of 100 units; Odoo: units per company unit
            payload["exchangeRate"] = round(100.0 / rate, 6)
        return payload

    def _draft_lines(self, state, specs, products, sign):
        out = []
        for spec in specs:
            number = len(out) + 1
            line = {"lineNumber": number, "sortKey": number}
            text = (spec.get("text") or "")[:MAX_DESCRIPTION]
            product = spec.get("product")
            if not product:
                if spec.get("line") and not float_is_zero(spec["price"], 6):
                    raise RecordError(
                        self.env._(
                            "The line “%(line)s” has no product: e-conomic prices only lines "
                            "with a product. Put a product on it.",
                            line=text or "-",
                        )
                    )
                if not text:
                    continue
                line["description"] = text
                out.append(line)
                continue
            line.update(
                {
                    "product": {"productNumber": products[product.id]},
                    "description": text or product.display_name,
                    "quantity": round(sign * spec["quantity"], 2),
                    "unitNetPrice": cents(spec["price"]),
                    "discountPercentage": round(spec["discount"], 2),
                }
            )
            unit = self._draft_unit(state, spec.get("uom"))
            if unit is not None:
                line["unit"] = {"unitNumber": unit}
            out.append(line)
        return out

    # ================================================================== customer
    def _draft_customer(self, state, partner):
        """The customer binding of ``partner``'s commercial entity: bound, else pushed first
        where customer push is effective (matched, else created); else a record error."""
        commercial = partner.commercial_partner_id
        binding = self._customer_binding(state, commercial)
        if binding:
            return binding
        if state.settings.get("customer", {}).get("push"):
            module = self.env["economic.sync.partner"]
            module._push_new(state, state.adapters["customer"], commercial)
            binding = self._customer_binding(state, commercial)
            if binding:
                return binding
            raise RecordError(
                self.env._(
                    "The customer %(partner)s could not be pushed to e-conomic (see its line "
                    "in the sync log); the invoice follows once it is.",
                    partner=commercial.display_name,
                )
            )
        raise RecordError(
            self.env._(
                "The customer %(partner)s is not in e-conomic: bind it to an e-conomic customer, "
                "or switch on the push of Customers (with write-back) so it is pushed first.",
                partner=commercial.display_name,
            )
        )

    def _customer_binding(self, state, partner):
        return self.env["economic.partner.binding"].search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", "customer"),
                ("partner_id", "=", partner.id),
                ("remote_archived", "=", False),
            ],
            limit=1,
        )

    def _draft_recipient(self, state, partner, customer, position=None):
        """The recipient as the Odoo document addresses it, in the document's VAT zone."""
        commercial = partner.commercial_partner_id
        street = ", ".join(s for s in (partner.street, partner.street2) if s)
        position = position or commercial.with_company(state.company).property_account_position_id
        zone = self._economic_vat_zone(state, commercial, position, customer)
        recipient = {
            "name": (commercial.name or partner.name or "-")[:MAX_NAME],
            "vatZone": {"vatZoneNumber": zone},
        }
        for key, value in (
            ("address", street),
            ("zip", partner.zip),
            ("city", partner.city),
            ("country", partner.country_id.name),
        ):
            if value:
                recipient[key] = value[:MAX_NAME]
        return recipient

    def _draft_layout(self, state, customer):
        """The customer's layout, else its customer group's, else the connection's default,
        else e-conomic's first layout."""
        if customer.layout_id:
            return int(customer.layout_id.number)
        group = customer.group_id and customer.group_id._data_dict().get("layout")
        if group and group.get("layoutNumber"):
            return int(group["layoutNumber"])
        if state.backend.default_layout_id:
            return int(state.backend.default_layout_id.number)
        first = self._references(state, "layout")[:1]
        if not first:
            raise MissingMapping(
                self.env._(
                    "e-conomic has no layout for the draft invoice: refresh the references of "
                    "the connection, or choose its default layout under Defaults."
                )
            )
        return int(first.number)

    def _draft_terms(self, state, partner, customer, term):
        """The e-conomic payment terms (a reference): the document's own terms where they
        map to e-conomic's, else the customer's, else the connection's default."""
        refs = self._references(state, "payment_term")
        commercial = partner.commercial_partner_id.with_company(state.company)
        for odoo_term in (term, commercial.property_payment_term_id):
            if odoo_term:
                mapped = refs.filtered(lambda r, t=odoo_term: r.payment_term_id == t)[:1]
                if mapped:
                    return mapped
        if state.backend.default_payment_term_id:
            return state.backend.default_payment_term_id
        raise MissingMapping(
            self.env._(
                "The payment terms of %(partner)s map to no e-conomic payment terms: map them "
                "under %(menu)s, or choose the connection's default payment terms under "
                "%(defaults)s.",
                partner=partner.display_name,
                menu=self.env["ir.ui.menu"]._economic_menu_path(
                    "economic_sync.menu_economic_reference"
                ),
                defaults=self.env["ir.ui.menu"]._economic_menu_path(
                    "economic_sync.menu_economic_backend",
                    self.env._("Defaults for new e-conomic customers/suppliers"),
                ),
            )
        )

    def _draft_unit(self, state, uom):
        if not uom:
            return None
        unit = self._references(state, "unit").filtered(lambda r: r.uom_id == uom)[:1]
        return int(unit.number) if unit and unit.number.isdigit() else None

    # ================================================================== products
    def _draft_products(self, state, products):
        """``{product id: e-conomic product number}`` of ``products``: bound, else found or
        created by the product push where it is effective; a product still missing stops
        the document with a message saying what to do."""
        found = self._product_numbers(state, products)
        missing = products.filtered(lambda p: p.id not in found)
        if missing and getattr(state, "product_create", False):
            pushable = missing.filtered("default_code")
            if pushable:
                self.env["economic.sync.product"]._push_new_products(state, pushable)
                found.update(self._product_numbers(state, pushable))
            missing = missing.filtered(lambda p: p.id not in found)
        if missing:
            raise RecordError(
                self.env._(
                    "The product %(products)s is not in e-conomic: bind it to an e-conomic "
                    "product, or switch on the push of Products (with write-back) and give it "
                    "an internal reference (its e-conomic product number) so it is created.",
                    products=", ".join(missing.mapped("display_name")),
                )
            )
        return found

    def _product_numbers(self, state, products):
        if not products:
            return {}
        bindings = (
            self.env["economic.product.binding"]
            .with_context(active_test=False)
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("product_id", "in", products.ids),
                    ("remote_archived", "=", False),
                ]
            )
        )
        return {b.product_id.id: b.economic_key for b in bindings}
