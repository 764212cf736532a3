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

    def test_payment_method_form_shows_the_economic_account(self):
        """The e-conomic account is on the payment method's form and list for e-conomic users
        (others do not see it: they cannot read the e-conomic accounts)."""
        Method = self.env["pos.payment.method"]
        for view_type in ("form", "list"):
            arch = Method.get_view(view_type=view_type)["arch"]
            self.assertIn('name="economic_account_id"', arch)
        user = self.env["res.users"].create(
            {
                "name": "Kasserer",
                "login": "kasserer_pos_bridge",
                "groups_id": [(6, 0, self.env.ref("point_of_sale.group_pos_manager").ids)],
            }
        )
        arch = Method.with_user(user).get_view(view_type="form")["arch"]
        self.assertNotIn("economic_account_id", arch)
