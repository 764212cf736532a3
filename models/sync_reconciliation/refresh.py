"""The connection's side of the reconciliation report: when its snapshot was read, *Refresh
from e-conomic* (a paged read of customers, suppliers and booked invoices, one page in memory at
a time, upserted in SQL), opening the report and printing it."""

import itertools
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ...economic_client import EconomicError
from ..economic_sync_state import PAGE_SIZE

#: the advisory lock namespace of the report's rebuilds and refreshes (not the sync's lock:
#: the report writes nothing to e-conomic and never waits for a pass)
REPORT_LOCK = 0x45435243

PARTY_SOURCES = (
    ("customer", "customers", "customerNumber"),
    ("supplier", "suppliers", "supplierNumber"),
)


def _amount(value):
    return float(Decimal(str(value or 0)).quantize(Decimal("0.01")))


def _ref(record, name, key):
    value = record.get(name)
    return value.get(key) if isinstance(value, dict) else None


def _pages(items, size=PAGE_SIZE):
    """``items`` (a lazy iterator) in lists of ``size``: one page in memory at a time."""
    iterator = iter(items)
    while page := list(itertools.islice(iterator, size)):
        yield page


def party_row(kind, key, record):
    return (
        kind,
        int(record[key]),
        (record.get("name") or "")[:255],
        record.get("currency") or None,
        _amount(record.get("balance")),
        bool(record.get("barred")),
    )


def invoice_row(record):
    gross = _amount(record.get("grossAmount"))
    return (
        int(record["bookedInvoiceNumber"]),
        record.get("date") or None,
        _ref(record, "customer", "customerNumber") or None,
        ((record.get("recipient") or {}).get("name") or "")[:255],
        record.get("currency") or None,
        gross,
        _amount(record.get("grossAmountInBaseCurrency", record.get("grossAmount"))),
        _amount(record.get("remainder")),
        _amount(record.get("remainderInBaseCurrency", record.get("remainder"))),
        gross < 0,
    )


