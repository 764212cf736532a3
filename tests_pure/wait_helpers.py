"""Waiting in the pure tier: on a condition, never for a fixed time.

``wait_until`` returns as soon as what the test waits for has happened, and fails with a clear
message when it does not happen in time. ``stays_false`` is its mirror for what must NOT happen
(a retry, an early answer): it watches the condition for the given time and fails the moment it
becomes true. Holds no tests.
"""

import time

#: how often a condition is looked at
INTERVAL = 0.02


def _text(message):
    return message() if callable(message) else message


def wait_until(condition, timeout, message):
    """Poll ``condition()`` until it returns a true value and return that value; after
    ``timeout`` seconds fail with ``message`` (a string, or a callable giving one, for details
    read only on failure)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("after %.1f s: %s" % (timeout, _text(message)))
        time.sleep(INTERVAL)


def stays_false(condition, seconds, message):
    """Watch ``condition()`` for ``seconds`` seconds: fail with ``message`` as soon as it is
    true (what must not happen happened)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            raise AssertionError(_text(message))
        time.sleep(INTERVAL)
    if condition():
        raise AssertionError(_text(message))
