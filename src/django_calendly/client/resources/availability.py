"""``availability.*``: available times, busy times and availability schedules."""

from __future__ import annotations

from .. import validation as v
from .base import DateTime, Items, Resource, ResourceGroup


class Availability(ResourceGroup):
    """Available times, busy times and availability schedules (unpaged lists)."""

    def event_type_available_times(
        self, event_type: str, start_time: DateTime, end_time: DateTime
    ) -> Items:
        """``GET /event_type_available_times`` (range at most 31 days).

        Scope ``availability:read``.
        """
        start, end = v.validate_time_range(start_time, end_time, v.AVAILABLE_TIMES_MAX_RANGE)
        params = {
            "event_type": self._uri(event_type, "event_type"),
            "start_time": start,
            "end_time": end,
        }
        return self._collection("/event_type_available_times", params)

    def user_busy_times(self, user: str, start_time: DateTime, end_time: DateTime) -> Items:
        """``GET /user_busy_times`` (range at most 7 days). Scope ``availability:read``."""
        start, end = v.validate_time_range(start_time, end_time, v.BUSY_TIMES_MAX_RANGE)
        params = {"user": self._uri(user, "user"), "start_time": start, "end_time": end}
        return self._collection("/user_busy_times", params)

    def list_schedules(self, user: str) -> Items:
        """``GET /user_availability_schedules?user=``. Scope ``availability:read``."""
        return self._collection("/user_availability_schedules", {"user": self._uri(user, "user")})

    def get_schedule(self, uuid: str) -> Resource:
        """``GET /user_availability_schedules/{uuid}``. Scope ``availability:read``."""
        uuid = self._uuid(uuid, "availability_schedule")
        return self._get(f"/user_availability_schedules/{uuid}")


__all__ = ["Availability"]
