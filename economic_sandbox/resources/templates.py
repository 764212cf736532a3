"""`GET /customers/{n}/templates[/invoice]`: the draft-invoice skeleton e-conomic builds from a
customer (schema `customers.customerNumber.templates.invoice.get`), ready to POST to
`/invoices/drafts` once lines are added."""

from decimal import Decimal

from .. import errors
from .base import ref
from .invoices import fill_recipient, render_terms

DEFAULT_LAYOUT = 19


def _layout(st, c):
    if c.get("layout"):
        return c["layout"]["layoutNumber"]
    group = st.t("customer-groups").get(c["customerGroup"]["customerGroupNumber"]) or {}
    if group.get("layout"):
        return group["layout"]["layoutNumber"]
    return st.self_info.get("defaultLayout", DEFAULT_LAYOUT)


def _recipient(ctx, cn, c):
    st = ctx.st
    rcp = {"name": c["name"]}
    for f in ("address", "zip", "city", "country", "ean", "publicEntryNumber"):
        if c.get(f):
            rcp[f] = c[f]
    rcp = fill_recipient(st, cn, rcp)
    if "attention" in c:
        k = c["attention"]["customerContactNumber"]
        rcp["attention"] = {
            "customerContactNumber": k,
            "self": ctx.link("customers", cn, "contacts", k),
        }
    z = c["vatZone"]["vatZoneNumber"]
    zone = st.t("vat-zones").get(z, {})
    rcp["vatZone"] = {
        "name": zone.get("name", ""),
        "vatZoneNumber": z,
        "enabledForCustomer": zone.get("enabledForCustomer", True),
        "enabledForSupplier": zone.get("enabledForSupplier", True),
        "self": ctx.link("vat-zones", z),
    }
    return rcp


def invoice_template(ctx, cn):
    st = ctx.st
    c = st.t("customers").get(cn)
    if c is None:
        raise errors.not_found()
    cur = c["currency"]
    rate = Decimal(100) if cur == st.base_currency else st.t("currencies")[cur]["rate"]
    out = {
        "date": st.clock.today().isoformat(),
        "currency": cur,
        "exchangeRate": rate,
        "paymentTerms": render_terms(ctx, c["paymentTerms"]["paymentTermsNumber"]),
        "customer": ref(ctx, "customers", "customerNumber", cn),
        "recipient": _recipient(ctx, cn, c),
        "layout": ref(ctx, "layouts", "layoutNumber", _layout(st, c)),
    }
    refs = {}
    if "customerContact" in c:
        k = c["customerContact"]["customerContactNumber"]
        refs["customerContact"] = {
            "customerContactNumber": k,
            "self": ctx.link("customers", cn, "contacts", k),
        }
    if "salesPerson" in c:
        refs["salesPerson"] = ref(
            ctx, "employees", "employeeNumber", c["salesPerson"]["employeeNumber"]
        )
    if refs:
        out["references"] = refs
    return out


def h_templates(ctx, raw):
    cn = _number(raw)
    if cn not in ctx.st.t("customers"):
        raise errors.not_found()
    base = ctx.link("customers", cn, "templates")
    return (
        200,
        {"invoice": base + "/invoice", "invoiceline": base + "/invoiceline", "self": base},
        {},
    )


def h_invoice(ctx, raw):
    with ctx.st.lock:
        return 200, invoice_template(ctx, _number(raw)), {}


def _number(raw):
    try:
        return int(raw)
    except ValueError:
        raise errors.not_found() from None


def register(router):
    router.add("GET", r"customers/([^/]+)/templates", h_templates)
    router.add("GET", r"customers/([^/]+)/templates/invoice", h_invoice)
