"""Constants of the day's-sales entity module (issue 18 §1)."""

ENTITY = "shop_day"
DAY_MODEL = "economic.shop.day"
#: the context key of the sync's own writes
SYNC_WRITE = "economic_sync_write"
