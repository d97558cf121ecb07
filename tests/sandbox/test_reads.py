"""Reads, pagination and validation errors, over HTTP."""

from __future__ import annotations

import httpx
import pytest

from django_calendly.sandbox import Sandbox


def test_users_me_and_by_uuid(sb: Sandbox, api: httpx.Client) -> None:
    me = api.get("/users/me").json()["resource"]
    assert me["uri"] == sb.user_uri
    assert me["current_organization"] == sb.organization_uri
    uuid = me["uri"].rsplit("/", 1)[1]
    assert api.get(f"/users/{uuid}").json()["resource"] == me
    assert sb.url.startswith("http://127.0.0.1:")


def test_organization(sb: Sandbox, api: httpx.Client) -> None:
    uuid = sb.organization_uri.rsplit("/", 1)[1]
    org = api.get(f"/organizations/{uuid}").json()["resource"]
    assert org["plan"] == "enterprise" and org["stage"] == "paid"


def test_unknown_uuid_is_404(api: httpx.Client) -> None:
    response = api.get("/scheduled_events/nope")
    assert response.status_code == 404
    assert response.json()["title"] == "Resource Not Found"


def test_missing_or_bad_token_is_401(web: httpx.Client, sb: Sandbox) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        response = web.get(f"{sb.url}/users/me", headers=headers)
        assert response.status_code == 401
        assert response.json() == {
            "title": "Unauthenticated", "message": "The access token is invalid"
        }


def collect(api: httpx.Client, path: str, params: dict) -> tuple[list[dict], int]:
    items: list[dict] = []
    pages = 0
    token = None
    while pages < 1000:
        response = api.get(path, params={**params, **({"page_token": token} if token else {})})
        assert response.status_code == 200, response.text
        body = response.json()
        items.extend(body["collection"])
        pages += 1
        assert body["pagination"]["count"] == len(body["collection"])
        token = body["pagination"]["next_page_token"]
        if token is None:
            assert body["pagination"]["next_page"] is None
            return items, pages
        assert body["pagination"]["next_page"].startswith(sb_url(api) + path + "?")
    raise AssertionError("pagination did not end")


def sb_url(api: httpx.Client) -> str:
    return str(api.base_url).rstrip("/")


def test_scheduled_events_pagination_forward_and_back(sb: Sandbox, api: httpx.Client) -> None:
    params = {"organization": sb.organization_uri, "count": 7}
    items, pages = collect(api, "/scheduled_events", params)
    assert len(items) == 60 and pages == 9
    starts = [e["start_time"] for e in items]
    assert starts == sorted(starts)
    assert len({e["uri"] for e in items}) == 60
    first = api.get("/scheduled_events", params=params).json()
    assert first["pagination"]["previous_page_token"] is None
    second = api.get(
        "/scheduled_events", params={**params, "page_token": first["pagination"]["next_page_token"]}
    ).json()
    back = api.get(second["pagination"]["previous_page"]).json()
    assert back["collection"] == first["collection"]


def test_scheduled_events_desc_and_window(sb: Sandbox, api: httpx.Client) -> None:
    all_items, _ = collect(api, "/scheduled_events", {"organization": sb.organization_uri,
                                                       "count": 100})
    low, high = all_items[10]["start_time"], all_items[30]["start_time"]
    params = {"organization": sb.organization_uri, "count": 5, "sort": "start_time:desc",
              "min_start_time": low, "max_start_time": high}
    items, pages = collect(api, "/scheduled_events", params)
    assert pages > 3
    expected = [e for e in all_items if low <= e["start_time"] < high][::-1]
    assert items == expected


