"""The sandbox's rate limits: a fixed window per key (as Calendly counts per user), and a
log of what each key was served, for tests and benchmarks to check a client's pacing.

``FixedWindows.hit(key, limit, window, now)`` admits a request or refuses it (429) and says
what is left; the log keeps, per key, its recent windows (start, limit, served, refused)
and the most requests served in any span of ``window`` seconds, whatever its alignment
(a client that stays under the limit in every fixed window can still serve twice the limit
across the boundary of two windows; one that stays under it in every span cannot).
The caller serializes calls (the sandbox's stats lock).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

#: Closed windows kept per key (a day of one-minute windows).
HISTORY = 1440


@dataclass
class Window:
    start: float
    limit: int
    served: int = 0
    refused: int = 0
    logged: bool = True  # hit since the log was last cleared

    def as_list(self) -> list[float | int]:
        return [round(self.start, 3), self.limit, self.served, self.refused]


@dataclass
class _Key:
    current: Window | None = None
    closed: deque[Window] = field(default_factory=lambda: deque(maxlen=HISTORY))
    recent: deque[float] = field(default_factory=deque)  # served within the last span
    max_in_span: int = 0
    served: int = 0
    refused: int = 0


class FixedWindows:
    def __init__(self) -> None:
        self._keys: dict[str, _Key] = {}

    def hit(self, key: str, limit: int, window: float, now: float) -> tuple[bool, int, float]:
        """Admit one request of ``key`` at ``now``: ``(refused, remaining, reset)``, where
        ``reset`` is the seconds until its window ends."""
        state = self._keys.setdefault(key, _Key())
        current = state.current
        if current is None or now - current.start >= window or current.limit != limit:
            if current is not None:
                state.closed.append(current)
            current = state.current = Window(now, limit)
        reset = current.start + window - now
        current.logged = True
        if current.served >= limit:
            current.refused += 1
            state.refused += 1
            return True, 0, reset
        current.served += 1
        state.served += 1
        recent = state.recent
        recent.append(now)
        while recent and recent[0] <= now - window:
            recent.popleft()
        state.max_in_span = max(state.max_in_span, len(recent))
        return False, limit - current.served, reset

    def close_all(self) -> None:
        """End every current window (the limit or the window changed): the next request
        of each key opens a new one. The log stays."""
        for state in self._keys.values():
            if state.current is not None:
                state.closed.append(state.current)
                state.current = None

    def clear_log(self) -> None:
        """Forget the log (``reset_stats``); the current windows go on counting (one hit
        again shows in the log with everything it counted)."""
        for state in self._keys.values():
            state.closed.clear()
            state.recent.clear()
            state.max_in_span = state.served = state.refused = 0
            if state.current is not None:
                state.current.logged = False

    def report(self) -> dict[str, Any]:
        """Per key: ``served``, ``refused`` (429s), ``max_served_in_window``,
        ``max_in_any_span`` (the most served in any ``window`` seconds) and ``windows``:
        ``[start, limit, served, refused]`` per window, oldest first (``start`` on the
        sandbox clock)."""
        out: dict[str, Any] = {}
        for key, state in self._keys.items():
            current = state.current
            windows = [*state.closed, *([current] if current and current.logged else [])]
            if not windows and not state.served:
                continue
            out[key] = {
                "served": state.served,
                "refused": state.refused,
                "max_served_in_window": max((w.served for w in windows), default=0),
                "max_in_any_span": state.max_in_span,
                "windows": [w.as_list() for w in windows],
            }
        return out
