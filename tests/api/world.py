"""Real identifiers from the sandbox, and the table of the 26 endpoints with a valid call each."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django_calendly.client import CalendlyClient
from django_calendly.sandbox import Sandbox

BASE = "/modules/calendly/"


def last(uri: str) -> str:
    return uri.rstrip("/").rsplit("/", 1)[-1]


@dataclass
class World:
    org_uri: str
    org_uuid: str
    user_uri: str
    user_uuid: str
    event_uri: str
    event_uuid: str
    invitee_uri: str
    event_type_uri: str
    schedule_uuid: str
    membership_uuid: str
    invitation_uuid: str
    webhook_uuid: str
    no_show_uuid: str

    @staticmethod
    def times(days: float = 2) -> tuple[str, str]:
        start = datetime.now(UTC) + timedelta(hours=1)
        return start.isoformat(), (start + timedelta(days=days)).isoformat()


def build_world(sb: Sandbox, client: CalendlyClient) -> World:
    org_uuid = last(sb.organization_uri)
    invitee = sb.book()
    event_uri = invitee["event"]
    no_show = client.no_shows.create(sb.book()["uri"])
    webhooks = client.webhooks.list(organization=sb.organization_uri, scope="organization")
    if webhooks.items:
        webhook = webhooks.items[0]
    else:
        webhook = client.webhooks.create(
            url="http://127.0.0.1:9/hook",
            events=["invitee.created"],
            organization=sb.organization_uri,
            scope="organization",
        )
    memberships = client.memberships.list(organization=sb.organization_uri, role="user")
    if not memberships.items:  # earlier tests removed them: add a plain member
        with sb.store.lock:
            tag = uuid.uuid4().hex[:8]
            sb.store.add_user(f"Member {tag}", f"m-{tag}@example.com", "user", "UTC",
                              sb.store.now())
        memberships = client.memberships.list(organization=sb.organization_uri, role="user")
    invitation = client.organizations.invite(org_uuid, f"w-{uuid.uuid4().hex[:10]}@example.com")
    return World(
        org_uri=sb.organization_uri,
        org_uuid=org_uuid,
        user_uri=sb.user_uri,
        user_uuid=last(sb.user_uri),
        event_uri=event_uri,
        event_uuid=last(event_uri),
        invitee_uri=invitee["uri"],
        event_type_uri=client.event_types.list(organization=sb.organization_uri).items[0]["uri"],
        schedule_uuid=last(client.availability.list_schedules(sb.user_uri)[0]["uri"]),
        membership_uuid=last(memberships.items[0]["uri"]),
        invitation_uuid=last(invitation["uri"]),
        webhook_uuid=last(webhook["uri"]),
        no_show_uuid=last(no_show["uri"]),
    )


@dataclass(frozen=True)
class Endpoint:
    number: int
    name: str
    method: str
    write: bool
    call: Callable[[World], tuple[str, dict[str, Any] | None]]
    path_uuid: bool = False  # the path carries a uuid

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.method}-{self.name}"


def _range(w: World, days: float) -> dict[str, Any]:
    start, end = w.times(days)
    return {"start_time": start, "end_time": end}


ENDPOINTS: list[Endpoint] = [
    Endpoint(1, "user-details", "get", False, lambda w: (f"user/details/{w.user_uuid}/", None),
             True),
    Endpoint(2, "event-types", "get", False,
             lambda w: ("event/types/", {"organization": w.org_uri})),
    Endpoint(3, "event-type", "get", False,
             lambda w: (f"single/event/types/{last(w.event_type_uri)}/", None), True),
    Endpoint(4, "event-type-available-times", "get", False,
             lambda w: ("event/type/available-times/",
                        {"event_type": w.event_type_uri, **_range(w, 3)})),
    Endpoint(5, "user-busy-times", "get", False,
             lambda w: ("user/busy-times/", {"user": w.user_uri, **_range(w, 3)})),
    Endpoint(6, "availability-schedules", "get", False,
             lambda w: ("user-availability-schedules/", {"user": w.user_uri})),
    Endpoint(7, "availability-schedule", "get", False,
             lambda w: (f"user-availability-schedules/{w.schedule_uuid}/", None), True),
    Endpoint(8, "remove-invitees", "delete", True,
             lambda w: ("remove/invitees/", {"emails": ["gone@example.com"]})),
    Endpoint(9, "invitations", "get", False,
             lambda w: (f"organizations/{w.org_uuid}/invitations/list/", {}), True),
    Endpoint(10, "invite", "post", True,
             lambda w: (f"organizations/{w.org_uuid}/invitations/",
                        {"email": f"x-{uuid.uuid4().hex[:10]}@example.com"}),
             True),
    Endpoint(11, "revoke-invitation", "delete", True,
             lambda w: (f"organization/{w.org_uuid}/revoke/invitation/{w.invitation_uuid}/",
                        None), True),
    Endpoint(12, "invitation", "get", False,
             lambda w: (f"organization/{w.org_uuid}/invitation/{w.invitation_uuid}/", None),
             True),
    Endpoint(13, "membership", "get", False,
             lambda w: (f"organization/membership/{w.membership_uuid}/", None), True),
    Endpoint(14, "memberships", "get", False,
             lambda w: ("organization/memberships/list/", {"organization": w.org_uri})),
    Endpoint(15, "remove-membership", "delete", True,
             lambda w: (f"organization/membership/{w.membership_uuid}/delete/", None), True),
    Endpoint(16, "event-invitees", "get", False,
             lambda w: (f"scheduled/events/{w.event_uuid}/invitees/", {}), True),
    Endpoint(17, "scheduled-events", "get", False,
             lambda w: ("scheduled/events/list/", {"organization": w.org_uri})),
    Endpoint(18, "scheduled-event", "get", False,
             lambda w: (f"scheduled/events/{w.event_uuid}/", None), True),
    Endpoint(19, "cancel-event", "post", True,
             lambda w: (f"scheduled/events/{w.event_uuid}/cancellation/", {}), True),
    Endpoint(20, "create-no-show", "post", True,
             lambda w: ("invitee-no-show/", {"invitee": w.invitee_uri})),
    Endpoint(21, "no-show", "get", False,
             lambda w: (f"invitee-no-show/{w.no_show_uuid}/", None), True),
    Endpoint(22, "delete-no-show", "delete", True,
             lambda w: (f"invitee-no-show/{w.no_show_uuid}/delete/", None), True),
    Endpoint(23, "create-webhook-subscription", "post", True,
             lambda w: ("webhook/subscription/", {
                 "url": f"http://127.0.0.1:9/hooks/{uuid.uuid4().hex}",
                 "events": ["invitee.created", "invitee.canceled"],
                 "organization": w.org_uri,
                 "scope": "organization",
             })),
    Endpoint(24, "webhook-subscriptions", "get", False,
             lambda w: ("webhook/subscriptions/list/",
                        {"organization": w.org_uri, "scope": "organization"})),
    Endpoint(25, "webhook-subscription", "get", False,
             lambda w: (f"webhook/subscription/{w.webhook_uuid}/", None), True),
    Endpoint(26, "delete-webhook-subscription", "delete", True,
             lambda w: (f"webhook/subscription/{w.webhook_uuid}/delete/", None), True),
]


def send(client: Any, endpoint: Endpoint, world: World, *, slash: bool = True) -> Any:
    path, data = endpoint.call(world)
    url = BASE + (path if slash else path.rstrip("/"))
    method = getattr(client, endpoint.method)
    if endpoint.method == "get":
        return method(url, data or {})
    return method(url, data or {}, format="json")
