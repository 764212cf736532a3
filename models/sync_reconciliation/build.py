"""The reconciliation report's rows, rebuilt per connection from the snapshot mirrors and the
bindings by a few grouped queries (never one per record): customers and suppliers bound / only
in Odoo / only in e-conomic; per customer, e-conomic's balance beside the open amount of its
bound booked invoices; per month, booked invoices and credit notes on both sides; each invoice
whose totals differ or which only one side has. Differences come first, one row each; what
agrees is one summary row per kind, which opens the records too."""

import json
from datetime import date

from odoo import models

from ..economic_binding_mixin import with_backend_company

PARTY_KINDS = ("customer", "supplier")
#: the live top-level partner bindings of a connection and kind (contacts are not compared)
LIVE_BINDING = """b.backend_id = %(backend)s AND b.kind = %(kind)s AND b.parent_binding_id IS NULL
                  AND NOT COALESCE(b.remote_archived, false)"""
#: the connection's Odoo invoices booked in e-conomic, with their move (``ib``, ``m``)
BOOKED_MOVES = """economic_invoice_binding ib JOIN account_move m ON m.id = ib.move_id
                  WHERE ib.backend_id = %(backend)s AND ib.doc_state = 'booked'
                    AND ib.booked_number IS NOT NULL AND m.state = 'posted'"""


def _domain(*conditions):
    return json.dumps([list(condition) for condition in conditions])


def _month_bounds(month):
    year, number = (int(part) for part in month.split("-"))
    start = date(year, number, 1)
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start.isoformat(), end.isoformat()


def _differs(left, right):
    return round((left or 0.0) - (right or 0.0), 2) != 0


