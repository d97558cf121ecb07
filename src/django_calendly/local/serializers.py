"""Shapes of the local read API (and its query parameters)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..models import EventType, Invitee, ScheduledEvent


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


class ScheduledEventDetailSerializer(ScheduledEventSerializer):
    invitees = serializers.SerializerMethodField()
    calendly = serializers.JSONField(
        source="calendly_data", help_text="The event as Calendly last sent it."
    )

    class Meta(ScheduledEventSerializer.Meta):
        fields = [*ScheduledEventSerializer.Meta.fields, "calendly", "invitees"]

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


class ScheduledEventQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[ScheduledEvent.STATUS_ACTIVE, ScheduledEvent.STATUS_CANCELED], required=False
    )
    min_start_time = serializers.DateTimeField(
        required=False, help_text="Events starting at or after this time (ISO-8601)."
    )
    max_start_time = serializers.DateTimeField(
        required=False, help_text="Events starting before this time (ISO-8601)."
    )
    invitee_email = serializers.EmailField(
        required=False, help_text="Events with an invitee of this email (any case)."
    )
    event_type = serializers.URLField(
        required=False, max_length=500, help_text="Event type URI."
    )
    cursor = serializers.CharField(required=False, help_text="Page cursor from `next`.")
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_start_time"), attrs.get("max_start_time")
        if low and high and high < low:
            raise serializers.ValidationError(
                {"max_start_time": ["must not be before min_start_time."]}
            )
        return attrs


class EventTypeQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    cursor = serializers.CharField(required=False)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100)
