"""Customer invoices and credit notes in Odoo: their e-conomic fields, the lock of a booked
invoice, e-conomic's PDF, Refresh and Push now; a move posted again after an edit marks its
e-conomic draft to be replaced by the next push.

A booked e-conomic invoice never changes (docs/SYNC.md §6): its Odoo move is posted and
locked. Resetting it to draft, cancelling it, or changing its partner, dates, currency, lines
or amounts is refused with a message that says why; corrections are credit notes. Payments
and reconciliation are not touched by the lock. The sync's own writes (context
``economic_sync_write``) pass.
"""

import base64

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..economic_binding_mixin import BINDING_STATES
from .const import (
    BINDING,
    DOC_STATES,
    LOCKED_LINE_FIELDS,
    LOCKED_MOVE_FIELDS,
    PAYMENT_STATUS,
    SYNC_WRITE,
)

MOVE_STATES = BINDING_STATES + [("booked", "Booked")]


class AccountMove(models.Model):
    _inherit = "account.move"

    economic_binding_ids = fields.One2many(BINDING, "move_id", string="e-conomic Bindings")
    economic_backend_id = fields.Many2one(
        "economic.backend",
        string="e-conomic Connection",
        compute="_compute_economic",
        store=True,
        index="btree_not_null",
    )
    economic_draft_number = fields.Integer(
        string="e-conomic Draft",
        compute="_compute_economic",
        store=True,
        copy=False,
        aggregator=False,
    )
    economic_booked_number = fields.Integer(
        string="e-conomic Number",
        compute="_compute_economic",
        store=True,
        copy=False,
        index="btree_not_null",
        aggregator=False,
    )
    economic_doc_state = fields.Selection(
        DOC_STATES, string="In e-conomic", compute="_compute_economic", store=True
    )
    economic_state = fields.Selection(
        MOVE_STATES, string="e-conomic Sync State", compute="_compute_economic", store=True
    )
    economic_last_synced = fields.Datetime(
        string="Last Synced with e-conomic", compute="_compute_economic", store=True
    )
    economic_remainder = fields.Monetary(
        string="e-conomic Remainder",
        compute="_compute_economic",
        store=True,
        currency_field="currency_id",
    )
    economic_payment_status = fields.Selection(
        PAYMENT_STATUS, string="e-conomic Status", compute="_compute_economic", store=True
    )
    economic_payment_terms = fields.Char(
        string="e-conomic Payment Terms", compute="_compute_economic", store=True
    )
    economic_base_difference = fields.Monetary(
        string="Difference to e-conomic",
        compute="_compute_economic_base_difference",
        store=True,
        currency_field="company_currency_id",
        help="e-conomic's total in the company's currency (its base currency) minus the Odoo "
        "entry's: not zero only for foreign-currency invoices posted by an earlier version "
        "at another rate than e-conomic's.",
    )
    economic_last_error = fields.Text(string="e-conomic Error", compute="_compute_economic_error")
    economic_available = fields.Boolean(compute="_compute_economic_available")

    @api.depends(
        "economic_binding_ids.state",
        "economic_binding_ids.doc_state",
        "economic_binding_ids.draft_number",
        "economic_binding_ids.booked_number",
        "economic_binding_ids.last_synced",
        "economic_binding_ids.remainder",
        "economic_binding_ids.payment_status",
        "economic_binding_ids.payment_terms",
    )
    def _compute_economic(self):
        for move in self:
            binding = move.economic_binding_ids[:1]
            booked = binding.doc_state == "booked"
            move.economic_backend_id = binding.backend_id
            move.economic_draft_number = binding.draft_number
            move.economic_booked_number = binding.booked_number
            move.economic_doc_state = binding.doc_state if binding else False
            move.economic_state = (
                "booked" if booked and binding.state == "synced" else binding.state or False
            )
            move.economic_last_synced = binding.last_synced
            move.economic_remainder = binding.remainder if booked else 0.0
            move.economic_payment_status = binding.payment_status if booked else False
            move.economic_payment_terms = binding.payment_terms

    @api.depends(
        "economic_binding_ids.gross_base",
        "economic_binding_ids.base_check",
        "amount_total_signed",
        "currency_id",
    )
    def _compute_economic_base_difference(self):
        for move in self:
            binding = move.economic_binding_ids[:1]
            known = (
                binding.doc_state == "booked"
                and not binding.base_check
                and binding.exchange_rate
                and move.currency_id != move.company_currency_id
                and binding.backend_id.base_currency == move.company_currency_id.name
            )
            difference = binding.gross_base - move.amount_total_signed if known else 0.0
            move.economic_base_difference = move.company_currency_id.round(difference)

    @api.depends("company_id", "move_type")
    @api.depends_context("uid")
    def _compute_economic_available(self):
        """A customer invoice or credit note of a company with an e-conomic connection."""
        companies = set(self.env["economic.backend"].sudo().search([]).company_id.ids)
        for move in self:
            move.economic_available = bool(move.economic_backend_id) or (
                move.move_type in ("out_invoice", "out_refund") and move.company_id.id in companies
            )

    @api.depends("economic_binding_ids.last_error")
    def _compute_economic_error(self):
        for move in self:
            move.economic_last_error = move.sudo().economic_binding_ids[:1].last_error

    # ------------------------------------------------------------------ the lock
    def _economic_locked(self):
        """The moves of ``self`` booked in e-conomic (immutable), unless the sync writes."""
        if self.env.context.get(SYNC_WRITE):
            return self.browse()
        return self.filtered("economic_booked_number")

    def _economic_refuse(self, moves, what):
        """Refuse a change of a booked move; ``what``: what was tried, in words."""
        names = ", ".join(moves.mapped("display_name"))
        numbers = ", ".join(str(n) for n in moves.mapped("economic_booked_number"))
        if all(move.move_type == "out_refund" for move in moves):
            message = self.env._(
                "%(moves)s is booked in e-conomic as credit note %(number)s and can no longer "
                "be changed (%(what)s).",
                moves=names,
                number=numbers,
                what=what,
            )
        else:
            message = self.env._(
                "%(moves)s is booked in e-conomic as invoice %(number)s and can no longer be "
                "changed (%(what)s). Correct it with a credit note.",
                moves=names,
                number=numbers,
                what=what,
            )
        raise UserError(message)

    def _economic_labels(self, fnames):
        """Field names as the user sees them (their labels), for a refusal."""
        labels = {
            self._fields[fname]._description_string(self.env) if fname in self._fields else fname
            for fname in fnames
        }
        return ", ".join(sorted(labels))

    def write(self, vals):
        locked = self._economic_locked()
        if locked:
            touched = set(LOCKED_MOVE_FIELDS.intersection(vals))
            if vals.get("state") in ("draft", "cancel"):
                touched.add("state")
            changed = [
                fname for fname in touched if any(_changes(move, fname, vals) for move in locked)
            ]
            if changed:
                self._economic_refuse(locked, self._economic_labels(changed))
        return super().write(vals)

    @api.depends("economic_booked_number")
    def _compute_show_reset_to_draft_button(self):
        """No "Reset to Draft" on an invoice booked in e-conomic (it would be refused)."""
        res = super()._compute_show_reset_to_draft_button()
        for move in self.filtered("economic_booked_number"):
            move.show_reset_to_draft_button = False
        return res

    def button_draft(self):
        locked = self._economic_locked()
        if locked:
            self._economic_refuse(locked, self.env._("reset to draft"))
        return super().button_draft()

    def button_cancel(self):
        locked = self._economic_locked()
        if locked:
            self._economic_refuse(locked, self.env._("cancel"))
        return super().button_cancel()

    # ------------------------------------------------------------------ the push
    def _post(self, soft=True):
        """A move posted again after an edit: its e-conomic draft is to be replaced."""
        posted = super()._post(soft=soft)
        bindings = posted.economic_binding_ids.filtered(
            lambda b: b.doc_state == "draft"
            and b.draft_number
            and not b.remote_archived
            and b.state != "pending"
        )
        if bindings:
            bindings.sudo().with_context(**{SYNC_WRITE: True}).write({"state": "pending"})
        return posted

    # ------------------------------------------------------------------ buttons
    def _economic_binding(self):
        self.ensure_one()
        binding = self.economic_binding_ids[:1]
        if not binding:
            raise UserError(self.env._("This invoice is not linked to e-conomic."))
        return binding

    def action_economic_pdf(self):
        """Fetch e-conomic's PDF of the booked invoice (or the draft) as an attachment."""
        self.ensure_one()
        binding = self._economic_binding()
        backend = binding.backend_id.sudo()
        with backend._get_client() as client:
            if binding.booked_number:
                content = client.invoices.booked.pdf(binding.booked_number)
                name = self.env._("e-conomic invoice %s.pdf", binding.booked_number)
            else:
                content = client.invoices.drafts.pdf(binding.draft_number)
                name = self.env._("e-conomic draft %s.pdf", binding.draft_number)
        attachment = self.env["ir.attachment"].create(
            {
                "name": name,
                "type": "binary",
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/pdf",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s?download=true" % attachment.id,
            "target": "new",
        }

    def _economic_backend(self):
        self.ensure_one()
        return self.economic_backend_id or self.env["economic.backend"].search(
            [("company_id", "=", self.company_id.id)], limit=1
        )

    def action_economic_refresh(self):
        """Pull this invoice's e-conomic record now (booked number, remainder, status)."""
        self.ensure_one()
        engine = self.env["economic.sync.engine"]
        return engine._action_record(self._economic_backend(), self, "pull")

    def action_economic_push(self):
        """Send this invoice to e-conomic as a draft now (where push is effective)."""
        self.ensure_one()
        engine = self.env["economic.sync.engine"]
        return engine._action_record(self._economic_backend(), self, "push")


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        touched = LOCKED_LINE_FIELDS.intersection(vals)
        if touched and not self.env.context.get(SYNC_WRITE):
            locked = self.move_id._economic_locked()
            lines = self.filtered(lambda line: line.move_id in locked)
            if lines and any(_changes(line, f, vals) for line in lines for f in touched):
                locked._economic_refuse(
                    locked & lines.move_id, self._economic_labels_of_lines(touched)
                )
        return super().write(vals)

    def _economic_labels_of_lines(self, fnames):
        labels = {self._fields[fname]._description_string(self.env) for fname in fnames}
        return self.env._("invoice lines: %s", ", ".join(sorted(labels)))


def _changes(record, fname, vals):
    """Whether ``vals[fname]`` changes ``record`` (forms send unchanged values too)."""
    field = record._fields.get(fname)
    if field is None or fname == "state":
        return True
    if field.type in ("one2many", "many2many"):
        return bool(vals[fname])
    value = field.convert_to_record(field.convert_to_cache(vals[fname], record), record)
    return value != record[fname]
