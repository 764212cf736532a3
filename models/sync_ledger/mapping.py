"""The automatic mapping of e-conomic's VAT codes and chart of accounts to Odoo (issue 15 §1).

VAT codes first: e-conomic's standard Danish codes to the Danish chart's taxes by their template
XML ids (``const.DANISH_VAT_CODES``), other codes (and other charts) to the one Odoo tax of the
same use, rate and reverse charge.

Then accounts, by role first, from what e-conomic says an account is for:

* a customer group's account is the company's receivable, a supplier group's its payable;
* a VAT code's account (and contra account) is where the mapped Odoo tax books its VAT (the
  tax's repartition accounts: never the kind rule, as Odoo types 7740 Købsmoms a liability);
* a journal's contra account is the bank (or cash) journal's account;
* a product group's sales account for a VAT zone is the income account Odoo uses for a sale in
  that zone (the default income account, through the zone's fiscal position).

Then an equal number only where the kinds and the names agree (between two charts an equal
number means nothing by itself). Anything else stays unmapped with a suggestion (by name, by
role) the accountant confirms in one click, and a reason the views show. Never across kinds:
an account is only ever mapped to an Odoo account of a compatible type
(``const.COMPATIBLE_TYPES``), a role to the types of its role (``const.ROLE_TYPES``).

Mappings set by hand are never touched. A pass maps what is not mapped yet; ``redo`` (the
connection's Re-run Automatic Mapping, the 18.0.1.2.0 migration) first clears the automatic
ones. Queries per run do not grow with the number of accounts (writes are flushed in batches).
"""

import json
from collections import defaultdict, namedtuple

from odoo import models
from odoo.tools import float_compare

from .const import (
    BALANCE_TYPES,
    BANK_WORDS,
    CASH_WORDS,
    COMPATIBLE_TYPES,
    DANISH_FISCAL_POSITIONS,
    DANISH_VAT_CODES,
    NAME_SUGGESTION_SCORE,
    ROLE_TYPES,
)
from .odoo_side import OdooSide
from .vat_code import TAX_USE

#: what e-conomic says an account is for: the role, the Odoo account it points at, and what
#: gives it the role (group, VAT code, journal names)
Role = namedtuple("Role", "kind target detail")

#: an account's or VAT code's automatic mapping, cleared
ACCOUNT_CLEARED = {
    "account_id": False,
    "suggested_account_id": False,
    "map_reason": False,
    "map_detail": False,
}
VAT_CLEARED = {
    "tax_id": False,
    "tax_services_id": False,
    "suggested_tax_id": False,
    "map_reason": False,
    "map_detail": False,
}


#: the mapping's relational fields: written in one batch per value (their company check costs
#: queries per write), the others record by record (flushed in batches)
RELATIONAL = frozenset(
    {"account_id", "suggested_account_id", "tax_id", "tax_services_id", "suggested_tax_id"}
)


def _write_changes(records, changes):
    """Write ``[(record, values)]`` on ``records``' model, the relations grouped by value."""
    by_value = defaultdict(list)
    for record, vals in changes:
        relations = tuple(sorted((k, v) for k, v in vals.items() if k in RELATIONAL))
        if relations:
            by_value[relations].append(record.id)
        plain = {k: v for k, v in vals.items() if k not in RELATIONAL}
        if plain:
            record.write(plain)
    for relations, ids in by_value.items():
        records.browse(ids).write(dict(relations))


def _changed(record, vals):
    """The values of ``vals`` that ``record`` does not hold yet (relations by id)."""
    out = {}
    for fname, value in vals.items():
        current = record[fname]
        if record._fields[fname].type == "many2one":
            current = current.id
        if (current or False) != (value or False):
            out[fname] = value
    return out


