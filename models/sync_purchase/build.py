"""Supplier invoices booked in e-conomic as Odoo vendor bills, to the cent.

One line per expense entry: its net amount, the Odoo account its e-conomic account is mapped to
and the Odoo tax its VAT code is mapped to (a missing mapping stops that bill with a message
naming what to map; the lookups are cached per batch, never one query per line). Before the
bill is posted, its journal items are made e-conomic's entries:

* each expense line carries its entry's amount, the payable line the creditor entries' total;
* the VAT is e-conomic's VAT entries' total: a difference of rounding (a cent per taxed line at
  most) goes into the tax amount, as a user edits it in Odoo; anything bigger stops the bill
  with both amounts (the Odoo taxes are not e-conomic's VAT codes);
* in a company whose currency is the agreement's base currency, a foreign-currency bill gets
  e-conomic's rate (the creditor entry's amount in base currency over its amount) and its
  company-currency amounts are the entries' ``amountInBaseCurrency`` (a cent of conversion of
  the VAT on its biggest line).

e-conomic signs entries as Odoo signs journal items (debit positive), bill and credit alike.
"""

import logging
from decimal import Decimal

from odoo import Command, fields, models

from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import RecordError
from ..sync_invoice.totals import write_line_amounts
from .const import BINDING, ENTITY, payment_status
from .groups import CENT, dec

_logger = logging.getLogger(__name__)
SYNC_WRITE = "economic_sync_write"


