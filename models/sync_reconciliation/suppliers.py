"""Per supplier: what e-conomic says is still owed (the remainders of its supplier-invoice
creditor entries in the journal entries mirror: e-conomic's suppliers carry no balance) beside
the open amount of the supplier's bound Odoo bills (Purchases). Both in the company's currency
and signed as the ledger has them (a bill owed is negative, a credit note positive). Only while
Purchases are pulled: without bills in Odoo every supplier would differ."""

from odoo import models

from .build import _differs, _domain

SUPPLIER_OPEN = """
    WITH econ AS (
        SELECT e.supplier_number AS number, SUM(e.remainder_base) AS amount,
               COUNT(*) FILTER (WHERE e.remainder <> 0) AS count
          FROM economic_entry e
         WHERE e.backend_id = %(backend)s AND e.entry_type = 'supplierInvoice'
           AND e.supplier_number > 0 AND COALESCE(e.customer_number, 0) = 0
           AND (%(date_from)s::date IS NULL OR e.date >= %(date_from)s::date)
         GROUP BY e.supplier_number),
    odoo AS (
        SELECT pb.supplier_number AS number, SUM(m.amount_residual_signed) AS amount,
               COUNT(*) FILTER (WHERE m.amount_residual_signed <> 0) AS count
          FROM economic_purchase_binding pb JOIN account_move m ON m.id = pb.move_id
         WHERE pb.backend_id = %(backend)s AND m.state = 'posted'
         GROUP BY pb.supplier_number)
    SELECT COALESCE(econ.number, odoo.number) AS number,
           COALESCE(econ.amount, 0) AS economic_amount, COALESCE(econ.count, 0) AS economic_count,
           COALESCE(odoo.amount, 0) AS odoo_amount, COALESCE(odoo.count, 0) AS odoo_count,
           b.partner_id, rp.name
      FROM econ FULL OUTER JOIN odoo ON odoo.number = econ.number
 LEFT JOIN economic_partner_binding b
        ON b.backend_id = %(backend)s AND b.kind = 'supplier' AND b.parent_binding_id IS NULL
       AND NOT COALESCE(b.remote_archived, false)
       AND b.economic_key = COALESCE(econ.number, odoo.number)::text
 LEFT JOIN res_partner rp ON rp.id = b.partner_id
  ORDER BY 1"""


class EconomicReconciliationSuppliers(models.Model):
    _inherit = "economic.reconciliation.line"

    def _supplier_balance_rows(self, backend, params, compare):
        setting = backend._entity_setting("purchase")
        if not (setting and setting.pull):
            return []
        _ = self.env._
        suppliers = self._fetch(
            SUPPLIER_OPEN, dict(params, date_from=backend.purchase_date_from or None)
        )
        rows, agreeing = [], []
        for row in suppliers:
            if not compare or not _differs(row["economic_amount"], row["odoo_amount"]):
                if row["partner_id"]:
                    agreeing.append(row["partner_id"])
                continue
            rows.append(
                self._row(
                    "supplier_balances",
                    _(
                        "Supplier %(number)s %(name)s",
                        number=row["number"],
                        name=row["name"] or _("(not bound)"),
                    ),
                    _(
                        "What e-conomic says is owed on the supplier's invoices is not the open "
                        "amount of its bills in Odoo (a bill not made yet, a payment on one "
                        "side only)."
                    ),
                    "account.move",
                    _domain(
                        ("economic_purchase_backend_id", "=", backend.id),
                        ("commercial_partner_id", "=", row["partner_id"] or 0),
                    ),
                    partner_id=row["partner_id"] or False,
                    economic_key=str(row["number"]),
                    odoo_count=row["odoo_count"],
                    economic_count=row["economic_count"],
                    odoo_amount=row["odoo_amount"],
                    economic_amount=row["economic_amount"],
                )
            )
        rows.append(
            self._row(
                "supplier_balances",
                _("%(count)s suppliers whose open amount agrees", count=len(agreeing)),
                _("What e-conomic says is owed equals the open amount of the bound bills.")
                if compare
                else backend._reconciliation_currency_warning(),
                "res.partner",
                _domain(("id", "in", agreeing)),
                difference_row=False,
                odoo_count=len(agreeing),
                economic_count=len(agreeing),
            )
        )
        return rows
