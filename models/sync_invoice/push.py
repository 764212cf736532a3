"""The push of invoices and credit notes (issue 8 §3): posted Odoo customer invoices and credit
notes become e-conomic **drafts**, never booked by the sync (docs/SYNC.md §6, §8).

With push effective (push on, write-back on, a strategy other than read-only), the posted moves
of the connection's chosen journals, dated from the chosen day, with no binding, are sent as
drafts carrying the Odoo number in ``references.other``. A create is stored with its
Idempotency-Key and committed before the request (``economic.create.attempt``); a create left
unconfirmed is looked for in e-conomic by its reference before anything is sent again, so a lost
answer never makes a second draft. A move posted again after an edit (reset to draft, changed,
posted) marks its binding pending, and the next push replaces the whole draft (PUT, lines
included). A draft deleted in e-conomic follows the strategy: *e-conomic wins* unbinds it,
*Odoo wins* / *newer wins* create it again; booked in the meantime, it is bound to the booking.

A sales order may have its draft before its invoice exists (the paid-order rule,
``sale_order.py``): the order's invoice then binds to that draft (replacing it with the
invoice's lines) or, already booked, to the booked invoice, and no second draft is made.
"""

from odoo import fields, models
from odoo.exceptions import UserError

from ...economic_client import EconomicError, F, NotFoundError
from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import IN_CHUNK
from .const import BINDING, ENTITIES, MOVE_TYPES, SYNC_WRITE, dec

#: the attempt number of a draft created again after its deletion in e-conomic: distinct from
#: the first create's (whose answer e-conomic may still have cached) and from refusals' retries
RECREATE_ATTEMPT = -1000


def _kind_of(move):
    return "credit_note" if move.move_type == "out_refund" else "invoice"


