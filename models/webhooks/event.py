"""``economic.webhook.event``: one webhook from e-conomic, waiting for its targeted pull.

Rows are written by the public controller in SQL (one INSERT in its own short READ COMMITTED
transaction: a burst never locks what a pass uses); an identical pending event is not
recorded twice (a partial unique index), and beyond ``QUEUE_CAP`` pending events of a type one
"everything of this type" event stands for the rest. The scheduled action processes them
(``process.py``). Processed events are kept 30 days. The event types are the entity modules'
declarations (``_economic_webhooks``), read once per registry (``_economic_event_types``).
"""

from odoo import api, fields, models, tools

from .const import ALL_KEY, QUEUE_CAP

EVENT_STATES = [
    ("pending", "Received"),
    ("processing", "Processing"),
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
    event_type = fields.Selection(selection="_selection_event_type", required=True)
    key = fields.Char(
        string="Number", required=True, help="The record's (new) number; * for everything."
    )
    old_key = fields.Char(string="Old Number")
    received_at = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    hits = fields.Integer(
        string="Requests", default=1, help="Identical requests merged into this event."
    )
    last_received_at = fields.Datetime(string="Last Received")
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

    # ------------------------------------------------------------------ event types
    @api.model
    @tools.ormcache()
    def _economic_event_types(self):
        """``{type: WebhookEvent}``: the event types the entity modules declare
        (``_economic_webhooks``), in the order they are listed. Built once per registry from
        the modules' classes (no query): a request reads it for free."""
        declared = [
            event
            for module in self.env["economic.sync.engine"]._entity_modules()
            for event in module._economic_webhooks
        ]
        return {event.type: event for event in sorted(declared, key=lambda e: e.sequence)}

    @api.model
    @tools.ormcache()
    def _economic_event_segments(self):
        """``{URL segment: WebhookEvent}`` (the public controller's dispatch)."""
        return {event.segment: event for event in self._economic_event_types().values()}

    @api.model
    def _selection_event_type(self):
        return [
            (event.type, self.env._(event.label)) for event in self._economic_event_types().values()
        ]

    # ------------------------------------------------------------------ receiving
    @api.model
    def _record(self, backend_id, event_type, key, old_key):
        """Record one event of a request (SQL; the caller's cursor is READ COMMITTED and
        commits): an identical pending event counts one more request; beyond the cap, one
        "everything of this type" event stands for the new ones; a new row wakes the
        scheduled action. Returns whether a row was added. Only the event rows are written:
        no row every request updates (requests never queue behind each other's commits)."""
        cr = self.env.cr
        if self._hit(cr, backend_id, event_type, key, old_key):
            return False
        cr.execute(
            "SELECT count(*) FROM (SELECT 1 FROM economic_webhook_event WHERE backend_id = %s "
            "AND event_type = %s AND state = 'pending' LIMIT %s) AS q",
            [backend_id, event_type, QUEUE_CAP],
        )
        if cr.fetchone()[0] >= QUEUE_CAP:
            key = old_key = ALL_KEY
            if self._hit(cr, backend_id, event_type, key, old_key):
                return False
        cr.execute(
            """
            INSERT INTO economic_webhook_event
                (backend_id, company_id, event_type, key, old_key, state, hits,
                 received_at, last_received_at, create_date, write_date)
            SELECT id, company_id, %s, %s, %s, 'pending', 1, now() AT TIME ZONE 'UTC',
                   now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
              FROM economic_backend WHERE id = %s
            ON CONFLICT (backend_id, event_type, key, COALESCE(old_key, ''))
               WHERE state = 'pending' DO NOTHING
            RETURNING id
            """,
            [event_type, key, old_key, backend_id],
        )
        added = bool(cr.fetchall())
        if added:
            self._wake(cr, backend_id)
        else:  # a twin inserted meanwhile
            self._hit(cr, backend_id, event_type, key, old_key)
        return added

    @api.model
    def _hit(self, cr, backend_id, event_type, key, old_key):
        """One more request for an identical pending event, if there is one."""
        cr.execute(
            "UPDATE economic_webhook_event SET hits = hits + 1, "
            "last_received_at = now() AT TIME ZONE 'UTC' "
            "WHERE backend_id = %s AND event_type = %s AND key = %s "
            "AND COALESCE(old_key, '') = %s AND state = 'pending' RETURNING id",
            [backend_id, event_type, key, old_key or ""],
        )
        return bool(cr.fetchall())

    @api.model
    def _wake(self, cr, backend_id):
        """Wake the connection's scheduled action soon, once: a trigger row unless one is
        already due (the other connections' actions are left alone)."""
        cr.execute("SELECT cron_id FROM economic_backend WHERE id = %s", [backend_id])
        row = cr.fetchone()
        if not row or not row[0]:
            return
        cr.execute(
            "SELECT 1 FROM ir_cron_trigger WHERE cron_id = %s "
            "AND call_at <= (now() AT TIME ZONE 'UTC') + interval '1 minute' LIMIT 1",
            [row[0]],
        )
        if not cr.fetchone():
            self.env["ir.cron"].sudo().browse(row[0])._trigger()

    # ------------------------------------------------------------------ actions
    def _entity(self):
        self.ensure_one()
        event = self._economic_event_types().get(self.event_type)
        return event.entity if event else False

    def action_replay(self):
        """Process these events again (failed or not processed ones)."""
        self.env["economic.sync.engine"]._check_manager(self.env._("replay webhook events"))
        events = self.filtered(lambda e: e.state in ("failed", "ignored"))
        waiting = {
            (e.backend_id.id, e.event_type, e.key, e.old_key or "")
            for e in self.search(
                [("state", "=", "pending"), ("backend_id", "in", events.backend_id.ids)]
            )
        }
        # an identical event waiting already stands for it
        events = events.filtered(
            lambda e: (e.backend_id.id, e.event_type, e.key, e.old_key or "") not in waiting
        )
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
