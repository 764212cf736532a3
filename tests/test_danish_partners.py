"""A Danish company (Odoo's Danish chart loaded the real way) and the sandbox's demo agreement
(issue 15 §1): CVR and VAT numbers of customers and suppliers, valid or not, all pulled (a
number Odoo refuses kept as the registry number, the log line saying why); a pushed partner's
number as e-conomic expects it; matching by either spelling; no flip-flop."""

from odoo.tests import tagged

from .danish_common import DanishChartCase, run_migration


@tagged("post_install", "-at_install")
class TestDanishPartners(DanishChartCase):
    def test_the_danish_chart_is_loaded(self):
        self.assertEqual(self.company.chart_template, "dk")
        self.assertTrue(self.fp_domestic and self.fp_eu and self.fp_abroad)
        self.assertEqual(self.fp_domestic.company_id, self.company)

    def test_customers_with_valid_and_invalid_cvr_are_all_pulled(self):
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(len(self.logs(operation="create", entity="customer")), 7)
        for number, cvr in ((1, "22001884"), (3, "31245672"), (6, "64942212")):
            customer = self.partner("customer", number)
            self.assertEqual(customer.vat, "DK" + cvr)
            self.assertEqual(customer.company_registry, cvr)
        hansen = self.partner("customer", 7)
        self.assertEqual(hansen.name, "Hansen & Søn A/S")
        self.assertFalse(hansen.vat)
        self.assertEqual(hansen.company_registry, "12345678")
        self.assertEqual(self.binding("customer", 7).state, "synced")
        line = self.logs(operation="create", entity="customer", res_id=hansen.id)
        self.assertEqual(line.state, "done")
        self.assertIn("12345678", line.message)
        self.assertIn("Hansen & Søn A/S", line.message)
        self.assertIn("do not add up", line.message)
        self.assertIn("kept as the company registry number", line.message)
        # the valid ones say nothing
        self.assertFalse(
            self.logs(
                operation="create", entity="customer", res_id=self.partner("customer", 1).id
            ).message
        )

    def test_eu_customer_keeps_its_vat_number(self):
        self.run_pass()
        nordic = self.partner("customer", 4)
        self.assertEqual(nordic.vat, "SE556677889901")
        self.assertFalse(nordic.company_registry)
        self.assertFalse(self.logs(operation="create", entity="customer", res_id=nordic.id).message)

    def test_suppliers_with_valid_and_invalid_numbers_are_all_pulled(self):
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        sylvest = self.partner("supplier", 25)
        self.assertEqual((sylvest.vat, sylvest.company_registry), ("DK21647608", "21647608"))
        kontorland = self.partner("supplier", 26)
        self.assertFalse(kontorland.vat)
        self.assertEqual(kontorland.company_registry, "11223344")
        line = self.logs(operation="create", entity="supplier", res_id=kontorland.id)
        self.assertIn("11223344", line.message)
        global_parts = self.partner("supplier", 27)
        self.assertEqual(global_parts.vat, "DE123456788")

    def test_numbers_never_flip_flop(self):
        """With push on, a second and third pass write nothing: e-conomic's bare CVR and Odoo's
        DK-prefixed VAT number are one value, a refused number kept in the registry too."""
        self.run_pass()
        self.enable_push("economic_wins")
        for _round in range(2):
            self.clear_requests()
            result = self.run_pass()
            self.assertEqual(result["state"], "done", result)
            self.assertFalse(self.writes("/customers"), "nothing pushed back")
            self.assertFalse(self.writes("/suppliers"), "nothing pushed back")
        self.assertEqual(self.remote("customers", 1)["corporateIdentificationNumber"], "22001884")
        self.assertEqual(self.remote("customers", 7)["corporateIdentificationNumber"], "12345678")
        for number in (1, 7):
            self.assertEqual(self.binding("customer", number).state, "synced")

    def test_number_changed_in_economic_to_an_invalid_one_and_back(self):
        self.run_pass()
        jensen = self.partner("customer", 3)
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "customers",
                "key": 3,
                "changes": {"corporateIdentificationNumber": "31245678"},
            },
        )
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertFalse(jensen.vat)
        self.assertEqual(jensen.company_registry, "31245678")
        line = self.logs(operation="update", entity="customer", res_id=jensen.id)
        self.assertIn("31245678", line.message)
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "customers",
                "key": 3,
                "changes": {"corporateIdentificationNumber": "31245672"},
            },
        )
        self.run_pass()
        self.assertEqual((jensen.vat, jensen.company_registry), ("DK31245672", "31245672"))

    def test_pushed_partners_number_as_economic_expects_it(self):
        self.run_pass()
        self.enable_push("economic_wins")
        danish = self.Partner.create(
            {
                "name": "Ny Kunde ApS",
                "customer_rank": 1,
                "is_company": True,
                "country_id": self.env.ref("base.dk").id,
                "vat": "DK 25 31 37 04",
            }
        )
        german = self.Partner.create(
            {
                "name": "Berliner Räder GmbH",
                "customer_rank": 1,
                "is_company": True,
                "country_id": self.env.ref("base.de").id,
                "vat": "DE123456788",
            }
        )
        # a CVR Odoo refuses as a VAT number, kept as the registry number
        registry = self.Partner.create(
            {
                "name": "Kun CVR ApS",
                "customer_rank": 1,
                "is_company": True,
                "country_id": self.env.ref("base.dk").id,
                "company_registry": "11223344",
            }
        )
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        remote = {
            partner: self.remote("customers", partner.economic_customer_number)
            for partner in (danish, german, registry)
        }
        self.assertEqual(remote[danish]["corporateIdentificationNumber"], "25313704")
        self.assertEqual(remote[danish]["vatZone"]["vatZoneNumber"], 1)
        self.assertEqual(remote[german]["corporateIdentificationNumber"], "DE123456788")
        self.assertEqual(remote[german]["vatZone"]["vatZoneNumber"], 2)
        self.assertEqual(remote[registry]["corporateIdentificationNumber"], "11223344")
        self.clear_requests()
        self.run_pass()
        self.assertFalse(self.writes("/customers"), "nothing pushed twice")

    def test_matching_by_cvr_in_either_spelling(self):
        """Odoo partners made before the first pass are bound, not duplicated: by the VAT
        number with its DK prefix, or by the registry number where Odoo keeps a CVR it
        refuses as a VAT number."""
        jensen = self.Partner.create(
            {"name": "Jensen (Odoo)", "vat": "DK31245672", "is_company": True}
        )
        hansen = self.Partner.create(
            {"name": "Hansen (Odoo)", "company_registry": "12345678", "is_company": True}
        )
        self.run_pass()
        self.assertEqual(self.partner("customer", 3), jensen)
        self.assertEqual(self.partner("customer", 7), hansen)
        self.assertEqual(self.Partner.search_count([("company_registry", "=", "12345678")]), 1)

    def test_connections_of_earlier_versions_get_the_cvr_mapping(self):
        """The mappings earlier versions made (the number as text into the VAT field) are
        updated; a mapping a user changed is left alone."""
        mappings = self.backend.field_mapping_ids
        cvr = mappings.filtered(lambda m: m.economic_property == "corporateIdentificationNumber")
        self.assertEqual(len(cvr), 2)  # customers and suppliers
        self.assertEqual(set(cvr.mapped("converter")), {"cvr"})
        cvr.write({"odoo_field": "vat", "converter": "char"})
        users = cvr.filtered(lambda m: m.entity == "supplier")
        users.odoo_field = "ref"  # a user's own choice
        self.env.flush_all()
        run_migration(self.env, "post-partner-cvr.py")
        customer = cvr - users
        self.assertEqual((customer.odoo_field, customer.converter), ("vat,company_registry", "cvr"))
        self.assertEqual((users.odoo_field, users.converter), ("ref", "char"))
        self.registry.clear_cache()
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(self.partner("customer", 7).company_registry, "12345678")
        self.assertEqual(self.partner("supplier", 26).ref, "11223344")
