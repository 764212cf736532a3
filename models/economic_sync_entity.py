"""``economic.sync.entity``: the base of every entity module, and what they share.

An entity module is an AbstractModel inheriting this one; it declares the entities it syncs and
implements the hooks below (docs/ENGINE.md, "Entity modules"). This base applies
``sync_core``'s three-way merge to one bound pair whatever the entity (the adapter converts, the
module reads and writes e-conomic), and records errors, conflicts and deletions the same way
for every entity.
"""

import logging
from contextlib import contextmanager
from typing import NamedTuple

import psycopg2

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.exceptions import ValidationError as OdooValidationError
from odoo.service.model import _as_validation_error

from ..economic_client import EconomicError, F, NotFoundError
from ..engine.adapters import MissingMapping
from .economic_create_attempt import is_refusal
from .economic_sync_state import (
    BULK_CONTEXT,
    PAGE_SIZE,
    PassPaused,
    RecordError,
    UnexpectedRecordError,
)

_logger = logging.getLogger(__name__)


#: what one record's failure may raise without stopping the page
class Entity(NamedTuple):
    """What an entity module declares about one entity it syncs (docs/ENGINE.md, "How an
    entity declares itself"). The shared models build their selections, rows and dispatch
    from these declarations; they name no entity themselves."""

    #: the key (``economic.entity.setting.entity``, log lines, conflicts, mappings)
    key: str
    #: the entity in the plural, lazily translated (``_lt``): settings and mappings
    label: object
    #: one record of it (``_lt``): log lines and conflicts
    label_one: object
    #: the Odoo model of its records (Refresh / Push now dispatch, Push Only domains, the
    #: fields its mappings name)
    res_model: str
    #: its row in the connection's entity list (lower first)
    sequence: int
    #: the module can push it (the others are read from e-conomic only)
    push: bool = False
    #: e-conomic is its source: a new connection reads it with the strategy ``read_only``
    read_first: bool = False
    #: its pull posts entries in Odoo's books: off until the accountant switches it on
    opt_in: bool = False
    #: the module reads it from e-conomic (False: push only, e.g. customer payments: the
    #: connection shows no pull switch for it)
    pull: bool = True


RECORD_ERRORS = (EconomicError, MissingMapping, RecordError, UserError, OdooValidationError)
#: errors of the transaction as a whole (another transaction won): never one record's failure
TRANSACTION_ERRORS = (
    psycopg2.errors.SerializationFailure,
    psycopg2.errors.DeadlockDetected,
    psycopg2.errors.LockNotAvailable,
    psycopg2.errors.QueryCanceled,
)


