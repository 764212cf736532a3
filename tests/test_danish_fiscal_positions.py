"""A Danish company's VAT zones and Odoo's Danish fiscal positions (issue 15 §1): mapped by
themselves, set by hand and kept; pulled partners get their zone's fiscal position; a partner's
fiscal position gives the zone pushed, and e-conomic's zone moves it; a pushed invoice's zone
from its own fiscal position."""

from odoo import Command
from odoo.tests import tagged

from .danish_common import DanishChartCase, run_migration
from .sync_common import SyncCase


@tagged("post_install", "-at_install")
class TestDanishFiscalPositions(DanishChartCase):
    def remote_zone(self, partner):
        record = self.remote("customers", partner.economic_customer_number)
        return record["vatZone"]["vatZoneNumber"]

    def test_vat_zones_map_to_the_danish_fiscal_positions(self):
        self.assertEqual(self.zone(1).fiscal_position_id, self.fp_domestic)
        self.assertEqual(self.zone(2).fiscal_position_id, self.fp_eu)
        self.assertEqual(self.zone(3).fiscal_position_id, self.fp_abroad)
        # "Domestic exempt VAT": Odoo's Danish chart has no fiscal position of its own
        self.assertEqual(self.zone(4).vat_scope, "domestic")
        self.assertFalse(self.zone(4).fiscal_position_id)
        self.assertFalse(self.zone(1).fiscal_position_manual)

    def test_mappings_set_by_hand_are_kept(self):
        self.zone(1).fiscal_position_id = self.fp_abroad
        self.zone(2).fiscal_position_id = False
        self.assertTrue(self.zone(1).fiscal_position_manual and self.zone(2).fiscal_position_manual)
        self.backend.action_refresh_references()
        self.run_pass()
        self.assertEqual(self.zone(1).fiscal_position_id, self.fp_abroad)
        self.assertFalse(self.zone(2).fiscal_position_id)
        # pulled with the mapping as the user chose it
        self.assertEqual(self.position(self.partner("customer", 1)), self.fp_abroad)
        self.assertFalse(self.position(self.partner("customer", 2)))

    def test_pulled_partners_get_the_fiscal_position_of_their_zone(self):
        self.run_pass()
        nordic = self.partner("customer", 4)
        self.assertEqual(self.position(nordic), self.fp_eu)
        self.assertEqual(self.binding("customer", 4).vat_zone_id, self.zone(2))
        self.assertEqual(self.position(self.partner("customer", 2)), self.fp_eu)
        self.assertEqual(self.position(self.partner("customer", 1)), self.fp_domestic)
        self.assertEqual(self.position(self.partner("customer", 5)), self.fp_abroad)
        self.assertEqual(self.position(self.partner("supplier", 25)), self.fp_domestic)
        self.assertEqual(self.position(self.partner("supplier", 27)), self.fp_eu)
        # the zone without a fiscal position: on the binding only
        kommunen = self.partner("customer", 6)
        self.assertFalse(self.position(kommunen))
        self.assertEqual(self.binding("customer", 6).vat_zone_id, self.zone(4))
        # the fiscal position Odoo applies to the EU company's invoices is the one pulled
        Position = self.env["account.fiscal.position"].with_company(self.company)
        self.assertEqual(Position._get_fiscal_position(nordic), self.fp_eu)
        # a second and third pass, push on, write nothing: a zone and its fiscal position
        # are one
        self.enable_push("economic_wins")
        for _round in range(2):
            self.clear_requests()
            self.run_pass()
            self.assertFalse(self.writes("/customers") + self.writes("/suppliers"))

    def test_pushed_partners_zone_from_their_fiscal_position(self):
        self.run_pass()
        self.enable_push("economic_wins")
        danish = self.Partner.create(
            {
                "name": "Ny Kunde ApS",
                "customer_rank": 1,
                "is_company": True,
                "country_id": self.env.ref("base.dk").id,
                "vat": "DK25313704",
            }
        )
        # a Danish company selling under the EU fiscal position: its zone is the EU's
        odd = self.Partner.create(
            {
                "name": "Grænsehandel ApS",
                "customer_rank": 1,
                "is_company": True,
                "country_id": self.env.ref("base.dk").id,
                "vat": "DK21647608",
                "property_account_position_id": self.fp_eu.id,
            }
        )
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(self.remote_zone(danish), 1)
        self.assertEqual(self.remote_zone(odd), 2)
        # the domestic zone's fiscal position, which e-conomic gave the new customer
        self.assertEqual(self.position(danish), self.fp_domestic)
        self.assertEqual(self.position(odd), self.fp_eu)
        self.clear_requests()
        self.run_pass()
        self.assertFalse(self.writes("/customers"), "nothing pushed twice")

    def test_fiscal_position_changed_in_odoo_moves_the_zone(self):
        self.run_pass()
        self.enable_push("economic_wins")
        customer = self.partner("customer", 1)
        customer.with_company(self.company).property_account_position_id = self.fp_abroad
        self.assertEqual(self.binding("customer", 1).state, "pending")
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(self.remote("customers", 1)["vatZone"]["vatZoneNumber"], 3)
        self.assertEqual(self.binding("customer", 1).vat_zone_id, self.zone(3))
        # and e-conomic's change of zone moves the fiscal position
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": 1, "changes": {"vatZone": {"vatZoneNumber": 2}}},
        )
        self.run_pass()
        self.assertEqual(self.position(customer), self.fp_eu)
        # to the zone without a fiscal position: the one of another zone is cleared
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": 1, "changes": {"vatZone": {"vatZoneNumber": 4}}},
        )
        self.clear_requests()
        self.run_pass()
        self.assertFalse(self.position(customer))
        self.assertEqual(self.binding("customer", 1).vat_zone_id, self.zone(4))
        self.clear_requests()
        self.run_pass()
        self.assertFalse(self.writes("/customers"))

    def test_connections_of_earlier_versions_get_the_fiscal_position_mapping(self):
        zones = self.backend.field_mapping_ids.filtered(
            lambda m: m.economic_property == "vatZone.vatZoneNumber"
        )
        self.assertEqual(len(zones), 2)  # customers and suppliers
        zones.write({"odoo_field": False})
        self.env.flush_all()
        run_migration(self.env, "post-partner-vat-zone.py")
        self.assertEqual(set(zones.mapped("odoo_field")), {"property_account_position_id"})
        self.registry.clear_cache()
        self.run_pass()
        self.assertEqual(self.position(self.partner("customer", 1)), self.fp_domestic)


