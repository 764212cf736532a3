"""The connection's defaults: its entity settings, matching keys and field mappings, created
for every connection (and completed on module update as entity modules are added)."""

from odoo import api, models

from .economic_entity_setting import ENTITIES, default_entity_setting_vals
from .economic_field_mapping import default_field_mapping_vals
from .economic_match_key import DEFAULT_MATCH_KEYS


class EconomicBackendDefaults(models.Model):
    _inherit = "economic.backend"

    # ------------------------------------------------------------------ defaults
    def _ensure_defaults(self):
        """Create the missing entity settings, matching keys and field mappings
        (docs/SYNC.md §2 defaults; docs/ENGINE.md). Idempotent."""
        settings = self.env["economic.entity.setting"].sudo()
        keys = self.env["economic.match.key"].sudo().with_context(active_test=False)
        mappings = self.env["economic.field.mapping"].sudo().with_context(active_test=False)
        setting_vals, key_vals, mapping_vals = [], [], []
        available = self.env["economic.sync.engine"]._available_entities()
        for backend in self:
            present = set(settings.search([("backend_id", "=", backend.id)]).mapped("entity"))
            for sequence, (entity, _label) in enumerate(ENTITIES, start=1):
                if entity not in present:
                    setting_vals.append(
                        dict(
                            default_entity_setting_vals(entity, available),
                            backend_id=backend.id,
                            sequence=sequence * 10,
                        )
                    )
            if not keys.search_count([("backend_id", "=", backend.id)]):
                for entity, entity_keys in DEFAULT_MATCH_KEYS.items():
                    for sequence, key in enumerate(entity_keys, start=1):
                        key_vals.append(
                            {
                                "backend_id": backend.id,
                                "entity": entity,
                                "key": key,
                                "sequence": sequence * 10,
                            }
                        )
            mapped = set(mappings.search([("backend_id", "=", backend.id)]).mapped("entity"))
            mapping_vals += [
                dict(vals, backend_id=backend.id)
                for vals in default_field_mapping_vals()
                if vals["entity"] not in mapped
            ]
        settings.create(setting_vals)
        keys.create(key_vals)
        mappings.create(mapping_vals)
        # older databases created every entity pulling: the ones that do not sync yet
        # are switched off, not shown as active
        settings.search(
            [
                ("backend_id", "in", self.ids),
                ("entity", "not in", available),
                "|",
                ("pull", "=", True),
                ("push", "=", True),
            ]
        ).write({"pull": False, "push": False})

    @api.model
    def _ensure_defaults_all(self):
        """Module install/update: give every connection its missing defaults; which entities
        are available (stored) follows the entity modules of this version."""
        backends = self.with_context(active_test=False).search([])
        backends._ensure_defaults()
        backends.entity_setting_ids._compute_available()
        self._update_cron_interval()

    def _entity_setting(self, entity):
        """The ``economic.entity.setting`` of ``entity`` for this connection."""
        self.ensure_one()
        setting = self.entity_setting_ids.filtered(lambda s: s.entity == entity)
        if not setting:
            self._ensure_defaults()
            self.invalidate_recordset(["entity_setting_ids"])
            setting = self.entity_setting_ids.filtered(lambda s: s.entity == entity)
        return setting[:1]
