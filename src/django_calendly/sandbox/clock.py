"""Time helpers: Calendly's timestamp format and a clock tests can move forward."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from .errors import invalid


class Clock:
    """Wall time plus an offset, so tests can expire tokens without sleeping."""

    def __init__(self) -> None:
        self.offset = 0.0

    def time(self) -> float:
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), UTC)

    def advance(self, seconds: float) -> None:
        self.offset += seconds


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
