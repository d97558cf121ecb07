"""Each endpoint over HTTP to the sandbox: the success path and every validation error.

Validation errors are checked to name the parameter and to leave the sandbox's request
counters at zero (nothing invalid reaches Calendly).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from rest_framework.test import APIClient

from .conftest import assert_error, upstream_calls
from .world import BASE, last

pytestmark = pytest.mark.django_db

GROUP_URI = "https://api.calendly.com/groups/G1"  # well-formed; refused before any lookup


def future(hours: float = 1) -> str:
    return (datetime.now(UTC) + timedelta(hours=hours)).isoformat()


def assert_invalid(sb: Any, response: Any, parameter: str | None) -> dict:
    body = assert_error(response, 400, "invalid_input", parameter)
    assert upstream_calls(sb) == 0, sb.stats()["requests"]
    return body


# -- 1 user details ----------------------------------------------------------------------


def test_user_details(sb: Any, world: Any, api: APIClient) -> None:
    me = api.get(BASE + "user/details/me/")
    assert me.status_code == 200
    assert me.json()["resource"]["uri"] == sb.user_uri
    by_uuid = api.get(BASE + f"user/details/{world.user_uuid}")
    assert by_uuid.json() == me.json()


def test_user_details_unknown_is_calendly_404(sb: Any, api: APIClient) -> None:
    body = assert_error(api.get(BASE + "user/details/NOSUCHUSER0000/"), 404, "not_found")
    assert body["title"] == "Resource Not Found"


# -- 2 event types ---------------------------------------------------------------------


def test_event_types_pass_through_and_paginate_through_us(
    sb: Any, world: Any, api: APIClient, direct: Any
) -> None:
    first = api.get(BASE + "event/types/", {"organization": world.org_uri, "count": 2})
    assert first.status_code == 200
    body = first.json()
    upstream = direct.event_types.list(organization=world.org_uri, count=2).raw
    assert body["collection"] == upstream["collection"]
    pagination = body["pagination"]
    token = upstream["pagination"]["next_page_token"]
    assert pagination["next_page_token"] == token
    next_page = pagination["next_page"]
    assert next_page.startswith("http://testserver/modules/calendly/event/types/?")
    assert parse_qs(urlsplit(next_page).query) == {
        "organization": [world.org_uri], "count": ["2"], "page_token": [token],
    }
    assert pagination["previous_page"] is None
    second = api.get(next_page)
    assert second.status_code == 200
    assert second.json()["collection"] == direct.event_types.list(
        organization=world.org_uri, count=2, page_token=token
    ).items
    assert second.json()["pagination"]["previous_page"].startswith("http://testserver/")


def test_event_types_filters(sb: Any, world: Any, api: APIClient) -> None:
    response = api.get(
        BASE + "event/types/",
        {"user": world.user_uri, "active": "false", "sort": "created_at:desc", "count": 100},
    )
    assert response.status_code == 200
    assert all(not item["active"] for item in response.json()["collection"])


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "organization"),
        ({"organization": "ORG", "user": "USER"}, "user"),
        ({"organization": "ORG", "count": "0"}, "count"),
        ({"organization": "ORG", "count": "101"}, "count"),
        ({"organization": "ORG", "count": "ten"}, "count"),
        ({"organization": "ORG", "sort": "start_time:asc"}, "sort"),
        ({"organization": "ORG", "sort": "name:up"}, "sort"),
        ({"organization": "ORG", "active": "maybe"}, "active"),
        ({"organization": "USER"}, "organization"),
        ({"organization": "https://evil.example.com/organizations/ABC"}, "organization"),
        ({"organization": "https://api.calendly.com/organizations/../users/me"}, "organization"),
        ({"user": "https://api.calendly.com/users/"}, "user"),
    ],
)
def test_event_types_validation(
    params: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    subst = {"ORG": world.org_uri, "USER": world.user_uri}
    query = {k: subst.get(v, v) for k, v in params.items()}
    assert_invalid(sb, api.get(BASE + "event/types/", query), parameter)


def test_calendly_base_uris_are_accepted_too(sb: Any, world: Any, api: APIClient) -> None:
    # A URI under https://api.calendly.com passes our checks (the sandbox then says 400/404).
    response = api.get(
        BASE + "event/types/", {"organization": "https://api.calendly.com/organizations/ABC"}
    )
    assert upstream_calls(sb) == 1, response.content  # it was sent: our checks passed it


# -- 3 event type ----------------------------------------------------------------------


def test_event_type(sb: Any, world: Any, api: APIClient) -> None:
    response = api.get(BASE + f"single/event/types/{last(world.event_type_uri)}/")
    assert response.status_code == 200
    assert response.json()["resource"]["uri"] == world.event_type_uri


# -- 4 available times / 5 busy times -----------------------------------------------------


def test_available_times(sb: Any, world: Any, api: APIClient) -> None:
    response = api.get(
        BASE + "event/type/available-times/",
        {"event_type": world.event_type_uri, "start_time": future(1), "end_time": future(24 * 30)},
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"collection"}
    assert body["collection"] and body["collection"][0]["status"] == "available"


def test_busy_times(sb: Any, world: Any, api: APIClient) -> None:
    response = api.get(
        BASE + "user/busy-times/",
        {"user": world.user_uri, "start_time": future(1), "end_time": future(24 * 7)},
    )
    assert response.status_code == 200
    assert isinstance(response.json()["collection"], list)


RANGE_CASES = [
    ({"start_time": None}, "start_time"),
    ({"end_time": None}, "end_time"),
    ({"start_time": "2030-01-01T10:00:00"}, "start_time"),  # no zone
    ({"start_time": "tomorrow"}, "start_time"),
    ({"start_time": "2020-01-01T10:00:00Z"}, "start_time"),  # in the past
    ({"end_time": "START"}, "end_time"),  # not after start
]


@pytest.mark.parametrize(("change", "parameter"), [
    *RANGE_CASES,
    ({"end_time": "START+32d"}, "end_time"),
    ({"event_type": None}, "event_type"),
    ({"event_type": "USER"}, "event_type"),
])
def test_available_times_validation(
    change: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    start = future(2)
    query = {"event_type": world.event_type_uri, "start_time": start, "end_time": future(48)}
    _apply(query, change, start, world)
    assert_invalid(sb, api.get(BASE + "event/type/available-times/", query), parameter)


@pytest.mark.parametrize(("change", "parameter"), [
    *RANGE_CASES,
    ({"end_time": "START+8d"}, "end_time"),
    ({"user": None}, "user"),
    ({"user": "ORG"}, "user"),
])
def test_busy_times_validation(
    change: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    start = future(2)
    query = {"user": world.user_uri, "start_time": start, "end_time": future(48)}
    _apply(query, change, start, world)
    assert_invalid(sb, api.get(BASE + "user/busy-times/", query), parameter)


def _apply(query: dict, change: dict, start: str, world: Any) -> None:
    begin = datetime.fromisoformat(start)
    for key, value in change.items():
        if value is None:
            query.pop(key)
        elif value == "START":
            query[key] = start
        elif isinstance(value, str) and value.startswith("START+"):
            query[key] = (begin + timedelta(days=int(value[6:-1]), seconds=1)).isoformat()
        else:
            query[key] = {"USER": world.user_uri, "ORG": world.org_uri}.get(value, value)


# -- 6, 7 availability schedules -------------------------------------------------------------


def test_availability_schedules(sb: Any, world: Any, api: APIClient) -> None:
    listing = api.get(BASE + "user-availability-schedules/", {"user": world.user_uri})
    assert listing.status_code == 200
    schedule = listing.json()["collection"][0]
    one = api.get(BASE + f"user-availability-schedules/{last(schedule['uri'])}/")
    assert one.json() == {"resource": schedule}


@pytest.mark.parametrize("query", [{}, {"user": "not a uri"}, {"user": "ORG"}])
def test_availability_schedules_validation(
    query: dict, sb: Any, world: Any, api: APIClient
) -> None:
    query = {k: world.org_uri if v == "ORG" else v for k, v in query.items()}
    assert_invalid(sb, api.get(BASE + "user-availability-schedules/", query), "user")


# -- 8 remove invitees --------------------------------------------------------------------


@pytest.mark.parametrize("method", ["delete", "post"])
def test_remove_invitees(method: str, sb: Any, api: APIClient) -> None:
    response = getattr(api, method)(
        BASE + "remove/invitees/", {"emails": ["a@example.com", "b@example.com"]}, format="json"
    )
    assert response.status_code == 202
    assert sb.stats()["requests"] == {"POST /data_compliance/deletion/invitees": 1}


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "emails"),
        ({"emails": []}, "emails"),
        ({"emails": "a@example.com"}, "emails"),
        ({"emails": ["a@example.com", "not-an-email"]}, "emails[1]"),
        ([], None),
    ],
)
def test_remove_invitees_validation(
    body: Any, parameter: str | None, sb: Any, api: APIClient
) -> None:
    assert_invalid(sb, api.delete(BASE + "remove/invitees/", body, format="json"), parameter)


# -- 9-12 invitations ---------------------------------------------------------------------


def test_invitations(sb: Any, world: Any, api: APIClient) -> None:
    email = f"new-{world.invitation_uuid[:8]}@example.com"
    created = api.post(BASE + f"organizations/{world.org_uuid}/invitations/", {"email": email},
                       format="json")
    assert created.status_code == 201
    invitation = created.json()["resource"]
    assert invitation["email"] == email and invitation["status"] == "pending"
    uuid = last(invitation["uri"])
    got = api.get(BASE + f"organization/{world.org_uuid}/invitation/{uuid}/")
    assert got.json() == {"resource": invitation}
    listing = api.get(
        BASE + f"organizations/{world.org_uuid}/invitations/list/",
        {"email": email, "status": "pending", "sort": "created_at:desc", "count": 5},
    )
    assert [i["uri"] for i in listing.json()["collection"]] == [invitation["uri"]]
    revoked = api.delete(BASE + f"organization/{world.org_uuid}/revoke/invitation/{uuid}/")
    assert revoked.status_code == 204 and revoked.content == b""
    again = api.post(BASE + f"organizations/{world.org_uuid}/invitations/", {"email": email},
                     format="json")
    assert again.status_code in (201, 400)


def test_invite_existing_member_keeps_calendly_400(sb: Any, world: Any, api: APIClient) -> None:
    response = api.post(
        BASE + f"organizations/{world.org_uuid}/invitations/",
        {"email": sb.store.users[last(sb.user_uri)]["email"]},
        format="json",
    )
    # Calendly answers 400 "Already Organization Member" without details (openapi.yaml)
    body = assert_error(response, 400, "invalid_input")
    assert body["title"] == "Already Organization Member"


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"status": "open"}, "status"),
        ({"sort": "email:asc"}, "sort"),
        ({"email": "nope"}, "email"),
        ({"count": "-1"}, "count"),
        ({"page_token": "x" * 3000}, "page_token"),
    ],
)
def test_invitations_list_validation(
    query: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    url = BASE + f"organizations/{world.org_uuid}/invitations/list/"
    assert_invalid(sb, api.get(url, query), parameter)


@pytest.mark.parametrize("body", [{}, {"email": ""}, {"email": "no-at-sign"}])
def test_invite_validation(body: dict, sb: Any, world: Any, api: APIClient) -> None:
    url = BASE + f"organizations/{world.org_uuid}/invitations/"
    assert_invalid(sb, api.post(url, body, format="json"), "email")


# -- 13-15 memberships --------------------------------------------------------------------


def test_memberships(sb: Any, world: Any, api: APIClient) -> None:
    listing = api.get(BASE + "organization/memberships/list/",
                      {"organization": world.org_uri, "role": "user", "count": 100})
    assert listing.status_code == 200
    membership = listing.json()["collection"][0]
    uuid = last(membership["uri"])
    assert api.get(BASE + f"organization/membership/{uuid}/").json() == {"resource": membership}
    by_user = api.get(BASE + "organization/memberships/list/",
                      {"user": membership["user"]["uri"]})
    assert [m["uri"] for m in by_user.json()["collection"]] == [membership["uri"]]
    deleted = api.delete(BASE + f"organization/membership/{uuid}/delete/")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(api.get(BASE + f"organization/membership/{uuid}/"), 404, "not_found")


def test_owner_cannot_be_removed(sb: Any, world: Any, api: APIClient, direct: Any) -> None:
    owner = direct.memberships.list(organization=world.org_uri, role="owner").items[0]
    response = api.delete(BASE + f"organization/membership/{last(owner['uri'])}/delete/")
    assert response.status_code in (400, 403)
    assert response.json()["message"]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "organization"),
        ({"organization": "ORG", "role": "king"}, "role"),
        ({"organization": "ORG", "email": "x"}, "email"),
        ({"user": "ORG"}, "user"),
    ],
)
def test_memberships_validation(
    query: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    query = {k: world.org_uri if v == "ORG" else v for k, v in query.items()}
    assert_invalid(sb, api.get(BASE + "organization/memberships/list/", query), parameter)


# -- 16-19 scheduled events ---------------------------------------------------------------


def test_scheduled_events(sb: Any, world: Any, api: APIClient, direct: Any) -> None:
    low, high = future(-24 * 60), future(24 * 60)
    response = api.get(
        BASE + "scheduled/events/list/",
        {"organization": world.org_uri, "status": "active", "sort": "start_time:desc",
         "min_start_time": low, "max_start_time": high, "count": 3},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["collection"] == direct.scheduled_events.list(
        organization=world.org_uri, status="active", sort="start_time:desc",
        min_start_time=low, max_start_time=high, count=3,
    ).items
    assert body["pagination"]["next_page"].startswith(
        "http://testserver/modules/calendly/scheduled/events/list/?"
    )
    event = body["collection"][0]
    one = api.get(BASE + f"scheduled/events/{last(event['uri'])}/")
    assert one.json() == {"resource": event}


def test_scheduled_events_for_invitee_email(sb: Any, world: Any, api: APIClient) -> None:
    invitee = sb.book(email="findme@example.com")
    response = api.get(BASE + "scheduled/events/list/",
                       {"user": world.user_uri, "invitee_email": "findme@example.com"})
    assert invitee["event"] in [e["uri"] for e in response.json()["collection"]]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "organization"),
        ({"organization": "ORG", "status": "done"}, "status"),
        ({"organization": "ORG", "sort": "created_at:asc"}, "sort"),
        ({"organization": "ORG", "min_start_time": "2030-01-01"}, "min_start_time"),
        ({"organization": "ORG", "max_start_time": "2030-01-01T00:00:00"}, "max_start_time"),
        ({"organization": "ORG", "min_start_time": "2030-01-02T00:00:00Z",
          "max_start_time": "2030-01-01T00:00:00Z"}, "max_start_time"),
        ({"organization": "ORG", "invitee_email": "x"}, "invitee_email"),
        ({"organization": "ORG", "count": "1000"}, "count"),
    ],
)
def test_scheduled_events_validation(
    query: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    query = {k: world.org_uri if v == "ORG" else v for k, v in query.items()}
    assert_invalid(sb, api.get(BASE + "scheduled/events/list/", query), parameter)


def test_event_invitees(sb: Any, world: Any, api: APIClient) -> None:
    url = BASE + f"scheduled/events/{world.event_uuid}/invitees/"
    listing = api.get(url, {"status": "active", "sort": "created_at:asc", "count": 10})
    assert listing.status_code == 200
    invitee = listing.json()["collection"][0]
    assert invitee["uri"] == world.invitee_uri
    for name in ("email", "invitee_email"):
        filtered = api.get(url, {name: invitee["email"]})
        assert [i["uri"] for i in filtered.json()["collection"]] == [invitee["uri"]]
    assert api.get(url, {"email": "nobody@example.com"}).json()["collection"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"status": "gone"}, "status"),
        ({"sort": "start_time:asc"}, "sort"),
        ({"email": "x"}, "email"),
        ({"invitee_email": "x"}, "invitee_email"),
        ({"email": "a@example.com", "invitee_email": "b@example.com"}, "invitee_email"),
    ],
)
def test_event_invitees_validation(
    query: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    url = BASE + f"scheduled/events/{world.event_uuid}/invitees/"
    assert_invalid(sb, api.get(url, query), parameter)


def test_cancel_with_reason(sb: Any, world: Any, api: APIClient, direct: Any) -> None:
    response = api.post(BASE + f"scheduled/events/{world.event_uuid}/cancellation/",
                        {"reason": "Host is ill"}, format="json")
    assert response.status_code == 201
    assert response.json()["resource"]["reason"] == "Host is ill"
    assert direct.scheduled_events.get(world.event_uuid)["status"] == "canceled"
    again = api.post(BASE + f"scheduled/events/{world.event_uuid}/cancellation/", {},
                     format="json")
    body = assert_error(again, 403, "upstream_permission_denied")
    assert body["message"] == "Event is already canceled"


def test_cancel_without_reason_sends_none(sb: Any, world: Any, api: APIClient) -> None:
    response = api.post(BASE + f"scheduled/events/{world.event_uuid}/cancellation/")
    assert response.status_code == 201
    assert response.json()["resource"]["reason"] is None


def test_cancel_reason_limit(sb: Any, world: Any, api: APIClient) -> None:
    url = BASE + f"scheduled/events/{world.event_uuid}/cancellation/"
    assert_invalid(sb, api.post(url, {"reason": "x" * 10_001}, format="json"), "reason")
    assert_invalid(sb, api.post(url, {"reason": ["x"]}, format="json"), "reason")


def test_scheduled_event_unknown_is_404(sb: Any, api: APIClient) -> None:
    assert_error(api.get(BASE + "scheduled/events/AAAAAAAAAAAAAAAA/"), 404, "not_found")


# -- 20-22 no-shows -----------------------------------------------------------------------


def test_no_shows(sb: Any, world: Any, api: APIClient) -> None:
    created = api.post(BASE + "invitee-no-show/", {"invitee": world.invitee_uri}, format="json")
    assert created.status_code == 201
    no_show = created.json()["resource"]
    assert no_show["invitee"] == world.invitee_uri
    uuid = last(no_show["uri"])
    assert api.get(BASE + f"invitee-no-show/{uuid}/").json() == {"resource": no_show}
    deleted = api.delete(BASE + f"invitee-no-show/{uuid}/delete/")
    assert deleted.status_code == 204 and deleted.content == b""
    assert_error(api.get(BASE + f"invitee-no-show/{uuid}/"), 404, "not_found")


@pytest.mark.parametrize(
    "invitee",
    [None, "", "EVENT", "ORG", "https://evil.example.com/scheduled_events/A/invitees/B"],
)
def test_no_show_validation(invitee: Any, sb: Any, world: Any, api: APIClient) -> None:
    value = {"EVENT": world.event_uri, "ORG": world.org_uri}.get(invitee, invitee)
    body = {} if invitee is None else {"invitee": value}
    assert_invalid(sb, api.post(BASE + "invitee-no-show/", body, format="json"), "invitee")


# -- 23-26 webhook subscriptions -------------------------------------------------------------


def _hook(world: Any, **extra: Any) -> dict:
    return {
        "url": f"http://127.0.0.1:9/hooks/{world.no_show_uuid}",
        "events": ["invitee.created", "invitee.canceled", "routing_form_submission.created"],
        "organization": world.org_uri,
        "scope": "organization",
        "signing_key": "a-secret-key",
        **extra,
    }


def test_webhook_subscriptions(sb: Any, world: Any, api: APIClient) -> None:
    created = api.post(BASE + "webhook/subscription/", _hook(world), format="json")
    assert created.status_code == 201, created.content
    hook = created.json()["resource"]
    assert hook["callback_url"] == _hook(world)["url"]
    assert "signing_key" not in hook
    uuid = last(hook["uri"])
    assert api.get(BASE + f"webhook/subscription/{uuid}/").json() == {"resource": hook}
    listing = api.get(BASE + "webhook/subscriptions/list/",
                      {"organization": world.org_uri, "scope": "organization",
                       "sort": "created_at:desc", "count": 100})
    assert hook["uri"] in [h["uri"] for h in listing.json()["collection"]]
    duplicate = api.post(BASE + "webhook/subscription/", _hook(world), format="json")
    assert_error(duplicate, 409, "conflict")
    deleted = api.delete(BASE + f"webhook/subscription/{uuid}/delete/")
    assert deleted.status_code == 204 and deleted.content == b""


def test_user_scope_webhook(sb: Any, world: Any, api: APIClient) -> None:
    body = _hook(world, scope="user", user=world.user_uri, events=["meeting_recap.created"])
    body["url"] += "-user"
    assert api.post(BASE + "webhook/subscription/", body, format="json").status_code == 201
    listing = api.get(BASE + "webhook/subscriptions/list/",
                      {"organization": world.org_uri, "scope": "user", "user": world.user_uri})
    assert body["url"] in [h["callback_url"] for h in listing.json()["collection"]]


@pytest.mark.parametrize(
    ("change", "parameter"),
    [
        ({"url": "not a url"}, "url"),
        ({"url": None}, "url"),
        ({"events": []}, "events"),
        ({"events": "invitee.created"}, "events"),
        ({"events": ["invitee.created", "invitee.exploded"]}, "events[1]"),
        ({"events": ["invitee.created", "invitee.created"]}, "events"),
        ({"events": ["meeting_recap.created"]}, "events[0]"),  # user scope only
        ({"organization": None}, "organization"),
        ({"organization": "USER"}, "organization"),
        ({"scope": "team"}, "scope"),
        ({"scope": "user"}, "user"),
        ({"scope": "group"}, "group"),
        ({"user": "USER"}, "user"),  # user given at organization scope
        ({"group": "GROUP"}, "group"),  # group given at organization scope
        ({"scope": "user", "user": "USER", "group": "GROUP"}, "group"),
        ({"signing_key": ""}, "signing_key"),
    ],
)
def test_webhook_create_validation(
    change: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    body = _hook(world)
    for key, value in change.items():
        if value is None:
            body.pop(key)
        else:
            body[key] = {"USER": world.user_uri, "GROUP": GROUP_URI}.get(str(value), value)
    if body.get("scope") in ("user", "group"):
        body["events"] = ["invitee.created"]
    assert_invalid(sb, api.post(BASE + "webhook/subscription/", body, format="json"), parameter)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"scope": "organization"}, "organization"),
        ({"organization": "ORG"}, "scope"),
        ({"organization": "ORG", "scope": "user"}, "user"),
        ({"organization": "ORG", "scope": "group"}, "group"),
        ({"organization": "ORG", "scope": "organization", "user": "USER"}, "user"),
        ({"organization": "ORG", "scope": "organization", "group": "GROUP"}, "group"),
        ({"organization": "ORG", "scope": "organization", "sort": "name:asc"}, "sort"),
        ({"organization": "ORG", "scope": "everything"}, "scope"),
    ],
)
def test_webhook_list_validation(
    query: dict, parameter: str, sb: Any, world: Any, api: APIClient
) -> None:
    names = {"ORG": world.org_uri, "USER": world.user_uri, "GROUP": GROUP_URI}
    query = {k: names.get(v, v) for k, v in query.items()}
    assert_invalid(sb, api.get(BASE + "webhook/subscriptions/list/", query), parameter)


def test_unencoded_plus_in_an_offset_is_understood(sb: Any, world: Any, api: APIClient) -> None:
    start = (datetime.now(UTC) + timedelta(hours=3)).astimezone(
        timezone(timedelta(hours=2))
    ).replace(microsecond=0)
    end = start + timedelta(days=2)
    # What a client that forgot to encode "+02:00" sends: the "+" is read as a space.
    response = api.get(
        BASE + "user/busy-times/?user=" + world.user_uri
        + "&start_time=" + start.isoformat() + "&end_time=" + end.isoformat()
    )
    assert response.status_code == 200, response.content
