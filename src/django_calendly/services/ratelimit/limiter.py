"""The shared per-user rate limiter: at most N calls in any 60 seconds, across processes.

Calendly's limit is per Calendly user (500 requests a minute on paid plans, 50 on free
ones), however many workers call for that user. Every client the app builds for a user is
given ``limiter_for(key)``: before each request it takes a slot in that user's moving window,
kept in Redis (``CALENDLY_RATE_LIMIT_STORAGE = "redis://..."``, any ``limits`` storage URI
works) or, by default, in the project's database (on SQLite, which serves one machine and
locks whole tables, in each process's memory). A moving window never holds more than N
calls in any 60-second span, so whatever window Calendly counts in, the calls stay under the
limit, and when there is work the budget is used to the full.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.db import connection
from limits import RateLimitItemPerSecond
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from ...conf import calendly_settings

#: Calendly counts per minute.
WINDOW_SECONDS = 60
#: Longest single sleep while waiting for a slot (the window is re-read after it).
MAX_SLEEP = 1.0

_storages: dict[str, Storage] = {}
_storages_lock = threading.Lock()


def storage(uri: str | None = None) -> Storage:
    """The ``limits`` storage named by ``uri`` (default: ``CALENDLY_RATE_LIMIT_STORAGE``),
    one per process; ``database`` is the project's database."""
    uri = uri if uri is not None else calendly_settings.RATE_LIMIT_STORAGE
    with _storages_lock:
        found = _storages.get(uri)
        if found is not None:
            return found
        if uri in ("memory", "memory://") or (
            uri == "database" and connection.vendor == "sqlite"
        ):
            # SQLite serves one machine and locks whole tables: count in this process.
            from .memory import ProcessStorage

            made: Storage = ProcessStorage()
        elif uri == "database":
            from .database import DatabaseStorage

            made = DatabaseStorage()
        else:
            parsed = storage_from_string(uri)
            if not isinstance(parsed, Storage):
                raise ValueError(f"{uri!r} names an asyncio storage; use a synchronous one.")
            made = parsed
        _storages[uri] = made
        return made


def forget_storages() -> None:
    """Drop the storages made so far (tests: a fresh in-memory budget for each test)."""
    with _storages_lock:
        _storages.clear()


class SharedRateLimiter:
    """``acquire()`` blocks until one more request fits ``key``'s budget (thread-safe)."""

    def __init__(
        self,
        key: str,
        limit: int,
        *,
        window: int = WINDOW_SECONDS,
        store: Storage | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1.")
        self.key = key
        self.limit = limit
        self.item = RateLimitItemPerSecond(limit, window, namespace="calendly")
        self.strategy = MovingWindowRateLimiter(store if store is not None else storage())
        self._sleep = sleep
        self.waits = 0
        self.wait_seconds = 0.0

    def acquire(self) -> None:
        while not self.strategy.hit(self.item, self.key):
            reset_at, _ = self.strategy.get_window_stats(self.item, self.key)
            pause = min(max(reset_at - time.time(), 0.01), MAX_SLEEP)
            self.waits += 1
            self.wait_seconds += pause
            self._sleep(pause)


def limiter_for(key: str) -> SharedRateLimiter | None:
    """The shared limiter of one Calendly user (``None`` when the setting turns it off)."""
    limit = calendly_settings.RATE_LIMIT_PER_MINUTE
    if not limit or not calendly_settings.RATE_LIMIT_STORAGE:
        return None
    return SharedRateLimiter(key, int(limit))
