"""18.0.1.2.0: mappings a Danish accountant can trust (issue 15 §1).

Earlier versions mapped e-conomic accounts to the Odoo account of the same number whatever it
was (e-conomic 7010 Købsmoms onto Odoo's 7010 "Provisions for deferred taxes"). The automatic
mappings of every connection are made again the new way (by role first, equal numbers only
where kinds and names agree, never across kinds; e-conomic's standard VAT codes to the Danish
chart's taxes); the ones made by hand are kept. Every mapping that changed gets a line in the
connection's sync log (and the server log), saying what it was and why it went. What needs
e-conomic (the journals' contra accounts) is mapped by the next pass.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    backends = env["economic.backend"].with_context(active_test=False).search([])
    for backend in backends:
        backend._rerun_ledger_mapping(
            reason=env._(
                "Update 18.0.1.2.0: the automatic mappings were made again (never across "
                "kinds, by role first)."
            )
        )
