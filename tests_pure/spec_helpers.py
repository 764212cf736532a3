"""Reading e-conomic's published schemas in the pure tier. The folder comes from the ``spec_dir``
fixture (conftest.py: ``$ECONOMIC_SPEC_DIR``, else the per-user cache, else the test is skipped);
what may be read is ``FILES`` of tools/economic_spec.py, the list the harness fetches.
Holds no tests."""

import importlib.util
import json
import os
import re

import jsonschema

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _economic_spec():
    spec = importlib.util.spec_from_file_location(
        "economic_sync_economic_spec", os.path.join(REPO, "tools", "economic_spec.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: tools/economic_spec.py: where the schemas are, what the tests read, how they are fetched
ECONOMIC_SPEC = _economic_spec()


def spec_file(spec_dir, name):
    """The path of ``name`` (e.g. ``openapi/openapi-Customers.json``) in the spec folder; a file
    missing from ``FILES`` fails the test: a cache filled by the harness would not hold it."""
    assert name in ECONOMIC_SPEC.FILES, (
        "%s is not in FILES of tools/economic_spec.py: add it there, so that the harness "
        "fetches it into the cache" % name
    )
    return os.path.join(spec_dir, name)


def load_schema(spec_dir, name):
    """A legacy REST schema by name, e.g. ``customers.get``."""
    with open(
        spec_file(spec_dir, "legacy-schemas/%s.schema.json" % name), encoding="utf-8-sig"
    ) as fh:
        text = fh.read()
    return json.loads(re.sub(r",(\s*[}\]])", r"\1", text))  # two files carry trailing commas


def load_openapi(spec_dir, name):
    """An OpenAPI document by file name, e.g. ``openapi-Customers.json``."""
    with open(spec_file(spec_dir, "openapi/" + name), encoding="utf-8-sig") as fh:
        return json.load(fh)


def check(schema, instance):
    validator = jsonschema.Draft3Validator(schema)
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "\n".join("%s: %s" % (list(e.path), e.message) for e in errors[:10])
