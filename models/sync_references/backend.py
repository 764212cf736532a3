"""The connection's references read from e-conomic (groups, VAT zones, payment terms, layouts,
currencies): Refresh References, their Odoo mappings and the defaults filled from them."""

from odoo import models
from odoo.exceptions import UserError

from ...economic_client import EconomicError
from .reference import REFERENCE_SOURCES


class EconomicBackendReferences(models.Model):
    _inherit = "economic.backend"

    # ------------------------------------------------------------------ references
    def action_refresh_references(self):
        """Read groups, VAT zones, payment terms, layouts and currencies from
        e-conomic (one list call each) into ``economic.reference``, map them to Odoo
        where unambiguous and fill the empty defaults."""
        self.ensure_one()
        self.check_access("write")
        _ = self.env._
        try:
            with self._get_client() as client:
                fetched = {
                    kind: getattr(client, service).list()
                    for kind, (service, _key) in REFERENCE_SOURCES.items()
                }
                sales_accounts = self._read_sales_accounts(client, fetched["product_group"])
        except EconomicError as error:
            raise UserError(
                _(
                    "Could not read the references of e-conomic.\n%(error)s",
                    error=self._error_message(error),
                )
            ) from None
        references = self.env["economic.reference"].sudo()
        counts = {}
        for kind, records in fetched.items():
            counts[kind] = len(references._upsert_from_economic(self, kind, records or []))
        references._store_sales_accounts(self, sales_accounts)
        self._fill_default_references()
        return self._notification(
            _("e-conomic references read"),
            _(
                "%(groups)s customer groups, %(sgroups)s supplier groups, %(zones)s VAT "
                "zones, %(terms)s payment terms, %(layouts)s layouts, %(currencies)s "
                "currencies.",
                groups=counts["customer_group"],
                sgroups=counts["supplier_group"],
                zones=counts["vat_zone"],
                terms=counts["payment_term"],
                layouts=counts["layout"],
                currencies=counts["currency"],
            ),
            "success",
        )

    @staticmethod
    def _read_sales_accounts(client, groups):
        """``{group number: {VAT zone number: account number}}``: the sales accounts of each
        product group (one request per group: agreements have a handful)."""
        out = {}
        for group in groups or ():
            number = group.get("productGroupNumber")
            if number is None:
                continue
            accounts = {}
            for row in client.product_groups.sales_accounts(number):
                zone = (row.get("vatZone") or {}).get("vatZoneNumber")
                account = (row.get("salesAccount") or {}).get("accountNumber")
                if zone is not None and account is not None:
                    accounts[str(zone)] = account
            out[str(number)] = accounts
        return out

    def _fill_default_references(self):
        """Fill the empty defaults the entity packages declare
        (``_economic_default_references``: reference 1 of the kind, else the first;
        ``_economic_default_values``)."""
        self.ensure_one()
        refs = self.env["economic.reference"].search(
            [("backend_id", "=", self.id)], order="sequence_key, number, id"
        )

        def pick(kind, **filters):
            candidates = refs.filtered(
                lambda r: r.kind == kind and all(r[k] == v for k, v in filters.items())
            )
            return candidates.filtered(lambda r: r.number == "1")[:1] or candidates[:1]

        vals = {}
        for fname, (kind, filters) in self._economic_default_references().items():
            if not self[fname] or not self[fname].active:
                found = pick(kind, **filters)
                if found and found != self[fname]:
                    vals[fname] = found.id
        vals.update(self._economic_default_values())
        if vals:
            self.write(vals)

    def _economic_default_values(self):
        """Other empty defaults ``_fill_default_references`` fills (an entity package adds its
        own): ``{field: value}``."""
        return {}

    def _economic_default_references(self):
        """``{field: (reference kind, filters)}``: the connection's default references that
        ``_fill_default_references`` fills (an entity package adds its own)."""
        return {}

    def action_view_references(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("e-conomic References"),
            "res_model": "economic.reference",
            "view_mode": "list,form",
            "domain": [("backend_id", "=", self.id)],
            "context": {"default_backend_id": self.id, "search_default_group_kind": 1},
        }
