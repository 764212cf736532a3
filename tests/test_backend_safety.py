"""Issue 6 on the connection: https URLs, one agreement per company, shared partners and
push domains, entities that do not sync yet, the Connect wizard's end state and the
preview before write-back or push is switched on."""

from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import EconomicSandboxCase

AVAILABLE = (
    "customer",
    "customer_contact",
    "supplier",
    "supplier_contact",
    "product",
    "account",
    "vat_code",
    "invoice",
    "credit_note",
    "journal_entry",
    "purchase",
    "payment",
    "shop_day",
)
#: available, but their pull waits for the accountant (they post entries in Odoo's books)
OPT_IN = ("invoice", "credit_note", "purchase")
#: pushed only: nothing to pull
PUSH_ONLY = ("payment", "shop_day")
#: entities no module declares (a package removed, or an entity of an earlier version)
NOT_YET = ("retired_entity",)
#: the agreement of the sandbox's demo seed
DEMO_AGREEMENT = "1118081"


def _form_arch(env, model, user=None):
    Model = env[model].with_user(user) if user else env[model]
    return etree.fromstring(Model.get_views([(False, "form")])["views"]["form"]["arch"])


@tagged("post_install", "-at_install")
class TestBackendSafety(TransactionCase):
    """Settings checked without e-conomic."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend = cls.env["economic.backend"].create(
            {"name": "Safety", "app_secret_token": "s-1", "agreement_grant_token": "g-1"}
        )
        cls.manager = new_test_user(
            cls.env,
            login="safety_manager",
            groups="base.group_user,economic_sync.group_economic_manager",
        )
        cls.economic_user = new_test_user(
            cls.env,
            login="safety_user",
            groups="base.group_user,economic_sync.group_economic_user",
        )

    # ------------------------------------------------------------------ 1. https only
    def test_only_https_urls_except_loopback(self):
        for bad in (
            "http://restapi.e-conomic.com",
            "http://apis.example.com",
            "http://10.0.0.5:8080",
            "http://127.0.0.1.example.com",
            "http://localhost.example.com",
            "ftp://restapi.e-conomic.com",
            "restapi.e-conomic.com",
            "https://",
            "https://host with space",
            "https://restapi.e-conomic.com:notaport",
        ):
            for fname in ("rest_url", "apis_url"):
                with self.subTest(url=bad, field=fname):
                    with self.assertRaisesRegex(ValidationError, r"must be an https:// URL"):
                        self.backend.write({fname: bad})
        for good in (
            "https://restapi.e-conomic.com",
            "https://apis.example.com:8443/api",
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://localhost:8069",
            "http://[::1]:8080",
        ):
            with self.subTest(url=good):
                self.backend.write({"rest_url": good, "apis_url": good})
                self.assertEqual(self.backend.rest_url, good)

    def test_https_message_is_translated_and_names_the_field(self):
        with self.assertRaises(ValidationError) as caught:
            self.backend.write({"apis_url": "http://apis.e-conomic.com"})
        message = str(caught.exception)
        self.assertIn("OpenAPI URL", message)
        self.assertIn("http://apis.e-conomic.com", message)
        self.assertIn("localhost", message)

    def test_connect_wizard_refuses_plain_http(self):
        wizard = self.env["economic.connect.wizard"].create(
            {
                "app_secret_token": "s",
                "agreement_grant_token": "g",
                "rest_url": "http://restapi.e-conomic.com",
                "apis_url": "https://apis.e-conomic.com",
            }
        )
        with self.assertRaisesRegex(UserError, "REST API URL must be an https:// URL"):
            wizard.action_test()

    # ------------------------------------------------------------------ 2. one agreement
    def test_agreement_warning_names_the_other_company(self):
        company_b = self.env["res.company"].create({"name": "Safety Other Company"})
        backend_b = self.env["economic.backend"].create(
            {"name": "B connection", "company_id": company_b.id}
        )
        self.backend.agreement_number = "4711"
        self.assertFalse(self.backend.agreement_warning)
        backend_b.agreement_number = "4711"
        self.backend.invalidate_recordset(["agreement_warning"])
        self.assertIn("Safety Other Company", self.backend.agreement_warning)
        self.assertIn("4711", self.backend.agreement_warning)
        self.assertIn(self.env.company.name, backend_b.agreement_warning)
        # the other company is found even when the user cannot see it
        as_manager = self.backend.with_user(self.manager)
        as_manager.invalidate_recordset(["agreement_warning"])
        self.assertIn("Safety Other Company", as_manager.agreement_warning)
        # and even when the other connection is archived
        backend_b.active = False
        self.backend.invalidate_recordset(["agreement_warning"])
        self.assertIn("Safety Other Company", self.backend.agreement_warning)
        backend_b.agreement_number = "4712"
        self.backend.invalidate_recordset(["agreement_warning"])
        self.assertFalse(self.backend.agreement_warning)
        form = _form_arch(self.env, "economic.backend")
        banner = form.xpath("//div[field[@name='agreement_warning']]")
        self.assertEqual(len(banner), 1)
        self.assertIn("alert-warning", banner[0].get("class"))

    # ------------------------------------------------------------------ 3. shared partners
    def test_push_shared_partners_field(self):
        self.assertFalse(self.backend.push_shared_partners)
        field = self.backend._fields["push_shared_partners"]
        self.assertEqual(field.string, "Push Shared Partners")
        self.assertIn("without a company", field.help)
        form = _form_arch(self.env, "economic.backend")
        self.assertTrue(form.xpath("//page[@name='sync']//field[@name='push_shared_partners']"))

    def test_push_domain(self):
        setting = self.backend._entity_setting("customer")
        self.assertEqual(setting.push_domain, "[]")
        self.assertEqual(setting._get_push_domain(), [])
        self.assertEqual(setting._fields["push_domain"].string, "Push Only")
        setting.push_domain = "[('customer_rank', '>', 0), ('create_date', '>=', '2024-01-01')]"
        self.assertEqual(
            setting._get_push_domain(),
            [("customer_rank", ">", 0), ("create_date", ">=", "2024-01-01")],
        )
        setting.push_domain = (
            "[('create_date', '>=', (context_today() - datetime.timedelta(days=30))"
            ".strftime('%Y-%m-%d'))]"
        )
        self.assertEqual(setting._get_push_domain()[0][:2], ("create_date", ">="))
        for bad in (
            "[('no_such_field', '=', 1)]",
            "[('name', 'is like', 'x')]",
            "not a domain",
            "42",
            "[('name', '=', __import__('os'))]",
        ):
            with self.subTest(domain=bad):
                with self.assertRaisesRegex(ValidationError, "Push Only"):
                    setting.push_domain = bad
        form = _form_arch(self.env, "economic.backend")
        cell = form.xpath("//field[@name='available_setting_ids']//field[@name='push_domain']")
        self.assertEqual(cell[0].get("widget"), "domain")
        # the domain is edited on the entity's model: contacts, products...
        self.assertIn("'model': 'res_model'", cell[0].get("options"))
        self.assertEqual(setting.res_model, "res.partner")
        product = self.backend._entity_setting("product")
        self.assertEqual(product.res_model, "product.product")
        product.push_domain = "[('default_code', '=like', 'A%')]"
        with self.assertRaisesRegex(ValidationError, "Push Only"):
            product.push_domain = "[('customer_rank', '>', 0)]"

    # ------------------------------------------------------------------ 4. declared entities
    def test_the_entities_are_the_ones_the_modules_declare(self):
        backend = self.backend
        self.assertEqual(set(backend.entity_setting_ids.mapped("entity")), set(AVAILABLE))
        for entity in AVAILABLE:
            setting = backend._entity_setting(entity)
            self.assertTrue(setting.available)
            self.assertEqual(setting.pull, entity not in OPT_IN + PUSH_ONLY, entity)
        # an entity no module declares has no setting and cannot get one
        for entity in NOT_YET:
            self.assertFalse(backend._entity_setting(entity), entity)
            with self.assertRaisesRegex(ValidationError, "do not sync"), self.cr.savepoint():
                self.env["economic.entity.setting"].create(
                    {"backend_id": backend.id, "entity": entity}
                )
        # the Entities tab lists them
        form = _form_arch(self.env, "economic.backend")
        page = form.xpath("//page[@name='entities']")[0]
        self.assertTrue(page.xpath(".//field[@name='available_setting_ids']"))
        self.assertFalse(page.xpath(".//field[@name='entity_setting_ids']"))
        rows = backend.read(["available_setting_ids"])[0]["available_setting_ids"]
        self.assertEqual(
            set(self.env["economic.entity.setting"].browse(rows).mapped("entity")),
            set(AVAILABLE),
        )

    def test_older_database_rows_of_undeclared_entities_go(self):
        """Connections made by earlier versions have rows for entities that no module
        declares (they were shown switched off): a module update removes them and leaves the
        others as they are."""
        self.env.cr.execute(
            """INSERT INTO economic_entity_setting (backend_id, entity, pull, push, auto)
               VALUES (%s, 'retired_entity', TRUE, FALSE, TRUE), (%s, 'other_retired', FALSE,
               FALSE, TRUE)""",
            [self.backend.id, self.backend.id],
        )
        self.env.invalidate_all()
        self.assertEqual(len(self.backend.entity_setting_ids), len(AVAILABLE) + 2)
        self.env["economic.backend"]._ensure_defaults_all()
        self.env.invalidate_all()
        self.assertEqual(set(self.backend.entity_setting_ids.mapped("entity")), set(AVAILABLE))
        self.assertTrue(self.backend._entity_setting("customer").pull)

    # ------------------------------------------------------------------ 6. preview UI
    def test_form_switches_go_through_the_preview(self):
        form = _form_arch(self.env, "economic.backend", user=self.manager)
        write_back = form.xpath("//field[@name='write_back']")[0]
        self.assertEqual(write_back.get("readonly"), "1")
        buttons = {b.get("name") for b in form.xpath("//button")}
        self.assertTrue(
            {
                "action_write_back_on_preview",
                "action_write_back_off",
                "action_preview_push",
                "action_push_on_preview",
                "action_push_off",
            }
            <= buttons
        )
        push = form.xpath("//field[@name='available_setting_ids']//field[@name='push']")[0]
        self.assertEqual(push.get("readonly"), "1")
        user_form = _form_arch(self.env, "economic.backend", user=self.economic_user)
        user_buttons = {b.get("name") for b in user_form.xpath("//button")}
        self.assertFalse(
            user_buttons
            & {
                "action_write_back_on_preview",
                "action_write_back_off",
                "action_preview_push",
                "action_push_on_preview",
                "action_push_off",
            },
            "managers only",
        )

    def test_preview_wizard_with_rows(self):
        """The wizard's summary, lines and confirmation (engine rows given)."""
        partner = self.env["res.partner"].create({"name": "Preview Partner"})
        rows = [
            {
                "entity": "customer",
                "operation": "create",
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": partner.name,
                "economic_key": False,
                "fields": ["name", "phone", "email"],
            },
            {
                "entity": "customer",
                "operation": "update",
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": partner.name,
                "economic_key": "101",
                "fields": ["phone"],
            },
            {
                "entity": "supplier",
                "operation": "bind",
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": partner.name,
                "economic_key": "7",
                "fields": [],
            },
            {
                "entity": "customer",
                "operation": "error",
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": partner.name,
                "economic_key": False,
                "fields": [],
                "message": "Map the payment terms first",
            },
        ]
        Engine = type(self.env["economic.sync.engine"])
        calls = []

        def fake_preview(engine, backend, entities=None):
            calls.append((backend.id, entities))
            return rows

        with patch.object(Engine, "_preview_push", fake_preview, create=True):
            action = self.backend.with_user(self.manager).action_write_back_on_preview()
        self.assertEqual(calls, [(self.backend.id, None)])
        self.assertEqual(action["res_model"], "economic.push.preview")
        self.assertEqual(action["target"], "new")
        wizard = self.env["economic.push.preview"].browse(action["res_id"])
        self.assertEqual(wizard.mode, "enable_write_back")
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.bind_count, wizard.error_count),
            (1, 1, 1, 1),
        )
        error = wizard.line_ids.filtered(lambda r: r.operation == "error")
        self.assertEqual(error.message, "Map the payment terms first")
        self.assertIn("Would Fail", wizard.summary_html)
        self.assertIn("Customers", wizard.summary_html)
        self.assertIn("Suppliers", wizard.summary_html)
        create = wizard.line_ids.filtered(lambda r: r.operation == "create")
        self.assertEqual(create.field_labels, "Name, Phone, Email")
        self.assertEqual(create.res_id, partner.id)
        self.assertFalse(self.backend.write_back, "nothing switched on before Confirm")
        wizard.with_user(self.manager).action_confirm()
        self.assertTrue(self.backend.write_back)
        self.backend.with_user(self.manager).action_write_back_off()
        self.assertFalse(self.backend.write_back)
        # one entity: the preview asks the engine for that entity only
        setting = self.backend._entity_setting("supplier")
        with self.assertRaisesRegex(ValidationError, "Choose the conflict strategy"):
            setting.with_user(self.manager).action_push_on_preview()
        setting.strategy = "newer_wins"
        calls.clear()
        with patch.object(Engine, "_preview_push", fake_preview, create=True):
            action = setting.with_user(self.manager).action_push_on_preview()
        self.assertEqual(calls, [(self.backend.id, ["supplier"])])
        wizard = self.env["economic.push.preview"].browse(action["res_id"])
        self.assertEqual((wizard.mode, wizard.entity), ("enable_push", "supplier"))
        self.assertFalse(setting.push)
        result = wizard.with_user(self.manager).action_confirm()
        self.assertTrue(setting.push)
        self.assertIn("write-back is off", result["params"]["message"])
        setting.with_user(self.manager).action_push_off()
        self.assertFalse(setting.push)
        # the strategy must be chosen: Confirm keeps the constraint's message
        setting.write({"strategy": False})
        wizard.invalidate_recordset()
        with self.assertRaisesRegex(ValidationError, "Choose the conflict strategy"):
            wizard.with_user(self.manager).action_confirm()

    def test_preview_is_for_managers_only(self):
        with self.assertRaises(AccessError):
            self.backend.with_user(self.economic_user).action_preview_push()
        with self.assertRaises(AccessError):
            self.backend.with_user(self.economic_user).action_write_back_off()
        setting = self.backend._entity_setting("customer")
        with self.assertRaises(AccessError):
            setting.with_user(self.economic_user).action_push_off()
        with self.assertRaises(AccessError):
            self.env["economic.push.preview"].with_user(self.economic_user).create(
                {"backend_id": self.backend.id}
            )


