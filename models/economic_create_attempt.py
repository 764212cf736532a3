"""Creates in e-conomic that were asked for and not yet confirmed (docs/SYNC.md §5).

A create is stored here, with its Idempotency-Key, and committed *before* the request is sent.
The key is derived from the connection, the entity, the Odoo record and the attempt number, so a
pass that crashed or was killed after e-conomic created the record (but before Odoo committed
the binding) reaches the same key on the next pass and gets e-conomic's cached answer instead of
a second record. e-conomic replays the cached answer whatever it was, a refusal included: after a
refusal (4xx) the attempt number goes up, so a corrected record gets a fresh key. A confirmed
create removes its row; its binding is the lasting trace.
"""

import hashlib

from odoo import api, fields, models

#: e-conomic remembers an Idempotency-Key for about an hour (docs/ECONOMIC.md §7.3); past this age the
#: cached answer may be gone, so a pending create is looked for in e-conomic before it is sent
#: again
KEY_TTL_MINUTES = 50
#: client errors that are not a definitive refusal (the same key may be sent again)
RETRYABLE_4XX = (408, 429)


def is_refusal(error):
    """Whether e-conomic refused a create for good (a 4xx but timeout and rate limit): the
    next try needs a new key, since e-conomic replays a key's answer, a refusal included."""
    status = getattr(error, "status", None)
    return bool(status and 400 <= status < 500 and status not in RETRYABLE_4XX)


class EconomicCreateAttempt(models.Model):
    _name = "economic.create.attempt"
    _description = "e-conomic Create Attempt"
    _order = "id"
    _rec_name = "record_name"

    _sql_constraints = [
        (
            "record_uniq",
            "unique(backend_id, entity, res_model, res_id)",
            "One pending e-conomic create per record, entity and connection.",
        ),
    ]

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    entity = fields.Char(required=True)
    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    record_name = fields.Char(string="Record")
    attempt = fields.Integer(default=1, required=True)
    idempotency_key = fields.Char(required=True)
    state = fields.Selection(
        [("pending", "Sent, not confirmed"), ("refused", "Refused by e-conomic")],
        default="pending",
        required=True,
    )
    requested_at = fields.Datetime(required=True, default=fields.Datetime.now)

    @api.model
    def _key(self, backend, entity, res_model, res_id, attempt):
        """The Idempotency-Key of one attempt: the same inputs always give the same key."""
        uuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        raw = "economic_sync:%s:%s:%s:%s:%s:%s" % (
            uuid,
            backend.id,
            entity,
            res_model,
            res_id,
            attempt,
        )
        return "odoo-%s" % hashlib.sha256(raw.encode()).hexdigest()[:40]

    @api.model
    def _prepare(self, backend, entity, records, names=None):
        """The attempt rows of ``records`` (one model), created or renewed in one batch: an
        existing pending row keeps its key (the create may have happened); a refused one gets
        the next attempt number and a new key. ``names``: the name sent for each record id
        (found again by it if the key is forgotten). Returns ``{res_id: attempt}``."""
        if not records:
            return {}
        names = names or {}
        res_model = records._name
        existing = self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("entity", "=", entity),
                ("res_model", "=", res_model),
                ("res_id", "in", records.ids),
            ]
        )
        by_res = {a.res_id: a for a in existing}
        now = fields.Datetime.now()
        for attempt in existing.filtered(lambda a: a.state == "refused"):
            number = attempt.attempt + 1
            attempt.write(
                {
                    "attempt": number,
                    "state": "pending",
                    "requested_at": now,
                    "record_name": names.get(attempt.res_id) or attempt.record_name,
                    "idempotency_key": self._key(
                        backend, entity, res_model, attempt.res_id, number
                    ),
                }
            )
        new = [
            {
                "backend_id": backend.id,
                "company_id": backend.company_id.id,
                "entity": entity,
                "res_model": res_model,
                "res_id": record.id,
                "record_name": names.get(record.id) or record.display_name,
                "attempt": 1,
                "idempotency_key": self._key(backend, entity, res_model, record.id, 1),
                "requested_at": now,
            }
            for record in records
            if record.id not in by_res
        ]
        if new:
            for attempt in self.sudo().create(new):
                by_res[attempt.res_id] = attempt
        return by_res

    @api.model
    def _retire(self, backend, entity, record, after):
        """``record`` was created in e-conomic and what it became was withdrawn on purpose
        (deleted there by the sync): its next create must get a new Idempotency-Key, never
        e-conomic's replay of the old answer. Leaves a refused row numbered ``after`` (above
        every attempt of the record so far, e.g. the id of the withdrawn binding): the next
        ``_prepare`` sends attempt ``after + 1``."""
        self.sudo().search(
            [
                ("backend_id", "=", backend.id),
                ("entity", "=", entity),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        ).unlink()
        return self.sudo().create(
            {
                "backend_id": backend.id,
                "company_id": backend.company_id.id,
                "entity": entity,
                "res_model": record._name,
                "res_id": record.id,
                "record_name": record.display_name,
                "attempt": after,
                "idempotency_key": self._key(backend, entity, record._name, record.id, after),
                "state": "refused",
            }
        )

    def _is_fresh(self, now=None):
        """Whether e-conomic still remembers this attempt's key (see ``KEY_TTL_MINUTES``)."""
        self.ensure_one()
        now = now or fields.Datetime.now()
        return self.requested_at >= fields.Datetime.subtract(now, minutes=KEY_TTL_MINUTES)
