"""Where an accountant meets the mirrored entries: from an e-conomic account (its entries)
and from a partner bound to an e-conomic customer or supplier (the entries naming it)."""

from odoo import fields, models


def _entries_action(env, domain, context=None):
    action = env["ir.actions.act_window"]._for_xml_id("economic_sync.economic_entry_action")
    action["domain"] = domain
    action["context"] = context or {}
    return action


class EconomicAccount(models.Model):
    _inherit = "economic.account"

    entry_count = fields.Integer(compute="_compute_entry_count", string="Entries")

    def _compute_entry_count(self):
        counts = dict(
            self.env["economic.entry"]._read_group(
                [("economic_account_id", "in", self.ids)],
                groupby=["economic_account_id"],
                aggregates=["__count"],
            )
        )
        for account in self:
            account.entry_count = counts.get(account, 0)

    def action_view_entries(self):
        self.ensure_one()
        return _entries_action(self.env, [("economic_account_id", "=", self.id)])


class ResPartner(models.Model):
    _inherit = "res.partner"

    economic_entry_count = fields.Integer(
        compute="_compute_economic_entry_count",
        string="e-conomic Entries",
        groups="economic_sync.group_economic_user",
    )

    def _compute_economic_entry_count(self):
        counts = dict(
            self.env["economic.entry"]._read_group(
                [("partner_id", "in", self.ids)], groupby=["partner_id"], aggregates=["__count"]
            )
        )
        for partner in self:
            partner.economic_entry_count = counts.get(partner, 0)

    def action_view_economic_entries(self):
        self.ensure_one()
        return _entries_action(
            self.env, [("partner_id", "=", self.id)], {"search_default_group_type": 1}
        )
