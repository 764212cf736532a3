"""Seed data.  `demo` resembles e-conomic's public demo agreement (DKK, Danish master data);
`empty` holds only the agreement's setup (VAT zones, terms, groups, accounts...) and no business records.
`customers`/`suppliers`/`products`/`invoices` add N generated records (fast: 50,000 customers < 1 s)."""

import datetime as dt
from decimal import Decimal

from .store import Table

SELF = {
    "agreementNumber": 1118081,
    "agreementType": {"agreementTypeNumber": 1, "name": "denmark"},
    "userName": "Joh",
    "signupDate": "2016-02-17",
    "user": {
        "loginId": "Joh",
        "email": "api@e-conomic.com",
        "name": "John Doe",
        "language": {"languageNumber": 1, "name": "Danish", "culture": "da-DK"},
        "agreementNumber": 1118081,
    },
    "company": {
        "addressLine1": "Langebrogade 1",
        "zip": "1411",
        "city": "København K",
        "country": "Denmark",
        "name": "Fjordby Handel ApS",
        "phoneNumber": "+4512345678",
        "attention": "Bogholderiet",
        "email": "api@e-conomic.com",
        "companyIdentificationNumber": "29403473",
        "vatNumber": "29403473",
    },
    "bankInformation": {
        "bankName": "Money Money",
        "bankSortCode": "1234",
        "bankAccountNumber": "123456789",
        "pbsCustomerGroupNumber": "1",
    },
    "application": {
        "appNumber": 3162,
        "name": "economic_sync sandbox app",
        "appPublicToken": "sandbox-app-public-token",
        "created": "2016-06-14",
        "requiredRoles": [{"roleNumber": 2, "name": "SuperUser"}],
    },
    "companyAffiliation": "e-conomic",
    "canSendElectronicInvoice": True,
    "modules": [
        {"moduleNumber": 4, "name": "Projektstyring"},
        {"moduleNumber": 15, "name": "Lager"},
    ],
}

