from odoo import api, fields, models

from ...sync_core import load_base

try:  # python-stdnum: Odoo's requirement, the library base_vat validates with
    from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
    from stdnum.util import get_cc_module
except ImportError:  # pragma: no cover - Odoo always has it
    get_cc_module = None

#: strategies that may decide a conflict for e-conomic: the Odoo values they replaced are shown
REPLACING_STRATEGIES = ("economic_wins", "newer_wins", "read_only")


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "economic.synced.record"]

    _economic_binding_model = "economic.partner.binding"

    economic_binding_ids = fields.One2many(
        "economic.partner.binding", "partner_id", string="e-conomic Bindings"
    )
    economic_customer_number = fields.Integer(
        string="e-conomic Customer No.", compute="_compute_economic"
    )
    economic_supplier_number = fields.Integer(
        string="e-conomic Supplier No.", compute="_compute_economic"
    )
    economic_last_synced = fields.Datetime(
        string="Last Synced with e-conomic", compute="_compute_economic"
    )
    economic_state = fields.Selection(
        [
            ("synced", "Synced"),
            ("pending", "Pending Push"),
            ("conflict", "Conflict"),
            ("error", "Error"),
        ],
        string="e-conomic State",
        compute="_compute_economic",
    )
    economic_currency_id = fields.Many2one(
        "res.currency",
        string="e-conomic Currency",
        compute="_compute_economic",
        help="The agreement's base currency: the currency of e-conomic's amounts.",
    )
    economic_balance = fields.Monetary(
        string="e-conomic Balance",
        currency_field="economic_currency_id",
        compute="_compute_economic",
    )
    economic_credit_limit = fields.Monetary(
        string="e-conomic Credit Limit",
        currency_field="economic_currency_id",
        compute="_compute_economic",
        help="e-conomic's credit limit of the customer, in the agreement's base currency (kept "
        "here while it is not the company's currency).",
    )
    economic_amounts_foreign = fields.Boolean(
        compute="_compute_economic",
        help="The agreement's base currency is not the company's: e-conomic's amounts are shown "
        "here, not synced with Odoo's.",
    )
    economic_error = fields.Text(string="e-conomic Error", compute="_compute_economic")
    economic_can_push = fields.Boolean(compute="_compute_economic")
    economic_pending_reason = fields.Char(string="Why Not Pushed", compute="_compute_economic")
    economic_overwritten_ids = fields.Many2many(
        "economic.sync.conflict",
        string="Odoo Changes Replaced by e-conomic",
        compute="_compute_economic_overwritten",
        groups="economic_sync.group_economic_user",
        help="Fields changed in Odoo and in e-conomic since the last sync, where the "
        "connection's strategy kept e-conomic's value: Odoo's value was replaced. Shown until a "
        "later change of the field is synced, or the decision is reversed.",
    )

    @api.depends_context("company")
    @api.depends(
        "economic_binding_ids.state",
        "economic_binding_ids.last_synced",
        "economic_binding_ids.economic_number",
        "economic_binding_ids.balance",
        "economic_binding_ids.credit_limit",
    )
    def _compute_economic(self):
        backend = (
            self.env["economic.backend"]
            .sudo()
            .search([("company_id", "=", self.env.company.id)], limit=1)
        )
        order = {"error": 0, "conflict": 1, "pending": 2, "synced": 3}
        can_push = bool(backend) and backend.sudo()._economic_push_possible(
            self.env["economic.sync.partner"]._economic_keys()
        )
        currency = backend._economic_currency() if backend else self.env.company.currency_id
        foreign = bool(backend) and backend._economic_foreign_currency()
        for partner in self:
            bindings = partner.sudo().economic_binding_ids.filtered(
                lambda b: b.backend_id == backend
            )
            by_kind = {b.kind: b for b in bindings}
            partner.economic_customer_number = by_kind.get("customer", bindings[:0]).economic_number
            partner.economic_supplier_number = by_kind.get("supplier", bindings[:0]).economic_number
            dates = [d for d in bindings.mapped("last_synced") if d]
            partner.economic_last_synced = max(dates) if dates else False
            states = sorted(bindings.mapped("state"), key=lambda s: order.get(s, 9))
            partner.economic_state = states[0] if states else False
            customers = bindings.filtered(lambda b: b.kind == "customer")
            partner.economic_currency_id = currency
            partner.economic_balance = sum(customers.mapped("balance"))
            partner.economic_credit_limit = sum(customers.mapped("credit_limit"))
            partner.economic_amounts_foreign = foreign
            partner.economic_error = "\n".join(e for e in bindings.mapped("last_error") if e)
            partner.economic_can_push = can_push
            partner.economic_pending_reason = (
                self.env["economic.sync.engine"]._push_blocker(
                    backend, bindings.filtered(lambda b: b.state == "pending")
                )
                if backend
                else False
            )

    @api.depends_context("company")
    @api.depends("economic_binding_ids.base", "economic_binding_ids.state")
    def _compute_economic_overwritten(self):
        """The conflicts of the partner's bindings (the current company's connection) that a
        strategy decided for e-conomic, whose field still holds e-conomic's value (the
        binding's base): the latest per field. A later synced change of the field, or a
        reversed decision, makes one moot."""
        backend = self._economic_backend().sudo()
        bindings = self.sudo().economic_binding_ids.filtered(lambda b: b.backend_id == backend)
        Conflict = self.env["economic.sync.conflict"].sudo()
        conflicts = (
            Conflict.search(
                [
                    *Conflict._conflicts_of(bindings),
                    ("decision", "=", "remote"),
                    ("state", "=", "resolved"),
                    ("strategy", "in", REPLACING_STRATEGIES),
                ],
                order="date desc, id desc",
            )
            if bindings
            else Conflict
        )
        shown = {}
        for conflict in conflicts:
            binding = bindings.browse(conflict.binding_res_id)
            if (binding.id, conflict.field) in shown:
                continue  # an older decision on the same field: the latest says it
            base = load_base(binding.base)
            still = Conflict._dump(base.get(conflict.field)) == conflict.remote_value
            shown[(binding.id, conflict.field)] = conflict if still else Conflict
        by_partner = {}
        for (binding_id, _field), conflict in shown.items():
            partner = bindings.browse(binding_id).partner_id
            by_partner.setdefault(partner.id, Conflict)
            by_partner[partner.id] |= conflict
        for partner in self:
            partner.economic_overwritten_ids = by_partner.get(partner.id, Conflict).sorted(
                "date", reverse=True
            )

    @api.model
    def _economic_vat_error(self, number, country, name=None, shown=None):
        """Odoo's word on a VAT number, as the partner's VAT constraint would say it
        (``base_vat``, where installed; ``country``, a ``res.country`` or empty, is the
        partner's): None when Odoo accepts the number (or checks none), else the message, with
        what is wrong where the number's country says it. ``shown``: the number as the user
        knows it (e-conomic's spelling)."""
        if not number or not hasattr(self, "simple_vat_check"):
            return None
        if self._run_vat_test(number, country, True) is not False:
            return None
        _ = self.env._
        label = _("partner [%s]", name) if name else _("the partner")
        message = " ".join(
            self._build_vat_error_message(
                country.code.lower() if country else None, shown or number, label
            ).split()
        )
        reason = self._economic_vat_reason(number)
        return _("%(error)s (%(reason)s)", error=message, reason=reason) if reason else message

    @api.model
    def _economic_vat_reason(self, number):
        """What is wrong with a prefixed VAT number, in words, if its country's rules say."""
        if get_cc_module is None or len(number) < 3:
            return None
        module = get_cc_module(number[:2].lower(), "vat")
        if module is None or not hasattr(module, "validate"):
            return None
        _ = self.env._
        try:
            module.validate(number[2:])
        except InvalidChecksum:
            return _("its digits do not add up: a typing error, or not a real number")
        except InvalidLength:
            return _("it has the wrong number of digits")
        except InvalidFormat:
            return _("it has characters such a number cannot have")
        except Exception:  # noqa: BLE001 - any other refusal: Odoo's message says enough
            return None
        return None

    def _economic_backend(self):
        return self.env["economic.backend"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )

    def action_economic_refresh(self):
        """Pull this partner's e-conomic record(s) now."""
        self.ensure_one()
        backend = self._economic_backend()
        return self.env["economic.sync.engine"]._action_record(backend, self, "pull")

    def action_economic_push(self):
        """Push this partner to e-conomic now (where push is effective)."""
        self.ensure_one()
        backend = self._economic_backend()
        return self.env["economic.sync.engine"]._action_record(backend, self, "push")
