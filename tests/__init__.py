from . import test_backend_connection
from . import test_backend_security
from . import test_sync_settings
from . import test_sync_partners
from . import test_sync_batch
from . import test_sync_log
from . import test_backend_safety
from . import test_sync_safety
