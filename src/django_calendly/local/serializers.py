"""Shapes of the local read API (and its query parameters)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..api.serializers import UriField, in_range
from ..client import validation as v
from ..models import EventType, Invitee, ScheduledEvent


def _iso(value: datetime | None) -> str | None:
    """What DRF's DateTimeField renders (ISO-8601, ``Z`` for UTC), without its overhead."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


class InviteeSerializer(serializers.ModelSerializer):
    created_at = serializers.DateTimeField(source="calendly_created_at")
    updated_at = serializers.DateTimeField(source="calendly_updated_at")

    class Meta:
        model = Invitee
        fields = [
            "uri", "uuid", "email", "name", "status", "rescheduled", "old_invitee",
            "new_invitee", "no_show", "canceled_at", "created_at", "updated_at", "synced_at",
        ]


class InviteesCounterSerializer(serializers.Serializer):
    total = serializers.IntegerField(source="invitees_total")
    active = serializers.IntegerField(source="invitees_active")


class ScheduledEventSerializer(serializers.ModelSerializer):
    invitees_counter = InviteesCounterSerializer(source="*")
    created_at = serializers.DateTimeField(source="calendly_created_at")
    updated_at = serializers.DateTimeField(source="calendly_updated_at")

    class Meta:
        model = ScheduledEvent
        fields = [
            "uri", "uuid", "name", "status", "start_time", "end_time", "event_type", "owner",
            "organization", "invitees_counter", "created_at", "updated_at", "synced_at",
        ]

    def to_representation(self, instance: ScheduledEvent) -> dict[str, Any]:
        # The declared fields document the shape; this renders it directly, several times
        # faster than field-by-field serialization on a list page.
        return {
            "uri": instance.uri,
            "uuid": instance.uuid,
            "name": instance.name,
            "status": instance.status,
            "start_time": _iso(instance.start_time),
            "end_time": _iso(instance.end_time),
            "event_type": instance.event_type,
            "owner": instance.owner,
            "organization": instance.organization,
            "invitees_counter": {
                "total": instance.invitees_total,
                "active": instance.invitees_active,
            },
            "created_at": _iso(instance.calendly_created_at),
            "updated_at": _iso(instance.calendly_updated_at),
            "synced_at": _iso(instance.synced_at),
        }


class ScheduledEventDetailSerializer(ScheduledEventSerializer):
    invitees = serializers.SerializerMethodField()
    calendly = serializers.JSONField(
        source="calendly_data", help_text="The event as Calendly last sent it."
    )

    class Meta(ScheduledEventSerializer.Meta):
        fields = [*ScheduledEventSerializer.Meta.fields, "calendly", "invitees"]

    def to_representation(self, instance: ScheduledEvent) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["calendly"] = instance.calendly_data
        data["invitees"] = self.get_invitees(instance)
        return data

    @extend_schema_field(InviteeSerializer(many=True))
    def get_invitees(self, obj: ScheduledEvent) -> list[dict[str, Any]]:
        invitees = self.context.get("invitees", [])
        return list(InviteeSerializer(invitees, many=True).data)


class EventTypeSerializer(serializers.ModelSerializer):
    created_at = serializers.DateTimeField(source="calendly_created_at")
    updated_at = serializers.DateTimeField(source="calendly_updated_at")

    class Meta:
        model = EventType
        fields = [
            "uri", "uuid", "name", "slug", "active", "kind", "duration", "scheduling_url",
            "owner", "organization", "created_at", "updated_at", "synced_at",
        ]


class BoundedDateTimeField(serializers.DateTimeField):
    """DRF's date-time (a naive one is in the project's zone), within the REST API's years."""

    def to_internal_value(self, value: Any) -> datetime:
        return in_range(super().to_internal_value(value))


class ScheduledEventQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[ScheduledEvent.STATUS_ACTIVE, ScheduledEvent.STATUS_CANCELED], required=False
    )
    min_start_time = BoundedDateTimeField(
        required=False, help_text="Events starting at or after this time (ISO-8601)."
    )
    max_start_time = BoundedDateTimeField(
        required=False, help_text="Events starting before this time (ISO-8601)."
    )
    invitee_email = serializers.EmailField(
        required=False, help_text="Events with an invitee of this email (any case)."
    )
    event_type = UriField("event_type", required=False)
    cursor = serializers.CharField(required=False, help_text="Page cursor from `next`.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_start_time"), attrs.get("max_start_time")
        try:  # the same rule as the REST API's scheduled-events list
            v.validate_start_time_bounds(low, high)
        except ValueError as exc:
            raise serializers.ValidationError({"max_start_time": [str(exc)]}) from None
        return attrs


class EventTypeQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)