class EconomicBackendReconciliation(models.Model):
    _inherit = "economic.backend"

    reconciliation_refreshed_at = fields.Datetime(
        string="Reconciliation Mirror Refreshed On",
        readonly=True,
        copy=False,
        help="When Refresh from e-conomic last read e-conomic's customers, suppliers and "
        "booked invoices for the reconciliation report.",
    )
    reconciliation_difference_count = fields.Integer(
        string="Reconciliation Differences", compute="_compute_reconciliation_difference_count"
    )

    def _compute_reconciliation_difference_count(self):
        counts = dict(
            self.env["economic.reconciliation.line"]._read_group(
                [("backend_id", "in", self.ids), ("is_difference", "=", True)],
                groupby=["backend_id"],
                aggregates=["__count"],
            )
        )
        for backend in self:
            backend.reconciliation_difference_count = counts.get(backend, 0)

    # ------------------------------------------------------------------ lock
    def _reconciliation_try_lock(self):
        """The report's lock of this connection, held until the transaction ends: one refresh
        or rebuild at a time (a second one would delete and insert the same rows)."""
        self.ensure_one()
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (REPORT_LOCK, self.id))
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------ refresh
    def action_reconciliation_refresh(self):
        """Read e-conomic's customers, suppliers and booked invoices into the snapshot (one page
        at a time), then rebuild the report. Needs the right to change the connection."""
        self.ensure_one()
        self.check_access("write")
        if not self._reconciliation_try_lock():
            raise UserError(
                self.env._(
                    "The reconciliation report of %(name)s is being refreshed: try again "
                    "in a moment.",
                    name=self.display_name,
                )
            )
        started = fields.Datetime.now()
        try:
            with self._get_client() as client:
                self._reconciliation_read(client, started)
        except EconomicError as error:
            raise UserError(
                self.env._(
                    "Could not read e-conomic for the reconciliation report.\n%(error)s",
                    error=self._error_message(error),
                )
            ) from None
        self.sudo().reconciliation_refreshed_at = started
        self.env["economic.reconciliation.line"]._rebuild(self)
        return self._reconciliation_action()

    def _reconciliation_read(self, client, stamp):
        for kind, service, key in PARTY_SOURCES:
            for page in _pages(getattr(client, service).iter()):
                self._upsert_parties([party_row(kind, key, record) for record in page], stamp)
        for page in _pages(client.invoices.booked.iter()):
            self._upsert_invoices([invoice_row(record) for record in page], stamp)
        # what e-conomic no longer has leaves the snapshot
        for table in ("economic_reconciliation_party", "economic_reconciliation_invoice"):
            self.env.cr.execute(
                "DELETE FROM %s WHERE backend_id = %%s AND refreshed_at < %%s" % table,
                (self.id, stamp),
            )
        self.env["economic.reconciliation.party"].invalidate_model()
        self.env["economic.reconciliation.invoice"].invalidate_model()

    def _upsert_parties(self, rows, stamp):
        if not rows:
            return
        self._upsert_rows(
            """INSERT INTO economic_reconciliation_party AS p
                   (backend_id, company_id, kind, number, name, currency_code, balance, barred,
                    refreshed_at, create_uid, write_uid, create_date, write_date)
               VALUES %s
               ON CONFLICT (backend_id, kind, number) DO UPDATE SET
                   name = EXCLUDED.name, currency_code = EXCLUDED.currency_code,
                   balance = EXCLUDED.balance, barred = EXCLUDED.barred,
                   refreshed_at = EXCLUDED.refreshed_at, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date""",
            rows,
            stamp,
        )

    def _upsert_invoices(self, rows, stamp):
        if not rows:
            return
        self._upsert_rows(
            """INSERT INTO economic_reconciliation_invoice AS i
                   (backend_id, company_id, booked_number, date, customer_number, customer_name,
                    currency_code, gross_amount, gross_base, remainder, remainder_base,
                    is_credit_note, refreshed_at, create_uid, write_uid, create_date, write_date)
               VALUES %s
               ON CONFLICT (backend_id, booked_number) DO UPDATE SET
                   date = EXCLUDED.date, customer_number = EXCLUDED.customer_number,
                   customer_name = EXCLUDED.customer_name,
                   currency_code = EXCLUDED.currency_code, gross_amount = EXCLUDED.gross_amount,
                   gross_base = EXCLUDED.gross_base, remainder = EXCLUDED.remainder,
                   remainder_base = EXCLUDED.remainder_base,
                   is_credit_note = EXCLUDED.is_credit_note,
                   refreshed_at = EXCLUDED.refreshed_at, write_uid = EXCLUDED.write_uid,
                   write_date = EXCLUDED.write_date""",
            rows,
            stamp,
        )

    def _upsert_rows(self, query, rows, stamp):
        """One ``INSERT … VALUES … ON CONFLICT`` of a page of snapshot rows (``query`` with one
        ``%s`` for the rows), through Odoo's cursor: each row gets the connection, its company,
        the refresh stamp and the user's audit columns."""
        values = SQL(", ").join(
            SQL(
                "%s",
                (
                    self.id,
                    self.company_id.id,
                    *row,
                    stamp,
                    self.env.uid,
                    self.env.uid,
                    stamp,
                    stamp,
                ),
            )
            for row in rows
        )
        self.env.cr.execute(SQL(query, values))

    # ------------------------------------------------------------------ open / print
    def action_open_reconciliation(self):
        """The report, rebuilt from the snapshot and the bindings (no request to e-conomic)."""
        self.ensure_one()
        self.check_access("read")
        if self._reconciliation_try_lock():
            self.env["economic.reconciliation.line"]._rebuild(self)
        return self._reconciliation_action()

    @api.model
    def action_reconciliation_menu(self):
        """The menu *e-conomic → Reconciliation*: the report of the current company's
        connection (the first connected one), else the connections to choose from."""
        backends = self.search(
            [("company_id", "=", self.env.company.id), ("state", "=", "connected")], limit=1
        ) or self.search([("state", "=", "connected")], limit=1)
        if backends:
            return backends.action_open_reconciliation()
        return self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.economic_backend_action"
        )

    def _reconciliation_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "economic_sync.economic_reconciliation_line_action"
        )
        action["name"] = self._reconciliation_title()
        action["domain"] = [("backend_id", "=", self.id)]
        action["context"] = {
            "economic_reconciliation_backend_id": self.id,
            "group_by": ["section"],
            "create": False,
        }
        return action

    def _reconciliation_title(self):
        """The report's name: the connection, when its mirror was refreshed, and the currencies
        when e-conomic's differ from the company's."""
        _ = self.env._
        if self.reconciliation_refreshed_at:
            when = fields.Datetime.context_timestamp(self, self.reconciliation_refreshed_at)
            refreshed = _("mirror refreshed on %(date)s", date=when.strftime("%Y-%m-%d %H:%M"))
        else:
            refreshed = _("mirror never refreshed: click Refresh from e-conomic")
        title = _("Reconciliation of %(name)s (%(refreshed)s)", name=self.name, refreshed=refreshed)
        warning = self._reconciliation_currency_warning()
        return "%s. %s" % (title, warning) if warning else title

    def _reconciliation_currency_warning(self):
        self.ensure_one()
        if not self._economic_foreign_currency():
            return ""
        return self.env._(
            "e-conomic's amounts are in %(base)s, the company's in %(company)s: amounts are "
            "shown, not compared.",
            base=self.base_currency,
            company=self.company_id.currency_id.name,
        )

    def action_reconciliation_print(self):
        self.ensure_one()
        return self.env.ref("economic_sync.action_report_economic_reconciliation").report_action(
            self
        )

    def _reconciliation_report_sections(self):
        """The printed report: ``[(section label, lines)]``, differences first in each."""
        self.ensure_one()
        Line = self.env["economic.reconciliation.line"]
        lines = Line.search([("backend_id", "=", self.id)])
        return [
            (label, lines.filtered(lambda line, key=key: line.section == key))
            for key, label in Line._fields["section"]._description_selection(self.env)
        ]
