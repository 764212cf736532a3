"""What the automatic mapping of e-conomic's chart and VAT codes relies on, in one declarative
place (issue 15 §1; the sources of e-conomic's standard codes: economic_sandbox/README.md,
"Chart of accounts and VAT codes").

* which Odoo account types an e-conomic account may be mapped to automatically (never across
  kinds: a credit profit-and-loss account is income, a debit one an expense, a debit balance
  account an asset, a credit one a liability or equity);
* e-conomic's standard Danish VAT codes and the taxes of Odoo's Danish chart (``l10n_dk``,
  chart template ``dk``) they are, by the taxes' template XML ids;
* the fiscal positions of the Danish chart per e-conomic VAT zone (where product groups' sales
  accounts of the zone land);
* the words that make a product group one of services.

Nothing here reads the database: ``mapping.py`` applies it, the tests check every row against
the real ``l10n_dk`` data.
"""

import re
from collections import namedtuple

# ------------------------------------------------------------------ account kinds
#: (e-conomic accountType, debitCredit) -> the Odoo account types it may be mapped to
#: automatically; any other pair (headings, sums) is never mapped
COMPATIBLE_TYPES = {
    ("profitAndLoss", "credit"): ("income", "income_other"),
    ("profitAndLoss", "debit"): ("expense", "expense_depreciation", "expense_direct_cost"),
    ("status", "debit"): (
        "asset_receivable",
        "asset_cash",
        "asset_current",
        "asset_non_current",
        "asset_prepayments",
        "asset_fixed",
    ),
    ("status", "credit"): (
        "liability_payable",
        "liability_credit_card",
        "liability_current",
        "liability_non_current",
        "equity",
        "equity_unaffected",
    ),
}
#: the balance-sheet account types (a VAT account is one, whichever side Odoo types it on:
#: l10n_dk types 7740 Købsmoms, a debit account in e-conomic, as a current liability)
BALANCE_TYPES = COMPATIBLE_TYPES[("status", "debit")] + COMPATIBLE_TYPES[("status", "credit")]

#: the roles e-conomic gives accounts -> the Odoo account types the role's target may have
ROLE_TYPES = {
    "customer_group": ("asset_receivable",),
    "supplier_group": ("liability_payable",),
    "vat_code": BALANCE_TYPES,
    "journal": ("asset_cash",),
    "sales": COMPATIBLE_TYPES[("profitAndLoss", "credit")],
}

# ------------------------------------------------------------------ Danish chart
#: ``res.company.chart_template`` of Odoo's Danish chart of accounts (l10n_dk)
DANISH_CHART = "dk"

#: one e-conomic standard VAT code: the VAT type and rate e-conomic ships it with (the rate
#: in percent, ``ratePercentage``), the l10n_dk tax (template id) of goods or the only one, the
#: one of services (None: the same), and whether the automatic mapping applies it (False: a
#: suggestion the accountant confirms)
VatRow = namedtuple("VatRow", "vat_type rate tax services_tax automatic")