VAT_ZONES = [
    (1, "Domestic", True, True),
    (2, "EU", True, True),
    (3, "Abroad", True, True),
    (4, "Domestic exempt VAT", True, False),
]
PAYMENT_TERMS = [
    (1, "Netto 8 dage", "net", 8),
    (2, "Netto 14 dage", "net", 14),
    (3, "Til omgående betaling", "net", 0),
    (4, "Løbende måned 30 dage", "invoiceMonth", 30),
    (5, "Netto 30 dage", "net", 30),
    (6, "Net 14 days", "net", 14),
    (7, "DemoDueDatePaymentTerms", "dueDate", None),
    (8, "Prepaid", "prepaid", None),
]
PAYMENT_TYPES = [
    (1, "+71"),
    (2, "+73"),
    (5, "+04"),
    (7, "Bank transfer"),
    (10, "IBAN"),
    (14, "Entry only"),
    (17, "+75"),
]
LAYOUTS = [
    (19, "DK. std. m. bankoplys. 1.5"),
    (20, "DK. std. m. girokort 1.5"),
    (21, "Eng. std. m. bankoplys. 1.5 07.01.14"),
]
CURRENCIES = [
    ("DKK", "Danske kroner", "208", "100"),
    ("EUR", "Euro", "978", "745.87"),
    ("USD", "US dollar", "840", "689.50"),
    ("SEK", "Svenske kroner", "752", "64.12"),
    ("NOK", "Norske kroner", "578", "63.40"),
    ("GBP", "Britiske pund", "826", "870.25"),
    ("CHF", "Schweiziske franc", "756", "780.10"),
]
UNITS = [(1, "stk."), (2, "timer"), (3, "pcs."), (4, "meter"), (5, "hours"), (6, "Mdr"), (7, "kg")]
# The chart of accounts and VAT codes follow e-conomic's Danish standard chart for a company
# ("Selskab", EC-SEL) and its standard VAT codes, as far as they are published (README.md,
# "Chart of accounts and VAT codes"). One thing is the sandbox's own, for tests only: a 12 %
# rate (product group 5, account 1015, VAT codes U12/I12). Denmark has no 12 % VAT (one rate,
# 25 %): it exists so that tests have invoices with two different non-zero rates.
#
# (number, name, vatFree, inventoryEnabled (with the inventory module), accrual account,
#  sales account per VAT zone {zone: account})
PRODUCT_GROUPS = [
    (1, "Varer m/moms", False, True, None, {1: 1010, 2: 1025, 3: 1020, 4: 1030}),
    (2, "Varer u/moms", True, True, None, {1: 1030, 2: 1025, 3: 1020, 4: 1030}),
    (3, "Ydelser m/moms", False, False, 5660, {1: 1010, 2: 1026, 3: 1021, 4: 1030}),
    (4, "Ydelser u/moms", True, False, None, {1: 1030, 2: 1026, 3: 1021, 4: 1030}),
    # TEST ONLY, not Danish: a second non-zero rate (U12 through account 1015)
    (5, "Testsats 12 % (kun sandkassen)", False, True, None, {1: 1015, 2: 1025, 3: 1020, 4: 1030}),
]
INVENTORY_MODULE = {"moduleNumber": 15, "name": "Lager"}
# (number, name, type, debitCredit, blockDirectEntries, extra): extra holds the default VAT code
# (vatAccount), barred, a balance, totalFromAccount or accountsSummed
ACCOUNTS = [
    (1000, "RESULTATOPGØRELSE", "heading", "debit", True, {}),
    (1001, "Omsætning", "heading", "debit", True, {}),
    (1010, "Salg af varer/ydelser m/moms", "profitAndLoss", "credit", False, {"vat": "U25"}),
    (1015, "Salg m/ 12 % moms (kun sandkassen)", "profitAndLoss", "credit", False, {"vat": "U12"}),
    (1020, "Salg af varer til udland", "profitAndLoss", "credit", False, {}),
    (1021, "Salg af ydelser til udland", "profitAndLoss", "credit", False, {}),
    (1025, "Salg af varer til EU", "profitAndLoss", "credit", False, {"vat": "UEUV"}),
    (1026, "Salg af ydelser til EU", "profitAndLoss", "credit", False, {"vat": "UEUY"}),
    (1030, "Salg af varer/ydelser u/moms", "profitAndLoss", "credit", False, {}),
    (1090, "Omsætning i alt", "totalFrom", "credit", True, {"from": 1001}),
    (1310, "Direkte omkostninger m/moms", "profitAndLoss", "debit", False, {"vat": "I25"}),
    (1320, "Direkte omk. varer EU", "profitAndLoss", "debit", False, {"vat": "IEUV"}),
    (1321, "Direkte omk. ydelser EU", "profitAndLoss", "debit", False, {"vat": "IEUY"}),
    (1324, "Direkte omk. varer 3. lande", "profitAndLoss", "debit", False, {"vat": "IVV"}),
    (1325, "Direkte omk. ydelser 3. lande", "profitAndLoss", "debit", False, {"vat": "IVY"}),
    (1330, "Vareforbrug", "profitAndLoss", "debit", False, {}),
    (1390, "Dækningsbidrag", "sumInterval", "credit", True, {"summed": [(1010, 1330)]}),
    (2210, "Lønninger", "profitAndLoss", "debit", False, {}),
    (2750, "Restaurationsbesøg", "profitAndLoss", "debit", False, {"vat": "REP"}),
    (2771, "Hotel (Danmark)", "profitAndLoss", "debit", False, {"vat": "HREP"}),
    (3410, "Husleje", "profitAndLoss", "debit", False, {"vat": "I25"}),
    (3600, "Kontorartikler og tryksager", "profitAndLoss", "debit", False, {"vat": "I25"}),
    (3620, "Telefon", "profitAndLoss", "debit", False, {"vat": "I25"}),
    (3628, "Porto og gebyrer", "profitAndLoss", "debit", False, {}),
    (3630, "Telefon, gammel (spærret)", "profitAndLoss", "debit", False, {"barred": True}),
    (3640, "Revisor", "profitAndLoss", "debit", False, {"vat": "I25"}),
    (4310, "Renteindtægt, bank", "profitAndLoss", "credit", False, {}),
    (4410, "Renteudgift, bank", "profitAndLoss", "debit", False, {}),
    (5000, "AKTIVER", "heading", "debit", True, {}),
    (5600, "Debitorer", "status", "debit", False, {}),
    (5660, "Periodiseringer", "status", "debit", False, {}),
    (5810, "Kasse", "status", "debit", False, {"balance": "2500.00"}),
    (5820, "Bankkonto", "status", "debit", False, {"balance": "125000.00"}),
    (6100, "EGENKAPITAL", "heading", "credit", True, {}),
    (6110, "Anpartskapital", "status", "credit", False, {"balance": "-125000.00"}),
    (6130, "Overført resultat", "status", "credit", False, {"balance": "-2500.00"}),
    (6750, "Kassekredit", "status", "credit", False, {}),
    (6800, "Kreditorer", "status", "credit", True, {}),
    (6900, "Moms og afgifter", "headingStart", "credit", True, {}),
    (6902, "Udgående (salg) moms", "status", "credit", False, {}),
    (6903, "Indgående (køb) moms", "status", "debit", False, {}),
    (6906, "Erhvervelsesmoms (køb i udland)", "status", "debit", False, {}),
    (6907, "Erhvervelsesmoms (modkonto)", "status", "credit", False, {}),
    (6917, "Betalt moms", "status", "debit", False, {}),
]
# e-conomic's standard Danish VAT codes (12 come with a standard setup: these 11 and "UVC",
# whose meaning is not published), plus the sandbox's test-only 12 % codes.
# (vatCode, name, rate %, vatTypeNumber, account, contraAccount, barred)
VAT_ACCOUNTS = [
    ("U25", "Salgsmoms 25%", "25", 1, 6902, None, False),
    ("I25", "Købsmoms 25%", "25", 2, 6903, None, False),
    ("UEUV", "Salg af varer til EU", "0", 1, 6902, None, False),
    ("UEUY", "Salg af ydelser til EU", "0", 1, 6902, None, False),
    ("IEUV", "Køb af varer i EU (erhvervelsesmoms)", "25", 3, 6906, 6907, False),
    ("IEUY", "Køb af ydelser i EU (omvendt betaling)", "25", 3, 6906, 6907, False),
    ("IVV", "Køb af varer uden for EU", "25", 3, 6906, 6907, False),
    ("IVY", "Køb af ydelser uden for EU", "25", 3, 6906, 6907, False),
    ("REP", "Repræsentation 25% (6,25% fradrag)", "6.25", 2, 6903, None, False),
    ("HREP", "Hotel, halv moms (12,5% fradrag)", "12.5", 2, 6903, None, False),
    ("OBPK", "Omvendt betalingspligt, køb", "25", 3, 6903, 6902, False),
    # TEST ONLY, not Danish (Denmark has no 12 % rate): a second non-zero rate for tests
    ("U12", "Testsats 12% (kun sandkassen)", "12", 1, 6902, None, False),
    ("I12", "Testsats 12% køb (kun sandkassen)", "12", 2, 6903, None, True),
]
CUSTOMER_GROUPS = [
    (1, "Danske", 5600, None),
    (2, "Udenlandske", 5600, 21),
    (3, "Koncern", 5600, None),
]
JOURNALS = [
    {"journalNumber": 1, "name": "Daglig", "minimumVoucherNumber": 1},
    {
        "journalNumber": 2,
        "name": "Indbetalinger",
        "minimumVoucherNumber": 50001,
        "entryTypeRestrictedTo": "customerPayment",
        "contraAccounts": {"customerPayments": 5820},
    },
    {
        "journalNumber": 3,
        "name": "Lønninger",
        "minimumVoucherNumber": 40001,
        "entryTypeRestrictedTo": "financeVoucher",
    },
]
EMPLOYEES = [(1, "John Doe", "api@e-conomic.com"), (2, "Mette Hansen", "mette@demo.example")]

