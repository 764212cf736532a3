"""18.0.1.5.0: one scheduled action per connection (issue 19).

Earlier versions ran every connection's pass, one after another, in one scheduled action,
``economic_sync.ir_cron_economic_sync`` ("e-conomic: run sync passes"). Each connection now has
its own (``economic.backend.cron_id``), created for the existing connections by the module's
data (``_ensure_defaults_all``, which runs on every update, before this script). The single
action is removed here: kept, it would run every connection's pass a second time beside its own
action. Its data record was ``noupdate``, so the update alone would keep it.
"""

from odoo import SUPERUSER_ID, api

OLD_CRON = "economic_sync.ir_cron_economic_sync"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["economic.backend"]._ensure_defaults_all()
    cron = env.ref(OLD_CRON, raise_if_not_found=False)
    if not cron:
        return
    action = cron.ir_actions_server_id
    cron.unlink()
    action.unlink()
