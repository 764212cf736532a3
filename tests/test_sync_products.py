"""Products (issue 7 §2): read-first mirror of e-conomic's products, matching before create,
deletions archived, Refresh, and a find-or-create push that makes one e-conomic product even
when its answer is lost."""

from urllib.parse import unquote

from odoo import fields, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .sync_common import SyncCase

BINDING = "economic.product.binding"


@tagged("post_install", "-at_install")
class TestSyncProducts(SyncCase):
    def product_binding(self, number):
        return self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", str(number))]
        )

    def product(self, number):
        return self.product_binding(number).product_id

    def pull(self, full=False):
        if not full:
            # passes of some entities never count as the periodic full pass: say one happened
            self.backend.last_full_pass = fields.Datetime.now()
        return self.run_pass(entities=["product"], full=full)

    def writes(self, path="/products"):
        return [
            r
            for r in self.requests_log()
            if r["method"] in ("POST", "PUT", "DELETE") and r["path"].startswith(path)
        ]

    # ------------------------------------------------------------------ pull
    def test_initial_pull_mirrors_products_with_references(self):
        result = self.pull()
        self.assertEqual(result["state"], "done", result)
        shirt = self.product("1")
        self.assertEqual(shirt.name, "T-shirt sort")
        self.assertEqual(shirt.default_code, "1")
        self.assertEqual(shirt.barcode, "5701234000011")
        self.assertEqual(shirt.list_price, 70.0)
        self.assertEqual(shirt.with_company(self.env.company).standard_price, 40.0)
        self.assertEqual(shirt.description_sale, "T-shirt med V-hals, str. S-XXL")
        self.assertEqual(shirt.uom_id, self.env.ref("uom.product_uom_unit"), "stk. is Units")
        self.assertEqual(shirt.categ_id.name, "Varer m/moms", "the product group's category")
        self.assertEqual(shirt.company_id, self.env.company)
        binding = self.product_binding("1")
        self.assertEqual(binding.recommended_price, 90.0)
        self.assertTrue(binding.has_inventory)
        self.assertEqual(binding.inventory_in_stock, 120.0)
        self.assertEqual(binding.inventory_ordered_by_customers, 10.0)
        self.assertEqual(binding.inventory_available, 110.0)
        self.assertEqual(self.product("50").uom_id, self.env.ref("uom.product_uom_hour"))
        self.assertEqual(self.product("EXPORT-1").default_code, "EXPORT-1")
        self.assertEqual(len(self.logs(entity="product", operation="create")), 6)
        # a second pass changes nothing and writes nothing
        self.clear_requests()
        again = self.pull()
        self.assertEqual((again["created"], again["updated"], again["errors"]), (0, 0, 0))
        self.assertFalse(self.writes())

    def test_incremental_pull_and_deletion(self):
        self.pull()
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "2", "changes": {"salesPrice": 75, "name": "White T"}},
        )
        result = self.pull()
        self.assertEqual(result["updated"], 1, result)
        self.assertEqual(self.product("2").list_price, 75.0)
        self.assertEqual(self.product("2").name, "White T")
        queries = [unquote(r["query"]) for r in self.requests_log() if r["path"] == "/products"]
        self.assertTrue(any("lastUpdated$gte:" in q for q in queries), queries)
        self.admin("POST", "/delete", {"resource": "products", "key": "51"})
        product = self.product("51")
        self.pull(full=True)
        self.assertFalse(product.active, "deleted in e-conomic: archived in Odoo")
        self.assertTrue(self.product_binding("51").remote_archived)
        self.assertTrue(self.logs(entity="product", operation="archive"))

    def test_matching_by_internal_reference_then_barcode_binds(self):
        by_code = self.env["product.product"].create({"name": "My shirt", "default_code": "1"})
        by_barcode = self.env["product.product"].create(
            {"name": "Helmet", "default_code": "H-1", "barcode": "5701234001001"}
        )
        self.pull()
        self.assertEqual(self.product("1"), by_code)
        self.assertEqual(by_code.name, "T-shirt sort", "e-conomic is the source")
        self.assertEqual(self.product("100"), by_barcode)
        self.assertEqual(self.env["product.product"].search_count([("default_code", "=", "1")]), 1)
        self.assertEqual(len(self.logs(entity="product", operation="bind")), 2)

    def test_refresh_one_product(self):
        self.pull()
        product = self.product("100")
        self.admin(
            "POST", "/edit", {"resource": "products", "key": "100", "changes": {"salesPrice": 333}}
        )
        action = self.engine._action_record(self.backend, product, "pull")
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(product.list_price, 333.0)

    def test_unmapped_unit_is_a_per_record_error(self):
        self.pull()
        unit = self.env["economic.reference"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "unit"), ("number", "=", "6")]
        )
        self.assertEqual(unit.name, "Mdr")
        self.assertFalse(unit.uom_id, "months: Odoo has no such unit of measure")
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "50", "changes": {"unit": {"unitNumber": 6}}},
        )
        result = self.pull()
        self.assertEqual(result["errors"], 1, result)
        self.assertFalse(result["full"])
        line = self.logs(entity="product", operation="error")
        self.assertIn("unit of measure", line.message)
        self.assertEqual(self.product_binding("50").state, "error")

    # ------------------------------------------------------------------ push
    def test_push_refused_while_read_only(self):
        self.pull()
        self.backend.write_back = True
        setting = self.setting("product")
        self.assertEqual(setting.strategy, "read_only")
        with self.assertRaises(ValidationError):
            setting.write({"push": True})
        product = self.env["product.product"].create({"name": "Local", "default_code": "L-1"})
        with self.assertRaises(UserError):
            self.engine._action_record(self.backend, product, "push")
        self.clear_requests()
        self.pull()
        self.assertFalse(self.writes(), "nothing is written while products are read-only")

    def test_find_or_create_push_with_a_lost_answer_makes_one_product(self):
        self.pull()
        self.backend.write_back = True
        self.setting("product").write(
            {
                "strategy": "newer_wins",
                "push": True,
                "push_domain": "[('default_code', '=like', 'NEW-%')]",
            }
        )
        existing = self.env["product.product"].create(
            {"name": "Another name", "default_code": "NEW-EXISTS"}
        )
        self.admin(
            "POST",
            "/create",
            {
                "resource": "products",
                "record": {
                    "productNumber": "NEW-EXISTS",
                    "name": "Kept as it is",
                    "productGroup": {"productGroupNumber": 1},
                },
            },
        )
        # the match before create binds: the pull (by internal reference) here
        self.pull()
        self.assertEqual(self.product("NEW-EXISTS"), existing)
        new = self.env["product.product"].create(
            {
                "name": "Brand new",
                "default_code": "NEW-1",
                "list_price": 12.5,
                "categ_id": self.product("1").categ_id.id,
            }
        )
        self.sandbox.add_fault("drop_after_commit", path="/products", method="POST", times=1)
        self.sandbox.add_fault("error", path="/products", method="POST", status=503, times=20)
        result = self.pull()
        self.assertEqual(result["state"], "partial", result)
        self.admin("DELETE", "/faults")
        self.pull()
        self.pull()
        created = self.remote("products", "NEW-1")
        self.assertEqual(created["name"], "Brand new")
        self.assertEqual(created["productGroup"]["productGroupNumber"], 1)
        self.assertEqual(self.product("NEW-1"), new)
        keys = {r["idempotency_key"] for r in self.writes() if r["method"] == "POST"}
        Attempt = self.env["economic.create.attempt"]
        first = Attempt._key(self.backend, "product", "product.product", new.id, 1)
        second = Attempt._key(self.backend, "product", "product.product", new.id, 2)
        self.assertIn(first, keys)
        self.assertNotIn(second, keys, "the lost create is never sent with another key")
        self.assertEqual(
            self.env["product.product"].search_count([("default_code", "=", "NEW-1")]), 1
        )
        self.assertFalse(self.env["economic.create.attempt"].search([("entity", "=", "product")]))

    def test_replay_of_a_failed_product_line(self):
        self.pull()
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "50", "changes": {"unit": {"unitNumber": 6}}},
        )
        self.pull()
        line = self.logs(entity="product", operation="error")
        self.assertEqual(line.state, "failed")
        ok, message = self.engine._replay_log_line(line)
        self.assertFalse(ok, "still unmapped")
        self.assertIn("unit of measure", message)
        unit = self.env["economic.reference"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "unit"), ("number", "=", "6")]
        )
        unit.uom_id = self.env.ref("uom.product_uom_unit")
        ok, message = self.engine._replay_log_line(line)
        self.assertTrue(ok, message)
        self.assertEqual(self.product_binding("50").state, "synced")
        self.assertEqual(self.product("50").uom_id, self.env.ref("uom.product_uom_unit"))

    def test_a_failed_match_leaves_no_binding_and_no_bind_line(self):
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": "2", "changes": {"unit": {"unitNumber": 6}}},
        )
        mine = self.env["product.product"].create({"name": "White", "default_code": "2"})
        result = self.pull()
        self.assertEqual((result["bound"], result["errors"]), (0, 1), result)
        self.assertFalse(self.product_binding("2"), "rolled back with the record's failure")
        self.assertFalse(self.logs(entity="product", operation="bind"))
        self.assertEqual(self.logs(entity="product", operation="error").res_id, mine.id)

    def test_without_the_inventory_module_no_figures(self):
        self.admin("POST", "/modules", {"inventory": False})
        self.addCleanup(self.admin, "POST", "/modules", {"inventory": True})
        self.pull()
        binding = self.product_binding("1")
        self.assertFalse(binding.has_inventory)
        self.assertEqual(binding.inventory_in_stock, 0.0)
        self.assertFalse(self.product("1").economic_has_inventory)
        self.admin("POST", "/modules", {"inventory": True})
        self.pull(full=True)
        self.assertTrue(binding.has_inventory)
        self.assertEqual(binding.inventory_in_stock, 120.0)

    def test_updates_of_bound_products_only_where_the_connection_allows_them(self):
        self.pull()
        self.backend.write_back = True
        self.setting("product").write({"strategy": "local_wins", "push": True})
        product = self.product("100")
        product.list_price = 333.0
        self.pull()
        self.assertEqual(self.remote("products", "100")["salesPrice"], 349, "find or create only")
        self.backend.product_push_updates = True
        product.list_price = 335.0
        self.assertEqual(self.product_binding("100").state, "pending")
        self.clear_requests()
        self.pull()
        self.assertEqual(self.remote("products", "100")["salesPrice"], 335)
        puts = [r for r in self.writes() if r["method"] == "PUT"]
        self.assertEqual([r["path"] for r in puts], ["/products/100"])
        self.assertEqual(self.product_binding("100").state, "synced")

    def test_preview_shows_the_products_a_push_would_create(self):
        self.pull()
        self.env["product.product"].create(
            {
                "name": "Preview Lamp",
                "default_code": "PREVIEW-1",
                "categ_id": self.product("1").categ_id.id,
            }
        )
        self.setting("product").write(
            {"strategy": "newer_wins", "push_domain": "[('default_code', '=like', 'PREVIEW-%')]"}
        )
        self.clear_requests()
        lines = self.engine._preview_push(self.backend, entities=["product"])
        self.assertEqual(
            [(line["entity"], line["operation"], line["record_name"]) for line in lines],
            [("product", "create", "[PREVIEW-1] Preview Lamp")],
        )
        self.assertFalse(self.writes(), "a preview writes nothing")
        self.assertFalse(self.env["economic.create.attempt"].search([("entity", "=", "product")]))
        self.assertFalse(self.remote_products_named("Preview Lamp"))

    def remote_products_named(self, name):
        return [p for p in self.admin("GET", "/records/products") if p.get("name") == name]

    def test_a_full_pass_of_unchanged_products_costs_no_query_per_product(self):
        self.pull()

        def full_pass_queries():
            before = sql_db.sql_counter
            result = self.pull(full=True)
            self.assertEqual((result["updated"], result["errors"]), (0, 0), result)
            return sql_db.sql_counter - before

        few = full_pass_queries()
        for n in range(40):
            self.admin(
                "POST",
                "/create",
                {
                    "resource": "products",
                    "record": {
                        "productNumber": "Q-%02d" % n,
                        "name": "Query product %d" % n,
                        "salesPrice": 10 + n,
                        "productGroup": {"productGroupNumber": 1},
                        "unit": {"unitNumber": 1},
                    },
                },
            )
        self.pull()
        many = full_pass_queries()
        # 40 more unchanged products: no savepoint, read or write per product
        self.assertLess(many - few, 15, (few, many))

    def test_newer_wins_sees_a_template_edit_as_the_products_change(self):
        from ..models.economic_sync_state import PassState

        self.pull()
        product = self.product("1")
        later = fields.Datetime.add(fields.Datetime.now(), days=2)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE product_template SET write_date = %s WHERE id = %s",
            (later, product.product_tmpl_id.id),
        )
        self.env.invalidate_all()
        sync = self.env["economic.sync.product"]
        state = PassState(self.engine, self.backend, None)
        rows = sync._economic_read_local(state, state.adapters["product"], product)
        self.assertEqual(rows[product.id]["write_date"], later)
