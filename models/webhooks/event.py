"""``economic.webhook.event``: one webhook from e-conomic, waiting for its targeted pull.

Rows are written by the public controller in SQL (one INSERT in its own short READ COMMITTED
transaction: a burst never locks what a pass uses); an identical pending event is not
recorded twice (a partial unique index), and beyond ``QUEUE_CAP`` pending events of a type one
"everything of this type" event stands for the rest. The scheduled action processes them
(``process.py``). Processed events are kept 30 days.
"""

from odoo import api, fields, models

from .const import ALL_KEY, EVENT_SELECTION, EVENT_TYPES, QUEUE_CAP

EVENT_STATES = [
    ("pending", "Received"),
    ("done", "Processed"),
    ("failed", "Failed"),
    ("ignored", "Not Processed"),
]


class EconomicWebhookEvent(models.Model):
    _name = "economic.webhook.event"
    _description = "e-conomic Webhook Event"
    _order = "id desc"
    _rec_name = "key"

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    event_type = fields.Selection(EVENT_SELECTION, required=True)
    key = fields.Char(
        string="Number", required=True, help="The record's (new) number; * for everything."
    )
    old_key = fields.Char(string="Old Number")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    processed_at = fields.Datetime()
    state = fields.Selection(EVENT_STATES, default="pending", required=True, index=True)
    message = fields.Text()
    res_model = fields.Char(string="Record Model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Record")
    record_name = fields.Char(string="Record Reached")

    def init(self):
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS economic_webhook_event_pending_uniq "
            "ON economic_webhook_event (backend_id, event_type, key, COALESCE(old_key, '')) "
            "WHERE state = 'pending'"
        )

    # ------------------------------------------------------------------ receiving
    @api.model
    def _record(self, backend_id, event_type, key, old_key):
        """Record one event of a request (SQL; the caller's cursor is READ COMMITTED and
        commits): merged with an identical pending one, capped per type; wakes the scheduled
        action when it adds a row. Returns whether a row was added."""
        cr = self.env.cr
        cr.execute(
            "SELECT count(*) FROM (SELECT 1 FROM economic_webhook_event WHERE backend_id = %s "
            "AND event_type = %s AND state = 'pending' LIMIT %s) AS q",
            [backend_id, event_type, QUEUE_CAP],
        )
        if cr.fetchone()[0] >= QUEUE_CAP:
            key = old_key = ALL_KEY
        cr.execute(
            """
            INSERT INTO economic_webhook_event
                (backend_id, company_id, event_type, key, old_key, state, received_at,
                 create_date, write_date)
            SELECT id, company_id, %s, %s, %s, 'pending', now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM economic_backend WHERE id = %s
            ON CONFLICT (backend_id, event_type, key, COALESCE(old_key, ''))
               WHERE state = 'pending' DO NOTHING
            RETURNING id
            """,
            [event_type, key, old_key, backend_id],
        )
        added = bool(cr.fetchall())
        cr.execute(
            """
            INSERT INTO economic_webhook_stat (backend_id, event_type, received, last_received_at)
            VALUES (%s, %s, 1, now() AT TIME ZONE 'UTC')
            ON CONFLICT (backend_id, event_type)
            DO UPDATE SET received = economic_webhook_stat.received + 1,
                          last_received_at = EXCLUDED.last_received_at
            """,
            [backend_id, event_type],
        )
        if added:
            self._wake(cr)
        return added

    @api.model
    def _wake(self, cr):
        """Wake the scheduled action soon, once: a trigger row unless one is already due."""
        cron = self.env.ref("economic_sync.ir_cron_economic_sync", raise_if_not_found=False)
        if not cron:
            return
        cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s "
            "AND call_at <= (now() AT TIME ZONE 'UTC') + interval '1 minute' LIMIT 1",
            [cron.id],
        )
        if not cr.fetchone():
            cron._trigger()

    # ------------------------------------------------------------------ actions
    def _entity(self):
        self.ensure_one()
        return EVENT_TYPES[self.event_type][2]

    def action_replay(self):
        """Process these events again (failed or not processed ones)."""
        self.env["economic.sync.engine"]._check_manager(self.env._("replay webhook events"))
        events = self.filtered(lambda e: e.state in ("failed", "ignored"))
        events.write({"state": "pending", "message": False, "processed_at": False})
        for backend in events.backend_id:
            self.env["economic.sync.engine"]._process_webhook_events(backend)
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }


class EconomicWebhookStat(models.Model):
    """How many webhook requests of a type a connection received, and the last one (written
    by the controller alone: never a lock a pass waits for)."""

    _name = "economic.webhook.stat"
    _description = "e-conomic Webhook Requests"

    _sql_constraints = [
        ("type_uniq", "unique(backend_id, event_type)", "One row per connection and type."),
    ]

    backend_id = fields.Many2one("economic.backend", required=True, ondelete="cascade")
    event_type = fields.Selection(EVENT_SELECTION, required=True)
    received = fields.Integer()
    last_received_at = fields.Datetime()