class EconomicSyncInvoicePush(models.AbstractModel):
    _inherit = "economic.sync.invoice"

    # ================================================================== interface
    def _economic_pass(self, state, entities, full):
        # creates left unconfirmed are settled before the pull, so a draft whose answer was
        # lost and that the user booked since is bound, not pulled as a second invoice
        self._resume_draft_creates(state, entities)
        return super()._economic_pass(state, entities, full)

    def _economic_push(self, state, entities):
        kinds = [e for e in ENTITIES if e in entities and state.settings[e]["push"]]
        if not kinds:
            return
        # drafts booked (or deleted) in e-conomic since: found whether the pull is on or not
        self._detect_bookings(state, self._draft_bindings(state, kinds))
        self._push_pending_drafts(state, kinds)
        moves = self._moves_to_push(state, kinds)
        for batch in self._split(moves, IN_CHUNK):
            self._push_moves(state, batch)
            self._commit(state)
        if "invoice" in kinds:
            orders = self._orders_requested(state)
            for batch in self._split(orders, IN_CHUNK):
                self._push_orders(state, batch)
                self._commit(state)

    def _economic_push_record(self, state, move):
        """Push now: the move's draft created, or replaced with the move as it is."""
        kind = _kind_of(move)
        if move.move_type not in MOVE_TYPES.values():
            raise UserError(self.env._("Only customer invoices and credit notes go to e-conomic."))
        if not state.settings[kind]["push"]:
            raise self._push_not_effective()
        if move.state != "posted":
            raise UserError(self.env._("Post the invoice first: only posted invoices are sent."))
        binding = self.env[BINDING]._economic_bindings_of(state, move)[:1]
        if binding.doc_state == "booked":
            raise UserError(
                self.env._(
                    "This invoice is booked in e-conomic as invoice %s and can no longer be "
                    "changed there.",
                    binding.booked_number,
                )
            )
        if binding and not binding.remote_archived:
            self._push_pending_binding(state, binding)
        elif binding:
            self._draft_gone(state, binding, recreate=True)
        else:
            self._push_moves(state, move)

    def _push_not_effective(self):
        return UserError(
            self.env._(
                "Invoices are not pushed: switch on write-back on the connection, and push with "
                "a strategy other than read-only for Invoices and Credit Notes."
            )
        )

    def _economic_replay(self, state, line, binding):
        if line.direction == "push" and line.res_model == "account.move" and line.res_id:
            move = self.env["account.move"].browse(line.res_id).exists()
            if not move:
                return self.env._("The record of this line is gone.")
            if not state.settings[_kind_of(move)]["push"]:
                return self._push_not_effective().args[0]
            self._economic_push_record(state, move)
            return True
        if line.direction == "push" and line.res_model == "sale.order" and line.res_id:
            order = self.env["sale.order"].browse(line.res_id).exists()
            if not order:
                return self.env._("The record of this line is gone.")
            self._push_orders(state, order)
            return True
        return super()._economic_replay(state, line, binding)

    # ================================================================== what to push
    def _moves_to_push(self, state, kinds):
        """Posted moves of the chosen journals (from the chosen day), of the connection's
        company, of the pushed kinds, never bound to the connection, within the entities'
        *Push Only* domains."""
        backend = state.backend
        journals = backend.invoice_push_journal_ids
        Move = self.env["account.move"]
        if not journals:
            return Move
        self.env.flush_all()
        query = """
            SELECT m.id FROM account_move m
             WHERE m.state = 'posted' AND m.move_type IN %s AND m.company_id = %s
               AND m.journal_id IN %s
               AND NOT EXISTS (SELECT 1 FROM economic_invoice_binding b
                                WHERE b.move_id = m.id AND b.backend_id = %s)"""
        params = [
            tuple(MOVE_TYPES[k] for k in kinds),
            state.company.id,
            tuple(journals.ids),
            backend.id,
        ]
        if backend.invoice_push_from:
            query += " AND COALESCE(m.invoice_date, m.date) >= %s"
            params.append(backend.invoice_push_from)
        self.env.cr.execute(query + " ORDER BY m.id", params)
        moves = Move.browse([row[0] for row in self.env.cr.fetchall()])
        for kind in kinds:
            setting = state.settings[kind]["setting"]
            domain = setting._get_push_domain() if setting else []
            if domain and moves:
                typed = moves.filtered(lambda m, k=kind: m.move_type == MOVE_TYPES[k])
                moves -= typed - Move.search([("id", "in", typed.ids)] + list(domain))
        return moves.sorted("id")

    def _push_pending_drafts(self, state, kinds):
        """Drafts whose Odoo move changed (pending) or whose last push failed: replaced."""
        bindings = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "in", kinds),
                ("doc_state", "=", "draft"),
                ("draft_number", "!=", False),
                ("move_id", "!=", False),
                ("move_id.state", "=", "posted"),
                ("remote_archived", "=", False),
                ("state", "in", ("pending", "error")),
            ],
            order="id",
        )
        for batch in self._split(bindings, IN_CHUNK):
            for binding in batch:
                self._push_pending_binding(state, binding)
            self._commit(state)

    # ================================================================== new drafts
    def _push_moves(self, state, moves):
        """Drafts for ``moves`` (not bound): the payloads built first (customers and products
        pushed first where needed), then a move of a sales order with a draft binds to it,
        the others are created."""
        payloads = {}
        for move in moves:
            try:
                payloads[move.id] = self._draft_from_move(state, move)
            except RECORD_ERRORS as error:
                self._record_error(state, _kind_of(move), "push", move, error)
        new = {"invoice": [], "credit_note": []}
        for move in moves.filtered(lambda m: m.id in payloads):
            order_binding = self._order_draft_of(state, move)
            if order_binding:
                self._bind_order_draft(state, move, order_binding, payloads[move.id])
            else:
                new[_kind_of(move)].append(move.id)
        for kind, ids in new.items():
            if ids:
                self._post_drafts(state, kind, moves.browse(ids), payloads)

    def _post_drafts(self, state, kind, records, payloads, lookup=False, bump=None):
        """Create the drafts of ``records`` (moves or orders) with their Idempotency-Keys,
        stored and committed before the first request. A record whose create is pending from
        an earlier run (or every record, with ``lookup``) is first looked for in e-conomic
        by its reference. ``bump``: ``{record id: attempt number}`` of drafts created again."""
        Attempt = self.env["economic.create.attempt"]
        pending = Attempt.sudo().search(
            [
                ("backend_id", "=", state.backend.id),
                ("entity", "=", kind),
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("state", "=", "pending"),
            ]
        )
        resumed = set(pending.mapped("res_id"))
        attempts = Attempt._prepare(
            state.backend,
            kind,
            records,
            names={r.id: payloads[r.id]["references"]["other"] for r in records},
        )
        for res_id, number in (bump or {}).items():
            if res_id not in resumed:
                attempts[res_id].write(
                    {
                        "attempt": number,
                        "idempotency_key": Attempt._key(
                            state.backend, kind, records._name, res_id, number
                        ),
                    }
                )
        # the keys are stored before the first request (a crash after e-conomic's commit
        # leaves a row the next run settles by looking the draft up by its reference)
        self._commit(state)
        for record in records:
            payload = payloads[record.id]
            attempt = attempts[record.id]
            if lookup or record.id in resumed:
                found = self._find_sent_draft(state, kind, record, payload)
                if found is False:
                    continue
                if found:
                    self._bind_sent_draft(state, kind, record, found, payload, attempt)
                    continue
            self._post_draft(state, kind, record, payload, attempt)

    def _post_draft(self, state, kind, record, payload, attempt):
        sent = {}

        def send(key):
            created = sent["draft"] = state.client.invoices.drafts.create(
                payload, idempotency_key=key
            )
            return self._new_binding(state, kind, record, created, payload)

        binding = self._economic_create_once(state, kind, record, attempt, send)
        if not binding:
            return False
        created = sent["draft"]
        state.log_record(
            kind,
            "create",
            record,
            binding,
            direction="push",
            message=self._totals_message(record, created)
            or self.env._("Draft %s in e-conomic (not booked).", binding.draft_number),
        )
        return binding

    def _new_binding(self, state, kind, record, draft, payload):
        vals = dict(
            self._draft_values(draft, payload),
            backend_id=state.backend.id,
            kind=kind,
        )
        vals["move_id" if record._name == "account.move" else "sale_order_id"] = record.id
        if vals["draft_number"]:
            # e-conomic just gave this number to a new draft: a binding that still holds it
            # is of a draft booked (or deleted) since
            stale = self._draft_bindings(state, number=vals["draft_number"])
            if stale:
                self._settle_stale(state, stale)
        return self.env[BINDING].sudo().with_context(**{SYNC_WRITE: True}).create(vals)

    def _draft_values(self, draft, payload):
        """What the binding keeps of a draft e-conomic answered (a preview's answer has no
        number and no amounts)."""
        due = draft.get("dueDate")
        return {
            "doc_state": "draft",
            "draft_number": draft.get("draftInvoiceNumber") or False,
            "reference": (draft.get("references") or payload.get("references") or {}).get("other")
            or False,
            "currency_code": draft.get("currency") or payload.get("currency") or False,
            "net_amount": float(dec(draft.get("netAmount"))),
            "vat_amount": float(dec(draft.get("vatAmount"))),
            "gross_amount": float(dec(draft.get("grossAmount"))),
            "rounding_amount": float(dec(draft.get("roundingAmount"))),
            "due_date": fields.Date.to_date(due) if due else False,
            "state": "synced",
            "last_error": False,
            "last_synced": fields.Datetime.now(),
            "remote_last_updated": draft.get("lastUpdated") or False,
            "remote_archived": False,
        }

    def _totals_message(self, record, draft):
        """e-conomic's gross amount against Odoo's total: a difference is said, never
        silent (e-conomic prices with 2 decimals and its product groups' VAT)."""
        if draft.get("grossAmount") is None:
            return False
        sign = -1 if record._name == "account.move" and record.move_type == "out_refund" else 1
        odoo = dec(sign * record.amount_total)
        economic = dec(draft["grossAmount"])
        if economic == odoo:
            return False
        return self.env._(
            "e-conomic's total %(economic)s differs from Odoo's %(odoo)s by %(diff)s (unit "
            "prices with 2 decimals, or VAT of the products' e-conomic groups other than the "
            "Odoo taxes): check the draft before booking it.",
            economic=economic,
            odoo=odoo,
            diff=economic - odoo,
        )

    # ------------------------------------------------------------------ unconfirmed creates
    def _find_sent_draft(self, state, kind, record, payload):
        """The e-conomic draft an earlier create of ``record`` made, by its reference and
        customer, not bound yet: the draft, None (never made), or False (cannot tell: logged)."""
        reference = payload["references"]["other"]
        customer = payload["customer"]["customerNumber"]
        try:
            drafts = list(
                state.client.invoices.drafts.iter(filter=F("references.other").eq(reference))
            )
        except EconomicError as error:
            self._record_error(state, kind, "push", record, error)
            return False
        drafts = [
            d
            for d in drafts
            if (d.get("customer") or {}).get("customerNumber") == customer
            and (d.get("references") or {}).get("other") == reference
        ]
        numbers = [d["draftInvoiceNumber"] for d in drafts]
        # a booked binding's draft number is history: e-conomic gives it to the next draft
        bound = set(
            self.env[BINDING]
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("doc_state", "=", "draft"),
                    ("draft_number", "in", numbers),
                ]
            )
            .mapped("draft_number")
        )
        drafts = [d for d in drafts if d["draftInvoiceNumber"] not in bound]
        if len(drafts) > 1:
            self._record_error(
                state,
                kind,
                "push",
                record,
                self.env._(
                    "Several e-conomic drafts carry the reference %(reference)s: %(numbers)s. "
                    "Delete the extra ones in e-conomic; nothing is sent until then.",
                    reference=reference,
                    numbers=", ".join(str(d["draftInvoiceNumber"]) for d in drafts),
                ),
            )
            return False
        return drafts[0] if drafts else None

    def _bind_sent_draft(self, state, kind, record, draft, payload, attempt):
        try:
            with self._record_savepoint(state):
                binding = self._new_binding(state, kind, record, draft, payload)
                attempt.sudo().unlink()
        except RECORD_ERRORS as error:
            self._record_error(state, kind, "push", record, error)
            return False
        state.counts["bound"] += 1
        state.log_record(
            kind,
            "bind",
            record,
            binding,
            direction="push",
            message=self.env._(
                "Draft %s was made by an earlier push whose answer was lost: bound, not sent "
                "again.",
                binding.draft_number,
            ),
        )
        return binding

    def _resume_draft_creates(self, state, entities):
        """Creates of drafts left unconfirmed by a crash or a lost answer: each found in
        e-conomic by its reference is bound; the others are sent again by the push (same
        key)."""
        kinds = [e for e in ENTITIES if e in entities and state.settings[e]["push"]]
        if not kinds:
            return
        attempts = (
            self.env["economic.create.attempt"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("entity", "in", kinds),
                    ("res_model", "in", ("account.move", "sale.order")),
                    ("state", "=", "pending"),
                ]
            )
        )
        for attempt in attempts:
            record = self.env[attempt.res_model].browse(attempt.res_id).exists()
            if not record or self._bound_elsewhere(state, record):
                attempt.unlink()
                continue
            payload = {
                "references": {"other": attempt.record_name},
                "customer": {"customerNumber": self._attempt_customer(state, record)},
            }
            found = self._find_sent_draft(state, attempt.entity, record, payload)
            if found:
                self._bind_sent_draft(state, attempt.entity, record, found, payload, attempt)
        if attempts:
            self._commit(state)

    def _bound_elsewhere(self, state, record):
        field = "move_id" if record._name == "account.move" else "sale_order_id"
        return bool(
            self.env[BINDING].search_count(
                [("backend_id", "=", state.backend.id), (field, "=", record.id)]
            )
        )

    def _attempt_customer(self, state, record):
        partner = record.partner_id
        if record._name == "sale.order":
            partner = record.partner_invoice_id or partner
        binding = self._customer_binding(state, partner.commercial_partner_id)
        return binding.economic_number or False

    # ================================================================== drafts that changed
    def _push_pending_binding(self, state, binding):
        """Replace the draft with the move as it is now (the whole draft, lines included)."""
        move = binding.move_id
        try:
            payload = self._draft_from_move(state, move)
        except RECORD_ERRORS as error:
            self._record_error(state, binding.kind, "push", move, error, binding)
            return False
        return self._replace_draft(state, binding, payload)

    def _replace_draft(self, state, binding, payload):
        kind, record = binding.kind, binding._economic_record() or binding.sale_order_id
        try:
            with self._record_savepoint(state):
                # read first: a PUT to a number no draft has may make a new draft there, and
                # e-conomic gives a booked draft's number to the next draft: only the draft
                # that carries this document's reference is replaced
                current = state.client.invoices.drafts.get(binding.draft_number)
                if (current.get("references") or {}).get("other") != binding.reference:
                    raise NotFoundError("another draft", status=404)
                draft = state.client.invoices.drafts.replace(binding.draft_number, payload)
                binding.with_context(**{SYNC_WRITE: True}).write(self._draft_values(draft, payload))
        except NotFoundError:
            return self._draft_gone(state, binding)
        except RECORD_ERRORS as error:
            self._record_error(state, kind, "push", record, error, binding)
            return False
        state.resolve(kind, "push", record.id, None)
        state.counts["pushed"] += 1
        state.log_record(
            kind,
            "update",
            record,
            binding,
            direction="push",
            message=self._totals_message(record, draft)
            or self.env._(
                "Draft %s replaced with the Odoo invoice as it is now.", binding.draft_number
            ),
        )
        return True

    def _draft_gone(self, state, binding, recreate=False, looked_up=False):
        """The draft is no longer in e-conomic: booked since (bound to the booking), else
        deleted there: *e-conomic wins* unbinds it (the Odoo invoice stays as it is); *Odoo
        wins* and *newer wins* (or Push now: ``recreate``) create it again. ``looked_up``:
        its booking was looked for already."""
        kind = binding.kind
        record = binding.move_id or binding.sale_order_id
        if binding.reference and not binding.remote_archived and not looked_up:
            try:
                booked = list(
                    state.client.invoices.booked.iter(
                        filter=F("references.other").eq(binding.reference)
                    )
                )
            except EconomicError as error:
                self._record_error(state, kind, "push", record, error, binding)
                return False
            self._bind_bookings(state, booked)
            if binding.doc_state == "booked":
                return True
        old = binding.draft_number
        strategy = state.settings[kind]["strategy"]
        if not recreate and strategy not in ("local_wins", "newer_wins"):
            binding.with_context(**{SYNC_WRITE: True}).write(
                {
                    "remote_archived": True,
                    "draft_number": False,
                    "state": "synced",
                    "last_error": False,
                    "last_synced": fields.Datetime.now(),
                }
            )
            state.counts["archived"] += 1
            state.log_record(
                kind,
                "archive",
                record,
                binding,
                direction="push",
                message=self.env._(
                    "Draft %s was deleted in e-conomic: unbound (e-conomic wins); the Odoo "
                    "invoice stays as it is. Push now sends it again.",
                    old,
                ),
            )
            return True
        state.log_record(
            kind,
            "archive",
            record,
            binding,
            direction="push",
            message=self.env._(
                "Draft %s was deleted in e-conomic: created again from Odoo.", old or "-"
            ),
        )
        binding.with_context(**{SYNC_WRITE: True}).unlink()
        build = self._draft_from_move if record._name == "account.move" else self._draft_from_order
        try:
            payloads = {record.id: build(state, record)}
        except RECORD_ERRORS as error:
            self._record_error(state, kind, "push", record, error)
            return False
        bump = {record.id: RECREATE_ATTEMPT * (old or 0) - 1}
        self._post_drafts(state, kind, record, payloads, bump=bump)
        return True

    # ================================================================== sales orders' drafts
    def _order_draft_of(self, state, move):
        """The draft binding of the sales order of an Odoo invoice, not bound to an invoice
        yet (credit notes never take an order's draft)."""
        if move.move_type != "out_invoice" or "sale_line_ids" not in move.line_ids._fields:
            return self.env[BINDING]
        orders = move.invoice_line_ids.sale_line_ids.order_id
        if not orders:
            return self.env[BINDING]
        return self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("sale_order_id", "in", orders.ids),
                ("move_id", "=", False),
            ],
            limit=1,
        )

    def _bind_order_draft(self, state, move, binding, payload):
        """The order's draft takes the order's invoice: replaced with the invoice's lines and
        number; booked already, the invoice is bound to the booking (and locked)."""
        binding.with_context(**{SYNC_WRITE: True}).write({"move_id": move.id})
        state.counts["bound"] += 1
        number = binding.booked_number or binding.draft_number
        state.log_record(
            binding.kind,
            "bind",
            move,
            binding,
            direction="push",
            economic_key=str(binding.booked_number or ""),
            message=self.env._(
                "Bound to the e-conomic %(what)s %(number)s of the sales order %(order)s: no "
                "second draft.",
                what=self.env._("invoice") if binding.booked_number else self.env._("draft"),
                number=number,
                order=binding.sale_order_id.name,
            ),
        )
        if binding.doc_state == "booked":
            note = self._totals_message(move, {"grossAmount": binding.gross_amount})
            if note:
                state.log_record(
                    binding.kind, "update", move, binding, direction="push", message=note
                )
            return True
        return self._replace_draft(state, binding, payload)

    def _economic_waiting_work(self):
        """Paid orders waiting for their draft (the paid-order rule asked for it and woke the
        scheduled action): the invoices of their companies' connections, now."""
        work = super()._economic_waiting_work()
        groups = (
            self.env["sale.order"]
            .sudo()
            ._read_group([("economic_draft_requested", "=", True)], groupby=["company_id"])
        )
        if groups:
            backends = (
                self.env["economic.backend"]
                .sudo()
                .search([("company_id", "in", [company.id for (company,) in groups])])
            )
            for backend in backends:
                work.setdefault(backend.id, []).append("invoice")
        return work

    def _orders_requested(self, state):
        """Orders of the connection's company the paid-order rule asked a draft for."""
        return self.env["sale.order"].search(
            [
                ("economic_draft_requested", "=", True),
                ("company_id", "=", state.company.id),
            ],
            order="id",
        )

    def _push_orders(self, state, orders):
        """One draft per order, whatever the runs: an order with a binding gets none; an
        order whose invoice is in e-conomic already takes that invoice's binding; the others
        are looked up in e-conomic by their reference, then created."""
        # drafts booked since the last pass give their numbers to the drafts made now
        self._detect_bookings(state, self._draft_bindings(state))
        payloads = {}
        for order in orders:
            if self._bound_elsewhere(state, order) or self._order_invoice_bound(state, order):
                continue
            try:
                payloads[order.id] = self._draft_from_order(state, order)
            except RECORD_ERRORS as error:
                self._record_error(state, "invoice", "push", order, error)
        if payloads:
            self._post_drafts(
                state, "invoice", orders.browse(list(payloads)), payloads, lookup=True
            )
        done = orders.filtered(lambda o: self._bound_elsewhere(state, o))
        done.filtered("economic_draft_requested").with_context(**{SYNC_WRITE: True}).write(
            {"economic_draft_requested": False}
        )

    def _order_invoice_bound(self, state, order):
        """An invoice of ``order`` is in e-conomic already: its binding takes the order (the
        order shows its number), and no draft of the order is made."""
        binding = self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                (
                    "move_id",
                    "in",
                    order.invoice_ids.filtered(lambda m: m.move_type == "out_invoice").ids,
                ),
                ("sale_order_id", "=", False),
            ],
            limit=1,
        )
        if not binding:
            return False
        binding.with_context(**{SYNC_WRITE: True}).write({"sale_order_id": order.id})
        state.log_record(
            "invoice",
            "bind",
            order,
            binding,
            direction="push",
            economic_key=str(binding.booked_number or ""),
            message=self.env._(
                "Its invoice %(move)s is in e-conomic already: no second draft.",
                move=binding.move_id.name,
            ),
        )
        return True