DEMO_CUSTOMERS = [
    # number, name, group, terms, zone, currency, address, zip, city, country, email, cvr, ean
    (
        1,
        "Tøj & Co Grossisten",
        1,
        1,
        1,
        "DKK",
        "Vejlevej 21",
        "7000",
        "Fredericia",
        "Danmark",
        "info@tojco.example",
        "22001884",
        None,
    ),
    (
        2,
        "Decathlon",
        2,
        5,
        2,
        "EUR",
        "Avenue des Arts No 5",
        "1040",
        "Brussels",
        "Belgium",
        "customerone@mailinator.com",
        None,
        None,
    ),
    (
        3,
        "Jensen's Cykler ApS",
        1,
        4,
        1,
        "DKK",
        "Nørregade 12",
        "8000",
        "Aarhus C",
        "Danmark",
        "jensen@cykler.example",
        "31245672",
        "5790001234567",
    ),
    (
        4,
        "Nordic Supplies AB",
        2,
        2,
        2,
        "SEK",
        "Storgatan 1",
        "111 22",
        "Stockholm",
        "Sweden",
        "order@nordic.example",
        # an EU company: its VAT number with its country prefix, as e-conomic keeps it
        "SE556677889901",
        None,
    ),
    (
        5,
        "Acme Corporation",
        2,
        5,
        3,
        "USD",
        "1 Infinite Loop",
        "95014",
        "Cupertino",
        "USA",
        "billing@acme.example",
        None,
        None,
    ),
    (
        6,
        "Kommunen (offentlig)",
        1,
        5,
        4,
        "DKK",
        "Rådhuspladsen 1",
        "1599",
        "København V",
        "Danmark",
        "faktura@kommune.example",
        "64942212",
        "5798000000001",
    ),
    (
        7,
        "Hansen & Søn A/S",
        3,
        1,
        1,
        "DKK",
        "Industrivej 4",
        "5000",
        "Odense C",
        "Danmark",
        "post@hansen-son.example",
        # not a valid CVR (its digits do not add up), on purpose: Odoo refuses it as a VAT
        # number, the customer is still pulled (the number kept as its company registry)
        "12345678",
        None,
    ),
]
DEMO_CONTACTS = {
    1: [
        ("Frasier Crane", "frasierc@mailinator.com", "08761343453"),
        ("Daphne Moon", "daphnem@mailinator.com", "08713124141"),
    ],
    2: [("Marie Dubois", "marie@decathlon.example", "+3225551234")],
    3: [("Lars Jensen", "lars@cykler.example", "+4586123456")],
}
DEMO_SUPPLIERS = [
    # number, name, address, zip, city, currency, CVR (Danish: no prefix) or EU VAT number;
    # Kontorland's CVR is not a valid one, on purpose (pulled, kept as its company registry)
    (25, "Sylvest og Co", "Industribyen 3", "8000", "Aarhus C", "DKK", "21647608"),
    (26, "Kontorland A/S", "Kontorvej 9", "2600", "Glostrup", "DKK", "11223344"),
    (27, "Global Parts GmbH", "Hauptstraße 5", "10115", "Berlin", "EUR", "DE123456788"),
]
DEMO_SUPPLIER_CONTACTS = [
    (1, 25, "Søren Sylvest", "soren@sylvest.example", "+4587654321"),
    (2, 26, "Anne Kontor", "anne@kontorland.example", None),
]
DEMO_PRODUCTS = [
    ("1", "T-shirt sort", "T-shirt med V-hals, str. S-XXL", 1, 1, "40", "90", "70"),
    ("2", "T-shirt hvid", "T-shirt med V-hals, str. S-XXL", 1, 1, "40", "90", "70"),
    ("50", "Konsulenttime", "Rådgivning pr. time", 3, 2, "0", "950", "850"),
    ("51", "Kursusgebyr (momsfri)", "Undervisning, momsfri", 4, 1, "0", "1500", "1500"),
    ("100", "Cykelhjelm", "Hjelm, str. M", 1, 1, "150", "399", "349"),
    ("EXPORT-1", "Eksportpalle", "Varer u/moms til eksport", 2, 1, "500", "1200", "1000"),
]
# productNumber → (barCode, inventory {inStock, orderedByCustomers, orderedFromSuppliers, weights})
DEMO_PRODUCT_EXTRAS = {
    "1": ("5701234000011", {"inStock": "120", "orderedByCustomers": "10", "netWeight": "0.18"}),
    "2": ("5701234000028", {"inStock": "80", "orderedFromSuppliers": "50", "netWeight": "0.18"}),
    "100": ("5701234001001", {"inStock": "12", "grossWeight": "0.6", "netWeight": "0.45"}),
    "EXPORT-1": (None, {"inStock": "3", "packageVolume": "1.2", "grossWeight": "250"}),
}


