"""What one pass (or one user action) of one connection knows while it runs.

``PassState`` is generic: the connection, the client, every entity's settings, the counts, the
log lines and chatter notes of the current page. Each entity module adds what it needs (its
adapters, matching indexes…) in its ``_economic_prepare`` hook. Nothing of a finished page may
stay in it: the page's log lines and notes are flushed with the page's commit.
"""

import time

#: records per page of a pull (e-conomic's biggest page): one batch, one commit
PAGE_SIZE = 1000
#: e-conomic filter values per $in request (the client splits bigger lists too)
IN_CHUNK = 200
#: context of bulk creations/writes: no tracking, no "created" message, no followers
BULK_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
    "economic_sync_write": True,
}
#: ``_sync_bound_safe``'s answer when the key of a binding now belongs to another record
REUSED = "reused"
COUNTERS = ("created", "updated", "bound", "errors", "archived", "conflicts", "pushed", "skipped")


class RecordError(Exception):
    """One record failed; the pass goes on."""


class PassPaused(Exception):  # noqa: N818 - not an error: the pass goes on in the next run
    """The pass's time budget is spent at a point it can go on from (a module done, or a page
    of a resumable pull committed with its last key): the pass stops there, and the next run of
    the connection's scheduled action goes on with it (docs/ENGINE.md, "Passes over several
    runs")."""


class UnexpectedRecordError(RecordError):
    """One record failed on an error nobody foresaw (a bug, a database constraint): the
    record's savepoint is rolled back, its log line says so in words (the details are in the
    server log, never shown to users), and the pass goes on."""

    def __init__(self, error):
        super().__init__(type(error).__name__)
        self.original = error


class PassState:
    """Settings, counters and the current page's log lines of one pass of one connection."""

    def __init__(self, engine, backend, client, modules=None):
        self.engine = engine
        self.env = engine.env
        self.backend = backend
        self.client = client
        self.test_mode = engine._economic_test_mode()
        self.logs = []
        self.last_failure = None
        self.resolved = {}  # entity -> (record ids, e-conomic keys) synced fine
        self.notes = {}  # (model, record id) -> fields updated from e-conomic (chatter, per page)
        self.counts = dict.fromkeys(COUNTERS, 0)
        self.company = backend.company_id
        # the agreement's country decides what an unprefixed VAT or phone number means (a
        # Danish CVR '12345678' is not the US VAT 'US12345678'); the company's as a fallback
        country = backend.agreement_country_id or self.company.country_id
        self.country_code = (country.code or "").upper() or None
        #: entity -> {"pull", "push" (effective), "strategy", "setting"}
        self.settings = {}
        #: entity -> adapter (filled by the entity modules)
        self.adapters = {}
        #: entity -> the Odoo model its records are (filled by the entity modules)
        self.res_models = {}
        self.touched = set()  # bindings synced in this pass: the push does not redo them
        #: a preview: writes to e-conomic are recorded, not sent, and nothing is committed
        self.dry_run = False
        self.records_done = 0
        #: the connection's number of the pass (its conflicts carry it); None for an action
        self.pass_number = None
        #: ``time.monotonic()`` by which the pass gives way (its time budget), None: no budget
        self.deadline = None
        #: entity -> (start, full) of its resumable pull under way (``_pull_resumable``)
        self.pull_runs = {}
        #: the record of the pass under way (``economic.backend.pass_resume``), kept with
        #: each page of a resumable pull (None: an action, not a pass)
        self.run = None
        modules = modules if modules is not None else engine._entity_modules()
        for module in modules:
            for entity in module._economic_keys():
                setting = backend._entity_setting(entity)
                if setting:
                    self.settings[entity] = self.setting_vals(backend, setting)
        for module in modules:
            module._economic_prepare(self)

    def budget_spent(self):
        """Whether the pass's time budget is spent (never without a budget)."""
        return self.deadline is not None and time.monotonic() >= self.deadline

    @staticmethod
    def setting_vals(backend, setting):
        strategy = setting.strategy or None
        return {
            "pull": bool(setting.pull),
            "push": bool(setting.push and backend.write_back and strategy != "read_only"),
            "strategy": strategy,
            "setting": setting,
        }

    def setting(self, entity):
        """The settings of ``entity`` (a connection without its row: pull on, push off)."""
        return self.settings.get(entity) or {
            "pull": True,
            "push": False,
            "strategy": None,
            "setting": None,
        }

    def log(self, **vals):
        vals.setdefault("state", "done")
        vals["backend_id"] = self.backend.id
        binding = vals.pop("binding", None)
        if binding:
            vals["binding_model"] = binding._name
            vals["binding_res_id"] = binding.id
        self.logs.append(vals)
        if vals["operation"] == "error" or vals["state"] == "failed":
            self.counts["errors"] += 1
            self.last_failure = vals.get("message")

    def log_record(self, entity, operation, record=None, binding=None, **vals):
        """One log line about ``record`` (an Odoo record) and/or ``binding``; ``vals``: the
        line's other values (``direction`` is ``pull`` unless given). What the caller gives
        is kept and not read again: batch code that has the name and the key at hand passes
        ``record_name`` and ``economic_key`` with ``browse``d records (no query per line)."""
        if record is not None and record:
            vals.setdefault("res_model", record._name)
            vals.setdefault("res_id", record.id)
            if "record_name" not in vals:
                vals["record_name"] = record.display_name
        if binding is not None and binding and "economic_key" not in vals:
            vals["economic_key"] = binding.economic_key
        vals.setdefault("direction", "pull")
        self.log(entity=entity, operation=operation, binding=binding, **vals)

    def resolve(self, kind, direction, res_id, key):
        """A record synced fine (``direction``: the way this sync went) without a log line: its
        open error lines, of either direction, are closed with the page's log lines."""
        res_ids, keys = self.resolved.setdefault(kind, (set(), set()))
        if res_id:
            res_ids.add(res_id)
        if key:
            keys.add(str(key))

    def note(self, res_id, field_names, res_model):
        key = (res_model, res_id)
        self.notes[key] = sorted(set(self.notes.get(key, ())) | set(field_names))

    def flush_logs(self):
        """Create the pending log lines (one create) and chatter notes (one batch)."""
        notes, self.notes = self.notes, {}
        self.engine._post_notes(notes)
        logs, self.logs = self.logs, []
        Log = self.env["economic.sync.log"]
        lines = Log._create_safe(logs)
        resolved, self.resolved = self.resolved, {}
        for kind, (res_ids, keys) in resolved.items():
            Log._close_open(
                self.backend,
                kind,
                self.res_models.get(kind, False),
                res_ids=res_ids,
                economic_keys=keys,
            )
        return lines
