"""Common set-up of the engine tests: a connection to the sandbox subprocess."""

from odoo import Command

from .common import EconomicSandboxCase


class SyncCase(EconomicSandboxCase):
    """A connection to the sandbox (demo seed); references read and payment terms mapped."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.country_id = cls.env.ref("base.dk")
        # The tests build their data on the sandbox's seed and assume no other customers or
        # suppliers in Odoo. Installed with demo data, Odoo has some (customer/supplier rank > 0,
        # with payment terms not mapped to e-conomic): with push on they would be pushed too and
        # log per-record errors (right for the product, noise for these tests). Take them out of
        # scope (inside the test transaction), so the tests pass with and without demo data.
        cls.env["res.partner"].with_context(active_test=False).search(
            ["|", ("customer_rank", ">", 0), ("supplier_rank", ">", 0)]
        ).write({"customer_rank": 0, "supplier_rank": 0})
        cls.backend = cls.env["economic.backend"].create(cls._backend_vals())
        cls.engine = cls.env["economic.sync.engine"]

    def setUp(self):
        super().setUp()
        self.backend.action_refresh_references()
        # one Odoo payment term per e-conomic payment terms: mapping is unambiguous
        terms = self.env["economic.reference"].search(
            [("backend_id", "=", self.backend.id), ("kind", "=", "payment_term")]
        )
        for ref in terms:
            ref.payment_term_id = self.env["account.payment.term"].create(
                {
                    "name": "E %s %s" % (ref.number, ref.name),
                    "line_ids": [
                        Command.create({"value": "percent", "value_amount": 100, "nb_days": 0})
                    ],
                }
            )
        # partners of the connection's company: shared ones (no company) are pushed to no
        # agreement unless the connection says so (push_shared_partners)
        self.Partner = self.env["res.partner"].with_context(
            active_test=False, default_company_id=self.env.company.id
        )

    # ------------------------------------------------------------------ helpers
    def admin(self, method, path, payload=None):
        return self.sandbox.admin(method, path, payload)

    def remote(self, resource, key):
        return self.admin("GET", "/records/%s/%s" % (resource, key))

    def requests_log(self):
        return self.admin("GET", "/requests")

    def clear_requests(self):
        self.admin("DELETE", "/requests")

    def run_pass(self, **kw):
        result = self.backend._run_pass(**kw)
        self.env.invalidate_all()
        return result

    def setting(self, entity):
        return self.backend._entity_setting(entity)

    def enable_push(
        self,
        strategy="economic_wins",
        entities=("customer", "supplier", "customer_contact", "supplier_contact"),
    ):
        self.backend.write_back = True
        for entity in entities:
            self.setting(entity).write({"strategy": strategy, "push": True})

    def binding(self, kind, number, parent=None):
        domain = [
            ("backend_id", "=", self.backend.id),
            ("kind", "=", kind),
            ("economic_key", "=", str(number)),
        ]
        if parent:
            domain.append(("parent_binding_id", "=", parent.id))
        return self.env["economic.partner.binding"].search(domain)

    def partner(self, kind, number):
        return self.binding(kind, number).partner_id

    def term_of(self, number):
        return (
            self.env["economic.reference"]
            .search(
                [
                    ("backend_id", "=", self.backend.id),
                    ("kind", "=", "payment_term"),
                    ("number", "=", str(number)),
                ]
            )
            .payment_term_id
        )

    def logs(self, **filters):
        domain = [("backend_id", "=", self.backend.id)]
        domain += [(k, "=", v) for k, v in filters.items()]
        return self.env["economic.sync.log"].search(domain)
