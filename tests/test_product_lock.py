"""Products in Odoo (issue 7 §2): the e-conomic tab, Refresh, and the read-only lock (a user may
not change a bound product's synced fields while e-conomic is their source; the sync may)."""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .sync_common import SyncCase

BINDING = "economic.product.binding"
KEPT = "are kept in e-conomic (read-only sync)"


@tagged("post_install", "-at_install")
class TestProductLock(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.editor = cls._new_user(
            "econ_product_editor",
            "base.group_user,product.group_product_manager,economic_sync.group_economic_user",
        )
        # the lock is the same for a product manager who never sees e-conomic
        cls.plain_editor = cls._new_user(
            "econ_product_plain", "base.group_user,product.group_product_manager"
        )

    def setUp(self):
        super().setUp()
        self.product = self.env["product.product"].create(
            {
                "name": "Lock Shirt",
                "default_code": "L-1",
                "barcode": "5709999000017",
                "list_price": 100.0,
                "standard_price": 60.0,
                "description_sale": "Kept in e-conomic",
            }
        )
        self.template = self.product.product_tmpl_id
        self.binding = self.bind(self.product, "L-1")

    def bind(self, product, key, **vals):
        return self.env[BINDING].create(
            dict(
                {
                    "backend_id": self.backend.id,
                    "product_id": product.id,
                    "economic_key": key,
                    "last_synced": "2026-01-01 10:00:00",
                },
                **vals,
            )
        )

    def as_user(self, records, user=None):
        return records.with_user(user or self.editor)

    def assertKept(self, records, vals, label):
        with self.assertRaises(UserError) as caught:
            records.write(vals)
        message = str(caught.exception)
        self.assertIn(KEPT, message)
        self.assertIn(label, message)
        self.assertIn("Lock Shirt", message)
        return message

    # ------------------------------------------------------------------ the lock
    def test_read_only_is_the_default(self):
        self.assertEqual(self.setting("product").strategy, "read_only")
        self.assertFalse(self.setting("product").effective_push)

    def test_user_edit_of_a_synced_field_is_refused(self):
        product = self.as_user(self.product)
        template = self.as_user(self.template)
        self.assertKept(product, {"name": "Renamed"}, "Name")
        self.assertKept(product, {"default_code": "L-2"}, "Internal Reference")
        self.assertKept(product, {"barcode": "5709999000024"}, "Barcode")
        self.assertKept(product, {"lst_price": 120.0}, "Sales Price")
        self.assertKept(product, {"active": False}, "Active")
        self.assertKept(template, {"list_price": 120.0}, "Sales Price")
        self.assertKept(template, {"default_code": "L-3", "sale_ok": False}, "Internal Reference")
        other = self.env["product.category"].create({"name": "Other"})
        self.assertKept(template, {"categ_id": other.id}, "Product Category")
        self.assertKept(self.as_user(self.template, self.plain_editor), {"name": "X"}, "Name")
        self.env.invalidate_all()
        self.assertEqual(self.product.name, "Lock Shirt")
        self.assertEqual(self.product.default_code, "L-1")
        self.assertTrue(self.product.active)
        self.assertTrue(self.template.sale_ok, "nothing of a refused write is written")

    def test_several_fields_are_named_in_one_message(self):
        message = self.assertKept(
            self.as_user(self.template),
            {"name": "Renamed", "description_sale": "Changed"},
            "Name",
        )
        self.assertIn("Sales Description", message)

    def test_a_field_that_is_not_synced_stays_editable(self):
        self.as_user(self.template).write(
            {"sale_ok": False, "description_purchase": "From the supplier"}
        )
        self.as_user(self.product).write({"description": "Internal note"})
        self.assertFalse(self.template.sale_ok)
        self.assertEqual(self.template.description_purchase, "From the supplier")

    def test_the_syncs_own_write_passes(self):
        self.as_user(self.product).with_context(economic_sync_write=True).write(
            {"name": "From e-conomic", "default_code": "L-9", "list_price": 110.0}
        )
        self.assertEqual(self.product.name, "From e-conomic")
        self.assertEqual(self.product.default_code, "L-9")
        self.assertEqual(self.product.list_price, 110.0)

    def test_an_unchanged_value_is_no_change(self):
        # a form sends the values it shows
        self.as_user(self.template).write(
            {
                "name": "Lock Shirt",
                "list_price": 100.0,
                "default_code": "L-1",
                "categ_id": self.template.categ_id.id,
                "uom_id": self.template.uom_id.id,
                "description_sale": "Kept in e-conomic",
                "active": True,
            }
        )
        self.as_user(self.product).write(
            {"barcode": "5709999000017", "standard_price": 60.0, "lst_price": 100.0}
        )
        self.assertEqual(self.binding.state, "synced")

    def test_unbound_and_remotely_deleted_products_stay_editable(self):
        other = self.env["product.product"].create({"name": "Odoo only"})
        self.as_user(other).write({"name": "Still Odoo only", "list_price": 5.0})
        self.assertEqual(other.name, "Still Odoo only")
        self.binding.remote_archived = True
        self.as_user(self.product).write({"name": "Deleted in e-conomic"})
        self.assertEqual(self.product.name, "Deleted in e-conomic")

    def test_the_lock_follows_the_connection_mappings(self):
        mapping = self.backend.field_mapping_ids.filtered(
            lambda m: m.entity == "product" and m.odoo_field == "description_sale"
        )
        self.assertTrue(mapping, "the default product mappings sync the sales description")
        mapping.active = False
        self.as_user(self.template).write({"description_sale": "Odoo's own"})
        self.assertEqual(self.template.description_sale, "Odoo's own")
        self.assertKept(self.as_user(self.template), {"name": "Renamed"}, "Name")

    def test_a_template_field_changed_through_an_unbound_variant_is_refused(self):
        size = self.env["product.attribute"].create(
            {"name": "Lock Size", "value_ids": [Command.create({"name": n}) for n in "SM"]}
        )
        template = self.env["product.template"].create(
            {
                "name": "Lock Shirt Sizes",
                "attribute_line_ids": [
                    Command.create(
                        {"attribute_id": size.id, "value_ids": [Command.set(size.value_ids.ids)]}
                    )
                ],
            }
        )
        small, medium = template.product_variant_ids
        self.bind(small, "L-S")
        # the name is the template's: renaming the unbound variant renames the bound one
        with self.assertRaises(UserError) as caught:
            self.as_user(medium).write({"name": "Renamed"})
        self.assertIn(KEPT, str(caught.exception))
        # the variant's own reference is its own
        self.as_user(medium).write({"default_code": "L-M"})
        self.assertEqual(medium.default_code, "L-M")
        with self.assertRaises(UserError):
            self.as_user(small).write({"default_code": "L-X"})
        self.assertTrue(self.as_user(template).economic_bound)
        self.assertEqual(self.as_user(template).economic_product_number, "L-S")

    def test_a_write_touching_no_synced_field_costs_no_query(self):
        product = self.as_user(self.product)
        template = self.as_user(self.template)
        product._economic_guard({"sale_ok": False})  # warm the cached field lists
        template._economic_guard({"sale_ok": False})
        with self.assertQueryCount(0):
            product._economic_guard({"sale_ok": False, "description_purchase": "x"})
            template._economic_guard({"sale_ok": False})
        # with a synced field: the same queries for one product as for several (one search)
        more = self.env["product.product"].create(
            [{"name": "Lock Shirt %s" % n, "default_code": "M-%s" % n} for n in range(4)]
        )
        for record in more:
            self.bind(record, record.default_code)

        def queries(records):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            records._economic_guard({"standard_price": 0.0})  # unchanged: no refusal
            return self.env.cr.sql_log_count - before

        queries(self.as_user(more))  # the user's access caches
        self.assertEqual(queries(self.as_user(more[:1])), queries(self.as_user(more)))

    # ------------------------------------------------------------------ another strategy
    def test_newer_wins_allows_the_edit_and_makes_the_binding_pending(self):
        self.enable_push("newer_wins", entities=("product",))
        self.assertTrue(self.setting("product").effective_push)
        # find or create only (the default): an edit is nothing to push
        self.as_user(self.template).write({"name": "Renamed once"})
        self.assertEqual(self.binding.state, "synced", "updates of e-conomic products are off")
        self.backend.product_push_updates = True
        self.as_user(self.template).write({"sale_ok": False})
        self.assertEqual(self.binding.state, "synced", "not a pushed field")
        self.as_user(self.template).write({"name": "Renamed once"})
        self.assertEqual(self.binding.state, "synced", "not a change")
        self.as_user(self.template).write({"name": "Renamed in Odoo"})
        self.assertEqual(self.product.name, "Renamed in Odoo")
        self.assertEqual(self.binding.state, "pending")
        self.binding.with_context(economic_sync_write=True).state = "synced"
        self.as_user(self.product).write({"standard_price": 65.0})
        self.assertEqual(self.binding.state, "pending", "a variant's own pushed field")

    def test_another_strategy_without_push_allows_the_edit(self):
        self.setting("product").strategy = "newer_wins"
        self.as_user(self.product).write({"name": "Renamed in Odoo"})
        self.assertEqual(self.product.name, "Renamed in Odoo")
        self.assertEqual(self.binding.state, "synced", "nothing to push: push is off")

    # ------------------------------------------------------------------ what the form shows
    def test_computed_fields_show_the_bindings_figures(self):
        self.binding.write(
            {
                "recommended_price": 130.0,
                "has_inventory": True,
                "inventory_available": 7.0,
                "inventory_in_stock": 9.0,
                "inventory_ordered_by_customers": 2.0,
                "inventory_ordered_from_suppliers": 5.0,
                "state": "error",
                "last_error": "Unit 9 is missing",
            }
        )
        for record in (self.as_user(self.product), self.as_user(self.template)):
            self.assertTrue(record.economic_bound)
            self.assertEqual(record.economic_product_number, "L-1")
            self.assertEqual(str(record.economic_last_synced), "2026-01-01 10:00:00")
            self.assertEqual(record.economic_state, "error")
            self.assertEqual(record.economic_last_error, "Unit 9 is missing")
            self.assertEqual(record.economic_recommended_price, 130.0)
            self.assertTrue(record.economic_has_inventory)
            self.assertEqual(record.economic_inventory_available, 7.0)
            self.assertEqual(record.economic_inventory_in_stock, 9.0)
            self.assertEqual(record.economic_inventory_ordered_by_customers, 2.0)
            self.assertEqual(record.economic_inventory_ordered_from_suppliers, 5.0)
            self.assertFalse(record.economic_can_push)
            self.assertIn(",name,", record.economic_locked_fields)
            self.assertIn(",default_code,", record.economic_locked_fields)
        # the figures stay e-conomic's: Odoo's own product is untouched
        self.assertEqual(self.product.list_price, 100.0)
        # the search filter
        Template = self.as_user(self.env["product.template"])
        self.assertIn(self.template, Template.search([("economic_bound", "=", True)]))
        self.assertNotIn(self.template, Template.search([("economic_bound", "=", False)]))
        other = self.env["product.product"].create({"name": "Odoo only"})
        Product = self.as_user(self.env["product.product"])
        self.assertEqual(
            Product.search(
                [("economic_bound", "=", True), ("id", "in", [self.product.id, other.id])]
            ),
            self.product,
        )
        self.assertFalse(other.economic_bound)
        self.assertFalse(other.economic_locked_fields)
        # another strategy: nothing is locked, push shows where it is effective
        self.enable_push("newer_wins", entities=("product",))
        self.env.invalidate_all()
        self.assertFalse(self.product.economic_locked_fields)
        self.assertTrue(self.product.economic_can_push)

    def test_the_form_shows_the_economic_page_and_the_lock(self):
        for model in ("product.template", "product.product"):
            arch = self.as_user(self.env[model]).get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
            self.assertIn('name="economic"', arch, model)
            self.assertIn("action_economic_refresh", arch, model)
            self.assertNotIn("action_economic_push", arch, "Push Now is for managers")
            plain = self.as_user(self.env[model], self.plain_editor).get_views([(False, "form")])[
                "views"
            ]["form"]["arch"]
            self.assertNotIn('name="economic"', plain, "only e-conomic users see the page")
        search = self.as_user(self.env["product.template"]).get_views([(False, "search")])
        self.assertIn('name="economic_bound"', search["views"]["search"]["arch"])
        with Form(self.as_user(self.template)) as form:
            self.assertEqual(form.economic_product_number, "L-1")
            with self.assertRaises(AssertionError, msg="kept in e-conomic: read-only"):
                form.name = "Renamed"
            # every pulled field is read-only in the form, never editable-then-refused
            with self.assertRaises(AssertionError, msg="the sales description too"):
                form.description_sale = "Changed in Odoo"
            form.sale_ok = False
        self.assertFalse(self.template.sale_ok)
        self.assertEqual(self.template.name, "Lock Shirt")

    # ------------------------------------------------------------------ Refresh
    def test_refresh_pulls_the_product_and_the_lock_holds_on_pulled_products(self):
        result = self.run_pass(entities=["product"])
        self.assertEqual(result["state"], "done", result)
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", "2")]
        )
        product = binding.product_id
        self.assertTrue(product)
        with self.assertRaises(UserError) as caught:
            self.as_user(product).write({"list_price": product.list_price + 1})
        self.assertIn(KEPT, str(caught.exception))
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "2", "changes": {"salesPrice": 77, "name": "White T"}},
        )
        result = self.as_user(product).action_economic_refresh()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("0 errors", result["params"]["message"])
        self.env.invalidate_all()
        self.assertEqual(product.name, "White T")
        self.assertEqual(product.list_price, 77.0)
        self.admin(
            "POST", "/edit", {"resource": "products", "key": "2", "changes": {"salesPrice": 78}}
        )
        self.as_user(product.product_tmpl_id).action_economic_refresh()
        self.env.invalidate_all()
        self.assertEqual(product.list_price, 78.0)
        with self.assertRaises(AccessError, msg="Push Now is for e-conomic managers"):
            self.as_user(product).action_economic_push()
        unbound = self.as_user(self.env["product.template"].create({"name": "Odoo only"}))
        with self.assertRaises(UserError):
            unbound.action_economic_refresh()
