"""What a day should be in e-conomic (its *target*): the content of its draft invoice or of its
voucher, built from the day's facts through the connection's mappings, the lines to show, the
totals and the notes on VAT rounding. A day whose amounts cannot all be mapped is one error
naming everything to configure; nothing of it is sent."""

from decimal import Decimal

from odoo import models

from ...sync_core.canonical import load_base
from ...sync_core.shop_day import (
    balance,
    content_totals,
    credit_groups,
    group_sales,
    invoice_content,
    invoice_vat_notes,
    money,
    voucher_content,
    voucher_vat_notes,
)
from ..economic_sync_state import RecordError
from .const import MAX_DESCRIPTION


class EconomicSyncShopPlan(models.AbstractModel):
    _inherit = "economic.sync.shop"

    def _shop_target(self, state, facts, mode):
        """``(content, lines, totals, notes)`` of ``facts`` (a DayFacts) sent as ``mode``;
        raises ``RecordError`` naming every mapping missing."""
        if mode == "journal":
            return self._shop_voucher_target(state, facts)
        return self._shop_invoice_target(state, facts)

    def _shop_missing(self, missing):
        raise RecordError(
            self.env._(
                "Nothing of this day was sent to e-conomic. Configure first:\n%s",
                "\n".join("- %s" % text for text in dict.fromkeys(missing)),
            )
        )

    # ================================================================== invoice
    def _shop_invoice_target(self, state, facts):
        grouping = state.backend.shop_grouping
        groups = group_sales(facts.sales, grouping)
        missing, products, rates = [], {}, {}
        if grouping == "product":
            self._shop_products_per_product(state, groups, products, rates, missing)
        else:
            self._shop_products_per_tax(state, groups, products, rates, missing)
        if missing:
            self._shop_missing(missing)
        content = invoice_content(
            groups, lambda g: products[g.key], lambda g: self._shop_describe(g, grouping), grouping
        )
        notes = [
            self.env._(
                "%(line)s: Odoo's VAT is %(odoo)s, e-conomic computes %(economic)s on its line "
                "(difference %(diff)s). The net is Odoo's; check the VAT before booking.",
                line=content[key]["description"],
                odoo=odoo,
                economic=economic,
                diff=economic - odoo,
            )
            for key, odoo, economic in invoice_vat_notes(content, rates.get)
        ]
        lines = [
            {
                "kind": "sale",
                "label": line["description"],
                "economic_product": line["product"],
                "quantity": float(line["quantity"]),
                "net_amount": float(line["net"]),
                "vat_amount": float(line["vat"]),
                "amount": float(line["net"] + line["vat"]),
            }
            for _key, line in sorted(content.items())
        ]
        lines += self._shop_payment_lines(facts)
        return content, lines, self._shop_totals(facts, content), notes

    def _shop_tax_products(self, state):
        """``{tax id: (product name, e-conomic product number or None, e-conomic rate or
        None)}`` of the connection's products of the taxes, read once per pass."""
        cache = getattr(state, "shop_tax_products", None)
        if cache is None:
            rows = self.env["economic.shop.tax.product"].search(
                [("backend_id", "=", state.backend.id)]
            )
            bindings = self._shop_product_bindings(state, rows.product_id)
            cache = state.shop_tax_products = {}
            for row in rows:
                binding = bindings.get(row.product_id.id)
                vat = self._shop_group_vat(state, binding)
                cache[row.tax_id.id] = (
                    row.product_id.display_name,
                    binding.economic_key if binding else None,
                    Decimal(str(vat[1])) if vat is not None else None,
                )
        return cache

    def _shop_group_vat(self, state, binding):
        """``(VAT code, rate)`` of a bound product's e-conomic group for the domestic VAT zone
        (as ``tax_product.product_group_vat``, from the mirror read once per pass: the
        groups, the accounts' VAT codes, the VAT codes' rates); None where it does not say."""
        if not binding:
            return None
        mirror = getattr(state, "shop_vat_mirror", None)
        if mirror is None:
            mirror = state.shop_vat_mirror = self._shop_vat_mirror(state)
        groups, accounts, rates = mirror
        try:
            number = load_base(binding.base).get("productGroup.productGroupNumber")
        except ValueError:
            number = None
        group = groups["number"].get(str(number)) if number is not None else None
        group = group or groups["category"].get(binding.product_id.categ_id.id)
        account = group and group._sales_account(state.backend.vat_zone_domestic_id.number or "1")
        if not account or int(account) not in accounts:
            return None
        code = accounts[int(account)]
        if not code:
            return ("", 0.0)
        return (code, rates[code]) if code in rates else None

    def _shop_vat_mirror(self, state):
        backend = state.backend
        refs = (
            self.env["economic.reference"]
            .sudo()
            .search([("backend_id", "=", backend.id), ("kind", "=", "product_group")])
        )
        groups = {
            "number": {ref.number: ref for ref in refs},
            "category": {ref.category_id.id: ref for ref in refs if ref.category_id},
        }
        accounts = {
            row["account_number"]: row["vat_code"] or ""
            for row in self.env["economic.account"]
            .sudo()
            .search_read([("backend_id", "=", backend.id)], ["account_number", "vat_code"])
        }
        rates = {
            row["code"]: row["rate"]
            for row in self.env["economic.vat.code"]
            .sudo()
            .search_read([("backend_id", "=", backend.id)], ["code", "rate"])
        }
        return groups, accounts, rates

    def _shop_products_per_tax(self, state, groups, products, rates, missing):
        _ = self.env._
        mappings = self._shop_tax_products(state)
        for group in groups:
            if not group.tax_ids and mappings.get(False):
                row = mappings[False]  # the product of the sales without a tax
            elif len(group.tax_ids) != 1:
                missing.append(
                    _(
                        "Sales without a tax (%(label)s): add a line without a tax under "
                        "Products of the Taxes (Shops tab) with a product of an e-conomic group "
                        "without VAT, or give them a sales tax (0 %% for VAT-free sales).",
                        label=group.label,
                    )
                    if not group.tax_ids
                    else _(
                        "Sales with several taxes (%(label)s) cannot be one line per tax: send "
                        "the days one line per product.",
                        label=group.label,
                    )
                )
                continue
            else:
                row = mappings.get(group.tax_ids[0])
            if not row or not row[1]:
                missing.append(
                    _(
                        "Choose the e-conomic product of the tax %(tax)s on the connection "
                        "(Shops tab, Products of the Taxes): a product bound to e-conomic whose "
                        "product group carries the tax's VAT.",
                        tax=group.tax_label or _("No tax"),
                    )
                    if not row
                    else _(
                        "The product %(product)s of the tax %(tax)s is not in e-conomic: bind "
                        "it to an e-conomic product.",
                        product=row[0],
                        tax=group.tax_label or _("No tax"),
                    )
                )
                continue
            products[group.key] = row[1]
            rates[group.key] = row[2]

    def _shop_products_per_product(self, state, groups, products, rates, missing):
        _ = self.env._
        Product = self.env["product.product"].with_context(active_test=False)
        wanted = Product.browse(sorted({g.product_id for g in groups if g.product_id}))
        bindings = self._shop_product_bindings(state, wanted)
        untaxed = self._shop_tax_products(state).get(False)
        for group in groups:
            if not group.product_id and not group.tax_ids and untaxed and untaxed[1]:
                # no product, no tax (a point of sale's cash rounding): the product of the
                # sales without a tax
                products[group.key], rates[group.key] = untaxed[1], untaxed[2]
                continue
            if not group.product_id:
                missing.append(
                    _(
                        "Sales without a product (%(label)s) cannot be one line per product: "
                        "send the days one line per tax.",
                        label=group.label,
                    )
                )
                continue
            binding = bindings.get(group.product_id)
            if not binding:
                missing.append(
                    _(
                        "The product %(product)s is not in e-conomic: bind it to an e-conomic "
                        "product (or push Products).",
                        product=Product.browse(group.product_id).display_name,
                    )
                )
                continue
            products[group.key] = binding.economic_key
            vat = self._shop_group_vat(state, binding)
            rates[group.key] = Decimal(str(vat[1])) if vat is not None else None

    def _shop_product_bindings(self, state, products):
        """``{product id: binding}`` of ``products`` on the connection: one search for those
        not read yet in this pass (the pass reads the products of all its days at once,
        ``_shop_prefetch``)."""
        cache = state.__dict__.setdefault("shop_product_bindings", {})
        todo = [pid for pid in products.ids if pid not in cache]
        if todo:
            cache.update(dict.fromkeys(todo))
            for binding in (
                self.env["economic.product.binding"]
                .sudo()
                .search(
                    [
                        ("backend_id", "=", state.backend.id),
                        ("product_id", "in", todo),
                        ("remote_archived", "=", False),
                    ]
                )
            ):
                cache[binding.product_id.id] = binding
        return {pid: cache[pid] for pid in products.ids if cache.get(pid)}

    def _shop_prefetch(self, state, facts):
        """Read what the days' targets need once for all of them: their products' bindings."""
        if state.backend.shop_grouping == "product":
            ids = {row.product_id for f in facts for row in f.sales if row.product_id}
            self._shop_product_bindings(state, self.env["product.product"].browse(sorted(ids)))

    def _shop_describe(self, group, grouping):
        _ = self.env._
        quantity = ("%.2f" % abs(group.quantity)).rstrip("0").rstrip(".")
        if grouping == "product":
            text = _("%s (returned)", group.label) if group.is_return else group.label
        elif group.is_return:
            text = _("%(tax)s: %(quantity)s returned", tax=group.tax_label, quantity=quantity)
        else:
            text = _("%(tax)s: %(quantity)s sold", tax=group.tax_label, quantity=quantity)
        return text[:MAX_DESCRIPTION]

    # ================================================================== journal
    def _shop_voucher_target(self, state, facts):
        _ = self.env._
        missing, credits, rates = [], [], {}
        codes = self._shop_vat_codes(state)
        for (account_id, tax_ids), (label, net, vat) in sorted(credit_groups(facts.sales).items()):
            code, rate = self._shop_credit_code(tax_ids, label, codes, missing)
            number = self._shop_sales_account(state, account_id, code, missing)
            if number is None or code is None:
                continue
            credits.append((number, code, label, net + vat, vat))
            rates["credit:%s:%s" % (number, code or "-")] = rate
        debits = []
        for row in facts.payments:
            if row.economic_account is None:
                missing.append(
                    row.missing or _("Map the payment %s to an e-conomic account.", row.label)
                )
                continue
            debits.append((row.key, row.economic_account, row.label, row.amount))
        if not state.backend.shop_journal_id:
            missing.append(
                _(
                    "Choose the e-conomic cash journal on the connection (Shops tab): the days "
                    "go there as finance vouchers."
                )
            )
        if missing:
            self._shop_missing(missing)
        content = voucher_content(credits, debits)
        diff = balance(content)
        if diff:
            raise RecordError(
                _(
                    "The day does not balance: the money received differs from the sales by "
                    "%(diff)s. Nothing of this day was sent; check its entries.",
                    diff=diff,
                )
            )
        notes = [
            _(
                "%(line)s: e-conomic splits %(economic)s of VAT off the total, Odoo says "
                "%(odoo)s (difference %(diff)s). The total is Odoo's; check the VAT before "
                "booking.",
                line=content[key]["label"],
                odoo=odoo,
                economic=economic,
                diff=economic - odoo,
            )
            for key, odoo, economic in voucher_vat_notes(content, rates.get)
        ]
        lines = [
            {
                "kind": "sale" if key.startswith("credit") else "payment",
                "label": line["label"],
                "economic_account": int(line["account"]),
                "vat_code": line["vat_code"] or False,
                "amount": float(-line["amount"] if key.startswith("credit") else line["amount"]),
                "vat_amount": float(line.get("odoo_vat") or 0),
                "net_amount": float(-line["amount"] - (line.get("odoo_vat") or 0))
                if key.startswith("credit")
                else 0.0,
            }
            for key, line in sorted(content.items())
        ]
        return content, lines, self._shop_totals(facts, content), notes

    def _shop_vat_codes(self, state):
        """``{Odoo tax id: (e-conomic VAT code, rate)}`` of the connection's mapped VAT codes
        (sales and services taxes), read once per pass."""
        cache = getattr(state, "shop_vat_codes", None)
        if cache is None:
            cache = {}
            for vat in (
                self.env["economic.vat.code"]
                .sudo()
                .search(
                    [("backend_id", "=", state.backend.id), ("vat_type", "=", "sales")],
                    order="code",
                )
            ):
                for tax in vat.tax_id | vat.tax_services_id:
                    cache.setdefault(tax.id, (vat.code, Decimal(str(vat.rate))))
            state.shop_vat_codes = cache
        return cache

    def _shop_credit_code(self, tax_ids, label, codes, missing):
        """``(VAT code or "", rate)`` of a credit line's taxes; ``(None, None)`` (and why in
        ``missing``) when they map to none."""
        _ = self.env._
        if not tax_ids:
            return "", None
        if len(tax_ids) > 1:
            missing.append(
                _("Sales with several taxes (%s) cannot go to one e-conomic VAT code.", label)
            )
            return None, None
        if tax_ids[0] in codes:
            return codes[tax_ids[0]]
        tax = self.env["account.tax"].browse(tax_ids[0])
        if tax.amount_type == "percent" and not tax.amount:
            return "", Decimal(0)  # VAT-free: an entry without a VAT code
        missing.append(
            _(
                "Map the Odoo tax %(tax)s to an e-conomic VAT code under %(menu)s.",
                tax=tax.display_name,
                menu=self.env["economic.vat.code"]._economic_menu(),
            )
        )
        return None, None

    def _shop_sales_account(self, state, account_id, code, missing):
        """The e-conomic sales account of an Odoo income account: of the e-conomic accounts
        mapped to it, the one whose VAT code is the line's (sales with and without VAT may
        share an Odoo account), else the first."""
        numbers = self._shop_account_numbers(state).get(account_id) or []
        if not numbers:
            account = self.env["account.account"].browse(account_id)
            missing.append(
                self.env._(
                    "Map an e-conomic sales account to the Odoo account %(account)s under "
                    "%(menu)s.",
                    account=account.display_name,
                    menu=self.env["economic.account"]._economic_menu(),
                )
            )
            return None
        same = [number for number, vat in numbers if code is not None and vat == code]
        return same[0] if same else numbers[0][0]

    # ================================================================== both
    def _shop_payment_lines(self, facts):
        return [
            {
                "kind": "payment",
                "label": row.label,
                "economic_account": row.economic_account or False,
                "amount": float(row.amount),
            }
            for row in facts.payments
        ]

    @staticmethod
    def _shop_totals(facts, content):
        net = sum((money(s.net) for s in facts.sales), Decimal(0))
        vat = sum((money(s.vat) for s in facts.sales), Decimal(0))
        paid = sum((money(p.amount) for p in facts.payments), Decimal(0))
        return {
            "net_amount": float(net),
            "vat_amount": float(vat),
            "gross_amount": float(net + vat),
            "payment_amount": float(paid),
            "content_totals": content_totals(content),
        }
