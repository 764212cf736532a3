from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestPosBridgeInstall(TransactionCase):
    def test_installed_with_its_apps(self):
        """The bridge installs itself once economic_sync and Point of Sale are both installed."""
        modules = self.env["ir.module.module"].search(
            [("name", "in", ("economic_sync", "point_of_sale", "economic_sync_pos"))]
        )
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        self.assertEqual(len(modules), 3)
