"""The customer/supplier/contact engine against the sandbox subprocess (docs/SYNC.md §2-§7)."""

from odoo.tests import tagged

from .sync_common import SyncCase


@tagged("post_install", "-at_install")
class TestSyncPartners(SyncCase):
    # ------------------------------------------------------------------ pull
    def test_initial_pull_creates_partners_contacts_and_suppliers(self):
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        customer = self.partner("customer", 1)
        self.assertEqual(customer.name, "Tøj & Co Grossisten")
        self.assertEqual(customer.email, "info@tojco.example")
        # e-conomic's CVR: Odoo's VAT number with its country prefix, and the registry number
        self.assertEqual(customer.vat, "DK22001884")
        self.assertEqual(customer.company_registry, "22001884")
        self.assertEqual(customer.country_id, self.env.ref("base.dk"))
        self.assertEqual(customer.property_payment_term_id, self.term_of(1))
        self.assertTrue(customer.customer_rank)
        binding = self.binding("customer", 1)
        self.assertEqual(binding.group_id.number, "1")
        self.assertEqual(binding.currency_code, "DKK")
        self.assertEqual(binding.state, "synced")
        self.assertEqual(customer.economic_customer_number, 1)
        self.assertEqual(customer.economic_state, "synced")
        self.assertEqual(
            sorted(customer.child_ids.mapped("name")), ["Daphne Moon", "Frasier Crane"]
        )
        self.assertEqual(
            len(
                self.env["economic.partner.binding"].search(
                    [("kind", "=", "customer_contact"), ("parent_binding_id", "=", binding.id)]
                )
            ),
            2,
        )
        supplier = self.partner("supplier", 25)
        self.assertEqual(supplier.name, "Sylvest og Co")
        self.assertTrue(supplier.supplier_rank)
        self.assertEqual(supplier.child_ids.name, "Søren Sylvest")
        self.assertEqual(len(self.logs(operation="create", entity="customer")), 7)
        # a second pass rewrites nothing
        self.clear_requests()
        writes = self.logs(operation="update")
        self.run_pass()
        self.assertEqual(self.logs(operation="update"), writes)

    def test_stale_pull_does_not_clobber_local_edit(self):
        self.run_pass()
        partner = self.partner("customer", 3)
        with self.backend._get_client() as client:
            stale = client.customers.get(3)  # fetched before the local edit
        partner.phone = "+45 11 22 33 44"
        binding = self.binding("customer", 3)
        self.assertEqual(binding.state, "pending")
        with self.backend._get_client() as client:
            from ..models.economic_sync_state import PassState

            state = PassState(self.engine, self.backend, client)
            self.env["economic.sync.partner"]._sync_bound(
                state, state.adapters["customer"], binding, None, stale
            )
        self.assertEqual(partner.phone, "+45 11 22 33 44")
        self.assertEqual(binding.state, "pending")  # waits for push, base unchanged
        self.assertNotIn("telephoneAndFaxNumber", self.remote("customers", 3))

    def test_seed_scenario_phone_up_payment_terms_down(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.partner("customer", 3)
        partner.phone = "+45 70 70 70 70"  # the seller, in Odoo
        self.admin(
            "POST",
            "/edit",
            {
                "resource": "customers",
                "key": 3,
                "changes": {"paymentTerms": {"paymentTermsNumber": 2}},
            },
        )
        result = self.run_pass()
        self.assertEqual(result["state"], "done", result)
        self.assertEqual(partner.property_payment_term_id, self.term_of(2))
        self.assertEqual(partner.phone, "+45 70 70 70 70")
        remote = self.remote("customers", 3)
        self.assertEqual(remote["telephoneAndFaxNumber"], "+45 70 70 70 70")
        self.assertEqual(remote["paymentTerms"]["paymentTermsNumber"], 2)
        # the PUT carried the complete record: nothing else was cleared
        self.assertEqual(remote["ean"], "5790001234567")
        self.assertEqual(remote["corporateIdentificationNumber"], "31245672")
        self.assertEqual(self.binding("customer", 3).state, "synced")
        self.assertFalse(
            self.env["economic.sync.conflict"].search(
                [
                    ("binding_model", "=", "economic.partner.binding"),
                    ("binding_res_id", "=", self.binding("customer", 3).id),
                ]
            )
        )

    # ------------------------------------------------------------------ strategies
    def _conflict_on_city(self, strategy, clock_offset=None):
        self.run_pass()
        if strategy == "read_only":
            self.backend.write_back = True
            self.setting("customer").strategy = "read_only"
        else:
            self.enable_push(strategy)
        partner = self.partner("customer", 7)
        partner.city = "Odense Local"
        if clock_offset is not None:
            self.admin("POST", "/clock", {"offset_seconds": clock_offset})
        self.admin(
            "POST",
            "/edit",
            {"resource": "customers", "key": 7, "changes": {"city": "Odense Remote"}},
        )
        self.run_pass()
        conflict = self.env["economic.sync.conflict"].search(
            [
                ("binding_model", "=", "economic.partner.binding"),
                ("binding_res_id", "=", self.binding("customer", 7).id),
                ("field", "=", "city"),
            ]
        )
        self.assertEqual(len(conflict), 1)
        self.assertEqual(conflict.local_value, '"Odense Local"')
        self.assertEqual(conflict.remote_value, '"Odense Remote"')
        return partner, conflict

    def test_strategy_economic_wins_and_reverse(self):
        partner, conflict = self._conflict_on_city("economic_wins")
        self.assertEqual(conflict.decision, "remote")
        self.assertEqual(partner.city, "Odense Remote")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Remote")
        conflict.action_choose_local()
        self.assertEqual(conflict.state, "reversed")
        self.run_pass()
        self.assertEqual(partner.city, "Odense Local")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Local")

    def test_strategy_local_wins_and_reverse(self):
        partner, conflict = self._conflict_on_city("local_wins")
        self.assertEqual(conflict.decision, "local")
        self.assertEqual(partner.city, "Odense Local")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Local")
        conflict.action_choose_remote()
        self.run_pass()
        self.assertEqual(partner.city, "Odense Remote")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Remote")

    def test_strategy_newer_wins(self):
        # e-conomic's clock an hour behind: its change is older than the Odoo edit
        partner, conflict = self._conflict_on_city("newer_wins", clock_offset=-7200)
        self.assertEqual(conflict.decision, "local")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Local")
        conflict.action_choose_remote()
        self.run_pass()
        self.assertEqual(partner.city, "Odense Remote")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Remote")

    def test_strategy_newer_wins_remote_newer(self):
        partner, conflict = self._conflict_on_city("newer_wins", clock_offset=7200)
        self.assertEqual(conflict.decision, "remote")
        self.assertEqual(partner.city, "Odense Remote")

    def test_strategy_read_only(self):
        partner, conflict = self._conflict_on_city("read_only")
        self.assertEqual(conflict.decision, "remote")
        self.assertEqual(partner.city, "Odense Remote")
        conflict.action_choose_local()
        self.clear_requests()
        self.run_pass()
        # read_only never pushes: Odoo keeps the chosen value, e-conomic its own
        self.assertEqual(partner.city, "Odense Local")
        self.assertEqual(self.remote("customers", 7)["city"], "Odense Remote")
        self.assertEqual({r["method"] for r in self.requests_log()}, {"GET"})

    # ------------------------------------------------------------------ write-back off
    def test_write_back_off_sends_only_gets(self):
        self.run_pass()
        self.enable_push("local_wins")
        self.backend.write_back = False
        self.partner("customer", 3).phone = "+45 99 99 99 99"
        self.partner("customer", 1).child_ids[0].email = "new@contact.example"
        self.Partner.create({"name": "Brand New Customer", "customer_rank": 1})
        self.admin(
            "POST", "/edit", {"resource": "customers", "key": 2, "changes": {"city": "Gent"}}
        )
        self.clear_requests()
        self.run_pass(full=True)
        methods = {r["method"] for r in self.requests_log()}
        self.assertEqual(methods, {"GET"})
        self.assertEqual(self.partner("customer", 2).city, "Gent")
        self.assertEqual(self.binding("customer", 3).state, "pending")

    # ------------------------------------------------------------------ matching
    def test_matching_binds_existing_partner_by_email_and_cvr(self):
        by_email = self.Partner.create(
            {"name": "Nordic (Odoo)", "email": "ORDER@nordic.example", "is_company": True}
        )
        # the CVR with its country prefix, as Odoo's VAT number
        by_cvr = self.Partner.create(
            {"name": "Jensen (Odoo)", "vat": "DK31245672", "is_company": True}
        )
        # a CVR Odoo refuses as a VAT number is kept as the registry number
        by_registry = self.Partner.create(
            {"name": "Hansen (Odoo)", "company_registry": "12345678", "is_company": True}
        )
        self.run_pass()
        self.assertEqual(self.partner("customer", 4), by_email)
        self.assertEqual(self.partner("customer", 3), by_cvr)
        self.assertEqual(self.partner("customer", 7), by_registry)
        self.assertEqual(
            self.Partner.search_count([("email", "=ilike", "order@nordic.example")]), 1
        )
        self.assertTrue(self.logs(operation="bind", economic_key="4"))

    def test_push_matches_before_create(self):
        self.run_pass()
        self.enable_push("economic_wins")
        self.admin(
            "POST",
            "/create",
            {
                "resource": "customers",
                "record": {
                    "customerNumber": 500,
                    "name": "Only in e-conomic",
                    "currency": "DKK",
                    "customerGroup": {"customerGroupNumber": 1},
                    "paymentTerms": {"paymentTermsNumber": 1},
                    "vatZone": {"vatZoneNumber": 1},
                    "email": "only@remote.example",
                },
            },
        )
        local = self.Partner.create(
            {"name": "Only in e-conomic", "customer_rank": 1, "email": "only@remote.example"}
        )
        self.clear_requests()
        self.run_pass()
        self.assertFalse(
            [r for r in self.requests_log() if r["method"] == "POST" and r["path"] == "/customers"]
        )
        self.assertEqual(self.partner("customer", 500), local)
        self.assertEqual(
            len(
                [
                    c
                    for c in self.admin("GET", "/records/customers")
                    if c.get("email") == "only@remote.example"
                ]
            ),
            1,
        )

    def test_push_matches_by_cvr_and_email_with_or_filters(self):
        """e-conomic's $in: matches nothing on text (the sandbox behaves so): text keys are
        looked up with $or: chains, so a CVR typed with the country prefix and an e-mail
        among several in e-conomic's field still bind instead of duplicating."""
        self.run_pass()
        self.enable_push("economic_wins")
        base = {
            "currency": "DKK",
            "customerGroup": {"customerGroupNumber": 1},
            "paymentTerms": {"paymentTermsNumber": 1},
            "vatZone": {"vatZoneNumber": 1},
        }
        self.admin(
            "POST",
            "/create",
            {
                "resource": "customers",
                "record": dict(
                    base,
                    customerNumber=501,
                    name="CVR in e-conomic",
                    corporateIdentificationNumber="33445504",
                ),
            },
        )
        self.admin(
            "POST",
            "/create",
            {
                "resource": "customers",
                "record": dict(
                    base,
                    customerNumber=502,
                    name="Mails in e-conomic",
                    email="sales@mails.example bookkeeping@mails.example",
                ),
            },
        )
        by_cvr = self.Partner.create(
            {"name": "CVR Odoo", "customer_rank": 1, "vat": "DK33445504", "is_company": True}
        )
        by_email = self.Partner.create(
            {"name": "Mails Odoo", "customer_rank": 1, "email": "Bookkeeping@mails.example"}
        )
        # pull off: the pull would bind them first (it matches unbound remote records too)
        self.setting("customer").pull = False
        self.clear_requests()
        result = self.run_pass(entities=["customer"])
        self.assertEqual(result["state"], "done", result)
        self.assertFalse(
            [r for r in self.requests_log() if r["method"] == "POST" and r["path"] == "/customers"]
        )
        self.assertFalse(
            [
                r
                for r in self.requests_log()
                if "%24in%3A" in r["query"] and "customerNumber" not in r["query"]
            ]
        )
        self.assertEqual(self.partner("customer", 501), by_cvr)
        self.assertEqual(self.partner("customer", 502), by_email)
        self.assertTrue(self.logs(operation="bind", economic_key="501", direction="push"))

    def test_supplier_with_phone_pushes_without_phone_filter(self):
        """e-conomic cannot filter suppliers by phone: suppliers are matched on a full read
        (no filter request), so a supplier with a phone neither breaks the pass nor
        duplicates one that exists by phone."""
        self.run_pass()
        self.enable_push("economic_wins")
        self.admin(
            "POST",
            "/create",
            {
                "resource": "suppliers",
                "record": {
                    "supplierNumber": 91,
                    "name": "Phone Parts",
                    "currency": "DKK",
                    "supplierGroup": {"supplierGroupNumber": 1},
                    "paymentTerms": {"paymentTermsNumber": 1},
                    "vatZone": {"vatZoneNumber": 1},
                    "phone": "+45 70 70 70 70",
                },
            },
        )
        same = self.Partner.create(
            {
                "name": "Phone Parts (Odoo)",
                "supplier_rank": 1,
                "phone": "70707070",
                "is_company": True,
            }
        )
        new = self.Partner.create(
            {
                "name": "New Supplier ApS",
                "supplier_rank": 1,
                "phone": "+45 12 12 12 12",
                "is_company": True,
            }
        )
        self.setting("supplier").pull = False  # else the pull binds it first
        self.clear_requests()
        result = self.run_pass(entities=["supplier"])
        self.assertEqual(result["state"], "done", result)
        suppliers_gets = [
            r for r in self.requests_log() if r["method"] == "GET" and r["path"] == "/suppliers"
        ]
        self.assertTrue(suppliers_gets)
        self.assertFalse([r for r in suppliers_gets if "filter" in r["query"]])
        self.assertEqual(self.partner("supplier", 91), same)
        binding = self.env["economic.partner.binding"].search(
            [("partner_id", "=", new.id), ("kind", "=", "supplier")]
        )
        self.assertTrue(binding)
        self.assertEqual(
            self.remote("suppliers", binding.economic_number)["name"], "New Supplier ApS"
        )
        self.assertEqual(
            len(
                [
                    s
                    for s in self.admin("GET", "/records/suppliers")
                    if s["name"].startswith("Phone Parts")
                ]
            ),
            1,
        )

    def test_failed_key_lookup_skips_the_record_not_the_pass(self):
        """A matching key whose look-up fails (here: e-conomic refuses it) logs a per-record
        error for the partners it could have matched, which are not created (no duplicate),
        and the others go on."""
        self.run_pass()
        self.enable_push("economic_wins")
        self.sandbox.add_fault(
            "error",
            path="/customers",
            method="GET",
            status=400,
            message="Filtering is not allowed on property 'phone'.",
            filter_contains="telephoneAndFaxNumber",
            times=None,
        )
        with_phone = self.Partner.create(
            {"name": "Phone Only", "customer_rank": 1, "phone": "+45 99 88 77 66"}
        )
        plain = self.Partner.create({"name": "No Keys ApS", "customer_rank": 1})
        result = self.run_pass(entities=["customer"])
        self.assertEqual(result["state"], "partial", result)
        line = self.logs(res_id=with_phone.id, operation="error")
        self.assertIn("phone", line.message)
        self.assertFalse(with_phone.economic_binding_ids)
        self.assertTrue(plain.economic_binding_ids)

    def test_foreign_vat_does_not_match_an_unprefixed_cvr(self):
        # A US company's VAT 'US22001884' is not the Danish CVR '22001884' of customer 1, even
        # when the Odoo company itself is in the US: the agreement's country (Denmark) decides
        # what an unprefixed number means.
        self.env.company.country_id = self.env.ref("base.us")
        self.backend.agreement_country_id = self.env.ref("base.dk")
        lumber = self.Partner.create(
            {
                "name": "Lumber Inc",
                "vat": "US22001884",
                "customer_rank": 1,
                "country_id": self.env.ref("base.us").id,
            }
        )
        self.run_pass()
        self.assertNotEqual(self.partner("customer", 1), lumber)
        self.assertEqual(self.partner("customer", 1).vat, "DK22001884")
        self.assertEqual(lumber.name, "Lumber Inc")
        self.assertFalse(lumber.economic_binding_ids)

    def test_ambiguous_match_is_reported_not_guessed(self):
        first = self.Partner.create({"name": "Acme A", "email": "billing@acme.example"})
        second = self.Partner.create({"name": "Acme B", "email": "billing@acme.example"})
        self.run_pass()
        self.assertFalse(self.binding("customer", 5))
        line = self.logs(economic_key="5", operation="skip")
        self.assertEqual(line.state, "failed")
        self.assertIn("Acme A", line.message)
        self.assertIn("Acme B", line.message)
        self.assertEqual(self.Partner.search_count([("email", "=", "billing@acme.example")]), 2)
        self.assertFalse(first.customer_rank or second.customer_rank)

    # ------------------------------------------------------------------ creates
    def test_lost_create_response_makes_one_customer(self):
        self.run_pass()
        self.enable_push("economic_wins")
        partner = self.Partner.create(
            {
                "name": "Lost Answer ApS",
                "customer_rank": 1,
                "country_id": self.env.ref("base.dk").id,
            }
        )
        self.sandbox.add_fault("drop_after_commit", path="/customers", method="POST")
        self.run_pass()
        created = [
            c for c in self.admin("GET", "/records/customers") if c["name"] == "Lost Answer ApS"
        ]
        self.assertEqual(len(created), 1)
        binding = self.env["economic.partner.binding"].search(
            [("partner_id", "=", partner.id), ("kind", "=", "customer")]
        )
        self.assertEqual(binding.economic_number, created[0]["customerNumber"])
        posts = [
            r for r in self.requests_log() if r["method"] == "POST" and r["path"] == "/customers"
        ]
        self.assertEqual(len({r["idempotency_key"] for r in posts}), 1)
        # the connection's defaults: group, domestic VAT zone, terms, currency
        self.assertEqual(created[0]["vatZone"]["vatZoneNumber"], 1)
        self.assertEqual(created[0]["currency"], self.env.company.currency_id.name)

    def test_validation_errors_logged_others_sync_and_replay(self):
        self.run_pass()
        self.enable_push("economic_wins")
        too_long = self.Partner.create({"name": "X" * 300, "customer_rank": 1})
        fine = self.Partner.create({"name": "Fine Customer", "customer_rank": 1})
        result = self.run_pass()
        self.assertEqual(result["state"], "partial")
        line = self.logs(res_id=too_long.id, operation="error")
        self.assertEqual(line.state, "failed")
        self.assertIn("errorCode", line.message)
        self.assertIn("name", line.message)
        self.assertTrue(self.env["economic.partner.binding"].search([("partner_id", "=", fine.id)]))
        too_long.name = "Short Again"
        line.action_replay()
        self.assertEqual(line.state, "replayed")
        binding = self.env["economic.partner.binding"].search([("partner_id", "=", too_long.id)])
        self.assertEqual(self.remote("customers", binding.economic_number)["name"], "Short Again")

    def test_unknown_group_logged_and_replayed(self):
        self.run_pass()
        self.enable_push("economic_wins")
        binding = self.binding("customer", 7)
        good_group = binding.group_id
        binding.group_id = self.env["economic.reference"].create(
            {
                "backend_id": self.backend.id,
                "kind": "customer_group",
                "number": "99",
                "name": "Not in e-conomic",
            }
        )
        self.run_pass(entities=["customer"])
        line = self.logs(economic_key="7", operation="error")
        self.assertEqual(line.state, "failed")
        self.assertIn("customerGroup", line.message)
        self.assertIn("E06000", line.message)
        self.assertEqual(binding.state, "error")
        self.assertEqual(self.backend.error_log_count, 1)
        binding.group_id = good_group
        line.action_replay()
        self.assertEqual(line.state, "replayed")
        self.assertEqual(binding.state, "synced")
        self.assertEqual(
            self.remote("customers", 7)["customerGroup"]["customerGroupNumber"],
            int(good_group.number),
        )

    # ------------------------------------------------------------------ renumber, delete
    def test_renumbering_keeps_one_partner(self):
        self.run_pass()
        partner = self.partner("customer", 6)
        self.admin("POST", "/renumber", {"resource": "customers", "old": 6, "new": 60})
        self.run_pass()
        self.assertEqual(self.partner("customer", 60), partner)
        self.assertFalse(self.binding("customer", 6))
        self.assertEqual(self.binding("customer", 60).economic_number, 60)
        self.assertTrue(partner.active)
        self.assertEqual(self.Partner.search_count([("name", "=", partner.name)]), 1)
        # re-keyed by the entity base's one helper: its bind line, on the new key
        line = self.logs(operation="bind", economic_key="60")
        self.assertEqual(line.message, "Renumbered in e-conomic from 6 to 60: re-bound.")
        self.assertEqual(
            (line.res_id, line.binding_res_id), (partner.id, self.binding("customer", 60).id)
        )

    def test_deletion_archives(self):
        self.run_pass()
        partner = self.partner("customer", 4)
        self.admin("POST", "/delete", {"resource": "customers", "key": 4})
        self.run_pass()
        self.assertFalse(partner.active)
        self.assertTrue(partner.exists())
        self.assertTrue(self.logs(operation="archive", economic_key="4"))

    # ------------------------------------------------------------------ lock
    def test_two_passes_at_once_one_skips(self):
        from ..models.economic_sync_engine import LOCK_NAMESPACE

        # a first pass holds the connection's lock on its own cursor ...
        with self.registry.cursor() as cr2:
            cr2.execute(
                "SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, self.backend.id)
            )
            self.assertTrue(cr2.fetchone()[0])
            # ... so a second one started meanwhile skips, and sends nothing
            self.clear_requests()
            result = self.run_pass()
            self.assertEqual(result["state"], "skipped")
            self.assertFalse(self.requests_log())
            cr2.rollback()
        self.assertTrue(self.logs(operation="skip", entity="pass"))
        self.assertEqual(self.backend.last_pass_state, "skipped")
        self.assertEqual(self.run_pass()["state"], "done")

    # ------------------------------------------------------------------ contacts
    def test_contacts_both_ways(self):
        self.run_pass()
        self.enable_push("economic_wins")
        customer = self.partner("customer", 3)
        new_contact = self.Partner.create(
            {
                "name": "Mette Cykel",
                "parent_id": customer.id,
                "type": "contact",
                "email": "mette@cykler.example",
            }
        )
        supplier = self.partner("supplier", 26)
        new_sup_contact = self.Partner.create(
            {"name": "Ole Kontor", "parent_id": supplier.id, "type": "contact"}
        )
        frasier = self.partner("customer", 1).child_ids.filtered(
            lambda c: c.name == "Frasier Crane"
        )
        frasier.phone = "+45 22 22 22 22"
        with self.backend._get_client() as client:
            contact = client.customers.contacts(1).get(2)
            contact["email"] = "daphne@new.example"
            client.customers.contacts(1).replace(2, contact)
            soren = client.supplier_contacts.get(1)
            soren["name"] = "Søren Sylvest Jr."
            client.supplier_contacts.update(soren)
        self.run_pass(full=True)
        with self.backend._get_client() as client:
            contacts3 = {c["name"]: c for c in client.customers.contacts(3).list()}
            contacts1 = {c["name"]: c for c in client.customers.contacts(1).list()}
            sup26 = [c["name"] for c in client.suppliers.contacts(26)]
        self.assertIn("Mette Cykel", contacts3)
        self.assertEqual(contacts1["Frasier Crane"]["phone"], "+45 22 22 22 22")
        self.assertIn("Ole Kontor", sup26)
        self.assertTrue(new_contact.economic_binding_ids)
        self.assertTrue(new_sup_contact.economic_binding_ids)
        daphne = self.partner("customer", 1).child_ids.filtered(lambda c: c.name == "Daphne Moon")
        self.assertEqual(daphne.email, "daphne@new.example")
        self.assertEqual(self.partner("supplier", 25).child_ids.name, "Søren Sylvest Jr.")

    def test_supplier_and_customer_on_one_partner(self):
        self.admin(
            "POST",
            "/create",
            {
                "resource": "suppliers",
                "record": {
                    "supplierNumber": 90,
                    "name": "Tøj & Co Grossisten",
                    "currency": "DKK",
                    "supplierGroup": {"supplierGroupNumber": 1},
                    "paymentTerms": {"paymentTermsNumber": 1},
                    "vatZone": {"vatZoneNumber": 1},
                    "corporateIdentificationNumber": "22001884",
                },
            },
        )
        self.run_pass()
        customer = self.partner("customer", 1)
        self.assertEqual(self.partner("supplier", 90), customer)
        self.assertEqual(customer.economic_supplier_number, 90)
        self.assertTrue(customer.supplier_rank and customer.customer_rank)

    # ------------------------------------------------------------------ buttons
    def test_refresh_and_push_now_buttons(self):
        self.run_pass()
        partner = self.partner("customer", 2)
        self.admin("POST", "/edit", {"resource": "customers", "key": 2, "changes": {"zip": "1050"}})
        partner.action_economic_refresh()
        self.assertEqual(partner.zip, "1050")
        self.enable_push("economic_wins")
        partner.website = "https://decathlon.example"
        partner.action_economic_push()
        self.assertEqual(self.remote("customers", 2)["website"], "https://decathlon.example")
        self.assertTrue(
            self.partner("customer", 2).message_ids.filtered(
                lambda m: "Updated from e-conomic" in (m.body or "")
            )
        )
