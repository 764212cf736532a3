"""The mirrors of the journal entries package: e-conomic's booked entries (``economic.entry``)
and journals (``economic.journal``), per connection, read-only; what an accounting year
remembers of the reading of its entries."""

from odoo import api, fields, models

#: e-conomic's entry types (``entryType`` of a booked entry, docs/ECONOMIC.md §4.8)
ENTRY_TYPES = [
    ("customerInvoice", "Customer Invoice"),
    ("customerPayment", "Customer Payment"),
    ("supplierInvoice", "Supplier Invoice"),
    ("supplierPayment", "Supplier Payment"),
    ("financeVoucher", "Finance Voucher"),
    ("reminder", "Reminder"),
    ("openingEntry", "Opening Entry"),
    ("transferredOpeningEntry", "Transferred Opening Entry"),
    ("systemEntry", "System Entry"),
    ("manualDebtorInvoice", "Manual Customer Invoice"),
]
#: the entry types a journal can be restricted to (``settings.entryTypeRestrictedTo``)
JOURNAL_ENTRY_TYPES = [
    ("financeVoucher", "Finance Voucher"),
    ("customerPayment", "Customer Payment"),
    ("supplierInvoice", "Supplier Invoice"),
    ("supplierPayment", "Supplier Payment"),
    ("manualCustomerInvoice", "Manual Customer Invoice"),
]


class EconomicEntry(models.Model):
    """One booked entry of e-conomic's ledger, as one connection sees it: never edited by the
    sync except its remainder (e-conomic changes it with payments); never posted in Odoo."""

    _name = "economic.entry"
    _description = "e-conomic Journal Entry"
    _order = "date desc, entry_number desc"
    _rec_name = "entry_number"
    _check_company_auto = True

    _sql_constraints = [
        (
            "backend_year_number_uniq",
            "unique(backend_id, year, entry_number)",
            "An e-conomic entry exists only once per accounting year and connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    year_id = fields.Many2one(
        "economic.accounting.year", string="Accounting Year", ondelete="cascade", index=True
    )
    year = fields.Char(string="Year", required=True)
    entry_number = fields.Integer(string="Entry", required=True, aggregator=False)
    entry_type = fields.Selection(ENTRY_TYPES, string="Type", index=True)
    date = fields.Date(index=True)
    due_date = fields.Date()
    voucher_number = fields.Integer(string="Voucher", aggregator=False, index=True)
    text = fields.Char()
    currency_code = fields.Char(string="Currency Code")
    currency_id = fields.Many2one("res.currency", string="Currency")
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Base Currency")
    amount = fields.Monetary(currency_field="currency_id", help="Debit positive, credit negative.")
    amount_base = fields.Monetary(
        string="Amount in Base Currency",
        currency_field="company_currency_id",
        help="e-conomic's amount in the agreement's base currency.",
    )
    account_number = fields.Integer(string="Account Number", aggregator=False)
    economic_account_id = fields.Many2one(
        "economic.account", string="e-conomic Account", ondelete="set null", index=True
    )
    account_id = fields.Many2one(
        related="economic_account_id.account_id",
        store=True,
        string="Odoo Account",
        help="The Odoo account the e-conomic account is mapped to.",
    )
    vat_code = fields.Char(string="VAT Code")
    vat_code_id = fields.Many2one("economic.vat.code", string="e-conomic VAT Code")
    customer_number = fields.Integer(aggregator=False)
    supplier_number = fields.Integer(aggregator=False)
    partner_id = fields.Many2one(
        "res.partner",
        string="Partner",
        index="btree_not_null",
        help="The Odoo partner bound to the entry's e-conomic customer or supplier.",
    )
    supplier_invoice_number = fields.Char()
    invoice_number = fields.Char()
    booked_invoice_number = fields.Integer(aggregator=False)
    remainder = fields.Monetary(currency_field="currency_id")
    remainder_base = fields.Monetary(
        string="Remainder in Base Currency", currency_field="company_currency_id"
    )

    @api.depends("year", "entry_number", "text")
    def _compute_display_name(self):
        for entry in self:
            label = "%s/%s" % (entry.year, entry.entry_number)
            entry.display_name = "%s %s" % (label, entry.text) if entry.text else label


class EconomicJournal(models.Model):
    """One journal (day book, "kassekladde") of e-conomic, as one connection sees it."""

    _name = "economic.journal"
    _description = "e-conomic Journal"
    _order = "backend_id, journal_number"
    _rec_names_search = ["name", "journal_number"]

    _sql_constraints = [
        (
            "backend_number_uniq",
            "unique(backend_id, journal_number)",
            "An e-conomic journal exists only once per connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    journal_number = fields.Integer(string="Number", required=True, aggregator=False)
    name = fields.Char()
    entry_type_restricted_to = fields.Selection(
        JOURNAL_ENTRY_TYPES,
        string="Only Entries Of Type",
        help="The only kind of entry the journal accepts; empty: any kind.",
    )
    customer_payment_account = fields.Integer(
        string="Contra Account of Customer Payments", aggregator=False
    )
    supplier_payment_account = fields.Integer(
        string="Contra Account of Supplier Payments", aggregator=False
    )
    finance_voucher_account = fields.Integer(
        string="Contra Account of Finance Vouchers", aggregator=False
    )
    min_voucher_number = fields.Integer(string="First Voucher Number", aggregator=False)
    data = fields.Text(string="e-conomic Record", help="The record as e-conomic sent it (JSON).")
    active = fields.Boolean(default=True)

    @api.depends("journal_number", "name")
    def _compute_display_name(self):
        for journal in self:
            journal.display_name = "%s %s" % (journal.journal_number, journal.name or "")


class EconomicAccountingYear(models.Model):
    """What the journal entries package remembers of each year's entries."""

    _inherit = "economic.accounting.year"

    entries_last_number = fields.Integer(
        string="Entries Read Up To",
        aggregator=False,
        help="The highest entry number read: the next pass asks for higher ones only.",
    )
    entries_complete = fields.Boolean(
        string="Entries Read Whole",
        help="The year was closed when its entries were last read whole: closed years never "
        "change, so they are not read again.",
    )
    entries_read_at = fields.Datetime(string="Entries Read On")
    entry_count = fields.Integer(compute="_compute_entry_count", string="Entries")

    def _compute_entry_count(self):
        counts = {
            year.id: count
            for year, count in self.env["economic.entry"]._read_group(
                [("year_id", "in", self.ids)], groupby=["year_id"], aggregates=["__count"]
            )
        }
        for year in self:
            year.entry_count = counts.get(year.id, 0)

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.economic_entry_action"
        )
        action["domain"] = [("year_id", "=", self.id)]
        return action
