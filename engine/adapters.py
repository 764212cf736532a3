"""Adapters: e-conomic record <-> canonical values <-> res.partner / binding values.

An adapter is built once per pass from the connection's ``economic.field.mapping`` rows (as plain
``Mapping`` tuples) and a ``Lookups`` object (countries, references, payment terms, read once).
It never talks to Odoo or e-conomic itself: the engine reads, the adapter converts, ``sync_core``
decides.
"""

import copy
from collections import namedtuple
from decimal import Decimal

from ..sync_core import FieldSpec, canonical, canonical_vat, economic_vat, local_vat, odoo_vat

Mapping = namedtuple("Mapping", ["odoo_field", "prop", "direction", "converter"])


#: where references are mapped, when no Odoo names the menu (plain Python callers)
REFERENCES_MENU = "Configuration → e-conomic → References"


def _lt(source):
    """Marks a message of the engine for Odoo's export of the module's terms; ``Lookups``
    translates it with what Odoo gives (the user's language)."""
    return source


class MissingMapping(Exception):
    """A value cannot be converted because something is not configured (message says what)."""


#: canonical kind per converter
CONVERTER_KIND = {
    "char": "str",
    "address": "str",
    "cvr": "str",
    "country": "str",
    "currency": "str",
    "payment_term": "ref",
    "customer_group": "ref",
    "supplier_group": "ref",
    "vat_zone": "ref",
    "layout": "ref",
    "barred": "bool",
    "decimal": "decimal",
    "product_group": "ref",
    "unit": "ref",
}
#: converters whose value lives on the binding (per agreement), binding field
BINDING_CONVERTERS = {
    "customer_group": "group_id",
    "supplier_group": "group_id",
    "vat_zone": "vat_zone_id",
    "layout": "layout_id",
    "currency": "currency_code",
}
#: properties whose value lives on the binding when no Odoo field is mapped
BINDING_PROPS = {
    "ean": "ean",
    "balance": "balance",
    "creditLimit": "credit_limit",
    "salesPrice": "sales_price",
    "costPrice": "cost_price",
    "recommendedPrice": "recommended_price",
    "inventory.available": "inventory_available",
    "inventory.inStock": "inventory_in_stock",
    "inventory.orderedByCustomers": "inventory_ordered_by_customers",
    "inventory.orderedFromSuppliers": "inventory_ordered_from_suppliers",
}
#: reference kind per converter
REF_KIND = {
    "customer_group": "customer_group",
    "supplier_group": "supplier_group",
    "vat_zone": "vat_zone",
    "layout": "layout",
    "payment_term": "payment_term",
    "product_group": "product_group",
    "unit": "unit",
}
#: references whose Odoo counterpart is the value of an Odoo field: reference field
REF_ODOO_FIELD = {
    "payment_term": "payment_term_id",
    "product_group": "category_id",
    "unit": "uom_id",
}
#: references kept on the binding that may also have an Odoo counterpart, written into the
#: mapping's Odoo field when they have one (a VAT zone's fiscal position): reference field
REF_ALSO_ODOO_FIELD = {
    "vat_zone": "fiscal_position_id",
}
#: the Odoo fields of a CVR/VAT mapping when it names only one (VAT, registry)
CVR_FIELDS = ("vat", "company_registry")
REF_LABEL = {
    "customer_group": _lt("customer group"),
    "supplier_group": _lt("supplier group"),
    "vat_zone": _lt("VAT zone"),
    "layout": _lt("layout"),
    "payment_term": _lt("payment terms"),
    "product_group": _lt("product group"),
    "unit": _lt("unit"),
}
#: where a user maps each reference kind to Odoo
REF_TARGET_LABEL = {
    "payment_term": _lt("an Odoo payment term"),
    "product_group": _lt("an Odoo product category"),
    "unit": _lt("an Odoo unit of measure"),
}
REF_KEY = {
    "customer_group": "customerGroupNumber",
    "supplier_group": "supplierGroupNumber",
    "vat_zone": "vatZoneNumber",
    "layout": "layoutNumber",
    "payment_term": "paymentTermsNumber",
    "product_group": "productGroupNumber",
    "unit": "unitNumber",
}

