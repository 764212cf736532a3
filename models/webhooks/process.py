"""Webhook events processed: a targeted pull of exactly the named records, through the engine.

The scheduled action (woken by the controller) runs ``_process_webhook_events`` for each
connection with pending events, under the connection's lock (a pass running: they wait for the
next run). Per batch of events and per type: events of an entity whose pull or auto is off (or
that does not sync) are recorded as not processed; a renumbering re-keys the binding first; the
named records are pulled by the entity's module (``_economic_pull_keys``: same merge, same log
as a pass); a record e-conomic no longer has is archived; an "everything of this type" event
runs the normal pass of the entities its declaration relates (``WebhookEvent.related``). A
failure stays on the events with e-conomic's message.
"""

import logging
from collections import defaultdict

from odoo import api, fields, models

from ...economic_client import EconomicError
from ..economic_sync_state import PassState
from .const import ALL_KEY, BATCH

_logger = logging.getLogger(__name__)
EVENT = "economic.webhook.event"
KEEP_DAYS = 30


class EconomicSyncEngineWebhooks(models.AbstractModel):
    _inherit = "economic.sync.engine"

    @api.model
    def _process_webhook_events(self, backend):
        """Process ``backend``'s pending events, batch by batch (a commit each). Returns the
        number processed, or None when a pass holds the connection."""
        backend = backend.sudo()
        done = 0
        with self._pass_lock(backend) as locked:
            if not locked:
                return None
            while True:
                events = self._claim_events(backend)
                if not events:
                    break
                self._process_event_batch(backend, events)
                done += len(events)
                self._commit_action()
        self._forget_old_events(backend)
        return done

    def _claim_events(self, backend):
        """The next batch of pending events, marked *processing* in a READ COMMITTED
        transaction of its own (committed at once): a request arriving meanwhile for the same
        record records a new pending event instead of waiting for (or breaking) this
        transaction. Events left *processing* by a crash are taken again (the connection's
        lock is held: no other processor runs)."""
        Event = self.env[EVENT].sudo()
        query = (
            "UPDATE economic_webhook_event SET state = 'processing' WHERE id IN ("
            " SELECT id FROM economic_webhook_event WHERE backend_id = %s"
            " AND state IN ('pending', 'processing') ORDER BY id LIMIT %s"
            " FOR UPDATE SKIP LOCKED) RETURNING id"
        )
        if self._economic_test_mode():
            Event.flush_model()
            self.env.cr.execute(query, [backend.id, BATCH])
            ids = [row[0] for row in self.env.cr.fetchall()]
            Event.invalidate_model(["state"])
            return Event.browse(sorted(ids))
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            cr.execute(query, [backend.id, BATCH])
            ids = [row[0] for row in cr.fetchall()]
        # a new snapshot of this transaction: it sees the claim
        self.env.cr.commit()
        self.env.invalidate_all()
        return Event.browse(sorted(ids))

    def _process_event_batch(self, backend, events):
        by_type = defaultdict(lambda: self.env[EVENT])
        for event in events:
            by_type[event.event_type] |= event
        declared = self.env[EVENT]._economic_event_types()
        for event_type, batch in by_type.items():
            event_decl = declared.get(event_type)
            why = self._event_refusal(backend, event_decl and event_decl.entity)
            if why:
                batch.write(
                    {"state": "ignored", "message": why, "processed_at": fields.Datetime.now()}
                )
                continue
            try:
                self._process_entity_events(backend, event_decl, batch)
            except EconomicError as error:
                batch.write(
                    {
                        "state": "failed",
                        "message": self._error_text(backend, error),
                        "processed_at": fields.Datetime.now(),
                    }
                )

    def _event_refusal(self, backend, entity):
        """Why events of ``entity`` (None: a type no module declares) are not processed, or
        False."""
        if entity not in self._available_entities():
            return self.env._("This entity does not sync yet: the event is kept, not processed.")
        setting = backend._entity_setting(entity)
        if not setting or not (setting.pull and setting.auto):
            return self.env._(
                "Pull or Auto of this entity is off on the connection: not processed."
            )
        return False

    def _process_entity_events(self, backend, event_decl, events):
        """Process ``events`` of one type (``event_decl``: its ``WebhookEvent``)."""
        entity = event_decl.entity
        everything = events.filtered(lambda e: e.key == ALL_KEY)
        if everything:
            # a burst beyond the queue's cap: the entity's normal (incremental) pass
            result = self._run_pass_locked(backend, event_decl.pass_entities(), False)
            events.write(
                {
                    "state": "done" if result.get("state") != "failed" else "failed",
                    "message": self.env._("A pass of the whole entity: %s", result.get("state")),
                    "processed_at": fields.Datetime.now(),
                }
            )
            return
        module = self._entity_module(entity)
        renames = {e.old_key: e.key for e in events if e.old_key and e.old_key != e.key}
        keys = sorted(set(events.mapped("key")))
        with backend._get_client() as client:
            state = PassState(self, backend, client)
            reached = module._economic_pull_keys(state, entity, keys, renames)
            state.flush_logs()
        now = fields.Datetime.now()
        for event in events:
            record = reached.get(event.key)
            event.write(
                {
                    "state": "done",
                    "processed_at": now,
                    "res_model": record._name if record else False,
                    "res_id": record.id if record else False,
                    "record_name": record.display_name if record else False,
                    "message": False
                    if record
                    else self.env._("Nothing to pull: see the sync log for this number."),
                }
            )

    def _forget_old_events(self, backend):
        limit = fields.Datetime.subtract(fields.Datetime.now(), days=KEEP_DAYS)
        self.env[EVENT].sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("state", "!=", "pending"),
                ("received_at", "<", limit),
            ]
        ).unlink()