class EconomicSyncPurchaseBuild(models.AbstractModel):
    _inherit = "economic.sync.purchase"

    # ------------------------------------------------------------------ a batch
    def _create_bills(self, state, invoices):
        """Build, match to the cent, post and bind the bills of ``invoices``; each bill alone
        under a savepoint when the batch fails, so one bad bill is logged and never stops the
        others."""
        ctx = self._bill_context(state, invoices)
        prepared = []
        for invoice in invoices:
            try:
                prepared.append((invoice, self._bill_vals(state, ctx, invoice)))
            except RECORD_ERRORS as error:
                self._purchase_error(state, invoice, error)
        if not prepared:
            return
        try:
            with self._record_savepoint(state, guard=False):
                self._create_bill_batch(state, prepared)
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info("e-conomic: batch of %s bills failed (%s)", len(prepared), error)
            for item in prepared:
                try:
                    with self._record_savepoint(state):
                        self._create_bill_batch(state, [item])
                except RECORD_ERRORS as error:
                    self._purchase_error(state, item[0], error)

    def _bill_context(self, state, invoices):
        """What the bills are built from: the suppliers' partners (one search), the journal,
        and caches of accounts, taxes and currencies."""
        bindings = (
            self.env["economic.partner.binding"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", "supplier"),
                    ("economic_key", "in", list({str(i.supplier) for i in invoices})),
                ]
            )
        )
        return {
            "journal": state.backend._purchase_journal(),
            "partners": {b.economic_number: b.partner_id.id for b in bindings},
            "accounts": {},
            "taxes": {},
            "currencies": {},
        }

    def _create_bill_batch(self, state, prepared):
        Move = (
            self.env["account.move"]
            .with_company(state.company)
            .with_context(
                **{SYNC_WRITE: True},
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                skip_invoice_sync=False,
            )
        )
        moves = Move.create([vals for _invoice, vals in prepared])
        notes = {}
        for move, (invoice, _vals) in zip(moves, prepared, strict=True):
            notes[move.id] = self._match_entries(state, move, invoice)
        moves.action_post()
        today = fields.Date.context_today(self)
        bindings = (
            self.env[BINDING]
            .sudo()
            .with_context(**{SYNC_WRITE: True})
            .create(
                [
                    self._binding_vals(state, invoice, move, today)
                    for move, (invoice, _vals) in zip(moves, prepared, strict=True)
                ]
            )
        )
        for move, binding in zip(moves, bindings, strict=True):
            state.counts["created"] += 1
            state.log_record(ENTITY, "create", move, binding, message=notes[move.id] or False)
        return bindings

    def _binding_vals(self, state, invoice, move, today):
        first = invoice.first
        remainder = float(sum(dec(e.remainder) for e in invoice.creditors))
        gross = float(abs(invoice.total))
        return {
            "backend_id": state.backend.id,
            "move_id": move.id,
            "economic_key": invoice.key,
            "year": invoice.year,
            "voucher_number": invoice.voucher,
            "supplier_number": invoice.supplier,
            "supplier_invoice_number": invoice.invoice or False,
            "refund": invoice.refund,
            "date": first.date,
            "due_date": first.due_date,
            "currency_code": first.currency_code or False,
            "gross_amount": gross,
            "vat_amount": float(abs(invoice.vat_total)),
            "gross_base": float(abs(invoice.total_base)),
            "remainder": remainder,
            "remainder_base": float(sum(dec(e.remainder_base) for e in invoice.creditors)),
            "payment_status": payment_status(
                remainder, gross, first.due_date, today, invoice.refund
            ),
            "last_synced": fields.Datetime.now(),
        }

    # ------------------------------------------------------------------ one bill
    def _bill_vals(self, state, ctx, invoice):
        """The create values of the Odoo bill of one supplier invoice."""
        partner = ctx["partners"].get(invoice.supplier)
        if not partner:
            raise RecordError(
                self.env._(
                    "Supplier %(supplier)s could not be pulled (the supplier's own line in the "
                    "sync log says why): the bill follows once it is.",
                    supplier=invoice.supplier,
                )
            )
        if not invoice.lines:
            raise RecordError(
                self.env._(
                    "The voucher has no expense entry for this supplier invoice, only its "
                    "creditor and VAT entries: nothing to put on the bill's lines."
                )
            )
        first = invoice.first
        lines = [
            Command.create(self._bill_line(state, ctx, entry, invoice.sign))
            for entry in invoice.lines
        ]
        vals = {
            "move_type": "in_refund" if invoice.refund else "in_invoice",
            "journal_id": ctx["journal"].id,
            "company_id": state.company.id,
            "partner_id": partner,
            "invoice_date": first.date,
            "date": first.date,
            # e-conomic's due date, not one an Odoo payment term of the supplier would compute
            "invoice_payment_term_id": False,
            "invoice_date_due": first.due_date or first.date,
            "currency_id": self._bill_currency(state, ctx, first).id,
            "ref": invoice.invoice or False,
            "invoice_line_ids": lines,
        }
        if first.text:
            vals["narration"] = first.text
        return vals

    def _bill_currency(self, state, ctx, entry):
        code = (entry.currency_code or state.company.currency_id.name).upper()
        if code not in ctx["currencies"]:
            currency = entry.currency_id if entry.currency_id.active else None
            if not currency:
                raise RecordError(
                    self.env._(
                        "The currency %(code)s of an e-conomic supplier invoice is not active "
                        "in Odoo: activate it under %(menu)s.",
                        code=code,
                        menu=self.env["ir.ui.menu"]._economic_menu_path(
                            "account.menu_action_currency_form"
                        ),
                    )
                )
            ctx["currencies"][code] = currency
        return ctx["currencies"][code]

    def _bill_line(self, state, ctx, entry, sign):
        """One expense entry as a bill line: its net amount, mapped account and tax."""
        account = self._cached(
            ctx["accounts"],
            entry.account_number,
            lambda: self.env["economic.account"]._account_for(state.backend, entry.account_number),
        )
        tax = self.env["account.tax"]
        if entry.vat_code:
            tax = self._cached(
                ctx["taxes"],
                entry.vat_code,
                lambda: self.env["economic.vat.code"]._tax_for(state.backend, entry.vat_code),
            )
        return {
            "name": entry.text or account.display_name,
            "quantity": 1,
            "price_unit": float(dec(entry.amount) * sign),
            "account_id": account.id,
            "tax_ids": [Command.set(tax.ids)],
        }

    @staticmethod
    def _cached(cache, key, lookup):
        """``lookup()`` once per batch and key; a missing mapping is raised again for every
        bill that needs it (without asking again)."""
        if key not in cache:
            try:
                cache[key] = lookup()
            except RECORD_ERRORS as error:
                cache[key] = error
        if isinstance(cache[key], Exception):
            raise cache[key]
        return cache[key]

    # ------------------------------------------------------------------ to the cent
    def _match_entries(self, state, move, invoice):
        """Make the draft bill ``move`` e-conomic's entries to the cent (see the module doc);
        returns a note of what was adjusted, or False."""
        in_base = self._bill_in_base(state, move, invoice)
        if in_base:
            rate = float(abs(invoice.total) / abs(invoice.total_base))
            move.with_context(**{SYNC_WRITE: True}).write({"invoice_currency_rate": rate})
        products = move.invoice_line_ids.filtered(lambda li: li.display_type == "product").sorted(
            "id"
        )
        taxes = move.line_ids.filtered(lambda li: li.display_type == "tax")
        term = move.line_ids.filtered(lambda li: li.display_type == "payment_term")
        if len(term) != 1:
            raise RecordError(
                self.env._("The bill has %s payable lines instead of one.", len(term))
            )
        others = move.line_ids - products - taxes - term
        currency = {
            line.id: dec(entry.amount) for line, entry in zip(products, invoice.lines, strict=True)
        }
        currency.update({line.id: dec(line.amount_currency) for line in taxes | others})
        delta = invoice.vat_total - sum((currency[li.id] for li in taxes), Decimal(0))
        if delta:
            self._check_vat_delta(invoice, taxes, delta)
            biggest = max(taxes, key=lambda li: abs(currency[li.id]))
            currency[biggest.id] += delta
        gross = -sum(currency.values(), Decimal(0))
        if gross != invoice.total:
            raise RecordError(
                self.env._(
                    "The Odoo bill totals %(odoo)s where e-conomic booked %(economic)s.",
                    odoo=-gross * invoice.sign,
                    economic=-invoice.total * invoice.sign,
                )
            )
        currency[term.id] = invoice.total
        if in_base is None:  # Odoo's rates (the agreement's base currency is not the company's)
            balance = {li.id: dec(li.balance) for li in move.line_ids - term}
            balance[term.id] = -sum(balance.values(), Decimal(0))
        else:
            balance = self._bill_balances(move, invoice, products, taxes | others, term, currency)
        write_line_amounts(move, currency, balance)
        if delta:
            return self.env._("VAT adjusted by %s to e-conomic's (rounding)", delta * invoice.sign)
        return False

    @staticmethod
    def _bill_in_base(state, move, invoice):
        """True: a foreign-currency bill of a company whose currency is the agreement's base
        currency (e-conomic's rate and base amounts); False: a bill in the company's currency;
        None: another currency where the agreement's base is not the company's (Odoo's
        rates)."""
        company_currency = move.company_id.currency_id
        if move.currency_id == company_currency:
            return False
        if state.backend.base_currency == company_currency.name and invoice.total_base:
            return True
        return None

    def _check_vat_delta(self, invoice, taxes, delta):
        """A difference of rounding only (a cent per taxed line); else the bill's error."""
        taxed = len([entry for entry in invoice.lines if entry.vat_code])
        if taxes and abs(delta) <= CENT * max(taxed, 1):
            return
        odoo = invoice.vat_total - delta
        raise RecordError(
            self.env._(
                "Odoo computes a VAT of %(odoo)s where e-conomic booked %(economic)s: the Odoo "
                "taxes of the lines are not e-conomic's VAT codes. Check the mapping of the VAT "
                "codes under %(menu)s.",
                odoo=odoo * invoice.sign,
                economic=invoice.vat_total * invoice.sign,
                menu=self.env["ir.ui.menu"]._economic_menu_path(
                    "economic_sync.menu_economic_vat_code"
                ),
            )
        )

    @staticmethod
    def _bill_balances(move, invoice, products, rest, term, currency):
        """The company-currency amounts of the journal items: the amounts themselves in the
        company's currency; else e-conomic's base amounts (the entries', the VAT converted
        at e-conomic's rate so that the items balance)."""
        if move.currency_id == move.company_id.currency_id:
            return dict(currency)
        balance = {
            line.id: dec(entry.amount_base)
            for line, entry in zip(products, invoice.lines, strict=True)
        }
        balance[term.id] = invoice.total_base
        factor = invoice.total_base / invoice.total if invoice.total else Decimal(1)
        for line in rest:
            balance[line.id] = dec(currency[line.id] * factor)
        if rest:
            diff = -sum(balance.values(), Decimal(0))
            biggest = max(rest, key=lambda li: abs(balance[li.id]))
            balance[biggest.id] += diff
        return balance
