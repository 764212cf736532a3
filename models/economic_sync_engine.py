"""The sync engine of customers, suppliers and their contacts (sync contract §3-§7).

``economic.sync.engine`` is an AbstractModel: it holds no data, it runs passes for a connection.
The decisions are ``sync_core``'s (canonical forms, three-way merge, matching); the conversion of
one e-conomic record to partner values is the adapters' (``engine/adapters.py``), driven by the
connection's field mappings. This module reads and writes both sides in batches: one search for
the bindings of a page, one ``read()`` of their partners, matching indexes built once.
"""

import json
import logging
import threading
import time
from contextlib import contextmanager

from odoo import api, fields, models, sql_db, tools
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError as OdooValidationError

from ..economic_client import EconomicError, F, NotFoundError
from ..engine.adapters import ADAPTER_CLASSES, DEFAULT_MAPPINGS, Lookups, Mapping, MissingMapping
from ..sync_core import (
    COUNTRY_CALLING_CODES,
    build_index,
    dump_base,
    is_other_record,
    load_base,
    match,
    merge,
    normalise,
    same_name,
)

_logger = logging.getLogger(__name__)

PARTY_KINDS = ("customer", "supplier")
CONTACT_OF = {"customer": "customer_contact", "supplier": "supplier_contact"}
PARENT_OF = {"customer_contact": "customer", "supplier_contact": "supplier"}
RANK_FIELD = {"customer": "customer_rank", "supplier": "supplier_rank"}
DEFAULT_MATCH_KEYS = ["number", "vat", "email", "phone"]
#: matching key -> (e-conomic property per kind)
REMOTE_KEY_PROP = {
    "customer": {
        "number": "customerNumber",
        "vat": "corporateIdentificationNumber",
        "email": "email",
        "phone": "telephoneAndFaxNumber",
    },
    "supplier": {
        "number": "supplierNumber",
        "vat": "corporateIdentificationNumber",
        "email": "email",
        "phone": "phone",
    },
}
LOCAL_KEY_FIELD = {"vat": "vat", "email": "email", "phone": "phone"}
#: lock namespace of pg advisory locks ("ECON")
LOCK_NAMESPACE = 0x45434F4E
#: seconds a user's action waits for a running pass of its connection before it gives up
LOCK_WAIT_SECONDS = 10
#: e-conomic filter values per $in request (the client splits bigger lists too)
IN_CHUNK = 200
#: kinds matched before push against a full read of e-conomic (no filter requests): suppliers
#: have no change stamp and are read in full by the pull anyway, and e-conomic refuses to filter
#: them by phone (400 "Filtering is not allowed on property 'phone'")
FULL_READ_MATCHING = ("supplier",)
#: records per page of a pull (e-conomic's biggest page): one batch, one commit
PAGE_SIZE = 1000
#: context of bulk creations/writes: no tracking, no "created" message, no followers
BULK_CONTEXT = {
    "tracking_disable": True,
    "mail_create_nolog": True,
    "mail_notrack": True,
    "mail_create_nosubscribe": True,
    "economic_sync_write": True,
}


#: ``_sync_bound_safe``'s answer when the number of a binding now belongs to another record
REUSED = "reused"


class RecordError(Exception):
    """One record failed; the pass goes on."""


class PassState:
    """What one pass of one connection knows: settings, lookups, adapters, counters."""

    def __init__(self, engine, backend, client):
        self.engine = engine
        self.env = engine.env
        self.backend = backend
        self.client = client
        self.test_mode = engine._economic_test_mode()
        self.logs = []
        self.last_failure = None
        self.resolved = {}  # (kind, direction) -> (partner ids, e-conomic keys)
        self.notes = {}  # partner id -> fields updated from e-conomic (chatter, per page)
        self.counts = {
            "created": 0,
            "updated": 0,
            "bound": 0,
            "errors": 0,
            "archived": 0,
            "conflicts": 0,
            "pushed": 0,
            "skipped": 0,
        }
        self.company = backend.company_id
        # the agreement's country decides what an unprefixed VAT or phone number means (a
        # Danish CVR '12345678' is not the US VAT 'US12345678'); the company's as a fallback
        country = backend.agreement_country_id or self.company.country_id
        self.country_code = (country.code or "").upper() or None
        self.settings = {}
        self.adapters = {}
        self.match_keys = {}
        self.local_index = {}
        self.remote_all = {}  # kind -> every e-conomic record, read once (push matching)
        self.touched = set()  # bindings synced in this pass: the push does not redo them
        #: kind -> names of e-conomic records that unconfirmed creates of ours may have made:
        #: the pull neither binds nor creates such a record until the create is settled
        self.held_names = {}
        #: a preview: writes to e-conomic are recorded, not sent, and nothing is committed
        self.dry_run = False
        self.records_done = 0
        lookups = engine._economic_lookups(backend)
        for kind in ADAPTER_CLASSES:
            setting = backend._entity_setting(kind)
            pull = bool(setting.pull) if setting else True
            push = bool(setting.push) if setting else False
            strategy = (setting.strategy or None) if setting else None
            eff_push = bool(push and backend.write_back and strategy != "read_only")
            self.settings[kind] = {
                "pull": pull,
                "push": eff_push,
                "strategy": strategy,
                "setting": setting,
            }
            self.adapters[kind] = ADAPTER_CLASSES[kind](
                engine._economic_mappings(backend, kind), lookups
            )
        for kind in PARTY_KINDS:
            keys = backend.match_key_ids.filtered(
                lambda k, kind=kind: k.entity == kind and k.active
            ).sorted("sequence")
            keys = keys.mapped("key") if keys else list(DEFAULT_MATCH_KEYS)
            if kind != "customer" or backend.customer_number_mode != "odoo":
                keys = [k for k in keys if k != "number"]
            self.match_keys[kind] = keys
        self.number_field = (
            backend.customer_number_field_id.name
            if backend.customer_number_mode == "odoo"
            else None
        )

    def log(self, **vals):
        vals.setdefault("state", "done")
        vals["backend_id"] = self.backend.id
        self.logs.append(vals)
        if vals["operation"] == "error" or vals["state"] == "failed":
            self.counts["errors"] += 1
            self.last_failure = vals.get("message")

    def resolve(self, kind, direction, partner_id, key):
        """A record that had failed synced fine without a log line: its open error lines are
        closed with the page's log lines."""
        res_ids, keys = self.resolved.setdefault((kind, direction), (set(), set()))
        if partner_id:
            res_ids.add(partner_id)
        if key:
            keys.add(str(key))

    def note(self, partner_id, field_names):
        self.notes.setdefault(partner_id, [])
        self.notes[partner_id] = sorted(set(self.notes[partner_id]) | set(field_names))

    def flush_logs(self):
        """Create the pending log lines (one create) and chatter notes (one batch)."""
        notes, self.notes = self.notes, {}
        self.engine._post_notes(notes)
        logs, self.logs = self.logs, []
        Log = self.env["economic.sync.log"]
        lines = Log._create_safe(logs)
        resolved, self.resolved = self.resolved, {}
        for (kind, direction), (res_ids, keys) in resolved.items():
            Log._close_open(
                self.backend, kind, direction, "res.partner", res_ids=res_ids, economic_keys=keys
            )
        return lines


