"""Rate limits, injected faults, latency, counters and the HTTP control endpoints."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from django_calendly.sandbox import Sandbox


def test_calendly_rate_limit_headers_by_default(api: httpx.Client) -> None:
    response = api.get("/users/me")
    assert response.headers["X-RateLimit-Limit"] == "500"  # the paid plans' per-user limit
    assert response.headers["X-RateLimit-Remaining"] == "499"


def test_rate_limit_headers_and_429(sb: Sandbox, api: httpx.Client,
                                    member_api: httpx.Client) -> None:
    sb.configure(rate_limit=3, rate_window=60)
    seen = [api.get("/users/me") for _ in range(4)]
    assert [r.status_code for r in seen] == [200, 200, 200, 429]
    assert [r.headers["X-RateLimit-Remaining"] for r in seen] == ["2", "1", "0", "0"]
    assert all(r.headers["X-RateLimit-Limit"] == "3" for r in seen)
    assert 0 < int(seen[-1].headers["X-RateLimit-Reset"]) <= 60
    assert seen[-1].json()["title"] == "Too Many Requests"
    assert member_api.get("/users/me").status_code == 200  # per user: another user's own
    assert sb.stats()["rate_limited"] == 1
    # Another token of the same user shares the window, as at Calendly.
    second, _ = sb.add_token(role="owner")
    other = httpx.Client(base_url=sb.url, headers={"Authorization": f"Bearer {second}"})
    with other:
        assert other.get("/users/me").status_code == 429


def test_rate_window_resets(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(rate_limit=1, rate_window=0.2)
    assert api.get("/users/me").status_code == 200
    assert api.get("/users/me").status_code == 429
    time.sleep(0.25)
    assert api.get("/users/me").status_code == 200


def test_server_errors(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(error_rate=1.0)
    statuses = {api.get("/users/me").status_code for _ in range(30)}
    assert statuses <= {500, 502, 503} and len(statuses) > 1
    assert api.get("/users/me").json()["title"]
    sb.configure(error_rate=0.0)
    assert api.get("/users/me").status_code == 200


def test_dropped_connections(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(drop_rate=1.0)
    with pytest.raises(httpx.TransportError):
        api.get("/users/me")
    sb.configure(drop_rate=0.0)
    assert api.get("/users/me").status_code == 200
    assert sb.stats()["faults"]["drop"] == 1


def test_malformed_bodies(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(malformed_rate=1.0)
    response = api.get("/users/me")
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()


def test_faults_are_repeatable(calendly_sandbox_factory) -> None:
    runs = []
    for _ in range(2):
        sb = calendly_sandbox_factory(random_seed=3, error_rate=0.5, seed_events=0)
        with httpx.Client(base_url=sb.url, headers={"Authorization": f"Bearer {sb.token}"}) as c:
            runs.append([c.get("/users/me").status_code for _ in range(20)])
    assert runs[0] == runs[1] and len(set(runs[0])) > 1


def test_latency_overlaps_between_threads(sb: Sandbox, api: httpx.Client) -> None:
    sb.configure(latency=0.2)
    results: list[int] = []

    def call() -> None:
        results.append(api.get("/users/me").status_code)

    began = time.perf_counter()
    threads = [threading.Thread(target=call) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    elapsed = time.perf_counter() - began
    assert results == [200] * 6
    assert 0.2 <= elapsed < 0.8


def test_keep_alive_and_counters(web: httpx.Client, sb: Sandbox, api: httpx.Client) -> None:
    sb.reset_stats()
    for _ in range(5):
        api.get("/users/me")
    event = next(iter(sb.store.events))
    api.get(f"/scheduled_events/{event}")
    api.get("/nope")
    stats = sb.stats()
    assert stats["connections"] == 1
    assert stats["requests"]["GET /users/me"] == 5
    assert stats["requests"]["GET /scheduled_events/{uuid}"] == 1
    http_stats = web.get(f"{sb.url}/_sandbox/stats").json()
    assert http_stats["requests"] == stats["requests"]
    web.post(f"{sb.url}/_sandbox/reset_stats")
    assert sb.stats()["requests"] == {}


def test_http_control(web: httpx.Client, sb: Sandbox, api: httpx.Client) -> None:
    config = web.post(f"{sb.url}/_sandbox/configure", json={"rate_limit": 100}).json()
    assert config["rate_limit"] == 100 and sb.config["rate_limit"] == 100
    assert web.post(f"{sb.url}/_sandbox/configure", json={"bogus": 1}).status_code == 400
    invitee = web.post(f"{sb.url}/_sandbox/book", json={"email": "a@example.com"}).json()
    assert invitee["email"] == "a@example.com"
    moved = web.post(f"{sb.url}/_sandbox/reschedule", json={"invitee": invitee["uri"]}).json()
    assert moved["old"]["new_invitee"] == moved["new"]["uri"]
    no_show = web.post(f"{sb.url}/_sandbox/no_show",
                         json={"invitee": moved["new"]["uri"]}).json()
    assert no_show["invitee"] == moved["new"]["uri"]
    assert web.post(f"{sb.url}/_sandbox/no_show",
                      json={"no_show": no_show["uri"]}).status_code == 200
    canceled = web.post(f"{sb.url}/_sandbox/cancel", json={"invitee": moved["new"]["uri"]})
    assert canceled.json()["status"] == "canceled"
    assert web.post(f"{sb.url}/_sandbox/cancel", json={}).status_code == 400
    assert web.post(f"{sb.url}/_sandbox/cancel",
                      json={"invitee": f"{sb.url}/x/y"}).status_code == 404
    token = web.post(f"{sb.url}/_sandbox/tokens", json={"role": "admin"}).json()
    me = web.get(f"{sb.url}/users/me", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.json()["resource"]["uri"] == token["user"]
    info = web.get(f"{sb.url}/_sandbox/info").json()
    assert info["token"] == sb.token and info["organization"] == sb.organization_uri


def test_a_handler_bug_answers_calendlys_500_not_a_dropped_connection(calendly_plain_sandbox):
    """A sandbox bug must look like Calendly failing (500 and its body), so the client's
    retry and error paths are what a test exercises, not a transport error."""
    import httpx

    from django_calendly.sandbox import routes

    sb = calendly_plain_sandbox
    original = routes.HANDLERS["users.me"]
    op_handlers = routes.ROUTER.table
    bucket = next(b for b in op_handlers.values() if any(e[2].name == "users.me" for e in b))
    index = next(i for i, e in enumerate(bucket) if e[2].name == "users.me")
    method, shape, op, _ = bucket[index]

    def broken(call):
        raise RuntimeError("boom")

    bucket[index] = (method, shape, op, broken)
    try:
        response = httpx.get(f"{sb.url}/users/me", headers={"Authorization": f"Bearer {sb.token}"})
    finally:
        bucket[index] = (method, shape, op, original)
    assert response.status_code == 500
    assert response.json()["title"] == "Internal Server Error"
    assert "x-ratelimit-limit" in response.headers
