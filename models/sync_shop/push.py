"""The push of the days of sales (issue 18 §1), one batch of days at a time:

1. *plan* each day: its target (``plan.py``) and what to do with it (``sync_core.shop_day.
   decide``: create, amend, correct, delete, nothing) from the documents e-conomic still has;
   a day that cannot be mapped is one error and nothing of it is sent;
2. *change in place*: a draft invoice still ours is replaced (PUT), a document no longer needed
   is deleted; a voucher to amend loses its draft entries (a voucher cannot be replaced);
3. the documents to create get their Idempotency-Keys (``economic.create.attempt``),
   committed before any request;
4. each is created (``send.py``), bound, and the day's log line says its number and totals.

A document whose answer was lost is looked for in e-conomic at the start of the next pass
(``send.py``: drafts by reference, voucher entries by text) and bound, never made twice.
"""

import datetime
import json

import pytz

from odoo import fields, models

from ...sync_core.shop_day import (
    AMEND,
    CORRECT,
    CREATE,
    DELETE,
    NOTHING,
    SentDocument,
    day_reference,
    decide,
)
from ..economic_sync_entity import RECORD_ERRORS
from .const import DAY_MODEL, DOCUMENT, ENTITY, LOOKBACK_DAYS, SYNC_WRITE

#: days planned and sent per batch (one commit each)
BATCH = 50


