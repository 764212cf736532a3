"""Issue 14 §5: the e-conomic menus for the people who have the e-conomic groups, and messages
that name the menus the user really has (Invoicing in Community, Accounting in Enterprise, in
the user's language)."""

from odoo.tests import TransactionCase, new_test_user, tagged

from ..engine import ADAPTER_CLASSES, PARTNER_MAPPINGS, Lookups, MissingMapping
from ..engine.adapters import REFERENCES_MENU
from .sync_common import SyncCase

USER_MENUS = (
    "economic_sync.menu_economic_main",
    "economic_sync.menu_economic_main_backend",
    "economic_sync.menu_economic_sync_log",
    "economic_sync.menu_economic_sync_conflict",
    "economic_sync.menu_economic_webhook_event",
    "economic_sync.menu_economic_entry",
    "economic_sync.menu_economic_reconciliation",
    "economic_sync.menu_economic_shop_day",
)
MANAGER_MENUS = (
    "economic_sync.menu_economic_root",
    "economic_sync.menu_economic_backend",
    "economic_sync.menu_economic_reference",
    "economic_sync.menu_economic_account",
    "economic_sync.menu_economic_vat_code",
    "economic_sync.menu_economic_field_mapping",
    "economic_sync.menu_economic_partner_binding",
    "economic_sync.menu_economic_journal",
)


@tagged("post_install", "-at_install")
class TestUiMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.economic_user = new_test_user(
            cls.env,
            login="menu_economic_user",
            groups="base.group_user,economic_sync.group_economic_user",
        )
        cls.economic_manager = new_test_user(
            cls.env,
            login="menu_economic_manager",
            groups="base.group_user,economic_sync.group_economic_manager",
        )
        cls.billing_user = new_test_user(
            cls.env,
            login="menu_billing_user",
            groups="base.group_user,account.group_account_invoice",
        )

    def _menus(self, user):
        """The menu tree the web client loads for ``user``: {xmlid: menu}."""
        menus = self.env["ir.ui.menu"].with_user(user).load_web_menus(False)
        return {menu["xmlid"]: menu for key, menu in menus.items() if key != "root"}

    def _assert_actions_open(self, user, xmlids):
        """Every action of these menus opens for ``user``: its views load, its records read."""
        for xmlid in xmlids:
            action = self.env.ref(xmlid).action
            if not action or action._name != "ir.actions.act_window":
                continue
            Model = self.env[action.res_model].with_user(user)
            view_types = [(False, mode) for mode in action.view_mode.split(",")] + [
                (False, "search")
            ]
            Model.get_views(view_types)
            Model.search_read([], limit=5)

    def test_economic_user_reaches_the_economic_menus(self):
        """Only the e-conomic group and internal user: the Invoicing app opens on e-conomic's
        menus; nothing of the accounting menus the user had no right to before."""
        menus = self._menus(self.economic_user)
        for xmlid in USER_MENUS:
            self.assertIn(xmlid, menus, "%s not in the loaded menu tree" % xmlid)
        for xmlid in MANAGER_MENUS:
            self.assertNotIn(xmlid, menus)
        app = menus["account.menu_finance"]
        self.assertEqual(app["appID"], app["id"])
        # the app opens on an e-conomic list, not on some other menu of the app
        self.assertEqual(
            (app["actionModel"], app["actionID"]),
            ("ir.actions.act_window", self.env.ref("economic_sync.economic_sync_log_action").id),
        )
        children = {menus_xmlid for menus_xmlid, m in menus.items() if m["appID"] == app["id"]}
        self.assertLessEqual(children, {"account.menu_finance", *USER_MENUS}, children)
        self._assert_actions_open(self.economic_user, USER_MENUS)

    def test_economic_manager_reaches_the_configuration(self):
        menus = self._menus(self.economic_manager)
        for xmlid in (*USER_MENUS, *MANAGER_MENUS, "account.menu_finance_configuration"):
            self.assertIn(xmlid, menus, "%s not in the loaded menu tree" % xmlid)
        app_id = menus["account.menu_finance"]["id"]
        configuration = [
            xmlid
            for xmlid, menu in menus.items()
            if menu["appID"] == app_id and xmlid.startswith("account.")
        ]
        self.assertEqual(
            sorted(configuration), ["account.menu_finance", "account.menu_finance_configuration"]
        )
        self._assert_actions_open(self.economic_manager, (*USER_MENUS, *MANAGER_MENUS))

    def test_accounting_menus_unchanged_for_invoicing_users(self):
        """A billing user without e-conomic rights keeps Customers and Vendors and sees no
        e-conomic menu."""
        menus = self._menus(self.billing_user)
        for xmlid in (
            "account.menu_finance",
            "account.menu_finance_receivables",
            "account.menu_finance_payables",
            "account.menu_action_move_out_invoice_type",
        ):
            self.assertIn(xmlid, menus)
        self.assertFalse([x for x in menus if x.startswith("economic_sync.")])
        # given the e-conomic group too, both
        self.billing_user.groups_id = [(4, self.env.ref("economic_sync.group_economic_user").id)]
        menus = self._menus(self.billing_user)
        for xmlid in ("account.menu_finance_receivables", *USER_MENUS):
            self.assertIn(xmlid, menus)

    # ------------------------------------------------------------------ menu paths
    def test_menu_path_is_the_menus_complete_name(self):
        Menu = self.env["ir.ui.menu"]
        self.assertEqual(
            Menu._economic_menu_path("economic_sync.menu_economic_reference"),
            "Invoicing → Configuration → e-conomic → References",
        )
        self.assertEqual(
            Menu._economic_menu_path("economic_sync.menu_economic_sync_conflict"),
            "Invoicing → e-conomic → Conflicts",
        )
        self.assertEqual(
            Menu._economic_menu_path("economic_sync.menu_economic_backend", "Defaults"),
            "Invoicing → Configuration → e-conomic → Connections → Defaults",
        )
        # a user without the menu's groups reads the same path (the message is for them too)
        self.assertEqual(
            Menu.with_user(self.economic_user)._economic_menu_path(
                "economic_sync.menu_economic_vat_code"
            ),
            "Invoicing → Configuration → e-conomic → VAT Codes",
        )
        self.assertEqual(Menu._economic_menu_path("economic_sync.no_such_menu"), "")

    def test_menu_path_follows_renames_and_language(self):
        """Enterprise renames the app Accounting; a Danish user reads Danish names."""
        app = self.env.ref("account.menu_finance")
        app.name = "Accounting"
        Menu = self.env["ir.ui.menu"]
        self.assertEqual(
            Menu._economic_menu_path("economic_sync.menu_economic_account"),
            "Accounting → Configuration → e-conomic → Accounts",
        )
        self.env["res.lang"]._activate_lang("da_DK")
        app.with_context(lang="da_DK").name = "Regnskab"
        self.env.ref("account.menu_finance_configuration").with_context(
            lang="da_DK"
        ).name = "Konfiguration"
        self.economic_user.lang = "da_DK"
        self.assertEqual(
            Menu.with_user(self.economic_user)
            .with_context(lang="da_DK")
            ._economic_menu_path("economic_sync.menu_economic_account"),
            "Regnskab → Konfiguration → e-conomic → Accounts",
        )


