"""The entity "Stock on Hand" (issue 18 §2): e-conomic's in-stock figure of bound storable
products set in the connection's stock location through Odoo's inventory adjustment.

Pull only, off by default (``opt_in``: its moves may post stock valuation entries). It reads
nothing from e-conomic itself: the product package reads e-conomic's ``inventory`` object onto
the product bindings (``has_inventory``, ``inventory_in_stock``); this module runs after it in
every pass (sequence 35, products 30) and after the targeted pull of a "Product updated"
webhook (``product.py``), and compares those figures with Odoo's on-hand quantity.

Per page of bindings: one read of the bindings and their products, one grouped query of the
on-hand quantities, one search of the quants to count, one create of the missing ones and one
``_apply_inventory`` (one create of the moves, one ``_action_done``), one commit. One log line
per pass says how many products were adjusted; the moves name the connection.
"""

import json
import logging

from odoo import models
from odoo.tools import LazyTranslate, float_is_zero, float_round

from odoo.addons.economic_sync.models.economic_sync_entity import RECORD_ERRORS, Entity
from odoo.addons.economic_sync.models.economic_sync_state import PAGE_SIZE

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

ENTITY = "stock"
BINDING = "economic.product.binding"
#: products named in one log line (old and new quantities, tracked products)
NAMED_MAX = 50


class StockTally:
    """What the adjustments of one pass did, for its one log line."""

    def __init__(self):
        self.adjusted = 0
        self.old, self.new = {}, {}
        self.tracked = []
        self.untracked = []

    def add(self, product, old, new):
        self.adjusted += 1
        if len(self.new) < NAMED_MAX:
            self.old[product.display_name] = old
            self.new[product.display_name] = new


