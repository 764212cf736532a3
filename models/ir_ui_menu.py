"""Menus named as the user sees them: messages that send the user somewhere say the real path
(Community's *Invoicing* is Enterprise's *Accounting*; names in the user's language)."""

from odoo import api, models

#: between the names of a menu path in messages
MENU_SEPARATOR = " → "


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    @api.model
    def _economic_menu_path(self, xmlid, *tail):
        """The complete name of the menu ``xmlid`` in the user's language, from its app down,
        e.g. ``Invoicing → Configuration → e-conomic → References``; ``tail`` names a tab or
        button reached from there. Read from the menu records, so whatever renames them
        (Enterprise, a translation) is what the message says. Empty when the menu is gone."""
        menu = self.env.ref(xmlid, raise_if_not_found=False)
        if not menu or menu._name != "ir.ui.menu":
            return MENU_SEPARATOR.join(tail)
        names = []
        menu = menu.sudo()  # a menu's name is no secret; the user may lack its groups
        while menu:
            names.append(menu.name or "")
            menu = menu.parent_id
        return MENU_SEPARATOR.join([*reversed(names), *tail])
