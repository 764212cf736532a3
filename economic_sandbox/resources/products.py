"""Units, product groups (with their sales accounts per VAT zone) and products of the legacy REST API.

The agreement's inventory module ("Lager", `state.inventory`) decides whether products carry
`inventory` and whether product groups can be `inventoryEnabled` (real recorded responses)."""

from decimal import Decimal

from .. import errors
from ..validation import B, I, N, O, Ref, S
from .base import Resource, collection, ref


class Units(Resource):
    path = "units"
    key = "unitNumber"
    filterable = []
    sortable = ["unitNumber", "name"]
    methods = ("GET", "POST", "PUT", "DELETE")
    auto_number = True
    rule = O({"unitNumber": I(min=1), "name": S(req=True, min=1, max=100)})
    singular = "unit"
    create_description = "Create a new unit."

    def render(self, ctx, rec):
        n = rec["unitNumber"]
        return {
            "unitNumber": n,
            "name": rec["name"],
            "products": ctx.link("units", n, "products"),
            "self": ctx.link("units", n),
        }

    def check_delete(self, ctx, key, rec):
        if any(p.get("unit", {}).get("unitNumber") == key for p in ctx.st.t("products").values()):
            raise errors.bad_request(
                "Cannot delete unit.",
                "You can't delete a unit that is in use.",
                errors=["Unit %d is in use." % key],
            )

    def on_change(self, *a):
        pass

    def register(self, router):
        super().register(router)
        router.add("GET", r"units/([^/]+)/products", self.h_products)

    def h_products(self, ctx, raw):
        return _products_of(ctx, "units", self.parse_key(raw), "unit", "unitNumber")


class ProductGroups(Resource):
    path = "product-groups"
    key = "productGroupNumber"
    filterable = []
    sortable = ["productGroupNumber", "name"]

    def render(self, ctx, rec):
        n = rec["productGroupNumber"]
        out = {
            "productGroupNumber": n,
            "name": rec["name"],
            "salesAccounts": ctx.link("product-groups", n, "sales-accounts"),
            "products": ctx.link("product-groups", n, "products"),
            "inventoryEnabled": bool(ctx.st.inventory and rec.get("inventoryEnabled")),
        }
        if rec.get("accrual"):
            out["accrual"] = ref(ctx, "accounts", "accountNumber", rec["accrual"]["accountNumber"])
        out["self"] = ctx.link("product-groups", n)
        return out

    def register(self, router):
        super().register(router)
        router.add("GET", r"product-groups/([^/]+)/products", self.h_products)
        router.add("GET", r"product-groups/([^/]+)/sales-accounts", self.h_sales_accounts)

    def h_products(self, ctx, raw):
        return _products_of(
            ctx, "product-groups", self.parse_key(raw), "productGroup", "productGroupNumber"
        )

    def h_sales_accounts(self, ctx, raw):
        """`{collection: [{salesAccount: <account>, vatZone: <VAT zone>}]}`: the group's sales
        account per VAT zone (schema product-groups.productGroupNumber.sales-accounts.get)."""
        g = self.parse_key(raw)
        with ctx.st.lock:
            grp = ctx.st.t("product-groups").get(g)
            if grp is None:
                raise errors.not_found()
            recs = [
                {"vatZone": {"vatZoneNumber": zone}, "salesAccount": {"accountNumber": acc}}
                for zone, acc in sorted(grp.get("salesAccounts", {}).items())
            ]
        return collection(ctx, SALES_ACCOUNTS, records=recs, render=_sales_account, create=False)


class SalesAccountsView(Resource):
    """Paging/sorting of /product-groups/{n}/sales-accounts (not filterable, like the groups)."""

    filterable = []
    sortable = ["vatZone.vatZoneNumber", "salesAccount.accountNumber"]
    default_sort = [("vatZone.vatZoneNumber", False, False)]


def _products_of(ctx, table, key, prop, key_name):
    """`GET /<table>/{key}/products`: the products whose `prop.key_name` is `key` (404 for an
    unknown unit or group)."""
    with ctx.st.lock:
        if key not in ctx.st.t(table):
            raise errors.not_found()
        recs = [
            p for p in ctx.st.t("products").values() if (p.get(prop) or {}).get(key_name) == key
        ]
    return collection(ctx, PRODUCTS, records=recs, create=False)


def _sales_account(ctx, rec):
    from .ledger import ACCOUNTS, VAT_ZONES

    n = rec["salesAccount"]["accountNumber"]
    zone = rec["vatZone"]["vatZoneNumber"]
    acc = ctx.st.t("accounts").get(n)
    vz = ctx.st.t("vat-zones").get(zone)
    return {
        "salesAccount": ACCOUNTS.render(ctx, acc)
        if acc
        else ref(ctx, "accounts", "accountNumber", n),
        "vatZone": VAT_ZONES.render(ctx, vz)
        if vz
        else ref(ctx, "vat-zones", "vatZoneNumber", zone),
    }


