"""The day's sales of a shop to e-conomic (issue 18 §1): the facts of one day and the pure
decisions on them (no I/O, stdlib only, never imports Odoo).

A *source* (posted entries of sales journals in the addon, closed Point of Sale sessions in the
``economic_sync_pos`` bridge) describes each (shop, day) as a :class:`DayFacts`: what was sold
(:class:`SaleRow`, grouped by taxes and income account) and what was received
(:class:`PaymentRow`). The functions below turn that into what e-conomic is sent: the lines of
one draft invoice to the cash customer, or the entries of one finance voucher in a cash journal.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["DayFacts", "PaymentRow", "SaleRow"]

CENT = Decimal("0.01")


@dataclass(frozen=True)
class SaleRow:
    """One group of sold (or returned) lines of a day."""

    #: sorted Odoo account.tax ids applied (after fiscal position); () = no tax
    tax_ids: tuple
    #: e.g. "25% Moms" (the taxes' names joined)
    tax_label: str
    #: Odoo income account id (after fiscal position)
    account_id: int
    #: Odoo product.product id (needed for the per-product setting), None if unknown
    product_id: "int | None"
    #: product name or the journal item's label
    label: str
    #: summed; negative for returns
    quantity: Decimal
    #: summed net (tax excluded), company currency, 2 decimals; negative for returns
    net: Decimal
    #: Odoo's VAT of these lines, 2 decimals (what Odoo computed: order/move tax lines)
    vat: Decimal
    #: returned goods (their lines go as negative lines)
    is_return: bool


@dataclass(frozen=True)
class PaymentRow:
    """Money received that day, per payment method (POS) or debit account (journals)."""

    #: "pos.payment.method,3" / "account.account,12"
    key: str
    #: "Cash", "Card", "MobilePay" / the account's name
    label: str
    #: the e-conomic account number it is debited to; None = not mapped
    economic_account: "int | None"
    #: when economic_account is None: the translated sentence naming what to configure
    missing: str
    #: 2 decimals, company currency (negative if money went out)
    amount: Decimal


@dataclass(frozen=True)
class DayFacts:
    """Everything one shop sold and received on one business day."""

    #: "pos.config,3" / "account.journal,7" (stable key of the shop)
    shop_ref: str
    shop_name: str
    #: business day in the company's timezone
    day: datetime.date
    #: ISO code of the company currency
    currency: str
    #: sorted refs of what the day is made of ("pos.session,12", ...) / ("account.move,55", ...);
    #: a change here (a late session) means amend/correct
    sources: tuple
    #: SaleRow...
    sales: tuple
    #: PaymentRow...
    payments: tuple


# ====================================================================== amounts
def money(value):
    """``value`` as a Decimal of 2 decimals (half up, as e-conomic and Odoo round)."""
    return Decimal(str(value if value is not None else 0)).quantize(CENT, rounding=ROUND_HALF_UP)


def _sign(value):
    return Decimal(-1) if value < 0 else Decimal(1)


def price_lines(quantity, net):
    """``[(quantity, unit net price)]`` whose totals (``round(q × p, 2)``) add up to ``net``
    exactly, with unit prices of 2 decimals (e-conomic refuses more, E04740).

    One line where ``net / quantity`` is a price to the cent; else, for a whole quantity, the
    quantity less one at the rounded price and one unit carrying the cents left; else (no
    quantity, or a fraction) one line of one unit (``-1`` for a negative quantity) at the
    whole amount."""
    net = money(net)
    qty = Decimal(str(quantity or 0))
    if not qty:
        return [(Decimal(1), net)] if net else []
    price = (net / qty).quantize(CENT, rounding=ROUND_HALF_UP)
    if money(price * qty) == net:
        return [(qty, price)]
    sign = _sign(qty)
    if qty == qty.to_integral_value() and abs(qty) > 1:
        rest = net - money(price * (qty - sign))
        return [(qty - sign, price), (sign, rest * sign)]
    return [(sign, net * sign)]


# ====================================================================== grouping
@dataclass(frozen=True)
class Group:
    """The sales of one invoice line before pricing: one tax (or one product and tax), sales
    and returns apart."""

    key: str
    tax_ids: tuple
    tax_label: str
    product_id: "int | None"
    label: str
    quantity: Decimal
    net: Decimal
    vat: Decimal
    is_return: bool

    @property
    def gross(self):
        return self.net + self.vat


def _ids(tax_ids):
    return ",".join(str(i) for i in tax_ids) or "-"


def group_key(row, grouping):
    """The key of the invoice line ``row`` (a SaleRow) goes to: its taxes (``tax``), or its
    product and taxes (``product``); returns on a line of their own."""
    key = "tax:%s" % _ids(row.tax_ids)
    if grouping == "product":
        key = "product:%s:%s" % (row.product_id or "-", key)
    return key + (":return" if row.is_return else "")


def group_sales(sales, grouping="tax"):
    """The SaleRows of a day summed per invoice line (``group_key``), in a stable order: by
    key, sales before their returns."""
    groups = {}
    for row in sales:
        key = group_key(row, grouping)
        old = groups.get(key)
        if old is None:
            groups[key] = Group(
                key=key,
                tax_ids=tuple(row.tax_ids),
                tax_label=row.tax_label,
                product_id=row.product_id if grouping == "product" else None,
                label=row.label if grouping == "product" else row.tax_label,
                quantity=Decimal(row.quantity),
                net=money(row.net),
                vat=money(row.vat),
                is_return=row.is_return,
            )
        else:
            groups[key] = Group(
                key=key,
                tax_ids=old.tax_ids,
                tax_label=old.tax_label,
                product_id=old.product_id,
                label=old.label,
                quantity=old.quantity + Decimal(row.quantity),
                net=old.net + money(row.net),
                vat=old.vat + money(row.vat),
                is_return=old.is_return,
            )
    return tuple(groups[key] for key in sorted(groups))


def credit_groups(sales):
    """``{(account_id, tax_ids): (label, net, vat)}``: the day's sales per Odoo income account
    and taxes (the credit side of a cash-journal voucher), returns included."""
    out = {}
    for row in sales:
        key = (row.account_id, tuple(row.tax_ids))
        label, net, vat = out.get(key, (row.tax_label, Decimal(0), Decimal(0)))
        out[key] = (label, net + money(row.net), vat + money(row.vat))
    return out


def allocate(total, shares):
    """``shares`` (Decimals) adjusted so that they add up to ``total`` to the cent: the
    difference goes to the largest share (Odoo's tax line is the truth; the shares are the
    rows' own VAT). No shares: nothing."""
    shares = [money(s) for s in shares]
    if not shares:
        return []
    diff = money(total) - sum(shares, Decimal(0))
    if diff:
        biggest = max(range(len(shares)), key=lambda i: (abs(shares[i]), -i))
        shares[biggest] += diff
    return shares


# ====================================================================== contents
#: the amounts of a content line (the rest are texts and numbers of e-conomic records)
AMOUNTS = ("quantity", "net", "vat", "amount", "odoo_vat")


def add_contents(*contents):
    """The sum of several contents (``{key: line}``): amounts added, texts of the first."""
    out = {}
    for content in contents:
        for key, line in content.items():
            if key not in out:
                out[key] = dict(line)
                continue
            merged = out[key]
            for name in AMOUNTS:
                if name in line:
                    merged[name] = Decimal(merged.get(name, 0)) + Decimal(line[name])
    return out


def _empty(line):
    return not any(Decimal(line.get(name, 0)) for name in AMOUNTS)


def difference(target, sent):
    """What must be added to ``sent`` to make ``target`` (both ``{key: line}``): per key the
    amounts of the target less those sent (texts of the target, else of what was sent);
    lines of no amount left out."""
    out = {}
    for key in sorted(set(target) | set(sent)):
        new, old = target.get(key, {}), sent.get(key, {})
        line = dict(old, **new)
        for name in AMOUNTS:
            if name in new or name in old:
                line[name] = Decimal(new.get(name, 0)) - Decimal(old.get(name, 0))
        if not _empty(line):
            out[key] = line
    return out


def content_totals(content):
    """``(net, vat, gross)`` of an invoice content, ``(debit, credit, balance)`` of a voucher
    content (debit positive, credit negative)."""
    if any("amount" in line for line in content.values()):
        debit = sum((Decimal(l["amount"]) for l in content.values() if l["amount"] > 0), Decimal(0))
        credit = sum(
            (Decimal(l["amount"]) for l in content.values() if l["amount"] < 0), Decimal(0)
        )
        return debit, credit, debit + credit
    net = sum((Decimal(l.get("net", 0)) for l in content.values()), Decimal(0))
    vat = sum((Decimal(l.get("vat", 0)) for l in content.values()), Decimal(0))
    return net, vat, net + vat


def dump_content(content):
    """A content as JSON-ready data (amounts as strings, keys sorted)."""
    return {
        key: {
            name: str(value) if isinstance(value, Decimal) else value
            for name, value in sorted(line.items())
        }
        for key, line in sorted(content.items())
    }


def load_content(data):
    """The content ``dump_content`` made (amounts back to Decimals)."""
    return {
        key: {name: Decimal(value) if name in AMOUNTS else value for name, value in line.items()}
        for key, line in (data or {}).items()
    }


# ====================================================================== invoice mode
def invoice_content(groups, product_of, describe, grouping="tax"):
    """The content of the day's draft invoice: ``{group key: line}`` with the e-conomic
    product (``product_of(group)``), the description (``describe(group)``), the quantity, the
    net and Odoo's VAT. Per tax, a line is one unit at the whole amount (its description says
    the quantity); per product, the quantity is priced (``price_lines``)."""
    return {
        group.key: {
            "product": product_of(group),
            "description": describe(group),
            "quantity": group.quantity,
            "net": group.net,
            "vat": group.vat,
            "priced": "each" if grouping == "product" else "whole",
        }
        for group in groups
        if group.net or group.quantity
    }


def invoice_lines(content):
    """The ``lines`` of a draft invoice of ``content``: numbered, with prices to the cent
    whose totals are the content's nets exactly."""
    lines = []
    for key in sorted(content):
        line = content[key]
        net = money(line["net"])
        if line.get("priced") == "each":
            priced = price_lines(line["quantity"], net)
        else:
            sign = _sign(net) if net else _sign(Decimal(line.get("quantity") or 0))
            priced = price_lines(sign, net)
        for quantity, price in priced:
            number = len(lines) + 1
            lines.append(
                {
                    "lineNumber": number,
                    "sortKey": number,
                    "product": {"productNumber": line["product"]},
                    "description": line["description"],
                    "quantity": quantity,
                    "unitNetPrice": price,
                }
            )
    return lines


def invoice_vat_notes(content, rate_of):
    """Where e-conomic's VAT of an invoice line (``round(net × rate / 100, 2)`` per line, at
    the rate ``rate_of(key)`` of its product's group; None: unknown) differs from Odoo's:
    ``[(key, Odoo's VAT, e-conomic's VAT)]``."""
    notes = []
    for key in sorted(content):
        rate = rate_of(key)
        if rate is None:
            continue
        line = content[key]
        net = money(line["net"])
        if line.get("priced") == "each":
            priced = price_lines(line["quantity"], net)
        else:
            priced = price_lines(_sign(net), net)
        economic = sum((money(money(q * p) * Decimal(rate) / 100) for q, p in priced), Decimal(0))
        if economic != money(line["vat"]):
            notes.append((key, money(line["vat"]), economic))
    return notes


# ====================================================================== journal mode
def voucher_content(credits, debits):
    """The content of the day's finance voucher: one credit line per (e-conomic sales account,
    VAT code) of the gross sales (``credits``: ``[(account, vat code or None, label, gross,
    Odoo's VAT)]``) and one debit line per payment (``debits``: ``[(key, account, label, amount)]``); amounts
    debit positive, credit negative."""
    content = {}
    for account, code, label, gross, vat in credits:
        key = "credit:%s:%s" % (account, code or "-")
        line = content.setdefault(
            key,
            {
                "account": account,
                "vat_code": code or "",
                "label": label,
                "amount": Decimal(0),
                "odoo_vat": Decimal(0),
            },
        )
        line["amount"] -= money(gross)
        line["odoo_vat"] += money(vat)
    for key, account, label, amount in debits:
        line = content.setdefault(
            "debit:%s" % key,
            {"account": account, "vat_code": "", "label": label, "amount": Decimal(0)},
        )
        line["amount"] += money(amount)
    return {key: line for key, line in content.items() if line["amount"]}


def voucher_entries(content, date, text, currency):
    """The one-sided ``financeVouchers`` of a voucher of ``content``: each on its account
    (with its VAT code), dated ``date``, its text ``text`` and the line's label."""
    entries = []
    for key in sorted(content, key=lambda k: (not k.startswith("debit"), k)):
        line = content[key]
        amount = money(line["amount"])
        if not amount:
            continue
        entry = {
            "account": {"accountNumber": int(line["account"])},
            "amount": amount,
            "currency": {"code": currency},
            "date": date,
            "text": ("%s: %s" % (text, line["label"]) if line.get("label") else text)[:250],
        }
        if line.get("vat_code"):
            entry["vatAccount"] = {"vatCode": line["vat_code"]}
        entries.append(entry)
    return entries


def voucher_vat_notes(content, rate_of):
    """Where e-conomic's VAT of a credit line (split off the gross: ``round(gross × rate /
    (100 + rate), 2)``) differs from Odoo's VAT of those sales (``vat`` of the line, when the
    caller kept it): ``[(key, Odoo's VAT, e-conomic's VAT)]``."""
    notes = []
    for key in sorted(content):
        line = content[key]
        rate = rate_of(key)
        if rate is None or "odoo_vat" not in line:
            continue
        gross = -money(line["amount"])
        rate = Decimal(rate)
        economic = money(gross * rate / (100 + rate))
        if economic != money(line["odoo_vat"]):
            notes.append((key, money(line["odoo_vat"]), economic))
    return notes


def balance(content):
    """Debit less credit of a voucher content (0 when it balances)."""
    return sum((money(line["amount"]) for line in content.values()), Decimal(0))


# ====================================================================== what to do
CREATE, AMEND, CORRECT, DELETE, NOTHING = "create", "amend", "correct", "delete", "nothing"


@dataclass(frozen=True)
class SentDocument:
    """A document sent for a day, as e-conomic has it now: ``state`` ``draft`` (still ours)
    or ``booked``; ``content`` what it holds."""

    ident: int
    state: str
    content: dict


@dataclass(frozen=True)
class Decision:
    action: str
    content: dict
    document: "int | None" = None


def decide(target, documents):
    """What to send for a day whose content should be ``target``, given the documents sent
    for it that e-conomic still has (``SentDocument``, oldest first; deleted ones left out):

    - nothing sent: ``create`` the target (``nothing`` if it is empty);
    - what was sent is the target: ``nothing``;
    - the latest document still a draft: ``amend`` it so that all of them make the target
      (``delete`` it if it would be empty);
    - all booked: ``correct``: one more draft of the difference.
    """
    if not documents:
        return Decision(CREATE, dict(target)) if target else Decision(NOTHING, {})
    sent = add_contents(*(doc.content for doc in documents))
    if not difference(target, sent):
        return Decision(NOTHING, {})
    drafts = [doc for doc in documents if doc.state == "draft"]
    if drafts:
        doc = drafts[-1]
        others = add_contents(*(d.content for d in documents if d.ident != doc.ident))
        content = difference(target, others)
        return Decision(AMEND if content else DELETE, content, doc.ident)
    return Decision(CORRECT, difference(target, sent))


# ====================================================================== references
def shop_code(shop_ref):
    """A short code of a shop's key: ``account.journal,7`` → ``AJ7``, ``pos.config,3`` →
    ``PC3`` (two shops of one name stay apart)."""
    model, _sep, ident = (shop_ref or "").partition(",")
    return "".join(part[:1] for part in model.split(".")).upper() + ident


def day_reference(shop_name, shop_ref, day, number=1):
    """The reference of a day's document in e-conomic (a draft's ``references.other``, the
    text of a voucher's entries): the shop, the day, the shop's code, and ``#n`` from the
    second document of the day (a correction) on. At most 200 characters (a voucher entry's
    text adds the line's label)."""
    suffix = " %s (%s)" % (day.isoformat(), shop_code(shop_ref))
    if number > 1:
        suffix += " #%d" % number
    return (shop_name or "")[: 200 - len(suffix)] + suffix
