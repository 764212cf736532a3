"""Small service objects on the client, one generic class per API style.

Legacy REST (``restapi.e-conomic.com``)::

    client.customers.iter(filter=F("name").eq("Acme"), sort="customerNumber")   # lazy
    client.customers.list(filter={"customerNumber__in": range(1, 451)})         # a list
    client.customers.get(5); client.customers.create({...}); client.customers.replace(5, {...})
    client.customers.delete(5); client.customers.count()
    client.customers.contacts(5).list()

Products, accounts and VAT codes (what the Odoo side reads first)::

    client.products        # Resource, key productNumber (a STRING): iter/list/page/count/get,
                           # create(data, idempotency_key=...), replace(n, data), delete(n);
                           # filter/sort on lastUpdated, productNumber, name, barCode, ...
    client.product_groups  # Collection, key productGroupNumber; .sales_accounts(n) → list of
                           # {"salesAccount": {...account}, "vatZone": {...}}; .products(n)
    client.units           # Resource, key unitNumber; .products(n)
    client.accounts        # Collection, key accountNumber; .accounting_years(n)
    client.accounting_years  # Resource, key year (a string: "2026", "2025/2026")
    client.vat_accounts    # Collection, key vatCode (a string: "U25", "I25")
    client.vat_types       # Collection, key vatTypeNumber

Invoices (drafts, booking, booked invoices, PDFs)::

    client.invoices.drafts   # Resource, key draftInvoiceNumber: get/list/create/replace/delete,
                             # add_lines(n, lines), book(n, book_with_number=None, send_by=None)
                             # → the booked invoice (orderNumber = n), pdf(n) → bytes
    client.invoices.booked   # Collection, key bookedInvoiceNumber: get/list/iter,
                             # book_with_number(number, draft_number) (PUT), pdf(n) → bytes
    client.invoices.paid / unpaid / overdue / not_due   # Collections (remainder, dueDate)
    client.invoices.pdf_url(invoice["pdf"]["download"])  # → bytes (configured host only)
    client.customers.invoice_template(n)  # → draft skeleton from the customer (add lines, POST)

Paging follows ``pagination.nextPage``; ``count()`` reads ``pagination.results``.  A page with no
results carries no page links at all (only ``pagination.developerHint``): both are handled.

OpenAPI services (``apis.e-conomic.com``): ``client.supplier_contacts``,
``client.customer_contacts_api`` and ``client.webhooks``
use cursor paging, ``objectVersion`` on PUT (to the collection URL) and answer creates with
the id only.
"""

from .client import AUTO, encode_legacy_id, encode_openapi_id
from .errors import NotFoundError

__all__ = ["Collection", "Resource", "OpenAPIResource", "build_services"]

SUPPLIERS_API = "/suppliersapi/v2.0.0"
WEBHOOKS_API = "/webhooksapi/v1.0.0"
CUSTOMERS_API = "/customersapi/v3.1.0"


class Collection:
    """A read-only legacy collection (``GET path`` with paging, filter and sort)."""

    def __init__(self, client, path, key=None):
        self.client = client
        self.path = path.rstrip("/")
        self.key = key

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.path)

    def item_path(self, key):
        return "%s/%s" % (self.path, encode_legacy_id(key))

    def iter(self, filter=None, sort=None, page_size=None, **params):
        """Every item, lazily, one page (≤1000) in memory at a time."""
        return self.client.iter_collection(
            self.path, filter=filter, sort=sort, page_size=page_size, params=params or None
        )

    __iter__ = iter

    def list(self, filter=None, sort=None, page_size=None, **params):
        """Every item as a list (use ``iter`` for big collections)."""
        return list(self.iter(filter=filter, sort=sort, page_size=page_size, **params))

    def page(self, skip_pages=0, page_size=None, filter=None, sort=None, **params):
        """One raw page: ``{"collection", "pagination", ...}`` (filter: a Filter or string)."""
        from .filters import build_filter

        flt = build_filter(filter)
        query = dict(params, skippages=skip_pages, pagesize=page_size or self.client.page_size)
        if flt is not None:
            query["filter"] = flt.render()
        if sort:
            query["sort"] = sort if isinstance(sort, str) else ",".join(sort)
        return self.client.request("GET", self.path, params=query)

    def count(self, filter=None):
        """Number of matching items (``pagination.results`` of a one-item page)."""
        data = self.page(page_size=1, filter=filter)
        return int((data.get("pagination") or {}).get("results", len(data.get("collection", []))))

    def first(self, filter=None, sort=None):
        for item in self.iter(filter=filter, sort=sort, page_size=1):
            return item
        return None

    def get(self, key):
        return self.client.request("GET", self.item_path(key))

    def get_url(self, url):
        """Follow a ``self`` link (only to the configured host)."""
        self.client.check_url(url)
        return self.client.request("GET", url)