@tagged("post_install", "-at_install")
class TestBackendSafetySandbox(EconomicSandboxCase):
    """Against the sandbox (demo seed: a standard Danish agreement)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.dk")
        # company B keeps its books in the agreement's currency (no currency warning); the
        # main company in USD
        dkk = cls.env["res.currency"].with_context(active_test=False).search([("name", "=", "DKK")])
        cls.company_b = cls.env["res.company"].create(
            {"name": "Safety Company B", "currency_id": dkk.id}
        )

    def _connect_wizard(self, company=None, **vals):
        info = self.sandbox_info
        return (
            self.env["economic.connect.wizard"]
            .with_company(company or self.env.company)
            .create(
                dict(
                    {
                        "app_secret_token": info["app_secret_token"],
                        "agreement_grant_token": info["agreement_grant_token"],
                        "rest_url": info["rest_url"],
                        "apis_url": info["apis_url"],
                    },
                    **vals,
                )
            )
        )

    def _requests(self, method=None):
        return [
            r
            for r in self.sandbox.admin("GET", "/requests")
            if method is None or r["method"] == method
        ]

    # ------------------------------------------------------------------ 2. one agreement
    def test_second_company_on_the_same_agreement_is_warned(self):
        backend_b = self.env["economic.backend"].create(
            self._backend_vals(name="B on the demo agreement", company_id=self.company_b.id)
        )
        action = backend_b.action_test_connection()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(backend_b.agreement_number, DEMO_AGREEMENT)
        self.assertFalse(backend_b.agreement_warning)
        backend_a = self.env["economic.backend"].create(self._backend_vals(name="A"))
        action = backend_a.action_test_connection()
        self.assertEqual(backend_a.state, "connected")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Safety Company B", action["params"]["message"])
        self.assertIn(DEMO_AGREEMENT, action["params"]["message"])
        self.assertIn("Safety Company B", backend_a.agreement_warning)
        # the Connect wizard of a third company says it before connecting
        company_c = self.env["res.company"].create({"name": "Safety Company C"})
        wizard = self._connect_wizard(company=company_c)
        self.assertEqual(wizard.company_id, company_c)
        wizard.action_test()
        self.assertEqual(wizard.state, "tested")
        self.assertIn("Safety Company B", wizard.agreement_warning)
        self.assertIn(self.env.company.name, wizard.agreement_warning)
        # reconnecting the company's own connection does not warn about itself
        wizard = self._connect_wizard()
        self.assertEqual(wizard.backend_id, backend_a)
        wizard.action_test()
        self.assertIn("Safety Company B", wizard.agreement_warning)
        self.assertNotIn(self.env.company.name, wizard.agreement_warning)
        # once company B's connection is gone, nothing to warn about
        backend_b.unlink()
        backend_a.invalidate_recordset(["agreement_warning"])
        self.assertFalse(backend_a.agreement_warning)
        message = backend_a.action_test_connection()["params"]["message"]
        self.assertNotIn("Safety Company B", message)
        self.assertIn("not synced as USD amounts", message, "company A keeps its books in USD")

    # ------------------------------------------------------------------ 5. Connect wizard
    def test_connect_wizard_ends_in_a_usable_state(self):
        """Test, the payment terms Odoo lacks, Connect with a first read-only pass: the
        demo agreement is read without a single error line."""
        Term = self.env["account.payment.term"]
        terms_before = Term.search_count([])
        wizard = self._connect_wizard()
        wizard.action_test()
        self.assertEqual(wizard.state, "tested")
        self.assertFalse(wizard.agreement_warning)
        # 'Netto 8 dage' has no Odoo counterpart; 'Netto 30 dage' matches Odoo's 30 days
        self.assertIn("Netto 8 dage (1): 8 net days", wizard.missing_payment_terms)
        self.assertNotIn("Netto 30 dage", wizard.missing_payment_terms)
        self.assertNotIn("Prepaid", wizard.missing_payment_terms)
        self.assertIn("Prepaid (8): prepaid", wizard.manual_payment_terms)
        self.assertGreater(wizard.missing_payment_term_count, 2)
        self.assertEqual(wizard.manual_payment_term_count, 2)
        self.assertTrue(wizard.create_payment_terms, "on: there are terms Odoo can create")
        self.assertEqual(Term.search_count([]), terms_before, "nothing created before Connect")
        wizard.run_first_sync = True
        self.sandbox.admin("DELETE", "/requests")
        action = wizard.action_connect()
        # the first pass is handed to the scheduled action; the connection form follows
        self.assertEqual(action["tag"], "display_notification")
        form = action["params"]["next"]
        self.assertEqual(form["res_model"], "economic.backend")
        backend = self.env["economic.backend"].browse(form["res_id"])
        self.assertEqual(backend.state, "connected")
        # the agreement's country (it decides what an unprefixed CVR or phone means)
        self.assertEqual(backend.agreement_country_id, self.env.ref("base.dk"))
        self.assertTrue(backend.pass_requested)
        backend.cron_id.method_direct_trigger()
        self.env.invalidate_all()
        self.assertFalse(backend.pass_requested)
        terms = {r.number: r for r in backend.reference_ids if r.kind == "payment_term"}
        self.assertEqual(terms["1"].payment_term_id.name, "Netto 8 dage")
        self.assertEqual(
            terms["5"].payment_term_id, self.env.ref("account.account_payment_term_30days")
        )
        self.assertFalse(terms["8"].payment_term_id, "prepaid: mapped by hand")
        # the first pass ran, read only, and logged no error
        self.assertEqual(backend.last_pass_state, "done", backend.last_pass_message)
        logs = self.env["economic.sync.log"].search([("backend_id", "=", backend.id)])
        failed = logs.filtered(lambda r: r.state == "failed")
        self.assertFalse(failed, "\n".join("%s: %s" % (r.entity, r.message) for r in failed))
        self.assertEqual(backend.error_log_count, 0)
        self.assertTrue(backend.binding_count, "customers and suppliers were read")
        self.assertFalse(backend.write_back)
        self.assertFalse(
            [r for r in self._requests() if r["method"] in ("POST", "PUT", "PATCH", "DELETE")],
            "read only: nothing written to e-conomic",
        )

    def test_connect_wizard_payment_terms_odoo_cannot_express(self):
        """Terms Odoo cannot express (prepaid, due date) are never to be created: listed apart,
        with where to map them by hand; with only those missing, nothing is ticked."""
        Term = self.env["account.payment.term"]
        wizard = self._connect_wizard()
        wizard.action_test()
        self.assertEqual(
            wizard.manual_payment_terms.splitlines(),
            ["DemoDueDatePaymentTerms (7): due date given on each invoice", "Prepaid (8): prepaid"],
        )
        self.assertEqual(
            wizard.references_menu, "Invoicing → Configuration → e-conomic → References"
        )
        # the terms Odoo can express exist in Odoo already (same names; days of their own, not
        # to make matching by days ambiguous): only the others miss
        for days, line in enumerate(wizard.missing_payment_terms.splitlines(), start=101):
            line_vals = {"value": "percent", "value_amount": 100, "nb_days": days}
            Term.create({"name": line.split(" (")[0], "line_ids": [Command.create(line_vals)]})
        wizard = self._connect_wizard()
        wizard.action_test()
        self.assertFalse(wizard.missing_payment_terms)
        self.assertEqual(wizard.missing_payment_term_count, 0)
        self.assertEqual(wizard.manual_payment_term_count, 2)
        self.assertFalse(wizard.create_payment_terms, "nothing Odoo can create: not ticked")
        arch = _form_arch(self.env, "economic.connect.wizard")
        box = arch.xpath("//div[@name='manual_payment_terms']")[0]
        self.assertEqual(box.get("invisible"), "not manual_payment_term_count")
        self.assertTrue(box.xpath(".//field[@name='references_menu']"))
        self.assertEqual(
            arch.xpath("//field[@name='create_payment_terms']")[0].get("invisible"),
            "not missing_payment_term_count",
        )
        # even ticked by hand, Connect creates no term Odoo cannot express
        count = Term.search_count([])
        wizard.create_payment_terms = True
        backend = self.env["economic.backend"].browse(wizard.action_connect()["res_id"])
        self.assertEqual(Term.search_count([]), count)
        terms = {r.number: r for r in backend.reference_ids if r.kind == "payment_term"}
        self.assertFalse(terms["7"].payment_term_id)
        self.assertFalse(terms["8"].payment_term_id)
        self.assertEqual(terms["1"].payment_term_id.name, "Netto 8 dage", "matched by name")

    def test_connect_wizard_without_creating_payment_terms(self):
        wizard = self._connect_wizard()
        wizard.action_test()
        wizard.create_payment_terms = False
        action = wizard.action_connect()
        backend = self.env["economic.backend"].browse(action["res_id"])
        terms = {r.number: r for r in backend.reference_ids if r.kind == "payment_term"}
        self.assertFalse(terms["1"].payment_term_id)
        # a second wizard lists only what is still missing on the connection
        terms["1"].payment_term_id = self.env.ref("account.account_payment_term_15days")
        wizard = self._connect_wizard()
        wizard.action_test()
        self.assertNotIn("Netto 8 dage", wizard.missing_payment_terms)
        self.assertIn("Netto 14 dage (2): 14 net days", wizard.missing_payment_terms)

    # ------------------------------------------------------------------ 6. preview (engine)
    def _pushing_backend(self):
        backend = self.env["economic.backend"].create(self._backend_vals())
        backend.action_refresh_references()
        for ref in backend.reference_ids.filtered(lambda r: r.kind == "payment_term"):
            ref.payment_term_id = self.env["account.payment.term"].create(
                {
                    "name": "S %s" % ref.number,
                    "line_ids": [
                        Command.create({"value": "percent", "value_amount": 100, "nb_days": 0})
                    ],
                }
            )
        # only the partner of the test is new: demo partners are out of scope
        self.env["res.partner"].with_context(active_test=False).search(
            ["|", ("customer_rank", ">", 0), ("supplier_rank", ">", 0)]
        ).write({"customer_rank": 0, "supplier_rank": 0})
        backend._run_pass()
        partner = self.env["res.partner"].create(
            {
                "name": "Preview Newcomer ApS",
                "company_id": backend.company_id.id,
                "customer_rank": 1,
                "email": "newcomer@preview.example",
                "country_id": self.env.ref("base.dk").id,
                "property_payment_term_id": backend.reference_ids.filtered(
                    lambda r: r.kind == "payment_term" and r.number == "1"
                ).payment_term_id.id,
            }
        )
        self.env.flush_all()
        return backend, partner

    def test_switching_write_back_on_shows_the_next_push(self):
        backend, partner = self._pushing_backend()
        backend._entity_setting("customer").write({"strategy": "economic_wins", "push": True})
        self.sandbox.admin("DELETE", "/requests")
        action = backend.action_write_back_on_preview()
        wizard = self.env["economic.push.preview"].browse(action["res_id"])
        self.assertTrue(wizard.preview_available)
        line = wizard.line_ids.filtered(lambda r: r.res_id == partner.id)
        self.assertEqual((line.entity, line.operation), ("customer", "create"), line.read())
        self.assertGreaterEqual(wizard.create_count, 1)
        self.assertFalse(backend.write_back)
        self.assertFalse(
            [r for r in self._requests() if r["method"] != "GET"], "a preview writes nothing"
        )
        wizard.action_confirm()
        self.assertTrue(backend.write_back)
        # the dry run at any time, with write-back on
        action = backend.action_preview_push()
        wizard = self.env["economic.push.preview"].browse(action["res_id"])
        self.assertEqual(wizard.mode, "preview")
        self.assertIn(partner.id, wizard.line_ids.mapped("res_id"))
        self.assertFalse([r for r in self._requests() if r["method"] != "GET"])

    def test_switching_push_on_shows_the_entity_next_push(self):
        backend, partner = self._pushing_backend()
        backend.write_back = True
        setting = backend._entity_setting("customer")
        setting.strategy = "local_wins"
        self.sandbox.admin("DELETE", "/requests")
        action = setting.action_push_on_preview()
        wizard = self.env["economic.push.preview"].browse(action["res_id"])
        self.assertEqual((wizard.mode, wizard.entity), ("enable_push", "customer"))
        line = wizard.line_ids.filtered(lambda r: r.res_id == partner.id)
        self.assertEqual(line.operation, "create")
        self.assertEqual(set(wizard.line_ids.mapped("entity")), {"customer"})
        self.assertFalse(setting.push)
        self.assertFalse([r for r in self._requests() if r["method"] != "GET"])
        wizard.action_confirm()
        self.assertTrue(setting.push)
