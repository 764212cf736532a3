"""Preview of the next push (docs/SYNC.md §9): what a pass would send to e-conomic.

The real push code runs, with a client that lets reads through and records every write instead
of sending it (answering a create as if e-conomic had made the record), inside a savepoint that
is rolled back: nothing is written on either side, and what it shows is what the push would do.
"""

import itertools

from odoo import api, models

from ..economic_client import resources
from ..economic_client.resources import Collection, OpenAPIResource
from .economic_sync_state import PassState

#: service methods that write to e-conomic
WRITE_METHODS = frozenset(["create", "replace", "update", "delete", "add_lines", "book"])
SERVICE_TYPES = (Collection, OpenAPIResource)
#: what a preview lists of the push's log lines
PREVIEW_OPERATIONS = ("create", "update", "bind", "error", "skip")


class _Rollback(Exception):
    pass


def _is_service(value):
    """A service of the client (a collection, or a group of them such as
    ``client.invoices``): its writes must be recorded, never sent."""
    if isinstance(value, SERVICE_TYPES):
        return True
    return not callable(value) and type(value).__module__ == resources.__name__


class RecordingClient:
    """A client (or one of its services) whose reads go to e-conomic and whose writes are
    recorded in ``sink`` and answered as if done: a create gets a provisional negative
    number."""

    def __init__(self, target, sink, numbers=None, keys=None):
        self._target = target
        self._sink = sink
        self._numbers = numbers if numbers is not None else itertools.count(1)
        #: the key properties of the records a create may make (the adapters' keys)
        self._keys = keys if keys is not None else set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __getattr__(self, name):
        attr = getattr(self._target, name)
        if name in WRITE_METHODS and callable(attr):
            return lambda *args, **kw: self._record(name, args, kw)
        if _is_service(attr):
            return RecordingClient(attr, self._sink, self._numbers, self._keys)
        if callable(attr):

            def call(*args, **kw):
                result = attr(*args, **kw)
                if _is_service(result):
                    return RecordingClient(result, self._sink, self._numbers, self._keys)
                return result

            return call
        return attr

    def _record(self, method, args, kw):
        data = kw.get("data")
        if data is None:
            data = next((a for a in args if isinstance(a, dict)), {})
        self._sink.append((getattr(self._target, "path", ""), method, data))
        if method != "create":
            return dict(data)
        number = -next(self._numbers)
        return dict(data, **{key: number for key in self._keys if not data.get(key)})


class EconomicSyncEnginePreview(models.AbstractModel):
    _inherit = "economic.sync.engine"

    @api.model
    def _preview_push(self, backend, entities=None):
        """What the next pass would send to e-conomic, as a list of
        ``{"entity", "operation", "res_model", "res_id", "record_name", "economic_key",
        "fields", "message"}``; nothing is written on either side.

        ``entities``: preview these entities as if their push (and write-back) were on;
        default: the entities whose push is switched on."""
        backend = backend.sudo()
        sink = []
        with backend._get_client() as real:
            recording = RecordingClient(real, sink)
            state = PassState(self, backend, recording)
            recording._keys.update(adapter.key for adapter in state.adapters.values())
            state.dry_run = True
            kinds = self._preview_kinds(state, entities)
            try:
                with self.env.cr.savepoint():
                    extra = []
                    for module in self._entity_modules():
                        wanted = kinds.intersection(module._economic_keys())
                        if wanted:
                            module._economic_push(state, wanted)
                            extra += module._economic_preview_notes(state, wanted)
                    lines = self._preview_lines(state) + extra
                    raise _Rollback
            except _Rollback:
                pass
            finally:
                self.env.invalidate_all()
        return lines

    def _preview_kinds(self, state, entities):
        if entities is None:
            entities = [
                kind
                for kind, setting in state.settings.items()
                if setting["setting"] and setting["setting"].push
            ]
        kinds = set(entities) & set(self._available_entities())
        for kind, setting in state.settings.items():
            setting["push"] = kind in kinds and setting["strategy"] != "read_only"
        return {kind for kind in kinds if state.settings[kind]["push"]}

    @staticmethod
    def _preview_lines(state):
        lines = []
        for log in state.logs:
            if log.get("direction") != "push" or log.get("operation") not in PREVIEW_OPERATIONS:
                continue
            key = log.get("economic_key")
            if log.get("operation") == "create":
                key = False  # the number e-conomic will give is not known yet
            lines.append(
                {
                    "entity": log.get("entity"),
                    "operation": log.get("operation"),
                    "res_model": log.get("res_model") or False,
                    "res_id": log.get("res_id") or False,
                    "record_name": log.get("record_name") or "",
                    "economic_key": key or False,
                    "fields": [f for f in (log.get("fields_touched") or "").split(",") if f],
                    "message": log.get("message") or False,
                }
            )
        return lines
