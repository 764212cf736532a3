"""The chart of accounts and the accounting years of e-conomic, mirrored read-only per connection
(issue 7 §3), each e-conomic account mapped to an Odoo account.

The sync (``models/sync_ledger``) writes the mirror and maps it (``mapping.py``: by role, then
by equal number where kinds and names agree, never across kinds); what it cannot map surely
gets a suggestion the user confirms in one click (``action_accept_suggestion``) and a note
saying why and what to do. A mapping chosen by hand (``account_manual``) is the user's: the
sync never changes it.
"""

import re

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ...engine.adapters import MissingMapping
from ..economic_sync_state import RecordError

ACCOUNT_TYPES = [
    ("profitAndLoss", "Profit and Loss"),
    ("status", "Balance (Status)"),
    ("totalFrom", "Total From"),
    ("heading", "Heading"),
    ("headingStart", "Heading Start"),
    ("sumInterval", "Sum Interval"),
    ("sumAlpha", "Sum Alpha"),
]
#: e-conomic account types that take entries (headings and sums are not accounts in Odoo)
POSTABLE_TYPES = ("profitAndLoss", "status")
DEBIT_CREDIT = [("debit", "Debit"), ("credit", "Credit")]
#: why an account is mapped, suggested or left unmapped (``models/sync_ledger/mapping.py``)
MAP_REASONS = [
    ("customer_group", "Customer Group's Account"),
    ("supplier_group", "Supplier Group's Account"),
    ("vat_code", "VAT Code's Account"),
    ("journal", "Journal's Contra Account"),
    ("sales", "Product Group's Sales Account"),
    ("number", "Same Number, Kind and Name"),
    ("created", "Created from e-conomic"),
    ("conflict", "Roles Disagree"),
    ("name", "Same Name"),
    ("bank_name", "Name Says Bank"),
    ("cash_name", "Name Says Cash"),
    ("other_meaning", "Same Number, Other Meaning"),
    ("none", "No Match"),
]
#: how far a mapping is: what the Accounts view shows first (to do) and what it says
MAPPING_STATES = [
    ("todo", "To Map"),
    ("suggested", "Suggestion to Confirm"),
    ("auto", "Mapped Automatically"),
    ("manual", "Mapped by Hand"),
    ("none", "Nothing to Map"),
]
#: the order of the Accounts view: to do first, then suggestions, then the chart as it is
MAPPING_SEQUENCE = {"todo": 0, "suggested": 1}

#: name patterns (Danish and English) -> the Odoo account type of a balance (status) account,
#: the first that matches wins
_STATUS_WORDS = [
    ("asset_receivable", r"debitor|receivable|tilgodehavende\w* fra salg|kunder\b"),
    ("liability_payable", r"kreditor|payable|leverandør\w*gæld|leverandører\b"),
    ("asset_cash", r"\bbank|kasse\b|\bcash\b|\bgiro\b|petty"),
    ("liability_credit_card", r"kreditkort|credit card"),
    (
        "equity",
        r"egenkapital|equity|aktiekapital|anpartskapital|share capital|overført resultat"
        r"|retained earnings",
    ),
    (
        "asset_fixed",
        r"inventar|driftsmidler|maskiner|bygning|ejendom|grund\b|fixed asset"
        r"|equipment|machinery|building|property|goodwill",
    ),
    ("asset_prepayments", r"forudbetal|periodeafgrænsning|prepaid|prepayment"),
    ("liability_non_current", r"langfristet|long[- ]term|realkredit|mortgage"),
]
#: name patterns -> the Odoo account type of a debit profit-and-loss account
_EXPENSE_WORDS = [
    ("expense_depreciation", r"afskrivning|depreciation|amorti[sz]ation"),
    (
        "expense_direct_cost",
        r"vareforbrug|varekøb|købsomkostning|fremmed arbejde|cost of goods"
        r"|cost of sales|cost of revenue|purchases?\b|direct cost",
    ),
]
#: name patterns -> the Odoo account type of a credit profit-and-loss account
_INCOME_WORDS = [
    ("income_other", r"renteindtægt|interest income|andre indtægter|other income|kursgevinst"),
]


def _first_match(rules, name, default):
    for account_type, pattern in rules:
        if re.search(pattern, name or "", re.IGNORECASE):
            return account_type
    return default


