"""The partner entity module: customers, suppliers and their contacts (docs/SYNC.md §3-§7).

``economic.sync.partner`` is the entity module of the partners; this file holds its interface
(what the runner calls) and the pull of customers and suppliers, a page at a time. Matching and
creating unbound records: ``match.py``; contacts: ``contacts.py``; push: ``push.py``; creates in
e-conomic: ``create.py``; Refresh / Push now / Replay: ``actions.py``."""

import logging

from odoo import api, fields, models, tools
from odoo.tools import LazyTranslate

from ...economic_client import F
from ...engine.partner import ADAPTER_CLASSES, PARTNER_MAPPINGS
from ...sync_core import economic_vat
from ..economic_sync_entity import Entity
from ..economic_sync_state import BULK_CONTEXT, PAGE_SIZE, REUSED
from .const import (
    CONTACT_OF,
    DEFAULT_MATCH_KEYS,
    PARTY_KINDS,
)

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)


class EconomicSyncPartner(models.AbstractModel):
    _name = "economic.sync.partner"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: customers, suppliers and contacts"

    _economic_entities = (
        Entity("customer", _lt("Customers"), _lt("Customer"), "res.partner", 10, push=True),
        Entity(
            "customer_contact",
            _lt("Customer Contacts"),
            _lt("Customer Contact"),
            "res.partner",
            20,
            push=True,
        ),
        Entity("supplier", _lt("Suppliers"), _lt("Supplier"), "res.partner", 30, push=True),
        Entity(
            "supplier_contact",
            _lt("Supplier Contacts"),
            _lt("Supplier Contact"),
            "res.partner",
            40,
            push=True,
        ),
    )
    _economic_sequence = 40
    _economic_binding_model = "economic.partner.binding"
    _economic_converters = (
        ("address", _lt("Address (street + street2)")),
        ("cvr", _lt("CVR / VAT Number (VAT + company registry)")),
        ("country", _lt("Country (by name)")),
        ("payment_term", _lt("Payment Terms")),
        ("customer_group", _lt("Customer Group")),
        ("supplier_group", _lt("Supplier Group")),
        ("vat_zone", _lt("VAT Zone")),
        ("layout", _lt("Layout")),
    )
    _economic_property_labels = {
        "address": _lt("Address"),
        "zip": _lt("Zip"),
        "city": _lt("City"),
        "country": _lt("Country"),
        "email": _lt("Email"),
        "telephoneAndFaxNumber": _lt("Phone"),
        "phone": _lt("Phone"),
        "mobilePhone": _lt("Mobile"),
        "corporateIdentificationNumber": _lt("CVR / VAT Number"),
        "vatNumber": _lt("VAT Number"),
        "website": _lt("Website"),
        "paymentTerms.paymentTermsNumber": _lt("Payment Terms"),
        "customerGroup.customerGroupNumber": _lt("Customer Group"),
        "supplierGroup.supplierGroupNumber": _lt("Supplier Group"),
        "vatZone.vatZoneNumber": _lt("VAT Zone"),
        "layout.layoutNumber": _lt("Layout"),
        "ean": _lt("EAN"),
        "creditLimit": _lt("Credit Limit"),
        "balance": _lt("Balance"),
    }

    # ================================================================== interface
    def _economic_default_mappings(self, entity):
        return PARTNER_MAPPINGS.get(entity, [])

    def _economic_defaults(self, backends):
        """The matching keys of customers and suppliers (docs/SYNC.md §4), on connections
        that have none."""
        Key = self.env["economic.match.key"].sudo().with_context(active_test=False)
        have = set(Key.search([("backend_id", "in", backends.ids)]).backend_id.ids)
        Key.create(
            [
                {"backend_id": backend.id, "entity": kind, "key": key, "sequence": index * 10}
                for backend in backends
                if backend.id not in have
                for kind in PARTY_KINDS
                for index, key in enumerate(DEFAULT_MATCH_KEYS, start=1)
            ]
        )

    def _economic_vat_check(self, lookups):
        """Odoo's validation of a VAT number for the adapters: ``(canonical number, partner's
        country code, partner's name) -> message or None`` (the partner's, as its VAT
        constraint runs it)."""
        ids, home = lookups.country_id_by_code, lookups.home_country
        Country = self.env["res.country"]
        Partner = self.env["res.partner"]

        def vat_error(number, country, name):
            code = country or home
            return Partner._economic_vat_error(
                number,
                Country.browse(ids[code]) if code in ids else Country,
                name=name,
                shown=economic_vat(number, home),
            )

        return vat_error

    def _economic_money_props(self, entity):
        return ("creditLimit", "balance") if entity in PARTY_KINDS else ()

    def _economic_prepare(self, state):
        engine = self.env["economic.sync.engine"]
        lookups = engine._economic_lookups(state.backend)
        lookups.vat_check(self._economic_vat_check(lookups))
        backend = state.backend
        for kind in ADAPTER_CLASSES:
            state.adapters[kind] = ADAPTER_CLASSES[kind](
                engine._economic_mappings(backend, kind), lookups
            )
            state.res_models[kind] = "res.partner"
            state.settings.setdefault(kind, state.setting(kind))
        state.match_keys = {}
        for kind in PARTY_KINDS:
            keys = backend.match_key_ids.filtered(
                lambda k, kind=kind: k.entity == kind and k.active
            ).sorted("sequence")
            keys = keys.mapped("key") if keys else list(DEFAULT_MATCH_KEYS)
            if kind != "customer" or backend.customer_number_mode != "odoo":
                keys = [k for k in keys if k != "number"]
            state.match_keys[kind] = keys
        state.number_field = (
            backend.customer_number_field_id.name
            if backend.customer_number_mode == "odoo"
            else None
        )
        state.local_index = {}
        state.local_index_new = {}  # kind -> partners created since the index was built
        state.remote_all = {}  # kind -> every e-conomic record, read once (push matching)
        #: kind -> names of e-conomic records that unconfirmed creates of ours may have made:
        #: the pull neither binds nor creates such a record until the create is settled
        state.held_names = {}

    def _economic_pass(self, state, entities, full):
        for kind in PARTY_KINDS:
            if kind in entities or CONTACT_OF[kind] in entities:
                contacts = CONTACT_OF[kind] in entities
                self._resume_creates(state, kind)
                if contacts:
                    self._resume_creates(state, CONTACT_OF[kind])
                self._pull_parties(state, kind, full=full, with_contacts=contacts)
                self._push_parties(state, kind)
                if contacts:
                    self._push_contacts(state, CONTACT_OF[kind])
                self._commit(state)

    @api.model
    @tools.ormcache("backend_id", "kind")
    def _economic_pushed_fields(self, backend_id, kind):
        """The partner fields of ``kind``'s active mappings that push: a local change of one of
        them makes the partner's binding pending (cleared when a mapping changes)."""
        backend = self.env["economic.backend"].sudo().browse(backend_id)
        if kind not in ADAPTER_CLASSES or not backend.exists():
            return frozenset()
        adapter = ADAPTER_CLASSES[kind](
            self.env["economic.sync.engine"]._economic_mappings(backend, kind), None
        )
        return adapter.pushed_partner_fields()

    # ================================================================== pull
    def _pull_parties(self, state, kind, full=False, with_contacts=True):
        if not state.settings[kind]["pull"]:
            return
        client = state.client
        service = client.customers if kind == "customer" else client.suppliers
        sort = "customerNumber" if kind == "customer" else "supplierNumber"
        if kind == "customer":
            # a long read of customers gives way and goes on after its last committed page
            # (e-conomic filters customers on their number; suppliers not: read in one run)
            incremental, flt, started = self._pull_resumable(state, kind, full, sort)
        else:
            # suppliers carry no change stamp: always read in full
            incremental, flt, started = self._pull_since(state, kind, full, stamped=False)
        # customer contacts come from one listing of the agreement when the client has the
        # customers OpenAPI service; else per customer with each page (legacy REST)
        contacts_api = kind == "customer" and self._contacts_api(state)
        page_contacts = with_contacts and not contacts_api
        key = ADAPTER_CLASSES[kind].key
        seen = self._pull_pages(
            service.iter(filter=flt, sort=sort),
            lambda page: self._pull_page(state, kind, page, page_contacts, resumable=True),
        )
        self._pull_deletions(
            incremental,
            seen,
            service,
            sort,
            lambda record: record[key],
            lambda: self.env["economic.partner.binding"].search_count(
                [
                    ("backend_id", "=", state.backend.id),
                    ("kind", "=", kind),
                    ("remote_archived", "=", False),
                ]
            ),
            lambda numbers: self._archive_missing(state, kind, numbers),
        )
        self._pull_finished(state, kind, started)
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
        incremental, flt, started = self._pull_since(state, kind, full)
        records = (self._contact_from_api(r) for r in self._contacts_api(state).iter(filter=flt))
        self._pull_contacts_stream(state, kind, records, complete=not incremental)
        self._pull_finished(state, kind, started)

    @staticmethod
    def _contact_from_api(record):
        """An OpenAPI customer contact in the legacy shape the adapter reads: ``number`` is
        the legacy ``customerContactNumber`` (agreement-wide unique)."""
        record = dict(record)
        record.setdefault("customerContactNumber", record.get("number"))
        if "customerNumber" not in record and isinstance(record.get("customer"), dict):
            record["customerNumber"] = record["customer"].get("customerNumber")
        return record

    def _pull_page(self, state, kind, records, with_contacts, resumable=False):
        """Sync one page of e-conomic customers/suppliers; returns their numbers.
        ``resumable``: a page of the connection's pull (``_pull_parties``), which records its
        last number with its commit and gives way there when the pass's time is spent."""
        adapter = state.adapters[kind]
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        numbers = [adapter.number(r) for r in records]
        keys = [str(number) for number in numbers]
        bindings = Binding.search(
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("economic_key", "in", keys),
            ]
        )
        by_key = {b.economic_key: b for b in bindings}
        pdata = self._economic_read_local(state, adapter, bindings.partner_id)
        unbound = []
        for record, key in zip(records, keys, strict=True):
            binding = by_key.get(key)
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
                    ("economic_key", "in", keys),
                    ("remote_archived", "=", False),
                ]
            )
            self._pull_customer_contacts(state, bindings)
        state.records_done += len(records)
        if resumable:
            self._pull_resume_mark(state, kind, max(numbers))
        self._commit(state)
        self._notify(state, state.records_done)
        _logger.info(
            "e-conomic %s: %s: %s records read", state.backend.name, kind, state.records_done
        )
        if resumable and len(records) >= PAGE_SIZE:  # a shorter page was the last one
            self._pull_give_way(state, kind)
        return set(numbers)

    def _economic_binding_values(self, binding):
        return {
            "group_id": binding.group_id.id,
            "vat_zone_id": binding.vat_zone_id.id,
            "layout_id": binding.layout_id.id,
            "currency_code": binding.currency_code,
            "ean": binding.ean,
        }

    def _economic_remote_replace(self, state, adapter, binding, record):
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

    def _economic_remote_get(self, state, binding):
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

    # ------------------------------------------------------------------ deletions
    def _archive_missing(self, state, kind, seen_numbers):
        gone = self._bindings_missing(
            "economic.partner.binding",
            [
                ("backend_id", "=", state.backend.id),
                ("kind", "=", kind),
                ("remote_archived", "=", False),
            ],
            "economic_key",
            {str(number) for number in seen_numbers},
        )
        self._archive_bindings(state, gone)

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
            state.log_record(binding.kind, "archive", partner, binding, message=message)

    # ------------------------------------------------------------------ webhooks
    def _economic_pull_keys(self, state, entity, keys, renames):
        """Pull exactly these customers (a webhook): a renumbered one is re-keyed first, one
        e-conomic no longer has is archived. Returns ``{key: partner}`` reached."""
        Binding = self.env["economic.partner.binding"].with_context(active_test=False)
        domain = [("backend_id", "=", state.backend.id), ("kind", "=", entity)]
        self._economic_rekey(
            state,
            entity,
            domain + [("parent_binding_id", "=", False)],
            {str(int(old)): str(int(new)) for old, new in (renames or {}).items()},
        )
        numbers = sorted({int(key) for key in keys})
        found = []
        for chunk in self._split(numbers, 200):
            found += state.client.customers.iter(filter=F("customerNumber").in_(chunk))
        if found:
            self._pull_page(state, entity, found, True)
        seen = {str(record["customerNumber"]) for record in found}
        keys = [str(number) for number in numbers]
        self._archive_bindings(
            state,
            Binding.search(
                domain
                + [
                    ("economic_key", "in", [key for key in keys if key not in seen]),
                    ("remote_archived", "=", False),
                ]
            ),
        )
        self._commit(state)
        bindings = Binding.search(domain + [("economic_key", "in", keys)])
        return {b.economic_key: b.partner_id for b in bindings}
