"""``data_compliance.*``: invitee and event data deletion (Enterprise)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from .. import validation as v
from .base import DateTime, ResourceGroup


def _plus_years(value: datetime, years: int) -> datetime:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def check_event_data_range(start_time: DateTime, end_time: DateTime) -> tuple[str, str]:
    """The range ``delete_event_data`` accepts, as UTC strings: in the past and at most 24
    months long (REFERENCE.md section 7). Shared with the REST serializer, so both refuse
    the same ranges."""
    start, end = v.validate_time_range(start_time, end_time)
    start_dt = v.parse_datetime(start, "start_time")
    end_dt = v.parse_datetime(end, "end_time")
    if end_dt > datetime.now(UTC):
        raise v.InvalidArgument("end_time must be in the past.", "end_time")
    if end_dt > _plus_years(start_dt, v.MAX_EVENT_DATA_DELETION_MONTHS // 12):
        raise v.InvalidArgument(
            f"end_time must be at most {v.MAX_EVENT_DATA_DELETION_MONTHS} months after "
            "start_time.",
            "end_time",
        )
    return start, end


class DataCompliance(ResourceGroup):
    """``/data_compliance/deletion/*`` (Enterprise plans; asynchronous, up to 7 days)."""

    def delete_invitee_data(self, emails: Iterable[str]) -> dict[str, Any]:
        """``POST /data_compliance/deletion/invitees`` (202, asynchronous).
        Scope ``data_compliance:write``."""
        body = self._client.request(
            "POST", "/data_compliance/deletion/invitees", json={"emails": v.validate_emails(emails)}
        )
        return body if isinstance(body, dict) else {}

    def delete_event_data(self, start_time: DateTime, end_time: DateTime) -> dict[str, Any]:
        """``POST /data_compliance/deletion/events`` (202): delete the scheduled-event data
        of a past range of at most 24 months. Scope ``data_compliance:write``.

        Refused before sending: a range reaching into the future, or longer than 24
        months (REFERENCE.md section 7); Calendly would refuse it after a round trip.
        """
        start, end = check_event_data_range(start_time, end_time)
        body = self._client.request(
            "POST", "/data_compliance/deletion/events",
            json={"start_time": start, "end_time": end},
        )
        return body if isinstance(body, dict) else {}


__all__ = ["DataCompliance", "check_event_data_range"]