class EconomicReconciliationBuild(models.Model):
    _inherit = "economic.reconciliation.line"

    def _rebuild(self, backend):
        """Replace the rows of ``backend``'s report with rows computed now."""
        self.env.flush_all()
        compare = not backend._economic_foreign_currency()
        params = {"backend": backend.id}
        rows = []
        for kind in PARTY_KINDS:
            rows += self._party_rows(backend, dict(params, kind=kind))
        rows += self._balance_rows(backend, dict(params, kind="customer"), compare)
        rows += self._supplier_balance_rows(backend, params, compare)
        rows += self._month_rows(backend, params, compare)
        rows += self._invoice_rows(backend, params, compare)
        self.env.cr.execute(
            "DELETE FROM economic_reconciliation_line WHERE backend_id = %s", (backend.id,)
        )
        self.invalidate_model()
        for sequence, row in enumerate(rows):
            row.update(backend_id=backend.id, sequence=sequence)
        return self.sudo().create(with_backend_company(self.env, rows))

    def _fetch(self, query, params):
        self.env.cr.execute(query, params)
        return self.env.cr.dictfetchall()

    # ------------------------------------------------------------------ (a) partners
    def _party_rows(self, backend, params):
        _ = self.env._
        label = dict(
            self.env["economic.reconciliation.party"]
            ._fields["kind"]
            ._description_selection(self.env)
        )[params["kind"]]
        bound = self._fetch(
            f"""SELECT b.partner_id, b.economic_key, rp.name, p.id AS snapshot_id
                  FROM economic_partner_binding b
                  JOIN res_partner rp ON rp.id = b.partner_id
             LEFT JOIN economic_reconciliation_party p
                    ON p.backend_id = b.backend_id AND p.kind = b.kind
                   AND p.number = b.economic_number
                 WHERE {LIVE_BINDING}
              ORDER BY b.economic_number""",
            params,
        )
        agreeing = [row["partner_id"] for row in bound if row["snapshot_id"]]
        rows = [
            self._row(
                "partners",
                _(
                    "%(kind)s %(number)s %(name)s",
                    kind=label,
                    number=row["economic_key"],
                    name=row["name"],
                ),
                _("Bound to a number e-conomic no longer has."),
                "res.partner",
                _domain(("id", "=", row["partner_id"])),
                partner_id=row["partner_id"],
                economic_key=row["economic_key"],
                odoo_count=1,
            )
            for row in bound
            if not row["snapshot_id"]
        ]
        for partner in self._odoo_only_partners(backend, params):
            rows.append(
                self._row(
                    "partners",
                    _("%(kind)s %(name)s", kind=label, name=partner.display_name),
                    _("Only in Odoo: not in e-conomic (never pushed or not bound)."),
                    "res.partner",
                    _domain(("id", "=", partner.id)),
                    partner_id=partner.id,
                    odoo_count=1,
                )
            )
        rows += [
            self._row(
                "partners",
                _(
                    "%(kind)s %(number)s %(name)s",
                    kind=label,
                    number=row["number"],
                    name=row["name"] or "",
                ),
                _("Only in e-conomic: bound to no Odoo partner."),
                "economic.reconciliation.party",
                _domain(("id", "=", row["id"])),
                economic_key=str(row["number"]),
                economic_count=1,
            )
            for row in self._economic_only_parties(params)
        ]
        rows.append(
            self._row(
                "partners",
                self._party_summary(params["kind"], len(agreeing)),
                _("Bound in Odoo and present in e-conomic."),
                "res.partner",
                _domain(("id", "in", agreeing)),
                difference_row=False,
                odoo_count=len(agreeing),
                economic_count=len(agreeing),
            )
        )
        return rows

    def _party_summary(self, kind, count):
        if kind == "customer":
            return self.env._("%(count)s customers bound and in both", count=count)
        return self.env._("%(count)s suppliers bound and in both", count=count)

    def _economic_only_parties(self, params):
        return self._fetch(
            f"""SELECT p.id, p.number, p.name FROM economic_reconciliation_party p
                 WHERE p.backend_id = %(backend)s AND p.kind = %(kind)s
                   AND NOT EXISTS (SELECT 1 FROM economic_partner_binding b
                                    WHERE {LIVE_BINDING} AND b.economic_number = p.number)
              ORDER BY p.number""",
            params,
        )

    def _odoo_only_partners(self, backend, params):
        """Partners the push would send to this agreement (as sync_partner chooses them: the
        company's, shared ones where the connection pushes them, of the kind's rank, within
        the kind's Push Only domain) that have no live binding of the kind."""
        rank = "customer_rank" if params["kind"] == "customer" else "supplier_rank"
        self.env.cr.execute(
            f"""SELECT p.id FROM res_partner p
                 WHERE p.active AND p.parent_id IS NULL AND p.{rank} > 0
                   AND (p.company_id = %(company)s OR (p.company_id IS NULL AND %(shared)s))
                   AND NOT EXISTS (SELECT 1 FROM economic_partner_binding b
                                    WHERE {LIVE_BINDING} AND b.partner_id = p.id)
              ORDER BY p.id""",
            dict(params, company=backend.company_id.id, shared=backend._pushes_shared_partners()),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        setting = backend._entity_setting(params["kind"])
        domain = setting._get_push_domain() if setting else []
        return self.env["res.partner"].sudo().search([("id", "in", ids), *domain], order="id")

    # ------------------------------------------------------------------ (b) balances
    def _balance_rows(self, backend, params, compare):
        _ = self.env._
        customers = self._fetch(
            f"""WITH open AS (SELECT m.commercial_partner_id AS partner_id, COUNT(*) AS count,
                                     SUM(m.amount_residual_signed) AS amount
                                FROM {BOOKED_MOVES} GROUP BY m.commercial_partner_id)
                SELECT b.partner_id, b.economic_key, rp.name, p.balance,
                       COALESCE(o.count, 0) AS count, COALESCE(o.amount, 0) AS amount
                  FROM economic_partner_binding b
                  JOIN res_partner rp ON rp.id = b.partner_id
                  JOIN economic_reconciliation_party p
                    ON p.backend_id = b.backend_id AND p.kind = b.kind
                   AND p.number = b.economic_number
             LEFT JOIN open o ON o.partner_id = b.partner_id
                 WHERE {LIVE_BINDING}
              ORDER BY b.economic_number""",
            params,
        )
        rows, agreeing = [], []
        for row in customers:
            if not compare or not _differs(row["balance"], row["amount"]):
                agreeing.append(row["partner_id"])
                continue
            rows.append(
                self._row(
                    "balances",
                    _("Customer %(number)s %(name)s", number=row["economic_key"], name=row["name"]),
                    _(
                        "e-conomic's balance is not the open amount of the customer's invoices "
                        "booked in e-conomic (a payment, credit note or entry on one side only)."
                    ),
                    "account.move",
                    self._partner_moves_domain(backend, row["partner_id"]),
                    partner_id=row["partner_id"],
                    economic_key=row["economic_key"],
                    odoo_count=row["count"],
                    odoo_amount=row["amount"],
                    economic_amount=row["balance"],
                )
            )
        note = (
            _("e-conomic's balance equals the open amount of the bound invoices.")
            if compare
            else backend._reconciliation_currency_warning()
        )
        rows.append(
            self._row(
                "balances",
                _("%(count)s customers whose balance agrees", count=len(agreeing)),
                note,
                "res.partner",
                _domain(("id", "in", agreeing)),
                difference_row=False,
                odoo_count=len(agreeing),
                economic_count=len(agreeing),
            )
        )
        return rows

    def _partner_moves_domain(self, backend, partner_id):
        return _domain(
            ("economic_backend_id", "=", backend.id),
            ("economic_booked_number", "!=", False),
            ("state", "=", "posted"),
            ("commercial_partner_id", "=", partner_id),
        )

    # ------------------------------------------------------------------ (c) months
    def _month_rows(self, backend, params, compare):
        _ = self.env._
        sides = {}
        for side, query in (
            (
                "economic",
                """SELECT to_char(date, 'YYYY-MM') AS month, is_credit_note AS credit,
                                   COUNT(*) AS count, SUM(gross_base) AS amount
                              FROM economic_reconciliation_invoice
                             WHERE backend_id = %(backend)s AND date IS NOT NULL
                          GROUP BY 1, 2""",
            ),
            (
                "odoo",
                f"""SELECT to_char(m.invoice_date, 'YYYY-MM') AS month,
                                m.move_type = 'out_refund' AS credit,
                                COUNT(*) AS count, SUM(m.amount_total_signed) AS amount
                           FROM {BOOKED_MOVES} AND m.invoice_date IS NOT NULL GROUP BY 1, 2""",
            ),
        ):
            for row in self._fetch(query, params):
                sides.setdefault((row["month"], bool(row["credit"])), {})[side] = row
        rows, agreeing = [], 0
        for (month, credit), both in sorted(sides.items(), reverse=True):
            ours, theirs = both.get("odoo", {}), both.get("economic", {})
            counts = (ours.get("count", 0), theirs.get("count", 0))
            amounts = (ours.get("amount") or 0.0, theirs.get("amount") or 0.0)
            if counts[0] == counts[1] and not (compare and _differs(*amounts)):
                agreeing += 1
                continue
            what = _("credit notes") if credit else _("invoices")
            rows.append(
                self._row(
                    "months",
                    _("%(month)s %(what)s", month=month, what=what),
                    _("The booked %(what)s of the month differ in number or total.", what=what),
                    *self._month_open(backend, month, credit, counts),
                    month=month,
                    odoo_count=counts[0],
                    economic_count=counts[1],
                    odoo_amount=amounts[0],
                    economic_amount=amounts[1],
                )
            )
        rows.append(
            self._row(
                "months",
                _("%(count)s months and kinds agree", count=agreeing),
                _("Booked invoices and credit notes: equal count and total."),
                "account.move",
                _domain(
                    ("economic_backend_id", "=", backend.id),
                    ("economic_booked_number", "!=", False),
                ),
                difference_row=False,
            )
        )
        return rows

    def _month_open(self, backend, month, credit, counts):
        """A month opens its Odoo moves, or e-conomic's snapshot rows when e-conomic has more."""
        start, end = _month_bounds(month)
        if counts[0] >= counts[1]:
            return "account.move", _domain(
                ("economic_backend_id", "=", backend.id),
                ("economic_booked_number", "!=", False),
                ("state", "=", "posted"),
                ("move_type", "=", "out_refund" if credit else "out_invoice"),
                ("invoice_date", ">=", start),
                ("invoice_date", "<", end),
            )
        return "economic.reconciliation.invoice", _domain(
            ("backend_id", "=", backend.id),
            ("is_credit_note", "=", credit),
            ("date", ">=", start),
            ("date", "<", end),
        )

    # ------------------------------------------------------------------ (d) invoices
    def _invoice_rows(self, backend, params, compare):
        _ = self.env._
        pairs = self._fetch(
            f"""SELECT COALESCE(i.booked_number, o.booked_number) AS number, i.id AS snapshot_id,
                       i.gross_base, i.customer_name, o.move_id, o.amount, o.name,
                       o.partner_id
                  FROM (SELECT * FROM economic_reconciliation_invoice
                         WHERE backend_id = %(backend)s) i
       FULL OUTER JOIN (SELECT ib.booked_number, m.id AS move_id, m.name,
                               m.amount_total_signed AS amount,
                               m.commercial_partner_id AS partner_id
                          FROM {BOOKED_MOVES}) o ON o.booked_number = i.booked_number
                 WHERE i.id IS NULL OR o.move_id IS NULL
                    OR (%(compare)s AND ROUND((i.gross_base - o.amount)::numeric, 2) <> 0)
              ORDER BY 1 DESC""",
            dict(params, compare=compare),
        )
        rows = [self._invoice_row(row) for row in pairs]
        self.env.cr.execute(
            f"""SELECT COUNT(*) FROM {BOOKED_MOVES}
                   AND EXISTS (SELECT 1 FROM economic_reconciliation_invoice i
                                WHERE i.backend_id = ib.backend_id
                                  AND i.booked_number = ib.booked_number)""",
            params,
        )
        agreeing = self.env.cr.fetchone()[0] - sum(
            1 for row in pairs if row["snapshot_id"] and row["move_id"]
        )
        rows.append(
            self._row(
                "invoices",
                _("%(count)s booked invoices agree", count=agreeing),
                _("Booked in e-conomic and bound in Odoo with equal totals."),
                "account.move",
                _domain(
                    ("economic_backend_id", "=", backend.id),
                    ("economic_booked_number", "!=", False),
                ),
                difference_row=False,
                odoo_count=agreeing,
                economic_count=agreeing,
            )
        )
        return rows

    def _invoice_row(self, row):
        _ = self.env._
        label = _(
            "Invoice %(number)s %(name)s", number=row["number"], name=row["customer_name"] or ""
        )
        values = dict(economic_key=str(row["number"]), partner_id=row["partner_id"] or False)
        if not row["move_id"]:
            return self._row(
                "invoices",
                label,
                _("Only in e-conomic: booked there, not in Odoo."),
                "economic.reconciliation.invoice",
                _domain(("id", "=", row["snapshot_id"])),
                economic_count=1,
                economic_amount=row["gross_base"],
                **values,
            )
        if not row["snapshot_id"]:
            return self._row(
                "invoices",
                _("Invoice %(number)s %(name)s", number=row["number"], name=row["name"]),
                _("Only in Odoo: e-conomic no longer has this booked invoice."),
                "account.move",
                _domain(("id", "=", row["move_id"])),
                odoo_count=1,
                odoo_amount=row["amount"],
                **values,
            )
        return self._row(
            "invoices",
            label,
            _("The totals differ (%(move)s).", move=row["name"]),
            "account.move",
            _domain(("id", "=", row["move_id"])),
            odoo_count=1,
            economic_count=1,
            odoo_amount=row["amount"],
            economic_amount=row["gross_base"],
            **values,
        )

    # ------------------------------------------------------------------ a row
    def _row(self, section, label, note, open_model, open_domain, difference_row=True, **values):
        values.update(
            section=section,
            label=label,
            note=note,
            open_model=open_model,
            open_domain=open_domain,
            is_difference=difference_row,
        )
        values["odoo_amount"] = round(values.get("odoo_amount") or 0.0, 2)
        values["economic_amount"] = round(values.get("economic_amount") or 0.0, 2)
        values["difference"] = round(values["economic_amount"] - values["odoo_amount"], 2)
        return values
