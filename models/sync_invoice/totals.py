"""A booked e-conomic invoice's amounts in the Odoo move, to the cent (issue 14 §2).

e-conomic prices each line (``totalNetAmount`` = quantity × unit price × (1 − discount), to the
cent), sums them (``netAmount``), adds the VAT (``vatAmount``) and rounds the gross amount the
agreement's way (``roundingAmount``); it converts with the invoice's own exchange rate
(``exchangeRate``: the base-currency cost of 100 units) into ``*InBaseCurrency`` amounts. The
Odoo move is built from the same lines, then, before it is posted:

* each line's net must be e-conomic's: a line that differs (a lost discount, a wrong quantity)
  stops the invoice with a message naming the line, never a silent correction;
* e-conomic's VAT is the move's (a difference of rounding only goes into the tax amount, Odoo's
  own "edit the tax amount" way; anything bigger stops the invoice);
* e-conomic's ``roundingAmount``, and only it, becomes one explicit "e-conomic rounding" line;
* the journal items carry e-conomic's amounts: each product line its ``totalNetAmount`` (Odoo's
  *round globally* may otherwise spread its own rounding over the lines), the receivable the
  gross amount; in a company whose currency is the agreement's base currency, a foreign-currency
  invoice gets e-conomic's rate and its company-currency amounts are e-conomic's
  ``*InBaseCurrency`` amounts to the cent (a cent of conversion goes to the biggest line).
"""

from decimal import ROUND_HALF_UP, Decimal

from odoo import Command, models

from ..economic_sync_state import RecordError
from .const import CENT, SYNC_WRITE, dec

#: the name of the line that carries e-conomic's rounding amount
ROUNDING_LINE = "e-conomic rounding"