def _accounts():
    t = Table()
    for n, name, typ, dc, block, extra in ACCOUNTS:
        rec = {
            "accountNumber": n,
            "name": name,
            "accountType": typ,
            "debitCredit": dc,
            "blockDirectEntries": block,
            "balance": Decimal(extra.get("balance", "0.00")),
        }
        if "vat" in extra:
            rec["vatAccount"] = {"vatCode": extra["vat"]}
        if extra.get("barred"):
            rec["barred"] = True
        if "from" in extra:
            rec["totalFromAccount"] = {"accountNumber": extra["from"]}
        if "summed" in extra:
            rec["accountsSummed"] = [
                {"fromAccount": {"accountNumber": a}, "toAccount": {"accountNumber": b}}
                for a, b in extra["summed"]
            ]
        t[n] = rec
    return t


def _vat_accounts(T):
    for code, name, rate, vat_type, acc, contra, barred in VAT_ACCOUNTS:
        rec = {
            "vatCode": code,
            "name": name,
            "ratePercentage": Decimal(rate),
            "vatType": {"vatTypeNumber": vat_type},
            "account": {"accountNumber": acc},
        }
        if contra:
            rec["contraAccount"] = {"accountNumber": contra}
        if barred:
            rec["barred"] = True
        T["vat-accounts"][code] = rec


