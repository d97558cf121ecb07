"""Use cases of the event-type endpoints (``event-types/...``, ``one-off-event-types/``):
create, change and read event types, their hosts and availability rules.

A created or changed event type is written to the local mirror at once (``mirror``), so
``local/event-types/`` shows it before the ``event_type.created``/``updated`` webhook
arrives; the webhook then upserts the same row (keyed by URI), so both converge.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, transaction

from ...client import Page
from .. import mirror
from ..clients import get_client
from ..connections import connection_for
from ..sync import local_organization

logger = logging.getLogger("django_calendly.api")

Resource = dict[str, Any]


def own_calendly_user(actor: Any) -> str:
    """The Calendly user URI of ``actor``'s own connection ("" without one): whose event
    types they may create and change without the write permission."""
    connection = connection_for(actor)
    return str(connection.owner or "") if connection is not None else ""


def event_type_owner(actor: Any, uuid: str) -> str:
    """The owner (``profile.owner``) of an event type, read with ``actor``'s credentials."""
    resource = get_client(actor).event_types.get(uuid)
    profile = resource.get("profile")
    return str(profile.get("owner") or "") if isinstance(profile, dict) else ""


def _mirror(actor: Any, resource: Resource) -> None:
    """Upsert the event type into the mirror. The write to Calendly already happened, so a
    database failure is logged, not raised: the webhook or the next sync writes the row."""
    connection = connection_for(actor)
    organization = (connection.organization if connection is not None else "") or (
        local_organization()
    )
    try:
        with transaction.atomic():  # a savepoint: a failure leaves the request's transaction usable
            mirror.upsert_event_types([resource], organization)
    except DatabaseError as exc:
        logger.error(
            "Could not mirror event type %s locally: %s", resource.get("uri", ""), exc
        )


def list_event_types(actor: Any, **filters: Any) -> Page:
    return get_client(actor).event_types.list(**filters)


def get_event_type(actor: Any, uuid: str) -> Resource:
    return get_client(actor).event_types.get(uuid)


def create_event_type(actor: Any, **fields: Any) -> Resource:
    resource = get_client(actor).event_types.create(**fields)
    _mirror(actor, resource)
    return resource


def update_event_type(actor: Any, uuid: str, **fields: Any) -> Resource:
    resource = get_client(actor).event_types.update(uuid, **fields)
    _mirror(actor, resource)
    return resource


def create_one_off_event_type(actor: Any, **fields: Any) -> Resource:
    return get_client(actor).event_types.create_one_off(**fields)


def list_hosts(actor: Any, event_type_uri: str, **paging: Any) -> Page:
    return get_client(actor).event_types.list_memberships(event_type=event_type_uri, **paging)


def get_availability(actor: Any, event_type_uri: str) -> list[Resource]:
    return get_client(actor).event_types.get_availability_schedules(event_type_uri)


def update_availability(
    actor: Any, event_type_uri: str, availability_rule: dict[str, Any],
    availability_setting: str = "host",
) -> dict[str, Any]:
    return get_client(actor).event_types.update_availability_schedules(
        event_type_uri, availability_rule, availability_setting
    )


def available_times(
    actor: Any, event_type_uri: str, *, start_time: str, end_time: str
) -> list[Resource]:
    return get_client(actor).availability.event_type_available_times(
        event_type_uri, start_time, end_time
    )