class Resource(Collection):
    """A legacy collection with create (POST), replace (PUT) and delete (DELETE)."""

    def create(self, data, idempotency_key=None):  # pylint: disable=method-required-super
        """POST; returns the created resource.  An Idempotency-Key (uuid4 unless given) is
        sent and reused on retries, so a retried create makes exactly one record."""
        return self.client.request(
            "POST", self.path, json=data, idempotency_key=idempotency_key or AUTO
        )

    def replace(self, key, data, idempotency_key=None):
        """PUT (a full replace: fields left out are cleared; PUT to a new key creates it)."""
        return self.client.request(
            "PUT", self.item_path(key), json=data, idempotency_key=idempotency_key or AUTO
        )

    def delete(self, key, idempotency_key=None):
        return self.client.request(
            "DELETE", self.item_path(key), idempotency_key=idempotency_key or AUTO
        )


class _SubResources:
    """``parent.contacts(5)`` → a Resource at ``/customers/5/contacts``."""

    def __init__(self, name, key=None, cls=Resource):
        self.name = name
        self.key = key
        self.cls = cls

    def __set_name__(self, owner, attr):
        self.attr = attr

    def __get__(self, parent, owner=None):
        if parent is None:
            return self

        def factory(parent_key):
            return self.cls(
                parent.client, "%s/%s" % (parent.item_path(parent_key), self.name), key=self.key
            )

        factory.__name__ = self.attr
        factory.__doc__ = "The %s of one %s." % (self.name, parent.path)
        return factory


class Customers(Resource):
    contacts = _SubResources("contacts", "customerContactNumber")
    delivery_locations = _SubResources("delivery-locations", "deliveryLocationNumber")

    def invoice_template(self, customer_number):
        """``GET /customers/{n}/templates/invoice``: a draft-invoice skeleton built from the
        customer (date, currency, exchangeRate, paymentTerms, customer, recipient {name, address,
        zip, city, country, ean?, cvr?, attention?, vatZone}, layout, references?): add
        ``lines`` and POST it to ``client.invoices.drafts``."""
        return self.client.request("GET", "%s/templates/invoice" % self.item_path(customer_number))


class Suppliers(Resource):
    def contacts(self, supplier_number):
        """Contacts of one supplier, through the suppliers OpenAPI service."""
        return self.client.supplier_contacts.iter(filter={"supplierNumber": int(supplier_number)})

    def legacy_contacts(self, supplier_number):
        return Collection(self.client, "%s/contacts" % self.item_path(supplier_number))


class AccountingYears(Resource):
    entries = _SubResources("entries", "entryNumber", Collection)
    periods = _SubResources("periods", "periodNumber", Collection)
    totals = _SubResources("totals", None, Collection)


class Accounts(Collection):
    accounting_years = _SubResources("accounting-years", "year", Collection)


