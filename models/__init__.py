from . import economic_backend
from . import economic_entity_setting
from . import economic_match_key
from . import economic_field_mapping
from . import economic_reference
