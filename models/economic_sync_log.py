import json
import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .economic_binding_mixin import with_backend_company as _with_backend_company

_logger = logging.getLogger(__name__)

#: the list shows the first line of a message, cut at this length
MESSAGE_SHORT_LENGTH = 120
#: values a failure refreshes on the open line of its record
_REFRESHED = ("message", "fields_touched", "old_values", "new_values")


def _identities(vals, primary=False):
    """What a log line is about: ``(res_model, res_id)`` when it names an Odoo record, its
    e-conomic key, else its record name; a line about nothing (a pass) is ``("none",)``.
    ``primary`` gives the first only (the identity of a failed line); otherwise a success
    closes the failures known by its Odoo record as well as those known by its key."""
    found = []
    if vals.get("res_id"):
        found.append(("res", vals.get("res_model") or False, vals["res_id"]))
    if vals.get("economic_key"):
        found.append(("key", str(vals["economic_key"])))
    if not found and vals.get("record_name"):
        found.append(("name", vals["record_name"]))
    if not found:
        found.append(("none",))
    return found[:1] if primary else found


def _scope(vals):
    """Lines of one connection, entity and direction (a failure adds its operation)."""
    return (vals.get("backend_id"), vals.get("entity") or False, vals.get("direction") or False)


def _record_scope(vals, identity):
    """A record of one connection and entity: a success closes its failures of either
    direction (a pull that went through after a failed push, or the other way round, leaves
    the record in sync)."""
    return (vals.get("backend_id"), vals.get("entity") or False, identity)


def _line_vals(line):
    return {
        "backend_id": line.backend_id.id,
        "entity": line.entity,
        "direction": line.direction,
        "operation": line.operation,
        "res_model": line.res_model,
        "res_id": line.res_id,
        "economic_key": line.economic_key,
        "record_name": line.record_name,
    }