class ProductGroups(Collection):
    """``client.product_groups``: read-only groups (``productGroupNumber``, ``name``,
    ``inventoryEnabled``, ``accrual``, links); ``sales_accounts(n)`` is the group's sales account
    per VAT zone, ``products(n)`` its products."""

    products = _SubResources("products", "productNumber", Collection)

    def sales_accounts(self, group_number):
        """``GET /product-groups/{n}/sales-accounts``: ``[{"salesAccount": {account},
        "vatZone": {vatZoneNumber, name, ...}}]`` (a list: a handful of VAT zones)."""
        return Collection(self.client, "%s/sales-accounts" % self.item_path(group_number)).list()


class Units(Resource):
    products = _SubResources("products", "productNumber", Collection)


class Journals(Collection):
    vouchers = _SubResources("vouchers", None, Resource)
    entries = _SubResources("entries", "journalEntryNumber", Resource)

    def create_vouchers(self, journal_number, data, idempotency_key=None):
        """POST ``/journals/{n}/vouchers``; returns the **list** of vouchers e-conomic made."""
        result = self.vouchers(journal_number).create(data, idempotency_key=idempotency_key)
        return result if isinstance(result, list) else [result]

    def voucher(self, journal_number, accounting_year, voucher_number):
        return self.vouchers(journal_number).get("%s-%s" % (accounting_year, voucher_number))


class _Pdf:
    """PDFs of invoices: ``pdf(n)`` and ``pdf_url(link)`` return the bytes of the PDF."""

    def pdf(self, number):
        """``GET {path}/{n}/pdf`` → the PDF's bytes (``application/pdf``)."""
        return self.client.get_binary("%s/pdf" % self.item_path(number))

    def pdf_url(self, url):
        """Follow an invoice's ``pdf.download`` link (only to the configured host) → bytes."""
        self.client.check_url(url)
        return self.client.get_binary(url)


class DraftInvoices(_Pdf, Resource):
    def add_lines(self, draft_number, lines, idempotency_key=None):
        """POST ``/invoices/drafts/{n}/lines`` (appends lines; returns the draft)."""
        return self.client.request(
            "POST",
            "%s/lines" % self.item_path(draft_number),
            json={"lines": list(lines)},
            idempotency_key=idempotency_key or AUTO,
        )

    def booking_instructions(self, draft_number):
        return self.client.request(
            "GET", "%s/templates/booking-instructions" % self.item_path(draft_number)
        )

    def book(self, draft_number, book_with_number=None, send_by=None, idempotency_key=None):
        """Book a draft (``POST /invoices/booked``); returns the booked invoice.

        ``send_by``: ``"none"``, ``"EAN"`` (also accepted as ``"ean"``) or ``"Email"``.  The
        booked invoice carries ``orderNumber`` = ``draft_number``; the draft is gone."""
        body = {"draftInvoice": {"draftInvoiceNumber": int(draft_number)}}
        if book_with_number is not None:
            body["bookWithNumber"] = int(book_with_number)
        if send_by is not None:
            body["sendBy"] = send_by
        return self.client.request(
            "POST", "/invoices/booked", json=body, idempotency_key=idempotency_key or AUTO
        )


class BookedInvoices(_Pdf, Collection):
    def book(self, draft_number, book_with_number=None, send_by=None, idempotency_key=None):
        return self.client.draft_invoices.book(
            draft_number, book_with_number, send_by, idempotency_key
        )

    def book_with_number(self, number, draft_number, idempotency_key=None):
        """``PUT /invoices/booked/{number}``: book a draft with that invoice number (a number
        already used answers a ``ValidationError`` on ``bookWithNumber``)."""
        body = {"draftInvoice": {"draftInvoiceNumber": int(draft_number)}}
        return self.client.request(
            "PUT", self.item_path(int(number)), json=body, idempotency_key=idempotency_key or AUTO
        )


