"""Time helpers: Calendly's timestamp format and a clock tests can move forward."""

from __future__ import annotations

import math
import threading
import time
from datetime import UTC, datetime, timedelta

from .errors import invalid

#: Bounds of ``clock_rate``: slower would overflow a timer's wait, faster runs a day of
#: retries in under a tenth of a second of real time.
MIN_RATE = 1e-3
MAX_RATE = 1e6


class Clock:
    """Sandbox time: wall time running at ``rate`` times real speed (1: real time), plus
    the jumps tests make with :meth:`advance`, so they can expire tokens or run 24 hours
    of webhook retries without sleeping. A ``rate`` of 60 makes a sandbox minute last one
    real second: every schedule on this clock (token lifetimes, page tokens, rate-limit
    windows, webhook retries fired by real time passing) runs 60 times faster."""

    def __init__(self, rate: float = 1.0) -> None:
        self._lock = threading.Lock()
        real = time.time()
        # (real time of the anchor, sandbox time at the anchor, rate): one tuple, replaced
        # in a single assignment, so a reader never sees half of a change.
        self._anchor = (real, real, check_rate(rate))

    @property
    def rate(self) -> float:
        return self._anchor[2]

    def time(self) -> float:
        real, sandbox, rate = self._anchor
        return sandbox + (time.time() - real) * rate

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            real, sandbox, rate = self._anchor
            self._anchor = (real, sandbox + seconds, rate)

    def set_rate(self, rate: float) -> None:
        """Run at ``rate`` from now on (sandbox time does not jump)."""
        rate = check_rate(rate)
        with self._lock:
            now = time.time()
            real, sandbox, old_rate = self._anchor
            self._anchor = (now, sandbox + (now - real) * old_rate, rate)

    def real_seconds_until(self, when: float) -> float:
        """Real seconds until sandbox time reaches ``when`` (0 if it has)."""
        return max(0.0, (when - self.time()) / self.rate)


def check_rate(rate: float) -> float:
    rate = float(rate)
    if not (math.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE):
        raise ValueError(f"clock_rate must be a number from {MIN_RATE:g} to {MAX_RATE:g}")
    return rate


def iso(dt: datetime) -> str:
    """``2020-01-02T03:04:05.678123Z``: fixed width, so strings sort like the times."""
    if dt.tzinfo is not UTC:
        dt = dt.astimezone(UTC)
    return dt.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def parse_iso(value: str) -> datetime:
    """Parse a stored timestamp (always written by :func:`iso`)."""
    return datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def parse_param_time(name: str, raw: str | None, required: bool = False) -> datetime | None:
    """A date-time query parameter; naive values are read as UTC."""
    if raw is None or raw == "":
        if required:
            raise invalid(name, "is required")
        return None
    try:
        dt = datetime.fromisoformat(raw.strip().replace(" ", "+"))
    except ValueError:
        raise invalid(name, "must be a valid ISO 8601 date-time") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


__all__ = ["Clock", "iso", "parse_iso", "parse_param_time", "timedelta"]
