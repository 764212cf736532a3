from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

SECRET = "app-secret-0123456789"
GRANT = "agreement-grant-0123456789"


@tagged("post_install", "-at_install")
class TestBackendSecurity(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.backend = cls.env["economic.backend"].create(
            {
                "name": "Company A connection",
                "company_id": cls.company_a.id,
                "app_secret_token": SECRET,
                "agreement_grant_token": GRANT,
            }
        )

        def user(login, groups, company):
            return new_test_user(
                cls.env,
                login=login,
                groups=groups,
                company_id=company.id,
                company_ids=[(6, 0, company.ids)],
            )

        cls.plain_user = user("es_plain", "base.group_user", cls.company_a)
        cls.economic_user = user(
            "es_user", "base.group_user,economic_sync.group_economic_user", cls.company_a
        )
        cls.manager = user(
            "es_manager",
            "base.group_user,economic_sync.group_economic_manager",
            cls.company_a,
        )
        cls.manager_b = user(
            "es_manager_b",
            "base.group_user,economic_sync.group_economic_manager",
            cls.company_b,
        )

    # ------------------------------------------------------------------ groups
    def test_groups(self):
        manager_group = self.env.ref("economic_sync.group_economic_manager")
        user_group = self.env.ref("economic_sync.group_economic_user")
        self.assertIn(user_group, manager_group.implied_ids)
        self.assertIn(manager_group, self.env.ref("account.group_account_manager").implied_ids)
        accountant = new_test_user(
            self.env, login="es_accountant", groups="account.group_account_manager"
        )
        self.assertTrue(accountant.has_group("economic_sync.group_economic_manager"))
        self.assertTrue(self.manager.has_group("economic_sync.group_economic_user"))
        self.assertFalse(self.plain_user.has_group("economic_sync.group_economic_user"))

    # ------------------------------------------------------------------ tokens
    def test_manager_reads_and_writes_tokens(self):
        backend = self.backend.with_user(self.manager)
        self.assertEqual(backend.app_secret_token, SECRET)
        self.assertEqual(backend.read(["agreement_grant_token"])[0]["agreement_grant_token"], GRANT)
        backend.write({"app_secret_token": "new-secret-0123456789"})
        self.assertEqual(self.backend.app_secret_token, "new-secret-0123456789")

    def test_economic_user_cannot_read_tokens(self):
        backend = self.backend.with_user(self.economic_user)
        # status and settings are readable
        self.assertEqual(backend.name, "Company A connection")
        self.assertEqual(backend.state, "draft")
        for fname in ("app_secret_token", "agreement_grant_token"):
            with self.assertRaises(AccessError):
                backend.read([fname])
            with self.assertRaises(AccessError):
                backend[fname]  # noqa: B018  pylint: disable=pointless-statement
        self.assertNotIn("app_secret_token", backend.fields_get())
        self.assertNotIn("app_secret_token", backend.read()[0])

    def test_economic_user_cannot_write(self):
        backend = self.backend.with_user(self.economic_user)
        with self.assertRaises(AccessError):
            backend.write({"name": "Changed"})
        with self.assertRaises(AccessError):
            backend.write({"app_secret_token": "x"})
        with self.assertRaises(AccessError):
            backend.action_test_connection()
        with self.assertRaises(AccessError):
            self.env["economic.backend"].with_user(self.economic_user).create(
                {"name": "Mine", "company_id": self.company_b.id}
            )

    def test_plain_user_sees_nothing(self):
        backend = self.backend.with_user(self.plain_user)
        with self.assertRaises(AccessError):
            backend.read(["name"])
        with self.assertRaises(AccessError):
            backend.read(["app_secret_token"])

    def test_tokens_are_stripped(self):
        backend = self.env["economic.backend"].create(
            {
                "name": "Whitespace",
                "company_id": self.company_b.id,
                "app_secret_token": "  abc-123\n",
                "agreement_grant_token": "\tdef 456 \r\n",
            }
        )
        self.assertEqual(backend.app_secret_token, "abc-123")
        self.assertEqual(backend.agreement_grant_token, "def456")
        backend.write({"app_secret_token": " ghi-789 ", "agreement_grant_token": "   "})
        self.assertEqual(backend.app_secret_token, "ghi-789")
        self.assertFalse(backend.agreement_grant_token)

    # ------------------------------------------------------------------ validation
    def test_url_validation(self):
        for bad in (
            "restapi.e-conomic.com",
            "ftp://restapi.e-conomic.com",
            "https://",
            "javascript:alert(1)",
            "https://host with space",
            "http://restapi.e-conomic.com",
        ):
            with self.subTest(url=bad):
                with self.assertRaisesRegex(ValidationError, "must be an https:// URL"):
                    self.backend.write({"rest_url": bad})
                with self.assertRaisesRegex(ValidationError, "must be an https:// URL"):
                    self.backend.write({"apis_url": bad})
        self.backend.write(
            {"rest_url": " http://127.0.0.1:8080/ ", "apis_url": "https://apis.example.com"}
        )
        self.assertEqual(self.backend.rest_url, "http://127.0.0.1:8080")
        self.assertEqual(self.backend.apis_url, "https://apis.example.com")

    def test_timeout_validation(self):
        with self.assertRaisesRegex(ValidationError, "at least one second"):
            self.backend.timeout = 0

    def test_one_connection_per_company(self):
        with self.assertRaisesRegex(ValidationError, "Company B|already has"):
            self.env["economic.backend"].create(
                [
                    {"name": "B1", "company_id": self.company_b.id},
                    {"name": "B2", "company_id": self.company_b.id},
                ]
            )
        with self.assertRaisesRegex(ValidationError, "already has an e-conomic connection"):
            self.env["economic.backend"].create({"name": "Second", "company_id": self.company_a.id})
        # an archived connection still counts
        self.backend.active = False
        with self.assertRaisesRegex(ValidationError, "already has an e-conomic connection"):
            self.env["economic.backend"].create({"name": "Third", "company_id": self.company_a.id})
        other = self.env["economic.backend"].create({"name": "B", "company_id": self.company_b.id})
        with self.assertRaisesRegex(ValidationError, "already has an e-conomic connection"):
            other.company_id = self.company_a
        # the database refuses it too
        self.env.flush_all()
        with (
            self.assertRaises(IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                "UPDATE economic_backend SET company_id = %s WHERE id = %s",
                (self.company_a.id, other.id),
            )

    def test_default_company(self):
        backend = (
            self.env["economic.backend"]
            .with_company(self.company_b)
            .create({"name": "Default company"})
        )
        self.assertEqual(backend.company_id, self.company_b)

    # ------------------------------------------------------------------ multi-company
    def test_multi_company_rule(self):
        backend_b = self.env["economic.backend"].create(
            {"name": "Company B connection", "company_id": self.company_b.id}
        )
        Backend_b = self.env["economic.backend"].with_user(self.manager_b)
        self.assertEqual(Backend_b.search([]), backend_b)
        with self.assertRaises(AccessError):
            self.backend.with_user(self.manager_b).read(["name"])
        Backend_a = self.env["economic.backend"].with_user(self.manager)
        self.assertEqual(Backend_a.search([]), self.backend)
        # a user allowed in both companies sees both
        self.manager_b.company_ids = [(4, self.company_a.id)]
        both = (
            self.env["economic.backend"]
            .with_user(self.manager_b)
            .with_context(allowed_company_ids=[self.company_b.id, self.company_a.id])
            .search([])
        )
        self.assertEqual(both, self.backend | backend_b)

    # ------------------------------------------------------------------ views
    def test_views_hide_tokens_from_users(self):
        Backend = self.env["economic.backend"]
        manager_views = Backend.with_user(self.manager).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        form = manager_views["views"]["form"]["arch"]
        self.assertIn('name="app_secret_token"', form)
        self.assertIn('password="True"', form)
        self.assertIn('name="action_test_connection"', form)
        user_views = Backend.with_user(self.economic_user).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        form = user_views["views"]["form"]["arch"]
        self.assertNotIn("app_secret_token", form)
        self.assertNotIn("agreement_grant_token", form)
        self.assertNotIn("action_test_connection", form)
        self.assertIn('name="state"', form)
        self.assertNotIn("app_secret_token", user_views["models"]["economic.backend"]["fields"])

    def test_menu_and_action(self):
        menu = self.env.ref("economic_sync.menu_economic_backend")
        self.assertEqual(
            menu.parent_id.parent_id, self.env.ref("account.menu_finance_configuration")
        )
        action = self.env.ref("economic_sync.economic_backend_action")
        self.assertEqual(action.res_model, "economic.backend")