class Invoices:
    """``client.invoices``: the draft/booked collections and the paid/unpaid views;
    ``pdf_url(link)`` downloads any invoice's ``pdf.download`` link."""

    def __init__(self, client):
        self.drafts = DraftInvoices(client, "/invoices/drafts", "draftInvoiceNumber")
        self.booked = BookedInvoices(client, "/invoices/booked", "bookedInvoiceNumber")
        self.paid = Collection(client, "/invoices/paid", "bookedInvoiceNumber")
        self.unpaid = Collection(client, "/invoices/unpaid", "bookedInvoiceNumber")
        self.overdue = Collection(client, "/invoices/overdue", "bookedInvoiceNumber")
        self.not_due = Collection(client, "/invoices/not-due", "bookedInvoiceNumber")
        self.book = self.drafts.book
        self.pdf_url = self.booked.pdf_url


class OpenAPIResource:
    """An OpenAPI collection: cursor paging, ``/paged``, ``/count``, PUT to the collection URL
    with ``objectVersion`` (409 ``ConflictError`` when stale)."""

    def __init__(self, client, path, key):
        self.client = client
        self.path = path.rstrip("/")
        self.key = key

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self.path)

    def item_path(self, key):
        return "%s/%s" % (self.path, encode_openapi_id(key))

    def iter(self, filter=None):
        return self.client.iter_cursor(self.path, filter=filter, base="apis")

    __iter__ = iter

    def list(self, filter=None):
        return list(self.iter(filter=filter))

    def page(self, skip_pages=0, page_size=20, filter=None, sort=None):
        from .filters import build_filter

        flt = build_filter(filter)
        params = {
            "skipPages": skip_pages,
            "pageSize": page_size,
            "filter": flt.render() if flt is not None else None,
            "sort": sort,
        }
        return self.client.request("GET", self.path + "/paged", params=params, base="apis")

    def count(self, filter=None):
        from .filters import build_filter

        flt = build_filter(filter)
        return int(
            self.client.request(
                "GET",
                self.path + "/count",
                params={"filter": flt.render() if flt is not None else None},
                base="apis",
            )
        )

    def get(self, key):
        return self.client.request("GET", self.item_path(key), base="apis")

    def create(self, data, idempotency_key=None):  # pylint: disable=method-required-super
        """POST; OpenAPI answers 201 with the id only (e.g. ``{"number": 7}``)."""
        return self.client.request(
            "POST", self.path, json=data, base="apis", idempotency_key=idempotency_key or AUTO
        )

    def update(self, data, idempotency_key=None):
        """PUT the whole record (with its current ``objectVersion``) to the collection URL."""
        if "objectVersion" not in data:
            raise ValueError("OpenAPI updates need the record's current objectVersion")
        return self.client.request(
            "PUT", self.path, json=data, base="apis", idempotency_key=idempotency_key or AUTO
        )

    def replace(self, key, data, idempotency_key=None):
        """Same as ``update`` with the key put into the record."""
        data = dict(data)
        data[self.key] = key
        return self.update(data, idempotency_key=idempotency_key)

    def delete(self, key, idempotency_key=None):
        return self.client.request(
            "DELETE", self.item_path(key), base="apis", idempotency_key=idempotency_key or AUTO
        )


