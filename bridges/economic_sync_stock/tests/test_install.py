from unittest.mock import patch

from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import convert_file


@tagged("post_install", "-at_install")
class TestStockBridgeInstall(TransactionCase):
    def test_installed_with_its_apps(self):
        """The bridge installs itself once economic_sync and Inventory are both installed."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("economic_sync", "stock", "economic_sync_stock"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)

    def test_existing_connection_gets_the_stock_setting_on_install(self):
        """A connection made before the bridge was installed has no row of Stock on Hand: the
        bridge's data (what its install and every update load) adds it, off like every
        opt-in entity; a new connection stocks in its company's main warehouse."""
        backend = self.env["economic.backend"].create({"name": "Made before the bridge"})
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", backend.company_id.id)], order="sequence, id", limit=1
        )
        self.assertEqual(backend.stock_location_id, warehouse.lot_stock_id)
        self.env.cr.execute(
            "DELETE FROM economic_entity_setting WHERE backend_id = %s AND entity = 'stock'",
            [backend.id],
        )
        self.env.invalidate_all()
        self.assertNotIn("stock", backend.entity_setting_ids.mapped("entity"))
        rows = len(backend.entity_setting_ids)
        convert_file(
            self.env, "economic_sync_stock", "data/economic_sync_stock_data.xml", {}, mode="init"
        )
        self.env.invalidate_all()
        self.assertEqual(len(backend.entity_setting_ids), rows + 1)
        setting = backend.entity_setting_ids.filtered(lambda s: s.entity == "stock")
        self.assertEqual(
            (setting.pull, setting.push, setting.auto, setting.sequence, setting.available),
            (False, False, True, 35, True),
        )
        self.assertTrue(setting.pullable)
        self.assertFalse(setting.pushable)
        self.assertEqual(setting.res_model, "product.product")
        self.assertEqual(setting.display_name, "Made before the bridge / Stock on Hand")
        # loaded again (a module update): nothing twice
        convert_file(
            self.env, "economic_sync_stock", "data/economic_sync_stock_data.xml", {}, mode="update"
        )
        self.env.invalidate_all()
        self.assertEqual(len(backend.entity_setting_ids), rows + 1)

    def test_an_update_of_the_addon_keeps_the_bridges_settings(self):
        """While the addon updates, the bridge's entity is not declared yet (the bridge loads
        after it): its settings, the user's choices, stay; only a loaded registry drops the
        settings of entities no module declares."""
        backend = self.env["economic.backend"].create({"name": "Stocked"})
        setting = backend._entity_setting("stock")
        setting.pull = True
        engine = self.env["economic.sync.engine"]
        specs = {k: v for k, v in engine._entity_specs().items() if k != "stock"}
        with (
            patch.object(type(engine), "_entity_specs", lambda self: specs),
            patch.object(self.env.registry, "ready", False),
        ):
            backend._ensure_defaults()
        self.assertTrue(setting.exists())
        self.assertTrue(setting.pull)
        with patch.object(type(engine), "_entity_specs", lambda self: specs):
            backend._ensure_defaults()
        self.assertFalse(setting.exists(), "an entity no module declares, registry loaded")

    def test_connection_form_shows_the_stock_location(self):
        arch = self.env["economic.backend"].get_view(view_type="form")["arch"]
        self.assertIn('name="stock_location_id"', arch)
        self.assertIn('name="stock"', arch)
