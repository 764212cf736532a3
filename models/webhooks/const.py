"""The webhook queue's constants. The event types are declared by the entity modules
(``_economic_webhooks``: ``declaration.WebhookEvent``)."""

#: pending events of one type and connection beyond which one "everything of this type" event
#: stands for the rest (a burst of an import): the queue stays bounded
QUEUE_CAP = 2000
#: the key of that event
ALL_KEY = "*"
#: events processed per batch (one commit each)
BATCH = 500