class EconomicSyncLedgerMapping(models.AbstractModel):
    _inherit = "economic.sync.ledger"

    def _auto_map_ledger(self, backend, redo=False):
        """Map the connection's VAT codes, then its accounts (the module's docstring);
        ``redo`` clears the automatic mappings first. Returns ``[(record, before, after)]``
        of the mappings that changed (records of either model)."""
        context = {"economic_sync_write": True, "active_test": False}
        codes = self.env["economic.vat.code"].sudo().with_context(**context)
        codes = codes.search([("backend_id", "=", backend.id)])
        accounts = self.env["economic.account"].sudo().with_context(**context)
        accounts = accounts.search([("backend_id", "=", backend.id)])
        before = {vat: vat.tax_id for vat in codes}
        before.update({account: account.account_id for account in accounts})
        if redo:
            codes.filtered(lambda v: not v.tax_manual).write(VAT_CLEARED)
            accounts.filtered(lambda a: not a.account_manual).write(ACCOUNT_CLEARED)
        side = OdooSide(self.env, backend.company_id)
        self._map_vat_codes(codes, side)
        self._map_accounts(backend, accounts, codes, side)
        self.env.flush_all()
        changes = []
        for record, old in before.items():
            new = record.tax_id if record._name == "economic.vat.code" else record.account_id
            if new != old:
                changes.append((record, old, new))
        return changes

    # ================================================================== VAT codes
    def _map_vat_codes(self, codes, side):
        todo = codes.filtered(lambda v: v.active and not v.tax_manual and not v.tax_id)
        if not todo:
            return
        rows = {v.code: DANISH_VAT_CODES[v.code] for v in todo if v.code in DANISH_VAT_CODES}
        taxes = side.refs(
            "account.tax", [t for row in rows.values() for t in (row.tax, row.services_tax)]
        )
        candidates = self._tax_candidates(side)
        changes = []
        for vat in todo:
            vals = self._vat_mapping(vat, rows.get(vat.code), taxes, candidates, side)
            changes.append((vat, _changed(vat, vals)))
        _write_changes(todo, changes)

    def _tax_candidates(self, side):
        """``{(use, rate, reverse charge): [taxes]}`` of the company's active percent taxes."""
        Tax = self.env["account.tax"].sudo().with_company(side.company)
        taxes = Tax.search(
            [
                *Tax._check_company_domain(side.company),
                ("amount_type", "=", "percent"),
                ("type_tax_use", "in", ("sale", "purchase")),
            ]
        )
        out = defaultdict(list)
        for tax in taxes:
            reverse = any(line.factor_percent < 0 for line in tax.invoice_repartition_line_ids)
            out[(tax.type_tax_use, round(tax.amount, 4), reverse)].append(tax)
        return out

    def _vat_mapping(self, vat, row, taxes, candidates, side):
        """The mapping values of one VAT code: the Danish chart's tax of a standard code, else
        the one tax of the same use, rate and reverse charge; a suggestion otherwise."""
        vals = dict(VAT_CLEARED)
        tax = taxes.get(row.tax) if row else None
        if tax:
            standard = vat.vat_type == row.vat_type and float_compare(vat.rate, row.rate, 4) == 0
            if not tax.active or not standard or not row.automatic:
                reason = "inactive" if not tax.active else "shape" if not standard else "standard"
                vals.update(suggested_tax_id=tax.id, map_reason=reason, map_detail=tax.name)
                return vals
            services = taxes.get(row.services_tax)
            vals.update(
                tax_id=tax.id,
                tax_services_id=services.id if services and services.active else False,
                map_reason="danish_chart",
            )
            return vals
        if vat.vat_type not in TAX_USE:
            vals["map_reason"] = "type"
            return vals
        use = TAX_USE[vat.vat_type]
        found = candidates.get((use, round(vat.rate, 4), vat.vat_type == "reverse_charge"), [])
        if len(found) == 1:
            vals.update(tax_id=found[0].id, map_reason="rate")
        elif found:
            default = side.company["account_%s_tax_id" % use]
            vals.update(
                suggested_tax_id=default.id if default in found else False,
                map_reason="ambiguous",
                map_detail=", ".join(tax.name for tax in found),
            )
        else:
            vals["map_reason"] = "none"
        return vals

    # ================================================================== accounts
    def _map_accounts(self, backend, accounts, codes, side):
        todo = accounts.filtered(
            lambda a: a.active and a.postable and not a.account_manual and not a.account_id
        )
        if not todo:
            return
        roles = self._account_roles(backend, accounts, codes, side)
        changes = []
        for account in todo:
            vals = self._account_mapping(account, roles.get(account.account_number, ()), side)
            changes.append((account, _changed(account, vals)))
        _write_changes(todo, changes)

    def _account_roles(self, backend, accounts, codes, side):
        """``{e-conomic account number: [Role]}`` from the connection's groups, VAT codes,
        journals and product groups (read from the database: the references and mirrors)."""
        roles = defaultdict(set)
        refs = (
            self.env["economic.reference"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", backend.id),
                    (
                        "kind",
                        "in",
                        ("customer_group", "supplier_group", "product_group", "vat_zone"),
                    ),
                ]
            )
        )
        targets = {"customer_group": side.receivable, "supplier_group": side.payable}
        for group in refs.filtered(lambda r: r.kind in targets):
            number = (group._data_dict().get("account") or {}).get("accountNumber")
            if number and targets[group.kind]:
                roles[number].add(Role(group.kind, targets[group.kind], group.name))
        self._vat_roles(roles, codes)
        self._journal_roles(roles, accounts, side)
        self._sales_roles(roles, refs, side)
        return {
            number: sorted(found, key=lambda r: (r.kind, r.detail or ""))
            for number, found in roles.items()
        }

    @staticmethod
    def _vat_roles(roles, codes):
        """A VAT code's account books what its Odoo tax books on its positive repartition
        lines; its contra account what the tax takes back on its negative ones."""
        for vat in codes.filtered(lambda v: v.active and v.tax_id):
            for tax in vat.tax_id | vat.tax_services_id:
                for line in tax.invoice_repartition_line_ids:
                    if line.repartition_type != "tax" or not line.account_id:
                        continue
                    number = (
                        vat.account_number if line.factor_percent > 0 else vat.contra_account_number
                    )
                    if number:
                        roles[number].add(Role("vat_code", line.account_id, vat.code))

    @staticmethod
    def _journal_roles(roles, accounts, side):
        """A journal's contra account: the bank journal's account (the cash journal's when its
        name says cash); several such journals in Odoo make it a suggestion."""
        for account in accounts.filtered(lambda a: a.active and a.journal_names):
            cash = bool(CASH_WORDS.search(account.name or ""))
            for target in side.cash_accounts if cash else side.bank_accounts:
                roles[account.account_number].add(Role("journal", target, account.journal_names))

    @staticmethod
    def _sales_roles(roles, refs, side):
        """A product group's sales account for a VAT zone: the income account Odoo uses for a
        sale in the zone (the zone's fiscal position of the Danish chart applied)."""
        scopes = {zone.number: zone.vat_scope for zone in refs if zone.kind == "vat_zone"}
        positions = side.refs("account.fiscal.position", list(DANISH_FISCAL_POSITIONS.values()))
        for group in refs.filtered(lambda r: r.kind == "product_group" and r.active):
            try:
                sales = json.loads(group.sales_accounts or "{}")
            except ValueError:
                continue
            for zone, number in sales.items():
                position = positions.get(DANISH_FISCAL_POSITIONS.get(scopes.get(str(zone))))
                target = side.income_of(position or side.env["account.fiscal.position"])
                if target and str(number).isdigit():
                    roles[int(number)].add(Role("sales", target, group.name))

    def _account_mapping(self, account, roles, side):
        """The mapping values of one account: by role, else by equal number where kinds and
        names agree, else a suggestion (or none) with its reason."""
        vals = dict(ACCOUNT_CLEARED)
        kinds = COMPATIBLE_TYPES.get((account.account_type, account.debit_credit), ())
        profit_and_loss = account.account_type == "profitAndLoss"

        def fits(role):
            return (
                role.target.account_type in ROLE_TYPES[role.kind]
                and (role.target.account_type in BALANCE_TYPES) != profit_and_loss
            )

        fitting = [role for role in roles if fits(role)]
        targets = list(dict.fromkeys(role.target for role in fitting))
        if len(targets) == 1 and len(fitting) == len(roles):
            kind = fitting[0].kind
            details = sorted({role.detail for role in fitting if role.kind == kind and role.detail})
            vals.update(account_id=targets[0].id, map_reason=kind, map_detail=", ".join(details))
            return vals
        if targets:
            vals.update(
                suggested_account_id=targets[0].id,
                map_reason="conflict",
                map_detail=", ".join(target.code for target in targets),
            )
            return vals
        same = side.by_code.get(str(account.account_number))
        if same and same.account_type in kinds:
            if side.name_score(same, account.name) >= NAME_SUGGESTION_SCORE:
                vals.update(account_id=same.id, map_reason="number")
                return vals
        suggestion, reason = self._account_suggestion(account, kinds, side)
        if suggestion:
            vals.update(
                suggested_account_id=suggestion.id,
                map_reason=reason,
                map_detail=suggestion.display_name,
            )
        elif same:
            vals.update(map_reason="other_meaning", map_detail=same.display_name)
        else:
            vals["map_reason"] = "none"
        return vals

    @staticmethod
    def _account_suggestion(account, kinds, side):
        """The Odoo account of a compatible kind whose name agrees best (a clear winner only),
        else the bank or cash journal's account when the name says bank or cash."""
        best, best_score, tie = None, NAME_SUGGESTION_SCORE, False
        for candidate in side.accounts:
            if candidate.account_type not in kinds:
                continue
            score = side.name_score(candidate, account.name)
            if score > best_score or (best is None and score >= best_score):
                best, best_score, tie = candidate, score, False
            elif best is not None and score == best_score:
                tie = True
        if best is not None and not tie:
            return best, "name"
        if account.account_type == "status" and account.debit_credit == "debit":
            if CASH_WORDS.search(account.name or "") and side.cash_accounts:
                return side.cash_accounts[0], "cash_name"
            if BANK_WORDS.search(account.name or "") and side.bank_accounts:
                return side.bank_accounts[0], "bank_name"
        return None, None