def _product_groups(T):
    for n, name, free, stocked, accrual, sales in PRODUCT_GROUPS:
        rec = {
            "productGroupNumber": n,
            "name": name,
            "vatFree": free,
            "inventoryEnabled": stocked,
            "salesAccounts": dict(sales),
        }
        if accrual:
            rec["accrual"] = {"accountNumber": accrual}
        T["product-groups"][n] = rec


def _self_info(inventory):
    wire = dict(SELF)
    wire["modules"] = [
        m
        for m in SELF["modules"]
        if inventory or m["moduleNumber"] != INVENTORY_MODULE["moduleNumber"]
    ]
    return {"wire": wire, "defaultLayout": 19}


def load_seed(
    sb,
    seed,
    customers,
    suppliers,
    products,
    invoices,
    contacts_per_customer=0,
    inventory=True,
    lines_per_invoice=5,
):
    """Fill the (reset) state.  `inventory`: the agreement has the inventory module ("Lager"):
    products carry `inventory` and goods groups are `inventoryEnabled` (False: neither).
    `invoices`: N booked invoices of `lines_per_invoice` lines (seed_invoices.py)."""
    st = sb.state
    T = st.tables
    st.inventory = bool(inventory)
    st.self_info = _self_info(st.inventory)
    for n, name, c, s in VAT_ZONES:
        T["vat-zones"][n] = {
            "vatZoneNumber": n,
            "name": name,
            "enabledForCustomer": c,
            "enabledForSupplier": s,
        }
    for n, name, typ, days in PAYMENT_TERMS:
        rec = {"paymentTermsNumber": n, "name": name, "paymentTermsType": typ}
        if days is not None:
            rec["daysOfCredit"] = days
        T["payment-terms"][n] = rec
    for n, name in PAYMENT_TYPES:
        T["payment-types"][n] = {"paymentTypeNumber": n, "name": name}
    for n, name in LAYOUTS:
        T["layouts"][n] = {"layoutNumber": n, "name": name}
    for code, name, iso, rate in CURRENCIES:
        T["currencies"][code] = {
            "code": code,
            "name": name,
            "isoNumber": iso,
            "rate": Decimal(rate),
        }
    for n, name in UNITS:
        T["units"][n] = {"unitNumber": n, "name": name}
    _product_groups(T)
    T["accounts"] = _accounts()
    for n, name, acc, lay in CUSTOMER_GROUPS:
        rec = {"customerGroupNumber": n, "name": name, "account": {"accountNumber": acc}}
        if lay:
            rec["layout"] = {"layoutNumber": lay}
        T["customer-groups"][n] = rec
    T["supplier-groups"][1] = {
        "supplierGroupNumber": 1,
        "name": "Diverse",
        "account": {"accountNumber": 6800},
    }
    T["supplier-groups"][2] = {
        "supplierGroupNumber": 2,
        "name": "Udenlandske",
        "account": {"accountNumber": 6800},
    }
    this_year = st.clock.today().year
    for y in range(this_year - 2, this_year + 2):
        T["accounting-years"][str(y)] = {
            "year": str(y),
            "fromDate": "%d-01-01" % y,
            "toDate": "%d-12-31" % y,
        }
        if y < this_year:  # the years before this one are closed: no new entries, none change
            T["accounting-years"][str(y)]["closed"] = True
    for j in JOURNALS:
        T["journals"][j["journalNumber"]] = dict(j)
    for n, name, email in EMPLOYEES:
        T["employees"][n] = {"employeeNumber": n, "name": name, "email": email}
    for n, name in [
        (1, "Outgoing Sales Domestic"),
        (2, "Ingoing Purchase Domestic"),
        (3, "Reversed charge"),
    ]:
        T["vat-types"][n] = {"vatTypeNumber": n, "name": name}
    _vat_accounts(T)
    stamp = st.clock.stamp()
    if seed == "demo":
        _demo(sb, stamp)
    _generate(
        sb,
        stamp,
        customers,
        suppliers,
        products,
        invoices,
        contacts_per_customer,
        lines_per_invoice,
    )


