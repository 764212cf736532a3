"""The bridge in Danish: every term of ``i18n/economic_sync_pos.pot`` has its Danish in
``i18n/da.po``, and Odoo shows it to a user working in Danish (fields, the views it adds, a
message of the source)."""

import os

import polib

from odoo.tests import TransactionCase, new_test_user, tagged

I18N = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "i18n")
LANG = "da_DK"


@tagged("post_install", "-at_install")
class TestPosBridgeDanish(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(
            ["economic_sync", "point_of_sale", "economic_sync_pos"], [LANG]
        )
        cls.env.registry.clear_cache()

    def test_every_term_has_its_danish(self):
        pot = polib.pofile(os.path.join(I18N, "economic_sync_pos.pot"))
        danish = {e.msgid: e.msgstr for e in polib.pofile(os.path.join(I18N, "da.po"))}
        self.assertTrue(pot)
        self.assertEqual([e.msgid for e in pot if not danish.get(e.msgid)], [])

    def test_danish_fields_views_and_messages(self):
        user = new_test_user(
            self.env,
            login="pos_bridge_dansk",
            lang=LANG,
            groups="base.group_user,economic_sync.group_economic_manager,"
            "point_of_sale.group_pos_manager",
        )
        env = self.env(user=user, context={"lang": LANG})
        fields = env["pos.payment.method"].fields_get(["economic_account_id"])
        self.assertEqual(fields["economic_account_id"]["string"], "e-conomic-konto")
        backend_fields = env["economic.backend"].fields_get(["shop_pos_config_ids"])
        self.assertEqual(backend_fields["shop_pos_config_ids"]["string"], "Kasser (POS)")
        arch = env["pos.payment.method"].get_view(view_type="form")["arch"]
        self.assertIn("Den e-conomic-konto, der er tilknyttet metodens Odoo-konto", arch)
        shop = env["economic.sync.shop"]
        self.assertEqual(shop.with_context(lang=LANG).env._("Rounding"), "Afrunding")