class Webhooks(OpenAPIResource):
    """e-conomic's webhooks API (``/webhooksapi/v1.0.0``, SuperUser role): one webhook per event
    type, keyed by ``eventType`` (``CUSTOMER_UPDATED``, ``PRODUCT_UPDATED``, ``INVOICE_BOOKED``,
    ``JOURNAL_BOOKED``, ...); HTTPS URLs only; up to 5 ``customHeaders`` (a shared secret)::

        client.webhooks.event_types()   # [{name, description, mergeFields: [{fieldName, ...}]}]
        client.webhooks.list()          # every webhook (cursor paging)
        client.webhooks.get("CUSTOMER_UPDATED")         # NotFoundError when none
        client.webhooks.create({"eventType": "CUSTOMER_UPDATED", "name": "Odoo",
                                "url": "https://odoo.example.com/hook?n=[NEWNUMBER]",
                                "contentType": "application/json",
                                "postData": '{"new": "[NEWNUMBER]", "old": "[OLDNUMBER]"}',
                                "customHeaders": [{"key": "X-Secret", "value": secret}]})
                                        # → {"eventType": "CUSTOMER_UPDATED"}
        client.webhooks.update(hook)    # PUT with hook's objectVersion; 409 ConflictError if stale
        client.webhooks.save(hook)      # create, or update the existing one of its event type
        client.webhooks.delete("CUSTOMER_UPDATED")

    Refusals are ``ValidationError`` with e-conomic's ``error_code``: ``WebhookInvalidUrl``,
    ``WebhookInvalidUrlScheme`` (not https), ``WebhookInvalidType``,
    ``WebhookAlreadyExistsForEventType``, ``WebhookCustomHeadersTooMany`` (> 5),
    ``WebhookCustomHeadersTooLong`` (> 1000 characters as JSON), ``WebhookCustomHeaderInvalid``
    (CR/LF or other non-printable characters), ``WebhookReadOnly``."""

    def event_types(self):
        """``GET /EventTypes``: ``[{name, description, mergeFields}]``."""
        return self.client.request("GET", WEBHOOKS_API + "/EventTypes", base="apis")

    def save(self, webhook, idempotency_key=None):
        """Create the webhook of ``webhook["eventType"]``, or replace the existing one (its
        current ``objectVersion`` read first).  Returns the webhook as e-conomic stores it."""
        event_type = webhook["eventType"]
        try:
            current = self.get(event_type)
        except NotFoundError:
            self.create(webhook, idempotency_key=idempotency_key)
        else:
            self.update(
                dict(webhook, objectVersion=current["objectVersion"]),
                idempotency_key=idempotency_key,
            )
        return self.get(event_type)


def build_services(client):
    c = client
    c.customers = Customers(c, "/customers", "customerNumber")
    # every customer contact of the agreement, cursor-paged (1000 a page), filterable by
    # customerNumber / lastUpdated / ...; `number` = legacy customerContactNumber
    c.customer_contacts_api = OpenAPIResource(c, CUSTOMERS_API + "/Contacts", "number")
    c.customer_groups = Resource(c, "/customer-groups", "customerGroupNumber")
    c.suppliers = Suppliers(c, "/suppliers", "supplierNumber")
    c.supplier_groups = Collection(c, "/supplier-groups", "supplierGroupNumber")
    c.supplier_contacts = OpenAPIResource(c, SUPPLIERS_API + "/Contacts", "number")
    c.supplier_groups_api = OpenAPIResource(c, SUPPLIERS_API + "/Groups", "number")
    c.vat_zones = Collection(c, "/vat-zones", "vatZoneNumber")
    c.payment_terms = Resource(c, "/payment-terms", "paymentTermsNumber")
    c.layouts = Collection(c, "/layouts", "layoutNumber")
    c.currencies = Collection(c, "/currencies", "code")
    c.units = Units(c, "/units", "unitNumber")
    c.products = Resource(c, "/products", "productNumber")
    c.product_groups = ProductGroups(c, "/product-groups", "productGroupNumber")
    c.accounts = Accounts(c, "/accounts", "accountNumber")
    c.accounting_years = AccountingYears(c, "/accounting-years", "year")
    c.vat_accounts = Collection(c, "/vat-accounts", "vatCode")
    c.vat_types = Collection(c, "/vat-types", "vatTypeNumber")
    c.journals = Journals(c, "/journals", "journalNumber")
    c.invoices = Invoices(c)
    c.draft_invoices = c.invoices.drafts
    c.booked_invoices = c.invoices.booked
    c.webhooks = Webhooks(c, WEBHOOKS_API + "/webhooks", "eventType")
