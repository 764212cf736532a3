import json
import re

from odoo import Command, api, fields, models

from ...economic_client import jsonutil

REFERENCE_KINDS = [
    ("customer_group", "Customer Group"),
    ("supplier_group", "Supplier Group"),
    ("vat_zone", "VAT Zone"),
    ("payment_term", "Payment Terms"),
    ("layout", "Layout"),
    ("currency", "Currency"),
    ("product_group", "Product Group"),
    ("unit", "Unit"),
]
VAT_SCOPES = [("domestic", "Domestic"), ("eu", "EU"), ("abroad", "Abroad")]

#: kind -> (client service attribute, key property of the e-conomic record)
REFERENCE_SOURCES = {
    "customer_group": ("customer_groups", "customerGroupNumber"),
    "supplier_group": ("supplier_groups", "supplierGroupNumber"),
    "vat_zone": ("vat_zones", "vatZoneNumber"),
    "payment_term": ("payment_terms", "paymentTermsNumber"),
    "layout": ("layouts", "layoutNumber"),
    "currency": ("currencies", "code"),
    "product_group": ("product_groups", "productGroupNumber"),
    "unit": ("units", "unitNumber"),
}
#: the Odoo counterpart field of each kind that has one (the adapters' lookups read them)
ODOO_COUNTERPARTS = (
    "payment_term_id",
    "currency_id",
    "category_id",
    "uom_id",
    "fiscal_position_id",
)
#: Odoo's Danish fiscal position per VAT scope (``l10n_dk``'s template ids): the Danish
#: chart's counterparts of e-conomic's zones (companies: the EU zone is reverse charge)
DANISH_FISCAL_POSITIONS = {
    "domestic": "fiscal_position_template_dk_vat",
    "eu": "fiscal_position_template_eu_taxid",
    "abroad": "fiscal_position_template_3lande",
}
#: e-conomic unit names (Danish and English) -> Odoo units of measure (XML ids)
UNIT_ALIASES = {
    "stk": "uom.product_uom_unit",
    "styk": "uom.product_uom_unit",
    "stk.": "uom.product_uom_unit",
    "pcs": "uom.product_uom_unit",
    "pcs.": "uom.product_uom_unit",
    "units": "uom.product_uom_unit",
    "unit": "uom.product_uom_unit",
    "enhed": "uom.product_uom_unit",
    "time": "uom.product_uom_hour",
    "timer": "uom.product_uom_hour",
    "t": "uom.product_uom_hour",
    "hour": "uom.product_uom_hour",
    "hours": "uom.product_uom_hour",
    "dag": "uom.product_uom_day",
    "dage": "uom.product_uom_day",
    "day": "uom.product_uom_day",
    "days": "uom.product_uom_day",
    "kg": "uom.product_uom_kgm",
    "kilo": "uom.product_uom_kgm",
    "g": "uom.product_uom_gram",
    "gram": "uom.product_uom_gram",
    "l": "uom.product_uom_litre",
    "liter": "uom.product_uom_litre",
    "litre": "uom.product_uom_litre",
    "m": "uom.product_uom_meter",
    "meter": "uom.product_uom_meter",
    "km": "uom.product_uom_km",
}

#: words in a VAT zone's name that say its scope (English and Danish)
_SCOPE_WORDS = [
    ("domestic", re.compile(r"\b(domestic|indland\w*|national|inland)\b", re.I)),
    ("eu", re.compile(r"\b(eu|europe\w*)\b", re.I)),
    ("abroad", re.compile(r"\b(abroad|udland\w*|foreign|export\w*|world)\b", re.I)),
]
#: e-conomic's standard zone numbers, used when the name says nothing
_SCOPE_BY_NUMBER = {"1": "domestic", "2": "eu", "3": "abroad"}
#: e-conomic payment terms types -> Odoo payment term line delay types
_DELAY_TYPES = {
    "net": "days_after",
    "invoiceMonth": "days_after_end_of_month",
}


