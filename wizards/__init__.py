from . import economic_connect_wizard
