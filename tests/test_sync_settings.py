from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import EconomicSandboxCase, closed_local_port

SYNCED = ("customer", "customer_contact", "supplier", "supplier_contact")
TWO_WAY = SYNCED + ("invoice", "credit_note")
READ_FIRST = ("product", "account", "vat_code", "journal_entry", "purchase")
#: read-first documents that post in Odoo's books: the accountant opts in
READ_FIRST_OPT_IN = ("purchase",)
#: pushed only (customer payments, days of sales): no pull, no strategy chosen, push off
PUSH_ONLY = ("payment", "shop_day")
BACKEND_LOGGER = "odoo.addons.economic_sync.models.economic_backend_schedule"


@tagged("post_install", "-at_install")
class TestSyncSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Settings Company B"})
        cls.backend = cls.env["economic.backend"].create(
            {
                "name": "A",
                "company_id": cls.company_a.id,
                "app_secret_token": "secret-a",
                "agreement_grant_token": "grant-a",
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

        cls.economic_user = user(
            "ess_user", "base.group_user,economic_sync.group_economic_user", cls.company_a
        )
        cls.manager_b = user(
            "ess_manager_b",
            "base.group_user,economic_sync.group_economic_manager",
            cls.company_b,
        )

    def _backend_b(self, **vals):
        return self.env["economic.backend"].create(
            dict(
                {
                    "name": "B",
                    "company_id": self.company_b.id,
                    "app_secret_token": "secret-b",
                    "agreement_grant_token": "grant-b",
                },
                **vals,
            )
        )

    # ------------------------------------------------------------------ defaults
    def test_defaults_of_a_new_connection(self):
        backend = self.backend
        self.assertFalse(backend.write_back)
        self.assertEqual((backend.sync_interval_number, backend.sync_interval_type), (1, "hours"))
        self.assertEqual(backend.lookback_minutes, 10)
        self.assertEqual(backend.customer_number_mode, "economic")
        self.assertEqual(backend.customer_number_field_id.name, "ref")
        settings = backend.entity_setting_ids
        self.assertEqual(set(settings.mapped("entity")), set(TWO_WAY + READ_FIRST + PUSH_ONLY))
        for entity in PUSH_ONLY:
            setting = backend._entity_setting(entity)
            self.assertEqual(
                (setting.pull, setting.pullable, setting.push, setting.strategy),
                (False, False, False, False),
                entity,
            )
        for entity in TWO_WAY:
            setting = backend._entity_setting(entity)
            # entities that do not sync yet are created switched off (issue 6); invoices and
            # credit notes sync but post entries in Odoo's books: the accountant opts in
            self.assertEqual(
                (setting.pull, setting.push, setting.auto, setting.strategy),
                (entity in SYNCED, False, True, False),
                entity,
            )
            self.assertFalse(setting.effective_push)
        engine = self.env["economic.sync.engine"]
        available, pushable = engine._available_entities(), engine._pushable_entities()
        for entity in READ_FIRST:
            setting = backend._entity_setting(entity)
            # read-first entities that sync start pulling, read-only (docs/SYNC.md §2)
            self.assertEqual(
                (setting.pull, setting.push, setting.strategy),
                (entity in available and entity not in READ_FIRST_OPT_IN, False, "read_only"),
                entity,
            )
            # products can be pushed once another strategy is chosen; accounts never
            self.assertEqual(setting.is_read_first, entity not in pushable, entity)
        self.assertIn("product", pushable)
        self.assertTrue({"invoice", "credit_note"} <= set(available) & set(pushable))
        keys = backend.match_key_ids.sorted("sequence")
        for entity in ("customer", "supplier"):
            self.assertEqual(
                keys.filtered(lambda k, e=entity: k.entity == e).mapped("key"),
                ["number", "vat", "email", "phone"],
            )
        mappings = backend.field_mapping_ids
        customer = {m.economic_property: m for m in mappings if m.entity == "customer"}
        self.assertEqual(customer["telephoneAndFaxNumber"].odoo_field, "phone")
        self.assertEqual(customer["address"].converter, "address")
        self.assertEqual(customer["barred"].odoo_field, "active")
        self.assertEqual(customer["balance"].direction, "readonly")
        self.assertFalse(customer["customerGroup.customerGroupNumber"].odoo_field)
        self.assertEqual(
            customer["paymentTerms.paymentTermsNumber"].odoo_field, "property_payment_term_id"
        )
        supplier = {m.economic_property for m in mappings if m.entity == "supplier"}
        self.assertIn("supplierGroup.supplierGroupNumber", supplier)
        self.assertFalse(supplier & {"mobilePhone", "creditLimit", "ean"})
        for entity in ("customer_contact", "supplier_contact"):
            self.assertEqual(
                mappings.filtered(lambda m, e=entity: m.entity == e).mapped("odoo_field"),
                ["name", "email", "phone"],
            )
        # idempotent: a module update adds nothing twice
        self.env["economic.backend"]._ensure_defaults_all()
        self.assertEqual(len(backend.entity_setting_ids), len(TWO_WAY + READ_FIRST + PUSH_ONLY))
        self.assertEqual(len(backend.match_key_ids), 8)
        self.assertEqual(len(backend.field_mapping_ids), len(mappings))

    def test_counts_per_entity(self):
        Partner = self.env["res.partner"]
        bindings = self.env["economic.partner.binding"].create(
            [
                {
                    "backend_id": self.backend.id,
                    "partner_id": Partner.create({"name": "Count %s" % n}).id,
                    "kind": kind,
                    "economic_key": str(n),
                }
                for n, kind in enumerate(["customer", "customer", "supplier"], start=1)
            ]
        )
        Log = self.env["economic.sync.log"]
        Log.create(
            [
                {
                    "backend_id": self.backend.id,
                    "entity": "customer",
                    "operation": "error",
                    "state": "failed",
                },
                {
                    "backend_id": self.backend.id,
                    "entity": "customer",
                    "operation": "error",
                    "state": "replayed",
                },
                {
                    "backend_id": self.backend.id,
                    "entity": "supplier",
                    "operation": "update",
                    "state": "done",
                },
            ]
        )
        self.env["economic.sync.conflict"].create(
            {
                "backend_id": self.backend.id,
                "binding_model": "economic.partner.binding",
                "binding_res_id": bindings[2].id,
                "entity": "supplier",
                "field": "phone",
                "decision": "undecided",
                "state": "open",
            }
        )
        customer = self.backend._entity_setting("customer")
        supplier = self.backend._entity_setting("supplier")
        product = self.backend._entity_setting("product")
        self.assertEqual(
            (customer.record_count, customer.error_count, customer.conflict_count), (2, 1, 0)
        )
        self.assertEqual(
            (supplier.record_count, supplier.error_count, supplier.conflict_count), (1, 0, 1)
        )
        self.assertEqual((product.record_count, product.error_count), (0, 0))
        # the connection's company is set on creation (one read per batch, not a recompute)
        self.assertEqual(bindings.company_id, self.company_a)
        logs = Log.search([("backend_id", "=", self.backend.id)])
        self.assertEqual(logs.company_id, self.company_a)

    def test_push_needs_a_strategy(self):
        setting = self.backend._entity_setting("customer")
        with self.assertRaisesRegex(ValidationError, "strategy"):
            setting.write({"push": True})
        with self.assertRaises(ValidationError):
            setting.write({"push": True, "strategy": "read_only"})
        setting.write({"push": True, "strategy": "newer_wins"})
        self.assertFalse(setting.effective_push, "write-back is still off")
        self.backend.write_back = True
        self.assertTrue(setting.effective_push)
        for entity in set(READ_FIRST) - set(self.env["economic.sync.engine"]._pushable_entities()):
            with self.assertRaisesRegex(
                ValidationError, "read from e-conomic only|do not sync yet"
            ):
                self.backend._entity_setting(entity).write({"push": True, "strategy": "local_wins"})

    # ------------------------------------------------------------------ schedule
    def test_each_connection_action_follows_its_own_interval(self):
        cron_a = self.backend.cron_id
        self.assertEqual((cron_a.interval_number, cron_a.interval_type), (1, "hours"))
        backend_b = self._backend_b(sync_interval_number=15, sync_interval_type="minutes")
        cron_b = backend_b.cron_id
        self.assertEqual((cron_b.interval_number, cron_b.interval_type), (15, "minutes"))
        self.assertEqual((cron_a.interval_number, cron_a.interval_type), (1, "hours"))
        backend_b.write({"sync_interval_number": 2, "sync_interval_type": "days"})
        self.assertEqual((cron_b.interval_number, cron_b.interval_type), (2, "days"))
        self.backend.write({"sync_interval_number": 30, "sync_interval_type": "minutes"})
        self.assertEqual((cron_a.interval_number, cron_a.interval_type), (30, "minutes"))
        self.assertEqual((cron_b.interval_number, cron_b.interval_type), (2, "days"))
        self.backend.active = False
        self.assertFalse(cron_a.active)
        self.assertTrue(cron_b.active)
        backend_b.unlink()
        self.assertFalse(cron_b.exists())
        self.assertTrue(cron_a.exists())

    def test_cron_runs_due_connections_and_survives_a_failure(self):
        """A connection on a closed port fails; the other due one still runs."""
        self.registry.enter_test_mode(self.cr)
        self.addCleanup(self.registry.leave_test_mode)
        self.backend.write({"rest_url": "http://127.0.0.1:%d" % closed_local_port()})
        backend_b = self._backend_b(sync_interval_number=30, sync_interval_type="minutes")
        not_due_company = self.env["res.company"].create({"name": "Not due"})
        not_due = self.env["economic.backend"].create(
            {
                "name": "Not due",
                "company_id": not_due_company.id,
                "next_pass_date": fields.Datetime.now() + timedelta(hours=5),
            }
        )
        ran = []

        def fake_run_pass(backend, entities=None, full=False):
            ran.append(backend.id)
            if backend.rest_url.startswith("http://127.0.0.1"):
                with backend._get_client(max_attempts=1) as client:
                    client.get_self()
            backend.last_pass_state = "done"

        before = fields.Datetime.now()
        with (
            patch.object(type(self.backend), "_run_pass", fake_run_pass, create=True),
            mute_logger(BACKEND_LOGGER, "economic_client.client"),
        ):
            for backend in (self.backend, backend_b, not_due):
                # each connection's own scheduled action
                self.env["economic.backend"]._cron_run_connection(backend.id)
        self.assertCountEqual(ran, [self.backend.id, backend_b.id])
        self.assertEqual(self.backend.last_pass_state, "failed")
        self.assertIn("Could not reach e-conomic", self.backend.last_pass_message)
        self.assertGreaterEqual(self.backend.next_pass_date, before + timedelta(minutes=59))
        self.assertEqual(backend_b.last_pass_state, "done")
        self.assertGreaterEqual(backend_b.next_pass_date, before + timedelta(minutes=29))
        self.assertLess(backend_b.next_pass_date, before + timedelta(minutes=31))
        self.assertNotIn(not_due.id, ran)

    # ------------------------------------------------------------------ security
    def test_plain_user_cannot_change_settings(self):
        setting = self.backend._entity_setting("customer").with_user(self.economic_user)
        self.assertTrue(setting.pull)  # can read
        with self.assertRaises(AccessError):
            setting.write({"pull": False})
        with self.assertRaises(AccessError):
            self.backend.with_user(self.economic_user).write({"write_back": True})
        with self.assertRaises(AccessError):
            self.backend.field_mapping_ids[:1].with_user(self.economic_user).write(
                {"active": False}
            )
        with self.assertRaises(AccessError):
            self.backend.match_key_ids[:1].with_user(self.economic_user).unlink()

    def test_company_b_cannot_see_company_a_settings(self):
        env_b = self.env(user=self.manager_b)
        for model in (
            "economic.entity.setting",
            "economic.match.key",
            "economic.field.mapping",
            "economic.reference",
        ):
            self.assertFalse(env_b[model].search([("backend_id", "=", self.backend.id)]), model)
        with self.assertRaises(AccessError):
            self.backend._entity_setting("customer").with_user(self.manager_b).read(["pull"])


@tagged("post_install", "-at_install")
class TestSyncSettingsSandbox(EconomicSandboxCase):
    def test_refresh_references(self):
        backend = self.env["economic.backend"].create(self._backend_vals())
        self.sandbox.admin("DELETE", "/requests")
        backend.action_refresh_references()
        gets = [r["path"] for r in self.sandbox.admin("GET", "/requests") if r["method"] == "GET"]
        refs = backend.reference_ids
        groups = refs.filtered(lambda r: r.kind == "product_group")
        self.assertEqual(
            sorted(gets),
            sorted(
                [
                    "/currencies",
                    "/customer-groups",
                    "/layouts",
                    "/payment-terms",
                    "/supplier-groups",
                    "/vat-zones",
                    "/product-groups",
                    "/units",
                ]
                + ["/product-groups/%s/sales-accounts" % g.number for g in groups]
            ),
            "one list call each, and the sales accounts of each product group",
        )
        # product groups: a product category each, and their sales accounts per VAT zone
        group = groups.filtered(lambda r: r.number == "1")
        self.assertEqual(group.category_id.name, group.name)
        self.assertEqual(group._sales_account(1), 1010)
        unit = refs.filtered(lambda r: r.kind == "unit" and r.number == "1")
        self.assertEqual(unit.uom_id, self.env.ref("uom.product_uom_unit"), "stk. is Units")

        def of(kind):
            return {r.number: r for r in refs if r.kind == kind}

        self.assertEqual(set(of("customer_group")), {"1", "2", "3"})
        self.assertEqual(set(of("supplier_group")), {"1", "2"})
        self.assertEqual(len(of("layout")), 3)
        zones = of("vat_zone")
        self.assertEqual(
            {n: z.vat_scope for n, z in zones.items()},
            {"1": "domestic", "2": "eu", "3": "abroad", "4": "domestic"},
        )
        currencies = of("currency")
        self.assertEqual(currencies["DKK"].currency_id, self.env.ref("base.DKK"))
        self.assertEqual(currencies["EUR"].currency_id, self.env.ref("base.EUR"))
        terms = of("payment_term")
        self.assertEqual(len(terms), 8)
        self.assertEqual(
            terms["5"].payment_term_id, self.env.ref("account.account_payment_term_30days")
        )
        self.assertEqual(
            terms["3"].payment_term_id, self.env.ref("account.account_payment_term_immediate")
        )
        self.assertFalse(terms["2"].payment_term_id, "no Odoo term of 14 days")
        self.assertFalse(terms["8"].payment_term_id)
        # defaults
        self.assertEqual(backend.default_customer_group_id, of("customer_group")["1"])
        self.assertEqual(backend.default_supplier_group_id, of("supplier_group")["1"])
        self.assertEqual(backend.default_product_group_id, of("product_group")["1"])
        self.assertEqual(backend.vat_zone_domestic_id, zones["1"])
        self.assertEqual(backend.vat_zone_eu_id, zones["2"])
        self.assertEqual(backend.vat_zone_abroad_id, zones["3"])
        self.assertEqual(backend.default_payment_term_id, terms["1"])
        self.assertEqual(backend.default_layout_id, of("layout")["19"])
        self.assertEqual(backend.default_currency_id, backend.company_id.currency_id)
        # a second refresh keeps user choices and archives what e-conomic dropped
        terms["2"].payment_term_id = self.env.ref("account.account_payment_term_15days")
        backend.default_layout_id = of("layout")["21"]
        self.sandbox.admin("POST", "/delete", {"resource": "layouts", "key": 20})
        backend.action_refresh_references()
        self.assertEqual(
            terms["2"].payment_term_id, self.env.ref("account.account_payment_term_15days")
        )
        self.assertEqual(backend.default_layout_id, of("layout")["21"])
        self.assertEqual(len(backend.reference_ids), len(refs) - 1)
        self.assertFalse(of("layout")["20"].active, "archived, not deleted")

    def test_create_missing_odoo_payment_terms(self):
        backend = self.env["economic.backend"].create(self._backend_vals())
        backend.action_refresh_references()
        terms = {r.number: r for r in backend.reference_ids if r.kind == "payment_term"}
        mapped_before = terms["5"].payment_term_id
        result = backend.reference_ids.action_create_odoo_payment_terms()
        # net 8 days and "Løbende måned 30 dage" (end of month + 30) become Odoo terms
        net8 = terms["1"].payment_term_id
        self.assertEqual(net8.name, "Netto 8 dage")
        self.assertEqual(net8.company_id, backend.company_id)
        self.assertEqual(
            [
                (line.value, line.value_amount, line.delay_type, line.nb_days)
                for line in net8.line_ids
            ],
            [("percent", 100.0, "days_after", 8)],
        )
        month30 = terms["4"].payment_term_id
        self.assertEqual(
            [(line.delay_type, line.nb_days) for line in month30.line_ids],
            [("days_after_end_of_month", 30)],
        )
        self.assertEqual(terms["5"].payment_term_id, mapped_before, "existing mappings kept")
        # prepaid / due-date terms cannot be expressed: left unmapped and named
        self.assertFalse(terms["7"].payment_term_id)
        self.assertFalse(terms["8"].payment_term_id)
        self.assertIn("DemoDueDatePaymentTerms", result["params"]["message"])
        # a second run creates nothing more
        count = self.env["account.payment.term"].search_count([])
        backend.reference_ids.action_create_odoo_payment_terms()
        self.assertEqual(self.env["account.payment.term"].search_count([]), count)

    def test_connect_wizard(self):
        info = self.sandbox_info
        self.assertFalse(
            self.env["economic.backend"]
            .with_context(active_test=False)
            .search([("company_id", "=", self.env.company.id)])
        )
        wizard = self.env["economic.connect.wizard"].create(
            {
                "app_secret_token": "wrong",
                "agreement_grant_token": info["agreement_grant_token"],
                "rest_url": info["rest_url"],
                "apis_url": info["apis_url"],
            }
        )
        wizard.action_test()
        self.assertEqual(wizard.state, "error")
        self.assertIn("401", wizard.test_message)
        wizard.write({"app_secret_token": " %s \n" % info["app_secret_token"]})
        wizard.action_test()
        self.assertEqual(wizard.state, "tested")
        self.assertTrue(wizard.agreement_number)
        self.assertTrue(wizard.economic_company_name)
        self.assertTrue(wizard.base_currency)
        action = wizard.action_connect()
        backend = self.env["economic.backend"].browse(action["res_id"])
        self.assertEqual(backend.company_id, self.env.company)
        self.assertEqual(backend.state, "connected")
        self.assertEqual(backend.app_secret_token, info["app_secret_token"])
        self.assertEqual(backend.agreement_number, wizard.agreement_number)
        self.assertFalse(backend.write_back)
        self.assertEqual(len(backend.entity_setting_ids), len(TWO_WAY + READ_FIRST + PUSH_ONLY))
        self.assertTrue(backend.reference_ids.filtered(lambda r: r.kind == "vat_zone"))
        self.assertTrue(backend.vat_zone_domestic_id)
        # connecting again updates the same connection
        wizard2 = self.env["economic.connect.wizard"].create(
            {
                "app_secret_token": info["app_secret_token"],
                "agreement_grant_token": info["agreement_grant_token"],
                "rest_url": info["rest_url"] + "/",
                "apis_url": info["apis_url"],
            }
        )
        self.assertEqual(wizard2.backend_id, backend)
        # the optional first sync runs the engine's pass; write-back stays off
        wizard2.action_test()
        wizard2.run_first_sync = True
        calls = []
        with patch.object(
            type(backend), "action_run_pass", lambda rec: calls.append(rec.id), create=True
        ):
            self.assertEqual(wizard2.action_connect()["res_id"], backend.id)
        self.assertEqual(calls, [backend.id])
        self.assertFalse(backend.write_back)
        self.assertEqual(backend.rest_url, info["rest_url"])