@tagged("post_install", "-at_install")
class TestUiMenuMessages(SyncCase):
    """Per-record errors of a pass name the real menu."""

    def test_unmapped_reference_names_the_references_menu(self):
        self.env["economic.reference"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("kind", "=", "payment_term"),
                ("number", "=", "5"),
            ]
        ).payment_term_id = False
        self.run_pass()
        failed = self.logs(entity="supplier", state="failed")
        self.assertTrue(failed)
        self.assertIn(
            "to an Odoo payment term under Invoicing → Configuration → e-conomic → References.",
            failed[0].message,
        )

    def test_unmapped_vat_code_and_account_name_their_menus(self):
        self.run_pass()
        self.env.ref("account.menu_finance").name = "Accounting"
        with self.assertRaises(MissingMapping) as caught:
            self.env["economic.vat.code"]._tax_for(self.backend, "X99")
        self.assertIn("Accounting → Configuration → e-conomic → VAT Codes", str(caught.exception))
        with self.assertRaises(MissingMapping) as caught:
            self.env["economic.account"]._account_for(self.backend, 99999)
        self.assertIn("Accounting → Configuration → e-conomic → Accounts", str(caught.exception))


REFS = {
    ("payment_term", "5"): {"id": 1, "name": "Netto 30 dage", "payment_term_id": False},
    ("customer_group", "1"): {"id": 2, "name": "Indenlandske"},
}
COUNTRIES = {7: ("DK", "Denmark")}


@tagged("post_install", "-at_install")
class TestEngineMessages(TransactionCase):
    """The engine's messages (engine/adapters.py, no Odoo there) are the user's: in their
    language (Odoo passes its translation; the messages are marked for the module's terms) and
    naming the menu where the user fixes the cause (Odoo passes its menu's path)."""

    def _message(self, lookups, changes):
        adapter = ADAPTER_CLASSES["customer"](PARTNER_MAPPINGS["customer"], lookups)
        with self.assertRaises(MissingMapping) as caught:
            adapter.local_write_vals(changes)
        return str(caught.exception)

    def test_plain_python_defaults(self):
        lookups = Lookups(COUNTRIES, REFS)
        self.assertEqual(
            self._message(lookups, {"customerGroup.customerGroupNumber": 9}),
            "e-conomic customer group 9 is unknown in Odoo: refresh the references of the "
            "connection (%s)." % REFERENCES_MENU,
        )
        self.assertEqual(
            self._message(lookups, {"country": "XX"}),
            "The e-conomic country 'XX' matches no Odoo country: correct it in e-conomic.",
        )

    def test_translated_with_the_menu_odoo_gives(self):
        danish = {
            "payment terms": "betalingsbetingelser",
            "an Odoo payment term": "en Odoo-betalingsbetingelse",
            "Map the e-conomic %(kind)s '%(name)s' (%(number)s) to %(target)s under %(menu)s.": (
                "Knyt e-conomics %(kind)s '%(name)s' (%(number)s) til %(target)s under %(menu)s."
            ),
        }
        lookups = Lookups(
            COUNTRIES,
            REFS,
            references_menu="Fakturering → Konfiguration → e-conomic → Referencer",
            translate=lambda source: danish.get(source, source),
        )
        self.assertEqual(
            self._message(lookups, {"paymentTerms.paymentTermsNumber": 5}),
            "Knyt e-conomics betalingsbetingelser 'Netto 30 dage' (5) til en "
            "Odoo-betalingsbetingelse under Fakturering → Konfiguration → e-conomic → Referencer.",
        )

    def test_a_pass_gives_the_engine_the_users_menu_and_language(self):
        backend = self.env["economic.backend"].create(
            {"name": "Messages", "app_secret_token": "s-1", "agreement_grant_token": "g-1"}
        )
        self.env.ref("account.menu_finance").name = "Accounting"
        lookups = self.env["economic.sync.engine"]._economic_lookups(backend)
        self.assertEqual(
            lookups.references_menu, "Accounting → Configuration → e-conomic → References"
        )
        self.assertEqual(lookups.text("payment terms"), "payment terms")
        self.assertEqual(lookups._translate, self.env._)
