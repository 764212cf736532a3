"""Partners keyed by text like every binding (issue 16): the stored key, the number computed
from it, the one re-key helper of renumbered records, log lines through one helper, and the
update of a database of 18.0.1.2.0 (the key filled from the number)."""

import importlib.util
from pathlib import Path

import psycopg2

from odoo.tests import tagged
from odoo.tools import mute_logger, sql

from ..models.economic_sync_state import PassState
from .sync_common import SyncCase

TABLE = "economic_partner_binding"
MIGRATION = Path(__file__).parent.parent / "migrations" / "18.0.1.3.0" / "pre-partner-key.py"


def load_migration():
    spec = importlib.util.spec_from_file_location("economic_sync_pre_partner_key", MIGRATION)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


@tagged("post_install", "-at_install")
class TestPartnerKey(SyncCase):
    def keys(self):
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id, economic_key FROM economic_partner_binding WHERE backend_id = %s",
            (self.backend.id,),
        )
        return dict(self.env.cr.fetchall())

    def test_key_is_stored_and_the_number_follows_it(self):
        self.run_pass(entities=["customer", "customer_contact"])
        binding = self.binding("customer", 3)
        self.assertEqual(binding.economic_key, "3")
        self.assertEqual(binding.economic_number, 3)
        contact = self.env["economic.partner.binding"].search(
            [("backend_id", "=", self.backend.id), ("parent_binding_id", "!=", False)], limit=1
        )
        self.assertTrue(contact)
        self.assertEqual(contact.economic_number, int(contact.economic_key))
        binding.with_context(economic_sync_write=True).economic_key = "3003"
        self.assertEqual(binding.economic_number, 3003)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT economic_number FROM economic_partner_binding WHERE id = %s", (binding.id,)
        )
        self.assertEqual(self.env.cr.fetchone()[0], 3003)
        # a top-level key is bound once per connection and kind
        with (
            self.assertRaises(psycopg2.IntegrityError),
            mute_logger("odoo.sql_db"),
            self.env.cr.savepoint(),
        ):
            self.env["economic.partner.binding"].create(
                {
                    "backend_id": self.backend.id,
                    "kind": "customer",
                    "partner_id": self.Partner.create({"name": "Twin"}).id,
                    "economic_key": "3003",
                }
            )
            self.env.flush_all()

    def test_rekey_leaves_a_key_bound_to_another_record(self):
        """A renumber onto a key another binding holds changes nothing (that binding is the
        record now at the key); the others follow, each with its bind line, counted."""
        self.run_pass(entities=["customer"])
        two, three, four = (self.binding("customer", n) for n in (2, 3, 4))
        state = PassState(self.engine, self.backend, None)
        done = self.env["economic.sync.partner"]._economic_rekey(
            state,
            "customer",
            [("backend_id", "=", self.backend.id), ("kind", "=", "customer")],
            {"3": "4", "2": "2002"},
        )
        self.assertEqual(done, two)
        self.assertEqual(
            (two.economic_key, three.economic_key, four.economic_key), ("2002", "3", "4")
        )
        self.assertEqual(state.counts["bound"], 1)
        self.assertEqual(len(state.logs), 1)
        line = state.logs[0]
        self.assertEqual(
            (line["operation"], line["economic_key"], line["res_id"], line["binding_res_id"]),
            ("bind", "2002", two.partner_id.id, two.id),
        )
        self.assertEqual(line["message"], "Renumbered in e-conomic from 2 to 2002: re-bound.")

    def test_log_record_reads_nothing_it_is_given(self):
        """Batch code passes the name and key it has: a line costs no query."""
        self.run_pass(entities=["customer"])
        binding = self.binding("customer", 3)
        state = PassState(self.engine, self.backend, None)
        self.env.invalidate_all()
        partner = self.env["res.partner"].browse(binding.partner_id.id)
        binding = self.env["economic.partner.binding"].browse(binding.id)
        with self.assertQueryCount(0):
            state.log_record(
                "customer", "create", partner, binding, record_name="Given", economic_key="3"
            )
        self.assertEqual(
            {k: state.logs[0][k] for k in ("res_model", "res_id", "record_name", "economic_key")},
            {
                "res_model": "res.partner",
                "res_id": partner.id,
                "record_name": "Given",
                "economic_key": "3",
            },
        )

    def test_migration_fills_the_key_from_the_number(self):
        """Update from 18.0.1.2.0: the key column is made and filled from the number before
        the update adds the unique constraint and index on the key; those on the number go."""
        self.run_pass(entities=["customer", "customer_contact"])
        before = self.keys()
        self.assertTrue(before and all(before.values()))
        Binding = self.env["economic.partner.binding"]
        self.assertTrue(
            Binding.search([("id", "in", list(before)), ("parent_binding_id", "!=", False)])
        )
        cr = self.env.cr
        # the table as 18.0.1.2.0 left it: the number, no key, unique on the number
        cr.execute("ALTER TABLE economic_partner_binding DROP COLUMN economic_key")
        sql.add_constraint(
            cr,
            TABLE,
            "economic_partner_binding_number_uniq",
            "unique(backend_id, kind, parent_binding_id, economic_number)",
        )
        cr.execute(
            """CREATE UNIQUE INDEX economic_partner_binding_top_number_uniq
                   ON economic_partner_binding (backend_id, kind, economic_number)
                WHERE parent_binding_id IS NULL"""
        )
        cr.execute(
            "CREATE INDEX economic_partner_binding__economic_number_index "
            "ON economic_partner_binding (economic_number)"
        )
        self.env.invalidate_all()
        migration = load_migration()
        migration.migrate(cr, None)  # a new install: nothing to do
        self.assertFalse(sql.column_exists(cr, TABLE, "economic_key"))
        migration.migrate(cr, "18.0.1.2.0")
        self.assertEqual(self.keys(), before)
        self.assertFalse(
            sql.constraint_definition(cr, TABLE, "economic_partner_binding_number_uniq")
        )
        self.assertFalse(sql.index_exists(cr, "economic_partner_binding_top_number_uniq"))
        self.assertFalse(sql.index_exists(cr, "economic_partner_binding__economic_number_index"))
        # the update then adds the key's constraint and index: the filled keys hold them
        for name, definition, _message in Binding._sql_constraints:
            if not sql.constraint_definition(cr, TABLE, "%s_%s" % (TABLE, name)):
                sql.add_constraint(cr, TABLE, "%s_%s" % (TABLE, name), definition)
        Binding.init()
        self.assertTrue(sql.index_exists(cr, "economic_partner_binding_top_key_uniq"))
        migration.migrate(cr, "18.0.1.2.0")  # run twice: the same
        self.assertEqual(self.keys(), before)
        self.env.invalidate_all()
        self.assertEqual(self.binding("customer", 3).economic_key, "3")
