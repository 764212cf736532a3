"""What an entity module declares about one of e-conomic's webhook event types
(``WebhookEvent``, listed in the module's ``_economic_webhooks``), and the helpers the key
parsers share.

Pure Python (no Odoo): the entity packages' key parsers (``webhook_keys.py``) build on it and the
pure tier tests them. The shared webhook code (the event model, the connection's URLs and
registration, the processing, the public controller) reads the declarations through
``economic.webhook.event._economic_event_types()`` and names no entity itself.
"""

import json
from collections.abc import Callable
from typing import NamedTuple
from urllib.parse import parse_qsl

#: the largest record number e-conomic gives
MAX_INT = 999999999


class WebhookEvent(NamedTuple):
    """One webhook event type of an entity module."""

    #: the stored value (``economic.webhook.event.event_type``): never renamed (no migration)
    type: str
    #: the last segment of its URLs (``/economic/webhook/<connection>/[<secret>/]<segment>``)
    segment: str
    #: e-conomic's event type in its webhooks API (Register Webhooks)
    api_type: str
    #: what the user reads (Odoo's ``LazyTranslate``: shown through ``env._(label)``)
    label: object
    #: the entity whose records the event names (its module pulls them: ``_economic_pull_keys``)
    entity: str
    #: the merge fields of the URL the user pastes into e-conomic (``new=[NEWNUMBER]&...``);
    #: the webhooks API gets them as a JSON body (``post_data``)
    merge_fields: str
    #: ``{merge field: the parameter names accepted for it}`` (lower case, first found wins:
    #: ours and e-conomic's own names)
    aliases: dict
    #: ``{merge field: value} -> (key, old key)``; raises ``ValueError`` saying what is
    #: malformed (the request is answered 400 and nothing is recorded)
    keys: Callable
    #: the entities an "everything of this type" event runs a pass of (default: ``entity``)
    related: tuple = ()
    #: where it is listed among the connection's webhooks (lower first)
    sequence: int = 100

    def values(self, params):
        """The merge fields of a request: ``params`` maps parameter names (lower case) to
        values; each merge field takes the first of its accepted names that has a value."""
        out = {}
        for name, accepted in self.aliases.items():
            for alias in accepted:
                if params.get(alias) not in (None, ""):
                    out[name] = str(params[alias]).strip()
                    break
        return out

    def parse(self, params):
        """``(key, old key)`` of a request's parameters, or ``ValueError``."""
        return self.keys(self.values(params))

    def post_data(self):
        """The JSON body e-conomic's webhooks API sends: the URL's merge fields."""
        return json.dumps(dict(parse_qsl(self.merge_fields)))

    def pass_entities(self):
        """The entities a pass of the whole entity covers."""
        return list(self.related or (self.entity,))


def number(value, what):
    """A record number merge field (``what`` names it in the error) as its key, or
    ``ValueError``: a positive integer up to e-conomic's largest."""
    if value is None:
        raise ValueError("%s is missing" % what)
    if not value.isdigit() or not 0 < int(value) <= MAX_INT:
        raise ValueError("%s must be a number, not %r" % (what, value[:40]))
    return str(int(value))
