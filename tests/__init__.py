from . import test_backend_connection
from . import test_backend_security