def _demo(sb, stamp):
    st = sb.state
    T = st.tables
    for n, name, grp, terms, zone, cur, addr, zp, city, country, email, cvr, ean in DEMO_CUSTOMERS:
        rec = {
            "customerNumber": n,
            "name": name,
            "currency": cur,
            "customerGroup": {"customerGroupNumber": grp},
            "paymentTerms": {"paymentTermsNumber": terms},
            "vatZone": {"vatZoneNumber": zone},
            "address": addr,
            "zip": zp,
            "city": city,
            "country": country,
            "email": email,
            "balance": Decimal("0.00"),
            "dueAmount": Decimal("0.00"),
            "lastUpdated": stamp,
        }
        if cvr:
            rec["corporateIdentificationNumber"] = cvr
        if ean:
            rec["ean"] = ean
        if n == 2:
            rec["layout"] = {"layoutNumber": 21}
        T["customers"][n] = rec
    T["customers"][1]["attention"] = {"customerContactNumber": 1}
    T["customers"][1]["salesPerson"] = {"employeeNumber": 1}
    number = 0
    for cn, contacts in DEMO_CONTACTS.items():
        for i, (name, email, phone) in enumerate(contacts):
            number += 1
            T["customer-contacts"][number] = {
                "customerContactNumber": number,
                "name": name,
                "email": email,
                "phone": phone,
                "customer": {"customerNumber": cn},
                "sortKey": i + 1,
                "lastUpdated": stamp,
                "objectVersion": st.object_version(),
            }
    for n, name, addr, zp, city, cur, cvr in DEMO_SUPPLIERS:
        T["suppliers"][n] = {
            "supplierNumber": n,
            "name": name,
            "currency": cur,
            "paymentTerms": {"paymentTermsNumber": 5},
            "vatZone": {"vatZoneNumber": 1 if cur == "DKK" else 2},
            "supplierGroup": {"supplierGroupNumber": 1 if cur == "DKK" else 2},
            "address": addr,
            "zip": zp,
            "city": city,
            "layout": {"layoutNumber": 19},
        }
        if cvr:
            T["suppliers"][n]["corporateIdentificationNumber"] = cvr
    for k, sn, name, email, phone in DEMO_SUPPLIER_CONTACTS:
        T["supplier-contacts"][k] = {
            "number": k,
            "supplierNumber": sn,
            "name": name,
            "email": email,
            "phone": phone,
            "notes": None,
            "lastUpdated": stamp,
            "objectVersion": st.object_version(),
        }
    for pno, name, desc, grp, unit, cost, rec_price, sales in DEMO_PRODUCTS:
        T["products"][pno] = {
            "productNumber": pno,
            "name": name,
            "description": desc,
            "productGroup": {"productGroupNumber": grp},
            "unit": {"unitNumber": unit},
            "costPrice": Decimal(cost),
            "recommendedPrice": Decimal(rec_price),
            "salesPrice": Decimal(sales),
            "barred": False,
            "lastUpdated": stamp,
        }
        barcode, stock = DEMO_PRODUCT_EXTRAS.get(pno, (None, {}))
        if barcode:
            T["products"][pno]["barCode"] = barcode
        T["products"][pno]["inventory"] = {k: Decimal(v) for k, v in stock.items()}
    # Booked invoices (one overdue, one paid, one not due) and a credit note, then two drafts.
    from .seed_invoices import book as _book
    from .seed_invoices import draft as _draft

    today = st.clock.today()
    _book(sb, 1, today - dt.timedelta(days=40), [("1", 10, "70"), ("50", 2, "850")])
    _book(sb, 3, today - dt.timedelta(days=60), [("100", 4, "349")], paid=True)
    _book(sb, 2, today - dt.timedelta(days=3), [("EXPORT-1", 2, "1000")])
    _book(sb, 1, today - dt.timedelta(days=20), [("1", -2, "70")])  # credit note
    _draft(sb, 1, today, [("50", 3, "850"), ("1", 5, "70")])
    _draft(sb, 5, today, [("EXPORT-1", 1, "1000")])
    from .seed_ledger import demo_ledger

    demo_ledger(sb)  # a year of bookkeeping: supplier invoices and payments, finance vouchers


