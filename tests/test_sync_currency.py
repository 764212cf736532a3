"""An agreement whose base currency is not the company's (issue 14 §5): the demo company keeps its
books in USD, the sandbox agreement in DKK. Test Connection and the connection's form warn;
e-conomic's prices, credit limits and balances are kept on the bindings in DKK (shown on the
e-conomic tabs), never written into Odoo's fields as USD amounts nor sent back; the log says so."""

from lxml import etree

from odoo import fields
from odoo.tests import tagged

from .sync_common import SyncCase

PRODUCT_BINDING = "economic.product.binding"


@tagged("post_install", "-at_install")
class TestForeignCurrency(SyncCase):
    def setUp(self):
        super().setUp()
        self.assertNotEqual(
            self.env.company.currency_id.name, "DKK", "the test company keeps its books in USD"
        )
        self.dkk = (
            self.env["res.currency"].with_context(active_test=False).search([("name", "=", "DKK")])
        )

    def product_binding(self, number):
        return self.env[PRODUCT_BINDING].search(
            [("backend_id", "=", self.backend.id), ("economic_key", "=", str(number))]
        )

    def edit(self, resource, key, **changes):
        self.admin("POST", "/edit", {"resource": resource, "key": key, "changes": changes})

    def test_connection_and_form_warn(self):
        self.assertFalse(self.backend.currency_warning, "not known before a connection test")
        action = self.backend.action_test_connection()
        self.assertEqual(self.backend.base_currency, "DKK")
        params = action["params"]
        self.assertEqual(params["type"], "warning")
        self.assertTrue(params["sticky"])
        self.assertIn("DKK", params["message"])
        self.assertIn("USD", params["message"])
        self.assertIn("not synced as USD amounts", self.backend.currency_warning)
        self.assertTrue(self.backend._economic_foreign_currency())
        form = etree.fromstring(
            self.env["economic.backend"].get_view(view_type="form")["arch"].encode()
        )
        banner = form.xpath("//div[field[@name='currency_warning']]")
        self.assertEqual(len(banner), 1)
        self.assertIn("alert-warning", banner[0].get("class"))
        # the same currency: no warning
        self.backend.base_currency = self.env.company.currency_id.name
        self.assertFalse(self.backend.currency_warning)

    def test_prices_stay_in_the_agreement_currency(self):
        self.backend.action_test_connection()
        odoo_price = self.env["product.template"].default_get(["list_price"])["list_price"]
        self.edit("customers", 3, creditLimit=50000, balance=1234.5)
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        shirt = self.product_binding("1")
        product = shirt.product_id
        # e-conomic's figures on the binding, in DKK; Odoo's prices left as they were
        self.assertEqual((shirt.sales_price, shirt.cost_price), (70.0, 40.0))
        self.assertEqual(shirt.recommended_price, 90.0)
        self.assertEqual(shirt.economic_currency_id, self.dkk)
        self.assertEqual(product.list_price, odoo_price)
        self.assertEqual(product.with_company(self.env.company).standard_price, 0.0)
        self.assertEqual(product.economic_currency_id, self.dkk)
        self.assertTrue(product.economic_prices_foreign)
        self.assertEqual((product.economic_sales_price, product.economic_cost_price), (70.0, 40.0))
        self.assertTrue(product.product_tmpl_id.economic_prices_foreign)
        customer = self.binding("customer", 3)
        self.assertEqual((customer.credit_limit, customer.balance), (50000.0, 1234.5))
        partner = customer.partner_id
        self.assertEqual(partner.credit_limit, 0.0)
        self.assertEqual(partner.economic_credit_limit, 50000.0)
        self.assertEqual(partner.economic_balance, 1234.5)
        self.assertEqual(partner.economic_currency_id, self.dkk)
        self.assertTrue(partner.economic_amounts_foreign)
        # the full pass says so in the log, once per entity, naming the amounts
        notes = self.logs(operation="skip", direction="pull").filtered(
            lambda l: "synced as USD amounts" in (l.message or "")
        )
        self.assertEqual(sorted(notes.mapped("entity")), ["customer", "product"])
        product_note = notes.filtered(lambda l: l.entity == "product").message
        for label in ("Sales Price", "Cost", "Recommended Price", "DKK", "USD"):
            self.assertIn(label, product_note)
        self.assertIn("Credit Limit", notes.filtered(lambda l: l.entity == "customer").message)
        self.assertEqual(notes.mapped("state"), ["done"] * 2)
        # read-first products: Odoo's own prices are not locked (e-conomic's are elsewhere)
        self.assertEqual(self.setting("product").strategy, "read_only")
        product.write({"list_price": odoo_price + 1})
        product.write({"list_price": odoo_price})
        # e-conomic changes its price: the binding follows, Odoo's price does not move
        self.edit("products", "1", salesPrice=75)
        self.edit("customers", 3, creditLimit=60000)
        self.backend.last_full_pass = fields.Datetime.now()  # an incremental pass
        result = self.run_pass()
        self.assertEqual(shirt.sales_price, 75.0)
        self.assertEqual(product.list_price, odoo_price)
        self.assertEqual(customer.credit_limit, 60000.0)
        self.assertEqual(partner.credit_limit, 0.0)
        # nothing flips back and forth: the passes after change nothing
        for _n in range(2):
            result = self.run_pass()
            self.assertEqual((result["updated"], result["pushed"]), (0, 0), result)
        self.assertEqual(shirt.sales_price, 75.0)

    def test_odoo_prices_are_never_sent_as_economic_amounts(self):
        self.backend.action_test_connection()
        self.run_pass()
        # products: push with updates; customers: push; Odoo changes its own prices and limits
        self.backend.write({"write_back": True, "product_push_updates": True})
        self.setting("product").write({"strategy": "newer_wins", "push": True})
        self.enable_push("economic_wins", entities=("customer",))
        shirt = self.product_binding("1")
        product = shirt.product_id
        # read-only no more: Odoo's price is Odoo's own (the e-conomic one is on the binding)
        product.write({"list_price": 555.0, "standard_price": 333.0})
        partner = self.binding("customer", 3).partner_id
        partner.credit_limit = 99999.0
        self.assertEqual(shirt.state, "synced", "a change of Odoo's price is nothing to push")
        self.assertEqual(self.binding("customer", 3).state, "synced")
        new = self.Partner.create(
            {"name": "Limited ApS", "customer_rank": 1, "credit_limit": 777.0}
        )
        self.clear_requests()
        self.run_pass()
        self.assertFalse(
            [r for r in self.requests_log() if r["method"] == "PUT"],
            "no product or customer was written back",
        )
        remote = self.remote("products", "1")
        self.assertEqual((float(remote["salesPrice"]), float(remote["costPrice"])), (70.0, 40.0))
        self.assertFalse(self.remote("customers", 3).get("creditLimit"))
        created = self.remote("customers", new.economic_customer_number)
        self.assertEqual(created["name"], "Limited ApS")
        self.assertFalse(created.get("creditLimit"), "Odoo's USD limit is not sent as DKK")
        self.assertEqual(product.list_price, 555.0)
        self.assertEqual(partner.credit_limit, 99999.0)

    def test_same_currency_syncs_prices(self):
        """An agreement keeping the company's currency syncs prices as before."""
        self.backend.base_currency = self.env.company.currency_id.name
        self.assertFalse(self.backend._economic_foreign_currency())
        self.edit("customers", 3, creditLimit=50000)
        self.run_pass()
        shirt = self.product_binding("1")
        self.assertEqual(shirt.product_id.list_price, 70.0)
        self.assertFalse(shirt.product_id.economic_prices_foreign)
        self.assertEqual(self.binding("customer", 3).partner_id.credit_limit, 50000.0)
        self.assertFalse(
            self.logs(operation="skip").filtered(lambda l: "USD amounts" in (l.message or ""))
        )