def _digits(value):
    return str(value).isdigit()


def vat_scope_of(number, name):
    """The scope (domestic/eu/abroad) of an e-conomic VAT zone, or False."""
    for scope, pattern in _SCOPE_WORDS:
        if pattern.search(name or ""):
            return scope
    return _SCOPE_BY_NUMBER.get(str(number), False)


def _number_key(reference):
    number = reference.number or ""
    return (0, int(number), "") if number.isdigit() else (1, 0, number)


class EconomicReference(models.Model):
    """An e-conomic reference record (group, VAT zone, terms, layout, currency) and
    its Odoo counterpart."""

    _name = "economic.reference"
    _description = "e-conomic Reference"
    _order = "backend_id, kind, sequence_key, number"
    _rec_names_search = ["name", "number"]

    _sql_constraints = [
        (
            "backend_kind_number_uniq",
            "unique(backend_id, kind, number)",
            "An e-conomic reference exists only once per kind and connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend",
        string="Connection",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    kind = fields.Selection(REFERENCE_KINDS, required=True, index=True)
    number = fields.Char(
        required=True,
        help="The key e-conomic gives the record, e.g. 1 or DKK.",
    )
    sequence_key = fields.Integer(
        compute="_compute_sequence_key",
        store=True,
        help="Numeric order of the key.",
    )
    name = fields.Char()
    data = fields.Text(string="e-conomic Record", help="The record as e-conomic sent it (JSON).")
    active = fields.Boolean(default=True)
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Odoo Payment Terms",
        ondelete="set null",
        check_company=False,
    )
    currency_id = fields.Many2one("res.currency", string="Odoo Currency", ondelete="set null")
    vat_scope = fields.Selection(VAT_SCOPES, string="VAT Scope")
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        string="Odoo Fiscal Position",
        ondelete="set null",
        domain="[('company_id', 'parent_of', company_id)]",
        help="VAT zones: the Odoo fiscal position of the zone. Customers and suppliers pulled "
        "in the zone get it; a partner's (or an invoice's) fiscal position gives the zone "
        "sent to e-conomic. Filled automatically (Odoo's Danish fiscal positions when the "
        "company uses the Danish chart, else by name or scope where only one fits); once "
        "chosen by hand, the sync keeps it.",
    )
    fiscal_position_manual = fields.Boolean(
        string="Fiscal Position Mapped by Hand",
        help="The fiscal position was chosen (or cleared) by a user: the sync never changes it.",
    )
    category_id = fields.Many2one(
        "product.category", string="Odoo Product Category", ondelete="set null"
    )
    uom_id = fields.Many2one("uom.uom", string="Odoo Unit of Measure", ondelete="set null")
    sales_accounts = fields.Text(
        string="Sales Accounts (JSON)",
        help="Product groups: the sales account number per VAT zone number (JSON), as "
        "e-conomic has them; invoices use them.",
    )
    sales_accounts_text = fields.Text(
        string="Sales Accounts",
        compute="_compute_sales_accounts_text",
        help="Product groups: the e-conomic sales account used per VAT zone.",
    )

    @api.depends("number")
    def _compute_sequence_key(self):
        for reference in self:
            number = reference.number or ""
            reference.sequence_key = int(number) if number.isdigit() else 0

    @api.depends("sales_accounts")
    def _compute_sales_accounts_text(self):
        """One line per VAT zone: ``Domestic (1): 1010 Salg af varer`` (read in one query per
        model for all the groups)."""
        accounts_of = {}
        for reference in self:
            try:
                accounts_of[reference] = json.loads(reference.sales_accounts or "{}")
            except ValueError:
                accounts_of[reference] = {}
        backends = self.backend_id.ids
        zones = {
            (zone.backend_id.id, zone.number): zone.name
            for zone in self.with_context(active_test=False).search(
                [("backend_id", "in", backends), ("kind", "=", "vat_zone")]
            )
        }
        numbers = {
            int(n) for accounts in accounts_of.values() for n in accounts.values() if _digits(n)
        }
        names = {
            (account.backend_id.id, account.account_number): account.name
            for account in self.env["economic.account"]
            .with_context(active_test=False)
            .search([("backend_id", "in", backends), ("account_number", "in", list(numbers))])
        }
        for reference in self:
            backend = reference.backend_id.id
            lines = []
            for zone, number in sorted(
                accounts_of[reference].items(), key=lambda kv: (len(kv[0]), kv[0])
            ):
                name = names.get((backend, int(number))) if _digits(number) else None
                account = " ".join(str(part) for part in (number, name) if part)
                zone_name = zones.get((backend, str(zone)))
                lines.append(
                    "%s (%s): %s" % (zone_name, zone, account)
                    if zone_name
                    else "%s: %s" % (zone, account)
                )
            reference.sales_accounts_text = "\n".join(lines) or False

    @api.depends("number", "name")
    def _compute_display_name(self):
        for reference in self:
            if reference.name and reference.name != reference.number:
                reference.display_name = "%s (%s)" % (reference.name, reference.number)
            else:
                reference.display_name = reference.number or ""

    def write(self, vals):
        if "fiscal_position_id" in vals and not self.env.context.get("economic_sync_write"):
            vals = dict(vals, fiscal_position_manual=True)
        return super().write(vals)

    def _data_dict(self):
        self.ensure_one()
        try:
            return json.loads(self.data or "{}")
        except ValueError:
            return {}

    # ------------------------------------------------------------------ refresh
    @api.model
    def _store_sales_accounts(self, backend, sales_accounts):
        """Keep each product group's sales accounts (``{group: {zone: account}}``)."""
        groups = self.search([("backend_id", "=", backend.id), ("kind", "=", "product_group")])
        for group in groups:
            text = json.dumps(sales_accounts.get(group.number) or {}, sort_keys=True)
            if group.sales_accounts != text:
                group.sales_accounts = text

    @api.model
    def _upsert_from_economic(self, backend, kind, records):
        """Create or update the references of ``kind`` from e-conomic ``records``;
        archive the ones e-conomic no longer has. Returns the active references."""
        key_name = REFERENCE_SOURCES[kind][1]
        existing = {
            ref.number: ref
            for ref in self.with_context(active_test=False).search(
                [("backend_id", "=", backend.id), ("kind", "=", kind)]
            )
        }
        seen = self.browse()
        to_create = []
        for record in records:
            if not isinstance(record, dict) or record.get(key_name) in (None, ""):
                continue
            number = str(record[key_name])
            vals = {
                "name": record.get("name") or number,
                "data": jsonutil.dumps(record),
                "active": True,
            }
            reference = existing.get(number)
            if reference:
                changed = {k: v for k, v in vals.items() if reference[k] != v}
                if changed:
                    reference.write(changed)
                seen |= reference
            else:
                to_create.append(dict(vals, backend_id=backend.id, kind=kind, number=number))
        seen |= self.create(to_create)
        (self.browse([r.id for r in existing.values()]) - seen).filtered("active").write(
            {"active": False}
        )
        seen._auto_map()
        return seen

    @api.model
    def _odoo_counterparts(self):
        return list(ODOO_COUNTERPARTS)

    def _sales_account(self, vat_zone_number):
        """A product group's sales account number for a VAT zone (None if unknown)."""
        self.ensure_one()
        try:
            accounts = json.loads(self.sales_accounts or "{}")
        except ValueError:
            return None
        return accounts.get(str(vat_zone_number))

    def _auto_map_products(self):
        """Units by name (Danish and English names included); product groups to the product
        category of the same name, created under "All" when there is none: the group is where
        e-conomic keeps its products, so every pulled product has a category."""
        units = self.filtered(lambda r: r.kind == "unit" and not r.uom_id)
        if units:
            uoms = self.env["uom.uom"].search([])
            by_name = {uom.name.strip().casefold(): uom for uom in uoms}
            for reference in units:
                name = (reference.name or "").strip().casefold()
                uom = by_name.get(name)
                if not uom and name in UNIT_ALIASES:
                    uom = self.env.ref(UNIT_ALIASES[name], raise_if_not_found=False)
                if uom:
                    reference.uom_id = uom
        groups = self.filtered(lambda r: r.kind == "product_group" and not r.category_id)
        if groups:
            Category = self.env["product.category"].sudo()
            by_name = {
                category.name.strip().casefold(): category
                for category in Category.search([("name", "in", groups.mapped("name"))])
            }
            parent = self.env.ref("product.product_category_all", raise_if_not_found=False)
            for reference in groups:
                name = (reference.name or reference.number).strip()
                category = by_name.get(name.casefold())
                if not category:
                    category = Category.create(
                        {"name": name, "parent_id": parent.id if parent else False}
                    )
                    by_name[name.casefold()] = category
                reference.category_id = category

    def _auto_map(self):
        """Fill the empty Odoo counterparts where the match is unambiguous."""
        self._auto_map_products()
        currencies = self.filtered(lambda r: r.kind == "currency" and not r.currency_id)
        if currencies:
            by_code = {
                currency.name: currency
                for currency in self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "in", currencies.mapped("number"))])
            }
            for reference in currencies:
                currency = by_code.get(reference.number)
                if currency:
                    reference.currency_id = currency
        for reference in self.filtered(lambda r: r.kind == "vat_zone" and not r.vat_scope):
            scope = vat_scope_of(reference.number, reference.name)
            if scope:
                reference.vat_scope = scope
        self._auto_map_fiscal_positions()
        terms = self.filtered(lambda r: r.kind == "payment_term" and not r.payment_term_id)
        if terms:
            company = terms[0].backend_id.company_id
            odoo_terms = self.env["account.payment.term"].search(
                [("company_id", "in", [False, company.id])]
            )
            for reference in terms:
                term = reference._match_payment_term(odoo_terms)
                if term:
                    reference.payment_term_id = term

    # ------------------------------------------------------------------ fiscal positions
    def _auto_map_fiscal_positions(self):
        """VAT zones without a fiscal position (never one set or cleared by hand) get the
        one of their scope: the zone standing for the scope (the only one of it, else
        e-conomic's standard number 1/2/3; "Domestic exempt VAT" is left to the user) maps to
        Odoo's Danish fiscal position of that scope when the company uses the Danish chart,
        else to the company's fiscal position of the zone's name, else the only one of the
        scope (domestic: the company's country; EU: the European group; abroad: neither)."""
        todo = self.filtered(
            lambda r: r.kind == "vat_zone"
            and r.active
            and r.vat_scope
            and not r.fiscal_position_id
            and not r.fiscal_position_manual
        )
        for backend in todo.backend_id:
            zones = self.search(
                [
                    ("backend_id", "=", backend.id),
                    ("kind", "=", "vat_zone"),
                    ("vat_scope", "!=", False),
                ]
            )
            standing = {}
            for scope, _label in VAT_SCOPES:
                of_scope = zones.filtered(lambda z, scope=scope: z.vat_scope == scope)
                standard = of_scope.filtered(
                    lambda z, scope=scope: _SCOPE_BY_NUMBER.get(z.number) == scope
                )
                one = of_scope if len(of_scope) == 1 else standard
                if len(one) == 1:
                    standing[scope] = one
            candidates = self._fiscal_position_candidates(backend.company_id)
            for reference in todo.filtered(lambda r, b=backend: r.backend_id == b):
                if standing.get(reference.vat_scope) != reference:
                    continue
                position = candidates(reference)
                if position:
                    reference.with_context(economic_sync_write=True).fiscal_position_id = position

    def _fiscal_position_candidates(self, company):
        """A function giving a VAT zone's fiscal position in ``company`` (or nothing)."""
        Position = self.env["account.fiscal.position"].sudo()
        if company.chart_template == "dk":
            Chart = self.env["account.chart.template"].sudo().with_company(company)
            danish = {
                scope: Chart.ref(xmlid, raise_if_not_found=False) or Position
                for scope, xmlid in DANISH_FISCAL_POSITIONS.items()
            }
            return lambda zone: danish.get(zone.vat_scope, Position)
        positions = Position.search(Position._check_company_domain(company))
        europe = self.env.ref("base.europe", raise_if_not_found=False)

        def of_scope(position, scope):
            if scope == "domestic":
                return position.country_id == company.country_id and bool(company.country_id)
            if scope == "eu":
                return (
                    not position.country_id and bool(europe) and position.country_group_id == europe
                )
            return not position.country_id and not position.country_group_id

        def find(zone):
            name = (zone.name or "").strip().casefold()
            named = positions.filtered(lambda p: (p.name or "").strip().casefold() == name)
            if len(named) == 1:
                return named
            fitting = positions.filtered(lambda p: of_scope(p, zone.vat_scope))
            return fitting if len(fitting) == 1 else Position

        return find

    def action_create_odoo_payment_terms(self):
        """Create the missing Odoo payment terms for unmapped e-conomic ones and map them.

        Only e-conomic terms Odoo can express are created: *net* (N days after the invoice
        date) and *invoiceMonth* (N days after the end of the month), all due at once. Others
        (paid in cash, due date, factoring…) are left for the user to map, and said so."""
        self.check_access("write")
        todo = self.filtered(
            lambda r: r.kind == "payment_term" and r.active and not r.payment_term_id
        )
        created = self.env["account.payment.term"]
        skipped = []
        for reference in todo:
            data = reference._data_dict()
            delay_type = _DELAY_TYPES.get(data.get("paymentTermsType"))
            days = data.get("daysOfCredit") or 0
            if delay_type is None:
                skipped.append(reference.name)
                continue
            term = created.create(
                {
                    "name": reference.name,
                    "company_id": reference.backend_id.company_id.id,
                    "early_discount": False,
                    "line_ids": [
                        Command.clear(),
                        Command.create(
                            {
                                "value": "percent",
                                "value_amount": 100.0,
                                "delay_type": delay_type,
                                "nb_days": int(days),
                            }
                        ),
                    ],
                }
            )
            reference.payment_term_id = term
            created |= term
        message = self.env._("%(count)s Odoo payment terms created and mapped.", count=len(created))
        if skipped:
            message += " " + self.env._(
                "Map these by hand, Odoo cannot express them: %(names)s.",
                names=", ".join(skipped),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Payment terms"),
                "message": message,
                "type": "warning" if skipped else "success",
                "sticky": bool(skipped),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _can_create_payment_term(self):
        """Whether Odoo can express these e-conomic payment terms (net or end of month)."""
        self.ensure_one()
        return _DELAY_TYPES.get(self._data_dict().get("paymentTermsType")) is not None

    def _match_payment_term(self, odoo_terms):
        """The one Odoo payment term with the same name, else the same net days."""
        self.ensure_one()
        name = (self.name or "").strip().casefold()
        same_name = odoo_terms.filtered(lambda t: (t.name or "").strip().casefold() == name)
        if len(same_name) == 1:
            return same_name
        if same_name:
            return False
        data = self._data_dict()
        delay_type = _DELAY_TYPES.get(data.get("paymentTermsType"))
        days = data.get("daysOfCredit")
        if delay_type is None or days is None:
            return False

        def same_days(term):
            lines = term.line_ids
            return (
                len(lines) == 1
                and lines.value == "percent"
                and round(lines.value_amount, 2) == 100
                and lines.delay_type == delay_type
                and lines.nb_days == int(days)
                and not term.early_discount
            )

        candidates = odoo_terms.filtered(same_days)
        return candidates if len(candidates) == 1 else False
