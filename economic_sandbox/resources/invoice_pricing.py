"""How the sandbox prices an invoice (docs/ECONOMIC.md §4.10): line totals, VAT per line, the agreement's
rounding of the gross amount, amounts in base currency.

Line net = round(qty × unitNetPrice × (1 − discount/100), 2).  A line's VAT rate follows the
product's group → its sales account for the invoice's VAT zone → that account's VAT code
(`ratePercentage`); an account without a VAT code is 0 %.  When the group has no sales account for
the zone, the fallback is 25 % in VAT zone 1 (Domestic) unless the group is VAT-free, else 0 %.
The gross amount is rounded to the step of the agreement setting `invoice_rounding` (off = 0.01),
the difference is `roundingAmount`.  *InBaseCurrency via exchangeRate (per 100 units)."""

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from .. import errors

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
DOMESTIC_VAT = Decimal(25)


def r2(x):
    return Decimal(x).quantize(TWO, rounding=ROUND_HALF_UP)


def err(field, code, message, value=None, hint="Please check your request data."):
    e = {"errorCode": code, "message": message}
    if value is not None:
        e["value"] = value
    e["developerHint"] = hint
    return {field: {"errors": [e]}}


def due_date(terms, date_s, given):
    d = dt.date.fromisoformat(date_s)
    typ = terms.get("paymentTermsType")
    days = int(terms.get("daysOfCredit") or 0)
    if typ == "dueDate":
        if not given:
            raise errors.validation(
                err(
                    "dueDate",
                    "E04042",
                    "dueDate is missing a value.",
                    hint="Payment terms of type dueDate require a dueDate.",
                )
            )
        if given < date_s:
            raise errors.validation(
                err("dueDate", "E04760", "dueDate cannot be earlier than date.", given)
            )
        return given
    if typ == "invoiceMonth":
        last = calendar.monthrange(d.year, d.month)[1]
        return (dt.date(d.year, d.month, last) + dt.timedelta(days=days)).isoformat()
    if typ in ("paidInCash", "prepaid"):
        return date_s
    if typ == "invoiceWeekStartingMonday":
        return (d + dt.timedelta(days=6 - d.weekday() + days)).isoformat()
    if typ == "invoiceWeekStartingSunday":
        return (d + dt.timedelta(days=(5 - d.weekday()) % 7 + days)).isoformat()
    return (d + dt.timedelta(days=days)).isoformat()


def vat_rate(st, group_number, zone):
    """The VAT rate (%) of a line whose product is in `group_number`, for VAT zone `zone`."""
    group = st.t("product-groups").get(group_number) or {}
    sales = group.get("salesAccounts") or {}
    acc_no = sales.get(zone, sales.get(str(zone)))
    acc = st.t("accounts").get(acc_no) if acc_no is not None else None
    if acc is not None:
        code = (acc.get("vatAccount") or {}).get("vatCode")
        if code is None:
            return ZERO
        vat = st.t("vat-accounts").get(code)
        if vat is not None:
            return Decimal(vat["ratePercentage"])
    return DOMESTIC_VAT if zone == 1 and not group.get("vatFree") else ZERO


def rounding_step(st, currency):
    """The step the gross amount of an invoice in `currency` is rounded to (None: no rounding)."""
    cfg = st.settings.get("invoice_rounding") or {}
    step = cfg.get(currency, cfg.get("*"))
    return step if step and step > TWO else None


def round_gross(exact, step):
    if step is None:
        return r2(exact)
    return r2((exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step)


def _product_error(i, hint_base):
    return {
        "arrayIndex": i,
        "product": {
            "errors": [
                {
                    "errorCode": "E04500",
                    "message": "No identifiers present on product. "
                    "Please include either a self link or a productNumber.",
                    "developerHint": "Find a list of resources at %s/products." % hint_base,
                }
            ]
        },
    }


def _quantity_error(i):
    return {
        "arrayIndex": i,
        "quantity": {
            "errors": [
                {
                    "errorCode": "E04730",
                    "message": "Property quantity must have a value when product is set.",
                    "developerHint": "Please check your request data.",
                }
            ]
        },
    }


def _price_line(st, line, prod, zone, rate_x):
    """Complete one product line and compute its totals; returns (net, vat, cost)."""
    line.setdefault("description", prod.get("name", ""))
    if "unitNetPrice" not in line:
        line["unitNetPrice"] = r2(prod.get("salesPrice", 0))
    if "unitCostPrice" not in line and "costPrice" in prod:
        line["unitCostPrice"] = r2(prod["costPrice"])
    if "unit" not in line and "unit" in prod:
        line["unit"] = {"unitNumber": prod["unit"]["unitNumber"]}
    line.setdefault("discountPercentage", ZERO)
    q, p = Decimal(line["quantity"]), Decimal(line["unitNetPrice"])
    disc = Decimal(line["discountPercentage"])
    total = r2(q * p * (1 - disc / HUNDRED))
    rate = vat_rate(st, prod["productGroup"]["productGroupNumber"], zone)
    line_vat = r2(total * rate / HUNDRED)
    line["totalNetAmount"] = total
    line["vatRate"] = rate
    line["vatAmount"] = line_vat
    c = r2(q * Decimal(line.get("unitCostPrice", 0)))
    line["marginInBaseCurrency"] = r2((total - c) * rate_x)
    line["marginPercentage"] = r2((total - c) / total * HUNDRED) if total else ZERO
    return total, line_vat, c


def price_lines(st, inv):
    """Complete lines and compute every total on `inv` (in place)."""
    zone = inv["recipient"]["vatZone"]["vatZoneNumber"]
    rate_x = Decimal(inv["exchangeRate"]) / HUNDRED
    net = vat = cost = ZERO
    line_errors = []
    products = st.t("products")
    for i, line in enumerate(inv.get("lines", [])):
        line.setdefault("lineNumber", i + 1)
        line.setdefault("sortKey", i + 1)
        pno = line.get("product", {}).get("productNumber")
        if pno is None:
            if "quantity" in line or "unitNetPrice" in line:
                line_errors.append(_product_error(i, st.base_url_hint))
            line.setdefault("description", "")
            continue
        if "quantity" not in line:
            line_errors.append(_quantity_error(i))
            continue
        total, line_vat, c = _price_line(st, line, products[pno], zone, rate_x)
        net += total
        vat += line_vat
        cost += c
    if line_errors:
        raise errors.validation({"lines": line_errors})
    set_totals(st, inv, net, vat, cost)


def set_totals(st, inv, net, vat, cost):
    rate_x = Decimal(inv["exchangeRate"]) / HUNDRED
    exact = net + vat
    gross = round_gross(exact, rounding_step(st, inv["currency"]))
    inv["netAmount"] = r2(net)
    inv["vatAmount"] = r2(vat)
    inv["grossAmount"] = gross
    inv["roundingAmount"] = r2(gross - exact)
    inv["netAmountInBaseCurrency"] = r2(net * rate_x)
    inv["grossAmountInBaseCurrency"] = r2(gross * rate_x)
    inv["costPriceInBaseCurrency"] = r2(cost * rate_x)
    inv["marginInBaseCurrency"] = r2((net - cost) * rate_x)
    inv["marginPercentage"] = r2((net - cost) / net * HUNDRED) if net else ZERO
