"""Who sees what, per role, over real HTTP against the sandbox (docs/rest-api.md).

- anonymous: nothing (not authenticated);
- a user without a connection: no Calendly call is made for them, and the local API shows
  nothing (CALENDLY_APP_TOKEN_FALLBACK = "staff", the default);
- a user with a connection (a member's token): Calendly decides in the REST reads; the
  local API shows the events they host, those invitees and their event types;
- staff: the organization, with the app's token.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.models import CalendlyConnection, EventType, Invitee, ScheduledEvent
from django_calendly.sandbox import Sandbox
from django_calendly.services.sync import sync_scheduled_events

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db

LOCAL = f"{BASE}local/"


def as_user(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def world(sb: Sandbox, settings: Any) -> dict[str, Any]:
    """A member's own booking in the sandbox, the organization synced into the mirror, and
    a Django user for each role."""
    token, member_uri = sb.add_token(role="user")
    member_type = next(
        et for et in sb.store.event_types.values()
        if et["active"] and et["profile"]["owner"] == member_uri
    )
    booked = sb.book(member_type["uri"], email="member.guest@example.com")
    sync_scheduled_events(
        organization=sb.organization_uri,
        since=timezone.now() - timedelta(days=40),
        until=timezone.now() + timedelta(days=400),
    )
    users = get_user_model().objects
    connected = users.create_user("connected")
    CalendlyConnection.objects.create(
        user=connected, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    others = ScheduledEvent.objects.exclude(owner=member_uri)
    other_event = others.first()
    assert other_event is not None
    member_emails = set(
        Invitee.objects.filter(event__in=ScheduledEvent.objects.filter(owner=member_uri)
                               .values("uri")).values_list("email", flat=True)
    )
    other_email = next(
        e for e in Invitee.objects.filter(event=other_event.uri).values_list("email", flat=True)
        if e not in member_emails
    )
    sb.reset_stats()
    return {
        "org": sb.organization_uri,
        "member": member_uri,
        "member_event": booked["event"],
        "other_event": other_event,
        "other_email": other_email,
        "plain": as_user(users.create_user("plain")),
        "connected": as_user(connected),
        "staff": as_user(users.create_user("boss", is_staff=True)),
    }


def results(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content[:300]
    return list(response.json()["results"])


def test_anonymous_sees_nothing(sb: Sandbox, world: dict[str, Any]) -> None:
    anonymous = APIClient()
    for url in (f"{BASE}scheduled/events/list/", f"{LOCAL}scheduled-events/"):
        assert_error(anonymous.get(url, {"organization": world["org"]}), 403,
                     "not_authenticated")
    assert upstream_calls(sb) == 0


def test_a_user_without_a_connection_sees_no_organization_data(
    sb: Sandbox, world: dict[str, Any]
) -> None:
    plain = world["plain"]
    body = assert_error(
        plain.get(f"{BASE}scheduled/events/list/", {"organization": world["org"]}),
        403, "calendly_connection_required",
    )
    assert "Connect your Calendly account" in body["message"]
    uuid = world["other_event"].uuid
    assert_error(plain.get(f"{BASE}scheduled/events/{uuid}/invitees/"), 403,
                 "calendly_connection_required")
    assert upstream_calls(sb) == 0  # the app's token was never used for them
    assert results(plain.get(f"{LOCAL}scheduled-events/")) == []
    assert results(plain.get(f"{LOCAL}event-types/")) == []
    assert plain.get(f"{LOCAL}scheduled-events/{uuid}/").status_code == 404


def test_a_connected_member_sees_what_calendly_lets_their_user_see(
    sb: Sandbox, world: dict[str, Any]
) -> None:
    connected, member = world["connected"], world["member"]
    # REST: their own token; Calendly refuses the organization to a member...
    assert_error(
        connected.get(f"{BASE}scheduled/events/list/", {"organization": world["org"]}),
        403, "upstream_permission_denied",
    )
    # ...and shows them their own events.
    own = connected.get(f"{BASE}scheduled/events/list/", {"user": member})
    assert own.status_code == 200, own.content[:300]
    assert world["member_event"] in {e["uri"] for e in own.json()["collection"]}

    # Local API: the events they host, those events' invitees, their event types.
    events = results(connected.get(f"{LOCAL}scheduled-events/", {"page_size": 100}))
    assert world["member_event"] in {e["uri"] for e in events}
    assert {e["uri"] for e in events} == set(
        ScheduledEvent.objects.filter(owner=member).values_list("uri", flat=True)
    )
    other = world["other_event"]
    assert connected.get(f"{LOCAL}scheduled-events/{other.uuid}/").status_code == 404
    mine = connected.get(f"{LOCAL}scheduled-events/{world['member_event'].rsplit('/', 1)[1]}/")
    assert [i["email"] for i in mine.json()["invitees"]] == ["member.guest@example.com"]
    by_email = connected.get(f"{LOCAL}scheduled-events/", {"invitee_email": world["other_email"]})
    assert results(by_email) == []  # another host's invitee: not even their existence
    types = results(connected.get(f"{LOCAL}event-types/", {"page_size": 100}))
    assert types and {t["uri"] for t in types} == set(
        EventType.objects.filter(owner=member).values_list("uri", flat=True)
    )


def test_staff_see_the_organization(sb: Sandbox, world: dict[str, Any]) -> None:
    staff = world["staff"]
    listed = staff.get(f"{BASE}scheduled/events/list/", {"organization": world["org"]})
    assert listed.status_code == 200, listed.content[:300]
    invitees = staff.get(f"{BASE}scheduled/events/{world['other_event'].uuid}/invitees/")
    assert invitees.status_code == 200
    events = results(staff.get(f"{LOCAL}scheduled-events/", {"page_size": 100}))
    assert len(events) == ScheduledEvent.objects.count()
    assert len(results(staff.get(f"{LOCAL}event-types/", {"page_size": 100}))) == (
        EventType.objects.count()
    )


def test_a_co_host_sees_the_event_in_the_local_api(sb: Sandbox, world: dict[str, Any]) -> None:
    """Hosts are every event_membership, not only the first (owner) one."""
    other = world["other_event"]
    data = dict(other.calendly_data)
    data["event_memberships"] = [*data["event_memberships"], {"user": world["member"]}]
    data["updated_at"] = (timezone.now() + timedelta(days=1)).isoformat()
    from django_calendly.services import mirror

    mirror.upsert_scheduled_events([data], organization=world["org"])
    seen = world["connected"].get(f"{LOCAL}scheduled-events/{other.uuid}/")
    assert seen.status_code == 200
    assert world["other_email"] in [i["email"] for i in seen.json()["invitees"]]


@pytest.mark.parametrize(
    ("fallback", "plain_reads", "staff_reads"),
    [("everyone", True, True), ("staff", False, True), ("never", False, False)],
)
def test_the_app_token_fallback_setting(
    sb: Sandbox, world: dict[str, Any], settings: Any,
    fallback: str, plain_reads: bool, staff_reads: bool,
) -> None:
    settings.CALENDLY_APP_TOKEN_FALLBACK = fallback
    for who, allowed in (("plain", plain_reads), ("staff", staff_reads)):
        client = world[who]
        rest = client.get(f"{BASE}scheduled/events/list/", {"organization": world["org"]})
        assert rest.status_code == (200 if allowed else 403), (who, rest.content[:200])
        local = results(client.get(f"{LOCAL}scheduled-events/"))
        assert bool(local) is allowed, who
    # A connection is used whatever the setting says.
    own = world["connected"].get(f"{BASE}scheduled/events/list/", {"user": world["member"]})
    assert own.status_code == 200


def test_a_bad_fallback_setting_is_a_clear_error(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from django_calendly.conf import calendly_settings

    settings.CALENDLY_APP_TOKEN_FALLBACK = "anyone"
    with pytest.raises(ImproperlyConfigured, match="staff, everyone, never"):
        _ = calendly_settings.APP_TOKEN_FALLBACK