def test_scheduled_events_filters(sb: Sandbox, api: httpx.Client) -> None:
    canceled, _ = collect(api, "/scheduled_events", {"user": sb.user_uri, "status": "canceled"})
    assert canceled and all(e["status"] == "canceled" for e in canceled)
    assert all(e["event_memberships"][0]["user"] == sb.user_uri for e in canceled)
    event = canceled[0]
    invitees = api.get(f"/scheduled_events/{event['uri'].rsplit('/', 1)[1]}/invitees").json()
    email = invitees["collection"][0]["email"]
    found, _ = collect(api, "/scheduled_events",
                       {"organization": sb.organization_uri, "invitee_email": email})
    assert event["uri"] in [e["uri"] for e in found]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({}, "organization"),
        ({"organization": "ORG", "count": 0}, "count"),
        ({"organization": "ORG", "count": 101}, "count"),
        ({"organization": "ORG", "count": "x"}, "count"),
        ({"organization": "ORG", "sort": "name:asc"}, "sort"),
        ({"organization": "ORG", "sort": "start_time:up"}, "sort"),
        ({"organization": "ORG", "min_start_time": "yesterday"}, "min_start_time"),
        ({"organization": "https://api.calendly.com/organizations/X"}, "organization"),
        ({"organization": "ORG", "status": "maybe"}, "status"),
        ({"organization": "ORG", "page_token": "!!garbage"}, "page_token"),
    ],
)
def test_scheduled_events_validation(
    sb: Sandbox, api: httpx.Client, params: dict, parameter: str
) -> None:
    params = {k: (sb.organization_uri if v == "ORG" else v) for k, v in params.items()}
    response = api.get("/scheduled_events", params=params)
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["title"] == "Invalid Argument"
    assert body["details"][0]["parameter"] == parameter


def test_event_types(sb: Sandbox, api: httpx.Client) -> None:
    body = api.get("/event_types", params={"organization": sb.organization_uri}).json()
    names = [et["name"] for et in body["collection"]]
    assert names == sorted(names) and len(names) == 8
    active = api.get("/event_types", params={"user": sb.user_uri, "active": "true",
                                             "sort": "position:desc"}).json()["collection"]
    assert all(et["active"] and et["profile"]["owner"] == sb.user_uri for et in active)
    assert [et["position"] for et in active] == sorted((et["position"] for et in active),
                                                       reverse=True)
    one = api.get(f"/event_types/{active[0]['uri'].rsplit('/', 1)[1]}").json()["resource"]
    assert one == active[0]
    both = api.get("/event_types", params={"organization": sb.organization_uri,
                                           "user": sb.user_uri})
    assert both.status_code == 400
    assert api.get("/event_types").status_code == 400
    bad_sort = api.get("/event_types", params={"user": sb.user_uri, "sort": "color:asc"})
    assert bad_sort.json()["details"][0]["parameter"] == "sort"


def test_invitees_list_and_get(sb: Sandbox, api: httpx.Client) -> None:
    event_uuid, _ids = next(
        (e, ids) for e, ids in sb.store.invitees_by_event.items() if len(ids) >= 2
    )
    body = api.get(f"/scheduled_events/{event_uuid}/invitees", params={"count": 1}).json()
    assert len(body["collection"]) == 1 and body["pagination"]["next_page_token"]
    invitee = body["collection"][0]
    for key in ("email", "first_name", "last_name", "name", "status", "timezone",
                "questions_and_answers", "tracking", "cancel_url", "reschedule_url",
                "rescheduled", "old_invitee", "new_invitee", "no_show", "event",
                "created_at", "updated_at", "text_reminder_number", "payment"):
        assert key in invitee
    got = api.get(f"/scheduled_events/{event_uuid}/invitees/{invitee['uri'].rsplit('/', 1)[1]}")
    assert got.json()["resource"] == invitee
    assert api.get(f"/scheduled_events/{event_uuid}/invitees/nope").status_code == 404


@pytest.mark.parametrize("sort", ["start_time:asc", "start_time:desc"])
def test_previous_pages_mirror_next_pages(sb: Sandbox, api: httpx.Client, sort: str) -> None:
    params = {"organization": sb.organization_uri, "count": 6, "sort": sort, "status": "active"}
    pages = [api.get("/scheduled_events", params=params).json()]
    while pages[-1]["pagination"]["next_page"] and len(pages) < 50:
        pages.append(api.get(pages[-1]["pagination"]["next_page"]).json())
    assert len(pages) > 3
    flat = [e for p in pages for e in p["collection"]]
    assert all(e["status"] == "active" for e in flat)
    assert [e["start_time"] for e in flat] == sorted(
        (e["start_time"] for e in flat), reverse=sort.endswith("desc"))
    for i in range(len(pages) - 1, 0, -1):
        back = api.get(pages[i]["pagination"]["previous_page"]).json()
        assert back["collection"] == pages[i - 1]["collection"]
    assert pages[0]["pagination"]["previous_page"] is None
