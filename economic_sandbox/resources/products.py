"""Units, product groups and products of the legacy REST API."""

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
            "inventoryEnabled": bool(rec.get("inventoryEnabled")),
            "self": ctx.link("product-groups", n),
        }
        return out

    def register(self, router):
        super().register(router)
        router.add("GET", r"product-groups/([^/]+)/products", self.h_products)

    def h_products(self, ctx, raw):
        g = self.parse_key(raw)
        if g not in ctx.st.t("product-groups"):
            raise errors.not_found()
        recs = [
            p for p in ctx.st.t("products").values() if p["productGroup"]["productGroupNumber"] == g
        ]
        return collection(ctx, Products(), records=recs, create=False)


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
        return rec

    def render(self, ctx, rec):
        n = rec["productNumber"]
        out = {"productNumber": n}
        for f in (
            "description",
            "name",
            "costPrice",
            "recommendedPrice",
            "salesPrice",
            "barCode",
            "barred",
            "lastUpdated",
        ):
            if f in rec:
                out[f] = rec[f]
        g = rec["productGroup"]["productGroupNumber"]
        grp = ctx.st.t("product-groups").get(g)
        out["productGroup"] = (
            ProductGroups().render(ctx, grp)
            if grp
            else ref(ctx, "product-groups", "productGroupNumber", g)
        )
        if "unit" in rec:
            u = ctx.st.t("units").get(rec["unit"]["unitNumber"])
            out["unit"] = (
                Units().render(ctx, u)
                if u
                else ref(ctx, "units", "unitNumber", rec["unit"]["unitNumber"])
            )
        if "inventory" in rec:
            out["inventory"] = rec["inventory"]
        base = self.self_link(ctx, n)
        out["invoices"] = {"drafts": base + "/invoices/drafts", "booked": base + "/invoices/booked"}
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