class EconomicSyncEngine(models.AbstractModel):
    _name = "economic.sync.engine"
    _description = "e-conomic Sync Engine"

    # ================================================================== helpers
    def _economic_test_mode(self):
        return bool(
            tools.config["test_enable"]
            or self.env.registry.in_test_mode()
            or getattr(threading.current_thread(), "testing", False)
        )

    def _commit(self, state):
        """Commit a finished batch (not in tests: the test transaction must stay whole)."""
        if state.dry_run:
            return
        state.flush_logs()
        self.env.flush_all()
        if not state.test_mode:
            self.env.cr.commit()

    @api.model
    def _economic_mappings(self, backend, kind):
        rows = backend.field_mapping_ids.filtered(
            lambda m: m.entity == kind and m.active and m.economic_property
        ).sorted("sequence")
        if not rows:
            return DEFAULT_MAPPINGS[kind]
        return [
            Mapping(m.odoo_field or False, m.economic_property, m.direction, m.converter or "char")
            for m in rows
        ]

    @api.model
    @tools.ormcache("backend_id", "kind")
    def _economic_pushed_fields(self, backend_id, kind):
        """The partner fields of ``kind``'s active mappings that push: a local change of one of
        them makes the partner's binding pending (cleared when a mapping changes)."""
        backend = self.env["economic.backend"].sudo().browse(backend_id)
        if kind not in ADAPTER_CLASSES or not backend.exists():
            return frozenset()
        adapter = ADAPTER_CLASSES[kind](self._economic_mappings(backend, kind), None)
        return adapter.pushed_partner_fields()

    @api.model
    def _economic_lookups(self, backend):
        countries = {
            row["id"]: (row["code"], row["name"])
            for row in self.env["res.country"]
            .with_context(lang="en_US")
            .search_read([], ["code", "name"])
        }
        refs = {}
        for row in (
            self.env["economic.reference"]
            .with_context(active_test=False)
            .search_read(
                [("backend_id", "=", backend.id)],
                ["kind", "number", "name", "payment_term_id", "currency_id", "vat_scope"],
            )
        ):
            refs[(row["kind"], str(row["number"]))] = {
                "id": row["id"],
                "name": row["name"],
                "payment_term_id": row["payment_term_id"] and row["payment_term_id"][0],
                "currency_id": row["currency_id"] and row["currency_id"][0],
                "vat_scope": row["vat_scope"],
            }
        return Lookups(countries, refs)

    @api.model
    def _error_text(self, backend, error):
        if isinstance(error, EconomicError):
            parts = [error.message or str(error)]
            codes = [error.error_code] if error.error_code else []
            for fe in error.field_errors or ():
                parts.append("%s: %s" % (fe.get("path"), fe.get("message")))
                if fe.get("error_code") and fe["error_code"] not in codes:
                    codes.append(fe["error_code"])
            if codes:
                parts.append("errorCode: %s" % ", ".join(codes))
            if error.log_id:
                parts.append("logId: %s" % error.log_id)
            if error.status:
                parts.append("HTTP %s" % error.status)
            return backend._scrub_tokens("\n".join(p for p in parts if p))
        return backend._scrub_tokens(str(error))

    @contextmanager
    def _pass_lock(self, backend, wait=0.0):
        """The connection's lock: every path that may write to e-conomic (a pass, Push now,
        Refresh, Replay, a conflict choice) holds it, so two never run alongside. A PostgreSQL
        advisory lock held on a connection of its own (a real lock even inside a test
        transaction). ``wait``: seconds to wait for it (polled, so that no failed statement is
        logged). Yields True if taken."""
        db = sql_db.db_connect(self.env.cr.dbname)
        cr = db.cursor()
        deadline = time.monotonic() + wait
        try:
            while True:
                cr.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", (LOCK_NAMESPACE, backend.id))
                locked = bool(cr.fetchone()[0])
                if locked or time.monotonic() >= deadline:
                    break
                time.sleep(0.2)
            yield locked
        finally:
            cr.rollback()
            cr.close()

    @contextmanager
    def _action_lock(self, backend):
        """The connection's lock for an action of a user (Push now, Refresh, Replay, a conflict
        choice): waits a little for a running pass, else refuses with a clear message. Once
        taken, the transaction starts afresh, so it sees what the pass before it committed."""
        wait = self.env.context.get("economic_lock_wait", LOCK_WAIT_SECONDS)
        with self._pass_lock(backend, wait=wait) as locked:
            if not locked:
                raise UserError(
                    self.env._(
                        "A sync of the e-conomic connection %(name)s is running. Try again when "
                        "it has finished.",
                        name=backend.display_name,
                    )
                )
            if not self._economic_test_mode():
                self.env.cr.commit()
                self.env.invalidate_all()
            yield

    def _notify(self, state, done, remaining=1):
        """Progress of a pass run by the scheduled action (``ir.cron``), per page: records
        done so far; ``remaining`` stays 1 while the pass goes on (the total is not known
        before the last page) and is 0 at its end, so the cron counts the run complete.

        Written through the pass's own transaction, which must be the scheduled action's
        (``economic.backend._cron_run_passes`` runs the passes in it): the cron worker updates
        the same ``ir_cron_progress`` row at the end of the job, and a write committed by another
        transaction in between makes that update fail (serialization). The context's
        ``economic_cron_done`` (records of the connections before) and ``economic_cron_after``
        (connections after this one) make the figures those of the whole run."""
        context = self.env.context
        if context.get("ir_cron_progress_id"):
            self.env["ir.cron"]._notify_progress(
                done=context.get("economic_cron_done", 0) + done,
                remaining=remaining + context.get("economic_cron_after", 0),
            )

    # ================================================================== pass
    @api.model
    def _run_pass(self, backend, entities=None, full=False):
        """One pass of ``backend``: references, customers (+contacts), suppliers (+contacts).

        Returns a dict summary; a second concurrent pass returns ``{"state": "skipped"}``.
        """
        backend = backend.sudo()
        with self._pass_lock(backend) as locked:
            if not locked:
                _logger.info("e-conomic %s: a pass is already running, skipped", backend.name)
                self.env["economic.sync.log"]._create_safe(
                    [
                        {
                            "backend_id": backend.id,
                            "entity": "pass",
                            "operation": "skip",
                            "message": self.env._(
                                "Another pass of this connection is running: skipped."
                            ),
                        }
                    ]
                )
                backend.write({"last_pass_state": "skipped"})
                return {"state": "skipped"}
            return self._run_pass_locked(backend, entities, full)

    def _run_pass_locked(self, backend, entities, full):
        started = fields.Datetime.now()
        t0 = time.monotonic()
        backend.write({"last_pass_start": started})
        if not self._economic_test_mode():
            self.env.cr.commit()
        all_entities = not entities
        entities = set(entities or ("customer", "customer_contact", "supplier", "supplier_contact"))
        # incremental passes read what changed; a full pass (due once per
        # full_pass_interval_days, or asked for) reads and compares every key
        full = bool(full or backend._full_pass_due(started))
        try:
            if hasattr(backend, "action_refresh_references"):
                backend.with_context(economic_sync_pass=True).action_refresh_references()
            with backend._get_client() as client:
                state = PassState(self, backend, client)
                for kind in PARTY_KINDS:
                    if kind in entities or CONTACT_OF[kind] in entities:
                        self._resume_creates(state, kind)
                        if CONTACT_OF[kind] in entities:
                            self._resume_creates(state, CONTACT_OF[kind])
                        self._pull_parties(
                            state, kind, full=full, with_contacts=CONTACT_OF[kind] in entities
                        )
                        self._push_parties(state, kind)
                        if CONTACT_OF[kind] in entities:
                            self._push_contacts(state, CONTACT_OF[kind])
                        self._commit(state)
        except (EconomicError, UserError) as error:
            message = (
                self._error_text(backend, error) if isinstance(error, EconomicError) else str(error)
            )
            self.env["economic.sync.log"]._create_safe(
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
            backend.write(
                {
                    "last_pass_state": "failed",
                    "last_pass_end": fields.Datetime.now(),
                    "last_pass_message": message,
                }
            )
            _logger.info("e-conomic %s: pass failed: %s", backend.name, message)
            return {"state": "failed", "message": message}
        counts = state.counts
        self.env["economic.sync.log"]._close_open(backend, "pass", False, False)
        self._notify(state, state.records_done, remaining=0)
        summary = self._counts_message(counts)
        vals = {
            "last_pass_state": "partial" if counts["errors"] else "done",
            "last_pass_end": fields.Datetime.now(),
            "last_pass_message": summary,
        }
        if full and all_entities:
            vals["last_full_pass"] = started
        backend.write(vals)
        _logger.info(
            "e-conomic %s: %s pass done in %.1fs: %s",
            backend.name,
            "full" if full else "incremental",
            time.monotonic() - t0,
            summary,
        )
        return dict(counts, state="partial" if counts["errors"] else "done", full=full)

    # ================================================================== pull
    def _pull_parties(self, state, kind, full=False, with_contacts=True):
        setting = state.settings[kind]
        if not setting["pull"]:
            return
        client = state.client
        backend = state.backend
        rec_setting = setting["setting"]
        pull_started = fields.Datetime.now()
        service = client.customers if kind == "customer" else client.suppliers
        watermark = rec_setting.last_pull_at if rec_setting else False
        incremental = kind == "customer" and watermark and not full
        flt = None
        if incremental:
            since = fields.Datetime.subtract(watermark, minutes=backend.lookback_minutes or 0)
            flt = F("lastUpdated").gte(since)
        # customer contacts come from one listing of the agreement when the client has the
        # customers OpenAPI service; else per customer with each page (legacy REST)
        contacts_api = kind == "customer" and self._contacts_api(state)
        page_contacts = with_contacts and not contacts_api
        seen = set()
        page = []
        sort = "customerNumber" if kind == "customer" else "supplierNumber"
        for record in service.iter(filter=flt, sort=sort):
            page.append(record)
            if len(page) >= PAGE_SIZE:
                seen.update(self._pull_page(state, kind, page, page_contacts))
                page = []
        if page:
            seen.update(self._pull_page(state, kind, page, page_contacts))
        # deletions (§6): a full read saw every number; an incremental one checks the count
        if not incremental:
            self._archive_missing(state, kind, seen)
        else:
            bound = self.env["economic.partner.binding"].search_count(
                [
                    ("backend_id", "=", backend.id),
                    ("kind", "=", kind),
                    ("remote_archived", "=", False),
                ]
            )
            if service.count() != bound:
                numbers = {r[ADAPTER_CLASSES[kind].key] for r in service.iter(sort=sort)}
                self._archive_missing(state, kind, numbers)
        if rec_setting:
            rec_setting.sudo().write({"last_pull_at": pull_started})
        self._commit(state)
        if with_contacts and kind == "supplier" and state.settings["supplier_contact"]["pull"]:
            self._pull_supplier_contacts(state)
        if with_contacts and contacts_api and state.settings["customer_contact"]["pull"]:
            self._pull_customer_contacts_api(state, full=full)

    @staticmethod
    def _contacts_api(state):
        """The client's customers OpenAPI contacts service, if it has one."""
        return getattr(state.client, "customer_contacts_api", None)

    def _pull_customer_contacts_api(self, state, full=False):
        """Customer contacts through the customers OpenAPI: one cursor listing of the whole
        agreement (1000 a page), filtered on ``lastUpdated >= watermark − lookback`` on
        incremental passes, so a contact-only change is seen even when its customer's
        ``lastUpdated`` does not move. A full pass reads every contact and archives the bound
        ones that are gone."""
        kind = "customer_contact"
        rec_setting = state.settings[kind]["setting"]
        started = fields.Datetime.now()
        watermark = rec_setting.last_pull_at if rec_setting else False
        flt = None
        if watermark and not full:
            since = fields.Datetime.subtract(watermark, minutes=state.backend.lookback_minutes or 0)
            flt = F("lastUpdated").gte(since)
        records = (self._contact_from_api(r) for r in self._contacts_api(state).iter(filter=flt))
        self._pull_contacts_stream(state, kind, records, complete=flt is None)
        if rec_setting:
            rec_setting.sudo().write({"last_pull_at": started})
        self._commit(state)

    @staticmethod
    def _contact_from_api(record):
        """An OpenAPI customer contact in the legacy shape the adapter reads: ``number`` is
        the legacy ``customerContactNumber`` (agreement-wide unique)."""
        record = dict(record)
        record.setdefault("customerContactNumber", record.get("number"))
        if "customerNumber" not in record and isinstance(record.get("customer"), dict):
            record["customerNumber"] = record["customer"].get("customerNumber")
        return record

    def _pull_page(self, state, kind, records, with_contacts):
        """Sync one page of e-conomic customers/suppliers; returns their numbers."""
        adapter = state.adapters[kind]
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        numbers = [adapter.number(r) for r in records]
        bindings = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("economic_number", "in", numbers),
            ]
        )
        by_number = {b.economic_number: b for b in bindings}
        pdata = self._read_partners(state, adapter, bindings.partner_id)
        unbound = []
        for record in records:
            binding = by_number.get(adapter.number(record))
            if binding:
                done = self._sync_bound_safe(
                    state, adapter, binding, pdata.get(binding.partner_id.id), record
                )
                if done == REUSED:
                    unbound.append(record)
            else:
                unbound.append(record)
        if unbound:
            self._pull_unbound(state, adapter, unbound)
        if with_contacts and kind == "customer" and state.settings["customer_contact"]["pull"]:
            bindings = Binding.search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("economic_number", "in", numbers),
                    ("remote_archived", "=", False),
                ]
            )
            self._pull_customer_contacts(state, bindings)
        state.records_done += len(records)
        self._commit(state)
        self._notify(state, state.records_done)
        _logger.info(
            "e-conomic %s: %s: %s records read", state.backend.name, kind, state.records_done
        )
        return set(numbers)

    def _read_partners(self, state, adapter, partners):
        if not partners:
            return {}
        partners = partners.with_context(active_test=False).with_company(state.company)
        return {row["id"]: row for row in partners.read(adapter.partner_fields())}

    def _binding_vals(self, binding):
        return {
            "group_id": binding.group_id.id,
            "vat_zone_id": binding.vat_zone_id.id,
            "layout_id": binding.layout_id.id,
            "currency_code": binding.currency_code,
            "ean": binding.ean,
        }

    # ------------------------------------------------------------------ one bound record
    def _sync_bound_safe(self, state, adapter, binding, pvals, record, direction="pull"):
        """Sync one bound pair; returns whether it changed, False on error, or ``REUSED`` when
        the record now at the binding's number is another record (the binding is then ended
        and the caller treats the record as unbound)."""
        state.touched.add(binding.id)
        if self._reused_number(adapter, binding, record):
            self._end_reused_binding(state, binding)
            return REUSED
        try:
            with self.env.cr.savepoint():
                return self._sync_bound(state, adapter, binding, pvals, record, direction)
        except (
            EconomicError,
            MissingMapping,
            RecordError,
            UserError,
            OdooValidationError,
        ) as error:
            self._record_error(
                state,
                adapter.kind,
                direction,
                binding.partner_id,
                error,
                binding=binding,
                key=binding.economic_number,
            )
            return False

    @staticmethod
    def _reused_number(adapter, binding, record):
        """Whether the record at the binding's number is another record (number reused). The
        usual case, an unchanged name, is decided without converting the record."""
        base = load_base(binding.base)
        if not base or same_name(base.get("name"), record.get("name")):
            return False
        return is_other_record(
            base, adapter.remote_values(record), adapter.identity, deleted=binding.remote_archived
        )

    def _end_reused_binding(self, state, binding):
        """e-conomic gave a deleted record's number to another record: the old partner is
        archived as deleted (unless still bound elsewhere) and unbound, so the new record is
        matched or created like any unbound one, never written over the old partner."""
        message = self.env._(
            "e-conomic number %(number)s now belongs to another record: this one was deleted in "
            "e-conomic; archived in Odoo and unbound.",
            number=binding.economic_number,
        )
        if binding.remote_archived:
            state.log(
                entity=binding.kind,
                direction="pull",
                operation="archive",
                res_model="res.partner",
                res_id=binding.partner_id.id,
                record_name=binding.partner_id.display_name,
                economic_key=str(binding.economic_number),
                message=message,
            )
        else:
            self._archive_bindings(state, binding, message=message)
        # its contacts went with it: archived, and unbound with it (cascade); log lines keep
        # the story (their pointer to a removed binding is dropped when they are written)
        contacts = self.env["economic.partner.binding"].search(
            [("parent_binding_id", "=", binding.id), ("remote_archived", "=", False)]
        )
        self._archive_bindings(state, contacts)
        binding.sudo().unlink()

    def _record_error(
        self, state, kind, direction, partner, error, binding=None, key=None, name=None
    ):
        message = self._error_text(state.backend, error)
        if binding:
            binding.with_context(economic_sync_write=True).write(
                {"state": "error", "last_error": message}
            )
        state.log(
            entity=kind,
            direction=direction,
            operation="error",
            state="failed",
            res_model="res.partner",
            res_id=partner.id if partner else False,
            record_name=partner.display_name if partner else (name or False),
            economic_key=str(key) if key else False,
            message=message,
            binding_id=binding.id if binding else False,
        )
        _logger.info(
            "e-conomic %s: %s %s %s failed: %s",
            state.backend.name,
            kind,
            direction,
            key or (partner and partner.id),
            message.splitlines()[0] if message else "",
        )

    def _merge(self, state, adapter, binding, local, remote, pvals, record):
        setting = state.settings[adapter.kind]
        base = load_base(binding.base)
        overrides = binding._get_overrides()
        remote_stamp = record.get("lastUpdated") if isinstance(record, dict) else None
        if not remote_stamp:
            remote_stamp = binding.remote_seen_at or fields.Datetime.now()
        local_stamp = (pvals or {}).get("write_date")
        results = []
        for direction, specs in adapter.spec_groups().items():
            pull = setting["pull"] and direction in ("both", "pull")
            push = setting["push"] and direction in ("both", "push")
            results.append(
                (
                    specs,
                    merge(
                        specs,
                        base,
                        local,
                        remote,
                        pull=pull,
                        push=push,
                        strategy=setting["strategy"],
                        local_changed_at=local_stamp,
                        remote_changed_at=remote_stamp,
                        overrides=overrides,
                    ),
                )
            )
        return base, results

    def _sync_bound(self, state, adapter, binding, pvals, record, direction="pull"):
        """Three-way merge of one bound pair; writes both sides; returns True if it changed."""
        kind = adapter.kind
        partner = binding.partner_id
        if pvals is None:
            pvals = self._read_partners(state, adapter, partner).get(partner.id, {})
        bvals = self._binding_vals(binding)
        remote = adapter.remote_values(record)
        base_now = load_base(binding.base)
        hints = {k: (base_now.get(k), remote.get(k)) for k in remote}
        local = adapter.local_values(pvals, bvals, hints)
        base, results = self._merge(state, adapter, binding, local, remote, pvals, record)
        to_local, to_remote, conflicts, held = {}, {}, [], {}
        for _specs, res in results:
            to_local.update(res.to_local)
            to_remote.update(res.to_remote)
            conflicts += res.conflicts
            held.update(res.held)
        readonly = adapter.readonly_values(record)
        binding_write = {}
        for fname, value in readonly.items():
            value = float(value) if value is not None else 0.0
            if binding[fname] != value:
                binding_write[fname] = value
        # write into Odoo
        local_ok = True
        if to_local:
            partner_vals, b_vals = adapter.local_write_vals(to_local)
            if partner_vals:
                # through this engine's environment: a user's Refresh writes with the user's
                # rights, never through a sudo() record
                partner.with_env(self.env).with_context(
                    economic_sync_write=True, tracking_disable=True
                ).with_company(state.company).write(partner_vals)
            binding_write.update(b_vals)
        # write to e-conomic: the complete current record with the changes applied (§3)
        remote_ok = True
        if to_remote:
            new_record = adapter.apply_remote(record, to_remote)
            self._remote_replace(state, adapter, binding, new_record)
            state.counts["pushed"] += 1
        # conflicts
        overrides = binding._get_overrides()
        used = False
        for conflict in conflicts:
            if conflict.initial and (conflict.local is None or conflict.remote is None):
                continue
            self._record_conflict(state, adapter, binding, conflict)
            if conflict.field in overrides:
                overrides.pop(conflict.field)
                used = True
        new_base = base
        for specs, res in results:
            names = {s.name for s in specs}
            nb = res.new_base(local_written=local_ok, remote_written=remote_ok)
            new_base = dict(new_base, **{k: v for k, v in nb.items() if k in names})
        undecided = any(c.decision == "undecided" for c in conflicts)
        new_state = (
            "conflict" if undecided else ("pending" if "local" in held.values() else "synced")
        )
        changed = bool(to_local or to_remote or conflicts)
        new_base_text = dump_base(new_base)
        if binding.last_error or binding.state == "error":
            state.resolve(kind, direction, partner.id, binding.economic_number)
        if (
            new_base_text != (binding.base or dump_base({}))
            or changed
            or (binding.state != new_state)
            or binding.last_error
            or not binding.last_synced
            or used
        ):
            binding_write.update(
                {
                    "base": new_base_text,
                    "state": new_state,
                    "last_error": False,
                    "last_synced": fields.Datetime.now(),
                    "remote_last_updated": record.get("lastUpdated") or False,
                }
            )
            if used:
                binding_write["overrides"] = json.dumps(overrides) if overrides else False
        if not to_local and "remote" in held.values() and not binding.remote_seen_at:
            binding_write["remote_seen_at"] = fields.Datetime.now()
        elif to_local and binding.remote_seen_at:
            binding_write["remote_seen_at"] = False
        if binding.remote_archived:
            binding_write["remote_archived"] = False
        if binding_write:
            binding.with_context(economic_sync_write=True).write(binding_write)
        if to_local or to_remote:
            fields_touched = sorted(set(to_local) | set(to_remote))
            state.counts["updated"] += 1
            if to_local:
                state.log(
                    entity=kind,
                    direction="pull",
                    operation="update",
                    res_model="res.partner",
                    res_id=partner.id,
                    record_name=partner.display_name,
                    economic_key=str(binding.economic_number),
                    fields_touched=",".join(sorted(to_local)),
                    old_values=self._json({k: local.get(k) for k in to_local}),
                    new_values=self._json(to_local),
                    binding_id=binding.id,
                )
            if to_remote:
                state.log(
                    entity=kind,
                    direction="push",
                    operation="update",
                    res_model="res.partner",
                    res_id=partner.id,
                    record_name=partner.display_name,
                    economic_key=str(binding.economic_number),
                    fields_touched=",".join(sorted(to_remote)),
                    old_values=self._json({k: remote.get(k) for k in to_remote}),
                    new_values=self._json(to_remote),
                    binding_id=binding.id,
                )
            del fields_touched
        if to_local:
            # one chatter note per changed partner, posted in one batch with the page's logs
            state.note(partner.id, sorted(to_local))
        return changed

    @staticmethod
    def _json(values):
        return json.dumps(values, default=str, ensure_ascii=False, sort_keys=True)

    def _post_notes(self, notes):
        """Chatter notes of a page's changed partners (``{partner_id: [fields]}``): one
        ``_message_log_batch`` (no notification, no follower) instead of one post each."""
        if not notes:
            return
        bodies = {
            pid: self.env._("Updated from e-conomic: %(fields)s", fields=", ".join(names))
            for pid, names in notes.items()
        }
        try:
            with self.env.cr.savepoint():
                self.env["res.partner"].sudo().browse(list(bodies))._message_log_batch(
                    bodies=bodies
                )
        except Exception:  # noqa: BLE001 - a note must not stop the sync
            _logger.info("e-conomic: could not log %d chatter notes", len(bodies), exc_info=True)

    def _record_conflict(self, state, adapter, binding, conflict):
        Conflict = self.env["economic.sync.conflict"].sudo()
        dump = Conflict._dump
        _conflicts, created = Conflict._record_batch(
            [
                {
                    "backend_id": state.backend.id,
                    "binding_id": binding.id,
                    "entity": adapter.kind,
                    "field": conflict.field,
                    "base_value": dump(conflict.base),
                    "local_value": dump(conflict.local),
                    "remote_value": dump(conflict.remote),
                    "strategy": conflict.strategy or False,
                    "decision": conflict.decision,
                    "state": "open" if conflict.decision == "undecided" else "resolved",
                }
            ]
        )
        if not created[0]:
            return  # the same conflict, recorded before: no second count or log line
        state.counts["conflicts"] += 1
        state.log(
            entity=adapter.kind,
            direction="pull",
            operation="conflict",
            res_model="res.partner",
            res_id=binding.partner_id.id,
            record_name=binding.partner_id.display_name,
            economic_key=str(binding.economic_number),
            fields_touched=conflict.field,
            old_values=self._json({"base": conflict.base, "odoo": conflict.local}),
            new_values=self._json({"e-conomic": conflict.remote, "decision": conflict.decision}),
            message=self._conflict_message(adapter, conflict),
            binding_id=binding.id,
        )

    def _conflict_message(self, adapter, conflict):
        """The conflict's log line in words: the field as the user knows it (the label of the
        Odoo field its mapping syncs) and the decision."""
        _ = self.env._
        mapping = adapter.specs.get(conflict.field, (None,))[0]
        names = [n.strip() for n in ((mapping and mapping.odoo_field) or "").split(",")]
        field = self.env["res.partner"]._fields.get(names[0]) if names and names[0] else None
        label = field._description_string(self.env) if field else conflict.field
        decisions = {
            "remote": _("e-conomic's value kept"),
            "local": _("Odoo's value kept"),
            "undecided": _("not decided: choose under e-conomic → Conflicts"),
        }
        return _(
            "%(field)s changed on both sides; %(decision)s.",
            field=label,
            decision=decisions.get(conflict.decision, conflict.decision),
        )

    def _remote_replace(self, state, adapter, binding, record):
        client = state.client
        payload = adapter.prepare_write(record)
        kind = adapter.kind
        if kind == "customer":
            return client.customers.replace(binding.economic_number, payload)
        if kind == "supplier":
            return client.suppliers.replace(binding.economic_number, payload)
        if kind == "customer_contact":
            api = self._contacts_api(state)
            if api is not None and "objectVersion" in payload:
                # read through the customers OpenAPI: PUT back with its objectVersion
                payload.pop("customerContactNumber", None)
                return api.update(payload)
            parent = binding.parent_binding_id.economic_number
            return client.customers.contacts(parent).replace(binding.economic_number, payload)
        return client.supplier_contacts.update(payload)

    def _remote_get(self, state, binding):
        client = state.client
        kind = binding.kind
        if kind == "customer":
            return client.customers.get(binding.economic_number)
        if kind == "supplier":
            return client.suppliers.get(binding.economic_number)
        if kind == "customer_contact":
            return client.customers.contacts(binding.parent_binding_id.economic_number).get(
                binding.economic_number
            )
        return client.supplier_contacts.get(binding.economic_number)

    # ------------------------------------------------------------------ unbound remote records
    def _local_index(self, state, kind):
        """Matching index of the connection's top-level partners (built once per pass)."""
        if kind in state.local_index:
            return state.local_index[kind]
        keys = state.match_keys[kind]
        fnames = ["id"] + [LOCAL_KEY_FIELD[k] for k in keys if k in LOCAL_KEY_FIELD]
        if state.number_field and kind == "customer":
            fnames.append(state.number_field)
        rows = self.env["res.partner"].search_read(
            [("parent_id", "=", False), ("company_id", "in", [state.company.id, False])], fnames
        )

        def value_of(row, key):
            if key == "number":
                return row.get(state.number_field) if state.number_field else None
            return row.get(LOCAL_KEY_FIELD.get(key))

        index = build_index(
            rows, keys, lambda r: r["id"], value_of=value_of, country=state.country_code
        )
        state.local_index[kind] = index
        return index

    def _remote_match_values(self, state, kind, record):
        props = REMOTE_KEY_PROP[kind]
        return {key: record.get(props[key]) for key in state.match_keys[kind] if key in props}

    def _pull_unbound(self, state, adapter, records):
        kind = adapter.kind
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        index = self._local_index(state, kind)
        keys = state.match_keys[kind]
        to_create = []
        matched = {}
        for record in records:
            number = adapter.number(record)
            result = match(
                keys,
                self._remote_match_values(state, kind, record),
                index,
                country=state.country_code,
            )
            if result.status == "unique":
                matched[number] = (record, result.ids[0], result.key)
            elif result.status == "ambiguous":
                names = ", ".join(self.env["res.partner"].browse(result.ids).mapped("display_name"))
                state.counts["skipped"] += 1
                state.log(
                    entity=kind,
                    direction="pull",
                    operation="skip",
                    state="failed",
                    economic_key=str(number),
                    record_name=record.get("name"),
                    message=self.env._(
                        "Several Odoo partners match this e-conomic record by %(key)s: "
                        "%(names)s. Bind one by hand or make the data unique.",
                        key=result.key,
                        names=names,
                    ),
                )
            elif self._held(state, kind, record):
                self._log_held(state, kind, record)
            else:
                to_create.append(record)
        if matched:
            partner_ids = [pid for _r, pid, _k in matched.values()]
            existing = Binding.search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("partner_id", "in", partner_ids),
                ]
            )
            bound_by_partner = {b.partner_id.id: b for b in existing}
            for record, partner_id, key in matched.values():
                self._bind_matched(
                    state, adapter, record, partner_id, key, bound_by_partner.get(partner_id)
                )
        if to_create:
            self._create_partners(state, adapter, to_create)

    def _bind_matched(self, state, adapter, record, partner_id, key, old_binding):
        kind = adapter.kind
        number = adapter.number(record)
        partner = self.env["res.partner"].browse(partner_id)
        try:
            with self.env.cr.savepoint():
                if old_binding:
                    # renumbered in e-conomic? the old number must be gone (§6)
                    try:
                        self._remote_get(state, old_binding)
                    except NotFoundError:
                        old = old_binding.economic_number
                        old_binding.with_context(economic_sync_write=True).write(
                            {"economic_number": number, "remote_archived": False}
                        )
                        state.counts["bound"] += 1
                        state.log(
                            entity=kind,
                            direction="pull",
                            operation="bind",
                            res_model="res.partner",
                            res_id=partner.id,
                            record_name=partner.display_name,
                            economic_key=str(number),
                            message=self.env._(
                                "Renumbered in e-conomic from %(old)s to %(new)s: " "re-bound.",
                                old=old,
                                new=number,
                            ),
                            binding_id=old_binding.id,
                        )
                        self._sync_bound(state, adapter, old_binding, None, record)
                        return
                    state.counts["skipped"] += 1
                    state.log(
                        entity=kind,
                        direction="pull",
                        operation="skip",
                        state="failed",
                        res_model="res.partner",
                        res_id=partner.id,
                        record_name=partner.display_name,
                        economic_key=str(number),
                        message=self.env._(
                            "Matches %(partner)s by %(key)s, which is already bound to "
                            "e-conomic number %(other)s: bind by hand.",
                            partner=partner.display_name,
                            key=key,
                            other=old_binding.economic_number,
                        ),
                    )
                    return
                binding = self.env["economic.partner.binding"].create(
                    {
                        "backend_id": state.backend.id,
                        "kind": kind,
                        "partner_id": partner.id,
                        "economic_number": number,
                        "state": "synced",
                    }
                )
                rank = RANK_FIELD[kind]
                if not partner[rank]:
                    partner.with_context(economic_sync_write=True).write({rank: 1})
                state.counts["bound"] += 1
                state.log(
                    entity=kind,
                    direction="pull",
                    operation="bind",
                    res_model="res.partner",
                    res_id=partner.id,
                    record_name=partner.display_name,
                    economic_key=str(number),
                    message=self.env._("Matched by %(key)s.", key=key),
                    binding_id=binding.id,
                )
                self._sync_bound(state, adapter, binding, None, record)
        except (
            EconomicError,
            MissingMapping,
            RecordError,
            UserError,
            OdooValidationError,
        ) as error:
            self._record_error(state, kind, "pull", partner, error, key=number)

    def _new_partner_vals(self, state, adapter, record, parent=None):
        remote = adapter.remote_values(record)
        pull_fields = {
            m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "pull")
        }
        changes = {k: v for k, v in remote.items() if k in pull_fields}
        pvals, bvals = adapter.local_write_vals(changes)
        pvals.setdefault("name", record.get("name") or str(adapter.number(record)))
        if adapter.kind in PARTY_KINDS:
            pvals.update(
                {"is_company": True, RANK_FIELD[adapter.kind]: 1, "company_id": state.company.id}
            )
        else:
            pvals.update({"parent_id": parent.id, "type": "contact", "is_company": False})
        for fname, value in adapter.readonly_values(record).items():
            bvals[fname] = float(value) if value is not None else 0.0
        base = {k: v for k, v in remote.items() if k in pull_fields}
        return pvals, bvals, base

    def _create_partners(self, state, adapter, records, parents=None):
        """Create partners (+ bindings) for unmatched e-conomic records, in one batch: one
        ``create`` of the partners, one of the bindings, log lines created with the page.

        ``parents``: for contacts, the parent binding of each record (same order). The batch
        runs under one savepoint; if it fails, each record is retried under its own savepoint,
        so one bad record is logged (with Odoo's message) and never stops the others."""
        kind = adapter.kind
        if parents is None:
            parents = [None] * len(records)
        prepared = []
        for record, parent in zip(records, parents, strict=True):
            try:
                prepared.append(
                    (
                        record,
                        parent,
                        *self._new_partner_vals(
                            state, adapter, record, parent.partner_id if parent else None
                        ),
                    )
                )
            except MissingMapping as error:
                self._record_error(state, kind, "pull", None, error, key=adapter.number(record))
        if not prepared:
            return
        Partner = self.env["res.partner"].with_context(**BULK_CONTEXT).with_company(state.company)
        Binding = self.env["economic.partner.binding"].with_context(**BULK_CONTEXT)
        now = fields.Datetime.now()

        def binding_vals(record, parent, partner_id, bvals, base):
            return dict(
                bvals,
                backend_id=state.backend.id,
                kind=kind,
                partner_id=partner_id,
                economic_number=adapter.number(record),
                base=dump_base(base),
                state="synced",
                last_synced=now,
                parent_binding_id=parent.id if parent else False,
                remote_last_updated=record.get("lastUpdated") or False,
            )

        def log(record, pvals, partner_id, binding_id):
            state.log(
                entity=kind,
                direction="pull",
                operation="create",
                res_model="res.partner",
                res_id=partner_id,
                record_name=pvals.get("name"),
                economic_key=str(adapter.number(record)),
                binding_id=binding_id,
            )

        # a new partner is no candidate of the matching index any more: rebuilt on demand
        state.local_index.pop(kind, None)
        try:
            with self.env.cr.savepoint():
                vals_list = self._with_defaults(Partner, [p for _r, _pa, p, _b, _base in prepared])
                synced = self._with_parent_sync(Partner, vals_list)
                if synced is not None:
                    partners = Partner.with_context(_partners_skip_fields_sync=True).create(synced)
                    self._company_dependent_sync(Partner, partners)
                else:
                    partners = Partner.create(vals_list)
                bindings = Binding.create(
                    [
                        binding_vals(r, pa, pid, b, base)
                        for (r, pa, _p, b, base), pid in zip(prepared, partners.ids, strict=True)
                    ]
                )
            for (record, _pa, pvals, *_rest), pid, bid in zip(
                prepared, partners.ids, bindings.ids, strict=True
            ):
                log(record, pvals, pid, bid)
            state.counts["created"] += len(partners)
            return
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info(
                "e-conomic %s: batch create of %s %s records failed (%s), creating "
                "them one by one",
                state.backend.name,
                len(prepared),
                kind,
                error,
            )
        for record, parent, pvals, bvals, base in prepared:
            try:
                with self.env.cr.savepoint():
                    partner = Partner.create(pvals)
                    binding = Binding.create(binding_vals(record, parent, partner.id, bvals, base))
                log(record, pvals, partner.id, binding.id)
                state.counts["created"] += 1
            except Exception as error:  # noqa: BLE001 - one bad record never stops the page
                self._record_error(
                    state,
                    kind,
                    "pull",
                    None,
                    error,
                    key=adapter.number(record),
                    name=pvals.get("name"),
                )

    def _log_held(self, state, kind, record):
        state.counts["skipped"] += 1
        state.log(
            entity=kind,
            direction="pull",
            operation="skip",
            economic_key=str(state.adapters[kind].number(record)),
            record_name=record.get("name"),
            message=self.env._(
                "Not created in Odoo: it may be the e-conomic record made by an unconfirmed "
                "create of an Odoo record of the same name; held until that create is settled."
            ),
        )

    # ------------------------------------------------------------------ deletions
    def _archive_missing(self, state, kind, seen_numbers):
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        gone = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("remote_archived", "=", False),
            ]
        ).filtered(lambda b: b.economic_number not in seen_numbers)
        self._archive_bindings(state, gone)

    # ------------------------------------------------------------------ contacts pull
    def _pull_customer_contacts(self, state, customer_bindings):
        """Contacts of a page of customers through the legacy REST API (one request per
        customer: used only when the client has no customers OpenAPI service); the page of
        contacts is then synced in one batch."""
        client = state.client
        pairs = []
        complete = self.env["economic.partner.binding"]
        for cb in customer_bindings:
            try:
                contacts = client.customers.contacts(cb.economic_number).list()
            except EconomicError as error:
                self._record_error(
                    state, "customer_contact", "pull", cb.partner_id, error, key=cb.economic_number
                )
                continue
            complete |= cb
            pairs += [(cb, contact) for contact in contacts]
        self._pull_contacts_page(state, "customer_contact", pairs, complete_parents=complete)

    def _pull_contacts_stream(self, state, kind, contacts, complete):
        """Sync a stream of contacts of many parents (a whole-agreement listing), one page of
        ≤1000 at a time; ``complete``: the stream is every contact (a full read), so a bound
        contact not in it was deleted in e-conomic and is archived."""
        adapter = state.adapters[kind]
        parent_key = "customerNumber" if kind == "customer_contact" else "supplierNumber"
        seen = set()
        page = []

        def flush(page):
            parent_numbers = {c.get(parent_key) for c in page}
            parents = self.env["economic.partner.binding"].search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", PARENT_OF[kind]),
                    ("economic_number", "in", [n for n in parent_numbers if n]),
                    ("remote_archived", "=", False),
                ]
            )
            by_number = {b.economic_number: b for b in parents}
            pairs = []
            for contact in page:
                parent = by_number.get(contact.get(parent_key))
                if parent:
                    pairs.append((parent, contact))
                else:  # its customer/supplier is not bound (failed or archived): later
                    state.counts["skipped"] += 1
            self._pull_contacts_page(state, kind, pairs)
            state.records_done += len(page)
            self._commit(state)
            self._notify(state, state.records_done)

        for contact in contacts:
            seen.add(adapter.number(contact))
            page.append(contact)
            if len(page) >= PAGE_SIZE:
                flush(page)
                page = []
        if page:
            flush(page)
        if complete:
            gone = (
                self.env["economic.partner.binding"]
                .search(
                    [
                        ("backend_id", "=", state.backend.id),
                        ("kind", "=", kind),
                        ("remote_archived", "=", False),
                    ]
                )
                .filtered(lambda b: b.economic_number not in seen)
            )
            self._archive_bindings(state, gone)
            self._commit(state)

    def _pull_contacts_page(self, state, kind, pairs, complete_parents=None):
        """One page of contacts, ``pairs`` = ``[(parent binding, contact record)]``: one search
        of the existing bindings, one read of their partners, one read of the parents' unbound
        children for matching, one batch create of the new ones.

        ``complete_parents``: parents whose every contact is in ``pairs``: their bound
        contacts missing from it are archived (deleted in e-conomic)."""
        adapter = state.adapters[kind]
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        parents = Binding.concat(*{p.id: p for p, _c in pairs}.values())
        if complete_parents:
            parents |= complete_parents
        if not parents:
            return
        existing = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("parent_binding_id", "in", parents.ids),
            ]
        )
        by_key = {(b.parent_binding_id.id, b.economic_number): b for b in existing}
        wanted = [
            by_key[(p.id, adapter.number(c))]
            for p, c in pairs
            if (p.id, adapter.number(c)) in by_key
        ]
        pdata = self._read_partners(state, adapter, Binding.concat(*wanted).partner_id)
        seen = set()
        unbound = []
        for parent, contact in pairs:
            key = (parent.id, adapter.number(contact))
            seen.add(key)
            binding = by_key.get(key)
            if binding:
                self._sync_bound_safe(
                    state, adapter, binding, pdata.get(binding.partner_id.id), contact
                )
            else:
                unbound.append((parent, contact))
        if unbound:
            self._pull_unbound_contacts(state, adapter, unbound, existing)
        if complete_parents:
            gone = existing.filtered(
                lambda b: b.parent_binding_id in complete_parents
                and not b.remote_archived
                and (b.parent_binding_id.id, b.economic_number) not in seen
            )
            self._archive_bindings(state, gone)

    def _pull_unbound_contacts(self, state, adapter, unbound, existing):
        """Match new contacts by email, then name, among their parent's unbound child
        contacts (one read for the whole page); a unique match binds, the rest is created in
        one batch."""
        kind = adapter.kind
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        parent_partner = {p.id: p.partner_id.id for p, _c in unbound}
        bound_ids = set(existing.partner_id.ids)
        rows_by_parent = {}
        for row in (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search_read(
                [("parent_id", "in", list(set(parent_partner.values())))],
                ["parent_id", "email", "name"],
            )
        ):
            if row["id"] not in bound_ids:
                rows_by_parent.setdefault(row["parent_id"][0], []).append(row)
        indexes = {}
        to_bind, to_create, create_parents = [], [], []
        for parent, contact in unbound:
            pid = parent_partner[parent.id]
            rows = rows_by_parent.get(pid)
            result = None
            if rows:
                if pid not in indexes:
                    indexes[pid] = build_index(rows, ["email", "name"], lambda r: r["id"])
                result = match(["email", "name"], contact, indexes[pid])
            if result is not None and result.status == "unique":
                partner_id = result.ids[0]
                for bucket in indexes[pid].values():
                    for ids in bucket.values():
                        if partner_id in ids:
                            ids.remove(partner_id)
                to_bind.append((parent, contact, partner_id))
            elif self._held(state, kind, contact):
                self._log_held(state, kind, contact)
            else:
                to_create.append(contact)
                create_parents.append(parent)
        for parent, contact, partner_id in to_bind:
            try:
                with self.env.cr.savepoint():
                    binding = Binding.create(
                        {
                            "backend_id": state.backend.id,
                            "kind": kind,
                            "partner_id": partner_id,
                            "economic_number": adapter.number(contact),
                            "parent_binding_id": parent.id,
                        }
                    )
            except Exception as error:  # noqa: BLE001 - one bad record never stops the page
                self._record_error(
                    state,
                    kind,
                    "pull",
                    self.env["res.partner"].browse(partner_id),
                    error,
                    key=adapter.number(contact),
                )
                continue
            state.counts["bound"] += 1
            self._sync_bound_safe(state, adapter, binding, None, contact)
        if to_create:
            self._create_partners(state, adapter, to_create, parents=create_parents)

    @staticmethod
    def _with_parent_sync(model, vals_list):
        """New contacts' values with what ``res.partner.create`` would copy from their parent
        afterwards, record by record (``_fields_sync``: two ``write`` each, with the pricelist
        and other computations of every field written): the commercial fields of the parent's
        commercial entity, the parent's address if it has one, its language if none is given.
        The caller creates them with ``_partners_skip_fields_sync`` (as Odoo's own batched
        ``_load_records_create`` does), so the result is the same with no write per record.

        Returns None (create the normal way) unless every record is a contact (not a company)
        with a parent, and no record would copy its own address up to an address-less parent
        (``_handle_first_contact_creation``)."""
        if not vals_list or any(
            not vals.get("parent_id") or vals.get("type") != "contact" or vals.get("is_company")
            for vals in vals_list
        ):
            return None
        address_fields = model._address_fields()
        commercial_fields = model._commercial_fields()
        parents = model.sudo().browse(list(dict.fromkeys(v["parent_id"] for v in vals_list)))
        copied = {}
        for parent in parents:  # prefetched together: computed fields computed once per batch
            vals = parent.commercial_partner_id._update_fields_values(commercial_fields)
            if any(parent[key] for key in address_fields):
                vals.update(
                    (
                        key,
                        parent[key].id
                        if isinstance(parent[key], models.BaseModel)
                        else parent[key],
                    )
                    for key in address_fields
                )
            copied[parent.id] = (
                vals,
                bool(any(parent[key] for key in address_fields)),
                parent.lang,
            )
        out = []
        for vals in vals_list:
            parent_vals, has_address, lang = copied[vals["parent_id"]]
            if not has_address and any(vals.get(key) for key in address_fields):
                return None
            new = dict(vals, **parent_vals)
            if "lang" not in vals:
                new["lang"] = lang or model.env.context.get("default_lang") or model.env.lang
            out.append(new)
        EconomicSyncEngine._pricelist_as_specific(model, out, vals_list)
        return out

    @staticmethod
    def _pricelist_as_specific(model, vals_list, own_vals_list):
        """``property_product_pricelist`` (product) is a computed field whose inverse runs a
        pricelist search per record; set what that inverse stores instead, per distinct
        (pricelist, country): the pricelist as the specific one unless it is the default of
        contact's own country (``_inverse_product_pricelist``, Odoo 18; ``_fields_sync`` runs it
        before the parent's address is copied, so with the country of ``own_vals_list``)."""
        field = model._fields.get("property_product_pricelist")
        if (
            field is None
            or field.inverse != "_inverse_product_pricelist"
            or "specific_property_product_pricelist" not in model._fields
        ):
            return
        Pricelist = model.env["product.pricelist"].sudo()
        Country = model.env["res.country"]
        defaults = {}
        for vals, own in zip(vals_list, own_vals_list, strict=True):
            if "property_product_pricelist" not in vals:
                continue
            pricelist = vals.pop("property_product_pricelist")
            if not pricelist:
                continue  # the inverse changes nothing (no specific pricelist on a new contact)
            code = Country.browse(own["country_id"]).code if own.get("country_id") else False
            if code not in defaults:
                defaults[code] = Pricelist.search(
                    [("country_group_ids.country_ids.code", "=", code)], limit=1
                ).id
            vals["specific_property_product_pricelist"] = (
                False if pricelist == defaults[code] else pricelist
            )

    @staticmethod
    def _company_dependent_sync(model, partners):
        """The company-dependent commercial fields of new contacts in the other companies
        (``_company_dependent_commercial_sync``), one write per company and distinct value."""
        fnames = model._company_dependent_commercial_fields()
        if not fnames:
            return
        for company in model.env["res.company"].sudo().search([]):
            if company == model.env.company:
                continue
            groups = {}
            for partner in partners.sudo().with_company(company):
                vals = partner.commercial_partner_id._update_fields_values(fnames)
                key = repr(sorted(vals.items()))
                groups.setdefault(key, (vals, []))[1].append(partner.id)
            for vals, ids in groups.values():
                model.sudo().with_company(company).browse(ids).write(vals)

    @staticmethod
    def _with_defaults(model, vals_list):
        """The default values of a batch computed once, not once per record (some defaults run
        a query each, e.g. account's ``display_invoice_template_pdf_report_id``)."""
        if len(vals_list) < 2:
            return vals_list
        given = set().union(*vals_list)
        names = [n for n, f in model._fields.items() if n not in given and f.default is not None]
        defaults = model.default_get(names)
        return [dict(defaults, **vals) for vals in vals_list]

    def _archive_bindings(self, state, bindings, message=None):
        """Bound records deleted in e-conomic: archive their partners (never delete), in one
        write, and log each. A partner still bound to another live e-conomic record (the
        supplier of a deleted customer) stays active: archiving it would push ``barred`` to
        that record, and it still exists there."""
        if not bindings:
            return
        bindings.with_context(economic_sync_write=True).write(
            {"remote_archived": True, "last_synced": fields.Datetime.now()}
        )
        others = (
            self.env["economic.partner.binding"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", bindings.partner_id.ids),
                    ("id", "not in", bindings.ids),
                    ("remote_archived", "=", False),
                ]
            )
        )
        kept = others.partner_id
        archive = bindings.partner_id - kept
        # with the caller's rights (a user's Refresh); a pass runs as the scheduled action's user
        self.env["res.partner"].browse(archive.ids).with_context(**BULK_CONTEXT).write(
            {"active": False}
        )
        deleted = message or self.env._("Deleted in e-conomic: archived in Odoo.")
        still_bound = self.env._(
            "Deleted in e-conomic; the partner stays active, as it is still bound to another "
            "e-conomic record."
        )
        for binding in bindings:
            partner = binding.partner_id
            state.counts["archived"] += 1
            message = still_bound if partner in kept else deleted
            state.log(
                entity=binding.kind,
                direction="pull",
                operation="archive",
                res_model="res.partner",
                res_id=partner.id,
                record_name=partner.display_name,
                economic_key=str(binding.economic_number),
                message=message,
                binding_id=binding.id,
            )

    def _pull_supplier_contacts(self, state):
        """Supplier contacts: one cursor listing of the agreement (suppliers OpenAPI), always
        complete (no change stamp), compared with the base."""
        self._pull_contacts_stream(
            state, "supplier_contact", state.client.supplier_contacts.iter(), complete=True
        )

    # ================================================================== push
    def _pending_bindings(self, state, kind):
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT b.id FROM economic_partner_binding b
             WHERE b.backend_id = %s AND b.kind = %s AND NOT COALESCE(b.remote_archived, false)
               AND (b.state IN ('pending', 'conflict', 'error') OR b.overrides IS NOT NULL
                    OR b.last_synced IS NULL)
             ORDER BY b.id""",
            (state.backend.id, kind),
        )
        return self.env["economic.partner.binding"].browse([r[0] for r in self.env.cr.fetchall()])

    def _push_parties(self, state, kind):
        if not state.settings[kind]["push"]:
            return
        adapter = state.adapters[kind]
        pending = self._pending_bindings(state, kind).filtered(lambda b: b.id not in state.touched)
        for batch in self._split(pending, 200):
            pdata = self._read_partners(state, adapter, batch.partner_id)
            for binding in batch:
                self._push_bound(state, adapter, binding, pdata.get(binding.partner_id.id))
            self._commit(state)
        # never bound local partners of that rank: match against e-conomic, then create
        rank = RANK_FIELD[kind]
        self.env.cr.execute(
            """
            SELECT p.id FROM res_partner p
             WHERE p.active AND p.parent_id IS NULL AND p.%s > 0
               AND (p.company_id = %%s OR (p.company_id IS NULL AND %%s))
               AND NOT EXISTS (SELECT 1 FROM economic_partner_binding b
                                WHERE b.partner_id = p.id AND b.backend_id = %%s AND b.kind = %%s)
             ORDER BY p.id"""
            % rank,
            (
                state.company.id,
                bool(state.backend.push_shared_partners),
                state.backend.id,
                kind,
            ),
        )
        partners = self._push_scope(state, kind, [r[0] for r in self.env.cr.fetchall()])
        for batch in self._split(partners, IN_CHUNK):
            self._push_new(state, adapter, batch)
            self._commit(state)

    def _push_scope(self, state, kind, partner_ids):
        """The new partners a pass may create in e-conomic: those matching the entity's
        *Push Only* domain (one search). Partners shared between companies (no company) are
        in scope only where the connection says so (``push_shared_partners``): never created
        in every company's agreement by default."""
        Partner = self.env["res.partner"]
        setting = state.settings[kind]["setting"]
        domain = setting._get_push_domain() if setting else []
        if not partner_ids or not domain:
            return Partner.browse(partner_ids)
        return Partner.with_context(active_test=False).search(
            [("id", "in", partner_ids)] + list(domain), order="id"
        )

    @staticmethod
    def _split(records, size):
        for start in range(0, len(records), size):
            yield records[start : start + size]

    def _push_bound(self, state, adapter, binding, pvals):
        try:
            record = self._remote_get(state, binding)
        except NotFoundError:
            # gone in e-conomic: a renumber is found by the pull, a deletion archives (§6)
            return False
        except EconomicError as error:
            self._record_error(
                state,
                adapter.kind,
                "push",
                binding.partner_id,
                error,
                binding=binding,
                key=binding.economic_number,
            )
            return False
        return self._sync_bound_safe(state, adapter, binding, pvals, record, direction="push")

    def _remote_candidates(self, state, kind, key, values):
        """The e-conomic records of ``kind`` whose property for matching ``key`` may equal one
        of ``values`` (local values, not normalised): a superset, the index decides.

        Numbers with ``$in:`` (numeric properties only); text with ``$or:`` chains
        (``F.any_of``), because e-conomic's ``$in:`` matches nothing on text (research §3.2):
        ``$eq:`` on the usual spellings of a VAT number or a phone number, ``$like:``
        (contains) on each e-mail address, as e-conomic's e-mail field may hold several."""
        prop = REMOTE_KEY_PROP[kind][key]
        service = state.client.customers if kind == "customer" else state.client.suppliers
        if key == "number":
            numbers = set()
            for value in values:
                numbers.update(normalise("number", value))
            flt = F(prop).in_(sorted(numbers)) if numbers else None
        elif key == "email":
            addresses = set()
            for value in values:
                addresses.update(normalise("email", value))
            flt = F(prop).any_of(sorted(addresses), like=True) if addresses else None
        else:
            spellings = set()
            for value in values:
                spellings.update(self._key_spellings(state, key, value))
            flt = F(prop).any_of(sorted(spellings)) if spellings else None
        if flt is None:
            return []
        return list(service.iter(filter=flt))

    @staticmethod
    def _key_spellings(state, key, value):
        """The spellings of a local VAT or phone value that e-conomic may hold (``$eq:`` is
        case-insensitive): as typed, normalised, with the country prefix or calling code."""
        text = " ".join(str(value).split())
        out = {text} if text else set()
        if key == "vat":
            for vat in normalise("vat", value, country=state.country_code):
                out.add(vat)
                if state.country_code:
                    out.add(state.country_code + vat)
        elif key == "phone":
            code = COUNTRY_CALLING_CODES.get(state.country_code or "")
            for phone in normalise("phone", value, country=state.country_code):
                out.add(phone)
                if phone.startswith("+"):
                    continue
                national = [phone]
                if len(phone) == 8:  # Danish style "12 34 56 78"
                    national.append(" ".join(phone[i : i + 2] for i in range(0, 8, 2)))
                out.update(national)
                if code:
                    for spelling in national:
                        out.add("+%s %s" % (code, spelling))
                    out.add("+%s%s" % (code, phone))
        return out

    def _remote_all(self, state, kind):
        """Every e-conomic record of ``kind``, read once per pass (suppliers: no change stamp
        and not every matching key is filterable, so they are matched on a full read)."""
        cache = state.remote_all
        if kind not in cache:
            service = state.client.customers if kind == "customer" else state.client.suppliers
            cache[kind] = list(service.iter())
        return cache[kind]

    def _remote_index(self, state, kind, partners_rows):
        """Find e-conomic records that may match ``partners_rows`` by the matching keys and
        index them. Returns ``(index, found, failed)``: ``failed`` maps a key whose look-up
        failed to the error text; the caller must not create a record that this key could
        have matched (one key's failure never stops the pass).

        Suppliers are read in full once per pass (e-conomic cannot filter suppliers by phone,
        and they are read in full by the pull anyway); customers are looked up per key, only
        for the values present (filterable: number, CVR, e-mail, phone)."""
        keys = state.match_keys[kind]
        props = REMOTE_KEY_PROP[kind]
        key_of = ADAPTER_CLASSES[kind].key
        found = {}
        failed = {}
        if kind in FULL_READ_MATCHING:
            try:
                for record in self._remote_all(state, kind):
                    found[record[key_of]] = record
            except EconomicError as error:
                failed = dict.fromkeys(keys, self._error_text(state.backend, error))
        else:
            for key in keys:
                if key not in props:
                    continue
                values = {
                    row.get(state.number_field if key == "number" else LOCAL_KEY_FIELD[key])
                    for row in partners_rows
                }
                values.discard(False)
                values.discard(None)
                if not values:
                    continue
                try:
                    records = self._remote_candidates(state, kind, key, values)
                except EconomicError as error:
                    failed[key] = self._error_text(state.backend, error)
                    _logger.info(
                        "e-conomic %s: matching %s by %s failed: %s",
                        state.backend.name,
                        kind,
                        key,
                        failed[key].splitlines()[0] if failed[key] else "",
                    )
                    continue
                for record in records:
                    found[record[key_of]] = record
        index = build_index(
            found.values(),
            keys,
            lambda r: r[key_of],
            value_of=lambda r, k: r.get(props.get(k)) if k in props else None,
            country=state.country_code,
        )
        return index, found, failed

    def _push_new(self, state, adapter, partners):
        kind = adapter.kind
        fnames = list(
            set(adapter.partner_fields())
            | {"vat", "email", "phone"}
            | ({state.number_field} if state.number_field else set())
        )
        rows = partners.with_company(state.company).read(fnames)
        index, found, failed = self._remote_index(state, kind, rows)
        bound_numbers = set(
            self.env["economic.partner.binding"]
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("economic_number", "in", list(found)),
                ]
            )
            .mapped("economic_number")
        )
        to_create = []
        for row in rows:
            partner = self.env["res.partner"].browse(row["id"])
            values = {
                k: (
                    row.get(state.number_field)
                    if k == "number"
                    else row.get(LOCAL_KEY_FIELD.get(k))
                )
                for k in state.match_keys[kind]
            }
            result = match(
                state.match_keys[kind],
                values,
                index,
                country=state.country_code,
                exclude=bound_numbers,
            )
            unchecked = self._unchecked_key(state, kind, values, result, failed)
            if unchecked:
                # a key that could have matched was not looked up: creating might duplicate
                self._record_error(
                    state,
                    kind,
                    "push",
                    partner,
                    self.env._(
                        "Not created in e-conomic: looking for an existing record by %(key)s "
                        "failed, retried on the next pass.\n%(error)s",
                        key=unchecked,
                        error=failed[unchecked],
                    ),
                )
                continue
            if result.status == "ambiguous":
                state.counts["skipped"] += 1
                state.log(
                    entity=kind,
                    direction="push",
                    operation="skip",
                    state="failed",
                    res_model="res.partner",
                    res_id=partner.id,
                    record_name=partner.display_name,
                    message=self.env._(
                        "Several e-conomic records match by %(key)s: %(numbers)s. "
                        "Bind by hand or make the data unique.",
                        key=result.key,
                        numbers=", ".join(str(n) for n in result.ids),
                    ),
                )
                continue
            if result.status == "unique":
                number = result.ids[0]
                bound_numbers.add(number)
                self._bind_found(
                    state,
                    adapter,
                    partner,
                    found[number],
                    self.env._("Matched by %(key)s.", key=result.key),
                    row=row,
                )
                continue
            to_create.append((partner, row, None))
        self._create_remote_batch(state, adapter, to_create)

    def _bind_found(self, state, adapter, partner, record, message, row=None, parent=None):
        """Bind ``partner`` to the e-conomic ``record`` found for it (by matching, or as the
        result of an unconfirmed create), log it, and sync the pair as a push. Returns the
        binding, or False (the error is logged)."""
        kind = adapter.kind
        number = adapter.number(record)
        try:
            with self.env.cr.savepoint():
                binding = self.env["economic.partner.binding"].create(
                    {
                        "backend_id": state.backend.id,
                        "kind": kind,
                        "partner_id": partner.id,
                        "economic_number": number,
                        "parent_binding_id": parent.id if parent else False,
                    }
                )
        except Exception as error:  # noqa: BLE001 - logged, retried on the next pass
            self._record_error(state, kind, "push", partner, error, key=number)
            return False
        state.counts["bound"] += 1
        state.log(
            entity=kind,
            direction="push",
            operation="bind",
            res_model="res.partner",
            res_id=partner.id,
            record_name=partner.display_name,
            economic_key=str(number),
            message=message,
            binding_id=binding.id,
        )
        self._sync_bound_safe(state, adapter, binding, row, record, direction="push")
        return binding

    @staticmethod
    def _unchecked_key(state, kind, values, result, failed):
        """The first failed matching key that could have decided ``result`` (it comes before
        the deciding key and the record has a value for it), else None."""
        if not failed:
            return None
        keys = state.match_keys[kind]
        last = keys.index(result.key) if result.key in keys else len(keys)
        for key in keys[:last]:
            if key in failed and normalise(key, values.get(key), country=state.country_code):
                return key
        return None

    def _push_contacts(self, state, kind, parents=None):
        """Push the pending contacts of ``kind`` and create the new ones; ``parents``: only the
        contacts of those partners (Push now of one partner)."""
        if not state.settings[kind]["push"]:
            return
        adapter = state.adapters[kind]
        pending = self._pending_bindings(state, kind).filtered(
            lambda b: b.id not in state.touched
            and (parents is None or b.partner_id.parent_id in parents)
        )
        pdata = self._read_partners(state, adapter, pending.partner_id)
        for binding in pending:
            self._push_bound(state, adapter, binding, pdata.get(binding.partner_id.id))
        # new child contacts of bound parents
        parent_kind = PARENT_OF[kind]
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id, pb.id FROM res_partner p
              JOIN economic_partner_binding pb ON pb.partner_id = p.parent_id
                   AND pb.backend_id = %s AND pb.kind = %s AND NOT COALESCE(pb.remote_archived, false)
             WHERE p.active AND p.type = 'contact' AND NOT p.is_company
               AND NOT EXISTS (SELECT 1 FROM economic_partner_binding b
                                WHERE b.partner_id = p.id AND b.backend_id = %s AND b.kind = %s)
               AND (%s OR p.parent_id = ANY(%s))
             ORDER BY p.id""",
            (
                state.backend.id,
                parent_kind,
                state.backend.id,
                kind,
                parents is None,
                list(parents.ids) if parents is not None else [],
            ),
        )
        rows = self.env.cr.fetchall()
        if not rows:
            return
        partners = self._push_scope(state, kind, [r[0] for r in rows])
        parents = dict(rows)
        pdata = self._read_partners(state, adapter, partners)
        Binding = self.env["economic.partner.binding"]
        self._create_remote_batch(
            state,
            adapter,
            [(p, pdata[p.id], Binding.browse(parents[p.id])) for p in partners],
        )
