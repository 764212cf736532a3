"""The ledger entity module: e-conomic's chart of accounts, accounting years and VAT codes,
read first (docs/SYNC.md §2: strategy ``read_only``, never pushed) and mirrored per connection.

Every pass reads them whole (balances change with every booking and e-conomic has no
``lastUpdated`` on them): a page at a time, each page upserted with one search, one create and
one write per set of equal changes, then committed; what e-conomic no longer has is archived
at the end. With the accounts it reads the journals, whose contra accounts are bank or cash
accounts. Then the mirrors are mapped to Odoo accounts and taxes (``mapping.py``)."""

import logging
from itertools import islice

from odoo import fields, models
from odoo.tools import LazyTranslate

from ...economic_client import jsonutil
from ..economic_binding_mixin import with_backend_company
from ..economic_sync_entity import Entity
from ..economic_sync_state import PAGE_SIZE
from .vat_code import vat_type_of

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


def _ref(record, name, key):
    value = record.get(name)
    return value.get(key) if isinstance(value, dict) else None


def _year_vals(record):
    return {
        "from_date": fields.Date.to_date(record.get("fromDate")) or False,
        "to_date": fields.Date.to_date(record.get("toDate")) or False,
        "closed": bool(record.get("closed")),
    }


def _account_vals(record):
    return {
        "name": record.get("name") or str(record["accountNumber"]),
        "account_type": record.get("accountType") or False,
        "debit_credit": record.get("debitCredit") or False,
        "vat_code": _ref(record, "vatAccount", "vatCode") or False,
        "balance": float(record.get("balance") or 0.0),
        "draft_balance": float(record.get("draftBalance") or 0.0),
        "barred": bool(record.get("barred")),
        "block_direct_entries": bool(record.get("blockDirectEntries")),
    }


def _vat_vals(record):
    number = _ref(record, "vatType", "vatTypeNumber")
    name = _ref(record, "vatType", "name") or False
    return {
        "name": record.get("name") or record["vatCode"],
        "rate": float(record.get("ratePercentage") or 0.0),
        "vat_type": vat_type_of(number, name),
        "vat_type_number": number or False,
        "vat_type_name": name,
        "account_number": _ref(record, "account", "accountNumber") or False,
        "contra_account_number": _ref(record, "contraAccount", "accountNumber") or False,
        "barred": bool(record.get("barred")),
    }


#: entity -> what it mirrors, in order: (model, client service, the model's key field, the
#: e-conomic key property, the values of one e-conomic record)
MIRRORS = {
    "account": (
        ("economic.accounting.year", "accounting_years", "year", "year", _year_vals),
        ("economic.account", "accounts", "account_number", "accountNumber", _account_vals),
    ),
    "vat_code": (("economic.vat.code", "vat_accounts", "code", "vatCode", _vat_vals),),
}


def _pages(iterable, size):
    iterator = iter(iterable)
    while page := list(islice(iterator, size)):
        yield page