#: e-conomic country names that are not the English names Odoo holds
COUNTRY_ALIASES = {
    "danmark": "DK",
    "sverige": "SE",
    "norge": "NO",
    "tyskland": "DE",
    "deutschland": "DE",
    "usa": "US",
    "united states": "US",
    "england": "GB",
    "uk": "GB",
    "storbritannien": "GB",
    "holland": "NL",
    "nederland": "NL",
    "frankrig": "FR",
    "finland": "FI",
    "island": "IS",
    "belgien": "BE",
    "spanien": "ES",
    "italien": "IT",
    "polen": "PL",
    "schweiz": "CH",
    "østrig": "AT",
    "grønland": "GL",
    "færøerne": "FO",
}


def money_on_binding(mapping):
    """The mapping of an e-conomic amount while the agreement's base currency is not the
    company's: e-conomic's figure is kept on the binding (``BINDING_PROPS``), read only; it is
    neither written into the Odoo field as a company-currency amount nor sent back."""
    return Mapping(False, mapping.prop, "readonly", "decimal")


def get_path(record, path):
    value = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def set_path(record, path, value):
    parts = path.split(".")
    target = record
    for part in parts[:-1]:
        nxt = target.get(part)
        if not isinstance(nxt, dict):
            nxt = target[part] = {}
        target = nxt
    if value is None:
        target.pop(parts[-1], None)
        if len(parts) > 1 and not target:
            # an emptied reference object is no reference at all
            parent = record
            for part in parts[:-2]:
                parent = parent[part]
            parent.pop(parts[-2], None)
    else:
        target[parts[-1]] = value


class Lookups:
    """What the adapters need from Odoo, read once per pass (plain dicts).

    - ``countries``: ``{id: (code, name)}``
    - ``refs``: ``{(kind, number_str): {"id", "name", "payment_term_id", "currency_id", "vat_scope"}}``
    - ``references_menu``: where the user maps references, as their menus name it (Odoo
      renders it from the menu records: ``Invoicing → Configuration → e-conomic → References``)
    - ``translate``: the user's language for the engine's messages (Odoo's ``env._``)
    - ``home_country``: the ISO code of the agreement's country (an unprefixed CVR is its)
    - ``vat_error``: Odoo's validation of a VAT number, ``(number, country code, partner
      name) -> message or None`` (None: Odoo accepts it; not given: every number is accepted)
    """

    def __init__(
        self,
        countries,
        refs,
        references_menu=None,
        translate=None,
        home_country=None,
        vat_error=None,
    ):
        self.references_menu = references_menu or REFERENCES_MENU
        self._translate = translate or (lambda source: source)
        self.home_country = home_country or None
        self._vat_error = vat_error or (lambda number, country, name: None)
        self.country_by_id = {cid: code for cid, (code, _n) in countries.items()}
        self.country_id_by_code = {code: cid for cid, (code, _n) in countries.items()}
        self.country_name_by_code = {code: name for _cid, (code, name) in countries.items()}
        self.country_code_by_name = dict(COUNTRY_ALIASES)
        for _cid, (code, name) in countries.items():
            self.country_code_by_name[name.strip().lower()] = code
            self.country_code_by_name[code.lower()] = code
        self.refs = refs
        self.ref_by_id = {}
        #: (kind, Odoo record id) -> e-conomic number (the first mapped to it)
        self.number_of = {}
        for (kind, number), ref in refs.items():
            self.ref_by_id[ref["id"]] = (kind, number)
            odoo_id = ref.get(REF_ODOO_FIELD.get(kind) or REF_ALSO_ODOO_FIELD.get(kind))
            if odoo_id:
                self.number_of.setdefault((kind, odoo_id), number)
        self.term_number = {
            odoo_id: number
            for (kind, odoo_id), number in self.number_of.items()
            if kind == "payment_term"
        }

    def vat_check(self, vat_error):
        """Use ``vat_error`` (see above) to validate VAT numbers."""
        self._vat_error = vat_error

    def country_code(self, name):
        if not name:
            return None
        return self.country_code_by_name.get(str(name).strip().lower(), str(name).strip())

    def ref(self, kind, number):
        return self.refs.get((kind, str(number)))

    # ------------------------------------------------------------------ CVR / VAT numbers
    def canonical_vat(self, value, country=None):
        """A CVR/VAT number in canonical form (``sync_core.vat_numbers``), ``country`` the
        record's (else the agreement's)."""
        return canonical_vat(value, country or self.home_country, self.country_id_by_code.keys())

    def local_vat(self, vat, registry, country=None):
        return local_vat(
            vat, registry, country or self.home_country, self.country_id_by_code.keys()
        )

    def economic_vat(self, value, country=None):
        return economic_vat(value, self.home_country, country)

    def odoo_vat(self, value, country=None, name=None):
        """``(vat, registry, note)`` to write into Odoo for a canonical number: a number
        Odoo refuses goes to the registry only, and ``note`` says why (else None)."""
        error = self._vat_error(value, country, name) if value else None
        vat, registry = odoo_vat(
            value,
            not error,
            country=country,
            home=self.home_country,
            prefixes=self.country_id_by_code.keys(),
        )
        note = None
        if error:
            note = self.text(
                _lt(
                    "%(error)s The number is kept as the company registry number; the VAT "
                    "number stays empty until the number is corrected in e-conomic."
                ),
                error=error,
            )
        return vat, registry, note

    def text(self, source, **params):
        """A message of the engine (marked ``_lt``) in the user's language, with ``params``."""
        return self._translate(source) % params if params else self._translate(source)


