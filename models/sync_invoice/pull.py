"""The invoice entity module (issue 8): booked e-conomic invoices and credit notes as posted,
locked Odoo moves; their remainder kept up to date.

Documents are not master data (docs/SYNC.md §8): a booked invoice never changes, so it is read
once, created in Odoo posted and locked, and afterwards only its remainder changes. Booked
invoices carry no ``lastUpdated`` (docs/ECONOMIC.md §5): each pass reads the numbers above the highest
bound one, plus the invoices booked in the last days (``bookWithNumber`` can fill a gap below
it), and a full pass every number. The remainder comes from e-conomic's unpaid view.

An invoice pushed from Odoo is an e-conomic draft until the user books it: the booked invoice
is then found by its ``references.other`` (the Odoo number) and its ``orderNumber`` (the draft's
number), bound, and the Odoo move locked with the booked number.
"""

import logging

from odoo import fields, models
from odoo.tools import LazyTranslate

from ...economic_client import EconomicError, F, NotFoundError
from ..economic_sync_entity import RECORD_ERRORS, Entity
from ..economic_sync_state import PAGE_SIZE
from .const import BINDING, ENTITIES, SYNC_WRITE, dec, is_credit_note

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class EconomicSyncInvoice(models.AbstractModel):
    _name = "economic.sync.invoice"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: invoices and credit notes"

    _economic_entities = (
        Entity("invoice", _lt("Invoices"), _lt("Invoice"), "account.move", 80, True, False, True),
        Entity(
            "credit_note",
            _lt("Credit Notes"),
            _lt("Credit Note"),
            "account.move",
            90,
            True,
            False,
            True,
        ),
    )
    _economic_sequence = 50
    _economic_binding_model = BINDING

    # ================================================================== interface
    def _economic_prepare(self, state):
        for entity in ENTITIES:
            state.res_models[entity] = "account.move"
            state.settings.setdefault(entity, state.setting(entity))

    def _economic_pass(self, state, entities, full):
        pulled = {e for e in entities if state.settings[e]["pull"]}
        if pulled:
            self._check_old_rates(state)
            self._pull_invoices(state, pulled, full)
        self._economic_push(state, entities)

    def _economic_record_counts(self, backend_ids):
        out = {}
        for backend, kind, count in self.env[BINDING]._read_group(
            [("backend_id", "in", backend_ids), ("move_id", "!=", False)],
            groupby=["backend_id", "kind"],
            aggregates=["__count"],
        ):
            out[(backend.id, kind)] = count
        return out

    def _economic_refresh_record(self, state, move):
        """Refresh one move: a draft looks for its booking, a booked one reads its
        remainder."""
        bindings = self.env[BINDING]._economic_bindings_of(state, move)
        if not bindings:
            return super()._economic_refresh_record(state, move)
        for binding in bindings:
            self._economic_refresh_binding(state, binding)

    def _economic_refresh_binding(self, state, binding):
        entity = binding._economic_entity()
        try:
            if binding.doc_state == "booked":
                record = state.client.invoices.booked.get(binding.booked_number)
                self._refresh_booked(state, binding, record)
            elif not binding.remote_archived:
                self._detect_bookings(state, binding)
        except EconomicError as error:
            self._record_error(state, entity, "pull", binding._economic_record(), error, binding)
            return False
        self._commit(state)
        return True

    def _economic_replay(self, state, line, binding):
        """Replay of a failed pull: a booked invoice that did not come in is read again
        (whatever its date); one that did is refreshed."""
        if line.direction == "pull" and not binding and (line.economic_key or "").isdigit():
            number = line.economic_key
            reached = self._economic_pull_keys(state, line.entity, [number], {})
            if reached.get(number):
                return True
            if state.counts["errors"]:
                return True  # the invoice's own failure updated the line: said by the caller
            return self.env._(
                "e-conomic has no booked invoice %s (any more): nothing to pull.", number
            )
        return super()._economic_replay(state, line, binding)

    # ================================================================== webhooks
    def _economic_pull_keys(self, state, entity, keys, renames):
        """Pull exactly these booked invoices (an "Invoice booked" webhook). Returns
        ``{number: move or order}`` reached."""
        entities = {e for e in ENTITIES if state.settings[e]["pull"]}
        bound = self._bound_numbers(state)
        records = []
        for number in sorted({int(key) for key in keys} - bound):
            try:
                records.append(state.client.invoices.booked.get(number))
            except NotFoundError:
                continue
        for start in range(0, len(records), PAGE_SIZE):
            self._pull_booked_page(state, entities, records[start : start + PAGE_SIZE])
        bindings = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("booked_number", "in", [int(key) for key in keys]),
            ]
        )
        return {str(b.booked_number): b.move_id or b.sale_order_id for b in bindings}

    # ================================================================== pulling
    def _pull_invoices(self, state, entities, full, remainders=True):
        started = fields.Datetime.now()
        service = state.client.invoices.booked
        bound = self._bound_numbers(state)
        numbers = self._numbers_to_read(state, service, bound, full)
        for start in range(0, len(numbers), PAGE_SIZE):
            page = numbers[start : start + PAGE_SIZE]
            records = [service.get(number) for number in page]
            self._pull_booked_page(state, entities, records)
        if remainders:
            self._refresh_remainders(state)
        for entity in entities:
            self._pull_finished(state, entity, started)

    def _bound_numbers(self, state):
        """Every booked number bound on the connection (one query)."""
        self.env[BINDING].flush_model(["booked_number", "backend_id"])
        self.env.cr.execute(
            "SELECT booked_number FROM economic_invoice_binding "
            "WHERE backend_id = %s AND booked_number IS NOT NULL",
            [state.backend.id],
        )
        return {row[0] for row in self.env.cr.fetchall()}

    def _numbers_to_read(self, state, service, bound, full):
        """The booked numbers to read in full: above the highest bound, plus the window of
        recent dates (or, in a full pass, every number) not bound yet."""
        key = "bookedInvoiceNumber"
        if full or not bound:
            listed = service.iter(sort=key)
            return sorted({r[key] for r in listed} - bound)
        # invoices that failed to come in are read again on every pass, however old
        found = self._failed_numbers(state) - bound
        found |= {r[key] for r in service.iter(filter=F(key).gt(max(bound)), sort=key)}
        days = state.backend.invoice_window_days
        if days > 0:
            since = fields.Date.subtract(fields.Date.context_today(self), days=days)
            found |= {r[key] for r in service.iter(filter=F("date").gte(since), sort=key)}
        return sorted(found - bound)

    def _failed_numbers(self, state):
        """The booked numbers whose pull failed and is still open in the sync log."""
        rows = (
            self.env["economic.sync.log"]
            .sudo()
            .search_read(
                [
                    ("backend_id", "=", state.backend.id),
                    ("entity", "in", list(ENTITIES)),
                    ("direction", "=", "pull"),
                    ("state", "=", "failed"),
                    ("economic_key", "!=", False),
                ],
                ["economic_key"],
            )
        )
        return {int(row["economic_key"]) for row in rows if row["economic_key"].isdigit()}

    def _pull_booked_page(self, state, entities, records):
        """One page of booked invoices not bound yet: the bookings of pushed drafts bind;
        the others become posted Odoo moves (their customers and products pulled first)."""
        wanted = [r for r in records if _entity(r) in entities]
        rest = self._bind_bookings(state, wanted)
        if rest:
            self._ensure_parties(state, rest)
            self._create_moves(state, rest)
        state.records_done += len(records)
        self._commit(state)
        self._notify(state, state.records_done)

    # ------------------------------------------------------------------ pushed drafts booked
    def _bind_bookings(self, state, records):
        """Bind the booked invoices that are bookings of drafts this connection pushed: the
        draft's number (``orderNumber``) and the Odoo number (``references.other``) must not
        contradict each other (draft numbers are reused once booked; a reference can be
        edited): both equal, or one equal and the other absent. Returns the others."""
        drafts = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("doc_state", "=", "draft"),
                ("draft_number", "!=", False),
            ]
        )
        by_draft = {b.draft_number: b for b in drafts}
        by_ref = {}
        for binding in drafts:
            if binding.reference:
                by_ref.setdefault(binding.reference, binding)
        rest = []
        for record in records:
            binding = _booked_draft(record, by_draft, by_ref)
            if binding:
                by_draft.pop(binding.draft_number, None)
                by_ref.pop(binding.reference, None)
                self._bind_booking(state, binding, record)
            else:
                rest.append(record)
        return rest

    def _bind_booking(self, state, binding, record):
        try:
            with self._record_savepoint(state):
                self._update_booked(state, binding, record, booking=True)
        except RECORD_ERRORS as error:
            self._record_error(
                state, binding.kind, "pull", binding._economic_record(), error, binding
            )
            return
        state.counts["updated"] += 1
        record_of = binding.move_id or binding.sale_order_id
        state.log_record(
            binding.kind,
            "bind",
            record_of,
            binding,
            message=self.env._(
                "Draft %(draft)s was booked in e-conomic as invoice %(number)s: bound, and "
                "the Odoo invoice locked.",
                draft=binding.draft_number,
                number=record["bookedInvoiceNumber"],
            ),
        )

    def _refresh_booked(self, state, binding, record):
        """A user's Refresh of a booked invoice: what changed is counted and said (a payment
        registered where the connection says so)."""
        before = {name: binding[name] for name in ("remainder", "due_date", "payment_status")}
        if not self._update_booked(state, binding, record):
            return False
        paid = before["remainder"] - binding.remainder
        if paid:
            self._remainder_changed(state, binding, paid)
            return True
        state.counts["updated"] += 1
        state.log_record(
            binding.kind,
            "update",
            binding.move_id,
            binding,
            message=self.env._(
                "Updated from e-conomic: due date %(due)s, %(status)s.",
                due=binding.due_date or "-",
                status=binding._status_label(),
            ),
        )
        return True

    def _update_booked(self, state, binding, record, booking=False):
        """Store what e-conomic says of a booked invoice on its binding."""
        vals = self._booked_values(record)
        if not booking:
            vals = {k: v for k, v in vals.items() if binding[k] != v}
            if not vals:
                return False
        binding.with_context(**{SYNC_WRITE: True}).write(
            dict(vals, last_synced=fields.Datetime.now(), state="synced", last_error=False)
        )
        state.resolve(binding.kind, "pull", binding.move_id.id, binding.economic_key)
        return True

    def _booked_values(self, record):
        remainder = float(dec(record.get("remainder")))
        due = fields.Date.to_date(record.get("dueDate")) if record.get("dueDate") else False
        terms = record.get("paymentTerms") or {}
        return {
            "booked_number": record["bookedInvoiceNumber"],
            "economic_key": str(record["bookedInvoiceNumber"]),
            "doc_state": "booked",
            "kind": _entity(record),
            "reference": (record.get("references") or {}).get("other") or False,
            "currency_code": record.get("currency") or False,
            "exchange_rate": float(record.get("exchangeRate") or 0.0),
            "gross_base": float(dec(record.get("grossAmountInBaseCurrency"))),
            "base_check": False,
            "net_amount": float(dec(record.get("netAmount"))),
            "vat_amount": float(dec(record.get("vatAmount"))),
            "gross_amount": float(dec(record.get("grossAmount"))),
            "rounding_amount": float(dec(record.get("roundingAmount"))),
            "remainder": remainder,
            "remainder_base": float(dec(record.get("remainderInBaseCurrency"))),
            "due_date": due,
            "payment_status": self.env[BINDING]._payment_status_of(
                remainder,
                due,
                fields.Date.context_today(self),
                gross=float(dec(record.get("grossAmount"))),
            ),
            "payment_terms": terms.get("name") or terms.get("description") or False,
        }

    # ------------------------------------------------------------------ customers, products
    def _ensure_parties(self, state, records):
        """Pull the customers and products the invoices name that are not bound yet (on
        demand, in one listing each, through their own entity modules)."""
        backend = state.backend
        customers = {r["customer"]["customerNumber"] for r in records}
        bound = set(
            self.env["economic.partner.binding"]
            .search(
                [
                    ("backend_id", "=", backend.id),
                    ("kind", "=", "customer"),
                    ("economic_key", "in", [str(number) for number in customers]),
                ]
            )
            .mapped("economic_number")
        )
        missing = sorted(customers - bound)
        for chunk in self._split(missing, 200):
            found = list(state.client.customers.iter(filter=F("customerNumber").in_(chunk)))
            if found:
                self.env["economic.sync.partner"]._pull_page(state, "customer", found, True)
        products = {
            str(line["product"]["productNumber"])
            for r in records
            for line in r.get("lines", [])
            if line.get("product")
        }
        bound = set(
            self.env["economic.product.binding"]
            .with_context(active_test=False)
            .search([("backend_id", "=", backend.id), ("economic_key", "in", list(products))])
            .mapped("economic_key")
        )
        missing = sorted(products - bound)
        for chunk in self._split(missing, 20):
            # product numbers are text: e-conomic's $in: is for numbers only
            found = list(state.client.products.iter(filter=F("productNumber").any_of(chunk)))
            if found:
                self.env["economic.sync.product"]._pull_product_page(state, found)

    # ------------------------------------------------------------------ new moves
    def _create_moves(self, state, records):
        """Build, create, match to the cent and post the moves of ``records``; each invoice
        alone under a savepoint when the batch fails, so one bad invoice is logged and never
        stops the others."""
        ctx = self._build_context(state, records)
        prepared = []
        for record in records:
            try:
                prepared.append((record, self._move_vals(state, ctx, record)))
            except RECORD_ERRORS as error:
                self._invoice_error(state, record, error)
        if not prepared:
            return
        bindings = self.env[BINDING]
        try:
            with self._record_savepoint(state, guard=False):
                bindings = self._create_move_batch(state, prepared)
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info("e-conomic: batch of %s invoices failed (%s)", len(prepared), error)
            for item in prepared:
                try:
                    with self._record_savepoint(state):
                        bindings |= self._create_move_batch(state, [item])
                except RECORD_ERRORS as error:
                    self._invoice_error(state, item[0], error)
        # what e-conomic says was paid before the invoice came to Odoo
        self._register_paid_before(state, bindings)

    def _create_move_batch(self, state, prepared):
        Move = (
            self.env["account.move"]
            .with_company(state.company)
            .with_context(
                **{SYNC_WRITE: True},
                economic_backend=state.backend,
                tracking_disable=True,
                mail_create_nolog=True,
                mail_notrack=True,
                skip_invoice_sync=False,
            )
        )
        moves = Move.create([vals for _record, vals in prepared])
        notes = {}
        for move, (record, _vals) in zip(moves, prepared, strict=True):
            notes[move.id] = self._match_totals(state, move, record)
        moves.action_post()
        Binding = self.env[BINDING].with_context(**{SYNC_WRITE: True})
        now = fields.Datetime.now()
        bindings = Binding.create(
            [
                dict(
                    self._booked_values(record),
                    backend_id=state.backend.id,
                    move_id=move.id,
                    last_synced=now,
                )
                for move, (record, _vals) in zip(moves, prepared, strict=True)
            ]
        )
        for move, binding in zip(moves, bindings, strict=True):
            state.counts["created"] += 1
            state.log_record(
                binding.kind,
                "create",
                move,
                binding,
                message=_totals_note(self.env, notes[move.id]),
            )
        return bindings

    def _invoice_error(self, state, record, error):
        self._record_error(
            state,
            _entity(record),
            "pull",
            None,
            error,
            key=record["bookedInvoiceNumber"],
            name=self.env._("Invoice %s", record["bookedInvoiceNumber"]),
        )

    # ------------------------------------------------------------------ remainders
    def _refresh_remainders(self, state):
        """e-conomic's remainders, from its unpaid view (one listing): a binding whose
        remainder or status changed is written; one no longer listed is paid."""
        unpaid = {
            r["bookedInvoiceNumber"]: r
            for r in state.client.invoices.unpaid.iter(sort="bookedInvoiceNumber")
        }
        bindings = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("doc_state", "=", "booked"),
                "|",
                ("remainder", "!=", 0),
                ("booked_number", "in", list(unpaid)),
            ]
        )
        today = fields.Date.context_today(self)
        Binding = self.env[BINDING]
        for binding in bindings:
            record = unpaid.get(binding.booked_number) or {}
            remainder = float(dec(record.get("remainder")))
            due = binding.due_date
            if record.get("dueDate"):
                due = fields.Date.to_date(record["dueDate"])
            vals = {
                "remainder": remainder,
                "remainder_base": float(dec(record.get("remainderInBaseCurrency"))),
                "due_date": due,
                "payment_status": Binding._payment_status_of(
                    remainder, due, today, gross=binding.gross_amount
                ),
            }
            changed = {k: v for k, v in vals.items() if binding[k] != v}
            if changed:
                paid = binding.remainder - remainder
                binding.write(changed)
                self._remainder_changed(state, binding, paid)
        # overdue follows the date even when nothing was paid (a credit note is never due)
        late = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", "invoice"),
                ("payment_status", "in", ("unpaid", "partial")),
                ("due_date", "<", today),
            ]
        )
        if late:
            late.write({"payment_status": "overdue"})
        self._commit(state)

    def _remainder_changed(self, state, binding, paid):
        """A payment (or its reversal) in e-conomic: logged; registered in Odoo when the
        connection says so (``payments.py``)."""
        state.counts["updated"] += 1
        state.log_record(
            binding.kind,
            "update",
            binding.move_id,
            binding,
            message=self.env._(
                "Remainder in e-conomic now %(remainder)s %(currency)s (was %(before)s): "
                "%(status)s.",
                remainder=binding.remainder,
                currency=binding.currency_code or "",
                before=binding.remainder + paid,
                status=binding._status_label(),
            ),
        )


def _entity(record):
    return "credit_note" if is_credit_note(record) else "invoice"


def _booked_draft(record, by_draft, by_ref):
    """The draft binding ``record`` (a booked invoice) is the booking of, if any."""
    draft = by_draft.get(record.get("orderNumber"))
    other = (record.get("references") or {}).get("other")
    ref = by_ref.get(other) if other else None
    if draft and ref:
        return draft if draft == ref else None
    if draft:
        return draft if not other else None
    if ref:
        return ref if not record.get("orderNumber") else None
    return None


def _totals_note(env, done):
    if not done:
        return False
    parts = []
    for what, amount in done:
        if what == "vat":
            parts.append(env._("VAT adjusted by %s to e-conomic's (rounding)", amount))
        else:
            parts.append(env._("e-conomic's rounding amount %s as a line of its own", amount))
    return "; ".join(parts)
