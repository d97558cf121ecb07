"""Errors, injected faults, retries, 429 pacing and timeouts against the sandbox."""

from __future__ import annotations

import time

import pytest

from django_calendly.client import CalendlyClient, errors


def client_for(sandbox, token=None, **kwargs) -> CalendlyClient:
    kwargs.setdefault("backoff_base", 0.01)
    kwargs.setdefault("backoff_max", 0.05)
    kwargs.setdefault("max_retry_wait", 2.0)
    return CalendlyClient(token=token or sandbox.token, base_url=sandbox.url,
                          trust_env=False, **kwargs)


# --- every error class, from real HTTP answers ------------------------------------------


def test_bad_request(sandbox, sb_client):
    with pytest.raises(errors.BadRequest) as info:
        sb_client.request("GET", "/event_types")  # neither organization nor user
    exc = info.value
    assert exc.status == 400 and exc.title and exc.message
    assert exc.request_id  # the sandbox sends X-Request-Id
    assert exc.details


def test_unauthorized(sandbox):
    with client_for(sandbox, token="wrong-token") as client, \
            pytest.raises(errors.Unauthorized) as info:
        client.users.me()
    assert info.value.title == "Unauthenticated"


def test_permission_denied(sandbox):
    token, _ = sandbox.add_token(role="user")
    with client_for(sandbox, token=token) as client, pytest.raises(errors.PermissionDenied):
        client.organizations.invite(sandbox.organization_uri, "x@example.com")


def test_permission_denied_on_a_free_plan(sandbox, sb_client):
    sandbox.configure(plan="free")
    with pytest.raises(errors.PermissionDenied) as info:
        sb_client.webhooks.create(url="http://127.0.0.1:9/h", events=["invitee.created"],
                                  organization=sandbox.organization_uri, scope="organization")
    assert "upgrade" in info.value.message.lower()


def test_not_found(sb_client):
    with pytest.raises(errors.NotFound) as info:
        sb_client.event_types.get("NOSUCHTHING")
    assert str(info.value).startswith("404 Resource Not Found")


def test_conflict(sandbox, sb_client):
    args = {"url": "http://127.0.0.1:9/dup", "events": ["invitee.created"],
            "organization": sandbox.organization_uri, "scope": "organization"}
    sb_client.webhooks.create(**args)
    with pytest.raises(errors.Conflict):
        sb_client.webhooks.create(**args)


def test_rate_limited_when_the_wait_exceeds_the_bound(sandbox):
    sandbox.configure(rate_limit=2, rate_window=30)
    with client_for(sandbox, max_retry_wait=1.0) as client:
        client.users.me()
        client.users.me()
        started = time.monotonic()
        with pytest.raises(errors.RateLimited) as info:
            client.users.me()
        assert time.monotonic() - started < 0.5  # raised at once, no 30 s sleep
    assert 25 < info.value.retry_after <= 30
    assert sandbox.stats()["rate_limited"] == 1


def test_server_error_after_retries(sandbox):
    sandbox.configure(error_rate=1.0)
    with client_for(sandbox, max_retries=2) as client, pytest.raises(errors.ServerError):
        client.users.me()
    assert sandbox.stats()["requests"]["GET /users/me"] == 3


def test_invalid_response_after_retries(sandbox):
    sandbox.configure(malformed_rate=1.0)
    with client_for(sandbox, max_retries=1) as client, pytest.raises(errors.InvalidResponse):
        client.scheduled_events.list(organization=sandbox.organization_uri)
    assert sandbox.stats()["requests"]["GET /scheduled_events"] == 2


def test_transport_error_after_retries(sandbox):
    sandbox.configure(drop_rate=1.0)
    with client_for(sandbox, max_retries=2) as client, pytest.raises(errors.TransportError):
        client.users.me()
    assert sandbox.stats()["requests"]["GET /users/me"] == 3


def test_connection_refused_is_a_transport_error():
    with CalendlyClient(token="t", base_url="http://127.0.0.1:9", max_retries=1,
                        backoff_base=0.01, trust_env=False) as client:
        with pytest.raises(errors.TransportError) as info:
            client.users.me()
    assert not isinstance(info.value, errors.Timeout)


def test_read_timeout(sandbox):
    sandbox.configure(latency=0.5)
    with client_for(sandbox, timeout=0.1, max_retries=0) as client:
        started = time.monotonic()
        with pytest.raises(errors.Timeout):
            client.users.me()
        assert time.monotonic() - started < 0.45


# --- retries make a faulty service usable ----------------------------------------------


def test_reads_survive_random_faults(sandbox):
    sandbox.configure(error_rate=0.2, drop_rate=0.1, malformed_rate=0.1)
    with client_for(sandbox, max_retries=8) as client:
        items = list(client.scheduled_events.iter(organization=sandbox.organization_uri,
                                                  count=5))
        for _ in range(30):
            assert client.users.me()["uri"] == sandbox.user_uri
    assert len(items) == 40 and len({e["uri"] for e in items}) == 40
    faults = sandbox.stats()["faults"]
    assert faults.get("drop", 0) > 0
    assert sum(faults.get(k, 0) for k in ("500", "502", "503")) > 0
    assert faults.get("malformed", 0) > 0


def test_post_is_not_retried_after_a_server_error(sandbox):
    invitee = next(iter(sandbox.store.invitees.values()))["uri"]
    sandbox.configure(error_rate=1.0)
    with client_for(sandbox, max_retries=3) as client, pytest.raises(errors.ServerError):
        client.no_shows.create(invitee)
    assert sandbox.stats()["requests"]["POST /invitee_no_shows"] == 1


def test_post_is_not_retried_after_a_dropped_connection(sandbox):
    invitee = next(iter(sandbox.store.invitees.values()))["uri"]
    sandbox.configure(drop_rate=1.0)
    with client_for(sandbox, max_retries=3) as client, pytest.raises(errors.TransportError):
        client.no_shows.create(invitee)
    assert sandbox.stats()["requests"]["POST /invitee_no_shows"] == 1


def test_429_is_waited_out_and_paced(sandbox):
    sandbox.configure(rate_limit=3, rate_window=0.3)
    with client_for(sandbox, max_retries=5) as client:
        started = time.monotonic()
        for _ in range(6):  # the 4th call is refused; Calendly's reset is whole seconds
            client.users.me()
        elapsed = time.monotonic() - started
        state = client.rate_limit
    assert sandbox.stats()["rate_limited"] >= 1
    assert elapsed >= 0.3  # had to wait for at least one window to reset
    assert state is not None and state.limit == 3
    assert state.remaining is not None and 0 <= state.remaining < 3
    assert state.seen_at <= time.monotonic()


def test_429_on_post_is_retried(sandbox):
    invitee = next(iter(sandbox.store.invitees.values()))["uri"]
    sandbox.configure(rate_limit=1, rate_window=0.2)
    with client_for(sandbox, max_retries=3) as client:
        client.users.me()
        no_show = client.no_shows.create(invitee)
    assert no_show["invitee"] == invitee
    assert sandbox.stats()["requests"]["POST /invitee_no_shows"] == 2


def test_retries_reuse_the_pooled_connection_when_the_server_keeps_it(sandbox):
    sandbox.configure(error_rate=0.5)
    sandbox.reset_stats()
    with client_for(sandbox, max_retries=10) as client:
        for _ in range(20):
            client.users.me()
    stats = sandbox.stats()
    assert stats["total_requests"] > 20  # some were retried
    assert stats["connections"] == 1
