"""Issue 14 §5: what the screens show as a user reads it. No Push Only domain for entities that
never push; e-conomic numbers without thousands separators and VAT rates as "25 %"; dates in
the user's format; synced fields named by their labels ("Sales Price", "Phone") in the field
mappings and in the notes the sync posts."""

from datetime import datetime

from lxml import etree

from odoo.tests import tagged

from .sync_common import SyncCase

#: Integer fields holding an e-conomic number (an account, customer, supplier, ... number)
NUMBER_FIELDS = {
    "account_number",
    "contra_account_number",
    "economic_number",
    "economic_customer_number",
    "economic_supplier_number",
}
#: the views that show them
NUMBER_VIEWS = [
    ("economic.account", "list"),
    ("economic.account", "form"),
    ("economic.vat.code", "list"),
    ("economic.vat.code", "form"),
    ("economic.partner.binding", "list"),
    ("economic.partner.binding", "form"),
    ("res.partner", "form"),
]


def _arch(env, model, view_type):
    views = env[model].get_views([(False, view_type)])
    return etree.fromstring(views["views"][view_type]["arch"]), views["models"]


@tagged("post_install", "-at_install")
class TestUiFormats(SyncCase):
    def _backend_arch(self):
        return _arch(self.env, "economic.backend", "form")[0]

    # ------------------------------------------------------------------ push only
    def test_no_push_only_domain_for_entities_that_never_push(self):
        settings = {s.entity: s for s in self.backend.entity_setting_ids}
        for entity in ("account", "vat_code"):
            self.assertFalse(settings[entity].pushable, entity)
        for entity in ("customer", "supplier", "customer_contact", "product", "invoice"):
            self.assertTrue(settings[entity].pushable, entity)
        rows = self._backend_arch().xpath("//field[@name='available_setting_ids']/list")[0]
        for name in ("push_domain", "effective_push"):
            self.assertEqual(
                rows.xpath("field[@name='%s']" % name)[0].get("invisible"), "not pushable"
            )
        self.assertTrue(rows.xpath("field[@name='pushable']"))

    # ------------------------------------------------------------------ numbers and rates
    def test_economic_numbers_without_thousands_separators(self):
        for model, view_type in NUMBER_VIEWS:
            arch, _models = _arch(self.env, model, view_type)
            nodes = [n for n in arch.iter("field") if n.get("name") in NUMBER_FIELDS]
            self.assertTrue(nodes, "%s %s shows no e-conomic number" % (model, view_type))
            for node in nodes:
                self.assertIn(
                    "'enable_formatting': false",
                    node.get("options") or "",
                    "%s %s: %s" % (model, view_type, node.get("name")),
                )
        # grouped lists do not add numbers up
        for model, name in (
            ("economic.account", "account_number"),
            ("economic.vat.code", "account_number"),
            ("economic.partner.binding", "economic_number"),
        ):
            self.assertFalse(self.env[model]._fields[name].aggregator, (model, name))

    def test_vat_rates_as_percent(self):
        self.run_pass()
        Vat = self.env["economic.vat.code"]
        rep = Vat.search([("backend_id", "=", self.backend.id), ("code", "=", "REP")])
        u25 = Vat.search([("backend_id", "=", self.backend.id), ("code", "=", "U25")])
        self.assertEqual((u25.rate, u25.rate_label), (25.0, "25 %"))
        self.assertEqual(rep.rate_label, "6.25 %")
        self.env["res.lang"]._activate_lang("da_DK")
        self.assertEqual(rep.with_context(lang="da_DK").rate_label, "6,25 %")
        for view_type in ("list", "form"):
            arch, _models = _arch(self.env, "economic.vat.code", view_type)
            self.assertTrue(arch.xpath("//field[@name='rate_label']"))
            self.assertFalse(arch.xpath("//field[@name='rate']"), view_type)

    def test_product_group_sales_accounts_in_words(self):
        self.run_pass()
        group = self.env["economic.reference"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("kind", "=", "product_group"),
                ("number", "=", "1"),
            ]
        )
        lines = group.sales_accounts_text.splitlines()
        self.assertTrue(lines)
        self.assertTrue(lines[0].startswith("Domestic (1): "), lines)
        number = lines[0].split(": ")[1].split()[0]
        account = self.env["economic.account"].search(
            [("backend_id", "=", self.backend.id), ("account_number", "=", int(number))]
        )
        self.assertEqual(lines[0], "Domestic (1): %s %s" % (number, account.name))
        self.assertNotIn("{", group.sales_accounts_text)

    # ------------------------------------------------------------------ dates
    def test_dates_in_the_users_format(self):
        lang = self.env["res.lang"]._lang_get(self.env.user.lang)
        lang.write({"date_format": "%d.%m.%Y", "time_format": "%H:%M"})
        self.env.user.tz = "Europe/Copenhagen"
        self.env["economic.webhook.event"].create(
            {
                "backend_id": self.backend.id,
                "company_id": self.backend.company_id.id,
                "event_type": "invoice_booked",
                "key": "7",
                "received_at": datetime(2026, 1, 2, 3, 4, 5),
                "last_received_at": datetime(2026, 1, 2, 3, 4, 5),
            }
        )
        info = str(self.backend.with_context(tz="Europe/Copenhagen").webhook_info)
        self.assertIn("1 received, last 02.01.2026 04:04", info)
        self.assertNotIn("2026-01-02", info)
        # e-conomic's lastUpdated stamps: a date the client shows in the user's format
        self.run_pass()
        binding = self.binding("customer", 2)
        self.assertTrue(binding.remote_last_updated.endswith("Z"), binding.remote_last_updated)
        stamp = datetime.strptime(binding.remote_last_updated, "%Y-%m-%dT%H:%M:%SZ")
        self.assertEqual(binding.remote_updated_at, stamp)
        arch, _models = _arch(self.env, "economic.partner.binding", "form")
        shown = arch.xpath("//field[@name='remote_updated_at']")
        self.assertTrue(shown)
        self.assertFalse(
            [
                n
                for n in arch.xpath("//field[@name='remote_last_updated']")
                if not n.xpath("ancestor::group[@string='Technical']")
            ],
            "the raw stamp only in the technical group",
        )

    # ------------------------------------------------------------------ field names
    def _mapping(self, entity, prop):
        return self.backend.field_mapping_ids.filtered(
            lambda m: m.entity == entity and m.economic_property == prop
        )

    def test_field_mappings_name_fields_as_the_user_knows_them(self):
        cases = [
            ("customer", "telephoneAndFaxNumber", "Phone", "Phone"),
            ("customer", "address", "Street, Street2", "Address"),
            ("customer", "corporateIdentificationNumber", "Tax ID, Company ID", "CVR / VAT Number"),
            ("customer", "balance", "(kept per connection)", "Balance"),
            ("product", "salesPrice", "Sales Price", "Sales Price"),
            (
                "product",
                "inventory.orderedByCustomers",
                "(kept per connection)",
                "Ordered by Customers",
            ),
        ]
        for entity, prop, odoo_label, economic_label in cases:
            mapping = self._mapping(entity, prop)
            self.assertEqual(
                (mapping.odoo_field_label, mapping.economic_property_label),
                (odoo_label, economic_label),
                (entity, prop),
            )
        self.assertEqual(
            self._mapping("customer", "telephoneAndFaxNumber").display_name,
            "Customers: Phone ↔ Phone",
        )
        mapping = self._mapping("customer", "ean")
        mapping.economic_property = "someThing.otherNumber"
        self.assertEqual(mapping.economic_property_label, "Some thing other number")
        # the list names them by their labels, the technical names only on demand
        for arch in (
            _arch(self.env, "economic.field.mapping", "list")[0],
            self._backend_arch().xpath("//field[@name='field_mapping_ids']/list")[0],
        ):
            self.assertIsNone(arch.get("editable"))
            for name in ("odoo_field_label", "economic_property_label"):
                self.assertIsNone(arch.xpath(".//field[@name='%s']" % name)[0].get("optional"))
            for name in ("odoo_field", "economic_property"):
                self.assertEqual(
                    arch.xpath(".//field[@name='%s']" % name)[0].get("optional"), "hide"
                )
        form = _arch(self.env, "economic.field.mapping", "form")[0]
        for name in (
            "odoo_field",
            "odoo_field_label",
            "economic_property",
            "economic_property_label",
        ):
            self.assertTrue(form.xpath("//field[@name='%s']" % name), name)

    def test_chatter_notes_name_fields_as_the_user_knows_them(self):
        self.run_pass()
        partner = self.partner("customer", 2)
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "customers",
                "key": 2,
                "changes": {"telephoneAndFaxNumber": "+45 12 34 56 78", "zip": "1050"},
            },
        )
        self.run_pass()
        self.assertEqual(partner.phone, "+45 12 34 56 78")
        notes = partner.message_ids.filtered(lambda m: "Updated from e-conomic" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("Updated from e-conomic: Phone, Zip", notes.body)
        self.assertNotIn("telephoneAndFaxNumber", notes.body)
        # the sync log line of the update names them the same way
        line = self.logs(entity="customer", operation="update", res_id=partner.id)
        self.assertEqual(line.fields_touched, "telephoneAndFaxNumber,zip")
        self.assertEqual(line.fields_touched_label, "Phone, Zip")
        arch = _arch(self.env, "economic.sync.log", "list")[0]
        self.assertTrue(arch.xpath("//field[@name='fields_touched_label']"))
        self.assertFalse(arch.xpath("//field[@name='fields_touched']"))
