"""A per-client limit on writes (429 with Retry-After). In-process, so per replica: it protects
one instance from a runaway client; a gateway in front does the cluster-wide limit."""

import math
import time
from collections import OrderedDict

from nplv_shared.auth import Principal

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WriteRateLimiter:
    """Token bucket per client key: `per_minute` writes, refilled continuously."""

    def __init__(self, per_minute: int, max_clients: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def check(self, client_key: str, now: float | None = None) -> float:
        """Take one token; returns 0 when allowed, else the seconds until one is available."""
        now = time.monotonic() if now is None else now
        tokens, updated = self._buckets.pop(client_key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - updated) * self.rate)
        wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
        self._buckets[client_key] = (tokens - 1 if wait == 0 else tokens, now)
        if len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)  # forget the least recently seen client
        return wait


def client_key(principal: Principal | None, peer: str) -> str:
    """The authenticated client (organisation and client id, whichever token it uses); without
    a valid token, the peer address."""
    if principal is not None:
        return f"client:{principal.organisatie}:{principal.client_id}"
    return f"peer:{peer}"


def retry_after(seconds: float) -> str:
    return str(max(1, math.ceil(seconds)))