def odoo_account_type(economic_type, debit_credit, name):
    """The Odoo ``account_type`` of a postable e-conomic account: balance (status) accounts are
    assets (debit) or liabilities (credit) unless their name says receivable, payable, bank and
    cash, equity, fixed assets…; profit-and-loss accounts are income (credit) or expenses
    (debit), cost of goods and depreciation recognised by name. None for headings and sums."""
    if economic_type == "status":
        default = "asset_current" if debit_credit == "debit" else "liability_current"
        return _first_match(_STATUS_WORDS, name, default)
    if economic_type == "profitAndLoss":
        if debit_credit == "credit":
            return _first_match(_INCOME_WORDS, name, "income")
        return _first_match(_EXPENSE_WORDS, name, "expense")
    return None


class EconomicAccount(models.Model):
    """One account of e-conomic's chart of accounts, as one connection sees it."""

    _name = "economic.account"
    _description = "e-conomic Account"
    _order = "backend_id, account_number"
    _rec_names_search = ["name", "account_number"]
    _check_company_auto = True

    _sql_constraints = [
        (
            "backend_number_uniq",
            "unique(backend_id, account_number)",
            "An e-conomic account exists only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    account_number = fields.Integer(string="Number", required=True, aggregator=False)
    name = fields.Char()
    account_type = fields.Selection(ACCOUNT_TYPES, string="Type")
    debit_credit = fields.Selection(DEBIT_CREDIT, string="Debit/Credit")
    vat_code = fields.Char(string="VAT Code", help="The account's default e-conomic VAT code.")
    balance = fields.Float(digits="Account", help="The balance e-conomic shows (every pass).")
    draft_balance = fields.Float(digits="Account", help="Including the drafts not yet booked.")
    barred = fields.Boolean(help="Barred in e-conomic: no new entries.")
    block_direct_entries = fields.Boolean(help="Only entries through its sub-ledger.")
    postable = fields.Boolean(
        compute="_compute_postable",
        store=True,
        help="An account that takes entries (profit and loss, balance); headings and sums "
        "have no Odoo counterpart.",
    )
    data = fields.Text(string="e-conomic Record", help="The record as e-conomic sent it (JSON).")
    active = fields.Boolean(default=True)
    account_id = fields.Many2one(
        "account.account",
        string="Odoo Account",
        ondelete="set null",
        check_company=True,
        help="The Odoo account this e-conomic account is. Filled automatically by role (groups, "
        "VAT codes, journals, product groups) or where an Odoo account of the same kind has "
        "its number and name; once chosen by hand, the sync keeps it.",
    )
    account_manual = fields.Boolean(
        string="Mapped by Hand",
        help="The Odoo account was chosen by a user: the sync never changes it.",
    )
    journal_names = fields.Char(
        string="Contra Account of Journals",
        help="The e-conomic journals (daybooks) that have this account as contra account: a "
        "bank or cash account.",
    )
    suggested_account_id = fields.Many2one(
        "account.account",
        string="Suggested Odoo Account",
        ondelete="set null",
        check_company=True,
        help="What the automatic mapping would choose, but not surely enough to apply it: "
        "accept it or choose another account.",
    )
    map_reason = fields.Selection(
        MAP_REASONS,
        string="Mapping Reason",
        help="Why the automatic mapping chose, suggested or left out an Odoo account.",
    )
    map_detail = fields.Char(
        string="Mapping Details",
        help="What the reason refers to: groups, VAT codes, journals, Odoo accounts.",
    )
    mapping_state = fields.Selection(
        MAPPING_STATES, compute="_compute_mapping_state", store=True, string="Mapping"
    )
    mapping_sequence = fields.Integer(compute="_compute_mapping_state", store=True)
    mapping_note = fields.Char(
        string="What to Do",
        compute="_compute_mapping_note",
        help="How the account is mapped, or why it is not and what to do.",
    )

    @api.depends("account_type")
    def _compute_postable(self):
        for account in self:
            account.postable = account.account_type in POSTABLE_TYPES

    @api.depends("account_number", "name")
    def _compute_display_name(self):
        for account in self:
            account.display_name = "%s %s" % (account.account_number, account.name or "")

    @api.depends("postable", "active", "account_id", "account_manual", "suggested_account_id")
    def _compute_mapping_state(self):
        for account in self:
            if not account.postable or not account.active:
                state = "none"
            elif account.account_id:
                state = "manual" if account.account_manual else "auto"
            else:
                state = "suggested" if account.suggested_account_id else "todo"
            account.mapping_state = state
            account.mapping_sequence = MAPPING_SEQUENCE.get(state, 2)

    @api.depends("mapping_state", "map_reason", "map_detail", "account_manual")
    @api.depends_context("lang")
    def _compute_mapping_note(self):
        for account in self:
            account.mapping_note = account._mapping_note()

    def _mapping_note(self):
        """The mapping in words, in the user's language: how it was made, or why there is
        none and what to do."""
        self.ensure_one()
        _ = self.env._
        detail = self.map_detail or ""
        if self.mapping_state == "none":
            return _("A heading or a sum: nothing to map.") if self.active else False
        if self.mapping_state == "manual":
            return _("Mapped by hand: the sync never changes it.")
        mapped = {
            "customer_group": _(
                "The account of the customer groups %(detail)s: the company's receivable "
                "account.",
                detail=detail,
            ),
            "supplier_group": _(
                "The account of the supplier groups %(detail)s: the company's payable account.",
                detail=detail,
            ),
            "vat_code": _(
                "Where the VAT codes %(detail)s book their VAT: the account of their Odoo taxes.",
                detail=detail,
            ),
            "journal": _(
                "The contra account of the journals %(detail)s: the Odoo bank or cash "
                "journal's account.",
                detail=detail,
            ),
            "sales": _(
                "A sales account of the product groups %(detail)s: the income account Odoo "
                "uses for their VAT zones.",
                detail=detail,
            ),
            "number": _("Same number, kind and name in Odoo."),
            "created": _("Created in Odoo from the e-conomic account."),
        }
        if self.account_id:
            return mapped.get(self.map_reason) or _("Mapped automatically.")
        todo = _("Choose the Odoo account, or create it with Create Missing Odoo Accounts.")
        if self.account_manual:
            return _("Left unmapped by hand: the sync leaves it so.") + " " + todo
        accept = _("Accept the suggestion, or choose another Odoo account.")
        reasons = {
            "conflict": _(
                "Its roles in e-conomic point at different Odoo accounts (%(detail)s).",
                detail=detail,
            ),
            "name": _("An Odoo account of the same kind has the same name."),
            "bank_name": _("Its name says bank: the Odoo bank journal's account."),
            "cash_name": _("Its name says cash: the Odoo cash journal's account."),
            "other_meaning": _(
                "The Odoo account %(detail)s has the same number but another kind or name: "
                "not the same account.",
                detail=detail,
            ),
            "none": _("No Odoo account of the same kind has its number and name."),
        }
        reason = reasons.get(self.map_reason) or _("Not mapped yet: the next pass maps it.")
        return "%s %s" % (reason, accept if self.suggested_account_id else todo)

    def write(self, vals):
        if "account_id" in vals and not self.env.context.get("economic_sync_write"):
            # the user's choice: kept by the sync, the automatic reasoning no longer applies
            vals = dict(
                vals,
                account_manual=True,
                suggested_account_id=False,
                map_reason=False,
                map_detail=False,
            )
        return super().write(vals)

    # ------------------------------------------------------------------ mapping
    def action_accept_suggestion(self):
        """Map the selected accounts to their suggested Odoo accounts: the user's choice (by
        hand), kept by the sync. With the user's rights."""
        self.check_access("write")
        todo = self.filtered(lambda a: a.suggested_account_id and not a.account_id)
        if not todo:
            raise UserError(self.env._("None of these e-conomic accounts has a suggestion."))
        for target, accounts in todo.grouped("suggested_account_id").items():
            accounts.write({"account_id": target.id})
        return True

    @api.model
    def _economic_menu(self):
        """Where the user maps e-conomic accounts (the menu's path as they see it)."""
        return self.env["ir.ui.menu"]._economic_menu_path("economic_sync.menu_economic_account")

    @api.model
    def _account_for(self, backend, number):
        """The Odoo account of the e-conomic account ``number`` of ``backend``; raises
        ``MissingMapping`` naming what to configure when it is unknown or not mapped."""
        account = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [("backend_id", "=", backend.id), ("account_number", "=", int(number))], limit=1
            )
        )
        if not account or not account.active:
            raise MissingMapping(
                self.env._(
                    "The e-conomic account %(number)s is not in the chart of accounts read from "
                    "the connection %(connection)s: run a pass, then map it under %(menu)s.",
                    number=number,
                    connection=backend.display_name,
                    menu=self._economic_menu(),
                )
            )
        if not account.account_id:
            raise MissingMapping(
                self.env._(
                    "Map the e-conomic account %(number)s (%(name)s) to an Odoo account under "
                    "%(menu)s.",
                    number=account.account_number,
                    name=account.name or "",
                    menu=self._economic_menu(),
                )
            )
        return self.env["account.account"].browse(account.account_id.id)  # not the sudo() record

    # ------------------------------------------------------------------ create missing
    def action_create_missing_accounts(self):
        """Create the Odoo accounts of the unmapped postable e-conomic accounts (the selected
        ones, else every one the user sees that has no suggestion to confirm) with a type from
        their kind, side and name, and map them. Managers only (the Odoo accounts are created
        with the user's own rights)."""
        self.check_access("write")
        accounts = self or self.search([]).filtered(lambda a: not a.suggested_account_id)
        todo = accounts.filtered(lambda a: a.active and a.postable and not a.account_id)
        created = self.env["account.account"]
        taken = []
        Ledger = self.env["economic.sync.ledger"]
        for backend, group in todo.grouped("backend_id").items():
            Ledger._auto_map_ledger(backend)
            new, existing = group.filtered(lambda a: not a.account_id)._create_odoo_accounts(
                backend.company_id
            )
            created |= new
            taken += existing
        return self._created_notification(created, taken)

    def _create_odoo_accounts(self, company):
        """Create and map the Odoo accounts of ``self`` (one create); returns them and the
        numbers left out because an Odoo account already has that code."""
        Account = self.env["account.account"].with_company(company)
        codes = [str(n) for n in self.mapped("account_number")]
        existing = set(
            Account.search([*Account._check_company_domain(company), ("code", "in", codes)]).mapped(
                "code"
            )
        )
        todo = self.filtered(lambda a: str(a.account_number) not in existing)
        vals_list = [account._odoo_account_vals(company) for account in todo]
        created = Account.create(vals_list)
        for account, odoo_account in zip(todo, created, strict=True):
            account.with_context(economic_sync_write=True).write(
                {
                    "account_id": odoo_account.id,
                    "suggested_account_id": False,
                    "map_reason": "created",
                    "map_detail": False,
                }
            )
        return created, sorted(existing)

    def _odoo_account_vals(self, company):
        self.ensure_one()
        account_type = odoo_account_type(self.account_type, self.debit_credit, self.name)
        return {
            "code": str(self.account_number),
            "name": self.name or str(self.account_number),
            "account_type": account_type,
            "reconcile": account_type in ("asset_receivable", "liability_payable"),
            "deprecated": self.barred,
            "company_ids": [Command.set([company.id])],
        }

    def _created_notification(self, created, taken):
        _ = self.env._
        message = _("%(count)s Odoo accounts created and mapped.", count=len(created))
        if taken:
            message += " " + _(
                "Not created, an Odoo account already has their code (map them by hand): "
                "%(numbers)s.",
                numbers=", ".join(taken),
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("e-conomic accounts"),
                "message": message,
                "type": "success" if created else "info",
                "sticky": bool(taken),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_odoo_account(self):
        self.ensure_one()
        if not self.account_id:
            raise UserError(self.env._("This e-conomic account is not mapped yet."))
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.account",
            "res_id": self.account_id.id,
            "view_mode": "form",
        }


