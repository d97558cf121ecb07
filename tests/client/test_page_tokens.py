"""Pagination by ``next_page`` URL, and what an expired page token does to a listing.

Calendly answers an expired ``page_token`` with 400 and details
``[{"parameter": "page_token", "message": "is invalid"}]`` (REFERENCE.md section 4 and
the brief of issue 10). The transport turns that into ``PageTokenExpired``; a listing
that meets it must never loop and never stop silently.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from django_calendly.client import BadRequest, PageTokenExpired, errors
from django_calendly.client.errors import InvalidResponse

from .conftest import API, error, ok

USER = API + "/users/U1"
EXPIRED = [{"parameter": "page_token", "message": "is invalid"}]


def expired() -> httpx.Response:
    return error(400, "Invalid Argument", "The supplied parameters are invalid.",
                 details=EXPIRED)


def test_an_expired_token_is_its_own_bad_request(make_client):
    client, _ = make_client([expired()])
    with pytest.raises(PageTokenExpired) as info:
        client.scheduled_events.list(user=USER, page_token="old")
    assert isinstance(info.value, BadRequest)
    assert errors.PageTokenExpired is PageTokenExpired


def test_other_bad_requests_stay_bad_requests(make_client):
    client, _ = make_client([error(400, details=[{"parameter": "count", "message": "is invalid"}])])
    with pytest.raises(BadRequest) as info:
        client.scheduled_events.list(user=USER)
    assert type(info.value) is BadRequest


def test_iter_follows_next_page_when_there_is_no_token(make_client):
    def handler(request: httpx.Request) -> httpx.Response:
        cursor = request.url.params.get("cursor")
        if cursor is None:
            return ok({"collection": [{"n": 1}], "pagination": {
                "next_page_token": None, "next_page": API + "/event_types?user=x&cursor=2"}})
        return ok({"collection": [{"n": 2}], "pagination": {
            "next_page_token": None, "next_page": None}})

    client, rec = make_client(handler)
    assert [i["n"] for i in client.event_types.iter(user=USER)] == [1, 2]
    assert str(rec.requests[1].url) == API + "/event_types?user=x&cursor=2"


def test_a_next_page_elsewhere_is_refused_and_the_token_is_not_sent(make_client):
    client, rec = make_client([ok({"collection": [{"n": 1}], "pagination": {
        "next_page_token": None, "next_page": "https://evil.example/event_types"}})])
    with pytest.raises(InvalidResponse):
        list(client.event_types.iter(user=USER))
    assert rec.count == 1


def test_a_repeated_next_page_url_stops_instead_of_looping(make_client):
    page = {"collection": [{"n": 1}], "pagination": {
        "next_page_token": None, "next_page": API + "/event_types?cursor=same"}}
    client, rec = make_client(lambda request: ok(page))
    with pytest.raises(InvalidResponse):
        list(client.event_types.iter(user=USER))
    assert rec.count == 2


def test_the_token_wins_over_the_url(make_client):
    answers = [
        ok({"collection": [{"n": 1}], "pagination": {
            "next_page_token": "T2", "next_page": API + "/event_types?page_token=T2"}}),
        ok({"collection": [{"n": 2}], "pagination": {"next_page_token": None}}),
    ]
    client, rec = make_client(answers)
    assert [i["n"] for i in client.event_types.iter(user=USER, count=1)] == [1, 2]
    assert dict(rec.requests[1].url.params) == {"user": USER, "count": "1", "page_token": "T2"}


def event(n: int, start: str) -> dict[str, Any]:
    return {"uri": f"{API}/scheduled_events/E{n}", "start_time": start}


T1, T2, T3 = "2030-01-01T09:00:00.000000Z", "2030-01-02T09:00:00.000000Z", (
    "2030-01-03T09:00:00.000000Z")


class ExpiringCalendly:
    """Scheduled events sorted by start time; the first token handed out expires once."""

    def __init__(
        self, events: list[dict[str, Any]], expire: set[str], inclusive: bool = True
    ) -> None:
        self.events = events
        self.expire = set(expire)
        self.inclusive = inclusive  # min_start_time as ">=" (or ">": not documented)
        self.queries: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.queries.append(params)
        token = params.get("page_token")
        if token in self.expire:
            self.expire.discard(token)
            return expired()
        low = params.get("min_start_time", "")
        events = [e for e in self.events
                  if e["start_time"] >= low and (self.inclusive or e["start_time"] > low)]
        offset = int(token.rsplit(":", 1)[1]) if token else 0
        count = int(params["count"])
        chunk = events[offset:offset + count]
        more = offset + count < len(events)
        nxt = f"{params.get('min_start_time', '')}:{offset + count}" if more else None
        return ok({"collection": chunk, "pagination": {"next_page_token": nxt}})


EVENTS = [event(1, T1), event(2, T2), event(3, T2), event(4, T2), event(5, T3)]


@pytest.mark.parametrize("inclusive", [True, False])
def test_scheduled_events_iter_restarts_from_the_last_start_time(inclusive, make_client):
    calendly = ExpiringCalendly(EVENTS, expire={":2"}, inclusive=inclusive)
    client, _ = make_client(calendly)
    items = list(client.scheduled_events.iter(user=USER, sort="start_time:asc", count=2))
    assert [i["uri"] for i in items] == [e["uri"] for e in EVENTS]  # each once, in order
    restart = calendly.queries[2]
    # Just before the last start time yielded, so that it is included either way.
    assert restart["min_start_time"] == "2030-01-02T08:59:59.999999Z"
    assert "page_token" not in restart and restart["sort"] == "start_time:asc"


def test_a_restart_skips_every_event_already_yielded_at_that_start_time(make_client):
    # E2 and E3 (both T2) were yielded before the token expired; E4 (T2) was not.
    calendly = ExpiringCalendly(EVENTS, expire={":3"})
    client, _ = make_client(calendly)
    items = list(client.scheduled_events.iter(user=USER, sort="start_time:asc", count=3))
    assert [i["uri"] for i in items] == [e["uri"] for e in EVENTS]


def test_a_restart_that_makes_no_progress_raises_instead_of_looping(make_client):
    # Every token expires: after the restart nothing new arrives before the next expiry.
    same = [event(n, T2) for n in range(1, 5)]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page_token"):
            return expired()
        return ok({"collection": same[:2], "pagination": {"next_page_token": "next"}})

    client, rec = make_client(handler)
    seen = []
    with pytest.raises(PageTokenExpired):
        for item in client.scheduled_events.iter(user=USER, sort="start_time:asc", count=2):
            seen.append(item["uri"])
    assert seen == [same[0]["uri"], same[1]["uri"]]
    assert rec.count == 4  # page, expiry, restarted page (all seen), expiry


@pytest.mark.parametrize("sort", [None, "start_time:desc"])
def test_scheduled_events_in_another_order_raise(sort, make_client):
    calendly = ExpiringCalendly(EVENTS, expire={":2"})
    client, _ = make_client(calendly)
    seen = []
    with pytest.raises(PageTokenExpired):
        for item in client.scheduled_events.iter(user=USER, sort=sort, count=2):
            seen.append(item)
    assert len(seen) == 2


def test_an_expired_first_token_raises(make_client):
    client, _ = make_client([expired()])
    with pytest.raises(PageTokenExpired):
        list(client.scheduled_events.iter(user=USER, sort="start_time:asc", page_token="old"))


def test_other_iterators_raise_an_expired_token(make_client):
    answers = [
        ok({"collection": [{"uri": "a"}], "pagination": {"next_page_token": "T2"}}),
        expired(),
    ]
    client, _ = make_client(answers)
    seen = []
    with pytest.raises(PageTokenExpired):
        for item in client.contacts.iter():
            seen.append(item)
    assert seen == [{"uri": "a"}]


def test_client_log_lines_carry_no_query_token_or_body(make_client, caplog):
    secret_token = "PAGE-TOKEN-SECRET"
    answers = [
        ok({"collection": [event(1, T1)], "pagination": {"next_page_token": secret_token}}),
        expired(),
        ok({"collection": [event(1, T1), event(2, T2)], "pagination": {
            "next_page_token": None,
            "next_page": API + f"/scheduled_events?page_token={secret_token}X"}}),
        ok({"collection": [], "pagination": {"next_page_token": None}}),
    ]
    client, rec = make_client(answers)
    with caplog.at_level("DEBUG", logger="django_calendly"):
        items = list(client.scheduled_events.iter(
            user=USER, invitee_email="private@example.com", sort="start_time:asc", count=1))
    assert [i["uri"] for i in items] == [event(1, T1)["uri"], event(2, T2)["uri"]]
    assert rec.count == 4
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/scheduled_events" in text  # the lines exist
    for secret in (secret_token, "private@example.com", "?", "min_start_time", "Bearer",
                   "secret-token-123"):
        assert secret not in text
