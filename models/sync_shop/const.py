"""Constants of the day's-sales entity module (issue 18 §1)."""

ENTITY = "shop_day"
DAY_MODEL = "economic.shop.day"
DOCUMENT = "economic.shop.document"
#: the context key of the sync's own writes
SYNC_WRITE = "economic_sync_write"
#: how the day goes to e-conomic
MODES = [
    ("invoice", "One Draft Invoice to the Cash Customer"),
    ("journal", "Cash-Journal Drafts (Finance Vouchers)"),
]
GROUPINGS = [("tax", "One Line per Tax"), ("product", "One Line per Product")]
#: e-conomic's entry type of the cash-journal drafts, and the journals that accept it
ENTRY_TYPE = "financeVoucher"
DEFAULT_CASH_CUSTOMER = 99999999
#: where a day stands
DAY_STATES = [
    ("pending", "To Send"),
    ("draft", "Draft in e-conomic"),
    ("booked", "Booked in e-conomic"),
    ("deleted", "Deleted in e-conomic"),
    ("error", "Error"),
    ("empty", "Nothing to Send"),
]
#: where one document sent for a day stands
DOC_STATES = [
    ("sending", "Being Sent"),
    ("draft", "Draft in e-conomic"),
    ("booked", "Booked in e-conomic"),
    ("deleted", "Deleted in e-conomic"),
    ("withdrawn", "Withdrawn by the Sync"),
]
DOC_KINDS = [("invoice", "Draft Invoice"), ("voucher", "Finance Voucher")]
#: incremental passes look back this many days for late material (a full pass: every day
#: since "Send Sales From")
LOOKBACK_DAYS = 14
#: e-conomic's longest reference (references.other) and entry text
MAX_REFERENCE = 250
MAX_DESCRIPTION = 2500
