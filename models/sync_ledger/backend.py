"""The connection's chart of accounts and VAT codes: how many still need a mapping, and Re-run
Automatic Mapping (after the accountant changed the Odoo chart or taxes): the automatic
mappings are made again from scratch, the ones made by hand are kept, every mapping that
changed is logged."""

import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

#: the sync log's entity of each mirror
LOG_ENTITIES = {"economic.account": "account", "economic.vat.code": "vat_code"}


class EconomicBackendLedger(models.Model):
    _inherit = "economic.backend"

    ledger_account_todo_count = fields.Integer(
        string="Accounts to Map", compute="_compute_ledger_todo_counts"
    )
    ledger_vat_todo_count = fields.Integer(
        string="VAT Codes to Map", compute="_compute_ledger_todo_counts"
    )

    @api.depends("company_id")
    def _compute_ledger_todo_counts(self):
        counts = {}
        for model in ("economic.account", "economic.vat.code"):
            counts[model] = dict(
                self.env[model]
                .sudo()
                ._read_group(
                    [
                        ("backend_id", "in", self.ids),
                        ("mapping_state", "in", ("todo", "suggested")),
                    ],
                    groupby=["backend_id"],
                    aggregates=["__count"],
                )
            )
        for backend in self:
            backend.ledger_account_todo_count = counts["economic.account"].get(backend, 0)
            backend.ledger_vat_todo_count = counts["economic.vat.code"].get(backend, 0)

    def action_rerun_ledger_mapping(self):
        """Make the automatic mappings of the accounts and VAT codes again (the ones made by
        hand are kept); log every mapping that changed. Managers only."""
        self.ensure_one()
        self.check_access("write")
        changes = self._rerun_ledger_mapping()
        _ = self.env._
        return self._notification(
            _("Automatic mapping done again"),
            _(
                "%(changed)s mappings changed (the sync log lists them). To map: %(accounts)s "
                "accounts, %(codes)s VAT codes.",
                changed=len(changes),
                accounts=self.ledger_account_todo_count,
                codes=self.ledger_vat_todo_count,
            ),
            "success",
        )

    def _rerun_ledger_mapping(self, reason=None):
        """Redo the automatic mappings of this connection; one log line per mapping that
        changed (``reason`` says why, by default the user's re-run). Returns the changes."""
        self.ensure_one()
        changes = self.env["economic.sync.ledger"]._auto_map_ledger(self, redo=True)
        _ = self.env._
        reason = reason or _("Automatic mapping done again.")
        lines = []
        for record, old, new in changes:
            if new:
                what = _(
                    "Was %(old)s, now %(new)s.",
                    old=old.display_name if old else _("not mapped"),
                    new=new.display_name,
                )
            else:
                what = _(
                    "Was %(old)s: cleared (%(note)s)",
                    old=old.display_name,
                    note=record.mapping_note or "",
                )
            lines.append(
                {
                    "backend_id": self.id,
                    "entity": LOG_ENTITIES[record._name],
                    "direction": "pull",
                    "operation": "update",
                    "res_model": record._name,
                    "res_id": record.id,
                    "record_name": record.display_name,
                    "economic_key": str(
                        record.code
                        if record._name == "economic.vat.code"
                        else record.account_number
                    ),
                    "message": "%s %s" % (reason, what),
                }
            )
            _logger.info("e-conomic %s: %s %s", self.name, record.display_name, what)
        self.env["economic.sync.log"].sudo()._create_safe(lines)
        return changes

    def action_view_ledger_accounts(self):
        return self._ledger_action("economic_sync.economic_account_action")

    def action_view_ledger_vat_codes(self):
        return self._ledger_action("economic_sync.economic_vat_code_action")

    def _ledger_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("backend_id", "=", self.id)]
        return action
