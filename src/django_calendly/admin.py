"""Admin: the webhook delivery log (with a working replay), the subscriptions this app
created (never showing their signing keys), read-only views of the local mirror, and the
users' Calendly connections (never showing their tokens), and the pull sync's state per
scope and actor."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from .models import (
    CalendlyConnection,
    EventType,
    Invitee,
    InviteeNoShow,
    RoutingFormSubmission,
    ScheduledEvent,
    SyncState,
    WebhookDelivery,
    WebhookSubscription,
)
from .services.webhooks import replay_deliveries


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return format_html("<pre>{}</pre>", value)
    text = json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    return format_html('<pre style="white-space: pre-wrap; max-width: 100em">{}</pre>', text)


class ReadOnlyAdmin(admin.ModelAdmin):
    """The mirror is written by webhooks and the sync only: editing it here would be
    overwritten by the next delivery, so the admin shows it and nothing more."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ("id", "event", "resource_uri", "status", "attempts", "received_at",
                    "processed_at")
    list_filter = ("status", "event")
    search_fields = ("resource_uri", "idempotency_key", "event", "last_error")
    date_hierarchy = "received_at"
    readonly_fields = ("event", "status", "attempts", "calendly_created_at", "resource_uri",
                       "idempotency_key", "received_at", "processed_at", "last_error_text",
                       "pretty_body", "pretty_headers")
    exclude = ("body", "headers", "last_error")
    actions = ["replay_selected"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)  # pruning the log is allowed

    @admin.display(description="body")
    def pretty_body(self, obj: WebhookDelivery) -> str:
        return _pretty(obj.body)

    @admin.display(description="headers")
    def pretty_headers(self, obj: WebhookDelivery) -> str:
        return _pretty(obj.headers)

    @admin.display(description="last error")
    def last_error_text(self, obj: WebhookDelivery) -> str:
        return format_html("<pre>{}</pre>", obj.last_error) if obj.last_error else "-"

    def has_replay_permission(self, request: HttpRequest) -> bool:
        # Replaying re-runs processing and the host's signal handlers: more than viewing.
        return bool(request.user.is_superuser) or request.user.has_perm(
            "calendly.change_webhookdelivery"
        )

    @admin.action(
        description="Replay selected deliveries (process them again now)",
        permissions=["replay"],
    )
    def replay_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        ids = list(queryset.order_by("received_at", "id").values_list("id", flat=True))
        counts = replay_deliveries(ids)
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        level = messages.WARNING if counts.get("failed") else messages.SUCCESS
        self.message_user(request, f"Replayed {len(ids)} deliveries: {summary}.", level)


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("uri", "callback_url", "scope", "state", "created_at")
    list_filter = ("scope", "state")
    search_fields = ("uri", "callback_url", "organization", "user")
    fields = ("uri", "callback_url", "scope", "organization", "user", "group", "events",
              "state", "created_at", "has_signing_key")
    readonly_fields = fields

    @admin.display(boolean=True, description="signing key stored (encrypted)")
    def has_signing_key(self, obj: WebhookSubscription) -> bool:
        return bool(obj.signing_key)


class MirrorAdmin(ReadOnlyAdmin):
    exclude = ("calendly_data",)

    @admin.display(description="Calendly data")
    def pretty_data(self, obj: Any) -> str:
        return _pretty(obj.calendly_data)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [f.name for f in self.model._meta.fields if f.name != "calendly_data"]
        return [*names, "pretty_data"]


class VisibleMirrorAdmin(MirrorAdmin):
    """A mirror admin showing each staff user what ``services.visibility`` lets them read
    (superusers: every row), so the admin cannot show more than the local API does."""

    def visible(self, scope: Any) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        if getattr(request.user, "is_superuser", False):
            return super().get_queryset(request)
        from .services.visibility import local_scope

        ids = self.visible(local_scope(request.user)).values("pk")
        return super().get_queryset(request).filter(pk__in=ids)


@admin.register(EventType)
class EventTypeAdmin(VisibleMirrorAdmin):
    list_display = ("name", "slug", "active", "duration", "owner", "calendly_updated_at")
    list_filter = ("active", "kind")
    search_fields = ("name", "slug", "uri", "owner", "scheduling_url")

    def visible(self, scope: Any) -> QuerySet[Any]:
        from .services.visibility import visible_event_types

        return visible_event_types(scope)


@admin.register(ScheduledEvent)
class ScheduledEventAdmin(VisibleMirrorAdmin):
    list_display = ("name", "status", "start_time", "owner", "invitees_active")
    list_filter = ("status",)
    search_fields = ("name", "uri", "uuid", "owner", "event_type")
    date_hierarchy = "start_time"

    def visible(self, scope: Any) -> QuerySet[Any]:
        from .services.visibility import visible_events

        return visible_events(scope)


@admin.register(Invitee)
class InviteeAdmin(VisibleMirrorAdmin):
    list_display = ("email", "name", "status", "rescheduled", "event", "calendly_created_at")
    list_filter = ("status", "rescheduled")
    search_fields = ("email", "name", "uri", "uuid", "event")
    list_select_related = False

    def visible(self, scope: Any) -> QuerySet[Any]:
        from .services.visibility import visible_invitees

        return visible_invitees(scope)


@admin.register(InviteeNoShow)
class InviteeNoShowAdmin(MirrorAdmin):
    list_display = ("uri", "invitee", "calendly_created_at", "deleted_at")
    search_fields = ("uri", "invitee")


@admin.register(RoutingFormSubmission)
class RoutingFormSubmissionAdmin(MirrorAdmin):
    list_display = ("uri", "routing_form", "calendly_created_at")
    search_fields = ("uri", "routing_form")


@admin.register(CalendlyConnection)
class CalendlyConnectionAdmin(ReadOnlyAdmin):
    """Who connected which Calendly account; the tokens themselves are never shown."""

    list_display = ("user", "owner", "organization", "expires_at", "refreshed_at", "healthy",
                    "webhook_status")
    list_filter = ("webhook_status",)
    list_select_related = ("user",)
    search_fields = ("owner", "organization")
    fields = ("user", "owner", "organization", "scope", "expires_at", "connected_at",
              "refreshed_at", "last_error", "webhook_status", "webhook_error",
              "webhook_checked_at")
    readonly_fields = fields

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting forgets the tokens (the user can connect again); it does not revoke them
        # at Calendly: the disconnect view does both.
        return bool(request.user.is_superuser)

    @admin.display(boolean=True, description="usable")
    def healthy(self, obj: CalendlyConnection) -> bool:
        return obj.is_usable


@admin.register(SyncState)
class SyncStateAdmin(ReadOnlyAdmin):
    """Each scope's sync by each actor: a connection's own row, or the app token's."""

    list_display = ("scope", "scope_uri", "actor", "status", "last_started_at",
                    "last_finished_at")
    list_filter = ("status", "scope", ("connection", admin.EmptyFieldListFilter))
    list_select_related = ("connection__user",)
    search_fields = ("scope_uri", "last_error")
    fields = ("scope", "scope_uri", "connection", "status", "window_start", "window_end",
              "resume_token", "last_started_at", "last_finished_at", "counts", "last_error")
    readonly_fields = fields

    @admin.display(description="actor", ordering="connection")
    def actor(self, obj: SyncState) -> str:
        return str(obj.connection) if obj.connection_id else "app token"
