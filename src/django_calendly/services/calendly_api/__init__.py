"""Use cases of the REST endpoints: one function per Calendly operation.

Each takes the Django user the call is made for (``actor``; ``get_client`` decides whose
Calendly credentials serve it) and already validated arguments, and returns what the client
returns.
Kept separate from the views so other code (admin actions, commands) can reuse them and the
OAuth work changes only ``get_client``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction

from ...client import Page
from ...client import errors as calendly_errors
from .. import webhooks
from ..clients import get_client
from ..errors import LocalRecordFailed
from ..mirror import last_segment

logger = logging.getLogger("django_calendly.api")

Resource = dict[str, Any]


def get_user(actor: Any, uuid: str) -> Resource:
    return get_client(actor).users.get(uuid)


def list_event_types(actor: Any, **filters: Any) -> Page:
    return get_client(actor).event_types.list(**filters)


def get_event_type(actor: Any, uuid: str) -> Resource:
    return get_client(actor).event_types.get(uuid)


def event_type_available_times(
    actor: Any, *, event_type: str, start_time: str, end_time: str
) -> list[Resource]:
    return get_client(actor).availability.event_type_available_times(
        event_type, start_time, end_time
    )


def user_busy_times(actor: Any, *, user_uri: str, start_time: str, end_time: str) -> list[Resource]:
    return get_client(actor).availability.user_busy_times(user_uri, start_time, end_time)


def list_availability_schedules(actor: Any, *, user_uri: str) -> list[Resource]:
    return get_client(actor).availability.list_schedules(user_uri)


def get_availability_schedule(actor: Any, uuid: str) -> Resource:
    return get_client(actor).availability.get_schedule(uuid)


def delete_invitee_data(actor: Any, emails: list[str]) -> Resource:
    return get_client(actor).data_compliance.delete_invitee_data(emails)


def list_invitations(actor: Any, org_uuid: str, **filters: Any) -> Page:
    return get_client(actor).organizations.list_invitations(org_uuid, **filters)


def invite_user(actor: Any, org_uuid: str, email: str) -> Resource:
    return get_client(actor).organizations.invite(org_uuid, email)


def revoke_invitation(actor: Any, org_uuid: str, uuid: str) -> None:
    get_client(actor).organizations.revoke_invitation(org_uuid, uuid)


def get_invitation(actor: Any, org_uuid: str, uuid: str) -> Resource:
    return get_client(actor).organizations.get_invitation(org_uuid, uuid)


def get_membership(actor: Any, uuid: str) -> Resource:
    return get_client(actor).memberships.get(uuid)


def list_memberships(actor: Any, **filters: Any) -> Page:
    return get_client(actor).memberships.list(**filters)


def remove_membership(actor: Any, uuid: str) -> None:
    get_client(actor).memberships.delete(uuid)


def list_event_invitees(actor: Any, event_uuid: str, **filters: Any) -> Page:
    return get_client(actor).invitees.list(event_uuid, **filters)


def list_scheduled_events(actor: Any, **filters: Any) -> Page:
    return get_client(actor).scheduled_events.list(**filters)


def get_scheduled_event(actor: Any, uuid: str) -> Resource:
    return get_client(actor).scheduled_events.get(uuid)


def cancel_event(actor: Any, uuid: str, reason: str | None = None) -> Resource:
    """Cancel a scheduled event; ``reason`` is sent only when there is one."""
    return get_client(actor).scheduled_events.cancel(uuid, reason=reason or None)


def create_no_show(actor: Any, invitee_uri: str) -> Resource:
    return get_client(actor).no_shows.create(invitee_uri)


def get_no_show(actor: Any, uuid: str) -> Resource:
    return get_client(actor).no_shows.get(uuid)


def delete_no_show(actor: Any, uuid: str) -> None:
    get_client(actor).no_shows.delete(uuid)


def create_webhook_subscription(actor: Any, **fields: Any) -> Resource:
    """Create the subscription at Calendly and record it locally, so the receiver accepts
    its deliveries at once.

    Without a ``signing_key`` a fresh random one is chosen (Calendly would otherwise sign
    with a key we never see); it is stored encrypted in ``WebhookSubscription``, accepted by
    the receiver, and never returned. A key the caller chose is sent to Calendly but not
    stored as an accepted key: the receiver accepts any stored key for any delivery, so a
    caller-chosen key would let its holder forge deliveries. (Put such a key in
    ``CALENDLY_WEBHOOK_SIGNING_KEY`` if our receiver is to accept it.) If the local record
    cannot be written, the subscription is deleted at Calendly again and
    ``LocalRecordFailed`` says whether that worked.
    """
    client = get_client(actor)
    chosen = fields.get("signing_key")
    key = chosen or webhooks.new_signing_key()
    resource = client.webhooks.create(**{**fields, "signing_key": key})
    try:
        with transaction.atomic():
            webhooks.record_subscription(
                resource,
                signing_key="" if chosen else key,
                url=fields.get("url", ""),
                scope=fields.get("scope", ""),
                organization=fields.get("organization", ""),
                events=fields.get("events") or (),
            )
    except DatabaseError as exc:
        uri = str(resource.get("uri") or "")
        logger.error("Could not record webhook subscription %s locally: %s", uri, exc)
        try:
            client.webhooks.delete(last_segment(uri))
        except calendly_errors.NotFound:
            pass
        except calendly_errors.CalendlyError as undo_exc:
            logger.error("Could not delete webhook subscription %s again: %s", uri, undo_exc)
            raise LocalRecordFailed(
                f"Calendly created the webhook subscription {uri}, but it could not be "
                f"recorded in our database ({type(exc).__name__}), and deleting it at "
                f"Calendly again failed too ({type(undo_exc).__name__}). Its deliveries "
                "will be refused: delete it (DELETE webhook/subscription/<uuid>/delete/), "
                "then create it again."
            ) from exc
        raise LocalRecordFailed(
            "Calendly created the webhook subscription, but it could not be recorded in "
            f"our database ({type(exc).__name__}), so it was deleted at Calendly again. "
            "Nothing changed; try again later."
        ) from exc
    return resource


def list_webhook_subscriptions(actor: Any, **filters: Any) -> Page:
    return get_client(actor).webhooks.list(**filters)


def get_webhook_subscription(actor: Any, uuid: str) -> Resource:
    return get_client(actor).webhooks.get(uuid)


def delete_webhook_subscription(actor: Any, uuid: str) -> None:
    """Delete the subscription at Calendly, then its local record, so its signing key is no
    longer accepted. A Calendly 404 also removes the local record (the subscription is
    gone either way) and is then raised as usual."""
    try:
        get_client(actor).webhooks.delete(uuid)
    except calendly_errors.NotFound:
        _forget_subscription(uuid)
        raise
    _forget_subscription(uuid)


def _forget_subscription(uuid: str) -> None:
    try:
        webhooks.forget_subscription(uuid)
    except DatabaseError as exc:
        logger.error("Could not delete the local record of webhook subscription %s: %s", uuid, exc)
        raise LocalRecordFailed(
            "The webhook subscription is deleted at Calendly, but its local record could "
            f"not be removed ({type(exc).__name__}), so its signing key is still accepted. "
            "Repeat the delete: Calendly will answer 404 and the record is removed then."
        ) from exc
