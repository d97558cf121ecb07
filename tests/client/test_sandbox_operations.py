"""Every client operation against the sandbox over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from django_calendly.client import CalendlyClient, Page, errors


def test_users(sandbox, sb_client):
    me = sb_client.users.me()
    assert me["uri"] == sandbox.user_uri
    assert me["current_organization"] == sandbox.organization_uri
    assert sb_client.users.get(me["uri"]) == me
    assert sb_client.users.get(me["uri"].rsplit("/", 1)[1]) == me


def test_organization_and_invitations(sandbox, sb_client):
    org_uuid = sandbox.organization_uri.rsplit("/", 1)[1]
    org = sb_client.organizations.get(org_uuid)
    assert org["uri"] == sandbox.organization_uri

    invited = sb_client.organizations.invite(org_uuid, "new.person@example.com")
    assert invited["email"] == "new.person@example.com"
    assert invited["status"] == "pending"

    page = sb_client.organizations.list_invitations(
        org_uuid, status="pending", sort="created_at:desc", count=100)
    assert invited["uri"] in [i["uri"] for i in page.items]
    listed = list(sb_client.organizations.iter_invitations(org_uuid, count=1))
    assert invited["uri"] in [i["uri"] for i in listed]
    assert len(listed) == len(sb_client.organizations.list_invitations(org_uuid).items)

    uuid = invited["uri"].rsplit("/", 1)[1]
    assert sb_client.organizations.get_invitation(org_uuid, uuid) == invited
    assert sb_client.organizations.get_invitation(org_uuid, invited["uri"]) == invited
    assert sb_client.organizations.revoke_invitation(org_uuid, uuid) is None
    with pytest.raises(errors.NotFound):
        sb_client.organizations.get_invitation(org_uuid, uuid)


def test_memberships(sandbox, sb_client):
    page = sb_client.memberships.list(organization=sandbox.organization_uri)
    assert isinstance(page, Page) and page.items
    everyone = list(sb_client.memberships.iter(organization=sandbox.organization_uri, count=1))
    assert len(everyone) == len(page.items)
    mine = sb_client.memberships.list(user=sandbox.user_uri).items
    assert [m["role"] for m in mine] == ["owner"]
    member = next(m for m in everyone if m["role"] == "user")
    uuid = member["uri"].rsplit("/", 1)[1]
    assert sb_client.memberships.get(uuid)["uri"] == member["uri"]
    assert sb_client.memberships.delete(member["uri"]) is None
    with pytest.raises(errors.NotFound):
        sb_client.memberships.get(uuid)


def test_event_types(sandbox, sb_client):
    by_user = sb_client.event_types.list(user=sandbox.user_uri, sort="name:asc")
    assert by_user.items
    names = [e["name"] for e in by_user.items]
    assert names == sorted(names)
    active = sb_client.event_types.list(organization=sandbox.organization_uri, active=True,
                                        count=100)
    assert all(e["active"] for e in active.items)
    all_of_org = list(sb_client.event_types.iter(organization=sandbox.organization_uri, count=2))
    assert len(all_of_org) >= len(active.items)
    first = by_user.items[0]
    assert sb_client.event_types.get(first["uri"].rsplit("/", 1)[1]) == first


def test_availability(sandbox, sb_client):
    event_type = next(e for e in sb_client.event_types.iter(user=sandbox.user_uri)
                      if e["active"])
    start = datetime.now(UTC) + timedelta(days=1)
    slots = sb_client.availability.event_type_available_times(
        event_type["uri"], start, start + timedelta(days=7))
    assert slots and all(s["status"] == "available" for s in slots)
    busy = sb_client.availability.user_busy_times(
        sandbox.user_uri, start.isoformat(), (start + timedelta(days=7)).isoformat())
    assert isinstance(busy, list)
    schedules = sb_client.availability.list_schedules(sandbox.user_uri)
    assert schedules
    assert sb_client.availability.get_schedule(schedules[0]["uri"]) == schedules[0]


def test_scheduled_events_invitees_and_no_shows(sandbox, sb_client):
    events = sb_client.scheduled_events.list(
        organization=sandbox.organization_uri, status="active", sort="start_time:desc",
        count=10)
    assert len(events.items) == 10
    starts = [e["start_time"] for e in events.items]
    assert starts == sorted(starts, reverse=True)
    event = events.items[0]
    event_uuid = event["uri"].rsplit("/", 1)[1]
    assert sb_client.scheduled_events.get(event_uuid) == event

    invitees = sb_client.invitees.list(event_uuid, count=100, sort="created_at:asc")
    assert invitees.items
    assert list(sb_client.invitees.iter(event["uri"], count=1)) == invitees.items
    invitee = invitees.items[0]
    assert sb_client.invitees.get(invitee["uri"]) == invitee
    assert sb_client.invitees.get(event_uuid, invitee["uri"].rsplit("/", 1)[1]) == invitee
    by_email = sb_client.scheduled_events.list(
        organization=sandbox.organization_uri, invitee_email=invitee["email"])
    assert event["uri"] in [e["uri"] for e in by_email.items]

    no_show = sb_client.no_shows.create(invitee["uri"])
    assert no_show["invitee"] == invitee["uri"]
    assert sb_client.no_shows.get(no_show["uri"]) == no_show
    assert sb_client.no_shows.delete(no_show["uri"].rsplit("/", 1)[1]) is None
    with pytest.raises(errors.NotFound):
        sb_client.no_shows.get(no_show["uri"])

    cancellation = sb_client.scheduled_events.cancel(event_uuid, reason="Double booked")
    assert cancellation["reason"] == "Double booked"
    assert sb_client.scheduled_events.get(event_uuid)["status"] == "canceled"
    canceled = sb_client.invitees.list(event_uuid, status="canceled").items
    assert invitee["uri"] in [i["uri"] for i in canceled]


def test_scheduled_events_time_window(sandbox, sb_client):
    everything = list(sb_client.scheduled_events.iter(organization=sandbox.organization_uri))
    starts = sorted(e["start_time"] for e in everything)
    low, high = starts[5], starts[-5]
    window = list(sb_client.scheduled_events.iter(
        organization=sandbox.organization_uri,
        min_start_time=datetime.fromisoformat(low), max_start_time=high))
    assert window
    assert all(low <= e["start_time"] <= high for e in window)
    assert len(window) < len(everything)


def test_data_compliance(sandbox, sb_client):
    invitee = next(iter(sandbox.store.invitees.values()))
    assert isinstance(sb_client.data_compliance.delete_invitee_data([invitee["email"]]), dict)
    assert sandbox.stats()["requests"]["POST /data_compliance/deletion/invitees"] == 1


def test_webhooks(sandbox, sb_client):
    org = sandbox.organization_uri
    hook = sb_client.webhooks.create(
        url="http://127.0.0.1:9/hook", events=["invitee.created", "invitee.canceled"],
        organization=org, scope="user", user=sandbox.user_uri, signing_key="k1")
    assert hook["callback_url"] == "http://127.0.0.1:9/hook"
    assert hook["scope"] == "user" and hook["state"] == "active"
    assert "signing_key" not in hook
    with pytest.raises(errors.Conflict):
        sb_client.webhooks.create(url="http://127.0.0.1:9/hook", events=["invitee.created"],
                                  organization=org, scope="user", user=sandbox.user_uri)
    listed = sb_client.webhooks.list(organization=org, scope="user", user=sandbox.user_uri)
    assert [h["uri"] for h in listed.items] == [hook["uri"]]
    assert list(sb_client.webhooks.iter(organization=org, scope="user",
                                        user=sandbox.user_uri)) == listed.items
    assert sb_client.webhooks.get(hook["uri"]) == hook
    sample = sb_client.webhooks.sample("invitee.created", org, "organization")
    assert sample["event"] == "invitee.created" and "payload" in sample
    assert sb_client.webhooks.delete(hook["uri"].rsplit("/", 1)[1]) is None
    with pytest.raises(errors.NotFound):
        sb_client.webhooks.get(hook["uri"])


def test_pagination_over_more_than_three_pages(sandbox, sb_client):
    sandbox.reset_stats()
    items = list(sb_client.scheduled_events.iter(organization=sandbox.organization_uri, count=7))
    assert len(items) == 40
    assert len({e["uri"] for e in items}) == 40
    assert sandbox.stats()["requests"]["GET /scheduled_events"] == 6  # ceil(40 / 7)
    first = sb_client.scheduled_events.list(organization=sandbox.organization_uri, count=7)
    second = sb_client.scheduled_events.list(organization=sandbox.organization_uri, count=7,
                                             page_token=first.next_page_token)
    assert first.previous_page_token is None
    assert second.previous_page_token is not None
    assert second.items == items[7:14]
    back = sb_client.scheduled_events.list(organization=sandbox.organization_uri, count=7,
                                           page_token=second.previous_page_token)
    assert back.items == first.items


def test_raw_request(sandbox, sb_client):
    body = sb_client.request("GET", "/users/me")
    assert body["resource"]["uri"] == sandbox.user_uri
    page = sb_client.request("GET", "/scheduled_events",
                             params={"organization": sandbox.organization_uri, "count": 2})
    nxt = page["pagination"]["next_page"]
    assert nxt.startswith(sandbox.url)
    assert sb_client.request("GET", nxt)["collection"]


def test_sequential_calls_use_one_tcp_connection(sandbox, sb_client):
    sandbox.reset_stats()
    for _ in range(20):
        sb_client.users.me()
    sb_client.scheduled_events.list(organization=sandbox.organization_uri)
    assert sandbox.stats()["connections"] == 1
    assert sandbox.stats()["total_requests"] == 21


def test_one_client_shared_by_threads(sandbox, sb_client):
    from concurrent.futures import ThreadPoolExecutor

    sandbox.reset_stats()
    event_uris = [e["uri"] for e in sb_client.scheduled_events.list(
        organization=sandbox.organization_uri, count=40).items]
    with ThreadPoolExecutor(max_workers=4) as pool:
        fetched = list(pool.map(lambda uri: sb_client.scheduled_events.get(uri), event_uris))
    assert [e["uri"] for e in fetched] == event_uris
    assert 1 <= sandbox.stats()["connections"] <= 4  # pooled: at most one per thread


def test_client_works_standalone_with_a_context_manager(sandbox):
    with CalendlyClient(token=sandbox.token, base_url=sandbox.url, trust_env=False) as client:
        assert client.users.me()["uri"] == sandbox.user_uri
    assert client.is_closed
