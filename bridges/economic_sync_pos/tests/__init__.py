from . import test_install
from . import test_pos_source
