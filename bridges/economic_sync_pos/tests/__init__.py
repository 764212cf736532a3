from . import test_install
from . import test_pos_source
from . import test_pos_shop_day
from . import test_translation_da
