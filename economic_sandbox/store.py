"""In-memory state of one agreement.  One re-entrant lock guards every mutation."""

import threading

from .util import Clock


class Table(dict):
    """Records keyed by their identifier, with a cached sorted key list for cheap paging."""

    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self._sorted = None

    def __setitem__(self, k, v):
        if k not in self:
            self._sorted = None
        super().__setitem__(k, v)

    def __delitem__(self, k):
        super().__delitem__(k)
        self._sorted = None

    def pop(self, k, *d):
        self._sorted = None
        return super().pop(k, *d)

    def clear(self):
        self._sorted = None
        super().clear()

    def sorted_keys(self):
        if self._sorted is None:
            self._sorted = sorted(self.keys(), key=_key_order)
        return self._sorted

    def next_number(self):
        return (max(self.keys()) + 1) if self else 1


def _key_order(k):
    if isinstance(k, int):
        return (0, k, "")
    if isinstance(k, tuple):
        return (0, 0, k)
    return (1, 0, str(k).casefold())


TABLES = (
    "customers",
    "customer-contacts",
    "suppliers",
    "supplier-contacts",
    "customer-groups",
    "supplier-groups",
    "vat-zones",
    "payment-terms",
    "payment-types",
    "layouts",
    "currencies",
    "units",
    "products",
    "product-groups",
    "accounts",
    "accounting-years",
    "entries",
    "journals",
    "journal-entries",
    "invoices/drafts",
    "invoices/booked",
    "employees",
    "vat-types",
    "vat-accounts",
    "openapi/webhooks",
)


class State:
    def __init__(self):
        self.lock = threading.RLock()
        self.clock = Clock()
        self.reset_tables()

    def reset_tables(self):
        self.tables = {name: Table() for name in TABLES}
        self.self_info = {}
        self.inventory = True  # the agreement has the inventory module ("Lager", seed option)
        self.base_currency = "DKK"
        # agreement settings (admin POST /settings): invoice_rounding {currency or "*": step}
        self.settings = {"invoice_rounding": {}}
        self.payments = []  # admin POST /payments, in order
        self.counters = {"entry": 0, "journal-entry": 0, "voucher": {}, "object-version": 0}

    def t(self, name):
        return self.tables[name]

    def exists(self, resource, key):
        tbl = self.tables.get(resource)
        return tbl is not None and key in tbl

    def next_counter(self, name):
        self.counters[name] += 1
        return self.counters[name]

    def object_version(self):
        self.counters["object-version"] += 1
        return "v%08d" % self.counters["object-version"]
