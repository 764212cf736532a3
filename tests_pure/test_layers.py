"""The shared code names no entity: the connection, settings, mappings, log, conflicts,
schedule, engine, webhooks, controller and wizards build everything from what the entity
packages (``models/sync_*``) declare (docs/ENGINE.md, "How an entity declares itself")."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED = ("models/*.py", "models/webhooks/*.py", "controllers/*.py", "wizards/*.py")
#: an entity's Odoo model, binding model or key as a literal
NAMED = re.compile(
    r"economic\.(partner|product|invoice)\.binding"
    r"|[\"'](res\.partner|product\.product|product\.template|account\.move|sale\.order)[\"']"
    r"|[\"'](customer|supplier|customer_contact|supplier_contact|product|invoice|credit_note"
    r"|account|vat_code|journal_entry|purchase)[\"']"
)


def shared_files():
    return sorted(path for pattern in SHARED for path in REPO.glob(pattern))


def test_the_shared_files_exist():
    names = {path.relative_to(REPO).as_posix() for path in shared_files()}
    assert {"models/economic_backend.py", "models/economic_sync_log.py"} <= names
    assert "controllers/webhooks.py" in names


def test_shared_code_names_no_entity():
    found = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in shared_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if NAMED.search(line)
    ]
    assert not found, "entity named in shared code:\n" + "\n".join(found)


def test_every_entity_package_is_found_by_its_folder():
    """A new package needs no line in models/__init__.py (it is imported by its name)."""
    init = (REPO / "models" / "__init__.py").read_text(encoding="utf-8")
    packages = [p.name for p in (REPO / "models").glob("sync_*") if (p / "__init__.py").exists()]
    assert len(packages) >= 5
    for name in packages:
        if name != "sync_references":  # imported first: the others build on it
            assert f"import {name}" not in init, name
    assert 'startswith("sync_")' in init
