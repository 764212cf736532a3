from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestStockBridgeInstall(TransactionCase):
    def test_installed_with_its_apps(self):
        """The bridge installs itself once economic_sync and Inventory are both installed."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("economic_sync", "stock", "economic_sync_stock"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)
