"""Rate-limit pacing: spend Calendly's per-minute budget without ever asking for a 429.

Calendly answers every call with ``X-RateLimit-Limit/Remaining/Reset`` (the client keeps the
last ones in ``client.rate_limit``, with ``reset_at`` on the monotonic clock). The pacer is
shared by every thread of one sync: before a call it estimates what is left of the window
(the last ``remaining`` seen, minus the calls in flight, or the full limit once ``reset_at``
has passed) and, when only the reserve is left, sleeps until the window resets. Waiting at
the end of a window instead of spreading calls evenly keeps the achieved rate at the limit
and still never hits it.

A 429 can still happen (another process using the same token, a clock skew); ``call`` then
waits ``retry_after`` (bounded per wait) and tries again, as many times as it takes, so a long
sync never fails because of the rate limit. The pacer is the only place that waits for a 429:
the client it is given should raise ``RateLimited`` at once
(``CalendlyClient(retry_rate_limited=False)``), or its waits would be hidden from the
counters here and would hold an in-flight slot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from ..client.errors import RateLimited

T = TypeVar("T")

#: Seconds added after a reset before calling again (clocks of the two sides differ a bit).
RESET_MARGIN = 0.05
#: Upper bound of a single wait, in seconds (Calendly's window is 60 s).
MAX_WAIT = 120.0
#: Consecutive 429s on one call before giving up (about MAX_RETRIES x a minute: never, in
#: practice; only a bound against a server that always says 429).
MAX_RATE_LIMITED_RETRIES = 1000


class RateLimitPacer:
    def __init__(
        self,
        client: Any,
        *,
        reserve: int = 1,
        max_wait: float = MAX_WAIT,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self.client = client
        self.reserve = max(0, reserve)
        self.max_wait = max_wait
        self._sleep = sleep
        self._clock = clock
        self.on_wait = on_wait  # called with the seconds before each wait
        self._lock = threading.Lock()
        self._inflight = 0
        self._issued_since_seen = 0
        self._seen: Any = None
        self.waits = 0
        self.wait_seconds = 0.0
        self.rate_limited = 0
        self.calls = 0

    # -- budget ---------------------------------------------------------------------------

    def _state(self) -> tuple[int | None, int | None, float | None]:
        state = getattr(self.client, "rate_limit", None)
        if state is None:
            return None, None, None
        return (
            getattr(state, "limit", None),
            getattr(state, "remaining", None),
            getattr(state, "reset_at", None),
        )

    def _estimate(self) -> tuple[int | None, float | None]:
        """What is left of the window now, and when it resets (None: unknown)."""
        state = getattr(self.client, "rate_limit", None)
        if state is not self._seen:
            # A new response was seen: its ``remaining`` already counts the finished calls.
            self._seen = state
            self._issued_since_seen = self._inflight
        limit, remaining, reset_at = self._state()
        if remaining is None or reset_at is None:
            return None, reset_at
        now = self._clock()
        if now >= reset_at:
            # The window the header describes is over; a fresh one has the full limit.
            left = limit if limit is not None else remaining
            return left - self._inflight, None
        return remaining - self._issued_since_seen, reset_at

    def _wait(self, seconds: float) -> None:
        seconds = min(max(seconds, 0.0), self.max_wait)
        if seconds <= 0:
            return
        self.waits += 1
        self.wait_seconds += seconds
        if self.on_wait is not None:
            self.on_wait(seconds)
        self._sleep(seconds)

    def acquire(self) -> None:
        """Block until one more call fits in the window; hold the lock while waiting so every
        other thread waits for the same reset."""
        with self._lock:
            left, reset_at = self._estimate()
            if left is not None and reset_at is not None and left <= self.reserve:
                self._wait(reset_at - self._clock() + RESET_MARGIN)
                # The window is over: the next response tells the new budget.
                self._seen = getattr(self.client, "rate_limit", None)
                self._issued_since_seen = self._inflight
            self._inflight += 1
            self._issued_since_seen += 1
            self.calls += 1

    def release(self) -> None:
        with self._lock:
            self._inflight -= 1

    # -- calls ----------------------------------------------------------------------------

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` paced, retried after the reset on 429 (as often as needed)."""
        for _attempt in range(MAX_RATE_LIMITED_RETRIES):
            self.acquire()
            try:
                return fn(*args, **kwargs)
            except RateLimited as exc:
                with self._lock:
                    self.rate_limited += 1
                    _, _, reset_at = self._state()
                    wait = exc.retry_after
                    if wait is None and reset_at is not None:
                        wait = reset_at - self._clock()
                    self._wait((wait if wait is not None else 1.0) + RESET_MARGIN)
            finally:
                self.release()
        raise RuntimeError("Calendly kept answering 429 Too Many Requests; giving up")