# inventory figures e-conomic computes (read-only) and the ones a client may write
INVENTORY_FIGURES = ("available", "inStock", "orderedByCustomers", "orderedFromSuppliers")
INVENTORY_WRITABLE = ("packageVolume", "recommendedCostPrice")
INVENTORY_WEIGHTS = ("grossWeight", "netWeight")

PRODUCT_RULE = O(
    {
        "productNumber": S(req=True, min=1, max=25),
        "name": S(req=True, min=1, max=300),
        "description": S(max=500),
        "costPrice": N(),
        "recommendedPrice": N(),
        "salesPrice": N(),
        "barCode": S(max=50),
        "barred": B(),
        "productGroup": Ref("product-groups", "productGroupNumber", req=True),
        "unit": Ref("units", "unitNumber"),
        "departmentalDistribution": Ref(None, "departmentalDistributionNumber"),
        "inventory": O({"packageVolume": N(), "recommendedCostPrice": N()}),
        "lastUpdated": S(ro=True),
    }
)
PRODUCT_SCALARS = (
    "description",
    "name",
    "costPrice",
    "recommendedPrice",
    "salesPrice",
    "barCode",
    "barred",
    "lastUpdated",
)


def inventory_wire(rec):
    """The `inventory` object of a product (only served with the inventory module): the stock
    figures (available = inStock - orderedByCustomers), packageVolume and recommendedCostPrice
    (0.0 when never given, as e-conomic documents), the weights when known."""
    inv = rec.get("inventory") or {}
    out = {f: inv.get(f, Decimal("0.00")) for f in INVENTORY_FIGURES + INVENTORY_WRITABLE}
    out["available"] = out["inStock"] - out["orderedByCustomers"]
    for f in INVENTORY_WEIGHTS:
        if f in inv:
            out[f] = inv[f]
    return out


class Products(Resource):
    path = "products"
    key = "productNumber"
    key_type = str
    filterable = [
        "productNumber",
        "description",
        "name",
        "costPrice",
        "recommendedPrice",
        "salesPrice",
        "barCode",
        "lastUpdated",
        "unit.unitNumber",
        "productGroup.productGroupNumber",
        "barred",
    ]
    sortable = [
        "productNumber",
        "description",
        "name",
        "costPrice",
        "recommendedPrice",
        "salesPrice",
        "barCode",
        "lastUpdated",
    ]
    methods = ("GET", "POST", "PUT", "DELETE")
    rule = PRODUCT_RULE
    stamp = True
    singular = "product"
    create_description = "Create a new product."

    def prepare(self, ctx, clean, key, old):
        rec = dict(clean)
        rec.setdefault("barred", False)
        # stock figures and weights are e-conomic's (read-only): a write keeps them
        inv = {f: v for f, v in ((old or {}).get("inventory") or {}).items()}
        for f in INVENTORY_WRITABLE:
            inv.pop(f, None)
        inv.update(clean.get("inventory") or {})
        rec["inventory"] = inv
        return rec

    def render(self, ctx, rec):
        n = rec["productNumber"]
        out = {"productNumber": n}
        for f in PRODUCT_SCALARS:
            if f in rec:
                out[f] = rec[f]
        g = rec["productGroup"]["productGroupNumber"]
        grp = ctx.st.t("product-groups").get(g)
        out["productGroup"] = (
            PRODUCT_GROUPS.render(ctx, grp)
            if grp
            else ref(ctx, "product-groups", "productGroupNumber", g)
        )
        if "unit" in rec:
            u = ctx.st.t("units").get(rec["unit"]["unitNumber"])
            out["unit"] = (
                UNITS.render(ctx, u)
                if u
                else ref(ctx, "units", "unitNumber", rec["unit"]["unitNumber"])
            )
        if ctx.st.inventory:
            out["inventory"] = inventory_wire(rec)
        base = self.self_link(ctx, n)
        out["invoices"] = {
            "drafts": base + "/invoices/drafts",
            "booked": base + "/invoices/booked",
            "self": base + "/invoices",
        }
        out["pricing"] = {
            "currencySpecificSalesPrices": base + "/pricing/currency-specific-sales-prices"
        }
        out["metaData"] = {
            "delete": {"description": "Delete this product.", "href": base, "httpMethod": "delete"},
            "replace": {"description": "Replace this product.", "href": base, "httpMethod": "put"},
        }
        out["self"] = base
        return out

    def check_delete(self, ctx, key, rec):
        for tname in ("invoices/drafts", "invoices/booked"):
            for inv in ctx.st.t(tname).values():
                for line in inv.get("lines", ()):
                    if line.get("product", {}).get("productNumber") == key:
                        raise errors.bad_request(
                            "Cannot delete product.",
                            "The product is used on one or more invoices.",
                            errors=["Product %s is in use." % key],
                            error_code="E06150",
                        )


UNITS = Units()
PRODUCT_GROUPS = ProductGroups()
PRODUCTS = Products()
SALES_ACCOUNTS = SalesAccountsView()
