"""Input of the booking endpoint (``POST invitees/``): Calendly's ``POST /invitees`` body,
checked before anything is sent, with the client's own checks (``client.validation``) so
the REST layer and the client agree on what Calendly accepts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rest_framework import serializers

from ..client import validation as v
from .serializers import AwareDateTimeField, UriField, _checked

MAX_NAME = 255
MAX_TEXT = 1024
#: Calendly's tracking parameters (REFERENCE.md, POST /invitees).
TRACKING_KEYS = (
    "utm_campaign", "utm_source", "utm_medium", "utm_content", "utm_term", "salesforce_uuid",
)


class BookingInviteeSerializer(serializers.Serializer):
    """The person booking: ``email``, ``timezone`` and ``name`` (or first and last name)."""

    email = serializers.CharField(max_length=254)
    timezone = serializers.CharField(
        max_length=100, help_text="IANA time zone, e.g. Europe/Berlin."
    )
    name = serializers.CharField(max_length=MAX_NAME, required=False)
    first_name = serializers.CharField(max_length=MAX_NAME, required=False)
    last_name = serializers.CharField(max_length=MAX_NAME, required=False)
    text_reminder_number = serializers.CharField(
        max_length=32,
        required=False,
        help_text="Phone number for text reminders, e.g. +14155551234.",
    )

    def validate_email(self, value: str) -> str:
        return _checked(lambda: v.validate_email(value, "email"))

    def validate_timezone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ValueError, ZoneInfoNotFoundError):
            raise serializers.ValidationError(
                "Must be an IANA time zone such as America/New_York."
            ) from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("name") and not (attrs.get("first_name") and attrs.get("last_name")):
            raise serializers.ValidationError(
                {"name": ["Give name, or first_name and last_name."]}
            )
        return attrs


class QuestionAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=MAX_TEXT)
    answer = serializers.CharField(max_length=MAX_TEXT, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False)


class TrackingSerializer(serializers.Serializer):
    utm_campaign = serializers.CharField(max_length=MAX_NAME, required=False)
    utm_source = serializers.CharField(max_length=MAX_NAME, required=False)
    utm_medium = serializers.CharField(max_length=MAX_NAME, required=False)
    utm_content = serializers.CharField(max_length=MAX_NAME, required=False)
    utm_term = serializers.CharField(max_length=MAX_NAME, required=False)
    salesforce_uuid = serializers.CharField(max_length=MAX_NAME, required=False)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(TRACKING_KEYS))
            if unknown:
                raise serializers.ValidationError(
                    {key: [f"Unknown tracking key; allowed: {', '.join(TRACKING_KEYS)}."]
                     for key in unknown}
                )
        return super().to_internal_value(data)


class LocationSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=100, help_text="One of the event type's location kinds, e.g. zoom_conference."
    )
    location = serializers.CharField(max_length=MAX_TEXT, required=False)


class BookingBody(serializers.Serializer):
    """``POST invitees/``: book ``invitee`` into ``event_type`` at ``start_time``."""

    event_type = UriField("event_type")
    start_time = AwareDateTimeField(
        help_text="A start time from GET event/type/available-times/ (ISO-8601, future)."
    )
    invitee = BookingInviteeSerializer()
    location = LocationSerializer(required=False)
    questions_and_answers = QuestionAnswerSerializer(  # type: ignore[call-arg]  # ListSerializer
        many=True, required=False, max_length=50
    )
    tracking = TrackingSerializer(required=False)
    event_guests = serializers.ListField(
        child=serializers.CharField(max_length=254),
        required=False,
        max_length=v.MAX_EVENT_GUESTS,
        help_text=f"Guest email addresses, at most {v.MAX_EVENT_GUESTS}.",
    )

    def validate_start_time(self, value: datetime) -> datetime:
        if value <= datetime.now(UTC):
            raise serializers.ValidationError("Must be in the future.")
        return value

    def validate_event_guests(self, value: list[str]) -> list[str]:
        return _checked(lambda: v.validate_emails(value, "event_guests"))



def client_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The validated body as ``client.invitees.create`` keyword arguments."""
    out: dict[str, Any] = {
        "event_type": data["event_type"],
        "start_time": data["start_time"],
        "invitee": dict(data["invitee"]),
    }
    if "location" in data:
        out["location"] = dict(data["location"])
    if "questions_and_answers" in data:
        out["questions_and_answers"] = [dict(item) for item in data["questions_and_answers"]]
    if "tracking" in data:
        out["tracking"] = dict(data["tracking"])
    if "event_guests" in data:
        out["event_guests"] = list(data["event_guests"])
    return out


class BookingSerializer(serializers.Serializer):
    """The answer: the invitee Calendly created and its scheduled event (documentation)."""

    resource = serializers.DictField(help_text="The invitee, as Calendly returned it.")
    scheduled_event = serializers.DictField(
        allow_null=True,
        help_text="Its scheduled event; null only if Calendly booked but it could not be read "
        "back.",
    )


__all__ = ["BookingBody", "BookingInviteeSerializer", "BookingSerializer", "client_fields"]
