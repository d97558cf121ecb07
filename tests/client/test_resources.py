"""Every operation sends the method, path, query and body of REFERENCE.md section 8."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from django_calendly.client import Page, errors

from .conftest import API, ok

ORG = API + "/organizations/O1"
USER = API + "/users/U1"
GROUP = API + "/groups/G1"
ET = API + "/event_types/ET1"
INVITEE = API + "/scheduled_events/E1/invitees/I1"
START = datetime(2030, 1, 1, 9, tzinfo=UTC)

RES = {"resource": {"uri": "x"}}
LIST = {"collection": [{"uri": "x"}], "pagination": {"next_page_token": None}}
COLL = {"collection": [{"uri": "x"}]}

# (call, method, path, query, json body, answer, expected result)
CASES = [
    (lambda c: c.users.me(), "GET", "/users/me", {}, None, RES, {"uri": "x"}),
    (lambda c: c.users.get(), "GET", "/users/me", {}, None, RES, {"uri": "x"}),
    (lambda c: c.users.get("U1"), "GET", "/users/U1", {}, None, RES, {"uri": "x"}),
    (lambda c: c.users.get(USER), "GET", "/users/U1", {}, None, RES, {"uri": "x"}),
    (lambda c: c.organizations.get("O1"), "GET", "/organizations/O1", {}, None, RES, None),
    (lambda c: c.organizations.list_invitations(
        "O1", email="a@b.c", status="pending", sort="created_at:desc", count=5, page_token="t"),
     "GET", "/organizations/O1/invitations",
     {"email": "a@b.c", "status": "pending", "sort": "created_at:desc", "count": "5",
      "page_token": "t"}, None, LIST, None),
    (lambda c: c.organizations.invite("O1", "new@b.c"), "POST", "/organizations/O1/invitations",
     {}, {"email": "new@b.c"}, RES, {"uri": "x"}),
    (lambda c: c.organizations.get_invitation("O1", "IV1"), "GET",
     "/organizations/O1/invitations/IV1", {}, None, RES, None),
    (lambda c: c.organizations.get_invitation("ignored", ORG + "/invitations/IV1"), "GET",
     "/organizations/O1/invitations/IV1", {}, None, RES, None),
    (lambda c: c.organizations.revoke_invitation("O1", "IV1"), "DELETE",
     "/organizations/O1/invitations/IV1", {}, None, None, None),
    (lambda c: c.memberships.list(organization=ORG, email="a@b.c", role="admin", count=100),
     "GET", "/organization_memberships",
     {"organization": ORG, "email": "a@b.c", "role": "admin", "count": "100"}, None, LIST, None),
    (lambda c: c.memberships.list(user=USER), "GET", "/organization_memberships",
     {"user": USER}, None, LIST, None),
    (lambda c: c.memberships.get("M1"), "GET", "/organization_memberships/M1", {}, None, RES,
     None),
    (lambda c: c.memberships.delete("M1"), "DELETE", "/organization_memberships/M1", {}, None,
     None, None),
    (lambda c: c.event_types.list(organization=ORG, active=True, sort="position:asc"), "GET",
     "/event_types", {"organization": ORG, "active": "true", "sort": "position:asc"}, None,
     LIST, None),
    (lambda c: c.event_types.list(user=USER, active=False), "GET", "/event_types",
     {"user": USER, "active": "false"}, None, LIST, None),
    (lambda c: c.event_types.get("ET1"), "GET", "/event_types/ET1", {}, None, RES, None),
    (lambda c: c.availability.event_type_available_times(ET, START, START + timedelta(days=7)),
     "GET", "/event_type_available_times",
     {"event_type": ET, "start_time": "2030-01-01T09:00:00.000000Z",
      "end_time": "2030-01-08T09:00:00.000000Z"}, None, COLL, [{"uri": "x"}]),
    (lambda c: c.availability.user_busy_times(USER, "2030-01-01T09:00:00Z",
                                              "2030-01-02T09:00:00+00:00"),
     "GET", "/user_busy_times",
     {"user": USER, "start_time": "2030-01-01T09:00:00.000000Z",
      "end_time": "2030-01-02T09:00:00.000000Z"}, None, COLL, [{"uri": "x"}]),
    (lambda c: c.availability.list_schedules(USER), "GET", "/user_availability_schedules",
     {"user": USER}, None, COLL, [{"uri": "x"}]),
    (lambda c: c.availability.get_schedule("S1"), "GET", "/user_availability_schedules/S1", {},
     None, RES, None),
    (lambda c: c.scheduled_events.list(
        organization=ORG, user=USER, group=GROUP, invitee_email="i@x.y", status="canceled",
        min_start_time=START, max_start_time="2030-02-01T00:00:00Z", sort="start_time:desc",
        count=50, page_token="p2"),
     "GET", "/scheduled_events",
     {"organization": ORG, "user": USER, "group": GROUP, "invitee_email": "i@x.y",
      "status": "canceled", "min_start_time": "2030-01-01T09:00:00.000000Z",
      "max_start_time": "2030-02-01T00:00:00.000000Z", "sort": "start_time:desc",
      "count": "50", "page_token": "p2"}, None, LIST, None),
    (lambda c: c.scheduled_events.get("E1"), "GET", "/scheduled_events/E1", {}, None, RES, None),
    (lambda c: c.scheduled_events.cancel("E1", reason="sick"), "POST",
     "/scheduled_events/E1/cancellation", {}, {"reason": "sick"}, RES, {"uri": "x"}),
    (lambda c: c.scheduled_events.cancel("E1"), "POST", "/scheduled_events/E1/cancellation", {},
     {}, RES, None),
    (lambda c: c.invitees.list("E1", status="active", email="i@x.y", sort="created_at:asc",
                               count=1),
     "GET", "/scheduled_events/E1/invitees",
     {"status": "active", "email": "i@x.y", "sort": "created_at:asc", "count": "1"}, None,
     LIST, None),
    (lambda c: c.invitees.get("E1", "I1"), "GET", "/scheduled_events/E1/invitees/I1", {}, None,
     RES, None),
    (lambda c: c.invitees.get(INVITEE), "GET", "/scheduled_events/E1/invitees/I1", {}, None,
     RES, None),
    (lambda c: c.no_shows.create(INVITEE), "POST", "/invitee_no_shows", {},
     {"invitee": INVITEE}, RES, {"uri": "x"}),
    (lambda c: c.no_shows.get("N1"), "GET", "/invitee_no_shows/N1", {}, None, RES, None),
    (lambda c: c.no_shows.delete("N1"), "DELETE", "/invitee_no_shows/N1", {}, None, None, None),
    (lambda c: c.data_compliance.delete_invitee_data(["a@b.c"]), "POST",
     "/data_compliance/deletion/invitees", {}, {"emails": ["a@b.c"]}, None, {}),
    (lambda c: c.webhooks.create(url="https://example.com/hook", events=["invitee.created"],
                                 organization=ORG, scope="user", user=USER, signing_key="k"),
     "POST", "/webhook_subscriptions", {},
     {"url": "https://example.com/hook", "events": ["invitee.created"], "organization": ORG,
      "scope": "user", "user": USER, "signing_key": "k"}, RES, {"uri": "x"}),
    (lambda c: c.webhooks.create(url="https://example.com/h", events=["invitee.canceled"],
                                 organization=ORG, scope="group", group=GROUP),
     "POST", "/webhook_subscriptions", {},
     {"url": "https://example.com/h", "events": ["invitee.canceled"], "organization": ORG,
      "scope": "group", "group": GROUP}, RES, None),
    (lambda c: c.webhooks.list(organization=ORG, scope="organization", sort="created_at:asc"),
     "GET", "/webhook_subscriptions",
     {"organization": ORG, "scope": "organization", "sort": "created_at:asc"}, None, LIST, None),
    (lambda c: c.webhooks.get("W1"), "GET", "/webhook_subscriptions/W1", {}, None, RES, None),
    (lambda c: c.webhooks.delete("W1"), "DELETE", "/webhook_subscriptions/W1", {}, None, None,
     None),
    (lambda c: c.webhooks.sample("invitee.created", ORG, "user", user=USER), "GET",
     "/sample_webhook_data",
     {"event": "invitee.created", "organization": ORG, "scope": "user", "user": USER}, None,
     {"event": "invitee.created", "payload": {}}, {"event": "invitee.created", "payload": {}}),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "query", "body", "answer", "expected"), CASES,
    ids=[f"{c[1]} {c[2]} #{i}" for i, c in enumerate(CASES)],
)
def test_operation_sends_the_documented_request(
    make_client, call, method, path, query, body, answer, expected
):
    response = httpx.Response(204) if answer is None else ok(
        answer, 201 if method == "POST" else 200)
    if path == "/data_compliance/deletion/invitees":
        response = httpx.Response(202)
    client, rec = make_client([response])
    result = call(client)
    request = rec.requests[0]
    assert request.method == method
    assert request.url.host == "api.calendly.com"
    assert request.url.path == path
    assert dict(request.url.params) == query
    if body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == body
    if answer is LIST:
        assert isinstance(result, Page)
        assert result.items == [{"uri": "x"}]
        assert result.raw == LIST
    elif method == "DELETE":
        assert result is None
    elif expected is not None:
        assert result == expected


BAD_CALLS = [
    lambda c: c.users.get("me/../x"),
    lambda c: c.users.get(""),
    lambda c: c.users.get("https://evil.example.com/users/U1"),
    lambda c: c.organizations.get("a b"),
    lambda c: c.organizations.list_invitations("O1", status="sent"),
    lambda c: c.organizations.list_invitations("O1", sort="email:asc"),
    lambda c: c.organizations.invite("O1", "not-an-email"),
    lambda c: c.organizations.revoke_invitation("O1", "x#y"),
    lambda c: c.memberships.list(),
    lambda c: c.memberships.list(organization=USER),
    lambda c: c.memberships.list(organization=ORG, role="root"),
    lambda c: c.event_types.list(),
    lambda c: c.event_types.list(organization=ORG, user=USER),
    lambda c: c.event_types.list(user=USER, count=0),
    lambda c: c.event_types.list(user=USER, count=101),
    lambda c: c.event_types.list(user=USER, sort="start_time:asc"),
    lambda c: c.event_types.list(user=USER, active="yes"),
    lambda c: c.event_types.get("x" * 101),
    lambda c: c.availability.event_type_available_times(ET, datetime(2030, 1, 1),
                                                        datetime(2030, 1, 2)),
    lambda c: c.availability.event_type_available_times(USER, START, START + timedelta(days=1)),
    lambda c: c.availability.user_busy_times(USER, START, START + timedelta(days=8)),
    lambda c: c.availability.list_schedules("U1"),
    lambda c: c.scheduled_events.list(),
    lambda c: c.scheduled_events.list(user=USER, status="cancelled"),
    lambda c: c.scheduled_events.list(user=USER, min_start_time="2030-01-01T00:00:00"),
    lambda c: c.scheduled_events.list(user=USER, sort="created_at:asc"),
    lambda c: c.scheduled_events.list(user=USER, min_start_time=START,
                                      max_start_time=START - timedelta(days=1)),
    lambda c: c.scheduled_events.cancel("E1", reason="x" * 10_001),
    lambda c: c.invitees.list("E1", status="no_show"),
    lambda c: c.invitees.get("E1", "I/1"),
    lambda c: c.invitees.get(API + "/scheduled_events/E1"),
    lambda c: c.no_shows.create(API + "/scheduled_events/E1"),
    lambda c: c.no_shows.create("https://evil.example.com/scheduled_events/E1/invitees/I1"),
    lambda c: c.data_compliance.delete_invitee_data([]),
    lambda c: c.webhooks.create(url="not a url", events=["invitee.created"], organization=ORG,
                                scope="organization"),
    lambda c: c.webhooks.create(url="https://e.com/h", events=["invitee.moved"],
                                organization=ORG, scope="organization"),
    lambda c: c.webhooks.create(url="https://e.com/h", events=["invitee.created"],
                                organization=ORG, scope="user"),
    lambda c: c.webhooks.create(url="https://e.com/h", events=["invitee.created"],
                                organization=ORG, scope="team"),
    lambda c: c.webhooks.list(organization=ORG, scope="group"),
    lambda c: c.webhooks.sample("invitee.created", ORG, "user"),
    lambda c: c.webhooks.sample("nope", ORG, "organization"),
    lambda c: c.memberships.iter(),
    lambda c: c.scheduled_events.iter(user=USER, count=1000),
]


@pytest.mark.parametrize("call", BAD_CALLS, ids=[str(i) for i in range(len(BAD_CALLS))])
def test_bad_input_raises_before_sending(make_client, call):
    client, rec = make_client([])
    with pytest.raises(ValueError):
        call(client)
    assert rec.count == 0


def test_sandbox_base_url_uris_are_accepted(make_client):
    from django_calendly.client import CalendlyClient

    from .conftest import TOKEN, Recorder

    rec = Recorder([ok(LIST)])
    client = CalendlyClient(token=TOKEN, base_url="http://127.0.0.1:9/", transport=rec.transport)
    client.event_types.list(user="http://127.0.0.1:9/users/U1")
    assert str(rec.requests[0].url).startswith("http://127.0.0.1:9/event_types?")
    client.close()


def _pages(n: int):
    """A handler serving ``n`` pages of two items, checking the query is resent unchanged."""
    seen: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        seen.append(dict(params))
        index = int(params.pop("page_token", "0"))
        assert params == {"user": USER, "status": "active", "count": "2"}
        nxt = str(index + 1) if index + 1 < n else None
        prev = str(index - 1) if index else None
        return ok({"collection": [{"n": 2 * index}, {"n": 2 * index + 1}],
                   "pagination": {"count": 2, "next_page_token": nxt,
                                  "previous_page_token": prev}})

    return handler, seen


def test_iter_follows_next_page_token_across_many_pages(make_client):
    handler, seen = _pages(5)
    client, _ = make_client(handler)
    items = list(client.scheduled_events.iter(user=USER, status="active", count=2))
    assert [i["n"] for i in items] == list(range(10))
    assert [s.get("page_token") for s in seen] == [None, "1", "2", "3", "4"]


def test_single_page_exposes_tokens(make_client):
    handler, _ = _pages(5)
    client, _ = make_client(handler)
    page = client.scheduled_events.list(user=USER, status="active", count=2, page_token="2")
    assert isinstance(page, Page)
    assert (page.next_page_token, page.previous_page_token) == ("3", "1")
    assert len(page) == 2 and [i["n"] for i in page] == [4, 5]
    assert page.has_next


def test_iter_defaults_to_pages_of_100(make_client):
    client, rec = make_client([ok(LIST)])
    assert list(client.event_types.iter(user=USER)) == [{"uri": "x"}]
    assert rec.requests[0].url.params["count"] == "100"


def test_iter_is_lazy_but_validates_at_once(make_client):
    client, rec = make_client([ok(LIST)])
    iterator = client.invitees.iter("E1")
    assert rec.count == 0
    assert next(iterator) == {"uri": "x"}
    with pytest.raises(ValueError):
        client.invitees.iter("E/1")


def test_a_repeated_page_token_stops_the_iteration(make_client):
    answer = {"collection": [{}], "pagination": {"next_page_token": "same"}}
    client, rec = make_client([ok(answer), ok(answer)])
    with pytest.raises(errors.InvalidResponse, match="repeated"):
        list(client.memberships.iter(user=USER))
    assert rec.count == 2


def test_other_iterators(make_client):
    client, rec = make_client([ok(LIST), ok(LIST), ok(LIST)])
    assert list(client.organizations.iter_invitations("O1", status="accepted")) == [{"uri": "x"}]
    assert list(client.webhooks.iter(organization=ORG, scope="organization")) == [{"uri": "x"}]
    assert list(client.event_types.iter(organization=ORG)) == [{"uri": "x"}]
    assert [r.url.path for r in rec.requests] == [
        "/organizations/O1/invitations", "/webhook_subscriptions", "/event_types"]
