"""e-conomic's stock on hand into Odoo (issue 18 §2): the sandbox's in-stock figures set in the
connection's stock location through Odoo's inventory adjustment, on passes and on the
"Product updated" webhook."""

from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import HttpCase, tagged

from odoo.addons.economic_sync.models.economic_sync_state import PassState
from odoo.addons.economic_sync.tests.sync_common import SyncCase

BINDING = "economic.product.binding"
MOVE_NAME = "e-conomic stock on hand (Sandbox)"


@tagged("post_install", "-at_install")
class TestStockOnHand(SyncCase, HttpCase):
    def setUp(self):
        super().setUp()
        # what the classic webhook URLs contain: this test server; no pass due meanwhile
        self.env["ir.config_parameter"].sudo().set_param("web.base.url", self.base_url())
        self.backend.next_pass_date = fields.Datetime.add(fields.Datetime.now(), hours=5)
        self.setting("product").write({"pull": True, "auto": True})
        self.run_pass(entities=["product"])
        self.location = self.backend.stock_location_id
        self.tshirt, self.white, self.helmet = (self.product(k) for k in ("1", "2", "100"))
        # Odoo's Inventory tracks these three; the export pallet (3 in stock in e-conomic) is
        # a consumable that tracks none
        (self.tshirt | self.white | self.helmet).write({"is_storable": True})
        self.export = self.product("EXPORT-1")
        self.setting("stock").write({"pull": True, "auto": True})

    # ------------------------------------------------------------------ helpers
    def product(self, key):
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", key)]
        )
        self.assertTrue(binding.product_id, "product %s bound" % key)
        return binding.product_id

    def warehouse(self, company=None):
        """The company's main warehouse (the one Odoo created with the company)."""
        return self.env["stock.warehouse"].search(
            [("company_id", "=", (company or self.env.company).id)], order="sequence, id", limit=1
        )

    def on_hand(self, product, location=None):
        location = location or self.location
        return product.with_context(location=location.id).qty_available

    def moves(self, products=None):
        """The stock moves the sync made (a user's replay adds the user's name)."""
        domain = [("name", "=like", MOVE_NAME + "%")]
        if products is not None:
            domain.append(("product_id", "in", products.ids))
        return self.env["stock.move"].search(domain, order="id")

    def set_in_stock(self, key, quantity):
        """An e-conomic user's stock change (booked purchases or sales) of product ``key``."""
        self.admin(
            "POST",
            "/edit",
            {"resource": "products", "key": key, "changes": {"inventory": {"inStock": quantity}}},
        )

    def hook(self):
        url = self.backend._webhook_url("product_updated")
        self.admin("POST", "/webhooks", {"type": "product_updated", "url": url})

    def deliver_and_process(self):
        """e-conomic's webhook requests reach Odoo; the scheduled action processes them."""
        self.admin("POST", "/webhooks/wait", {"timeout": 25})
        self.env.invalidate_all()
        self.env["economic.backend"]._cron_run_connection(self.backend.id)
        self.env.invalidate_all()

    def stock_lines(self, **filters):
        return self.logs(entity="stock", **filters)

    def assert_inventory_move(self, move, product, quantity, source, destination):
        self.assertEqual(move.product_id, product)
        self.assertTrue(move.is_inventory)
        self.assertEqual(move.state, "done")
        self.assertEqual(move.product_uom_qty, quantity)
        self.assertEqual((move.location_id, move.location_dest_id), (source, destination))
        line = move.move_line_ids
        self.assertEqual(len(line), 1)
        self.assertEqual(line.quantity, quantity)
        self.assertEqual((line.location_id, line.location_dest_id), (source, destination))
        self.assertFalse(line.lot_id)

    # ------------------------------------------------------------------ tests
    def test_pass_sets_stock_on_hand_then_moves_nothing(self):
        self.assertEqual(self.location, self.warehouse().lot_stock_id)
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(
            [self.on_hand(p) for p in (self.tshirt, self.white, self.helmet)], [120, 80, 12]
        )
        loss = self.tshirt.with_company(self.env.company).property_stock_inventory
        self.assertEqual(loss.usage, "inventory")
        moves = self.moves()
        self.assertEqual(moves.product_id, self.tshirt | self.white | self.helmet)
        self.assert_inventory_move(
            moves.filtered(lambda m: m.product_id == self.tshirt),
            self.tshirt,
            120,
            loss,
            self.location,
        )
        # a consumable tracks no inventory: e-conomic's 3 pallets leave it alone
        self.assertEqual(self.export.qty_available, 0)
        self.assertFalse(self.env["stock.quant"].search([("product_id", "=", self.export.id)]))
        self.assertEqual(self.setting("stock").record_count, 3)
        line = self.stock_lines(operation="update")
        self.assertEqual(len(line), 1)
        self.assertIn("3 products set to e-conomic's stock on hand", line.message)
        self.assertIn(MOVE_NAME, line.message)
        self.assertIn('"%s": 120.0' % self.tshirt.display_name, line.new_values)
        self.assertIn('"%s": 0.0' % self.tshirt.display_name, line.old_values)

        # nothing changed in e-conomic: the next pass moves nothing and says nothing
        self.backend.last_full_pass = False
        self.run_pass(full=True)
        self.assertEqual(self.moves(), moves)
        self.assertEqual(self.stock_lines(operation="update"), line)
        self.assertEqual(self.on_hand(self.tshirt), 120)

    def test_webhook_sets_the_changed_stock_through_a_stock_move(self):
        self.run_pass()
        self.assertEqual(self.on_hand(self.tshirt), 120)
        before = self.moves()
        self.hook()
        self.set_in_stock("1", 150)
        self.deliver_and_process()
        event = self.env["economic.webhook.event"].search(
            [("backend_id", "=", self.backend.id), ("key", "=", "1")]
        )
        self.assertEqual(event.state, "done")
        self.assertEqual(self.on_hand(self.tshirt), 150)
        move = self.moves() - before
        loss = self.tshirt.with_company(self.env.company).property_stock_inventory
        self.assert_inventory_move(move, self.tshirt, 30, loss, self.location)
        self.assertEqual(self.on_hand(self.white), 80, "only the product of the event")
        self.assertIn("1 products set", self.stock_lines(operation="update")[0].message)

        # fewer in e-conomic: the difference leaves the location for the inventory loss
        self.set_in_stock("1", 90)
        self.deliver_and_process()
        self.assertEqual(self.on_hand(self.tshirt), 90)
        move = self.moves() - before - move
        self.assert_inventory_move(move, self.tshirt, 60, self.location, loss)

        # a second pass moves nothing
        done = self.moves()
        self.run_pass()
        self.assertEqual(self.moves(), done)

    def test_setting_off_moves_nothing(self):
        self.setting("stock").write({"pull": False})
        self.run_pass()
        self.assertFalse(self.moves())
        self.assertEqual(self.on_hand(self.tshirt), 0)
        # e-conomic's figure is read with the product all the same, and shown on it
        self.hook()
        self.set_in_stock("1", 150)
        self.deliver_and_process()
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", "1")]
        )
        self.assertEqual(binding.inventory_in_stock, 150)
        self.assertFalse(self.moves())
        self.assertFalse(self.stock_lines())
        # pull on but Automatic off: webhooks leave the stock alone, passes set it
        self.setting("stock").write({"pull": True, "auto": False})
        self.set_in_stock("1", 160)
        self.deliver_and_process()
        self.assertEqual(binding.inventory_in_stock, 160)
        self.assertFalse(self.moves())
        self.run_pass(entities=["product", "stock"])
        self.assertEqual(self.on_hand(self.tshirt), 160)

    def test_agreement_without_inventory_module_leaves_stock_alone(self):
        self.run_pass()
        self.assertEqual(self.on_hand(self.tshirt), 120)
        # counted in Odoo: 7 are left
        quant = self.env["stock.quant"].search(
            [("product_id", "=", self.tshirt.id), ("location_id", "=", self.location.id)]
        )
        quant.with_context(inventory_mode=True).inventory_quantity = 7
        quant.action_apply_inventory()
        self.assertEqual(self.on_hand(self.tshirt), 7)
        moves = self.moves()
        self.admin("POST", "/modules", {"inventory": False})
        self.run_pass(full=True)
        binding = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", "1")]
        )
        self.assertFalse(binding.has_inventory)
        self.assertEqual(self.on_hand(self.tshirt), 7)
        self.assertEqual(self.moves(), moves)

    def test_product_tracked_by_lots_is_skipped_with_the_reason(self):
        self.helmet.tracking = "lot"
        self.run_pass()
        self.assertEqual(self.on_hand(self.helmet), 0)
        self.assertFalse(self.moves(self.helmet))
        self.assertEqual(self.on_hand(self.tshirt), 120)
        # (the first pass is a full one: it also names the consumable that tracks nothing)
        line = self.stock_lines(operation="skip").filtered(lambda ln: "lots" in ln.message)
        self.assertEqual(len(line), 1)
        self.assertIn(self.helmet.display_name, line.message)
        self.assertIn("tracked by lots or serial numbers", line.message)
        self.assertNotIn(self.tshirt.display_name, line.message)

    def test_products_that_track_no_inventory_are_named(self):
        """Stock on Hand switched on while no product pulled from e-conomic tracks inventory in
        Odoo (Odoo's default for new products): nothing moves, and the pass says which
        products carry e-conomic's figures and what to tick."""
        (self.tshirt | self.white | self.helmet).write({"is_storable": False})
        self.run_pass()
        self.assertFalse(self.moves())
        line = self.stock_lines(operation="skip")
        self.assertEqual(len(line), 1)
        for product in (self.tshirt, self.white, self.helmet, self.export):
            self.assertIn(product.display_name, line.message)
        self.assertIn("Track Inventory", line.message)
        # ticked: the next pass sets it, and names the others only on a full pass
        self.tshirt.is_storable = True
        self.run_pass()
        self.assertEqual(self.on_hand(self.tshirt), 120)
        self.assertEqual(len(self.stock_lines(operation="skip")), 1)

    def test_chosen_location_of_the_company(self):
        warehouse = self.warehouse()
        shop = self.env["stock.location"].create(
            {"name": "Shop", "usage": "internal", "location_id": warehouse.view_location_id.id}
        )
        self.backend.stock_location_id = shop
        # stock of the product elsewhere in the warehouse is not the shop's
        elsewhere = self.env["stock.quant"].with_context(inventory_mode=True)
        elsewhere.create(
            {"product_id": self.white.id, "location_id": self.location.id, "inventory_quantity": 5}
        ).action_apply_inventory()
        self.run_pass()
        self.assertEqual(self.on_hand(self.tshirt, shop), 120)
        self.assertEqual(self.on_hand(self.white, shop), 80)
        self.assertEqual(self.on_hand(self.white), 5)
        self.assertEqual(self.moves().location_dest_id, shop)
        # a location of another company, or not a stock location, is refused
        other = self.env["res.company"].create({"name": "Other ApS"})
        with self.assertRaises(ValidationError):
            self.backend.stock_location_id = self.warehouse(other).lot_stock_id
        with self.assertRaises(ValidationError):
            self.backend.stock_location_id = warehouse.view_location_id

    def test_products_not_pulled_is_one_error_naming_the_setting(self):
        self.setting("product").write({"pull": False})
        self.run_pass()
        self.run_pass()
        line = self.stock_lines(state="failed")
        self.assertEqual(len(line), 1)
        self.assertEqual(line.count, 2)
        self.assertIn("Switch on the pull of Products", line.message)
        self.assertFalse(self.moves())
        self.setting("product").write({"pull": True})
        self.run_pass()
        self.assertEqual(line.state, "resolved")
        self.assertEqual(self.on_hand(self.tshirt), 120)

    def test_a_product_odoo_refuses_fails_alone_and_is_replayed_with_the_users_rights(self):
        Quant = type(self.env["stock.quant"])
        apply_inventory = Quant._apply_inventory
        white = self.white

        def refuse_white(quants):
            if white in quants.product_id:
                raise UserError(quants.env._("Odoo refuses to adjust this product."))
            return apply_inventory(quants)

        with patch.object(Quant, "_apply_inventory", refuse_white):
            result = self.run_pass()
        self.assertEqual(result["state"], "partial")
        self.assertEqual(
            [self.on_hand(p) for p in (self.tshirt, self.white, self.helmet)], [120, 0, 12]
        )
        line = self.stock_lines(state="failed")
        self.assertEqual(len(line), 1)
        self.assertEqual((line.res_model, line.res_id), ("product.product", white.id))
        self.assertEqual(line.economic_key, "2")
        self.assertEqual(line.message, "Odoo refuses to adjust this product.")
        binding = self.env[BINDING].browse(line.binding_res_id)
        self.assertEqual((line.binding_model, binding.product_id), (BINDING, white))
        self.assertEqual(binding.state, "synced", "the product itself synced fine")
        self.assertIn("2 products set", self.stock_lines(operation="update").message)

        # an e-conomic manager without Inventory rights may not adjust stock
        economic = "base.group_user,economic_sync.group_economic_manager"
        bookkeeper = self._new_user("stock_bookkeeper", economic + ",account.group_account_manager")
        line.with_user(bookkeeper).action_replay()
        self.assertEqual((line.state, line.count), ("failed", 2))
        self.assertIn("needs the Inventory / User rights", line.message)
        self.assertEqual(self.on_hand(white), 0)
        # with them, the replay adjusts it, as that user
        keeper = self._new_user("stock_keeper", economic + ",stock.group_stock_manager")
        line.with_user(keeper).action_replay()
        self.assertEqual(line.state, "replayed")
        self.assertEqual(self.on_hand(white), 80)
        move = self.moves(white)
        self.assertEqual(move.name, "%s (%s)" % (MOVE_NAME, keeper.name))
        self.assertEqual(move.create_uid, keeper)

    def test_each_company_sets_its_own_stock(self):
        """A connection of another company (the same agreement) sets the stock of its own
        products in its own warehouse; the first company's stock is left as it is."""
        other = self.env["res.company"].create(
            {"name": "Butik ApS", "country_id": self.env.ref("base.dk").id}
        )
        backend = self.env["economic.backend"].create(
            self._backend_vals(name="Butik", company_id=other.id)
        )
        location = self.warehouse(other).lot_stock_id
        self.assertEqual(backend.stock_location_id, location)
        backend.action_refresh_references()
        backend._entity_setting("stock").pull = True
        backend._run_pass(entities=["product"])
        self.env.invalidate_all()
        theirs = (
            self.env[BINDING]
            .search([("backend_id", "=", backend.id), ("economic_key", "=", "1")])
            .product_id
        )
        self.assertEqual(theirs.company_id, other)
        theirs.is_storable = True
        result = backend._run_pass(entities=["product", "stock"])
        self.env.invalidate_all()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(self.on_hand(theirs, location), 120)
        move = self.env["stock.move"].search(
            [("product_id", "=", theirs.id), ("name", "=", "e-conomic stock on hand (Butik)")]
        )
        self.assertEqual((move.company_id, move.location_dest_id), (other, location))
        self.assertEqual(self.on_hand(self.tshirt), 0)
        self.assertFalse(self.moves(self.tshirt))

    def test_queries_per_page_not_per_product(self):
        """With nothing to adjust, setting the stock reads a page of products in the same
        number of queries for 3 products as for 23."""

        def queries():
            self.env.invalidate_all()
            with self.backend._get_client() as client:
                state = PassState(self.engine, self.backend, client)
                before = self.env.cr.sql_log_count
                self.env["economic.sync.stock"]._stock_sync(state)
                self.env.flush_all()
                return self.env.cr.sql_log_count - before

        self.run_pass()
        self.assertEqual(self.on_hand(self.tshirt), 120)
        few = queries()
        for n in range(20):
            key = "LAGER-%s" % n
            self.admin(
                "POST",
                "/create",
                {
                    "resource": "products",
                    "record": {
                        "productNumber": key,
                        "name": "Lagervare %s" % n,
                        "productGroup": {"productGroupNumber": 1},
                    },
                },
            )
            self.set_in_stock(key, n + 1)
        self.run_pass(entities=["product"])
        added = self.env[BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=like", "LAGER-%")]
        )
        self.assertEqual(len(added), 20)
        added.product_id.is_storable = True
        self.run_pass(entities=["product", "stock"])
        self.assertEqual(sum(self.on_hand(p) for p in added.product_id), sum(range(1, 21)))
        self.assertEqual(self.setting("stock").record_count, 23)
        self.assertEqual(queries(), few)