class EconomicSyncLog(models.Model):
    """One operation of the sync: what was created, updated, skipped or failed.

    A failing record has one open line (state ``failed``): its next failures update it
    (``count``, ``last_seen``, latest message) and its next success closes it (``resolved``);
    a replay replaces it (``replayed``)."""

    _name = "economic.sync.log"
    _description = "e-conomic Sync Log"
    _order = "create_date desc, id desc"
    _rec_name = "record_name"

    backend_id = fields.Many2one(
        "economic.backend", string="Connection", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="backend_id.company_id", store=True)
    entity = fields.Selection(selection="_selection_entity", index=True)
    direction = fields.Selection([("pull", "Pull"), ("push", "Push")])
    operation = fields.Selection(
        [
            ("create", "Create"),
            ("update", "Update"),
            ("bind", "Bind"),
            ("skip", "Skip"),
            ("conflict", "Conflict"),
            ("error", "Error"),
            ("archive", "Archive"),
        ],
        required=True,
        index=True,
    )
    state = fields.Selection(
        [
            ("done", "Done"),
            ("failed", "Failed"),
            ("resolved", "Resolved"),
            ("replayed", "Replayed"),
        ],
        required=True,
        default="done",
        index=True,
        help="Failed: an open problem. Resolved: a later sync of the record went through. "
        "Replayed: replayed by hand, successfully.",
    )
    res_model = fields.Char(string="Odoo Model")
    res_id = fields.Many2oneReference(model_field="res_model", string="Odoo Record")
    record_name = fields.Char(string="Record")
    economic_key = fields.Char(string="e-conomic Key")
    fields_touched = fields.Char(help="The synced fields, as the sync names them.")
    fields_touched_label = fields.Char(
        string="Fields",
        compute="_compute_fields_touched_label",
        help="The synced fields as the user knows them (the Odoo field's label, else the "
        "e-conomic property in words).",
    )
    old_values = fields.Text()
    new_values = fields.Text()
    message = fields.Text()
    message_short = fields.Char(
        string="Message Summary", compute="_compute_message_short", store=True
    )
    count = fields.Integer(
        default=1, help="How many times this happened (a failure repeated updates its line)."
    )
    last_seen = fields.Datetime(default=fields.Datetime.now, help="When it last happened.")
    #: the binding the line is about, of any entity
    binding_model = fields.Char(string="Binding Model")
    binding_res_id = fields.Many2oneReference(model_field="binding_model", string="Binding")

    @api.model
    def _selection_entity(self):
        """The declared entities (one record of each), and the pass as a whole."""
        return self.env["economic.sync.engine"]._entity_selection(one=True) + [
            ("pass", self.env._("Pass"))
        ]

    @api.depends("fields_touched", "entity", "backend_id", "res_model")
    @api.depends_context("lang")
    def _compute_fields_touched_label(self):
        """Each synced field (an e-conomic property) by the label of the Odoo field its
        connection's mapping names, else in words: one read of the mappings for all lines."""
        Mapping = self.env["economic.field.mapping"]
        lines = self.filtered("fields_touched")
        (self - lines).fields_touched_label = False
        if not lines:
            return
        mapped = {
            (row["backend_id"][0], row["entity"], row["economic_property"]): row["odoo_field"]
            for row in Mapping.sudo()
            .with_context(active_test=False)
            .search_read(
                [("backend_id", "in", lines.backend_id.ids)],
                ["backend_id", "entity", "economic_property", "odoo_field"],
            )
        }
        for line in lines:
            model = Mapping._economic_model(line.entity)
            model = line.res_model if line.res_model in self.env else model and model._name
            labels = []
            for name in (n.strip() for n in line.fields_touched.split(",")):
                key = (line.backend_id.id, line.entity, name)
                if not name:
                    continue
                labels.append(Mapping._economic_label(model, mapped.get(key), name))
            line.fields_touched_label = ", ".join(labels)

    @api.depends("message")
    def _compute_message_short(self):
        for line in self:
            line.message_short = self._summary(line.message)

    @staticmethod
    def _summary(message):
        first = next((s.strip() for s in (message or "").splitlines() if s.strip()), "")
        if len(first) > MESSAGE_SHORT_LENGTH:
            first = first[: MESSAGE_SHORT_LENGTH - 1].rstrip() + "…"
        return first or False

    @api.model_create_multi
    def create(self, vals_list):
        return super().create(_with_backend_company(self.env, vals_list))

    # ------------------------------------------------------------------ writing lines
    def _create_safe(self, vals_list):
        """Write a batch of log lines; never raises and loses no line (a broken log line must
        not stop a pass).

        A failure of a record that already has an open failed line (same connection, entity,
        direction, operation and record) updates that line instead of adding a copy; a success
        of a record closes its open failed lines (``resolved``). One search for the batch.
        A line may point at a binding that a rolled-back savepoint removed: the pointer is
        dropped, the line kept. Should the batch still fail, lines are created one by one."""
        if not vals_list:
            return self.browse()
        vals_list = [dict(vals) for vals in vals_list]
        self._drop_lost_bindings(vals_list)
        try:
            with self.env.cr.savepoint():
                return self._write_batch(vals_list)
        except Exception:  # noqa: BLE001 - logging must never break the sync
            _logger.warning(
                "e-conomic: could not write %d sync log lines at once; writing them one by one",
                len(vals_list),
            )
        lines = self.browse()
        for vals in vals_list:
            try:
                with self.env.cr.savepoint():
                    lines |= self.sudo().create(vals)
            except Exception:  # noqa: BLE001
                _logger.exception("e-conomic: could not write a sync log line")
        return lines

    def _drop_lost_bindings(self, vals_list):
        by_model = {}
        for vals in vals_list:
            if vals.get("binding_res_id"):
                by_model.setdefault(vals["binding_model"], set()).add(vals["binding_res_id"])
        existing = {
            (model, res_id)
            for model, ids in by_model.items()
            for res_id in self.env[model].sudo().browse(ids).exists().ids
        }
        for vals in vals_list:
            if vals.get("binding_res_id") and (
                (vals["binding_model"], vals["binding_res_id"]) not in existing
            ):
                vals.update(binding_res_id=False, binding_model=False)

    def _write_batch(self, vals_list):
        """Merge the batch into the open failed lines; returns the lines written."""
        Log = self.sudo()
        now = fields.Datetime.now()
        replay = self._replay_line()
        index = _OpenIndex(self._open_failed(vals_list) | replay)
        new, updates, closing = [], {}, Log.browse()
        for vals in vals_list:
            if vals.get("state") == "failed":
                key = self._failure_key(vals, replay)
                target = index.target(key)
                if target is None:
                    vals.update(count=vals.get("count") or 1, last_seen=now)
                    new.append(vals)
                    index.add(key, vals)
                elif isinstance(target, dict):
                    self._merge_failure(target, target.get("count") or 1, vals, now)
                else:
                    count = updates.get(target.id, {}).get("count") or target.count
                    updates[target.id] = self._merge_failure({}, count, vals, now, target)
                continue
            if vals.get("operation") != "skip" and _identities(vals)[0] != ("none",):
                for target in index.pop_record(vals):
                    if isinstance(target, dict):
                        target["state"] = "resolved"
                    else:
                        closing |= target
            vals.setdefault("last_seen", now)
            vals.setdefault("count", 1)  # every defaulted field given: no default_get per line
            new.append(vals)
        updated = Log.browse(list(updates))
        for line in updated:
            line.write(updates[line.id])
        if closing:
            closing.write({"state": "resolved"})
        for vals in new:
            # given with the values (a computed field given on create is not recomputed): the
            # summary goes in with the row instead of a second UPDATE of every batch
            vals["message_short"] = self._summary(vals.get("message"))
        return Log.create(new) | updated

    @staticmethod
    def _merge_failure(target, count, vals, now, line=None):
        """The values of an open line after one more failure ``vals``."""
        target.update({name: vals.get(name) or False for name in _REFRESHED})
        target.update(count=count + 1, last_seen=now)
        if vals.get("binding_res_id"):
            target.update(
                binding_model=vals["binding_model"],
                binding_res_id=vals["binding_res_id"],
            )
        elif line is None:
            target.update(binding_model=False, binding_res_id=False)
        if vals.get("record_name"):
            target["record_name"] = vals["record_name"]
        return target

    def _failure_key(self, vals, replay):
        """The open line a failure belongs to: its scope, operation and record; while a line
        is replayed, a failure of the replayed record belongs to that line."""
        identity = _identities(vals, primary=True)[0]
        if replay and _scope(vals)[:2] == _scope(_line_vals(replay))[:2]:
            replayed = _identities(_line_vals(replay), primary=True)[0]
            if replayed in _identities(vals):
                return _OpenIndex.key_of(replay)
        return _scope(vals) + (vals.get("operation"), identity)

    def _replay_line(self):
        line_id = self.env.context.get("economic_replay_line")
        if not line_id:
            return self.sudo().browse()
        return self.sudo().browse(line_id).exists().filtered(lambda l: l.state == "failed")

    def _open_failed(self, vals_list):
        """The open failed lines the batch may touch: one search."""
        backends = {vals.get("backend_id") for vals in vals_list}
        entities = {vals.get("entity") or False for vals in vals_list}
        domain = [
            ("backend_id", "in", list(backends)),
            ("state", "=", "failed"),
            ("entity", "in", list(entities)),
        ]
        identities = {i for vals in vals_list for i in _identities(vals)}
        if ("none",) not in identities:
            res_ids = [i[2] for i in identities if i[0] == "res"]
            keys = [i[1] for i in identities if i[0] == "key"]
            names = [i[1] for i in identities if i[0] == "name"]
            domain += [
                "|",
                "|",
                ("res_id", "in", res_ids),
                ("economic_key", "in", keys),
                ("record_name", "in", names),
            ]
        return self.sudo().search(domain)

    @api.model
    def _log_pass_failure(self, backend, message):
        """The failed line of a pass that could not finish (counted in the Errors)."""
        return self._create_safe(
            [
                {
                    "backend_id": backend.id,
                    "entity": "pass",
                    "operation": "error",
                    "state": "failed",
                    "message": message,
                }
            ]
        )

    @api.model
    def _close_open(self, backend, entity, res_model, res_ids=None, economic_keys=None):
        """Close (``resolved``) the open failed lines of records that synced fine without a
        log line: by Odoo record (``res_model`` + ``res_ids``) and/or by e-conomic key, any
        operation and either direction (a record in sync has no open problem, whichever way
        the sync that failed went). With neither (both None), the lines about no record (a
        failed pass). One search, one write; returns the closed lines."""
        backend_id = backend.id if isinstance(backend, models.BaseModel) else backend
        wanted = set()
        for res_id in res_ids or ():
            wanted.add(("res", res_model or False, res_id))
        for key in economic_keys or ():
            wanted.add(("key", str(key)))
        if res_ids is None and economic_keys is None:
            wanted.add(("none",))
        if not wanted:
            return self.browse()
        domain = [
            ("backend_id", "=", backend_id),
            ("entity", "=", entity or False),
            ("state", "=", "failed"),
        ]
        if ("none",) not in wanted:
            domain += [
                "|",
                ("res_id", "in", list(res_ids or ())),
                ("economic_key", "in", [str(k) for k in economic_keys or ()]),
            ]
        lines = (
            self.sudo()
            .search(domain)
            .filtered(lambda l: wanted.intersection(_identities(_line_vals(l))))
        )
        if lines:
            lines.write({"state": "resolved"})
        return lines

    @staticmethod
    def _json(values):
        if not values:
            return False
        return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)

    # ------------------------------------------------------------------ actions
    def _check_economic_manager(self, message):
        """Replaying writes to e-conomic: e-conomic managers only (buttons and RPC alike)."""
        if not (self.env.su or self.env.user.has_group("economic_sync.group_economic_manager")):
            raise AccessError(message)

    def action_replay(self):
        """Re-run the sync of the records of the failed lines, now. A line replayed fine
        becomes ``replayed``; a line failing again is updated (count, last seen, message)."""
        self._check_economic_manager(
            self.env._("Only e-conomic managers can replay sync log lines.")
        )
        self.check_access("read")
        failed = self.filtered(lambda line: line.state == "failed")
        if not failed:
            raise UserError(self.env._("Only failed lines can be replayed."))
        engine = self.env["economic.sync.engine"]
        done, failed_again = self.browse(), []
        for line in failed:
            count = line.count
            ok, message = engine.with_context(economic_replay_line=line.id)._replay_log_line(line)
            line.invalidate_recordset()
            if ok and not (line.state == "failed" and line.count > count):
                done |= line
                continue
            # a failure of the record during the replay updated the line (even if the engine
            # wrote its log lines before it could tell): the replay failed
            failed_again.append(message if not ok else line.message)
            if line.state == "failed" and line.count == count:
                # nothing was logged about the record itself: the line says why
                line.sudo().write(
                    {
                        "count": count + 1,
                        "last_seen": fields.Datetime.now(),
                        "message": message or line.message,
                    }
                )
        if done:
            done.sudo().write({"state": "replayed"})
        return self._replay_notification(len(done), failed_again)

    def _replay_notification(self, done, failed_again):
        if failed_again:
            message = self.env._(
                "%(done)s replayed, %(failed)s still failing: %(first)s",
                done=done,
                failed=len(failed_again),
                first=failed_again[0] or "",
            )
            kind = "warning"
        else:
            message = self.env._("%(done)s replayed.", done=done)
            kind = "success"
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Replay"),
                "message": message,
                "type": kind,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model and self.res_id):
            return False
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }


