"""The product entity module (issue 7 §2): e-conomic products mirrored as Odoo products.

Products are read-first (docs/SYNC.md §2, §6): e-conomic is their source while the strategy is
``read_only``; the pull is incremental on ``lastUpdated`` (with the lookback), a full pass finds
deletions, and an unbound e-conomic product is matched to an Odoo product by internal reference,
then barcode, before anything is created. The push (``push.py``) finds or creates, and updates
only where the connection allows it.

Everything per page: one search for the page's bindings, one ``read`` of their products, one
search for the matching candidates, one ``create`` of the new products and one of their
bindings, one commit.
"""

import logging

from odoo import api, fields, models, tools
from odoo.tools import LazyTranslate

from ...economic_client import F
from ...engine.product import PRODUCT_MAPPINGS, ProductAdapter
from ...sync_core import dump_base
from ..economic_sync_entity import RECORD_ERRORS, Entity
from ..economic_sync_state import BULK_CONTEXT, REUSED

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

ENTITY = "product"
BINDING = "economic.product.binding"


class EconomicSyncProduct(models.AbstractModel):
    _name = "economic.sync.product"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: products"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Products"),
            _lt("Product"),
            "product.product",
            50,
            push=True,
            read_first=True,
        ),
    )
    _economic_sequence = 30
    _economic_converters = (
        ("product_group", _lt("Product Group (product category)")),
        ("unit", _lt("Unit (unit of measure)")),
    )
    _economic_property_labels = {
        "productNumber": _lt("Product Number"),
        "description": _lt("Description"),
        "salesPrice": _lt("Sales Price"),
        "costPrice": _lt("Cost Price"),
        "recommendedPrice": _lt("Recommended Price"),
        "barCode": _lt("Barcode"),
        "unit.unitNumber": _lt("Unit"),
        "productGroup.productGroupNumber": _lt("Product Group"),
        "inventory.available": _lt("Available"),
        "inventory.inStock": _lt("In Stock"),
        "inventory.orderedByCustomers": _lt("Ordered by Customers"),
        "inventory.orderedFromSuppliers": _lt("Ordered from Suppliers"),
    }
    _economic_binding_model = BINDING

    # ================================================================== interface
    def _economic_default_mappings(self, entity):
        return list(PRODUCT_MAPPINGS)

    def _economic_money_props(self, entity):
        return ("salesPrice", "costPrice", "recommendedPrice")

    def _economic_prepare(self, state):
        engine = self.env["economic.sync.engine"]
        state.adapters[ENTITY] = ProductAdapter(
            engine._economic_mappings(state.backend, ENTITY),
            engine._economic_lookups(state.backend),
        )
        state.res_models[ENTITY] = "product.product"
        state.settings.setdefault(ENTITY, state.setting(ENTITY))
        self._product_push_flags(state)

    @staticmethod
    def _product_push_flags(state):
        """Find or create, never update, unless the connection allows updates: creating
        follows the effective push; the merge pushes only with updates allowed."""
        setting = state.settings[ENTITY]
        state.product_create = setting["push"]
        setting["push"] = bool(setting["push"] and state.backend.product_push_updates)
        state.adapters[ENTITY].strict_local = setting["push"]

    def _economic_pass(self, state, entities, full):
        self._resume_product_creates(state)
        self._pull_products(state, full)
        self._push_products(state)
        self._commit(state)

    def _economic_binding_values(self, binding):
        return {}

    def _economic_read_local(self, state, adapter, records):
        """As the base; the product's last change is its variant's or its template's, the
        later (a price or name edit changes the template only): what *newer wins* compares."""
        rows = super()._economic_read_local(state, adapter, records)
        if not rows:
            return rows
        records = records.with_context(active_test=False)
        changed = {
            row["id"]: row["write_date"]
            for row in records.product_tmpl_id.with_context(active_test=False).read(["write_date"])
        }
        for product in records:
            row = rows.get(product.id)
            template_date = changed.get(product.product_tmpl_id.id)
            if (
                row is not None
                and template_date
                and (not row.get("write_date") or template_date > row["write_date"])
            ):
                row["write_date"] = template_date
        return rows

    def _economic_remote_get(self, state, binding):
        return state.client.products.get(binding.economic_key)

    def _economic_remote_replace(self, state, adapter, binding, record):
        return state.client.products.replace(binding.economic_key, adapter.prepare_write(record))

    @api.model
    @tools.ormcache("backend_id")
    def _economic_locked_fields(self, backend_id):
        """The product fields the connection's product mappings pull from e-conomic: a user
        may not change them on a bound product while the strategy is ``read_only``."""
        return self._mapped_fields(backend_id, ("both", "pull"))

    @api.model
    @tools.ormcache("backend_id")
    def _economic_pushed_fields(self, backend_id, entity):
        """The product fields whose local change is something to push (``entity``: the one
        entity of the module)."""
        return self._mapped_fields(backend_id, ("both", "push"))

    def _mapped_fields(self, backend_id, directions):
        backend = self.env["economic.backend"].sudo().browse(backend_id)
        if not backend.exists():
            return frozenset()
        mappings = self.env["economic.sync.engine"]._economic_mappings(backend, ENTITY)
        names = set()
        for m in mappings:
            if m.direction in directions and m.odoo_field:
                names.update(n.strip() for n in m.odoo_field.split(",") if n.strip())
        return frozenset(names)

    # ================================================================== pull
    def _pull_products(self, state, full):
        if not state.settings[ENTITY]["pull"]:
            return
        service = state.client.products
        incremental, flt, started = self._pull_since(state, ENTITY, full)
        seen = self._pull_pages(
            service.iter(filter=flt, sort="productNumber"),
            lambda page: self._pull_product_page(state, page),
        )
        self._pull_deletions(
            incremental,
            seen,
            service,
            "productNumber",
            lambda record: str(record["productNumber"]),
            lambda: self._live_binding_count(state),
            lambda keys: self._archive_missing_products(state, keys),
        )
        self._pull_finished(state, ENTITY, started)

    def _live_binding_count(self, state):
        return self.env[BINDING].search_count(
            [("backend_id", "=", state.backend.id), ("remote_archived", "=", False)]
        )

    def _pull_product_page(self, state, records):
        """Sync one page of e-conomic products; returns their numbers."""
        adapter = state.adapters[ENTITY]
        keys = [str(adapter.number(r)) for r in records]
        bindings = (
            self.env[BINDING]
            .with_context(active_test=False)
            .search([("backend_id", "=", state.backend.id), ("economic_key", "in", keys)])
        )
        by_key = {b.economic_key: b for b in bindings}
        rows = self._economic_read_local(state, adapter, bindings.product_id)
        unbound = []
        for record in records:
            binding = by_key.get(str(adapter.number(record)))
            if not binding:
                unbound.append(record)
                continue
            row = rows.get(binding.product_id.id)
            if self._sync_bound_safe(state, adapter, binding, row, record) == REUSED:
                unbound.append(record)
        if unbound:
            self._pull_unbound_products(state, adapter, unbound)
        state.records_done += len(records)
        self._commit(state)
        self._notify(state, state.records_done)
        _logger.info(
            "e-conomic %s: product: %s records read", state.backend.name, state.records_done
        )
        return set(keys)

    # ------------------------------------------------------------------ unbound products
    def _pull_unbound_products(self, state, adapter, records):
        """Match by internal reference, then barcode; a unique match binds, several are
        reported, none creates (docs/SYNC.md §4)."""
        candidates = self._match_candidates(state, records)
        to_create = []
        for record in records:
            ids = self._matches(candidates, record)
            if len(ids) == 1:
                self._bind_matched_product(state, adapter, record, ids[0])
            elif ids:
                self._log_ambiguous(state, record, ids)
            else:
                to_create.append(record)
        if to_create:
            self._create_products(state, adapter, to_create)

    def _match_candidates(self, state, records):
        """``{"code": {code: [ids]}, "barcode": {barcode: [ids]}}``: the Odoo products of the
        connection's company (or shared), not bound to it yet, that may match (two queries)."""
        codes = [str(r["productNumber"]) for r in records]
        barcodes = [r["barCode"] for r in records if r.get("barCode")]
        domain = [("default_code", "in", codes)]
        if barcodes:
            domain = ["|", ("barcode", "in", barcodes)] + domain
        domain = [("company_id", "in", [state.company.id, False])] + domain
        rows = (
            self.env["product.product"]
            .with_context(active_test=False)
            .search_read(domain, ["default_code", "barcode"], order="id")
        )
        bound = {
            row["product_id"][0]
            for row in self.env[BINDING].search_read(
                [
                    ("backend_id", "=", state.backend.id),
                    ("product_id", "in", [row["id"] for row in rows]),
                ],
                ["product_id"],
            )
        }
        out = {"code": {}, "barcode": {}}
        for row in rows:
            if row["id"] in bound:
                continue
            if row["default_code"]:
                out["code"].setdefault(row["default_code"], []).append(row["id"])
            if row["barcode"]:
                out["barcode"].setdefault(row["barcode"], []).append(row["id"])
        return out

    @staticmethod
    def _matches(candidates, record):
        ids = candidates["code"].get(str(record["productNumber"]))
        if not ids and record.get("barCode"):
            ids = candidates["barcode"].get(record["barCode"])
        return ids or []

    def _log_ambiguous(self, state, record, ids):
        names = ", ".join(self.env["product.product"].browse(ids).mapped("display_name"))
        state.counts["skipped"] += 1
        state.log(
            entity=ENTITY,
            direction="pull",
            operation="skip",
            state="failed",
            economic_key=str(record["productNumber"]),
            record_name=record.get("name"),
            message=self.env._(
                "Several Odoo products match this e-conomic product by internal reference or "
                "barcode: %(names)s. Make them unique or bind one by hand.",
                names=names,
            ),
        )

    def _bind_product(self, state, product, key, message, base=None, direction="pull"):
        """Bind ``product`` to the e-conomic product ``key`` (one binding, one log line)."""
        binding = self.env[BINDING].create(
            {
                "backend_id": state.backend.id,
                "product_id": product.id,
                "economic_key": str(key),
                "base": dump_base(base) if base is not None else False,
                "state": "synced",
            }
        )
        state.counts["bound"] += 1
        state.log_record(ENTITY, "bind", product, binding, direction=direction, message=message)
        return binding

    def _bind_matched_product(self, state, adapter, record, product_id):
        product = self.env["product.product"].browse(product_id)
        try:
            with self._record_savepoint(state):
                binding = self._bind_product(
                    state,
                    product,
                    record["productNumber"],
                    self.env._("Matched by internal reference or barcode."),
                )
                self._sync_bound(state, adapter, binding, None, record)
        except RECORD_ERRORS as error:
            self._record_error(state, ENTITY, "pull", product, error, key=record["productNumber"])

    def _new_product_vals(self, state, adapter, record):
        remote = adapter.remote_values(record)
        pulled = {m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "pull")}
        changes = {k: v for k, v in remote.items() if k in pulled}
        vals, bvals = adapter.local_write_vals(changes)
        vals.setdefault("name", record.get("name") or str(record["productNumber"]))
        vals.setdefault("default_code", str(record["productNumber"]))
        vals["company_id"] = state.company.id
        bvals.update(adapter.readonly_values(record))
        return vals, bvals, {k: v for k, v in remote.items() if k in pulled}

    def _create_products(self, state, adapter, records):
        """Create Odoo products (+ bindings) for unmatched e-conomic products: one create of
        the products, one of the bindings; a failing batch is retried record by record."""
        prepared = []
        for record in records:
            try:
                prepared.append((record, *self._new_product_vals(state, adapter, record)))
            except RECORD_ERRORS as error:
                self._record_error(
                    state,
                    ENTITY,
                    "pull",
                    None,
                    error,
                    key=record["productNumber"],
                    name=record.get("name"),
                )
        self._batch_or_each(
            state,
            ENTITY,
            prepared,
            lambda items: self._create_product_batch(state, items),
            key_of=lambda item: item[0]["productNumber"],
            name_of=lambda item: item[1].get("name"),
        )

    def _create_product_batch(self, state, prepared):
        Product = self.env["product.product"].with_context(**BULK_CONTEXT)
        Product = Product.with_company(state.company)
        products = Product.create(self._with_defaults(Product, [p[1] for p in prepared]))
        now = fields.Datetime.now()
        bindings = (
            self.env[BINDING]
            .with_context(**BULK_CONTEXT)
            .create(
                [
                    dict(
                        {k: v for k, v in bvals.items()},
                        backend_id=state.backend.id,
                        product_id=product_id,
                        economic_key=str(record["productNumber"]),
                        base=dump_base(base),
                        state="synced",
                        last_synced=now,
                        remote_last_updated=record.get("lastUpdated") or False,
                    )
                    for (record, _vals, bvals, base), product_id in zip(
                        prepared, products.ids, strict=True
                    )
                ]
            )
        )
        for (record, vals, *_rest), product_id, binding_id in zip(
            prepared, products.ids, bindings.ids, strict=True
        ):
            state.log(
                entity=ENTITY,
                direction="pull",
                operation="create",
                res_model="product.product",
                res_id=product_id,
                record_name=vals.get("name"),
                economic_key=str(record["productNumber"]),
                binding_model=BINDING,
                binding_res_id=binding_id,
            )
        state.counts["created"] += len(products)

    # ------------------------------------------------------------------ deletions
    def _archive_missing_products(self, state, seen):
        gone = self._bindings_missing(
            BINDING,
            [("backend_id", "=", state.backend.id), ("remote_archived", "=", False)],
            "economic_key",
            seen,
        )
        self._archive_bindings(state, gone)

    # ------------------------------------------------------------------ webhooks
    def _economic_pull_keys(self, state, entity, keys, renames):
        """Pull exactly these products (a webhook): a renumbered one is re-keyed first, one
        e-conomic no longer has is archived. Returns ``{number: product}`` reached."""
        Binding = self.env[BINDING].with_context(active_test=False)
        domain = [("backend_id", "=", state.backend.id)]
        self._renumber_products(state, renames)
        keys = sorted(set(keys))
        found = []
        for chunk in self._split(keys, 20):
            # product numbers are text: e-conomic's $in: is for numbers only
            found += state.client.products.iter(filter=F("productNumber").any_of(chunk))
        if found:
            self._pull_product_page(state, found)
        seen = {str(record["productNumber"]) for record in found}
        self._archive_bindings(
            state,
            Binding.search(
                domain
                + [
                    ("economic_key", "in", [k for k in keys if k not in seen]),
                    ("remote_archived", "=", False),
                ]
            ),
        )
        self._commit(state)
        bindings = Binding.search(domain + [("economic_key", "in", keys)])
        return {b.economic_key: b.product_id for b in bindings}

    def _renumber_products(self, state, renames):
        """e-conomic renumbered products (``{old: new}``): their bindings follow."""
        self._economic_rekey(state, ENTITY, [("backend_id", "=", state.backend.id)], renames)
