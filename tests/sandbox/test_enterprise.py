"""Enterprise reads and deletions: activity log, outgoing communications, deletion of
scheduled-event data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from django_calendly.sandbox import Sandbox

from .test_scheduling_api import book, owner_event_type, slots


def test_activity_log(sb: Sandbox, api: httpx.Client, member_api: httpx.Client) -> None:
    org = {"organization": sb.organization_uri}
    body = api.get("/activity_log_entries", params={**org, "count": 1000}).json()
    entries = body["collection"]
    assert len(entries) == 36 == body["total_count"]
    times = [e["occurred_at"] for e in entries]
    assert times == sorted(times, reverse=True)  # default occurred_at:desc
    assert body["last_event_time"] == times[0]
    assert api.get("/activity_log_entries", params={**org, "count": 1001}).status_code == 400
    assert api.get("/activity_log_entries", params={**org, "count": 0}).status_code == 400
    users = api.get("/activity_log_entries", params={**org, "namespace": "User"}).json()
    assert users["collection"] and {e["namespace"] for e in users["collection"]} == {"User"}
    both = api.get("/activity_log_entries",
                   params={**org, "action[]": "Add,Create", "count": 100}).json()
    assert {e["action"] for e in both["collection"]} == {"Add", "Create"}
    by_actor = api.get("/activity_log_entries",
                       params={**org, "actor": sb.user_uri, "count": 100}).json()
    assert len(by_actor["collection"]) == 18
    searched = api.get("/activity_log_entries",
                       params={**org, "search_term": "adam", "count": 100}).json()
    assert searched["collection"] and all(
        e["actor"]["display_name"] == "Adam Admin" for e in searched["collection"])
    window = api.get("/activity_log_entries", params={
        **org, "min_occurred_at": times[5], "max_occurred_at": times[2]}).json()
    assert [e["occurred_at"] for e in window["collection"]] == times[2:6]
    by_name = api.get("/activity_log_entries",
                      params={**org, "sort": "actor.display_name:asc", "count": 100}).json()
    names = [e["actor"]["display_name"] for e in by_name["collection"]]
    assert names == sorted(names)
    assert api.get("/activity_log_entries", params={**org, "sort": "uri:asc"}).status_code == 400
    assert api.get("/activity_log_entries").json()["details"][0]["parameter"] == (
        "organization")
    assert member_api.get("/activity_log_entries", params=org).status_code == 403


def test_outgoing_communications_record_bookings(sb: Sandbox, api: httpx.Client) -> None:
    org = {"organization": sb.organization_uri}
    before = api.get("/outgoing_communications", params={**org, "count": 100}).json()
    assert len(before["collection"]) == 12
    et = owner_event_type(sb)
    invitee = book(api, et["uri"], slots(api, et["uri"])[0]).json()["resource"]
    after = api.get("/outgoing_communications", params={**org, "count": 100}).json()
    assert after["collection"][0]["invitee"] == invitee["uri"]  # newest first
    assert after["collection"][0]["recipient"] == invitee["email"]
    recent = api.get("/outgoing_communications",
                     params={**org, "min_created_at": invitee["created_at"]}).json()
    assert [c["invitee"] for c in recent["collection"]] == [invitee["uri"]]
    bad = api.get("/outgoing_communications", params={**org, "max_created_at": "x"})
    assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == (
        "max_created_at")


def test_delete_event_data(sb: Sandbox, api: httpx.Client, member_api: httpx.Client) -> None:
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=40)).isoformat(), (now - timedelta(hours=1)).isoformat()
    past = [e for e in sb.store.events.values() if e["start_time"] < end.replace("+00:00", "")]
    assert past
    victim = past[0]
    cases = [
        ({"start_time": start}, "end_time"),
        ({"end_time": end}, "start_time"),
        ({"start_time": end, "end_time": start}, "end_time"),
        ({"start_time": start, "end_time": (now + timedelta(days=1)).isoformat()}, "end_time"),
        ({"start_time": (now - timedelta(days=800)).isoformat(), "end_time": end}, "end_time"),
        ({"start_time": 5, "end_time": end}, "start_time"),
    ]
    for body, parameter in cases:
        response = api.post("/data_compliance/deletion/events", json=body)
        assert response.status_code == 400, body
        assert response.json()["details"][0]["parameter"] == parameter, body
    assert member_api.post("/data_compliance/deletion/events",
                           json={"start_time": start, "end_time": end}).status_code == 403
    done = api.post("/data_compliance/deletion/events", json={"start_time": start,
                                                              "end_time": end})
    assert done.status_code == 202 and done.json() == {}
    assert api.get(f"/scheduled_events/{victim['uri'].rsplit('/', 1)[1]}").status_code == 404
    listed = api.get("/scheduled_events", params={
        "organization": sb.organization_uri, "max_start_time": end, "count": 100}).json()
    assert all(e["start_time"] < start.replace("+00:00", "") for e in listed["collection"])


def test_invitee_data_has_no_100_address_cap(sb: Sandbox, api: httpx.Client) -> None:
    emails = [f"user{i}@example.com" for i in range(150)]
    assert api.post("/data_compliance/deletion/invitees",
                    json={"emails": emails}).status_code == 202


def test_writes_are_logged(sb: Sandbox, api: httpx.Client) -> None:
    made = api.post("/event_types", json={"owner": sb.user_uri, "name": "Logged"}).json()
    org = sb.organization_uri.rsplit("/", 1)[1]
    api.post(f"/organizations/{org}/invitations", json={"email": "logged@example.com"})
    entries = api.get("/activity_log_entries", params={
        "organization": sb.organization_uri, "action": "Create,Invite", "count": 100,
        "min_occurred_at": made["resource"]["created_at"]}).json()["collection"]
    assert [e["fully_qualified_name"] for e in entries] == ["User.Invite", "EventType.Create"]
    assert entries[1]["details"]["event_type"] == made["resource"]["uri"]
    assert entries[0]["actor"]["uri"] == sb.user_uri