class _OpenIndex:
    """The open failed lines of a batch (existing records, or values about to be created):
    by failure key ``(backend, entity, direction, operation, identity)`` for the failures
    that update them, and by ``(backend, entity, identity)`` for the successes that close
    them, whatever their direction (a line is found by each of its identities: Odoo record
    and key)."""

    def __init__(self, lines):
        self.by_key = {}
        self.by_record = {}
        for line in lines:
            self.add(self.key_of(line), line)

    @staticmethod
    def key_of(line):
        vals = _line_vals(line)
        return _scope(vals) + (vals["operation"], _identities(vals, primary=True)[0])

    def add(self, key, target):
        self.by_key.setdefault(key, []).append(target)
        vals = target if isinstance(target, dict) else _line_vals(target)
        for identity in _identities(vals):
            self.by_record.setdefault(_record_scope(vals, identity), set()).add(key)

    def target(self, key):
        """Where a new failure goes: the open line of its key (the newest), or None."""
        targets = self.by_key.get(key)
        return targets[0] if targets else None

    def pop_record(self, vals):
        """Every open failure that the success ``vals`` closes (its record: any operation,
        either direction)."""
        closed = []
        for identity in _identities(vals):
            for key in self.by_record.pop(_record_scope(vals, identity), ()):
                closed += self.by_key.pop(key, [])
        return closed
