from . import backend
from . import pos_payment_method
from . import pos_day
from . import shop_source
