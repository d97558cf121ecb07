"""A value read from the database at most every ``max_age`` seconds per process.

For data every request needs but that changes rarely (the signing keys of our webhook
subscriptions, the app's organization): one query per process per ``max_age`` instead of
one per request. ``invalidate()`` (wired to the models' save/delete signals) makes this
process see a change at once; other processes see it within ``max_age``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class ProcessCache(Generic[T]):
    def __init__(
        self,
        load: Callable[[], T],
        initial: T,
        *,
        max_age: float = 30.0,
        min_reload_interval: float = 1.0,
        cache_empty: bool = True,
    ) -> None:
        self.load = load
        self.value = initial
        self.max_age = max_age
        self.min_reload_interval = min_reload_interval
        # False: an empty value is returned but not kept, so the first row written by
        # another process is seen on the next call instead of max_age seconds later.
        self.cache_empty = cache_empty
        self.loaded_at = float("-inf")
        self.generation = 0  # bumped by invalidate(): a load that raced with it is not kept
        self.lock = threading.Lock()

    def get(self, *, refresh: bool = False) -> T:
        """The cached value; ``refresh`` reloads early (at most every ``min_reload_interval``
        seconds), for a caller that has reason to think the value is stale."""
        oldest = self.min_reload_interval if refresh else self.max_age
        if time.monotonic() - self.loaded_at > oldest:
            with self.lock:
                if time.monotonic() - self.loaded_at > oldest:
                    generation, loaded_at = self.generation, time.monotonic()
                    value = self.load()
                    if generation == self.generation and (value or self.cache_empty):
                        self.value, self.loaded_at = value, loaded_at
                    return value
        return self.value

    def invalidate(self, *args: object, **kwargs: object) -> None:
        """Forget the value (usable as a signal receiver)."""
        self.generation += 1
        self.loaded_at = float("-inf")
