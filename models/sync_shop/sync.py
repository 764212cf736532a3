"""The day's-sales entity module (issue 18 §1): the declaration and what the engine calls.

Days of sales are pushed only: with push effective (push on, write-back on, a strategy other
than read-only) each pass follows the drafts sent (``bookings.py``), collects the days from the
sources (``_economic_shop_collect``: ``source.py`` and the bridges) and sends each day that is
over and changed (``push.py``). The sources' interface (``sync_core.shop_day``'s ``DayFacts``)
is the one a bridge builds on: it extends ``_economic_shop_collect`` and may use
``_economic_shop_payment_account`` and ``_economic_shop_today``.
"""

from odoo import models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from ...sync_core.shop_day import CORRECT, content_totals
from ..economic_sync_entity import Entity
from .const import DAY_MODEL, DOCUMENT, ENTITY

_lt = LazyTranslate(__name__)


class EconomicSyncShop(models.AbstractModel):
    _name = "economic.sync.shop"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: the day's sales of shops"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Daily Sales"),
            _lt("Day of Sales"),
            DAY_MODEL,
            120,
            push=True,
            read_first=False,
            pull=False,
        ),
    )
    _economic_sequence = 75
    _economic_binding_model = DOCUMENT

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models[ENTITY] = DAY_MODEL
        state.settings.setdefault(ENTITY, state.setting(ENTITY))

    def _economic_pass(self, state, entities, full):
        state.shop_full = full
        self._economic_push(state, entities)

    def _economic_push(self, state, entities):
        if ENTITY not in entities or not state.settings[ENTITY]["push"]:
            return
        self._shop_push(state, full=getattr(state, "shop_full", False))

    def _economic_preview_notes(self, state, entities):
        """What the preview says besides the days it would send: the cash customer missing."""
        return list(getattr(state, "shop_notes", ()))

    def _push_not_effective(self):
        return UserError(
            self.env._(
                "The days of sales are not sent: switch on write-back on the connection, and "
                "push with a strategy other than read-only for Daily Sales."
            )
        )

    def _economic_push_record(self, state, day):
        """Push now: the day sent as it is now (a day deleted in e-conomic is sent again)."""
        if not state.settings[ENTITY]["push"]:
            raise self._push_not_effective()
        if day.day >= self._economic_shop_today(state):
            raise UserError(self.env._("A day is sent once it is over."))
        state.shop_notes = []
        self._shop_resume(state)
        self._shop_detect_bookings(state, self._shop_open_documents(state, day), commit=False)
        facts = [
            f
            for f in self._economic_shop_collect(state, day.day, day.day)
            if f.shop_ref == day.shop_ref
        ]
        self._shop_send_days(state, [(day, facts[0] if facts else None)], force=True)
        if day.state == "error" and not state.counts["created"] + state.counts["pushed"]:
            raise UserError(day.last_error or state.last_failure or "")

    def _economic_refresh_record(self, state, day):
        """Refresh: whether the day's drafts were booked (or deleted) since."""
        docs = self._shop_open_documents(state, day)
        if not day.document_ids:
            raise UserError(self.env._("This day is not in e-conomic yet."))
        self._shop_detect_bookings(state, docs, commit=False)

    def _economic_replay(self, state, line, binding):
        if line.res_model == DAY_MODEL and line.res_id:
            day = self.env[DAY_MODEL].browse(line.res_id).exists()
            if not day:
                return self.env._("The record of this line is gone.")
            if not state.settings[ENTITY]["push"]:
                return self._push_not_effective().args[0]
            self._economic_push_record(state, day)
            return True
        return super()._economic_replay(state, line, binding)

    # ================================================================== the log
    def _shop_log_change(self, state, plan, doc, operation):
        """The day's log line: the document's number, what it holds (totals per tax, or the
        voucher's accounts), and the notes on VAT rounding."""
        decision = plan["decision"]
        summary = self._shop_summary(decision.content)
        name = doc.display_name
        _ = self.env._
        if operation == "archive":
            message = _(
                "%(document)s deleted from e-conomic: the day no longer needs it.", document=name
            )
        elif operation == "update":
            message = _(
                "%(document)s in e-conomic amended with the day as it is now (still a draft): "
                "%(summary)s",
                document=name,
                summary=summary,
            )
        elif decision.action == CORRECT:
            message = _(
                "%(document)s in e-conomic (not booked) corrects the day already booked there: "
                "it holds the difference, %(summary)s",
                document=name,
                summary=summary,
            )
        else:
            message = _(
                "%(document)s in e-conomic (not booked): %(summary)s",
                document=name,
                summary=summary,
            )
        if plan["notes"]:
            message += "\n" + "\n".join(plan["notes"])
        if operation == "update":
            state.counts["pushed"] += 1
        elif operation == "archive":
            state.counts["archived"] += 1
        state.log_record(ENTITY, operation, plan["day"], doc, direction="push", message=message)

    def _shop_summary(self, content):
        """One line of what a document holds: per invoice line its description, net and VAT;
        per voucher line its account and amount; the totals."""
        _ = self.env._
        if any("amount" in line for line in content.values()):
            parts = [
                "%s %s%s: %s"
                % (
                    line["account"],
                    line.get("label") or "",
                    " (%s)" % line["vat_code"] if line.get("vat_code") else "",
                    line["amount"],
                )
                for _key, line in sorted(content.items())
            ]
            debit, _credit, _balance = content_totals(content)
            return _("%(lines)s; debit = credit = %(total)s.", lines="; ".join(parts), total=debit)
        parts = [
            _(
                "%(line)s: %(net)s + VAT %(vat)s",
                line=line["description"],
                net=line["net"],
                vat=line["vat"],
            )
            for _key, line in sorted(content.items())
        ]
        net, vat, gross = content_totals(content)
        return _(
            "%(lines)s; total %(net)s + VAT %(vat)s = %(gross)s.",
            lines="; ".join(parts),
            net=net,
            vat=vat,
            gross=gross,
        )