@tagged("post_install", "-at_install")
class TestDanishInvoiceZone(DanishChartCase):
    def setUp(self):
        super().setUp()
        self.run_pass(entities=["customer", "product"])
        self.journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(self.company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        self.backend.write(
            {"write_back": True, "invoice_push_journal_ids": [Command.set(self.journal.ids)]}
        )
        self.setting("invoice").write({"push": True, "strategy": "economic_wins"})
        self.shirt = (
            self.env["economic.product.binding"]
            .search([("backend_id", "=", self.backend.id), ("economic_key", "=", "1")])
            .product_id
        )
        self.shirt.taxes_id = self.chart.ref("tax_s1")

    def invoice(self, partner, position=None):
        vals = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "journal_id": self.journal.id,
            "invoice_date": "2026-11-20",
            "invoice_line_ids": [
                Command.create({"product_id": self.shirt.id, "quantity": 2, "price_unit": 100.0})
            ],
        }
        if position:
            vals["fiscal_position_id"] = position.id
        move = self.env["account.move"].create(vals)
        move.action_post()
        return move

    def test_pushed_invoice_takes_its_zone_from_its_fiscal_position(self):
        domestic = self.invoice(self.partner("customer", 1))
        eu = self.invoice(self.partner("customer", 2))
        # the invoice's own fiscal position wins over the customer's zone
        moved = self.invoice(self.partner("customer", 1), position=self.fp_eu)
        self.assertEqual(eu.fiscal_position_id, self.fp_eu)
        self.assertEqual(eu.amount_tax, 0.0)  # Odoo's EU sale: 0 %
        self.assertEqual(domestic.amount_tax, 50.0)
        result = self.run_pass(entities=["invoice"])
        self.assertEqual(result["state"], "done", result)
        with self.backend._get_client() as client:
            for move, zone in ((domestic, 1), (eu, 2), (moved, 2)):
                binding = self.env["economic.invoice.binding"].search([("move_id", "=", move.id)])
                draft = client.invoices.drafts.get(binding.draft_number)
                self.assertEqual(draft["recipient"]["vatZone"]["vatZoneNumber"], zone, move.name)

    def test_one_vat_zone_rule_for_drafts_and_new_partners(self):
        """The one choice of a zone (``economic.sync.entity._economic_vat_zone``, used by the
        drafts and by new customers): the fiscal position's zone (the binding's own first
        where several share it), else the binding's zone, else the connection's zone of the
        country; no zone: an error asking for the connection's zones."""
        from ..engine.adapters import MissingMapping
        from ..models.economic_sync_state import PassState

        self.zone(4).fiscal_position_id = self.fp_domestic  # zones 1 and 4 share it
        state = PassState(self.env["economic.sync.engine"], self.backend, None)
        choose = self.env["economic.sync.entity"]._economic_vat_zone
        eu_customer, kommunen = self.binding("customer", 2), self.binding("customer", 6)
        self.assertEqual(
            (eu_customer.vat_zone_id, kommunen.vat_zone_id), (self.zone(2), self.zone(4))
        )
        customer = eu_customer.partner_id
        self.assertEqual(choose(state, customer, self.fp_abroad, eu_customer), 3)
        self.assertEqual(choose(state, customer, self.fp_domestic, kommunen), 4, "its own")
        self.assertEqual(choose(state, customer, self.fp_domestic, eu_customer), 1, "the first")
        self.assertEqual(choose(state, customer, None, eu_customer), 2, "the binding's zone")
        # a new partner: by country
        Partner = self.env["res.partner"]
        new = {
            code: Partner.new({"name": code or "-", "country_id": code and self.env.ref(code).id})
            for code in ("base.dk", "base.de", "base.us", False)
        }
        self.assertEqual(
            [choose(state, partner) for partner in new.values()], [1, 2, 3, 1], "DK, DE, US, none"
        )
        # no zone of the connection for the country
        self.backend.vat_zone_eu_id = False
        with self.assertRaisesRegex(MissingMapping, r"^Choose the VAT zones .* under Defaults\.$"):
            choose(state, new["base.de"])
        eu_customer.with_context(economic_sync_write=True).vat_zone_id = False
        customer.country_id = self.env.ref("base.de")
        with self.assertRaisesRegex(MissingMapping, "the customer .* has none in e-conomic"):
            choose(state, customer, None, eu_customer)


