"""The journal entries entity module: e-conomic's booked ledger entries and its journals, read
first (docs/SYNC.md §2: strategy ``read_only``, never pushed) and mirrored per connection.

Entries have no ``lastUpdated`` and are never edited (a reversal is a new entry); only their
remainder moves with payments (docs/ECONOMIC.md §4.8, §5). So each accounting year is read by
entry number: an incremental pass asks for the numbers above the year's watermark (one request
when nothing was booked); a full pass (and the first read) reads the open years whole and
compares (new entries created, changed remainders written, entries e-conomic no longer has
removed from the mirror); a closed year is read whole once after it closed, then never again.
Every page is upserted with one search, one create and one write per set of equal changes,
then committed. Entries are never posted in Odoo's ledger: the invoices are (docs/ENGINE.md
"Journal entries")."""

import logging

from odoo import fields, models
from odoo.tools import LazyTranslate

from ...economic_client import F
from ..economic_binding_mixin import with_backend_company
from ..economic_sync_entity import Entity
from ..economic_sync_state import PAGE_SIZE
from ..sync_ledger.pull import MIRRORS as LEDGER_MIRRORS
from .entry import ENTRY_TYPES

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

ENTITY = "journal_entry"
ENTRY_TYPE_KEYS = {key for key, _label in ENTRY_TYPES}
#: the fields of a mirrored entry a later read may change (remainders move with payments; the
#: links follow bindings and mirrors that arrive later)
CHANGING = (
    "remainder",
    "remainder_base",
    "partner_id",
    "economic_account_id",
    "vat_code_id",
    "due_date",
    "text",
)


def _ref(record, name, key):
    value = record.get(name)
    return value.get(key) if isinstance(value, dict) else None


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class Links:
    """What a page's entries point at, read once per pass (accounts, VAT codes, currencies) or
    once per page (the bound partners of its customers and suppliers)."""

    def __init__(self, env, backend):
        self.env = env
        self.backend = backend
        Account = env["economic.account"].sudo().with_context(active_test=False)
        self.accounts = dict(
            Account._read_group(
                [("backend_id", "=", backend.id)],
                groupby=["account_number"],
                aggregates=["id:min"],
            )
        )
        Vat = env["economic.vat.code"].sudo().with_context(active_test=False)
        self.vat_codes = dict(
            Vat._read_group([("backend_id", "=", backend.id)], ["code"], ["id:min"])
        )
        self.currencies = {
            c.name: c.id
            for c in env["res.currency"].sudo().with_context(active_test=False).search([])
        }
        self.partners = {}

    def load_partners(self, records):
        """The partners bound to the customers and suppliers of a page: one search."""
        wanted = {}
        for record in records:
            for kind, name, key in (
                ("customer", "customer", "customerNumber"),
                ("supplier", "supplier", "supplierNumber"),
            ):
                number = _ref(record, name, key)
                if number and (kind, number) not in self.partners:
                    wanted.setdefault(kind, set()).add(str(number))
        if not wanted:
            return
        Binding = self.env["economic.partner.binding"].sudo()
        domain = [("backend_id", "=", self.backend.id), ("remote_archived", "=", False)]
        for kind, keys in wanted.items():
            for binding in Binding.search(
                domain + [("kind", "=", kind), ("economic_key", "in", list(keys))]
            ):
                self.partners[(kind, int(binding.economic_key))] = binding.partner_id.id
            for key in keys:
                self.partners.setdefault((kind, int(key)), False)

    def values(self, year, record):
        """The mirror's values of one e-conomic entry of ``year`` (an accounting year)."""
        account = _ref(record, "account", "accountNumber") or 0
        vat_code = _ref(record, "vatAccount", "vatCode") or False
        currency = record.get("currency")
        if isinstance(currency, dict):
            currency = currency.get("code")
        customer = _ref(record, "customer", "customerNumber") or 0
        supplier = _ref(record, "supplier", "supplierNumber") or 0
        partner = self.partners.get(("customer", customer)) if customer else False
        if supplier and not partner:
            partner = self.partners.get(("supplier", supplier)) or False
        entry_type = record.get("entryType")
        return {
            "year_id": year.id,
            "year": year.year,
            "entry_type": entry_type if entry_type in ENTRY_TYPE_KEYS else False,
            "date": record.get("date") or False,
            "due_date": record.get("dueDate") or False,
            "voucher_number": _number(record.get("voucherNumber")),
            "text": record.get("text") or False,
            "currency_code": currency or False,
            "currency_id": self.currencies.get(currency) or False,
            "amount": float(record.get("amount") or 0.0),
            "amount_base": float(record.get("amountInBaseCurrency") or 0.0),
            "account_number": account,
            "economic_account_id": self.accounts.get(account) or False,
            "vat_code": vat_code,
            "vat_code_id": self.vat_codes.get(vat_code) or False,
            "customer_number": customer,
            "supplier_number": supplier,
            "partner_id": partner or False,
            "supplier_invoice_number": record.get("supplierInvoiceNumber") or False,
            "invoice_number": record.get("invoiceNumber") or False,
            "booked_invoice_number": _ref(record, "bookedInvoice", "bookedInvoiceNumber") or 0,
            "remainder": float(record.get("remainder") or 0.0),
            "remainder_base": float(record.get("remainderInBaseCurrency") or 0.0),
        }


