"""Many accounts in one sandbox: members added with events of their own (``add_users``,
``POST /_sandbox/users``), connected through OAuth over HTTP, and the rate-limit log
(``rate_windows``) and answer counters a benchmark checks a client's pacing with."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.limits import FixedWindows

REDIRECT = "http://127.0.0.1:8000/calendly/callback"


def connect(web: httpx.Client, sb: Sandbox, user: str) -> str:
    """The OAuth flow over HTTP, approving as ``user``: its access token."""
    approved = web.post(f"{sb.url}/oauth/authorize", data={
        "client_id": sb.oauth_client_id, "response_type": "code", "redirect_uri": REDIRECT,
        "state": "s", "scope": "scheduled_events:read event_types:read users:read",
        "user": user,
    })
    assert approved.status_code == 302, approved.text
    code = parse_qs(urlsplit(approved.headers["location"]).query)["code"][0]
    tokens = web.post(f"{sb.url}/oauth/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
    }, auth=(sb.oauth_client_id, sb.oauth_client_secret))
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["owner"] == user
    return str(tokens.json()["access_token"])


def test_added_members_host_their_own_events(web: httpx.Client, sb: Sandbox) -> None:
    before = len(sb.store.events)
    made = web.post(f"{sb.url}/_sandbox/users", json={"count": 3, "events": 7}).json()
    assert len(made) == 3 and len({m["uri"] for m in made}) == 3
    assert len(sb.store.events) == before + 21
    for member in made:
        token = connect(web, sb, member["uri"])
        auth = {"Authorization": f"Bearer {token}"}
        me = web.get(f"{sb.url}/users/me", headers=auth).json()["resource"]
        assert me["uri"] == member["uri"] and me["email"] == member["email"]
        events = web.get(f"{sb.url}/scheduled_events", headers=auth,
                         params={"user": member["uri"], "count": 100}).json()["collection"]
        assert len(events) == 7
        assert {e["event_type"] for e in events} == {member["event_type"]}
        starts = [e["start_time"] for e in events]
        assert starts == sorted(starts) and len(set(starts)) == 7
        invitees = web.get(f"{sb.url}{urlsplit(events[0]['uri']).path}/invitees",
                           headers=auth).json()["collection"]
        assert len(invitees) == 1
        # Another member's events are not theirs to list.
        other = next(m for m in made if m is not member)
        refused = web.get(f"{sb.url}/scheduled_events", headers=auth,
                          params={"user": other["uri"]})
        assert refused.status_code == 403


@pytest.mark.parametrize("body", [{"count": 1, "role": "owner"}, {"count": -1},
                                  {"count": 1, "prefix": "a b"}, {}])
def test_add_users_refuses_bad_input(web: httpx.Client, sb: Sandbox, body: dict) -> None:
    assert web.post(f"{sb.url}/_sandbox/users", json=body).status_code == 400


def test_rate_windows_log_what_each_user_was_served(
    web: httpx.Client, sb: Sandbox, api: httpx.Client, member_api: httpx.Client
) -> None:
    sb.configure(rate_limit=3, rate_window=0.3)
    sb.reset_stats()
    statuses = [api.get("/users/me").status_code for _ in range(4)]
    member_api.get("/users/me")
    time.sleep(0.35)
    statuses.append(api.get("/users/me").status_code)
    assert statuses == [200, 200, 200, 429, 200]
    log = web.get(f"{sb.url}/_sandbox/rate_windows").json()
    owner = log[sb.user_uri]
    assert owner["served"] == 4 and owner["refused"] == 1
    assert owner["max_served_in_window"] == 3 and owner["max_in_any_span"] == 3
    assert [w[1:] for w in owner["windows"]] == [[3, 3, 1], [3, 1, 0]]
    assert owner["windows"][1][0] - owner["windows"][0][0] >= 0.3
    assert log[sb.store.member_uri]["served"] == 1
    stats = sb.stats()
    assert stats["statuses"] == {"200": 5, "429": 1} and stats["rate_limited"] == 1
    sb.reset_stats()
    assert sb.rate_windows() == {} and sb.stats()["statuses"] == {}


def test_a_span_across_two_windows_can_hold_more_than_the_limit() -> None:
    """Fixed windows admit the limit twice around a boundary; the span count shows it."""
    windows = FixedWindows()
    admitted = [not windows.hit("u", 2, 10.0, t)[0] for t in (0.0, 9.0, 9.5, 10.0, 10.5)]
    assert admitted == [True, True, False, True, True]
    report = windows.report()["u"]
    assert report["max_served_in_window"] == 2
    assert report["max_in_any_span"] == 3  # 9.0, 10.0, 10.5 within 10 s
    windows.close_all()
    assert not windows.hit("u", 2, 10.0, 10.6)[0]  # a new window opened