class EconomicSyncShopPush(models.AbstractModel):
    _inherit = "economic.sync.shop"

    # ================================================================== the days
    def _economic_shop_today(self, state):
        """Today in the company's time zone (its partner's, else the user's, else UTC): a
        business day is a calendar day there, and a day is sent once it is over."""
        tz = state.company.partner_id.tz or self.env.user.tz or "UTC"
        return datetime.datetime.now(pytz.timezone(tz)).date()

    def _shop_window(self, state, full):
        """``(first day, last day)`` to look at: from "Send Sales From" on a full pass (or
        before any day was sent), else the last ``LOOKBACK_DAYS`` and any older day not sent
        yet; up to yesterday."""
        backend = state.backend
        last = self._economic_shop_today(state) - datetime.timedelta(days=1)
        first = backend.shop_send_from or last + datetime.timedelta(days=1)
        Day = self.env[DAY_MODEL]
        if not full and Day.search_count([("backend_id", "=", backend.id)], limit=1):
            recent = last - datetime.timedelta(days=LOOKBACK_DAYS)
            waiting = Day.search(
                [
                    ("backend_id", "=", backend.id),
                    ("state", "in", ("pending", "error")),
                    ("day", ">=", first),
                ],
                order="day",
                limit=1,
            )
            first = max(first, min(recent, waiting.day or recent))
        return first, last

    def _shop_push(self, state, full=False):
        """The pass's push of the days: unsettled creates settled, bookings found, then every
        day of the window planned and sent."""
        state.shop_notes = getattr(state, "shop_notes", [])
        self._shop_resume(state)
        self._shop_detect_bookings(state, self._shop_open_documents(state))
        first, last = self._shop_window(state, full)
        if first > last:
            return
        facts = self._economic_shop_collect(state, first, last)
        self._shop_prefetch(state, facts)
        Day = self.env[DAY_MODEL]
        days = Day.search(
            [("backend_id", "=", state.backend.id), ("day", ">=", first), ("day", "<=", last)]
        )
        items = self._shop_day_records(state, facts, days)
        for batch in self._split(items, BATCH):
            self._shop_send_days(state, batch)
            self._commit(state)

    def _shop_day_records(self, state, facts, days):
        """``[(day record, facts or None)]``: a record for every (shop, day) with facts (made
        where missing, in one create) and the records of the window whose material is gone."""
        known = {(d.shop_ref, d.day): d for d in days}
        new = [
            {
                "backend_id": state.backend.id,
                "shop_ref": f.shop_ref,
                "shop_name": f.shop_name,
                "day": f.day,
                "currency_code": f.currency,
                "state": "pending",
            }
            for f in facts
            if (f.shop_ref, f.day) not in known and (f.sales or f.payments)
        ]
        for day in self.env[DAY_MODEL].sudo().with_context(**{SYNC_WRITE: True}).create(new):
            known[(day.shop_ref, day.day)] = day
        by_key = {(f.shop_ref, f.day): f for f in facts}
        items = [
            (day, by_key.get(key))
            for key, day in sorted(known.items(), key=lambda kv: (kv[0][1], kv[0][0]))
        ]
        out, emptied = [], self.env[DAY_MODEL]
        for day, f in items:
            if f is not None or self._shop_live(day):
                out.append((day, f))
            elif day.state in ("pending", "error"):
                emptied |= day  # its material is gone and nothing of it is in e-conomic
        emptied.with_context(**{SYNC_WRITE: True}).write({"state": "empty", "last_error": False})
        return out

    # ================================================================== one batch
    def _shop_send_days(self, state, items, force=False):
        plans = []
        for day, facts in items:
            plan = self._shop_plan_day(state, day, facts, force)
            if plan:
                plans.append(plan)
        posts = []
        for plan in plans:
            if self._shop_change_in_place(state, plan):
                posts.append(plan)
        if not posts:
            return
        attempts = self.env["economic.create.attempt"]._prepare(
            state.backend,
            ENTITY,
            self.env[DOCUMENT].union(*(plan["doc"] for plan in posts)),
            names={plan["doc"].id: plan["doc"].reference for plan in posts},
        )
        # the keys (and the documents) are stored before the first request
        self._commit(state)
        for plan in posts:
            self._shop_post(state, plan, attempts[plan["doc"].id])

    def _shop_plan_day(self, state, day, facts, force):
        """What to do with one day (a dict), or None (nothing, or an error: logged)."""
        if day.state == "deleted" and not force:
            return None
        mode = day.mode or state.backend.shop_mode
        try:
            with self._record_savepoint(state):
                if facts is not None:
                    content, lines, totals, notes = self._shop_target(state, facts, mode)
                else:
                    content, lines, totals, notes = {}, [], {}, []
                docs = day.document_ids.filtered(lambda d: d.doc_state in ("draft", "booked"))
                decision = decide(
                    content,
                    [SentDocument(d.id, d.doc_state, d._content()) for d in docs.sorted("number")],
                )
                if mode == "invoice" and decision.action in (CREATE, AMEND, CORRECT):
                    self._shop_cash_customer(state)  # raises when it is missing
        except RECORD_ERRORS as error:
            self._shop_day_failed(state, day, error)
            return None
        plan = {
            "day": day,
            "facts": facts,
            "mode": mode,
            "decision": decision,
            "content": content,
            "lines": lines,
            "totals": totals,
            "notes": notes,
        }
        if decision.action == NOTHING:
            self._shop_sent(state, plan, docs)
            return None
        return plan

    def _shop_change_in_place(self, state, plan):
        """Amend a draft invoice (PUT) or delete a document no longer needed: done here.
        Returns whether the plan needs a document created (with its ``doc`` set)."""
        decision, day = plan["decision"], plan["day"]
        Doc = self.env[DOCUMENT]
        doc = Doc.browse(decision.document) if decision.document else Doc
        try:
            with self._record_savepoint(state):
                if decision.action == DELETE:
                    self._shop_withdraw(state, doc)
                    self._shop_sent(state, plan, self._shop_live(day))
                    self._shop_log_change(state, plan, doc, "archive")
                    return False
                if decision.action == AMEND and doc.kind == "invoice":
                    self._shop_replace_invoice(state, doc, plan)
                    self._shop_sent(state, plan, self._shop_live(day))
                    self._shop_log_change(state, plan, doc, "update")
                    return False
                if decision.action == AMEND:
                    self._shop_withdraw(state, doc, keep=True)
                    plan["doc"] = doc
                else:
                    plan["doc"] = self._shop_new_document(state, plan)
                plan["doc"].with_context(**{SYNC_WRITE: True}).write(
                    {"content": Doc._dump(decision.content)}
                )
                return True
        except RECORD_ERRORS as error:
            self._shop_day_failed(state, day, error, doc or None)
            return False

    def _shop_new_document(self, state, plan):
        """The document a create makes: the day's unsent one (an earlier create that never
        reached e-conomic) if any, else the next number."""
        day = plan["day"]
        unsent = day.document_ids.filtered(lambda d: d.doc_state == "sending")[:1]
        if unsent:
            return unsent
        number = max(day.document_ids.mapped("number") or [0]) + 1
        return (
            self.env[DOCUMENT]
            .sudo()
            .with_context(**{SYNC_WRITE: True})
            .create(
                {
                    "backend_id": state.backend.id,
                    "day_id": day.id,
                    "kind": "invoice" if plan["mode"] == "invoice" else "voucher",
                    "number": number,
                    "doc_state": "sending",
                    "reference": day_reference(day.shop_name, day.shop_ref, day.day, number),
                }
            )
        )

    def _shop_post(self, state, plan, attempt):
        doc, day = plan["doc"], plan["day"]
        number = attempt.attempt

        def send(key):
            self._shop_create_remote(state, doc, plan, key)
            doc.with_context(**{SYNC_WRITE: True}).write({"attempt": number})
            return doc

        if not self._economic_create_once(state, ENTITY, day, attempt, send):
            day.with_context(**{SYNC_WRITE: True}).write(
                {"state": "error", "last_error": state.last_failure or False}
            )
            return False
        self._shop_sent(state, plan, self._shop_live(day))
        action = "create"
        if plan["decision"].action == AMEND:
            action = "update"  # a voucher posted again: counted as pushed, not created
            state.counts["created"] -= 1
        self._shop_log_change(state, plan, doc, action)
        return True

    # ================================================================== the day's record
    def _shop_live(self, day):
        return day.document_ids.filtered(lambda d: d.doc_state in ("draft", "booked"))

    def _shop_sent(self, state, plan, docs):
        """The day as e-conomic has it now: what was sent, its lines and totals, its state."""
        day, facts = plan["day"], plan["facts"]
        vals = {
            "state": self._shop_day_state(day, docs, bool(plan["content"])),
            "last_error": False,
            "note": "\n".join(plan["notes"]) or False,
        }
        if facts is not None:
            vals["sources"] = json.dumps(list(facts.sources))
        elif not plan["content"]:
            vals["sources"] = json.dumps([])
        if plan["decision"].action != NOTHING or (plan["lines"] and not day.line_ids):
            totals = plan["totals"]
            vals.update(
                {
                    "mode": plan["mode"] if docs else day.mode,
                    "last_sent": fields.Datetime.now(),
                    "net_amount": totals.get("net_amount", 0.0),
                    "vat_amount": totals.get("vat_amount", 0.0),
                    "gross_amount": totals.get("gross_amount", 0.0),
                    "payment_amount": totals.get("payment_amount", 0.0),
                    "line_ids": [(5, 0, 0)]
                    + [(0, 0, dict(line, sequence=i)) for i, line in enumerate(plan["lines"])],
                }
            )
        # a day that did not change is not written again (a full pass looks at every day)
        vals = {k: v for k, v in vals.items() if k == "line_ids" or day[k] != v}
        if vals:
            day.with_context(**{SYNC_WRITE: True}).write(vals)
        state.resolve(ENTITY, "push", day.id, None)

    @staticmethod
    def _shop_day_state(day, docs, has_content):
        if docs.filtered(lambda d: d.doc_state == "draft"):
            return "draft"
        if docs:
            return "booked"
        if day.document_ids.filtered(lambda d: d.doc_state == "deleted"):
            return "deleted"
        return "pending" if has_content else "empty"

    def _shop_day_failed(self, state, day, error, doc=None):
        self._record_error(state, ENTITY, "push", day, error, binding=doc or None)
        day.with_context(**{SYNC_WRITE: True}).write(
            {"state": "error", "last_error": state.last_failure or str(error)}
        )
