"""The product push (issue 7 §2): find or create, never update unless the connection allows it.

Only with push effective (push on, a strategy other than read-only, write-back on). An Odoo
product with an internal reference and no binding is looked up in e-conomic by product number
(its internal reference), then by barcode; one found is bound and left as it is; none found is
created, with an Idempotency-Key derived from the record (``economic.create.attempt``), stored
and committed before the request: a lost answer never makes a second product (the next pass
finds it by its number). Updates of bound products go through the three-way merge only when
``product_push_updates`` is on.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError

from ...economic_client import EconomicError, F
from ...engine.adapters import MissingMapping
from ...sync_core import dump_base
from ..economic_sync_entity import RECORD_ERRORS
from ..economic_sync_state import IN_CHUNK

_logger = logging.getLogger(__name__)

ENTITY = "product"
BINDING = "economic.product.binding"


class EconomicSyncProductPush(models.AbstractModel):
    _inherit = "economic.sync.product"

    def _economic_push(self, state, entities):
        # a preview switches push on in the settings after the state was prepared
        self._product_push_flags(state)
        self._push_products(state)

    def _economic_push_record(self, state, product):
        if not state.product_create:
            raise self._push_not_effective()
        binding = self.env[BINDING]._economic_bindings_of(state, product)
        if binding:
            if state.settings[ENTITY]["push"]:
                self._push_bound_product(state, binding)
            return
        self._push_new_products(state, product)

    def _economic_replay(self, state, line, binding):
        """Replay a failed product line: its binding pushed or refreshed, a product never
        bound pushed again, an e-conomic product read again by its number."""
        if binding:
            if line.direction == "push" and state.settings[ENTITY]["push"]:
                self._push_bound_product(state, binding)
            else:
                self._economic_refresh_binding(state, binding)
            return True
        product = self.env["product.product"]
        if line.res_model == "product.product" and line.res_id:
            product = product.browse(line.res_id).exists()
        if line.direction == "push" and product:
            if not state.product_create:
                return self._push_not_effective().args[0]
            self._push_new_products(state, product)
            return True
        if line.economic_key:
            try:
                record = state.client.products.get(line.economic_key)
            except EconomicError as error:
                return self._error_text(state.backend, error)
            self._pull_product_page(state, [record])
            return True
        return self.env._("The record of this line is gone.")

    def _push_not_effective(self):
        return UserError(
            self.env._(
                "Products are not pushed: switch on write-back on the connection, and push with "
                "a strategy other than read-only for Products."
            )
        )

    # ------------------------------------------------------------------ the push
    def _push_products(self, state):
        if not getattr(state, "product_create", False):
            return
        if state.settings[ENTITY]["push"]:
            pending = self._pending_product_bindings(state)
            for batch in self._split(pending, IN_CHUNK):
                for binding in batch:
                    self._push_bound_product(state, binding)
                self._commit(state)
        for batch in self._split(self._new_products(state), IN_CHUNK):
            self._push_new_products(state, batch)
            self._commit(state)

    def _pending_product_bindings(self, state):
        return self.env[BINDING].search(
            [
                ("backend_id", "=", state.backend.id),
                ("remote_archived", "=", False),
                ("id", "not in", list(state.touched)),
                "|",
                "|",
                ("state", "in", ("pending", "conflict", "error")),
                ("overrides", "!=", False),
                ("last_synced", "=", False),
            ],
            order="id",
        )

    def _push_bound_product(self, state, binding):
        try:
            record = self._economic_remote_get(state, binding)
        except EconomicError as error:
            if getattr(error, "status", None) == 404:
                return False  # gone in e-conomic: the pull archives it
            self._record_error(state, ENTITY, "push", binding.product_id, error, binding)
            return False
        adapter = state.adapters[ENTITY]
        return self._sync_bound_safe(state, adapter, binding, None, record, direction="push")

    def _new_products(self, state):
        """Odoo products with an internal reference, not bound to the connection, of its
        company or shared, within the entity's *Push Only* domain."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT p.id FROM product_product p
              JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE p.active AND COALESCE(p.default_code, '') != ''
               AND (t.company_id = %s OR t.company_id IS NULL)
               AND NOT EXISTS (SELECT 1 FROM economic_product_binding b
                                WHERE b.product_id = p.id AND b.backend_id = %s)
             ORDER BY p.id""",
            (state.company.id, state.backend.id),
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        Product = self.env["product.product"]
        setting = state.settings[ENTITY]["setting"]
        domain = setting._get_push_domain() if setting else []
        if not ids or not domain:
            return Product.browse(ids)
        return Product.search([("id", "in", ids)] + list(domain), order="id")

    # ------------------------------------------------------------------ find or create
    def _push_new_products(self, state, products):
        adapter = state.adapters[ENTITY]
        rows = self._economic_read_local(state, adapter, products)
        found = self._find_remote(state, products, rows)
        to_create = products.browse()
        for product in products:
            record = found.get(product.id)
            if record is not None:
                self._bind_found_product(state, adapter, product, record)
            else:
                to_create |= product
        if to_create:
            self._create_remote_products(state, adapter, to_create, rows)

    def _find_remote(self, state, products, rows):
        """``{product id: e-conomic product}`` found by product number, then barcode."""
        service = state.client.products
        codes = {rows[p.id]["default_code"]: p.id for p in products if rows[p.id]["default_code"]}
        found = {}
        for chunk in self._split(sorted(codes), 20):
            for record in service.iter(filter=F("productNumber").any_of(chunk)):
                product_id = codes.get(str(record.get("productNumber")))
                if product_id:
                    found[product_id] = record
        barcodes = {
            rows[p.id]["barcode"]: p.id
            for p in products
            if p.id not in found and rows[p.id].get("barcode")
        }
        for chunk in self._split(sorted(barcodes), 20):
            for record in service.iter(filter=F("barCode").any_of(chunk)):
                product_id = barcodes.get(record.get("barCode"))
                if product_id and product_id not in found:
                    found[product_id] = record
        return found

    def _bind_found_product(self, state, adapter, product, record):
        """An e-conomic product exists for this Odoo product: bind it, leave it as it is."""
        try:
            with self._record_savepoint(state):
                binding = self._bind_product(
                    state,
                    product,
                    record["productNumber"],
                    self.env._(
                        "Found in e-conomic by product number or barcode: bound, not changed."
                    ),
                    base=adapter.remote_values(record),
                    direction="push",
                )
                self._sync_bound(state, adapter, binding, None, record, direction="push")
        except RECORD_ERRORS as error:
            self._record_error(state, ENTITY, "push", product, error)

    def _create_payload(self, state, adapter, product, row):
        """The e-conomic product for an Odoo product: its pushed fields, its number (the
        internal reference), its product group (the category's, else the connection's
        default) and its unit where it maps to one."""
        lookups = adapter.lookups
        row = dict(row)
        group = lookups.number_of.get(("product_group", _id(row.get("categ_id"))))
        if group is None:
            group = state.backend.default_product_group_id.number
            row["categ_id"] = False
        if group is None or group is False:
            raise MissingMapping(
                self.env._(
                    "The category %(category)s maps to no e-conomic product group: map it under "
                    "%(menu)s, or set the connection's default product group.",
                    category=_name(row.get("categ_id")) or "-",
                    menu=self.env["ir.ui.menu"]._economic_menu_path(
                        "economic_sync.menu_economic_reference"
                    ),
                )
            )
        if lookups.number_of.get(("unit", _id(row.get("uom_id")))) is None:
            row["uom_id"] = False  # e-conomic products may have no unit
        local = adapter.local_values(row, {})
        pushed = {m.prop for m, _s in adapter.specs.values() if m.direction in ("both", "push")}
        record = adapter.apply_remote({}, {k: v for k, v in local.items() if k in pushed})
        record["productNumber"] = row["default_code"]
        record["productGroup"] = {"productGroupNumber": int(group)}
        return adapter.prepare_write(record)

    def _create_remote_products(self, state, adapter, products, rows):
        payloads = {}
        for product in products:
            try:
                payloads[product.id] = self._create_payload(
                    state, adapter, product, rows[product.id]
                )
            except RECORD_ERRORS as error:
                self._record_error(state, ENTITY, "push", product, error)
        if not payloads:
            return
        attempts = self.env["economic.create.attempt"]._prepare(
            state.backend,
            ENTITY,
            products.browse(list(payloads)),
            names={pid: payload["productNumber"] for pid, payload in payloads.items()},
        )
        # the keys are stored before the first request (a crash after e-conomic's commit
        # leaves a row the next pass settles: the pull finds the product by its number)
        self._commit(state)
        for product in products.browse(list(payloads)):
            self._create_one_product(state, adapter, product, payloads[product.id], attempts)

    def _create_one_product(self, state, adapter, product, payload, attempts):
        def send(key):
            created = state.client.products.create(payload, idempotency_key=key)
            return self._bind_created_product(state, adapter, product, created)

        binding = self._economic_create_once(state, ENTITY, product, attempts[product.id], send)
        if not binding:
            return False
        state.log_record(ENTITY, "create", product, binding, direction="push")
        return binding

    def _bind_created_product(self, state, adapter, product, created):
        return self.env[BINDING].create(
            {
                "backend_id": state.backend.id,
                "product_id": product.id,
                "economic_key": str(created["productNumber"]),
                "base": dump_base(adapter.remote_values(created)),
                "state": "synced",
                "remote_last_updated": created.get("lastUpdated") or False,
                "last_synced": fields.Datetime.now(),
            }
        )

    # ------------------------------------------------------------------ settling creates
    def _resume_product_creates(self, state):
        """Creates left unconfirmed by a crash: the product is looked up by the number it
        was sent with; found, it is bound (no second product), else the attempt stays and the
        push sends the same request again (same key)."""
        attempts = (
            self.env["economic.create.attempt"]
            .sudo()
            .search(
                [
                    ("backend_id", "=", state.backend.id),
                    ("entity", "=", ENTITY),
                    ("state", "=", "pending"),
                ]
            )
        )
        adapter = state.adapters[ENTITY]
        for attempt in attempts:
            product = self.env["product.product"].browse(attempt.res_id).exists()
            bound = product and self.env[BINDING]._economic_bindings_of(state, product)
            if not product or bound:
                attempt.unlink()
                continue
            try:
                record = state.client.products.get(attempt.record_name)
            except EconomicError as error:
                if getattr(error, "status", None) != 404:
                    self._record_error(state, ENTITY, "push", product, error)
                continue
            self._bind_product(
                state,
                product,
                record["productNumber"],
                self.env._("Created by an earlier push whose answer was lost: bound."),
                base=adapter.remote_values(record),
                direction="push",
            )
            attempt.unlink()
        if attempts:
            self._commit(state)


def _id(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else False
    return value or False


def _name(value):
    if isinstance(value, (list, tuple)) and len(value) > 1:
        return value[1]
    return value
