"""The demo's Danish company (``make demo``, tools/harness.py).

``make demo`` runs this file in ``odoo shell`` (where ``env`` is given) followed by
``danish_company(env, DEMO_COMPANY)``: the database's main company becomes a Danish company
the way a Danish user sets one up in Odoo. Its name, address and country (Denmark) are set and
Odoo installs the country's localisation modules, as for any company that gets its country
(``install_l10n_modules``: ``l10n_dk``, and Peppol, which needs ``phonenumbers``); then Odoo's
Danish chart of accounts and taxes are loaded (``try_loading('dk')``, what the *Fiscal
Localization* setting does), which makes the company's currency DKK. Then its CVR (VAT number
``DK`` + CVR, checked by ``base_vat``), and Danish as an extra language a user can switch to
(Odoo's own language stays English).

Running it again changes nothing: a company that already has the Danish chart is reused as it is
(the user may have edited it). A main company that already has another chart *and* accounting
entries (a demo database made by an earlier version, in USD) is left untouched: its entries would
be lost; the result says so.

The file holds no Odoo import at module level, so the pure tier can read ``DEMO_COMPANY``.
"""

#: the demo's company: the same business as the sandbox's demo agreement (economic_sandbox/seed.py,
#: ``SELF["company"]``), which a pure test checks
DEMO_COMPANY = {
    "name": "Fjordby Handel ApS",
    "street": "Langebrogade 1",
    "zip": "1411",
    "city": "København K",
    "country_code": "DK",
    "currency": "DKK",
    "chart_template": "dk",
    # the agreement's CVR number; Odoo's Danish localisation shows it as company registry
    "vat": "DK29403473",
    "email": "bogholderi@fjordby-handel.example",
    "phone": "+45 12 34 56 78",
    "website": "https://fjordby-handel.example",
    # an extra language, installed for users to switch to
    "language": "da_DK",
    # the administrator's time zone (when none is set): dates and times as in Denmark
    "tz": "Europe/Copenhagen",
}


def _refresh(env):
    """An environment on the current registry (installing a module replaces it); what is still
    pending is written first (a reset forgets it)."""
    env.flush_all()
    env.reset()
    return env()


def _make_danish(env, company, params):
    """Denmark first, with the localisation modules Odoo installs for a Danish company, then the
    Danish chart, as Odoo's *Fiscal Localization* setting loads it."""
    country = env["res.country"].search([("code", "=", params["country_code"])], limit=1)
    company.write(
        {
            "name": params["name"],
            "street": params["street"],
            "zip": params["zip"],
            "city": params["city"],
            "country_id": country.id,
            "email": params["email"],
            "phone": params["phone"],
            "website": params["website"],
        }
    )
    # what Odoo does when a company gets its country (a company of a new database always;
    # here the country replaces the one the generic chart gave): the country's localisation
    # modules, l10n_dk and Peppol
    env.flush_all()
    company.install_l10n_modules()
    env = _refresh(env)
    company = env["res.company"].browse(company.id)
    env["account.chart.template"].try_loading(params["chart_template"], company)
    env = _refresh(env)
    company = env["res.company"].browse(company.id)
    # after the chart: l10n_dk's VAT check (base_vat) is installed and the CVR follows from it
    company.write({"vat": params["vat"]})
    admin = env.ref("base.user_admin")
    if not admin.tz:
        admin.tz = params["tz"]
    return env, company


def _install_language(env, code):
    lang = env["res.lang"].with_context(active_test=False).search([("code", "=", code)], limit=1)
    if not lang:
        return False
    if not lang.active:
        env["base.language.install"].create({"lang_ids": [(6, 0, lang.ids)]}).lang_install()
    return True


def danish_company(env, params):
    """Make the main company the Danish company ``params`` describes (see DEMO_COMPANY), or
    reuse it; commits. Returns what the company is now (a dict, for the caller to print)."""
    company = env.ref("base.main_company")
    if company.chart_template == params["chart_template"]:
        status = "reused"
    elif company._existing_accounting():
        status = "kept"
    else:
        env, company = _make_danish(env, company, params)
        status = "created"
    if status != "kept" and params.get("language"):
        _install_language(env, params["language"])
    env.cr.commit()
    taxes = env["account.tax"].search_count([("company_id", "=", company.id)])
    positions = env["account.fiscal.position"].search_count([("company_id", "=", company.id)])
    return {
        "status": status,
        "company_id": company.id,
        "name": company.name,
        "country": company.country_id.code,
        "currency": company.currency_id.name,
        "chart_template": company.chart_template,
        "vat": company.vat,
        "company_registry": company.company_registry,
        "taxes": taxes,
        "fiscal_positions": positions,
        "languages": sorted(env["res.lang"].search([]).mapped("code")),
        "admin_language": env.ref("base.user_admin").lang,
        "admin_tz": env.ref("base.user_admin").tz,
    }