CITIES = [
    ("8000", "Aarhus C"),
    ("1050", "København K"),
    ("5000", "Odense C"),
    ("9000", "Aalborg"),
    ("7100", "Vejle"),
    ("6700", "Esbjerg"),
    ("4000", "Roskilde"),
    ("8700", "Horsens"),
]


def _generate(
    sb,
    stamp,
    customers,
    suppliers,
    products,
    invoices,
    contacts_per_customer=0,
    lines_per_invoice=5,
):
    st = sb.state
    T = st.tables
    cust = T["customers"]
    start = cust.next_number()
    for i in range(customers):
        n = start + i
        zp, city = CITIES[n % len(CITIES)]
        dict.__setitem__(
            cust,
            n,
            {
                "customerNumber": n,
                "name": "Generated Customer %d" % n,
                "currency": "DKK",
                "customerGroup": {"customerGroupNumber": 1},
                "paymentTerms": {"paymentTermsNumber": 1 + n % 2},
                "vatZone": {"vatZoneNumber": 1},
                "address": "Testvej %d" % (n % 300 + 1),
                "zip": zp,
                "city": city,
                "country": "Danmark",
                "email": "customer%d@example.com" % n,
                "balance": Decimal("0.00"),
                "dueAmount": Decimal("0.00"),
                "lastUpdated": stamp,
            },
        )
    cust._sorted = None
    if customers and contacts_per_customer:
        ctab = T["customer-contacts"]
        number = ctab.sorted_keys()[-1] if ctab else 0
        version = st.counters["object-version"]
        for n in range(start, start + customers):
            for j in range(1, contacts_per_customer + 1):
                number += 1
                version += 1
                dict.__setitem__(
                    ctab,
                    number,
                    {
                        "customerContactNumber": number,
                        "name": "Contact %d of customer %d" % (j, n),
                        "email": "contact%d.%d@example.com" % (j, n),
                        "phone": "+45%08d" % number,
                        "customer": {"customerNumber": n},
                        "sortKey": j,
                        "lastUpdated": stamp,
                        "objectVersion": "v%08d" % version,
                    },
                )
        st.counters["object-version"] = version
        ctab._sorted = None
    generated_customers = list(range(start, start + customers))
    sup = T["suppliers"]
    start = sup.next_number()
    for i in range(suppliers):
        n = start + i
        sup[n] = {
            "supplierNumber": n,
            "name": "Generated Supplier %d" % n,
            "currency": "DKK",
            "paymentTerms": {"paymentTermsNumber": 5},
            "vatZone": {"vatZoneNumber": 1},
            "supplierGroup": {"supplierGroupNumber": 1},
            "layout": {"layoutNumber": 19},
            "city": CITIES[n % len(CITIES)][1],
        }
    _generate_products(T["products"], stamp, products)
    if invoices:
        from .seed_invoices import generate_invoices

        generate_invoices(
            sb,
            invoices,
            lines_per_invoice,
            customers=generated_customers,
            products=["GEN-%05d" % (i + 1) for i in range(products)],
        )


