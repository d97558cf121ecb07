"""Input serializers of the event-type and sharing endpoints (event types, hosts,
availability rules, one-off event types, scheduling links, shares, locations).

The fields give the JSON types and the schema; each serializer's ``validate`` then runs the
client's own checks (``client.resources.event_types.event_type_settings``,
``shares.share_settings``, ``validation``), so the REST layer refuses exactly what the client
would, with a 400 naming the field, before any call to Calendly (REFERENCE.md section 9).
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..client import validation as v
from ..client.resources.event_types import (
    AVAILABILITY_SETTINGS,
    MAX_NAME,
    check_availability_rule,
    event_type_settings,
)
from ..client.resources.shares import share_settings
from .serializers import AvailableTimesQuery, EventTypesQuery, PagingQuery, UriField, _checked

_SETTING_NAMES = (
    "name", "duration", "duration_options", "locations", "color", "locale", "active",
    "description",
)


def _duration(**kwargs: Any) -> serializers.IntegerField:
    kwargs.setdefault("help_text", "Minutes, 1-720.")
    return serializers.IntegerField(min_value=1, max_value=720, **kwargs)


def _duration_options() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=720),
        required=False,
        allow_empty=False,
        min_length=1,
        max_length=v.MAX_DURATION_OPTIONS,
        help_text="At most 4 unique durations (minutes, 1-720) the invitee chooses from.",
    )


class _EventTypeSettings(serializers.Serializer):
    """The fields a one-on-one event type is created or changed with."""

    duration = _duration(required=False)
    duration_options = _duration_options()
    locations = serializers.ListField(
        child=serializers.DictField(), required=False,
        help_text="Calendly location objects, e.g. {\"kind\": \"zoom_conference\"}.",
    )
    color = serializers.CharField(
        required=False, max_length=7, help_text="Hex colour such as #1a2b3c."
    )
    locale = serializers.CharField(required=False, max_length=20, help_text="e.g. en, fr.")
    active = serializers.BooleanField(required=False)
    description = serializers.CharField(
        required=False, max_length=10_000, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        values = {name: attrs.get(name) for name in _SETTING_NAMES}
        return _checked(lambda: event_type_settings(**values), "name") | {
            key: value for key, value in attrs.items() if key not in _SETTING_NAMES
        }


class EventTypeCreateBody(_EventTypeSettings):
    owner = UriField("user", help_text="Calendly user URI of the owner (host).")
    name = serializers.CharField(max_length=MAX_NAME)


class EventTypeUpdateBody(_EventTypeSettings):
    name = serializers.CharField(required=False, max_length=MAX_NAME)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {"name": [f"Give at least one field to change ({', '.join(_SETTING_NAMES)})."]}
            )
        return super().validate(attrs)


class EventTypeListQuery(EventTypesQuery):
    """The original list's parameters plus Calendly's other two filters."""

    admin_managed = serializers.BooleanField(required=False, allow_null=True, default=None)
    user_availability_schedule = UriField(
        "availability_schedule", required=False,
        help_text="Only event types using this availability schedule (URI).",
    )


class TimeRangeQuery(AvailableTimesQuery):
    """``start_time``/``end_time`` of ``event-types/<uuid>/available-times/``: the event
    type is the path's."""

    event_type = None  # type: ignore[assignment]


class AvailabilityPatchBody(serializers.Serializer):
    availability_rule = serializers.DictField(
        help_text="{timezone, rules[], user?}: replaces the event type's rules."
    )
    availability_setting = serializers.ChoiceField(
        choices=AVAILABILITY_SETTINGS, required=False, default="host"
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _checked(lambda: check_availability_rule(attrs["availability_rule"]),
                 "availability_rule")
        return attrs


class OneOffEventTypeBody(serializers.Serializer):
    name = serializers.CharField(max_length=v.MAX_ONE_OFF_NAME)
    host = UriField("user", help_text="Calendly user URI of the host.")
    duration = _duration()
    date_setting = serializers.DictField(
        help_text="When it can be booked, e.g. {\"type\": \"date_range\", \"start_date\": "
        "\"2027-01-04\", \"end_date\": \"2027-01-08\"}."
    )
    co_hosts = serializers.ListField(
        child=UriField("user"), required=False, help_text="Calendly user URIs."
    )
    timezone = serializers.CharField(required=False, max_length=100)
    location = serializers.DictField(required=False)


class SchedulingLinkBody(serializers.Serializer):
    owner = UriField("event_type", help_text="Event type URI the link books (once).")


class ShareBody(serializers.Serializer):
    event_type = UriField("event_type", help_text="One-on-one event type URI.")
    name = serializers.CharField(required=False, max_length=v.MAX_SHARE_NAME)
    duration = _duration(required=False)
    duration_options = _duration_options()
    period_type = serializers.ChoiceField(choices=v.SHARE_PERIOD_TYPES, required=False)
    start_date = serializers.CharField(required=False, max_length=10, help_text="YYYY-MM-DD.")
    end_date = serializers.CharField(required=False, max_length=10, help_text="YYYY-MM-DD.")
    max_booking_time = serializers.IntegerField(required=False, min_value=1)
    hide_location = serializers.BooleanField(required=False)
    location_configurations = serializers.ListField(
        child=serializers.DictField(), required=False
    )
    availability_rule = serializers.DictField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        fields = {key: value for key, value in attrs.items() if key != "event_type"}
        checked = _checked(lambda: share_settings(**fields), "event_type")
        return {"event_type": attrs["event_type"], **checked}


class LocationsQuery(PagingQuery):
    user = UriField("user")


__all__ = [
    "AvailabilityPatchBody",
    "EventTypeCreateBody",
    "EventTypeListQuery",
    "EventTypeUpdateBody",
    "LocationsQuery",
    "OneOffEventTypeBody",
    "SchedulingLinkBody",
    "ShareBody",
    "TimeRangeQuery",
]
