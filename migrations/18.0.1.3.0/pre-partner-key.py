"""18.0.1.3.0: partner bindings keyed by text like every other binding (issue 16).

Earlier versions kept a partner binding's e-conomic number in an integer column
(``economic_number``) and computed the text key from it. The key is now stored
(``economic_key``, the column every binding has) and the number computed from it. Before the
module's tables are updated, and its unique constraint and index on the key are added, the key
column is filled from the number; the unique constraint and index on the number go (the
number column stays, computed from the key).
"""

from odoo.tools import sql

TABLE = "economic_partner_binding"


def migrate(cr, version):
    if not version or not sql.column_exists(cr, TABLE, "economic_number"):
        return
    if not sql.column_exists(cr, TABLE, "economic_key"):
        sql.create_column(cr, TABLE, "economic_key", "VARCHAR")
    cr.execute(
        """
        UPDATE economic_partner_binding
           SET economic_key = economic_number::text
         WHERE economic_key IS NULL AND COALESCE(economic_number, 0) != 0
        """
    )
    cr.execute(
        "ALTER TABLE economic_partner_binding "
        "DROP CONSTRAINT IF EXISTS economic_partner_binding_number_uniq"
    )
    sql.drop_index(cr, "economic_partner_binding_top_number_uniq", TABLE)
    sql.drop_index(cr, sql.make_index_name(TABLE, "economic_number"), TABLE)
