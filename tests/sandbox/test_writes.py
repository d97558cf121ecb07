"""State changes through the API and permissions."""

from __future__ import annotations

import httpx

from django_calendly.sandbox import Sandbox


def uuid(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def future_event(sb: Sandbox, host: str | None = None) -> dict:
    now = sb.store.now()
    return next(
        e for e in sb.store.events.values()
        if e["status"] == "active" and e["start_time"] > now
        and (host is None or e["event_memberships"][0]["user"] == host)
    )


def test_cancel_event(sb: Sandbox, api: httpx.Client) -> None:
    event = future_event(sb)
    path = f"/scheduled_events/{uuid(event['uri'])}/cancellation"
    response = api.post(path, json={"reason": "Sick"})
    assert response.status_code == 201
    cancellation = response.json()["resource"]
    assert cancellation["reason"] == "Sick" and cancellation["canceler_type"] == "host"
    got = api.get(f"/scheduled_events/{uuid(event['uri'])}").json()["resource"]
    assert got["status"] == "canceled" and got["cancellation"]["reason"] == "Sick"
    invitees = api.get(f"/scheduled_events/{uuid(event['uri'])}/invitees").json()["collection"]
    assert invitees and all(i["status"] == "canceled" for i in invitees)
    again = api.post(path, json={})
    assert again.status_code == 403
    assert again.json()["message"] == "Event is already canceled"
    too_long = api.post(f"/scheduled_events/{uuid(future_event(sb)['uri'])}/cancellation",
                        json={"reason": "x" * 10001})
    assert too_long.status_code == 400


def test_member_permissions(sb: Sandbox, member_api: httpx.Client) -> None:
    org = uuid(sb.organization_uri)
    assert member_api.get("/scheduled_events",
                          params={"organization": sb.organization_uri}).status_code == 403
    assert member_api.get("/scheduled_events", params={"user": sb.user_uri}).status_code == 403
    me = member_api.get("/users/me").json()["resource"]["uri"]
    mine = member_api.get("/scheduled_events", params={"user": me})
    assert mine.status_code == 200
    assert member_api.get(f"/organizations/{org}/invitations").status_code == 403
    assert member_api.post(f"/organizations/{org}/invitations",
                           json={"email": "x@example.com"}).status_code == 403
    membership = next(iter(sb.store.memberships.values()))
    assert member_api.delete(f"/organization_memberships/{uuid(membership['uri'])}").status_code \
        == 403
    body = {"url": "http://127.0.0.1:9/h", "events": ["invitee.created"],
            "organization": sb.organization_uri, "scope": "organization"}
    assert member_api.post("/webhook_subscriptions", json=body).status_code == 403
    owner_event = future_event(sb, sb.user_uri)
    assert member_api.post(f"/scheduled_events/{uuid(owner_event['uri'])}/cancellation",
                           json={}).status_code == 403


def test_invitations(sb: Sandbox, api: httpx.Client) -> None:
    org = uuid(sb.organization_uri)
    listed = api.get(f"/organizations/{org}/invitations", params={"status": "pending"}).json()
    assert len(listed["collection"]) == 3
    created = api.post(f"/organizations/{org}/invitations", json={"email": "new@example.com"})
    assert created.status_code == 201
    invitation = created.json()["resource"]
    assert invitation["status"] == "pending" and invitation["email"] == "new@example.com"
    dup = api.post(f"/organizations/{org}/invitations", json={"email": "NEW@example.com"})
    assert dup.status_code == 400
    assert dup.json() == {"title": "Already Invited",
                          "message": "NEW@example.com has already been invited"}
    member = api.post(f"/organizations/{org}/invitations", json={"email": "admin@sandbox.example"})
    assert member.status_code == 400 and member.json()["title"] == "Already Organization Member"
    bad = api.post(f"/organizations/{org}/invitations", json={"email": "nope"})
    assert bad.status_code == 400 and bad.json()["title"] == "Invalid Email"
    assert api.post(f"/organizations/{org}/invitations", json={}).status_code == 400
    path = f"/organizations/{org}/invitations/{uuid(invitation['uri'])}"
    assert api.get(path).json()["resource"] == invitation
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    by_email = api.get(f"/organizations/{org}/invitations", params={"email": "new@example.com"})
    assert by_email.json()["collection"] == []


def test_memberships(sb: Sandbox, api: httpx.Client) -> None:
    body = api.get("/organization_memberships",
                   params={"organization": sb.organization_uri, "count": 2}).json()
    assert len(body["collection"]) == 2 and body["pagination"]["next_page_token"]
    owner = api.get("/organization_memberships", params={"user": sb.user_uri}).json()
    assert [m["role"] for m in owner["collection"]] == ["owner"]
    assert api.get("/organization_memberships").status_code == 400
    users = api.get("/organization_memberships", params={"organization": sb.organization_uri,
                                                         "role": "user"}).json()["collection"]
    assert users and all(m["role"] == "user" for m in users)
    owner_path = f"/organization_memberships/{uuid(owner['collection'][0]['uri'])}"
    assert api.delete(owner_path).status_code == 403
    member_path = f"/organization_memberships/{uuid(users[0]['uri'])}"
    assert api.get(member_path).json()["resource"] == users[0]
    assert api.delete(member_path).status_code == 204
    assert api.get(member_path).status_code == 404


def test_no_shows(sb: Sandbox, api: httpx.Client) -> None:
    invitee = next(iter(sb.store.invitees.values()))
    created = api.post("/invitee_no_shows", json={"invitee": invitee["uri"]})
    assert created.status_code == 201
    no_show = created.json()["resource"]
    assert no_show["invitee"] == invitee["uri"]
    path = f"/invitee_no_shows/{uuid(no_show['uri'])}"
    assert api.get(path).json()["resource"] == no_show
    event_uuid = invitee["event"].rsplit("/", 1)[1]
    invitee_path = f"/scheduled_events/{event_uuid}/invitees/{uuid(invitee['uri'])}"
    assert api.get(invitee_path).json()["resource"]["no_show"]["uri"] == no_show["uri"]
    assert api.post("/invitee_no_shows", json={"invitee": invitee["uri"]}).status_code == 400
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert api.get(invitee_path).json()["resource"]["no_show"] is None
    bad = api.post("/invitee_no_shows", json={"invitee": "https://example.com/x"})
    assert bad.status_code == 400 and bad.json()["details"][0]["parameter"] == "invitee"


def test_data_compliance(sb: Sandbox, api: httpx.Client) -> None:
    invitee = next(iter(sb.store.invitees.values()))
    response = api.post("/data_compliance/deletion/invitees", json={"emails": [invitee["email"]]})
    assert response.status_code == 202
    assert all(i["email"] != invitee["email"] for i in sb.store.invitees.values())
    event_uuid = invitee["event"].rsplit("/", 1)[1]
    assert api.get(f"/scheduled_events/{event_uuid}/invitees/{uuid(invitee['uri'])}") \
        .status_code == 404
    sb.configure(plan="standard")
    refused = api.post("/data_compliance/deletion/invitees", json={"emails": ["a@b.c"]})
    assert refused.status_code == 403
    assert refused.json()["message"] == "Please upgrade your Calendly account to Enterprise."


def test_availability(sb: Sandbox, api: httpx.Client) -> None:
    from datetime import UTC, datetime, timedelta

    start = datetime.now(UTC) + timedelta(minutes=5)
    et = next(e for e in sb.store.event_types.values() if e["active"])
    params = {"event_type": et["uri"], "start_time": start.isoformat(),
              "end_time": (start + timedelta(days=7)).isoformat()}
    slots = api.get("/event_type_available_times", params=params).json()
    assert slots["collection"] and "pagination" not in slots
    assert slots["collection"][0]["status"] == "available"
    too_long = {**params, "end_time": (start + timedelta(days=32)).isoformat()}
    assert api.get("/event_type_available_times", params=too_long).status_code == 400
    past = {**params, "start_time": (start - timedelta(days=2)).isoformat()}
    assert api.get("/event_type_available_times", params=past).json()["details"][0][
        "parameter"] == "start_time"
    busy = api.get("/user_busy_times", params={
        "user": sb.user_uri, "start_time": start.isoformat(),
        "end_time": (start + timedelta(days=7)).isoformat()})
    assert busy.status_code == 200
    assert all(b["type"] == "calendly" for b in busy.json()["collection"])
    eight = api.get("/user_busy_times", params={
        "user": sb.user_uri, "start_time": start.isoformat(),
        "end_time": (start + timedelta(days=8)).isoformat()})
    assert eight.status_code == 400
    schedules = api.get("/user_availability_schedules", params={"user": sb.user_uri}).json()
    schedule = schedules["collection"][0]
    assert schedule["user"] == sb.user_uri and schedule["rules"]
    assert api.get(f"/user_availability_schedules/{uuid(schedule['uri'])}").json()[
        "resource"] == schedule
    assert api.get("/user_availability_schedules").status_code == 400


def test_python_side_changes_show_in_api(sb: Sandbox, api: httpx.Client) -> None:
    invitee = sb.book(email="jane@example.com", name="Jane Roe")
    event_uuid = invitee["event"].rsplit("/", 1)[1]
    assert api.get(f"/scheduled_events/{event_uuid}").json()["resource"]["status"] == "active"
    touched = sb.touch_event(invitee["event"], name="Renamed")
    got = api.get(f"/scheduled_events/{event_uuid}").json()["resource"]
    assert got["name"] == "Renamed" and got["updated_at"] == touched["updated_at"]
    old, new = sb.reschedule(invitee["uri"])
    assert old["rescheduled"] and old["new_invitee"] == new["uri"]
    assert new["old_invitee"] == old["uri"] and new["email"] == "jane@example.com"
    assert api.get(f"/scheduled_events/{event_uuid}").json()["resource"]["status"] == "canceled"
    sb.cancel_invitee(new["uri"], reason="No longer needed")
    assert sb.store.invitees[uuid(new["uri"])]["status"] == "canceled"
