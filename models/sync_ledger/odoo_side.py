"""The Odoo side of the ledger's automatic mapping: what one company's chart offers, read once
per mapping run (a handful of queries whatever the size of the charts).

* its accounts with their codes, types and every name they have: the stored translations and,
  when the company's chart comes from a chart template, the template's translated names (the
  Danish chart's ``name@da_DK``: Danish names are there even when Danish is not installed);
* the accounts of its roles: receivable, payable and income defaults, the bank and cash
  journals' accounts, an account mapped through a fiscal position;
* the taxes and fiscal positions of its chart template by template XML id.
"""

import logging
import re
import unicodedata

from odoo.tools import SQL

from .const import DANISH_CHART, NAME_STOPWORDS

_logger = logging.getLogger(__name__)


def name_words(name):
    """The words of an account name that say what it is (lower case, no stop words)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    return frozenset(
        word
        for word in re.findall(r"\w+", text)
        if word not in NAME_STOPWORDS and not word.isdigit() and len(word) > 1
    )


def name_score(words_a, words_b):
    """How much two names agree, 0 to 1: the share of their words in common; a name whose
    words are all in the other counts at least one half ("Husleje" and "Husleje, ekskl. el,
    vand og varme"), more the fewer words the other adds."""
    if not words_a or not words_b:
        return 0.0
    common = len(words_a & words_b)
    if not common:
        return 0.0
    score = common / len(words_a | words_b)
    if words_a <= words_b or words_b <= words_a:
        score = max(score, 0.5 + score / 10)
    return score


class OdooSide:
    """What the company's Odoo chart offers the mapping (see the module's docstring)."""

    def __init__(self, env, company):
        self.env = env(su=True)
        self.company = company.with_env(self.env)
        self.chart = self.company.chart_template or False
        self.danish = self.chart == DANISH_CHART
        Account = self.env["account.account"].with_company(self.company)
        self.accounts = Account.search(
            [*Account._check_company_domain(self.company), ("deprecated", "=", False)]
        )
        self.by_code = {account.code: account for account in self.accounts}
        self.words = self._account_words()
        self._refs = {}
        self.receivable = self._default("res.partner", "property_account_receivable_id")
        self.payable = self._default("res.partner", "property_account_payable_id")
        self.income = self._default("product.category", "property_account_income_categ_id")
        journals = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company),
                ("type", "in", ("bank", "cash", "sale")),
            ],
            order="sequence, id",
        )
        self.bank_accounts = journals.filtered(lambda j: j.type == "bank").default_account_id
        self.cash_accounts = journals.filtered(lambda j: j.type == "cash").default_account_id
        if not self.income:
            self.income = journals.filtered(lambda j: j.type == "sale")[:1].default_account_id

    # ------------------------------------------------------------------ accounts
    def _default(self, model, fname):
        value = self.env["ir.default"]._get(model, fname, company_id=self.company.id)
        account = self.env["account.account"].browse(value or [])
        return account if account in self.accounts else self.env["account.account"]

    def _account_words(self):
        """``{account id: [words of each of its names]}``: every stored translation (one
        query) and the chart template's names of the accounts it made."""
        names = {account.id: set() for account in self.accounts}
        if names:
            self.env["account.account"].flush_model(["name"])
            rows = self.env.execute_query(
                SQL(
                    "SELECT id, name FROM account_account WHERE id = ANY(%s)",
                    list(names),
                )
            )
            for account_id, translations in rows:
                names[account_id].update((translations or {}).values())
        for account_id, template_names in self._template_names().items():
            if account_id in names:
                names[account_id].update(template_names)
        return {
            account_id: [words for words in map(name_words, values) if words]
            for account_id, values in names.items()
        }

    def _template_names(self):
        """``{account id: names}`` from the company's chart template (``name`` and every
        ``name@lang``), for the accounts the template made (their XML ids)."""
        if not self.chart:
            return {}
        Template = self.env["account.chart.template"]
        try:
            rows = Template._parse_csv(self.chart, "account.account")
        except (KeyError, TypeError, ValueError, OSError) as error:
            _logger.debug("chart template %s: no account names (%s)", self.chart, error)
            return {}
        prefix = "%s_" % self.company.id
        data = self.env["ir.model.data"].search(
            [
                ("module", "=", "account"),
                ("model", "=", "account.account"),
                ("name", "in", [prefix + template_id for template_id in rows]),
            ]
        )
        out = {}
        for row in data:
            values = rows.get(row.name[len(prefix) :], {})
            out[row.res_id] = {
                value
                for key, value in values.items()
                if (key == "name" or key.startswith("name@")) and value
            }
        return out

    def name_score(self, account, name):
        """How well ``name`` agrees with any name of the Odoo ``account`` (0 to 1)."""
        words = name_words(name)
        return max(
            (name_score(words, other) for other in self.words.get(account.id, ())), default=0.0
        )

    # ------------------------------------------------------------------ chart template records
    def refs(self, model, template_ids):
        """``{template id: record}`` of the company's chart template (archived ones too), for
        the Danish chart; one search for all the ids not looked up yet."""
        if not self.danish:
            return {}
        todo = [t for t in template_ids if t and (model, t) not in self._refs]
        if todo:
            prefix = "%s_" % self.company.id
            found = {
                row.name[len(prefix) :]: row.res_id
                for row in self.env["ir.model.data"].search(
                    [
                        ("module", "=", "account"),
                        ("model", "=", model),
                        ("name", "in", [prefix + t for t in todo]),
                    ]
                )
            }
            records = self.env[model].with_context(active_test=False)
            for template_id in todo:
                self._refs[(model, template_id)] = records.browse(found.get(template_id, []))
        return {t: self._refs[(model, t)] for t in template_ids if t and self._refs[(model, t)]}

    def income_of(self, fiscal_position):
        """The income account Odoo uses for a sale under ``fiscal_position`` (or none)."""
        if not self.income:
            return self.income
        return fiscal_position.map_account(self.income) if fiscal_position else self.income
