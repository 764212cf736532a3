from . import models


def uninstall_hook(env):
    """The connections' settings of the entity this module declared go with it (the addon
    would remove them at its next update: no module declares the entity any more)."""
    env.cr.execute("DELETE FROM economic_entity_setting WHERE entity = 'stock'")
    env["economic.entity.setting"].invalidate_model()
