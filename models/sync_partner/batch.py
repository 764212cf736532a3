"""Creating many partners at once the way ``res.partner.create`` would one by one (parent sync,
pricelists, company-dependent fields), without its per-record writes."""

import logging

from odoo import models

_logger = logging.getLogger(__name__)


class EconomicSyncPartnerBatch(models.AbstractModel):
    _inherit = "economic.sync.partner"

    @staticmethod
    def _with_parent_sync(model, vals_list):
        """New contacts' values with what ``res.partner.create`` would copy from their parent
        afterwards, record by record (``_fields_sync``: two ``write`` each, with the pricelist
        and other computations of every field written): the commercial fields of the parent's
        commercial entity, the parent's address if it has one, its language if none is given.
        The caller creates them with ``_partners_skip_fields_sync`` (as Odoo's own batched
        ``_load_records_create`` does), so the result is the same with no write per record.

        Returns None (create the normal way) unless every record is a contact (not a company)
        with a parent, and no record would copy its own address up to an address-less parent
        (``_handle_first_contact_creation``)."""
        if not vals_list or any(
            not vals.get("parent_id") or vals.get("type") != "contact" or vals.get("is_company")
            for vals in vals_list
        ):
            return None
        address_fields = model._address_fields()
        commercial_fields = model._commercial_fields()
        parents = model.sudo().browse(list(dict.fromkeys(v["parent_id"] for v in vals_list)))
        copied = {}
        for parent in parents:  # prefetched together: computed fields computed once per batch
            vals = parent.commercial_partner_id._update_fields_values(commercial_fields)
            if any(parent[key] for key in address_fields):
                vals.update(
                    (
                        key,
                        parent[key].id
                        if isinstance(parent[key], models.BaseModel)
                        else parent[key],
                    )
                    for key in address_fields
                )
            copied[parent.id] = (
                vals,
                bool(any(parent[key] for key in address_fields)),
                parent.lang,
            )
        out = []
        for vals in vals_list:
            parent_vals, has_address, lang = copied[vals["parent_id"]]
            if not has_address and any(vals.get(key) for key in address_fields):
                return None
            new = dict(vals, **parent_vals)
            if "lang" not in vals:
                new["lang"] = lang or model.env.context.get("default_lang") or model.env.lang
            out.append(new)
        model.env["economic.sync.partner"]._pricelist_as_specific(model, out, vals_list)
        return out

    @staticmethod
    def _pricelist_as_specific(model, vals_list, own_vals_list):
        """``property_product_pricelist`` (product) is a computed field whose inverse runs a
        pricelist search per record; set what that inverse stores instead, per distinct
        (pricelist, country): the pricelist as the specific one unless it is the default of
        contact's own country (``_inverse_product_pricelist``, Odoo 18; ``_fields_sync`` runs it
        before the parent's address is copied, so with the country of ``own_vals_list``)."""
        field = model._fields.get("property_product_pricelist")
        if (
            field is None
            or field.inverse != "_inverse_product_pricelist"
            or "specific_property_product_pricelist" not in model._fields
        ):
            return
        Pricelist = model.env["product.pricelist"].sudo()
        Country = model.env["res.country"]
        defaults = {}
        for vals, own in zip(vals_list, own_vals_list, strict=True):
            if "property_product_pricelist" not in vals:
                continue
            pricelist = vals.pop("property_product_pricelist")
            if not pricelist:
                continue  # the inverse changes nothing (no specific pricelist on a new contact)
            code = Country.browse(own["country_id"]).code if own.get("country_id") else False
            if code not in defaults:
                defaults[code] = Pricelist.search(
                    [("country_group_ids.country_ids.code", "=", code)], limit=1
                ).id
            vals["specific_property_product_pricelist"] = (
                False if pricelist == defaults[code] else pricelist
            )

    @staticmethod
    def _company_dependent_sync(model, partners):
        """The company-dependent commercial fields of new contacts in the other companies
        (``_company_dependent_commercial_sync``), one write per company and distinct value."""
        fnames = model._company_dependent_commercial_fields()
        if not fnames:
            return
        for company in model.env["res.company"].sudo().search([]):
            if company == model.env.company:
                continue
            groups = {}
            for partner in partners.sudo().with_company(company):
                vals = partner.commercial_partner_id._update_fields_values(fnames)
                key = repr(sorted(vals.items()))
                groups.setdefault(key, (vals, []))[1].append(partner.id)
            for vals, ids in groups.values():
                model.sudo().with_company(company).browse(ids).write(vals)