class Adapter:
    """One e-conomic entity mapped onto res.partner (+ binding-level values)."""

    kind = None
    key = None  # the e-conomic key property
    res_model = "res.partner"  # the Odoo model of the records
    #: a local reference value without e-conomic counterpart is an error (it may be pushed);
    #: off where nothing of it is pushed (read-first products)
    strict_local = True
    identity = ()
    ref_label = None

    def __init__(self, mappings, lookups):
        self.lookups = lookups
        self.mappings = [m for m in mappings if m.prop]
        self.specs = {}
        self.readonly = []
        for m in self.mappings:
            kind = CONVERTER_KIND.get(m.converter or "char", "str")
            spec = FieldSpec(m.prop, kind)
            if m.direction == "readonly":
                self.readonly.append((m, spec))
            else:
                self.specs[m.prop] = (m, spec)

    # ------------------------------------------------------------------ fields
    def binding_field(self, m):
        if m.converter in BINDING_CONVERTERS:
            return BINDING_CONVERTERS[m.converter]
        if not m.odoo_field or m.odoo_field.startswith("binding."):
            return BINDING_PROPS.get(m.prop) or (m.odoo_field or "").replace("binding.", "")
        return None

    @staticmethod
    def field_names(m):
        """The Odoo fields a mapping names (``vat,company_registry``: two)."""
        return [name.strip() for name in (m.odoo_field or "").split(",") if name.strip()]

    def cvr_fields(self, m):
        """``(VAT field, registry field)`` of a CVR/VAT mapping."""
        names = self.field_names(m) + list(CVR_FIELDS)[len(self.field_names(m)) :]
        return names[0], names[1]

    @staticmethod
    def odoo_counterpart_field(m):
        """The Odoo field a binding-level reference is also written into (a VAT zone's fiscal
        position), or None."""
        if m.converter in REF_ALSO_ODOO_FIELD and m.odoo_field:
            return m.odoo_field
        return None

    def partner_fields(self):
        names = {"name", "active", "write_date", "parent_id", "country_id"}
        for m, _spec in list(self.specs.values()) + self.readonly:
            if self.odoo_counterpart_field(m):
                names.add(m.odoo_field)
                continue
            if self.binding_field(m):
                continue
            if m.converter == "cvr":
                names.update(self.cvr_fields(m))
            elif m.converter == "address":
                names.update(("street", "street2"))
            elif m.converter == "barred":
                names.add("active")
            else:
                names.add(m.odoo_field)
        return sorted(names)

    local_fields = partner_fields

    def pushed_partner_fields(self):
        """The partner fields whose local change is something to push: those of the mappings
        that push (``both``/``push``), binding-level values aside."""
        names = set()
        for m, _spec in self.specs.values():
            if m.direction not in ("both", "push"):
                continue
            if self.odoo_counterpart_field(m):
                names.add(m.odoo_field)
                continue
            if self.binding_field(m):
                continue
            if m.converter == "cvr":
                names.update(self.cvr_fields(m))
            elif m.converter == "address":
                names.update(("street", "street2"))
            elif m.converter == "barred":
                names.add("active")
            elif m.odoo_field:
                names.add(m.odoo_field)
        return frozenset(names)

    def spec_groups(self):
        """Specs grouped by direction: ``{direction: [FieldSpec]}``."""
        groups = {}
        for m, spec in self.specs.values():
            groups.setdefault(m.direction, []).append(spec)
        return groups

    def number(self, record):
        return record.get(self.key)

    # ------------------------------------------------------------------ reading
    def record_country(self, record):
        """The ISO code of an e-conomic record's country, if Odoo knows it."""
        code = self.lookups.country_code(record.get("country"))
        return code if code in self.lookups.country_id_by_code else None

    def remote_values(self, record):
        out = {}
        for m, spec in self.specs.values():
            value = get_path(record, m.prop)
            if m.converter == "country":
                value = self.lookups.country_code(value)
            elif m.converter == "cvr":
                value = self.lookups.canonical_vat(value, self.record_country(record))
            elif m.converter == "decimal" and value is None:
                value = 0  # Odoo numbers are never empty: an absent amount is 0
            out[m.prop] = canonical(spec, value)
        return out

    def readonly_values(self, record):
        return {
            self.binding_field(m) or m.odoo_field: canonical(spec, get_path(record, m.prop))
            for m, spec in self.readonly
        }

    def local_values(self, pvals, bvals, hints=None):
        """Canonical values of the Odoo side: ``pvals`` a ``read()`` row, ``bvals`` the binding's.

        ``hints`` (prop → candidate e-conomic values, e.g. the base and the remote value) settle
        a reference that several e-conomic records map to (two payment terms → one Odoo term).
        """
        out = {}
        hints = hints or {}
        lk = self.lookups
        for m, spec in self.specs.values():
            conv = m.converter
            bfield = self.binding_field(m)
            if bfield:
                value = (bvals or {}).get(bfield)
                if bfield.endswith("_id"):
                    value = _m2o_id(value)
                    value = lk.ref_by_id.get(value, (None, None))[1] if value else None
                if self.odoo_counterpart_field(m):
                    value = self._ref_of_counterpart(
                        conv, _m2o_id(pvals.get(m.odoo_field)), value, hints.get(m.prop, ())
                    )
            elif conv == "cvr":
                vat_field, registry_field = self.cvr_fields(m)
                cid = _m2o_id(pvals.get("country_id"))
                value = lk.local_vat(
                    pvals.get(vat_field),
                    pvals.get(registry_field),
                    lk.country_by_id.get(cid) if cid else None,
                )
            elif conv == "address":
                value = "\n".join(v for v in (pvals.get("street"), pvals.get("street2")) if v)
            elif conv == "country":
                cid = _m2o_id(pvals.get(m.odoo_field))
                value = lk.country_by_id.get(cid) if cid else None
            elif conv in REF_ODOO_FIELD:
                odoo_id = _m2o_id(pvals.get(m.odoo_field))
                value = None
                if odoo_id:
                    target = REF_ODOO_FIELD[conv]
                    for candidate in hints.get(m.prop, ()):
                        ref = lk.ref(conv, candidate) if candidate is not None else None
                        if ref and ref.get(target) == odoo_id:
                            value = candidate
                            break
                    else:
                        value = lk.number_of.get((conv, odoo_id))
                    if value is None and self.strict_local:
                        raise MissingMapping(
                            lk.text(
                                _lt(
                                    "Map the Odoo value '%(value)s' to an e-conomic %(kind)s "
                                    "under %(menu)s."
                                ),
                                value=_m2o_name(pvals.get(m.odoo_field)),
                                kind=lk.text(REF_LABEL[conv]),
                                menu=lk.references_menu,
                            )
                        )
                    if value is None:
                        # not pushed: an Odoo value without e-conomic counterpart is simply
                        # another value (e-conomic's wins on a read-first entity)
                        value = "odoo:%s" % odoo_id
            elif conv == "barred":
                value = not pvals.get(m.odoo_field or "active", True)
            else:
                value = pvals.get(m.odoo_field)
            out[m.prop] = canonical(spec, value)
        return out

    def _ref_of_counterpart(self, conv, odoo_id, current, candidates):
        """The e-conomic number of a binding-level reference as the Odoo record's counterpart
        says it (a VAT zone from the partner's fiscal position): the binding's own, else one
        of ``candidates`` (base, remote), else the first mapped to it, when it maps to
        ``odoo_id``; ``current`` when the Odoo value maps to none (or is empty)."""
        if not odoo_id:
            return current
        kind, target = REF_KIND[conv], REF_ALSO_ODOO_FIELD[conv]
        for candidate in (current, *candidates):
            ref = self.lookups.ref(kind, candidate) if candidate is not None else None
            if ref and ref.get(target) == odoo_id:
                return candidate
        return self.lookups.number_of.get((kind, odoo_id), current)

    # ------------------------------------------------------------------ writing into Odoo
    def write_country(self, changes, current):
        """The partner's country (ISO code) once ``changes`` are written, else None."""
        for prop, value in changes.items():
            m = self.specs[prop][0] if prop in self.specs else None
            if m is not None and m.converter == "country":
                return value
        cid = _m2o_id((current or {}).get("country_id"))
        return self.lookups.country_by_id.get(cid) if cid else None

    def local_write_vals(self, changes, current=None, notes=None):
        """``(partner_vals, binding_vals)`` for canonical ``changes`` (prop → value).

        ``current``: the Odoo record's values (a ``read()`` row) where it exists; ``notes``: a
        list that gets what the user should know about the values written (a CVR/VAT number
        Odoo refuses, kept as the registry number)."""
        pvals, bvals = {}, {}
        lk = self.lookups
        for prop, value in changes.items():
            m = self.specs[prop][0] if prop in self.specs else None
            if m is None:
                continue
            conv = m.converter
            bfield = self.binding_field(m)
            if conv in REF_KIND:
                kind = REF_KIND[conv]
                ref = lk.ref(kind, value) if value is not None else None
                if value is not None and ref is None:
                    raise MissingMapping(
                        lk.text(
                            _lt(
                                "e-conomic %(kind)s %(number)s is unknown in Odoo: refresh the "
                                "references of the connection (%(menu)s)."
                            ),
                            kind=lk.text(REF_LABEL[conv]),
                            number=value,
                            menu=lk.references_menu,
                        )
                    )
                if conv in REF_ODOO_FIELD:
                    target = REF_ODOO_FIELD[conv]
                    if ref is not None and not ref.get(target):
                        raise MissingMapping(
                            lk.text(
                                _lt(
                                    "Map the e-conomic %(kind)s '%(name)s' (%(number)s) to "
                                    "%(target)s under %(menu)s."
                                ),
                                kind=lk.text(REF_LABEL[conv]),
                                name=ref.get("name") or "",
                                number=value,
                                target=lk.text(REF_TARGET_LABEL[conv]),
                                menu=lk.references_menu,
                            )
                        )
                    pvals[m.odoo_field] = ref[target] if ref else False
                else:
                    bvals[bfield] = ref["id"] if ref else False
                    if self.odoo_counterpart_field(m):
                        pvals.update(self._counterpart_vals(m, ref, current))
                continue
            if bfield:
                bvals[bfield] = value if value is not None else False
            elif conv == "cvr":
                vat_field, registry_field = self.cvr_fields(m)
                vat, registry, note = lk.odoo_vat(
                    value,
                    self.write_country(changes, current),
                    changes.get("name") or (current or {}).get("name"),
                )
                pvals[vat_field] = vat
                if registry is not None:
                    pvals[registry_field] = registry
                if note and notes is not None:
                    notes.append(note)
            elif conv == "address":
                street, _sep, street2 = (value or "").partition("\n")
                pvals["street"] = street or False
                pvals["street2"] = street2 or False
            elif conv == "country":
                if value is None:
                    pvals[m.odoo_field] = False
                else:
                    cid = lk.country_id_by_code.get(value)
                    if not cid:
                        raise MissingMapping(
                            lk.text(
                                _lt(
                                    "The e-conomic country '%(country)s' matches no Odoo "
                                    "country: correct it in e-conomic."
                                ),
                                country=value,
                            )
                        )
                    pvals[m.odoo_field] = cid
            elif conv == "barred":
                pvals[m.odoo_field or "active"] = not value
            elif conv == "decimal":
                pvals[m.odoo_field] = float(value) if value is not None else 0.0
            else:
                pvals[m.odoo_field] = value if value is not None else False
        return pvals, bvals

    def _counterpart_vals(self, m, ref, current):
        """The Odoo counterpart of a binding-level reference written with it (a VAT zone's
        fiscal position): the reference's own where it has one; else an Odoo value that is
        another reference's counterpart is cleared (it would say another zone), any other
        left as the user set it."""
        target = REF_ALSO_ODOO_FIELD[m.converter]
        if ref and ref.get(target):
            return {m.odoo_field: ref[target]}
        now = _m2o_id((current or {}).get(m.odoo_field))
        if now and (REF_KIND[m.converter], now) in self.lookups.number_of:
            return {m.odoo_field: False}
        return {}

    def pushed_binding_vals(self, changes):
        """Binding values that follow what was pushed from an Odoo counterpart (a VAT zone
        sent from the partner's fiscal position is the binding's zone from then on)."""
        moved = {
            prop: value
            for prop, value in changes.items()
            if prop in self.specs and self.odoo_counterpart_field(self.specs[prop][0])
        }
        return self.local_write_vals(moved)[1] if moved else {}

    # ------------------------------------------------------------------ writing to e-conomic
    def apply_remote(self, record, changes):
        """A copy of the complete e-conomic ``record`` with canonical ``changes`` applied."""
        out = copy.deepcopy(record)
        for prop, value in changes.items():
            m = self.specs[prop][0] if prop in self.specs else None
            if m is None:
                continue
            conv = m.converter
            if conv == "country" and value is not None:
                value = self.lookups.country_name_by_code.get(value, value)
            elif conv == "cvr":
                continue  # once the record's country is known (below)
            elif conv == "decimal" and value is not None:
                value = Decimal(value)
            set_path(out, prop, value)
        for prop, value in changes.items():
            m = self.specs[prop][0] if prop in self.specs else None
            if m is not None and m.converter == "cvr":
                set_path(out, prop, self.lookups.economic_vat(value, self.record_country(out)))
        return out

    def prepare_write(self, record):
        """Drop what e-conomic computes itself before a PUT/POST (links, stamps, totals)."""
        return record


def _m2o_id(value):
    if isinstance(value, (list, tuple)):
        return value[0] if value else None
    if hasattr(value, "id"):
        return value.id or None
    return value or None


def _m2o_name(value):
    if isinstance(value, (list, tuple)) and len(value) > 1:
        return value[1]
    return getattr(value, "display_name", value)
