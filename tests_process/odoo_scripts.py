"""Pieces of the scripts the process tests run in ``odoo shell``."""

import json


def connection_script(info, company=None, name="e-conomic sandbox"):
    """Script lines creating a connection of ``company`` (default: the main company, made
    Danish) to the sandbox, tested, references read and Odoo payment terms created for
    e-conomic's, committed: ``backend`` holds it. (Another company keeps no country: giving
    one to a company without a chart of accounts installs its localisation.)"""
    if company is None:
        company = "env.ref('base.main_company')\ncompany.country_id = env.ref('base.dk')"
    return (
        "info = %s\n"
        "company = %s\n"
        "backend = env['economic.backend'].create({\n"
        "    'name': %r, 'company_id': company.id,\n"
        "    'rest_url': info['rest_url'], 'apis_url': info['apis_url'],\n"
        "    'app_secret_token': info['app_secret_token'],\n"
        "    'agreement_grant_token': info['agreement_grant_token']})\n"
        "backend.action_test_connection()\n"
        "assert backend.state == 'connected', backend.last_error\n"
        "backend.action_refresh_references()\n"
        "backend.reference_ids.action_create_odoo_payment_terms()\n"
        "env.cr.commit()\n" % (json.dumps(info), company, name)
    )


#: script lines: only the connections' scheduled actions are ready (the cron worker runs every
#: ready job; the others are moved to next year, their triggers dropped; the connections' own
#: triggers stay: they wake them), ``cron`` is the first connection's (the only one of most
#: tests), then ``run_cron()`` does what a cron worker thread does on each poll of the database
CRON_SCRIPT = """
import datetime
from odoo.addons.base.models.ir_cron import ir_cron as IrCron
crons = env['economic.backend'].with_context(active_test=False).search([], order='id').cron_id
cron = crons[:1]
later = datetime.datetime.now() + datetime.timedelta(days=365)
env['ir.cron'].search([('id', 'not in', crons.ids)]).write({'nextcall': later})
env['ir.cron.trigger'].search([('cron_id', 'not in', crons.ids)]).unlink()
env.cr.commit()

def run_cron():
    IrCron._process_jobs(env.cr.dbname)
    env.cr.rollback()  # a new snapshot: what the cron committed
    env.invalidate_all()

def cron_state(cron=cron):
    progress = env['ir.cron.progress'].search([('cron_id', '=', cron.id)], order='id')
    return {
        'progress': [[p.done, p.remaining] for p in progress],
        'nextcall_future': cron.nextcall > datetime.datetime.now(),
        'failure_count': cron.failure_count,
        'triggers': env['ir.cron.trigger'].search_count([('cron_id', '=', cron.id)]),
    }

def bindings(backend):
    groups = env['economic.partner.binding']._read_group(
        [('backend_id', '=', backend.id)], ['kind'], ['__count'])
    return dict(groups)
"""

#: the log line of each run of a connection's scheduled action
JOB_STARTED = r"Job 'e-conomic: [^']*' \(\d+\) starting"