class EconomicSyncLedger(models.AbstractModel):
    _name = "economic.sync.ledger"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: accounts and VAT codes"

    _economic_entities = (
        Entity("account", _lt("Accounts"), _lt("Account"), "economic.account", 60, read_first=True),
        Entity(
            "vat_code", _lt("VAT Codes"), _lt("VAT Code"), "economic.vat.code", 70, read_first=True
        ),
    )
    _economic_sequence = 20

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models.setdefault("account", "economic.account")
        state.res_models.setdefault("vat_code", "economic.vat.code")

    def _economic_record_counts(self, backend_ids):
        out = {}
        for entity, model in (("account", "economic.account"), ("vat_code", "economic.vat.code")):
            for backend, count in self.env[model]._read_group(
                [("backend_id", "in", backend_ids)], groupby=["backend_id"], aggregates=["__count"]
            ):
                out[(backend.id, entity)] = count
        return out

    def _economic_pass(self, state, entities, full):
        pulled = False
        for entity, mirrors in MIRRORS.items():
            if entity not in entities or not state.setting(entity)["pull"]:
                continue
            for model, service, key_field, key_name, vals_of in mirrors:
                self._mirror(state, entity, model, service, key_field, key_name, vals_of)
            if entity == "account":
                self._read_journals(state)
            pulled = True
        if pulled:
            self._auto_map_ledger(state.backend)
            self._commit(state)

    # ================================================================== journals
    def _read_journals(self, state):
        """The journals' contra accounts (bank or cash accounts, a role the mapping uses):
        one read of ``/journals``, each account's journal names written where they changed."""
        names = {}
        for journal in state.client.journals.iter(page_size=PAGE_SIZE):
            settings = journal.get("settings") or {}
            contra = settings.get("contraAccounts") or journal.get("contraAccounts") or {}
            for value in contra.values():
                number = value.get("accountNumber") if isinstance(value, dict) else value
                if isinstance(number, int) and journal.get("name"):
                    names.setdefault(number, []).append(journal["name"])
        Account = self.env["economic.account"].sudo().with_context(active_test=False)
        accounts = Account.search(
            [
                ("backend_id", "=", state.backend.id),
                "|",
                ("journal_names", "!=", False),
                ("account_number", "in", list(names)),
            ]
        )
        changes = {}
        for account in accounts:
            value = ", ".join(sorted(set(names.get(account.account_number, ())))) or False
            if value != account.journal_names:
                changes.setdefault(value, []).append(account.id)
        for value, ids in changes.items():
            Account.browse(ids).write({"journal_names": value})
        self._commit(state)

    # ================================================================== mirror
    def _mirror(self, state, entity, model, service, key_field, key_name, vals_of):
        """Read the whole e-conomic collection a page at a time into ``model``; archive the
        records e-conomic no longer has."""
        Model = self.env[model].sudo().with_context(active_test=False, economic_sync_write=True)
        seen = set()
        records = getattr(state.client, service).iter(page_size=PAGE_SIZE)
        for page in _pages(records, PAGE_SIZE):
            rows = {}
            for record in page:
                key = record.get(key_name) if isinstance(record, dict) else None
                if key in (None, "") or key in seen:
                    continue
                seen.add(key)
                rows[key] = dict(vals_of(record), data=jsonutil.dumps(record), active=True)
            self._upsert_page(state, entity, Model, key_field, rows)
            state.records_done += len(page)
            self._commit(state)
            self._notify(state, state.records_done)
        self._archive_gone(state, entity, Model, key_field, seen)
        self._commit(state)
        _logger.info("e-conomic %s: %s: %s %s read", state.backend.name, entity, len(seen), model)

    def _upsert_page(self, state, entity, Model, key_field, rows):
        """One page: one search, one create, one write per set of equal changes."""
        backend = state.backend
        existing = {
            record[key_field]: record
            for record in Model.search(
                [("backend_id", "=", backend.id), (key_field, "in", list(rows))]
            )
        }
        to_create, writes = [], {}
        for key, vals in rows.items():
            record = existing.get(key)
            if record is None:
                to_create.append(dict(vals, backend_id=backend.id, **{key_field: key}))
                continue
            changed = {f: v for f, v in vals.items() if not self._same(record, f, v)}
            if changed:
                writes.setdefault(tuple(sorted(changed.items())), []).append(record.id)
        for changes, ids in writes.items():
            Model.browse(ids).write(dict(changes))
            state.counts["updated"] += len(ids)
        # company_id inserted with the rows, not recomputed and written a second time
        created = Model.create(with_backend_company(self.env, to_create))
        for record in created:
            state.counts["created"] += 1
            state.log_record(
                entity,
                "create",
                record,
                economic_key=str(record[key_field]),
                message=self.env._("Read from e-conomic."),
            )

    @staticmethod
    def _same(record, fname, value):
        """Whether ``record`` holds ``value`` as the field would store it (floats rounded to
        the field's digits, dates as dates, False as an empty value)."""
        field = record._fields[fname]
        stored = field.convert_to_record(field.convert_to_cache(value, record), record)
        return stored == record[fname]

    def _archive_gone(self, state, entity, Model, key_field, seen):
        """What e-conomic no longer has: archived (never deleted), each logged."""
        gone = Model.search(
            [
                ("backend_id", "=", state.backend.id),
                ("active", "=", True),
                (key_field, "not in", list(seen)),
            ]
        )
        if not gone:
            return
        gone.write({"active": False})
        message = self.env._("Deleted in e-conomic: archived.")
        for record in gone:
            state.counts["archived"] += 1
            state.log_record(
                entity, "archive", record, economic_key=str(record[key_field]), message=message
            )
