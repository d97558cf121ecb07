"""Use cases of the REST endpoints: one function per Calendly operation.

Each takes the Django user the call is made for (``get_client`` decides whose Calendly
credentials serve it) and already validated arguments, and returns what the client returns.
Kept separate from the views so other code (admin actions, commands) can reuse them and the
OAuth work changes only ``get_client``.
"""

from __future__ import annotations

from typing import Any

from ..client import Page
from .clients import get_client

Resource = dict[str, Any]


def get_user(user: Any, uuid: str) -> Resource:
    return get_client(user).users.get(uuid)


def list_event_types(user: Any, **filters: Any) -> Page:
    return get_client(user).event_types.list(**filters)


def get_event_type(user: Any, uuid: str) -> Resource:
    return get_client(user).event_types.get(uuid)


def event_type_available_times(
    user: Any, *, event_type: str, start_time: str, end_time: str
) -> list[Resource]:
    return get_client(user).availability.event_type_available_times(
        event_type, start_time, end_time
    )


def user_busy_times(user: Any, *, user_uri: str, start_time: str, end_time: str) -> list[Resource]:
    return get_client(user).availability.user_busy_times(user_uri, start_time, end_time)


def list_availability_schedules(user: Any, *, user_uri: str) -> list[Resource]:
    return get_client(user).availability.list_schedules(user_uri)


def get_availability_schedule(user: Any, uuid: str) -> Resource:
    return get_client(user).availability.get_schedule(uuid)


def delete_invitee_data(user: Any, emails: list[str]) -> Resource:
    return get_client(user).data_compliance.delete_invitee_data(emails)


def list_invitations(user: Any, org_uuid: str, **filters: Any) -> Page:
    return get_client(user).organizations.list_invitations(org_uuid, **filters)


def invite_user(user: Any, org_uuid: str, email: str) -> Resource:
    return get_client(user).organizations.invite(org_uuid, email)


def revoke_invitation(user: Any, org_uuid: str, uuid: str) -> None:
    get_client(user).organizations.revoke_invitation(org_uuid, uuid)


def get_invitation(user: Any, org_uuid: str, uuid: str) -> Resource:
    return get_client(user).organizations.get_invitation(org_uuid, uuid)


def get_membership(user: Any, uuid: str) -> Resource:
    return get_client(user).memberships.get(uuid)


def list_memberships(user: Any, **filters: Any) -> Page:
    return get_client(user).memberships.list(**filters)


def remove_membership(user: Any, uuid: str) -> None:
    get_client(user).memberships.delete(uuid)


def list_event_invitees(user: Any, event_uuid: str, **filters: Any) -> Page:
    return get_client(user).invitees.list(event_uuid, **filters)


def list_scheduled_events(user: Any, **filters: Any) -> Page:
    return get_client(user).scheduled_events.list(**filters)


def get_scheduled_event(user: Any, uuid: str) -> Resource:
    return get_client(user).scheduled_events.get(uuid)


def cancel_event(user: Any, uuid: str, reason: str | None = None) -> Resource:
    """Cancel a scheduled event; ``reason`` is sent only when there is one."""
    return get_client(user).scheduled_events.cancel(uuid, reason=reason or None)


def create_no_show(user: Any, invitee_uri: str) -> Resource:
    return get_client(user).no_shows.create(invitee_uri)


def get_no_show(user: Any, uuid: str) -> Resource:
    return get_client(user).no_shows.get(uuid)


def delete_no_show(user: Any, uuid: str) -> None:
    get_client(user).no_shows.delete(uuid)


def create_webhook_subscription(user: Any, **fields: Any) -> Resource:
    return get_client(user).webhooks.create(**fields)


def list_webhook_subscriptions(user: Any, **filters: Any) -> Page:
    return get_client(user).webhooks.list(**filters)


def get_webhook_subscription(user: Any, uuid: str) -> Resource:
    return get_client(user).webhooks.get(uuid)


def delete_webhook_subscription(user: Any, uuid: str) -> None:
    get_client(user).webhooks.delete(uuid)