PRODUCT_WORDS = (
    ("T-shirt", "Hoodie", "Kasket", "Sokker", "Jakke", "Bukser", "Cykelhjelm", "Lygte", "Taske"),
    ("sort", "hvid", "blå", "rød", "grøn", "grå"),
    ("S", "M", "L", "XL"),
)
SERVICE_WORDS = ("Konsulenttime", "Installation", "Kursus", "Support", "Fragt")


def _generate_products(prods, stamp, count):
    """`count` products GEN-00001...: groups 1-4 and units 1-7 spread, services (groups 3, 4) in
    hours, every third goods item with an EAN barcode, stock figures on goods.  Written straight
    into the table (20,000 in well under a second)."""
    things, colours, sizes = PRODUCT_WORDS
    zero = Decimal("0.00")
    for i in range(count):
        n = i + 1
        pno = "GEN-%05d" % n
        group = 1 + i % 4
        service = group >= 3
        if service:
            name = "%s %d" % (SERVICE_WORDS[i % len(SERVICE_WORDS)], n)
            unit = 2 if i % 8 < 4 else 5
        else:
            name = "%s %s %s #%d" % (
                things[i % len(things)],
                colours[i // 3 % len(colours)],
                sizes[i // 7 % len(sizes)],
                n,
            )
            unit = (1, 3, 4, 7)[i // 2 % 4]
        cost = Decimal(10 + i % 50)
        rec = {
            "productNumber": pno,
            "name": name,
            "description": "Generated product %d" % n,
            "productGroup": {"productGroupNumber": group},
            "unit": {"unitNumber": unit},
            "costPrice": cost,
            "recommendedPrice": cost * 3,
            "salesPrice": Decimal(20 + i % 100) + Decimal("0.95"),
            "barred": n % 97 == 0,
            "lastUpdated": stamp,
            "inventory": {}
            if service
            else {
                "inStock": Decimal(i % 200),
                "orderedByCustomers": Decimal(i % 7),
                "orderedFromSuppliers": Decimal(i % 3 * 10),
                "recommendedCostPrice": cost,
            },
        }
        if not service and i % 3 == 0:
            rec["barCode"] = "57%011d" % n
        elif service:
            rec["inventory"]["recommendedCostPrice"] = zero
        dict.__setitem__(prods, pno, rec)
    prods._sorted = None
