"""A ``limits`` storage in this process's memory, for the moving-window strategy.

For SQLite projects (one machine, one process in development) and tests. limits' own
``MemoryStorage`` starts a timer thread to expire its entries, which costs a web request
more than the rest of the limiter; here each key is a deque of timestamps pruned as slots
are taken, under one lock.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from typing import Any

from limits.storage import MovingWindowSupport, Storage


class ProcessStorage(Storage, MovingWindowSupport):
    """Moving-window entries per key, in a deque; nothing is shared between processes."""

    STORAGE_SCHEME = ["calendly-process"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._lock = threading.Lock()
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return ValueError

    def _pruned(self, key: str, expiry: int, now: float) -> deque[float]:
        events = self._events[key]
        start = now - expiry
        while events and events[0] <= start:
            events.popleft()
        return events

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        now = time.time()
        with self._lock:
            events = self._pruned(key, expiry, now)
            if len(events) + amount > limit:
                return False
            events.extend([now] * amount)
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        with self._lock:
            events = self._pruned(key, expiry, now)
            return (events[0], len(events)) if events else (now, 0)

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("ProcessStorage supports the moving window only.")

    def get(self, key: str) -> int:
        return self.get_moving_window(key, 0, 60)[1]

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("ProcessStorage supports the moving window only.")

    def check(self) -> bool:
        return True

    def reset(self) -> int | None:
        with self._lock:
            count = sum(len(events) for events in self._events.values())
            self._events.clear()
        return count

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)