class EconomicSyncEntry(models.AbstractModel):
    _name = "economic.sync.entry"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: journal entries"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Journal Entries"),
            _lt("Journal Entry"),
            "economic.entry",
            100,
            read_first=True,
        ),
    )
    _economic_sequence = 60

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models.setdefault(ENTITY, "economic.entry")

    def _economic_record_counts(self, backend_ids):
        return {
            (backend.id, ENTITY): count
            for backend, count in self.env["economic.entry"]._read_group(
                [("backend_id", "in", backend_ids)], groupby=["backend_id"], aggregates=["__count"]
            )
        }

    def _economic_pass(self, state, entities, full):
        if ENTITY not in entities or not state.setting(ENTITY)["pull"]:
            return
        started = fields.Datetime.now()
        self._mirror_journals(state)
        links = Links(self.env, state.backend)
        for year in self._entry_years(state):
            self._read_year(state, links, year, full)
        self._link_entries(state)
        self._pull_finished(state, ENTITY, started)

    # ================================================================== years
    def _entry_years(self, state):
        """The accounting years whose entries may have changed: every open year, and the
        closed years not read whole since they closed. The years are the ledger's mirror; when
        the accounts are not pulled, this pass reads them (one request)."""
        if not state.setting("account")["pull"]:
            ledger = self.env["economic.sync.ledger"]
            for mirror in LEDGER_MIRRORS["account"]:
                if mirror[0] == "economic.accounting.year":
                    ledger._mirror(state, "account", *mirror)
        return (
            self.env["economic.accounting.year"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("active", "=", True),
                    "|",
                    ("closed", "=", False),
                    ("entries_complete", "=", False),
                ],
                order="from_date",
            )
        )

    def _read_year(self, state, links, year, full):
        """Read one year's entries: above its watermark, or whole (and compare)."""
        whole = full or year.closed or not year.entries_read_at
        service = state.client.accounting_years.entries(year.year)
        flt = None if whole else F("entryNumber").gt(year.entries_last_number)
        records = service.iter(filter=flt, sort="entryNumber", page_size=PAGE_SIZE)
        seen, page, top = set(), [], year.entries_last_number
        for record in records:
            page.append(record)
            if len(page) >= PAGE_SIZE:
                top = max(top, self._upsert_entries(state, links, year, page, seen))
                page = []
        if page:
            top = max(top, self._upsert_entries(state, links, year, page, seen))
        if whole:
            self._remove_gone(state, year, seen)
        year.write(
            {
                "entries_last_number": top,
                "entries_read_at": fields.Datetime.now(),
                "entries_complete": bool(whole and year.closed),
            }
        )
        self._commit(state)

    # ================================================================== a page
    def _upsert_entries(self, state, links, year, page, seen):
        """One page of a year's entries: one search of the mirrored ones, one create of the
        new ones, one write per set of equal changes; committed. Returns the highest entry
        number of the page."""
        Entry = self.env["economic.entry"].sudo()
        rows = {}
        for record in page:
            number = _number(record.get("entryNumber"))
            if number and number not in seen:
                seen.add(number)
                rows[number] = record
        if not rows:
            return 0
        links.load_partners(rows.values())
        existing = {
            entry.entry_number: entry
            for entry in Entry.search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("year", "=", year.year),
                    ("entry_number", "in", list(rows)),
                ]
            )
        }
        to_create, writes = [], {}
        for number, record in rows.items():
            vals = links.values(year, record)
            entry = existing.get(number)
            if entry is None:
                to_create.append(dict(vals, backend_id=state.backend.id, entry_number=number))
                continue
            changed = {
                name: vals[name]
                for name in CHANGING
                if not self._same_value(entry, name, vals[name])
            }
            if changed:
                writes.setdefault(tuple(sorted(changed.items())), []).append(entry.id)
        for changes, ids in writes.items():
            Entry.browse(ids).write(dict(changes))
            state.counts["updated"] += len(ids)
        if to_create:
            Entry.create(with_backend_company(self.env, to_create))
            state.counts["created"] += len(to_create)
        state.records_done += len(rows)
        self._commit(state)
        self._notify(state, state.records_done)
        return max(rows)

    @staticmethod
    def _same_value(record, name, value):
        field = record._fields[name]
        stored = record[name]
        if field.type == "many2one":
            return stored.id == (value or False) or (not stored and not value)
        if field.type == "monetary":
            return abs((stored or 0.0) - (value or 0.0)) < 0.005
        if field.type == "date":
            return stored == (fields.Date.to_date(value) if value else False)
        return (stored or False) == (value or False)

    def _remove_gone(self, state, year, seen):
        """A whole read: the entries e-conomic no longer has leave the mirror (a mirror, not
        Odoo's books: nothing to archive), with one log line saying how many."""
        gone = (
            self.env["economic.entry"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("year", "=", year.year),
                    ("entry_number", "not in", list(seen)),
                ]
            )
        )
        if not gone:
            return
        count = len(gone)
        gone.unlink()
        state.counts["archived"] += count
        state.log(
            entity=ENTITY,
            direction="pull",
            operation="archive",
            economic_key=year.year,
            record_name=year.year,
            message=self.env._(
                "%(count)s entries of %(year)s are no longer in e-conomic: removed from the "
                "mirror.",
                count=count,
                year=year.year,
            ),
        )

    def _link_entries(self, state):
        """Entries read before their customer, supplier or account was known get it now: one
        update per link over the connection's unlinked entries (the mirror, not Odoo's
        books)."""
        Entry = self.env["economic.entry"]
        Entry.flush_model()
        cr = self.env.cr
        cr.execute(
            """
            UPDATE economic_entry e SET partner_id = b.partner_id
              FROM economic_partner_binding b
             WHERE e.backend_id = %(backend)s AND e.partner_id IS NULL
               AND b.backend_id = e.backend_id AND NOT COALESCE(b.remote_archived, false)
               AND ((b.kind = 'customer' AND e.customer_number > 0
                     AND b.economic_key = e.customer_number::text)
                 OR (b.kind = 'supplier' AND e.supplier_number > 0 AND e.customer_number = 0
                     AND b.economic_key = e.supplier_number::text))
            """,
            {"backend": state.backend.id},
        )
        linked = cr.rowcount
        cr.execute(
            """
            UPDATE economic_entry e SET economic_account_id = a.id, account_id = a.account_id
              FROM economic_account a
             WHERE e.backend_id = %(backend)s AND a.backend_id = e.backend_id
               AND a.account_number = e.account_number
               AND (e.economic_account_id IS NULL
                    OR e.account_id IS DISTINCT FROM a.account_id)
            """,
            {"backend": state.backend.id},
        )
        linked += cr.rowcount
        if linked:
            Entry.invalidate_model(["partner_id", "economic_account_id", "account_id"])

    # ================================================================== journals
    def _mirror_journals(self, state):
        """e-conomic's journals (day books) into ``economic.journal``: one read of
        ``/journals``, upserted; journals e-conomic no longer has archived."""
        ledger = self.env["economic.sync.ledger"]
        ledger._mirror(
            state,
            ENTITY,
            "economic.journal",
            "journals",
            "journal_number",
            "journalNumber",
            _journal_vals,
        )


def _journal_vals(record):
    settings = record.get("settings") or {}
    contra = settings.get("contraAccounts") or {}
    return {
        "name": record.get("name") or str(record["journalNumber"]),
        "entry_type_restricted_to": settings.get("entryTypeRestrictedTo") or False,
        "customer_payment_account": _ref(contra, "customerPayments", "accountNumber") or 0,
        "supplier_payment_account": _ref(contra, "supplierPayments", "accountNumber") or 0,
        "finance_voucher_account": _ref(contra, "financeVouchers", "accountNumber") or 0,
        "min_voucher_number": (settings.get("voucherNumbers") or {}).get("minimumVoucherNumber")
        or 0,
    }
