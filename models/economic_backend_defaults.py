"""The connection's defaults: its entity settings, matching keys and field mappings, created
for every connection (and completed on module update as entity modules are added)."""

from odoo import api, models

from .economic_entity_setting import default_entity_setting_vals


class EconomicBackendDefaults(models.Model):
    _inherit = "economic.backend"

    # ------------------------------------------------------------------ defaults
    def _ensure_defaults(self):
        """Create the missing entity settings and field mappings of every entity a module
        declares, and what each module needs besides (``_economic_defaults``); remove the
        settings of entities no module declares any more. Idempotent."""
        settings = self.env["economic.entity.setting"].sudo()
        mappings = self.env["economic.field.mapping"].sudo().with_context(active_test=False)
        engine = self.env["economic.sync.engine"]
        specs = engine._entity_specs()
        defaults = {
            key: engine._entity_module(key)._economic_default_mappings(key) for key in specs
        }
        setting_vals, mapping_vals = [], []
        present = {
            (setting.backend_id.id, setting.entity)
            for setting in settings.search([("backend_id", "in", self.ids)])
        }
        mapped = {
            (mapping.backend_id.id, mapping.entity)
            for mapping in mappings.search([("backend_id", "in", self.ids)])
        }
        for backend in self:
            for key, spec in specs.items():
                if (backend.id, key) not in present:
                    setting_vals.append(
                        dict(default_entity_setting_vals(spec), backend_id=backend.id)
                    )
                if (backend.id, key) not in mapped:
                    mapping_vals += [
                        dict(vals, backend_id=backend.id, entity=key)
                        for vals in mappings._default_vals(defaults[key])
                    ]
        settings.create(setting_vals)
        mappings.create(mapping_vals)
        for module in engine._entity_modules():
            module._economic_defaults(self)
        # an entity of an earlier version that no module declares: its setting goes. Not
        # while modules load (install, update): the modules loaded after this one (a bridge's
        # entities) are not declared yet, and their settings, the user's choices, must stay
        if self.pool.ready:
            self.env.cr.execute(
                "DELETE FROM economic_entity_setting WHERE backend_id IN %s AND entity NOT IN %s",
                [tuple(self.ids) or (0,), tuple(specs) or ("",)],
            )
            self.env["economic.entity.setting"].invalidate_model()

    @api.model
    def _ensure_defaults_all(self):
        """Module install/update: give every connection its missing defaults; which entities
        are available (stored) follows the entity modules of this version; every connection
        has its scheduled action, in step with it (those of an earlier version created)."""
        backends = self.with_context(active_test=False).search([])
        backends._ensure_defaults()
        backends._economic_sync_crons()

    def _entity_setting(self, entity):
        """The ``economic.entity.setting`` of ``entity`` for this connection."""
        self.ensure_one()
        setting = self.entity_setting_ids.filtered(lambda s: s.entity == entity)
        if not setting:
            self._ensure_defaults()
            self.invalidate_recordset(["entity_setting_ids"])
            setting = self.entity_setting_ids.filtered(lambda s: s.entity == entity)
        return setting[:1]
