"""Every ``test_*`` module of this folder is a test module: a new one needs no line here."""

import importlib
import pkgutil

for _info in pkgutil.iter_modules(__path__):
    if _info.name.startswith("test_"):
        importlib.import_module(f"{__name__}.{_info.name}")
