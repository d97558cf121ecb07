"""What of the local mirror a user may read: the local API's twin of ``get_client``.

The mirror holds the whole organization's meetings (the app's token synced them), so the
local API must not show all of it to everyone. The rule matches the REST reads (docs/
rest-api.md, "Who sees what"):

- staff, while ``CALENDLY_APP_TOKEN_FALLBACK`` lets them act with the app's token, and
  everyone when it is ``everyone``: the app's whole organization;
- a user with a Calendly connection: the rows their connection saw (its pull sync and its
  webhook subscription record that: ``services.attribution``), plus the events their
  Calendly user hosts (``owner`` or any of ``event_memberships``) and their own event
  types; the invitees of those events;
- anyone else: nothing.

Querysets are filtered here, in one place, so no view can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ..models import EventType, Invitee, ScheduledEvent
from .attribution import seen_by_connection
from .clients import may_use_app_token
from .connections import connection_for
from .sync import local_organization


@dataclass(frozen=True)
class LocalScope:
    organization: str  # "": nothing is visible
    host: str = ""  # a Calendly user URI: only what they host or own; "": the organization
    connection_id: int | None = None  # with ``host``: also what this connection saw


NOTHING = LocalScope("")


def local_scope(user: Any) -> LocalScope:
    """What ``user`` may read of the mirror (no Calendly call; at most two queries)."""
    is_staff = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))
    if is_staff and may_use_app_token(user):
        return LocalScope(local_organization())
    connection = connection_for(user)
    if connection is not None and connection.owner:
        return LocalScope(
            connection.organization or local_organization(), connection.owner, connection.pk
        )
    if may_use_app_token(user):
        return LocalScope(local_organization())
    return NOTHING


def _seen(model: Any, scope: LocalScope) -> Q:
    """The rows the scope's connection saw (a subquery: no join, no duplicates)."""
    if scope.connection_id is None:
        return Q(pk__in=[])
    return Q(pk__in=seen_by_connection(model, scope.connection_id))


def visible_events(scope: LocalScope) -> QuerySet[ScheduledEvent]:
    if not scope.organization:
        return ScheduledEvent.objects.none()
    if not scope.host:
        return ScheduledEvent.objects.filter(organization=scope.organization)
    hosted = Q(organization=scope.organization) & (
        Q(owner=scope.host) | Q(hosts__contains=f" {scope.host} ")
    )
    return ScheduledEvent.objects.filter(hosted | _seen(ScheduledEvent, scope))


def visible_invitees(scope: LocalScope) -> QuerySet[Invitee]:
    """Invitees of the visible events only."""
    return Invitee.objects.filter(event__in=visible_events(scope).values("uri"))


def visible_event_types(scope: LocalScope) -> QuerySet[EventType]:
    if not scope.organization:
        return EventType.objects.none()
    if not scope.host:
        return EventType.objects.filter(organization=scope.organization)
    owned = Q(organization=scope.organization, owner=scope.host)
    return EventType.objects.filter(owned | _seen(EventType, scope))
