"""The shared models, the references, then every entity package (``sync_*``, by name): each
declares itself (docs/ENGINE.md, "How an entity declares itself"), so adding an entity adds a
package, not a line here."""

import importlib
import pkgutil

from . import ir_ui_menu
from . import economic_backend
from . import economic_backend_schedule
from . import economic_backend_defaults
from . import economic_backend_dashboard
from . import economic_entity_setting
from . import economic_field_mapping
from . import economic_binding_mixin
from . import economic_synced_record
from . import economic_sync_log
from . import economic_sync_conflict
from . import economic_sync_base
from . import economic_sync_engine
from . import economic_sync_entity
from . import economic_sync_merge
from . import economic_sync_actions
from . import economic_sync_preview
from . import economic_create_attempt
from . import webhooks

# the references (groups, zones, terms...) come first: every other package builds on them
from . import sync_references

for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    if _info.ispkg and _info.name.startswith("sync_"):
        importlib.import_module(f"{__name__}.{_info.name}")
