"""The push of customers and suppliers: pending bindings re-read and merged, new partners matched
against e-conomic before anything is created (docs/SYNC.md §4, §5)."""

import logging

from odoo import models

from ...economic_client import EconomicError, F, NotFoundError
from ...engine.partner import ADAPTER_CLASSES
from ...sync_core import (
    COUNTRY_CALLING_CODES,
    build_index,
    match,
    normalise,
)
from ..economic_sync_state import IN_CHUNK
from .const import (
    FULL_READ_MATCHING,
    LOCAL_KEY_FIELDS,
    RANK_FIELD,
    REMOTE_KEY_PROP,
    local_key_value,
)

_logger = logging.getLogger(__name__)


class EconomicSyncPartnerPush(models.AbstractModel):
    _inherit = "economic.sync.partner"

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
            pdata = self._economic_read_local(state, adapter, batch.partner_id)
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
                state.backend._pushes_shared_partners(),
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
        *Push Only* domain (one search). Partners without a company are the company's in a
        database with one company; with several they are shared, and in scope only where the
        connection says so (``push_shared_partners``): never created in every company's
        agreement by default (the query of ``_push_parties`` applies this)."""
        Partner = self.env["res.partner"]
        setting = state.settings[kind]["setting"]
        domain = setting._get_push_domain() if setting else []
        if not partner_ids or not domain:
            return Partner.browse(partner_ids)
        return Partner.with_context(active_test=False).search(
            [("id", "in", partner_ids)] + list(domain), order="id"
        )

    def _push_bound(self, state, adapter, binding, pvals):
        try:
            record = self._economic_remote_get(state, binding)
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
                key=binding.economic_key,
            )
            return False
        return self._sync_bound_safe(state, adapter, binding, pvals, record, direction="push")

    def _remote_candidates(self, state, kind, key, values):
        """The e-conomic records of ``kind`` whose property for matching ``key`` may equal one
        of ``values`` (local values, not normalised): a superset, the index decides.

        Numbers with ``$in:`` (numeric properties only); text with ``$or:`` chains
        (``F.any_of``), because e-conomic's ``$in:`` matches nothing on text (docs/ECONOMIC.md §3.2):
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
                    row.get(state.number_field) if key == "number" else local_key_value(row, key)
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
            | LOCAL_KEY_FIELDS
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
                    ("economic_key", "in", [str(number) for number in found]),
                ]
            )
            .mapped("economic_number")
        )
        to_create = []
        for row in rows:
            partner = self.env["res.partner"].browse(row["id"])
            values = {
                k: (row.get(state.number_field) if k == "number" else local_key_value(row, k))
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
                state.log_record(
                    kind,
                    "skip",
                    partner,
                    direction="push",
                    state="failed",
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
                        "economic_key": str(number),
                        "parent_binding_id": parent.id if parent else False,
                    }
                )
        except Exception as error:  # noqa: BLE001 - logged, retried on the next pass
            self._record_error(state, kind, "push", partner, error, key=number)
            return False
        state.counts["bound"] += 1
        state.log_record(kind, "bind", partner, binding, direction="push", message=message)
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