class EconomicAccountingYear(models.Model):
    """One accounting year of e-conomic, as one connection sees it."""

    _name = "economic.accounting.year"
    _description = "e-conomic Accounting Year"
    _order = "backend_id, from_date desc"
    _rec_name = "year"

    _sql_constraints = [
        (
            "backend_year_uniq",
            "unique(backend_id, year)",
            "An e-conomic accounting year exists only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    year = fields.Char(required=True, help='As e-conomic names it, e.g. "2026" or "2025/2026".')
    from_date = fields.Date(string="From")
    to_date = fields.Date(string="To")
    closed = fields.Boolean(help="Closed in e-conomic: no more entries.")
    data = fields.Text(string="e-conomic Record", help="The record as e-conomic sent it (JSON).")
    active = fields.Boolean(default=True)

    @api.model
    def _economic_year_of(self, state, day):
        """The e-conomic accounting year (as e-conomic names it, e.g. "2026") of ``day`` on
        the pass's connection, from the mirror the Accounts pull keeps (read once per pass);
        a ``RecordError`` naming what to do when no year covers it."""
        years = getattr(state, "accounting_years", None)
        if years is None:
            years = state.accounting_years = self.search_read(
                [("backend_id", "=", state.backend.id)], ["year", "from_date", "to_date"]
            )
        for row in years:
            if row["from_date"] and row["to_date"] and row["from_date"] <= day <= row["to_date"]:
                return row["year"]
        raise RecordError(
            self.env._(
                "No e-conomic accounting year covers %(day)s: create it in e-conomic, then "
                "pull the Accounts (they bring the accounting years).",
                day=fields.Date.to_string(day),
            )
        )
