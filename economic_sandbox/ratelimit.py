"""Token bucket per agreement (docs/ECONOMIC.md §7.1):
`X-RateLimiting: token-limit-{limit}-per-{s}-seconds: used/limit`."""

import math
import threading
import time


class Bucket:
    def __init__(self, limit=10000, per_seconds=60):
        self.lock = threading.Lock()
        self.configure(limit, per_seconds)

    def configure(self, limit, per_seconds):
        self.limit = int(limit)
        self.per = float(per_seconds)
        self.available = float(self.limit)
        self.stamp = time.monotonic()

    def _refill(self):
        now = time.monotonic()
        self.available = min(
            self.limit, self.available + (now - self.stamp) * self.limit / self.per
        )
        self.stamp = now

    def take(self, cost):
        """Return (ok, retry_after_seconds)."""
        with self.lock:
            self._refill()
            if self.available >= cost:
                self.available -= cost
                return True, 0
            missing = cost - self.available
            return False, max(1, math.ceil(missing * self.per / self.limit))

    def header(self):
        with self.lock:
            self._refill()
            used = int(round(self.limit - self.available))
            return "token-limit-%d-per-%d-seconds: %d/%d" % (
                self.limit,
                int(self.per),
                used,
                self.limit,
            )