#: e-conomic's standard Danish VAT codes -> l10n_dk taxes (each row checked against the real
#: Danish chart by tests/test_ledger_danish.py)
DANISH_VAT_CODES = {
    # Udgående moms 25 %: S-DK-25 (goods), S-DK-Y-25 (services); both book 7680 Salgsmoms
    "U25": VatRow("sales", 25.0, "tax_s1", "tax_s1y", True),
    # Indgående moms 25 %: K-DK-Fradrag (goods), K-DK-Y-Fradrag (services); both 7740 Købsmoms
    "I25": VatRow("purchase", 25.0, "tax_k1", "tax_k1y", True),
    # Salg af varer til EU (0 %, rubrik B varer, EU-salg uden moms): S-EU-V-0
    "UEUV": VatRow("sales", 0.0, "tax_s2", None, True),
    # Salg af ydelser til EU (0 %, rubrik B ydelser): S-EU-Y-0
    "UEUY": VatRow("sales", 0.0, "tax_s3", None, True),
    # Køb af varer i EU, erhvervelsesmoms: K-EU-V-Fradrag (+7740 / -7700, rubrik A varer)
    "IEUV": VatRow("reverse_charge", 25.0, "tax_keuv1", None, True),
    # Køb af ydelser i EU, omvendt betalingspligt: K-EU-Y-Fradrag (+7740 / -7720, rubrik A)
    "IEUY": VatRow("reverse_charge", 25.0, "tax_keuy1", None, True),
    # Køb af varer uden for EU: K-%EU-V-Fradrag (+7740 / -7700)
    "IVV": VatRow("reverse_charge", 25.0, "tax_k%euv1", None, True),
    # Køb af ydelser uden for EU: K-%EU-Y-Fradrag (+7740 / -7720)
    "IVY": VatRow("reverse_charge", 25.0, "tax_k%euy1", None, True),
    # Repræsentation, 25 % af momsen fradrages (e-conomic: 6.25 % effective; Odoo: 25 % of
    # which 25 % to 7740 and 75 % into the cost): K-DK-RepræsentationFradragFuld
    "REP": VatRow("purchase", 6.25, "tax_k25a", None, True),
    # Omvendt betalingspligt, køb (domestic reverse charge): K-DKO-Fradrag, archived in Odoo
    # by default (the mapping suggests it: activate the tax, then accept)
    "OBPK": VatRow("reverse_charge", 25.0, "tax_kdk01", None, True),
    # Hotel (halvmoms): no exact twin; K-DK-FastnettelefonFuld deducts 50 % the same way.
    # The legal deduction share is the accountant's call: suggested only
    "HREP": VatRow("purchase", 12.5, "tax_k5a", None, False),
    # meaning not confirmed (export, rubrik C?): S-%EU-MF, what Odoo's 3rd-countries fiscal
    # position gives a 25 % sale; suggested only
    "UVC": VatRow("sales", 0.0, "tax_s6", None, False),
}

#: e-conomic VAT zone scope -> the l10n_dk tax of a VAT-free sale (a line whose sales account
#: carries no VAT code): momsfritaget salg in Denmark, in the EU, outside the EU (§ 13); the
#: Danish VAT return counts these sales in their own boxes
DANISH_EXEMPT_SALES = {
    "domestic": "tax_smf",
    "eu": "tax_smfeu",
    "abroad": "tax_s6",
}

#: e-conomic VAT zone scope (``economic.reference.vat_scope``) -> the l10n_dk fiscal position
#: whose account mapping gives the income account of the zone's sales (domestic: none)
DANISH_FISCAL_POSITIONS = {
    "eu": "fiscal_position_template_eu_taxid",
    "abroad": "fiscal_position_template_3lande",
}

#: e-conomic VAT codes that say goods or services (a product group whose sales accounts
#: carry one of them sells that)
SERVICES_CODES = frozenset({"UEUY", "IEUY", "IVY"})
GOODS_CODES = frozenset({"UEUV", "IEUV", "IVV"})
#: words of a product group's name that say services when no VAT code does
SERVICES_WORDS = re.compile(r"ydelse|service|tjeneste|rådgivning|konsulent", re.IGNORECASE)

# ------------------------------------------------------------------ names
#: words that say nothing about what an account is (Danish and English)
NAME_STOPWORDS = frozenset(
    """af og til i m u med uden for fra på mv mm inkl ekskl samt el the of and to in on
    from a an etc incl excl""".split()
)
#: a name suggestion needs at least this share of the two names' words in common
NAME_SUGGESTION_SCORE = 0.5
#: names that say bank or cash: suggested as the bank/cash journal's account
BANK_WORDS = re.compile(r"\bbank|\bgiro\b", re.IGNORECASE)
CASH_WORDS = re.compile(r"\bkasse\b|\bcash\b|petty", re.IGNORECASE)
