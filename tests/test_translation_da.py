"""Issue 15 §2: the addon in Danish. Odoo's loader reads ``i18n/da.po`` for a user working in
Danish (da_DK); no string of the addon is left in English in its views (its own and the ones it
adds to invoices, contacts, products and sales orders), its fields, and a sample of its
messages (an error of the invoice lock, a sync log line, a notification, a check of the
connection, the web client's text); every term of ``i18n/economic_sync.pot`` has its Danish."""

import os
import re

import polib
from lxml import etree

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.translate import code_translations

from .common import ADDON_DIR
from .invoice_common import InvoiceCase

POT = os.path.join(ADDON_DIR, "i18n", "economic_sync.pot")
DA_PO = os.path.join(ADDON_DIR, "i18n", "da.po")
LANG = "da_DK"

#: the attributes of a view Odoo translates (odoo.tools.translate.TRANSLATED_ATTRS)
VIEW_ATTRS = (
    "string",
    "help",
    "sum",
    "avg",
    "confirm",
    "placeholder",
    "alt",
    "title",
    "aria-label",
    "data-tooltip",
    "add-label",
    "label",
)
TAG = re.compile(r"<[^>]+>")
TAG_ATTR = re.compile(r'\s(?:%s)="([^"]*)"' % "|".join(VIEW_ATTRS))
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%[sd]|%%")
LETTER = re.compile(r"[^\W\d_]")


def _norm(text):
    return " ".join((text or "").split())


def _segments(term):
    """What a term shows: its text between tags and the translatable attributes of its tags
    (a term of a view can hold inline markup: ``<b>References</b>``)."""
    out = {_norm(part) for part in TAG.split(term)}
    for tag in TAG.findall(term):
        out.update(_norm(value) for value in TAG_ATTR.findall(tag))
    return {part for part in out if LETTER.search(part)}


def _arch_pieces(arch, user=None):
    """The texts and translatable attributes of a view's architecture (with ``user``: what
    that user sees of it, the nodes of groups they lack left out)."""
    pieces = set()

    def visit(node, shown=True):
        if not isinstance(node.tag, str):
            return
        groups = node.get("groups")
        shown = shown and (not (user and groups) or user.has_groups(groups))
        if shown:
            pieces.add(_norm(node.text))
            pieces.update(_norm(node.get(attr)) for attr in VIEW_ATTRS if node.get(attr))
        for child in node:
            visit(child, shown)
            if shown:
                pieces.add(_norm(child.tail))

    visit(etree.fromstring(arch.encode() if isinstance(arch, str) else arch))
    return {piece for piece in pieces if LETTER.search(piece)}


