"""How far a listing sorted by ``start_time:asc`` got, so it can start again from there.

Calendly's page tokens expire (``PageTokenExpired``), and a listing cannot continue from a
refused token. A scheduled-events listing in ascending start-time order can instead be
listed again from the last start time reached. Whether ``min_start_time`` is inclusive is
not documented (REFERENCE.md section 7), so the new listing starts one microsecond earlier
(it then holds that start time either way) and ``seen`` drops what was had before: events
that start earlier, and those already had at the last start time. Used by
``scheduled_events.iter`` and the pull sync.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .validation import format_datetime

#: What ``min_start_time`` is moved back by, so that it holds the last start time.
RESTART_MARGIN = timedelta(microseconds=1)


def _start(item: Mapping[str, Any]) -> datetime | None:
    value = item.get("start_time")
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


@dataclass
class StartTimePosition:
    """The last start time had and the URIs of the events had at it."""

    start_time: datetime | None = None
    uris: set[str] = field(default_factory=set)

    def seen(self, item: Mapping[str, Any]) -> bool:
        """Whether ``item`` was had already (an earlier start, or this one and its URI)."""
        start = _start(item)
        if self.start_time is None or start is None:
            return False
        return start < self.start_time or (
            start == self.start_time and str(item.get("uri")) in self.uris
        )

    def advance(self, item: Mapping[str, Any]) -> None:
        """Record ``item`` as had (items come in ascending start time)."""
        start = _start(item)
        if start is None:
            return
        if self.start_time is None or start > self.start_time:
            self.start_time, self.uris = start, set()
        self.uris.add(str(item.get("uri")))

    def restart_from(self) -> str | None:
        """The ``min_start_time`` of a listing that starts again here (``None``: no position)."""
        if self.start_time is None:
            return None
        return format_datetime(self.start_time - RESTART_MARGIN)

    @property
    def marker(self) -> tuple[datetime | None, int]:
        """Changes whenever something new is had: a restart without progress keeps it."""
        return self.start_time, len(self.uris)

    def to_dict(self) -> dict[str, Any]:
        if self.start_time is None:
            return {}
        return {"start_time": format_datetime(self.start_time), "uris": sorted(self.uris)}

    @classmethod
    def from_dict(cls, data: Any) -> StartTimePosition:
        """The position ``to_dict`` wrote (an empty one for anything else)."""
        if not isinstance(data, Mapping):
            return cls()
        start = _start(data)
        uris = data.get("uris")
        if start is None or not isinstance(uris, list):
            return cls()
        return cls(start, {str(u) for u in uris})


__all__ = ["RESTART_MARGIN", "StartTimePosition"]