class EconomicSyncStock(models.AbstractModel):
    _name = "economic.sync.stock"
    _inherit = "economic.sync.entity"
    _description = "e-conomic Sync: stock on hand"

    _economic_entities = (
        Entity(
            ENTITY,
            _lt("Stock on Hand"),
            _lt("Stock on Hand"),
            "product.product",
            35,
            push=False,
            opt_in=True,
        ),
    )
    _economic_sequence = 35

    # ================================================================== interface
    def _economic_prepare(self, state):
        state.res_models[ENTITY] = "product.product"

    def _economic_pass(self, state, entities, full):
        if self._stock_pull_on(state):
            self._stock_sync(state, full=full)

    def _economic_record_counts(self, backend_ids):
        """The products whose stock follows e-conomic: bound, storable, with e-conomic's
        inventory figures (one grouped query)."""
        rows = self.env[BINDING]._read_group(
            [("backend_id", "in", backend_ids)] + self._stock_binding_domain(),
            groupby=["backend_id"],
            aggregates=["__count"],
        )
        return {(backend.id, ENTITY): count for backend, count in rows}

    def _economic_replay(self, state, line, binding):
        """A failed adjustment of one product: that product's adjustment again, now."""
        if not binding or not line.res_id:
            return self.env._("The record of this line is gone.")
        problem = self._stock_problem(state)
        if problem:
            return problem
        self._stock_sync(state, [("id", "=", binding.id)])
        return True

    # ================================================================== when
    def _stock_pull_on(self, state, webhook=False):
        """Whether the connection sets e-conomic's stock: the pull of Stock on Hand on (and
        its Automatic, for a webhook)."""
        setting = state.settings.get(ENTITY)
        if not setting or not setting["pull"]:
            return False
        return not webhook or bool(setting["setting"] and setting["setting"].auto)

    def _stock_after_product_pull(self, state, keys):
        """A webhook pulled the products ``keys`` (e-conomic product numbers): their stock at
        once (``product.py``)."""
        if keys and self._stock_pull_on(state, webhook=True):
            self._stock_sync(state, [("economic_key", "in", list(keys))])

    def _stock_problem(self, state):
        """Why the stock cannot be set on this connection now (a translated sentence naming
        what to configure), or False."""
        _ = self.env._
        backend = state.backend
        if not state.setting("product")["pull"]:
            return _(
                "Products are not pulled: e-conomic's stock figures are read with the products. "
                "Switch on the pull of Products, or switch off the pull of Stock on Hand."
            )
        mappings = self.env["economic.sync.engine"]._economic_mappings(backend, "product")
        if not any(m.prop == "inventory.inStock" for m in mappings):
            return _(
                "The field mapping of e-conomic's In Stock (inventory.inStock) of Products is "
                "off: switch it on under Field Mappings to set the stock on hand."
            )
        location = backend.stock_location_id
        if not location or not location.active or location.company_id != backend.company_id:
            return _(
                "Choose the stock location of %(company)s where e-conomic's stock on hand is "
                "set: on the connection, tab Stock.",
                company=backend.company_id.display_name,
            )
        if not self.env.user.has_group("stock.group_stock_user"):
            return _(
                "%(user)s may not adjust stock: setting e-conomic's stock on hand needs the "
                "Inventory / User rights.",
                user=self.env.user.display_name,
            )
        return False

    # ================================================================== the adjustments
    @staticmethod
    def _stock_binding_domain():
        """Product bindings whose stock follows e-conomic (of any connection)."""
        return [
            ("has_inventory", "=", True),
            ("remote_archived", "=", False),
            ("product_id.is_storable", "=", True),
        ]

    def _stock_sync(self, state, domain=None, full=False):
        """Set e-conomic's stock on hand of the connection's bound storable products (within
        ``domain``, e.g. the keys a webhook pulled), a page at a time; one log line. A pass
        (no ``domain``) that finds none to set, and every full pass, also says which products
        carry e-conomic's figures but do not track inventory in Odoo."""
        problem = self._stock_problem(state)
        Log = self.env["economic.sync.log"]
        if problem:
            state.log(
                entity=ENTITY, direction="pull", operation="error", state="failed", message=problem
            )
            self._commit(state)
            return
        # the configuration is fine: a failure it caused before is over
        Log._close_open(state.backend, ENTITY, False)
        company = state.company
        domain_given = domain is not None
        domain = (
            [
                ("backend_id", "=", state.backend.id),
                ("product_id.company_id", "in", [company.id, False]),
            ]
            + self._stock_binding_domain()
            + (domain or [])
        )
        ids = self.env[BINDING].with_company(company).search(domain, order="id").ids
        tally = StockTally()
        if not domain_given and (full or not ids):
            tally.untracked = self._stock_untracked(state)
        for chunk in self._split(ids, PAGE_SIZE):
            self._stock_page(state, self.env[BINDING].browse(chunk), tally)
            self._commit(state)
        self._stock_log(state, tally)
        self._commit(state)

    def _stock_page(self, state, bindings, tally):
        """One page of bindings: the products whose quantity differs from e-conomic's, adjusted
        together (one by one when the batch fails)."""
        location = state.backend.stock_location_id
        bindings = bindings.with_company(state.company)
        bindings.fetch(["product_id", "economic_key", "inventory_in_stock"])
        on_hand = self._stock_on_hand(state, location, bindings.product_id)
        todo = []
        for binding in bindings:
            product = binding.product_id
            rounding = product.uom_id.rounding
            old = on_hand.get(product.id, 0.0)
            new = float_round(binding.inventory_in_stock, precision_rounding=rounding)
            if float_is_zero(new - old, precision_rounding=rounding):
                state.resolve(ENTITY, "pull", product.id, binding.economic_key)
            elif product.tracking != "none":
                tally.tracked.append(product.display_name)
            else:
                todo.append((binding, product, old, new))
        if not todo:
            return
        try:
            with self._record_savepoint(state, guard=False):
                self._stock_apply(state, location, todo, tally)
            return
        except Exception as error:  # noqa: BLE001 - tried one by one below
            _logger.info(
                "e-conomic %s: stock of %s products at once failed (%s), one by one",
                state.backend.name,
                len(todo),
                error,
            )
        for item in todo:
            self._stock_apply_one(state, location, item, tally)

    def _stock_apply_one(self, state, location, item, tally):
        binding, product = item[0], item[1]
        try:
            with self._record_savepoint(state):
                self._stock_apply(state, location, [item], tally)
        except RECORD_ERRORS as error:
            message = self._error_text(state.backend, error)
            state.log(
                entity=ENTITY,
                direction="pull",
                operation="error",
                state="failed",
                res_model=product._name,
                res_id=product.id,
                record_name=product.display_name,
                economic_key=binding.economic_key,
                message=message,
                binding=binding,
            )

    def _stock_on_hand(self, state, location, products):
        """``{product id: quantity}`` on hand in ``location`` and its sub-locations (one
        grouped query)."""
        rows = (
            self.env["stock.quant"]
            .with_company(state.company)
            ._read_group(
                [("product_id", "in", products.ids), ("location_id", "child_of", location.id)],
                groupby=["product_id"],
                aggregates=["quantity:sum"],
            )
        )
        return {product.id: quantity for product, quantity in rows}

    def _stock_apply(self, state, location, items, tally):
        """Odoo's inventory adjustment of ``items`` (binding, product, on hand, e-conomic's
        figure) in ``location``: the counted quantity of each product's quant there (created
        when missing) takes the difference, then ``_apply_inventory`` moves it from or to the
        inventory-loss location (one create of the moves, one ``_action_done``)."""
        Quant = (
            self.env["stock.quant"]
            .with_company(state.company)
            .with_context(inventory_mode=True, inventory_name=self._stock_move_name(state))
        )
        products = self.env["product.product"].browse([item[1].id for item in items])
        quants = {}
        for quant in Quant.search(
            [
                ("product_id", "in", products.ids),
                ("location_id", "=", location.id),
                ("lot_id", "=", False),
                ("package_id", "=", False),
                ("owner_id", "=", False),
            ],
            order="id",
        ):
            quants.setdefault(quant.product_id.id, quant)
        missing = [item for item in items if item[1].id not in quants]
        created = Quant.create(
            [
                {
                    "product_id": product.id,
                    "location_id": location.id,
                    "inventory_quantity": new - old,
                    "user_id": self.env.uid,
                }
                for _binding, product, old, new in missing
            ]
        )
        counted = Quant.browse(created.ids)
        for _binding, product, old, new in items:
            quant = quants.get(product.id)
            if quant:
                quant.write(
                    {"inventory_quantity": quant.quantity + new - old, "user_id": self.env.uid}
                )
                counted |= quant
        counted._apply_inventory()
        counted.inventory_quantity_set = False
        for binding, product, old, new in items:
            tally.add(product, old, new)
            state.resolve(ENTITY, "pull", product.id, binding.economic_key)
        state.counts["updated"] += len(items)

    def _stock_move_name(self, state):
        """The reference of the stock moves: where the quantity came from."""
        return self.env._("e-conomic stock on hand (%(connection)s)", connection=state.backend.name)

    def _stock_untracked(self, state):
        """The names of the connection's bound goods with e-conomic's inventory figures that
        do not track inventory in Odoo (one search, at most ``NAMED_MAX`` + 1 names)."""
        domain = [
            ("backend_id", "=", state.backend.id),
            ("has_inventory", "=", True),
            ("remote_archived", "=", False),
            ("product_id.is_storable", "=", False),
            ("product_id.type", "=", "consu"),
            ("product_id.company_id", "in", [state.company.id, False]),
        ]
        Binding = self.env[BINDING].with_company(state.company)
        count = Binding.search_count(domain)
        names = Binding.search(domain, order="id", limit=NAMED_MAX).product_id.mapped(
            "display_name"
        )
        return names + [None] * (count - len(names))

    def _stock_log(self, state, tally):
        """One line for the adjustments of the pass, one for the tracked products left alone,
        one for the goods that do not track inventory."""
        _ = self.env._
        if tally.untracked:
            names = [name for name in tally.untracked if name]
            more = len(tally.untracked) - len(names)
            state.log(
                entity=ENTITY,
                direction="pull",
                operation="skip",
                message=_(
                    "Not set from e-conomic: %(products)s%(more)s have e-conomic's stock figures "
                    "but do not track inventory in Odoo. Tick Track Inventory on the products "
                    "whose stock e-conomic keeps (product form, General Information).",
                    products=", ".join(names),
                    more=_(" and %(count)s more", count=more) if more else "",
                ),
            )
        location = state.backend.stock_location_id.display_name
        if tally.adjusted:
            state.log(
                entity=ENTITY,
                direction="pull",
                operation="update",
                message=_(
                    "%(count)s products set to e-conomic's stock on hand in %(location)s by an "
                    'inventory adjustment (stock moves "%(reference)s").',
                    count=tally.adjusted,
                    location=location,
                    reference=self._stock_move_name(state),
                ),
                old_values=json.dumps(tally.old, ensure_ascii=False, sort_keys=True),
                new_values=json.dumps(tally.new, ensure_ascii=False, sort_keys=True),
            )
        if tally.tracked:
            names = tally.tracked[:NAMED_MAX]
            more = len(tally.tracked) - len(names)
            state.log(
                entity=ENTITY,
                direction="pull",
                operation="skip",
                message=_(
                    "Not set from e-conomic: %(products)s%(more)s differ from e-conomic's stock "
                    "on hand but are tracked by lots or serial numbers, and e-conomic's figure "
                    "names no lot. Count them in Odoo's Inventory.",
                    products=", ".join(names),
                    more=_(" and %(count)s more", count=more) if more else "",
                ),
            )
