"""The purchases entity module: supplier invoices booked in e-conomic become posted, locked
Odoo vendor bills (refunds for credits), read first (docs/SYNC.md §2: never pushed) and off
until the accountant switches them on (they post entries in Odoo's books).

Nothing is read from e-conomic here: the journal entries package (sequence 60) mirrors the
booked entries earlier in the same pass (``economic.entry``); this module (65) finds, in one
grouped query, the vouchers holding a supplier-invoice creditor entry that no binding names,
reads their entries a batch of vouchers at a time (one search), pulls the suppliers not bound
yet through the partner module (one listing), builds and posts the bills (``build.py``), binds
and commits. A missing account or VAT-code mapping is that bill's error (the log line says what
to map); the next pass tries it again, since it is still unbound. Remainders follow the mirror
(which re-reads them on full passes)."""

import logging

from odoo import fields, models
from odoo.tools import SQL, LazyTranslate

from ...economic_client import F
from ..economic_sync_entity import Entity
from ..economic_sync_state import IN_CHUNK
from .const import (
    BINDING,
    ENTITY,
    SUPPLIER_INVOICE,
    VOUCHER_BATCH,
    key_of_voucher,
    payment_status,
)
from .groups import group_voucher

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class EconomicSyncPurchase(models.AbstractModel):
    _name = "economic.sync.purchase"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: purchases"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Purchases"),
            _lt("Purchase"),
            "account.move",
            110,
            read_first=True,
            opt_in=True,
        ),
    )
    _economic_sequence = 65
    _economic_binding_model = BINDING

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models.setdefault(ENTITY, "account.move")

    def _economic_pass(self, state, entities, full):
        if ENTITY not in entities or not state.setting(ENTITY)["pull"]:
            return
        started = fields.Datetime.now()
        self._build_purchases(state)
        self._refresh_purchase_remainders(state)
        self._register_purchase_payments(state)
        self._pull_finished(state, ENTITY, started)

    def _economic_refresh_binding(self, state, binding):
        """A bill's remainder as the mirror has it (the mirror re-reads it on full passes)."""
        self._refresh_purchase_remainders(state, binding)
        backend = state.backend
        if backend.purchase_register_payments and backend.purchase_payment_journal_id:
            self._register_purchase_paid(state, binding)
        return True

    def _economic_replay(self, state, line, binding):
        """Replay of a failed pull: the supplier invoice of the line's key is built again from
        the mirror."""
        if line.direction != "pull" or binding or not line.economic_key:
            return super()._economic_replay(state, line, binding)
        key = line.economic_key
        vouchers = [
            (year, voucher)
            for year, voucher in self._unbound_vouchers(state, year_prefix=key.split("/")[0])
            if key_of_voucher(key, year, voucher)
        ]
        self._build_vouchers(state, vouchers)
        if self.env[BINDING].search_count(
            [("backend_id", "=", state.backend.id), ("economic_key", "=", key)]
        ):
            return True
        if state.counts["errors"]:
            return True  # the bill's own failure updated the line: said by the caller
        return self.env._(
            "The journal entries mirror holds no supplier invoice %s left to make: nothing to "
            "pull.",
            key,
        )

    # ================================================================== the vouchers
    def _build_purchases(self, state, spans=None):
        """The bills of every voucher with a supplier invoice not bound yet (``spans``: only
        vouchers numbered within one of these ``(first, last)``), a batch at a time."""
        pending = self._unbound_vouchers(state, spans=spans)
        for start in range(0, len(pending), VOUCHER_BATCH):
            self._build_vouchers(state, pending[start : start + VOUCHER_BATCH])

    def _unbound_vouchers(self, state, spans=None, year_prefix=None):
        """``[(year, voucher)]`` of the mirrored supplier-invoice creditor entries no binding
        names (one query), dated on or after the connection's first day of purchases."""
        self.env["economic.entry"].flush_model()
        self.env[BINDING].flush_model()
        backend = state.backend
        terms = [
            SQL("e.backend_id = %s", backend.id),
            SQL("e.entry_type = %s", SUPPLIER_INVOICE),
            SQL("e.supplier_number > 0"),
            SQL("e.voucher_number > 0"),
        ]
        if backend.purchase_date_from:
            terms.append(SQL("e.date >= %s", backend.purchase_date_from))
        if spans:
            terms.append(
                SQL(
                    "(%s)",
                    SQL(" OR ").join(
                        SQL("e.voucher_number BETWEEN %s AND %s", first, last)
                        for first, last in spans
                    ),
                )
            )
        if year_prefix:
            terms.append(SQL("e.year LIKE %s", year_prefix + "%"))
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT e.year, e.voucher_number
                  FROM economic_entry e
                 WHERE %s
                   AND NOT EXISTS (
                       SELECT 1 FROM economic_purchase_binding b
                        WHERE b.backend_id = e.backend_id AND b.year = e.year
                          AND b.voucher_number = e.voucher_number
                          AND b.supplier_number = e.supplier_number
                          AND COALESCE(b.supplier_invoice_number, '')
                              = COALESCE(e.supplier_invoice_number, ''))
                 ORDER BY e.year, e.voucher_number
                """,
                SQL(" AND ").join(terms),
            )
        )
        return [tuple(row) for row in self.env.cr.fetchall()]

    def _build_vouchers(self, state, vouchers):
        """The bills of the supplier invoices of ``vouchers`` (``[(year, voucher)]``) not bound
        yet: one search of their entries, one of their bindings, the suppliers pulled, the bills
        built; committed."""
        if not vouchers:
            return
        wanted = set(vouchers)
        Entry = self.env["economic.entry"].sudo()
        entries = Entry.search(
            [
                ("backend_id", "=", state.backend.id),
                ("entry_type", "=", SUPPLIER_INVOICE),
                ("year", "in", list({year for year, _voucher in wanted})),
                ("voucher_number", "in", list({voucher for _year, voucher in wanted})),
            ],
            order="year, voucher_number, entry_number",
        )
        by_voucher = {}
        for entry in entries:
            if (entry.year, entry.voucher_number) in wanted:
                by_voucher.setdefault((entry.year, entry.voucher_number), []).append(entry)
        bound = self._bound_identities(state, by_voucher)
        vat_accounts = self._vat_accounts(state)
        invoices = [
            invoice
            for (year, voucher), rows in by_voucher.items()
            for invoice in group_voucher(year, voucher, rows, vat_accounts)
            if invoice.identity not in bound
        ]
        if invoices:
            self._ensure_suppliers(state, invoices)
            self._create_bills(state, invoices)
        state.records_done += len(invoices)
        self._commit(state)
        self._notify(state, state.records_done)

    def _bound_identities(self, state, by_voucher):
        """The (year, voucher, supplier, supplier invoice number) bound among ``by_voucher``'s
        vouchers (one search)."""
        bindings = (
            self.env[BINDING]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("year", "in", list({year for year, _voucher in by_voucher})),
                    ("voucher_number", "in", list({voucher for _year, voucher in by_voucher})),
                ]
            )
        )
        return {
            (b.year, b.voucher_number, b.supplier_number, b.supplier_invoice_number or "")
            for b in bindings
        }

    def _vat_accounts(self, state):
        """The account numbers VAT is booked on: the connection's VAT codes' accounts and
        contra accounts (reverse charge), read once per pass."""
        cache = getattr(state, "purchase_vat_accounts", None)
        if cache is None:
            codes = (
                self.env["economic.vat.code"]
                .sudo()
                .with_context(active_test=False)
                .search_read(
                    [("backend_id", "=", state.backend.id)],
                    ["account_number", "contra_account_number"],
                )
            )
            cache = {
                number
                for code in codes
                for number in (code["account_number"], code["contra_account_number"])
                if number
            }
            state.purchase_vat_accounts = cache
        return cache

    def _ensure_suppliers(self, state, invoices):
        """Pull the suppliers the supplier invoices name that are not bound yet, on demand, in
        one listing, through the partner module (with their contacts); the mirror's entries are
        then linked to them."""
        numbers = {invoice.supplier for invoice in invoices}
        bound = set(
            self.env["economic.partner.binding"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", "supplier"),
                    ("economic_key", "in", [str(number) for number in numbers]),
                ]
            )
            .mapped("economic_number")
        )
        missing = sorted(numbers - bound)
        if not missing:
            return
        for chunk in self._split(missing, IN_CHUNK):
            found = list(state.client.suppliers.iter(filter=F("supplierNumber").in_(chunk)))
            if found:
                self.env["economic.sync.partner"]._pull_page(state, "supplier", found, True)
        self.env["economic.sync.entry"]._link_entries(state)

    def _purchase_error(self, state, invoice, error):
        self._record_error(
            state,
            ENTITY,
            "pull",
            None,
            error,
            key=invoice.key,
            name=self._invoice_label(invoice),
        )

    def _invoice_label(self, invoice):
        if invoice.invoice:
            return self.env._(
                "Supplier invoice %(number)s (voucher %(year)s-%(voucher)s)",
                number=invoice.invoice,
                year=invoice.year,
                voucher=invoice.voucher,
            )
        return self.env._(
            "Supplier invoice of voucher %(year)s-%(voucher)s",
            year=invoice.year,
            voucher=invoice.voucher,
        )

    # ================================================================== remainders
    def _refresh_purchase_remainders(self, state, bindings=None):
        """e-conomic's remainders (the creditor entries' in the mirror) on the bills: one
        grouped query finds the bindings whose remainder differs; each is written and logged.
        Overdue follows the date."""
        self.env["economic.entry"].flush_model()
        self.env[BINDING].flush_model()
        only = SQL("AND b.id IN %s", tuple(bindings.ids)) if bindings else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT b.id, SUM(e.remainder), SUM(e.remainder_base)
                  FROM economic_purchase_binding b
                  JOIN economic_entry e
                    ON e.backend_id = b.backend_id AND e.year = b.year
                   AND e.voucher_number = b.voucher_number
                   AND e.entry_type = %(type)s AND e.supplier_number = b.supplier_number
                   AND COALESCE(e.supplier_invoice_number, '')
                       = COALESCE(b.supplier_invoice_number, '')
                 WHERE b.backend_id = %(backend)s %(only)s
                 GROUP BY b.id
                HAVING ROUND(SUM(e.remainder), 2)
                       <> ROUND(COALESCE(MIN(b.remainder), 0)::numeric, 2)
                """,
                type=SUPPLIER_INVOICE,
                backend=state.backend.id,
                only=only,
            )
        )
        rows = self.env.cr.fetchall()
        today = fields.Date.context_today(self)
        Binding = self.env[BINDING].sudo().with_context(economic_sync_write=True)
        for binding_id, remainder, remainder_base in rows:
            binding = Binding.browse(binding_id)
            before = binding.remainder
            binding.write(
                {
                    "remainder": float(remainder or 0.0),
                    "remainder_base": float(remainder_base or 0.0),
                    "payment_status": payment_status(
                        float(remainder or 0.0),
                        binding.gross_amount,
                        binding.due_date,
                        today,
                        binding.refund,
                    ),
                }
            )
            state.counts["updated"] += 1
            state.log_record(
                ENTITY,
                "update",
                binding.move_id,
                binding,
                message=self.env._(
                    "Remainder in e-conomic now %(remainder)s %(currency)s (was %(before)s): "
                    "%(status)s.",
                    remainder=abs(binding.remainder),
                    currency=binding.currency_code or "",
                    before=abs(before),
                    status=binding._status_label(),
                ),
            )
        late = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("refund", "=", False),
                ("payment_status", "in", ("unpaid", "partial")),
                ("due_date", "<", today),
            ]
        )
        if late:
            late.write({"payment_status": "overdue"})
        self._commit(state)