def r2(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def write_line_amounts(move, currency, balance):
    """Write e-conomic's amounts on ``move``'s journal items (``{line id: Decimal}`` in the
    move's currency and in the company's), only where they differ, in one write, as the sync
    (the lock lets it through) and without Odoo re-synchronising the invoice lines."""
    changes = [
        Command.update(
            line.id,
            {"amount_currency": float(currency[line.id]), "balance": float(balance[line.id])},
        )
        for line in move.line_ids
        if dec(line.amount_currency) != currency[line.id] or dec(line.balance) != balance[line.id]
    ]
    if changes:
        move.with_context(**{SYNC_WRITE: True}, skip_invoice_sync=True).write({"line_ids": changes})


class EconomicSyncInvoiceTotals(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    def _match_totals(self, state, move, record):
        """Make the draft ``move`` e-conomic's invoice ``record`` to the cent (see the module
        doc). Returns what was adjusted, for the log line: ``[(what, amount)]``."""
        base_rate = self._base_rate(state, move, record)
        if base_rate is not None:
            move.with_context(**{SYNC_WRITE: True}).write({"invoice_currency_rate": base_rate})
        lines = self._product_lines(move)
        self._check_line_nets(move, record, lines)
        done = []
        vat_delta = dec(record.get("vatAmount")) * _sign(move) - dec(move.amount_tax)
        if vat_delta:
            self._adjust_tax(move, record, vat_delta)
            done.append(("vat", vat_delta))
        rounding = dec(record.get("roundingAmount"))
        if rounding:
            lines |= self._rounding_line(move, rounding * _sign(move))
            done.append(("rounding", rounding))
        self._book_exact(move, record, lines, base_rate is not None)
        return done

    # ------------------------------------------------------------------ the rate
    def _base_rate(self, state, move, record):
        """Odoo's rate of the move (units of the invoice currency per company unit) from
        e-conomic's ``exchangeRate``, when the company's currency is the agreement's base
        currency and the invoice is in another one; else None (Odoo's rates apply)."""
        company_currency = move.company_id.currency_id
        rate = record.get("exchangeRate")
        if (
            move.currency_id == company_currency
            or not rate
            or state.backend.base_currency != company_currency.name
        ):
            return None
        return 100.0 / float(rate)

    # ------------------------------------------------------------------ lines
    @staticmethod
    def _product_lines(move):
        """The move's product lines in the order they were made (e-conomic's product lines,
        by sortKey)."""
        return move.invoice_line_ids.filtered(lambda line: line.display_type == "product").sorted(
            "id"
        )

    @staticmethod
    def _economic_lines(record):
        return [
            line
            for line in sorted(record.get("lines", []), key=lambda li: li.get("sortKey", 0))
            if (line.get("product") or {}).get("productNumber") is not None
        ]

    def _check_line_nets(self, move, record, lines):
        """Each Odoo line's net is e-conomic's ``totalNetAmount``; a line that differs stops
        the invoice (nothing is bent to make totals equal)."""
        sign = _sign(move)
        for line, remote in zip(lines, self._economic_lines(record), strict=True):
            odoo = dec(line.price_subtotal)
            economic = dec(remote.get("totalNetAmount")) * sign
            if odoo != economic:
                raise RecordError(
                    self.env._(
                        "Line %(number)s (“%(name)s”): Odoo computes a net amount of %(odoo)s "
                        "where e-conomic booked %(economic)s (quantity, unit price or discount "
                        "not as e-conomic has them). The invoice is not created: tell the "
                        "e-conomic Sync developers, with this line.",
                        number=remote.get("lineNumber") or "-",
                        name=line.name or "-",
                        odoo=odoo,
                        economic=economic,
                    )
                )

    def _adjust_tax(self, move, record, delta):
        """e-conomic's VAT: a difference of rounding (a cent per taxed line at most) goes into
        the tax amount the way a user edits it in Odoo; a bigger one stops the invoice."""
        taxed = len([li for li in self._economic_lines(record) if dec(li.get("vatAmount"))])
        if abs(delta) > CENT * max(taxed, 1):
            raise RecordError(
                self.env._(
                    "Odoo computes a VAT of %(odoo)s where e-conomic booked %(economic)s: the "
                    "Odoo taxes of the lines are not e-conomic's VAT codes. Check the mapping "
                    "of the VAT codes under %(menu)s.",
                    menu=self.env["ir.ui.menu"]._economic_menu_path(
                        "economic_sync.menu_economic_vat_code"
                    ),
                    odoo=dec(move.amount_tax),
                    economic=dec(move.amount_tax) + delta,
                )
            )
        totals = move.tax_totals
        for subtotal in totals.get("subtotals", []):
            for group in subtotal.get("tax_groups", []):
                group["tax_amount_currency"] = float(dec(group["tax_amount_currency"]) + delta)
                move.with_context(**{SYNC_WRITE: True}).tax_totals = totals
                return
        raise RecordError(self.env._("e-conomic's VAT could not be matched: no tax on the lines."))

    def _rounding_line(self, move, amount):
        """e-conomic's rounding amount as one explicit line (no tax)."""
        backend = move.economic_backend_id or self.env.context.get("economic_backend")
        account = (backend and backend.invoice_rounding_account_id) or (
            move.journal_id.default_account_id
        )
        if not account:
            raise RecordError(
                self.env._(
                    "e-conomic's total of this invoice has a rounding amount: choose a "
                    "Rounding Account on the connection (Invoices tab)."
                )
            )
        before = move.invoice_line_ids
        move.with_context(**{SYNC_WRITE: True}).write(
            {
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": self.env._(ROUNDING_LINE),
                            "quantity": 1,
                            "price_unit": float(amount),
                            "account_id": account.id,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ]
            }
        )
        return move.invoice_line_ids - before

    # ------------------------------------------------------------------ journal items
    def _book_exact(self, move, record, lines, in_base):
        """The journal items carry e-conomic's amounts: each product line (and the rounding
        line) its net, the receivable the gross; with ``in_base``, the company-currency
        amounts are e-conomic's ``*InBaseCurrency`` amounts. e-conomic's amounts are signed
        as the journal items are, negated (a credit note's are negative)."""
        nets = [-dec(li.get("totalNetAmount")) for li in self._economic_lines(record)]
        if len(lines) > len(nets):
            nets.append(-dec(record.get("roundingAmount")))
        taxes = move.line_ids.filtered(lambda line: line.display_type == "tax")
        term = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
        if len(term) != 1:
            raise RecordError(
                self.env._("The invoice has %s receivable lines instead of one.", len(term))
            )
        others = move.line_ids - lines - taxes - term
        currency = {line.id: net for line, net in zip(lines, nets, strict=True)}
        currency.update({line.id: dec(line.amount_currency) for line in taxes | others})
        gross = dec(record.get("grossAmount"))
        if -sum(currency.values()) != gross:
            raise RecordError(
                self.env._(
                    "The Odoo invoice totals %(odoo)s where e-conomic booked %(economic)s.",
                    odoo=-sum(currency.values()) * _sign(move),
                    economic=gross * _sign(move),
                )
            )
        currency[term.id] = gross
        if in_base:
            balance = self._base_amounts(record, lines, taxes | others, currency)
            balance[term.id] = dec(record.get("grossAmountInBaseCurrency"))
        elif move.currency_id == move.company_id.currency_id:
            balance = dict(currency)
        else:  # Odoo's rates (the agreement's base currency is not the company's)
            balance = {line.id: dec(line.balance) for line in move.line_ids - term}
            balance[term.id] = -sum(balance.values())
        write_line_amounts(move, currency, balance)

    def _base_amounts(self, record, lines, rest, currency):
        """Company-currency amounts of the journal items but the receivable: lines converted
        at e-conomic's rate, the net lines adding up to e-conomic's net in base currency, the
        VAT and rounding lines to the rest of its gross; a cent of conversion on the biggest
        line of each."""
        factor = Decimal(str(record["exchangeRate"])) / 100
        net_base = dec(record.get("netAmountInBaseCurrency"))
        gross_base = dec(record.get("grossAmountInBaseCurrency"))
        count = len(self._economic_lines(record))
        balance = {line.id: r2(currency[line.id] * factor) for line in lines | rest}
        _spread(balance, lines[:count].ids, -net_base)
        _spread(balance, (lines[count:] | rest).ids, -(gross_base - net_base))
        return balance


def _sign(move):
    """e-conomic's amounts are negative on a credit note; Odoo's refund lines positive."""
    return -1 if move.move_type == "out_refund" else 1


def _spread(balance, ids, total):
    """Make the amounts of ``ids`` add up to ``total``: the difference on the biggest."""
    if not ids:
        return
    diff = total - sum(balance[i] for i in ids)
    if diff:
        biggest = max(ids, key=lambda i: abs(balance[i]))
        balance[biggest] += diff
