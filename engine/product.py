"""Products, the pure part (no Odoo): the default product mappings and the product adapter, an
e-conomic product <-> canonical values <-> ``product.product`` and its binding (recommended
price and inventory figures are shown, kept on the binding). The Odoo side is
``models/sync_product/``."""

from .adapters import Adapter, Mapping

_M = Mapping
#: the default product mapping (docs/SYNC.md §2: products are read-first)
PRODUCT_MAPPINGS = [
    _M("default_code", "productNumber", "pull", "char"),
    _M("name", "name", "both", "char"),
    _M("description_sale", "description", "both", "char"),
    _M("list_price", "salesPrice", "both", "decimal"),
    _M("standard_price", "costPrice", "both", "decimal"),
    _M("barcode", "barCode", "both", "char"),
    _M("uom_id", "unit.unitNumber", "both", "unit"),
    _M("categ_id", "productGroup.productGroupNumber", "both", "product_group"),
    _M("active", "barred", "both", "barred"),
    _M(False, "recommendedPrice", "readonly", "decimal"),
    _M(False, "inventory.available", "readonly", "decimal"),
    _M(False, "inventory.inStock", "readonly", "decimal"),
    _M(False, "inventory.orderedByCustomers", "readonly", "decimal"),
    _M(False, "inventory.orderedFromSuppliers", "readonly", "decimal"),
]
#: what e-conomic computes or links: never sent back
READ_ONLY_PROPS = ("self", "invoices", "pricing", "metaData", "lastUpdated", "inventory")


class ProductAdapter(Adapter):
    kind = "product"
    key = "productNumber"
    res_model = "product.product"
    #: what identifies a product besides its name (a reused number is another product)
    identity = ("barCode",)

    def local_fields(self):
        names = {"name", "active", "write_date", "default_code", "barcode"}
        for m, _spec in list(self.specs.values()) + self.readonly:
            if self.binding_field(m):
                continue
            names.add("active" if m.converter == "barred" else m.odoo_field)
        return sorted(names)

    partner_fields = local_fields

    def local_write_vals(self, changes, current=None, notes=None):
        """As the base, but a product keeps its unit and category when e-conomic has none
        (Odoo requires both)."""
        vals, bvals = super().local_write_vals(changes, current=current, notes=notes)
        for name in ("uom_id", "categ_id"):
            if name in vals and not vals[name]:
                del vals[name]
        return vals, bvals

    def local_values(self, pvals, bvals, hints=None):
        """As the base; a unit Odoo requires where e-conomic has none (and had none) is no
        difference."""
        out = super().local_values(pvals, bvals, hints)
        for prop in ("unit.unitNumber",):
            if prop in out and tuple((hints or {}).get(prop) or (0, 0)) == (None, None):
                out[prop] = None
        return out

    def readonly_values(self, record):
        out = super().readonly_values(record)
        out["has_inventory"] = isinstance(record.get("inventory"), dict)
        return out

    def prepare_write(self, record):
        for name in READ_ONLY_PROPS:
            record.pop(name, None)
        group = (record.get("productGroup") or {}).get("productGroupNumber")
        if group is not None:
            record["productGroup"] = {"productGroupNumber": group}
        unit = (record.get("unit") or {}).get("unitNumber")
        if unit is not None:
            record["unit"] = {"unitNumber": unit}
        else:
            record.pop("unit", None)
        for name in ("description", "barCode"):
            if record.get(name) is None:
                record.pop(name, None)
        return record
