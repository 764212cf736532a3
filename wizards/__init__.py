from . import economic_connect_wizard
from . import economic_push_preview