class EconomicSyncEntity(models.AbstractModel):
    _name = "economic.sync.entity"
    _inherit = "economic.sync.base"
    _description = "e-conomic Sync: entity module"

    #: the entities this module syncs: ``Entity`` declarations (key, labels, Odoo model...)
    _economic_entities = ()
    #: where the module runs in a pass (lower first): references 10, accounts 20, products 30,
    #: customers/suppliers and their contacts 40, documents 50+
    _economic_sequence = 100
    #: run in every pass, whatever entities it asked for (references)
    _economic_always = False
    #: its binding model (``economic.binding.mixin``)
    _economic_binding_model = None
    #: the field-mapping converters its mappings use besides the shared ones, ``(key, _lt
    #: label)`` (the adapters implement them)
    _economic_converters = ()
    #: its e-conomic properties in words, as e-conomic's screens name them (``_lt``)
    _economic_property_labels = {}

    # ================================================================== declarations
    def _economic_keys(self):
        """The keys of the entities this module syncs."""
        return tuple(spec.key for spec in self._economic_entities)

    def _economic_res_models(self):
        """The Odoo models of its records."""
        return tuple(dict.fromkeys(spec.res_model for spec in self._economic_entities))

    # ================================================================== hooks
    def _economic_prepare(self, state):
        """Add what the module needs to a new ``PassState`` (adapters, indexes)."""

    def _economic_pass(self, state, entities, full):
        """Pull, then push, ``entities`` (a subset of ``_economic_entities``); commit per page
        (``self._commit(state)``)."""
        raise NotImplementedError

    def _economic_default_mappings(self, entity):
        """The field mappings of ``entity`` (``Mapping`` tuples): a new connection's pre-filled
        mappings, and what a pass uses when the connection has none. An entity with none has
        no field mappings."""
        return []

    def _economic_defaults(self, backends):
        """Create what the module's entities need on ``backends`` besides their settings and
        mappings (e.g. matching keys); called on create and on module update. Idempotent."""

    def _economic_money_props(self, entity):
        """The e-conomic properties of ``entity`` that are amounts in the agreement's base
        currency: while it is not the company's currency they are kept on the binding, never
        synced with Odoo fields (``economic.sync.engine._economic_mappings``)."""
        return ()

    def _economic_record_counts(self, backend_ids):
        """``{(backend id, entity): number of records synced}`` for the dashboard (one grouped
        query over the module's bindings)."""
        if not self._economic_binding_model:
            return {}
        Binding = self.env[self._economic_binding_model]
        by_kind = "kind" in Binding._fields
        groupby = ["backend_id", "kind"] if by_kind else ["backend_id"]
        out = {}
        for row in Binding._read_group(
            [("backend_id", "in", backend_ids)], groupby=groupby, aggregates=["__count"]
        ):
            entity = row[1] if by_kind else Binding._economic_entity_name
            out[(row[0].id, entity)] = row[-1]
        return out

    def _economic_adapter(self, state, entity):
        return state.adapters[entity]

    def _economic_read_local(self, state, adapter, records):
        """``{id: row}`` of the Odoo records' synced fields (one ``read``)."""
        if not records:
            return {}
        records = records.with_context(active_test=False).with_company(state.company)
        return {row["id"]: row for row in records.read(adapter.local_fields())}

    def _economic_binding_values(self, binding):
        """The binding-level values the adapter reads (per agreement, not on the record)."""
        return {}

    def _economic_remote_get(self, state, binding):
        raise NotImplementedError

    def _economic_remote_replace(self, state, adapter, binding, record):
        raise NotImplementedError

    def _economic_refresh_record(self, state, record):
        """Refresh (pull now) one Odoo record of ``_economic_res_models``."""
        bindings = self.env[self._economic_binding_model]._economic_bindings_of(state, record)
        if not bindings:
            raise UserError(self.env._("This record is not bound to e-conomic yet."))
        for binding in bindings:
            self._economic_refresh_binding(state, binding)

    def _economic_push_record(self, state, record):
        """Push now one Odoo record."""
        raise UserError(self.env._("This record cannot be pushed to e-conomic."))

    def _economic_refresh_binding(self, state, binding):
        entity = binding._economic_entity()
        try:
            record = self._economic_remote_get(state, binding)
        except NotFoundError:
            self._archive_bindings(state, binding)
            return True
        except EconomicError as error:
            self._record_error(state, entity, "pull", binding._economic_record(), error, binding)
            return False
        adapter = self._economic_adapter(state, entity)
        return self._sync_bound_safe(state, adapter, binding, None, record) is not False

    def _economic_end_reused(self, state, binding):
        """e-conomic gave a deleted record's key to another record: the old record is
        archived as deleted and unbound, so the new one is matched or created like any other."""
        message = self.env._(
            "e-conomic key %(key)s now belongs to another record: this one was deleted in "
            "e-conomic; archived in Odoo and unbound.",
            key=binding.economic_key,
        )
        if not binding.remote_archived:
            self._archive_bindings(state, binding, message=message)
        binding.sudo().unlink()

    # ------------------------------------------------------------------ webhooks
    #: e-conomic's webhook event types this module declares (``WebhookEvent`` of
    #: ``models/webhooks/declaration.py``: stored type, URL segment, webhooks-API event type,
    #: label, entity, merge fields and their accepted names, key parser, what an "everything"
    #: event pulls). The event model, the connection's URLs and registration, the processing and
    #: the public controller are built from them (``economic.webhook.event._economic_event_types``)
    _economic_webhooks = ()

    def _economic_pull_keys(self, state, entity, keys, renames):
        """Pull exactly the records of ``entity`` numbered ``keys`` (webhook events, processed
        under the connection's lock: ``models/webhooks/process.py``), with the merge and log
        lines of a pass; ``renames`` (``{old key: new key}``) are re-keyed first, so a
        renumbered record keeps its Odoo record, and a record e-conomic no longer has is
        archived. Returns ``{key: Odoo record}`` of the records reached (an event whose key is
        missing says "nothing to pull"). Implemented by the module of every entity a declared
        webhook event names; this default reaches nothing."""
        return {}

    # ------------------------------------------------------------------ work waiting (issue 16)
    def _economic_waiting_work(self):
        """``{backend id: [entities]}``: the connections with work of this module waiting now,
        whatever their schedule (invoices: paid orders whose e-conomic draft the paid-order
        rule asked for). The scheduled action asks every module on each run and runs those
        entities at once, off schedule (the connection's next pass is left as it is), each
        connection in a transaction of its own, for the active connections it has not run in
        the same run (``economic.backend._cron_waiting_work``). A module whose work waits
        wakes the action itself (``ir.cron._trigger``). Called on every run: a grouped query,
        never one per record. Default: nothing waits."""
        return {}

    # ------------------------------------------------------------------ VAT zones (issue 16)
    def _economic_vat_zone(self, state, partner, position=None, binding=None):
        """The e-conomic VAT zone number (``vatZoneNumber``) of a document or of a new
        customer or supplier ``partner`` (its commercial entity): the zone the connection maps
        to the fiscal position ``position`` (``binding``'s own zone first where several share
        it), else ``binding``'s zone (the partner's in e-conomic), else the connection's zone
        for the partner's country (none or the company's: domestic; in Europe: EU; else
        abroad). No zone: a ``MissingMapping`` asking for the connection's zones (naming the
        partner where ``binding`` has none either). docs/ENGINE.md, "VAT zones and fiscal
        positions"."""
        own = binding.vat_zone_id if binding else None
        if position:
            zones = self._references(state, "vat_zone").filtered(
                lambda r: r.fiscal_position_id == position
            )
            zone = own if own and own in zones else zones[:1]
            if zone:
                return int(zone.number)
        if own:
            return int(own.number)
        backend = state.backend
        country = partner.country_id
        if not country or country == state.company.country_id:
            zone = backend.vat_zone_domestic_id
        elif country in self.env.ref("base.europe").country_ids:
            zone = backend.vat_zone_eu_id
        else:
            zone = backend.vat_zone_abroad_id
        if zone:
            return int(zone.number)
        _ = self.env._
        raise MissingMapping(
            _(
                "Choose the VAT zones of the connection (domestic, EU, abroad) under "
                "Defaults: the customer %(partner)s has none in e-conomic.",
                partner=partner.display_name,
            )
            if binding
            else _("Choose the VAT zones of the connection (domestic, EU, abroad) under Defaults.")
        )

    def _references(self, state, kind):
        """The connection's ``economic.reference`` records of ``kind`` in e-conomic's order,
        read once per pass (cached on ``state``)."""
        cache = getattr(state, "economic_refs", None)
        if cache is None:
            cache = state.economic_refs = {}
        if kind not in cache:
            cache[kind] = (
                self.env["economic.reference"]
                .search([("backend_id", "=", state.backend.id), ("kind", "=", kind)])
                .sorted(lambda r: r.sequence_key)
            )
        return cache[kind]

    # ------------------------------------------------------------------ the Odoo side's writes
    def _economic_pushed_fields(self, backend_id, entity):
        """The fields of ``entity``'s Odoo records whose change by a user is something to push
        on connection ``backend_id`` (those of its active mappings that push): such a change
        makes the record's binding pending (``economic.synced.record``, which the Odoo model
        inherits). Called on every write of a synced field: cache it (``tools.ormcache``, which
        a change of a mapping clears). None by default."""
        return frozenset()

    # ------------------------------------------------------------------ renumbered records
    def _economic_rekey(self, state, entity, domain, renames):
        """e-conomic renumbered records of ``entity`` (``renames``: ``{old key: new key}``,
        text as in ``economic_key``; from a webhook, or a bound record's old key found gone):
        the module's bindings (``_economic_binding_model``, within ``domain``: the keys'
        scope, e.g. the connection and the kind) take the new keys, so each record keeps its
        one Odoo record. One "bind" log line each, counted as bound. A binding whose new key
        is already bound within ``domain`` keeps its key (the record at the new key has its
        own binding). Two searches, then one write per binding (renumbering is rare).
        Returns the bindings re-keyed."""
        Binding = self.env[self._economic_binding_model].with_context(active_test=False)
        if not renames:
            return Binding
        taken = set(
            Binding.search(domain + [("economic_key", "in", list(set(renames.values())))]).mapped(
                "economic_key"
            )
        )
        done = Binding
        for binding in Binding.search(domain + [("economic_key", "in", list(renames))]):
            old = binding.economic_key
            new = renames[old]
            if new in taken:
                continue
            binding.with_context(economic_sync_write=True).write({"economic_key": new})
            taken.add(new)
            done |= binding
            state.counts["bound"] += 1
            state.log_record(
                entity,
                "bind",
                binding._economic_record(),
                binding,
                message=self.env._(
                    "Renumbered in e-conomic from %(old)s to %(new)s: re-bound.", old=old, new=new
                ),
            )
        return done

    # ================================================================== errors
    def _record_error(
        self, state, kind, direction, record, error, binding=None, key=None, name=None
    ):
        """One record failed: its binding says so, a failed log line says why (an error
        nobody foresaw in words of our own: its details go to the server log only)."""
        if isinstance(error, Exception) and not isinstance(error, RECORD_ERRORS):
            if isinstance(error, TRANSACTION_ERRORS):
                raise error
            error = self._known_integrity_error(error) or error
        if isinstance(error, Exception) and not isinstance(error, RECORD_ERRORS):
            _logger.warning(
                "e-conomic %s: unexpected error on one record (logged in the sync log)",
                state.backend.name,
                exc_info=error,
            )
            error = UnexpectedRecordError(error)
        message = self._error_text(state.backend, error)
        if binding:
            binding.with_context(economic_sync_write=True).write(
                {"state": "error", "last_error": message}
            )
            key = key or binding.economic_key
        state.log(
            entity=kind,
            direction=direction,
            operation="error",
            state="failed",
            res_model=record._name if record else state.res_models.get(kind, False),
            res_id=record.id if record else False,
            record_name=record.display_name if record else (name or False),
            economic_key=str(key) if key else False,
            message=message,
            binding=binding or None,
        )
        _logger.info(
            "e-conomic %s: %s %s %s failed: %s",
            state.backend.name,
            kind,
            direction,
            key or (record and record.id),
            message.splitlines()[0] if message else "",
        )

    # ================================================================== creating in e-conomic
    def _economic_create_once(self, state, kind, record, attempt, send):
        """Create ``record`` in e-conomic with the Idempotency-Key of its committed
        ``attempt`` (``economic.create.attempt``), under a savepoint: ``send(key)`` posts it
        and binds what e-conomic answers (returns the binding). A success deletes the attempt
        and counts the create; a definitive refusal marks the attempt ``refused`` (the next try
        gets a new key); any failure is that record's error (logged). Returns the binding, or
        False; the caller logs the create its own way."""
        try:
            with self._record_savepoint(state):
                binding = send(attempt.idempotency_key)
                attempt.sudo().unlink()
        except RECORD_ERRORS as error:
            if isinstance(error, EconomicError) and is_refusal(error):
                attempt.sudo().write({"state": "refused"})
            self._record_error(state, kind, "push", record, error)
            return False
        state.counts["created"] += 1
        return binding

    # ================================================================== pulling a collection
    def _pull_since(self, state, entity, full, stamped=True):
        """``(incremental, filter, started)`` of a pull of ``entity``: incremental on
        ``lastUpdated >= last successful pull − lookback`` where e-conomic stamps the records
        (``stamped``) and the pass is not full; else a full read (filter None)."""
        started = fields.Datetime.now()
        rec_setting = state.settings[entity]["setting"]
        watermark = rec_setting.last_pull_at if rec_setting else False
        if not (stamped and watermark and not full):
            return False, None, started
        since = fields.Datetime.subtract(watermark, minutes=state.backend.lookback_minutes or 0)
        return True, F("lastUpdated").gte(since), started

    def _pull_resumable(self, state, entity, full, key, stamped=True):
        """``(incremental, filter, started)`` of a pull of ``entity`` that can give way and go
        on in a later run (docs/ENGINE.md, "Passes over several runs"): the records are read
        sorted on ``key`` (a numeric e-conomic property that can be filtered on), and each
        committed page records its last key (``_pull_resume_mark``). Where an earlier run left
        such a pull unfinished (the pass's time budget, a server stopped), this one goes on
        after that key, with the filter, the start and the read mode (full or not) of that
        pull: nothing committed is read again. A full pass finds an unfinished incremental
        pull read again from the start, in full.

        ``incremental`` is true when this run does not read every key (an incremental pull or
        the rest of an unfinished one): deletions are then found by comparing counts
        (``_pull_deletions``)."""
        setting = state.settings[entity]["setting"]
        if setting and setting.pull_cursor and (setting.pull_cursor_full or not full):
            watermark = setting.last_pull_at
            since = None
            if not setting.pull_cursor_full and watermark:
                since = F("lastUpdated").gte(
                    fields.Datetime.subtract(watermark, minutes=state.backend.lookback_minutes or 0)
                )
            state.pull_runs[entity] = (setting.pull_cursor_started, setting.pull_cursor_full)
            _logger.info(
                "e-conomic %s: %s: the pull goes on after %s %s",
                state.backend.name,
                entity,
                key,
                setting.pull_cursor,
            )
            after = F(key).gt(int(setting.pull_cursor))
            return True, after & since, setting.pull_cursor_started
        incremental, flt, started = self._pull_since(state, entity, full, stamped=stamped)
        state.pull_runs[entity] = (started, not incremental)
        return incremental, flt, started

    def _pull_resume_mark(self, state, entity, last_key):
        """A page of a resumable pull of ``entity`` is done: record its last key with the page,
        in its transaction (the caller commits next), so a run that stops after this commit,
        whatever stops it, goes on after that key."""
        run = state.pull_runs.get(entity)
        setting = state.settings[entity]["setting"]
        if run is None or not setting or state.dry_run:
            return
        started, full = run
        setting.sudo().write(
            {"pull_cursor": str(last_key), "pull_cursor_started": started, "pull_cursor_full": full}
        )
        if state.run is not None:  # the pass's records and counts so far, with the page
            self.env["economic.sync.engine"]._pass_record(state.backend, state, state.run)

    def _pull_give_way(self, state, entity):
        """After a committed page of a resumable pull: stop the pass here if its time budget
        is spent (the next run goes on after the page)."""
        if entity in state.pull_runs and state.budget_spent():
            raise PassPaused(entity)

    def _pull_pages(self, records, page_fn):
        """Feed ``records`` (a lazy iterable) to ``page_fn`` one page (≤ ``PAGE_SIZE``) at a
        time; returns the union of the keys the pages return."""
        seen, page = set(), []
        for record in records:
            page.append(record)
            if len(page) >= PAGE_SIZE:
                seen.update(page_fn(page))
                page = []
        if page:
            seen.update(page_fn(page))
        return seen

    def _pull_deletions(self, incremental, seen, service, sort, key_of, live_count, archive):
        """Deletions (docs/SYNC.md §6): a full read saw every key; an incremental one compares
        e-conomic's count with the live bindings and reads every key only when they differ."""
        if not incremental:
            archive(seen)
        elif service.count() != live_count():
            archive({key_of(record) for record in service.iter(sort=sort)})

    def _pull_finished(self, state, entity, started):
        """The pull of ``entity`` succeeded: the next one asks for what changed since
        ``started`` (minus the lookback)."""
        rec_setting = state.settings[entity]["setting"]
        if rec_setting:
            rec_setting.sudo().write(
                {
                    "last_pull_at": started,
                    "pull_cursor": False,
                    "pull_cursor_started": False,
                    "pull_cursor_full": False,
                }
            )
        state.pull_runs.pop(entity, None)
        self._commit(state)

    @contextmanager
    def _record_savepoint(self, state, guard=True):
        """A savepoint around one record's work: if it fails, the log lines and counts it
        added go with its database changes (no "bound" line for a binding rolled back). An
        error nobody foresaw (a bug, a database constraint) becomes an
        ``UnexpectedRecordError``, which every caller handles as that record's failure (one
        log line, counted; the pass goes on); its details go to the server log only. A
        database constraint Odoo knows how to say is said Odoo's way (a ValidationError).
        ``guard=False``: a batch tried at once before one by one (its failure is expected and
        re-raised as it is)."""
        logs, counts = len(state.logs), dict(state.counts)
        try:
            with self.env.cr.savepoint():
                yield
        except Exception as error:
            del state.logs[logs:]
            state.counts.update(counts)
            if not guard or isinstance(error, RECORD_ERRORS + TRANSACTION_ERRORS):
                raise
            known = self._known_integrity_error(error)
            if known:
                raise known from error
            _logger.warning(
                "e-conomic %s: unexpected error on one record (rolled back, logged in the "
                "sync log, the pass goes on)",
                state.backend.name,
                exc_info=True,
            )
            raise UnexpectedRecordError(error) from error

    def _known_integrity_error(self, error):
        """A database constraint Odoo knows how to say (a mandatory field, a record still
        needed, a model's SQL constraint with its message) as Odoo says it to users, else
        None (an error nobody foresaw)."""
        if not isinstance(error, psycopg2.IntegrityError):
            return None
        diag = getattr(error, "diag", None)
        if not isinstance(
            error, (psycopg2.errors.NotNullViolation, psycopg2.errors.ForeignKeyViolation)
        ) and (not diag or diag.constraint_name not in self.env.registry._sql_constraints):
            return None
        return _as_validation_error(self.env, error)

    def _batch_or_each(self, state, entity, items, create, key_of, name_of):
        """``create(items)`` under one savepoint; if the batch fails, each item alone under its
        own, so one bad record is logged (with Odoo's message) and never stops the others."""
        if not items:
            return
        try:
            with self.env.cr.savepoint():
                create(items)
            return
        except Exception as error:  # noqa: BLE001 - retried one by one below
            _logger.info(
                "e-conomic %s: batch of %s %s records failed (%s), one by one",
                state.backend.name,
                len(items),
                entity,
                error,
            )
        for item in items:
            try:
                with self.env.cr.savepoint():
                    create([item])
            except Exception as error:  # noqa: BLE001 - one bad record never stops the page
                self._record_error(
                    state, entity, "pull", None, error, key=key_of(item), name=name_of(item)
                )

    def _bindings_missing(self, binding_model, domain, key_field, seen):
        """The bindings of ``domain`` whose key (``key_field``) a full read did not see: only
        their ids and keys are read (not every field of every binding of the connection)."""
        Binding = self.env[binding_model].with_context(active_test=False)
        rows = Binding.search_fetch(domain, [key_field])
        gone = [binding.id for binding in rows if binding[key_field] not in seen]
        rows.invalidate_recordset([key_field])
        return Binding.browse(gone)

    def _archive_bindings(self, state, bindings, message=None):
        """Bound records deleted in e-conomic: archived in Odoo (never deleted), in one write,
        each logged."""
        if not bindings:
            return
        bindings.with_context(economic_sync_write=True).write(
            {"remote_archived": True, "last_synced": fields.Datetime.now()}
        )
        records = bindings._economic_record()
        if "active" in records._fields:
            # with the caller's rights (a user's Refresh); a pass runs as the cron's user
            self.env[records._name].browse(records.ids).with_context(**BULK_CONTEXT).write(
                {"active": False}
            )
        message = message or self.env._("Deleted in e-conomic: archived in Odoo.")
        for binding in bindings:
            state.counts["archived"] += 1
            state.log_record(
                binding._economic_entity(),
                "archive",
                binding._economic_record(),
                binding,
                message=message,
            )

    def _economic_push(self, state, entities):
        """The push of ``entities`` alone (a preview runs it with a recording client)."""

    def _economic_preview_notes(self, state, entities):
        """Lines a push preview adds to explain what the push leaves out (same keys as the
        preview's lines)."""
        return []

    def _economic_replay(self, state, line, binding):
        """Re-run a failed log line's sync; True, or why nothing could be run."""
        if not binding:
            return self.env._("The record of this line is gone.")
        self._economic_refresh_binding(state, binding)
        return True