@tagged("post_install", "-at_install")
class TestTranslationDa(InvoiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pot = polib.pofile(POT)
        cls.po = polib.pofile(DA_PO)
        cls.danish = {entry.msgid: entry.msgstr for entry in cls.po if entry.msgstr}
        cls.english_msgids = [e.msgid for e in cls.pot if cls.danish.get(e.msgid) != e.msgid]
        # what only the English shows: a Danish view, field or message holds none of it
        danish_segments = set().union(*(_segments(text) for text in cls.danish.values()))
        cls.english = set().union(*(_segments(entry.msgid) for entry in cls.pot)) - danish_segments
        # installing Danish as Odoo does it: the language, then the module's terms
        cls.env["res.lang"]._activate_lang(LANG)
        cls.env["ir.module.module"]._load_module_terms(["economic_sync"], [LANG])
        cls.env.registry.clear_cache()
        cls.user = new_test_user(
            cls.env,
            login="economic_dansk",
            lang=LANG,
            groups=",".join(
                (
                    "base.group_user",
                    "base.group_partner_manager",
                    "account.group_account_manager",
                    "sales_team.group_sale_manager",
                    "economic_sync.group_economic_manager",
                )
            ),
        )
        cls.da_env = cls.env(user=cls.user, context=dict(cls.env.context, lang=LANG))

    # ------------------------------------------------------------------ helpers
    def _ours(self, model):
        """The records of ``model`` the addon creates (its views, its fields)."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "economic_sync"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _untranslated(self, pieces):
        return sorted(set(pieces) & self.english)

    def assertDanish(self, text, *danish):
        """``text`` holds the Danish ``danish`` and no English of the addon's terms."""
        for expected in danish:
            self.assertIn(expected, text)
        # the English of a message up to its first placeholder, when long enough to mean it
        heads = {PLACEHOLDER.split(msgid)[0].strip() for msgid in self.english_msgids}
        english = sorted(head for head in heads if len(head) > 12 and head in text)
        self.assertFalse(english, "English left in %r" % text)

    # ------------------------------------------------------------------ (c) the .pot scan
    def test_every_term_of_the_pot_has_its_danish(self):
        self.assertGreater(len(self.pot), 900)
        self.assertEqual(self.po.metadata.get("Language"), "da")
        self.assertIn("nplurals=2", self.po.metadata.get("Plural-Forms", ""))
        missing = [entry.msgid for entry in self.pot if not self.danish.get(entry.msgid)]
        self.assertFalse(missing, "%s terms without Danish: %s" % (len(missing), missing[:20]))
        self.assertFalse([entry.msgid for entry in self.po if entry.fuzzy or entry.obsolete])
        # in the .pot's order and nothing beside it, so the next msgmerge stays a small diff
        self.assertEqual([e.msgid for e in self.po], [e.msgid for e in self.pot])
        for entry in self.po:
            with self.subTest(msgid=entry.msgid):
                self.assertEqual(
                    sorted(PLACEHOLDER.findall(entry.msgid)),
                    sorted(PLACEHOLDER.findall(entry.msgstr)),
                    "placeholders kept",
                )
                self.assertEqual(
                    sorted(TAG_ATTR.sub("", tag) for tag in TAG.findall(entry.msgid)),
                    sorted(TAG_ATTR.sub("", tag) for tag in TAG.findall(entry.msgstr)),
                    "markup kept",
                )
                self.assertEqual(
                    entry.msgid != entry.msgid.strip(),
                    entry.msgstr != entry.msgstr.strip(),
                    "surrounding whitespace kept",
                )
        # the scan below finds English: the English itself is full of it
        self.assertIn("Write-back", " ".join(self.english))

    # ------------------------------------------------------------------ (a) views and fields
    def test_views_of_the_addon_are_danish(self):
        """Every view of the addon, as stored (its Danish terms) and as the Danish user gets
        it (get_views: the addon's own views, and Odoo's forms of invoices, contacts, products
        and sales orders with what the addon adds)."""
        views = self._ours("ir.ui.view")
        self.assertGreater(len(views), 30)
        checked = 0
        for view in views:
            english = _arch_pieces(view.with_context(lang="en_US").arch_db)
            danish = _arch_pieces(view.with_context(lang=LANG).arch_db)
            checked += len(english & self.english)
            with self.subTest(view=view.xml_id):
                self.assertFalse(self._untranslated(danish))
        self.assertGreater(checked, 250, "the views' English terms were found in English")

        trees = {}  # the view a user opens -> the addon's views in it
        for view in views:
            root = view
            while root.mode == "extension" and root.inherit_id:
                root = root.inherit_id
            trees[root] = trees.get(root, self.env["ir.ui.view"]) | view
        roots = self.env["ir.ui.view"].union(*trees)
        self.assertTrue(
            {"account.move", "res.partner", "product.template", "sale.order"}
            <= set(roots.mapped("model"))
        )
        danish_segments = set().union(*(_segments(text) for text in self.danish.values()))
        shown = {}  # model -> the addon's Danish shown in its views
        for root in roots:
            if root.type == "qweb":  # a report's template: no model's views (checked above)
                continue
            with self.subTest(view=root.xml_id):
                result = self.da_env[root.model].get_views([(root.id, root.type)])
                pieces = _arch_pieces(result["views"][root.type]["arch"])
                # Odoo's own terms are not this test's (only the addon's Danish is loaded)
                others = set().union(
                    *(
                        _arch_pieces(view.with_context(lang=LANG).arch_db)
                        for view in self.env["ir.ui.view"].search([("model", "=", root.model)])
                        if view not in views
                    )
                )
                self.assertFalse(self._untranslated(pieces - others))
                # what the addon adds is there, in Danish
                added = set().union(
                    *(
                        _arch_pieces(view.with_context(lang=LANG).arch_db, self.user)
                        for view in trees[root]
                    )
                )
                danish = added & danish_segments
                self.assertLessEqual(danish - others, pieces)
                shown[root.model] = shown.get(root.model, set()) | danish
                self._assert_fields_danish(result["models"])
        # e.g. the banner of a booked invoice, the e-conomic tab of a contact
        self.assertIn("Bogført i e-conomic som faktura", shown["account.move"])
        for model in ("res.partner", "product.template", "sale.order", "economic.backend"):
            self.assertTrue(shown.get(model), model)

    def _assert_fields_danish(self, models):
        fields = self._ours("ir.model.fields")
        ours = {(field.model, field.name) for field in fields}
        checked, untranslated = 0, {}
        for model, description in models.items():
            for name, field in description["fields"].items():
                if (model, name) not in ours:
                    continue
                checked += 1
                texts = [field.get("string"), field.get("help")]
                texts += [label for _value, label in field.get("selection") or []]
                english = self._untranslated(_norm(text) for text in texts if text)
                if english:
                    untranslated["%s.%s" % (model, name)] = english
        self.assertTrue(checked)
        self.assertFalse(untranslated)

    def test_menus_and_actions_are_danish(self):
        menus = self._ours("ir.ui.menu").with_env(self.da_env)
        self.assertIn("Synkroniseringslog", menus.mapped("name"))
        self.assertFalse(self._untranslated(menus.mapped("name")))
        actions = self._ours("ir.actions.act_window").with_context(lang=LANG)
        self.assertFalse(self._untranslated(actions.mapped("name")))
        helps = set().union(*(_segments(action.help or "") for action in actions))
        self.assertFalse(self._untranslated(helps))
        self.assertIn("Forbind denne virksomhed med e-conomic", helps)

    # ------------------------------------------------------------------ (b) messages
    def test_invoice_lock_refuses_in_danish(self):
        self.pull()
        move = self.move(1).with_env(self.da_env)
        self.assertTrue(move)
        with self.assertRaises(UserError) as caught:
            move.button_draft()
        self.assertDanish(
            str(caught.exception),
            "er bogført i e-conomic som faktura",
            "Ret den med en kreditnota.",
            "(nulstil til kladde)",
        )
        with self.assertRaises(UserError) as caught:
            move.write({"invoice_date": "2020-01-01"})
        self.assertDanish(str(caught.exception), "kan ikke længere ændres")

    def test_sync_log_of_a_danish_pass_is_danish(self):
        self.env["economic.reference"].search(
            [
                ("backend_id", "=", self.backend.id),
                ("kind", "=", "payment_term"),
                ("number", "=", "5"),
            ]
        ).payment_term_id = False
        self.backend.with_env(self.da_env)._run_pass(entities=["supplier"])
        self.env.invalidate_all()
        failed = self.logs(entity="supplier", state="failed")
        self.assertTrue(failed)
        # the message and the lazy words it is made of (kind, target, the menu)
        self.assertDanish(
            failed[0].message,
            "Knyt e-conomic-betalingsbetingelser",
            "til en Odoo-betalingsbetingelse under",
            "e-conomic → Referencer",
        )

    def test_notifications_and_checks_are_danish(self):
        backend = self.backend.with_env(self.da_env)
        action = backend.action_test_connection()
        self.assertDanish(action["params"]["title"], "Forbundet til e-conomic")
        self.assertDanish(action["params"]["message"], "Aftale ", ", grundvaluta ")
        with self.assertRaises(ValidationError) as caught:
            backend.timeout = 0
        self.assertDanish(
            str(caught.exception), "Tidsgrænsen for anmodninger skal være mindst ét sekund."
        )
        with self.assertRaises(UserError) as caught:
            self.env["economic.sync.log"].create(
                {"backend_id": self.backend.id, "operation": "skip", "state": "resolved"}
            ).with_env(self.da_env).action_replay()
        self.assertDanish(str(caught.exception), "Kun fejlede linjer kan køres igen.")

    def test_web_client_texts_are_danish(self):
        web = code_translations.get_web_translations("economic_sync", LANG)
        texts = {message["id"]: message["string"] for message in web["messages"]}
        self.assertEqual(
            texts["Save or discard your changes to see the result of the pass."],
            "Gem eller kassér dine ændringer for at se kørslens resultat.",
        )