@tagged("post_install", "-at_install")
class TestFiscalPositionsWithoutTheDanishChart(SyncCase):
    """A company without Odoo's Danish chart: a zone maps to the company's fiscal position of
    its name, else to the only one of its scope; where several fit, the user chooses."""

    def test_zones_map_by_name_else_by_scope_where_only_one_fits(self):
        Position = self.env["account.fiscal.position"]
        company = self.env.company
        Position.search(Position._check_company_domain(company)).active = False
        europe = self.env.ref("base.europe")
        domestic, _private_dk, _eu_b2b, _eu_b2c, world = Position.create(
            [
                {"name": "Domestic", "country_id": company.country_id.id},
                {"name": "Denmark (private)", "country_id": company.country_id.id},
                {"name": "EU (companies)", "country_group_id": europe.id},
                {"name": "EU (private)", "country_group_id": europe.id},
                {"name": "Rest of the world"},
            ]
        )
        zones = self.env["economic.reference"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "vat_zone")]
        )
        zones.with_context(economic_sync_write=True).fiscal_position_id = False
        self.backend.action_refresh_references()
        by_number = {zone.number: zone.fiscal_position_id for zone in zones}
        self.assertEqual(by_number["1"], domestic, "by name, though two fit the scope")
        self.assertFalse(by_number["2"], "two EU fiscal positions: the user chooses")
        self.assertEqual(by_number["3"], world, "the only one of its scope")
        self.assertFalse(by_number["4"], "Domestic exempt VAT: not the zone of its scope")
