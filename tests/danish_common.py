"""Common set-up of the Danish company tests: a company of its own with Odoo's Danish chart,
taxes and fiscal positions loaded the real way, connected to the sandbox's demo agreement."""

import importlib.util
from pathlib import Path

from odoo import Command

from .sync_common import SyncCase

#: this version's migration scripts
MIGRATIONS = Path(__file__).parent.parent / "migrations" / "18.0.1.2.0"


def run_migration(env, name):
    """Run one of this version's migration scripts on the test database, as an update from
    the version before would."""
    spec = importlib.util.spec_from_file_location("economic_sync_migration", MIGRATIONS / name)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    env.flush_all()
    migration.migrate(env.cr, "18.0.1.1.0")
    env.invalidate_all()


class DanishChartCase(SyncCase):
    """A company of its own in Denmark, in DKK, with ``l10n_dk``'s chart loaded by
    ``try_loading`` (the test database has ``l10n_dk`` installed: module operations are not
    allowed inside tests), connected to the sandbox."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        dkk = cls.env.ref("base.DKK")
        dkk.active = True
        company = cls.env["res.company"].create(
            {
                "name": "Dansk Cykel ApS",
                "currency_id": dkk.id,
                "country_id": cls.env.ref("base.dk").id,
            }
        )
        cls.env.user.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[company.id]))
        cls.env["account.chart.template"].try_loading("dk", company, install_demo=False)
        cls.company = company
        cls.chart = cls.env["account.chart.template"].with_company(company)
        cls.fp_domestic = cls.chart.ref("fiscal_position_template_dk_vat")
        cls.fp_eu = cls.chart.ref("fiscal_position_template_eu_taxid")
        cls.fp_abroad = cls.chart.ref("fiscal_position_template_3lande")
        cls.backend.unlink()
        cls.backend = cls.env["economic.backend"].create(cls._backend_vals(company_id=company.id))

    def zone(self, number):
        return self.env["economic.reference"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("kind", "=", "vat_zone"),
                ("number", "=", str(number)),
            ]
        )

    def position(self, partner):
        return partner.with_company(self.company).property_account_position_id

    def writes(self, path):
        return [
            r
            for r in self.requests_log()
            if r["method"] in ("POST", "PUT") and r["path"].startswith(path)
        ]
