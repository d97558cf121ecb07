"""Retries, backoff bounds, 429 pacing, timeouts and logging: the transport layer."""

from __future__ import annotations

import logging
import random
import threading

import httpx
import pytest

from django_calendly.client import CalendlyClient, errors
from django_calendly.client.transport import RetryPolicy, parse_retry_after

from .conftest import API, TOKEN, Recorder, error, ok, resource

USER = API + "/users/U1"
INVITEE = API + "/scheduled_events/E1/invitees/I1"


def connect_error() -> httpx.ConnectError:
    return httpx.ConnectError("connection refused")


# --- idempotent calls -------------------------------------------------------------------


def test_get_is_retried_on_5xx_then_succeeds(make_client, fake_sleep):
    client, rec = make_client([error(500), error(503), resource({"uri": USER})])
    assert client.users.me() == {"uri": USER}
    assert rec.count == 3
    assert len(fake_sleep.calls) == 2


def test_get_gives_up_after_max_retries(make_client, fake_sleep):
    client, rec = make_client([error(500)] * 3, max_retries=2)
    with pytest.raises(errors.ServerError):
        client.users.me()
    assert rec.count == 3
    assert len(fake_sleep.calls) == 2


def test_max_retries_zero_means_one_attempt(make_client, fake_sleep):
    client, rec = make_client([error(502)], max_retries=0)
    with pytest.raises(errors.ServerError):
        client.users.me()
    assert rec.count == 1
    assert fake_sleep.calls == []


@pytest.mark.parametrize(
    ("exc", "raised"),
    [
        (httpx.ReadTimeout("slow"), errors.Timeout),
        (httpx.ConnectTimeout("slow"), errors.Timeout),
        (httpx.ConnectError("refused"), errors.TransportError),
        (httpx.ReadError("reset"), errors.TransportError),
        (httpx.RemoteProtocolError("Server disconnected"), errors.TransportError),
    ],
)
def test_get_network_faults_are_retried_and_then_mapped(make_client, exc, raised):
    client, rec = make_client([exc, exc, exc, exc], max_retries=3)
    with pytest.raises(raised) as info:
        client.users.me()
    assert rec.count == 4
    assert info.value.__cause__ is exc


def test_get_recovers_from_a_dropped_connection(make_client):
    client, rec = make_client([httpx.RemoteProtocolError("dropped"), resource()])
    assert client.users.me()["uri"]
    assert rec.count == 2


def test_delete_is_retried_on_5xx(make_client):
    client, rec = make_client([error(500), httpx.Response(204)])
    assert client.webhooks.delete("W1") is None
    assert [r.method for r in rec.requests] == ["DELETE", "DELETE"]


def test_delete_404_after_a_lost_answer_counts_as_done(make_client):
    client, rec = make_client([httpx.ReadTimeout("lost"), error(404)])
    assert client.no_shows.delete("N1") is None
    assert rec.count == 2


def test_delete_404_at_first_attempt_is_not_found(make_client):
    client, _ = make_client([error(404)])
    with pytest.raises(errors.NotFound):
        client.no_shows.delete("N1")


def test_malformed_body_is_retried_for_get_then_invalid_response(make_client):
    bad = httpx.Response(200, text="<html>")
    client, rec = make_client([bad, resource({"uri": USER})])
    assert client.users.me() == {"uri": USER}
    assert rec.count == 2
    client2, rec2 = make_client([httpx.Response(200, text="<html>")] * 2, max_retries=1)
    with pytest.raises(errors.InvalidResponse):
        client2.users.me()
    assert rec2.count == 2


# --- POST -------------------------------------------------------------------------------


def test_post_is_not_retried_on_5xx(make_client, fake_sleep):
    client, rec = make_client([error(500)])
    with pytest.raises(errors.ServerError):
        client.no_shows.create(INVITEE)
    assert rec.count == 1
    assert fake_sleep.calls == []


@pytest.mark.parametrize(
    "exc",
    [httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("dropped"), httpx.ReadError("x")],
)
def test_post_is_not_retried_once_it_may_have_been_sent(make_client, exc):
    client, rec = make_client([exc])
    with pytest.raises(errors.TransportError):
        client.no_shows.create(INVITEE)
    assert rec.count == 1


@pytest.mark.parametrize("exc", [httpx.ConnectError("refused"), httpx.ConnectTimeout("slow")])
def test_post_is_retried_when_nothing_was_sent(make_client, exc):
    client, rec = make_client([exc, ok({"resource": {"uri": API + "/invitee_no_shows/N1"}}, 201)])
    assert client.no_shows.create(INVITEE)["uri"].endswith("/N1")
    assert rec.count == 2


def test_post_malformed_success_body_is_not_retried(make_client):
    client, rec = make_client([httpx.Response(201, text="oops")])
    with pytest.raises(errors.InvalidResponse):
        client.scheduled_events.cancel("E1")
    assert rec.count == 1


# --- 429 pacing -------------------------------------------------------------------------


def test_429_waits_for_ratelimit_reset_then_retries(make_client, fake_sleep):
    client, rec = make_client(
        [error(429, headers={"X-RateLimit-Reset": "7", "X-RateLimit-Remaining": "0",
                             "X-RateLimit-Limit": "500"}),
         resource()]
    )
    client.users.me()
    assert fake_sleep.calls == [7.0]
    assert rec.count == 2


def test_429_on_post_is_retried_because_it_was_not_processed(make_client, fake_sleep):
    client, rec = make_client(
        [error(429, headers={"X-RateLimit-Reset": "1"}), ok({"resource": {"uri": "x"}}, 201)]
    )
    assert client.no_shows.create(INVITEE) == {"uri": "x"}
    assert fake_sleep.calls == [1.0]
    assert [r.method for r in rec.requests] == ["POST", "POST"]


def test_429_falls_back_to_retry_after(make_client, fake_sleep):
    client, _ = make_client([error(429, headers={"Retry-After": "3"}), resource()])
    client.users.me()
    assert fake_sleep.calls == [3.0]


def test_429_longer_than_the_wait_bound_raises_at_once(make_client, fake_sleep):
    client, rec = make_client(
        [error(429, headers={"X-RateLimit-Reset": "120"})], max_retry_wait=60
    )
    with pytest.raises(errors.RateLimited) as info:
        client.users.me()
    assert info.value.retry_after == 120
    assert rec.count == 1
    assert fake_sleep.calls == []


def test_429_waits_count_against_the_total_bound(make_client, fake_sleep):
    limited = error(429, headers={"X-RateLimit-Reset": "4"})
    client, rec = make_client([limited, limited, limited], max_retry_wait=10, max_retries=5)
    with pytest.raises(errors.RateLimited):
        client.users.me()
    assert fake_sleep.calls == [4.0, 4.0]  # a third wait would reach 12s > 10s
    assert rec.count == 3


def test_429_without_any_header_uses_backoff(make_client, fake_sleep):
    client, _ = make_client([error(429), resource()], backoff_base=0.5)
    client.users.me()
    assert len(fake_sleep.calls) == 1 and 0 <= fake_sleep.calls[0] <= 0.5


def test_429_is_raised_at_once_when_rate_limits_are_left_to_the_caller(make_client, fake_sleep):
    """``retry_rate_limited=False`` (the sync's client): the caller's pacer does the waiting."""
    limited = error(429, headers={"X-RateLimit-Reset": "7", "X-RateLimit-Remaining": "0",
                                  "X-RateLimit-Limit": "500"})
    client, rec = make_client([limited, resource()], retry_rate_limited=False)
    with pytest.raises(errors.RateLimited) as info:
        client.users.me()
    assert info.value.retry_after == 7
    assert rec.count == 1
    assert fake_sleep.calls == []
    assert client.rate_limit is not None and client.rate_limit.remaining == 0
    client.users.me()  # the caller retries when it chooses to
    assert rec.count == 2


def test_429_raised_at_once_also_for_post(make_client, fake_sleep):
    client, rec = make_client(
        [error(429, headers={"Retry-After": "2"})], retry_rate_limited=False
    )
    with pytest.raises(errors.RateLimited) as info:
        client.no_shows.create(INVITEE)
    assert info.value.retry_after == 2
    assert rec.count == 1
    assert fake_sleep.calls == []


def test_without_429_retries_network_faults_and_5xx_are_still_retried(make_client, fake_sleep):
    client, rec = make_client(
        [connect_error(), error(503), resource({"uri": USER})], retry_rate_limited=False
    )
    assert client.users.me() == {"uri": USER}
    assert rec.count == 3
    assert len(fake_sleep.calls) == 2


def test_429s_are_retried_by_default():
    assert RetryPolicy().retry_rate_limited is True
    with CalendlyClient(token=TOKEN) as client:
        assert client.policy.retry_rate_limited is True


def test_parse_retry_after_forms():
    assert parse_retry_after(httpx.Headers({"X-RateLimit-Reset": "60"})) == 60
    assert parse_retry_after(httpx.Headers({"X-RateLimit-Reset": "1100"}), now=1000) == 1100
    assert parse_retry_after(httpx.Headers({"X-RateLimit-Reset": "1700000060"}),
                             now=1700000000) == 60
    assert parse_retry_after(httpx.Headers({"Retry-After": "2.5"})) == 2.5
    assert parse_retry_after(
        httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}), now=1445412480
    ) == 10
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers({})) is None


# --- backoff bounds ---------------------------------------------------------------------


def test_backoff_is_full_jitter_under_an_exponential_ceiling():
    policy = RetryPolicy(backoff_base=0.5, backoff_max=4.0)
    rng = random.Random(1)
    for retry, ceiling in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 4.0), (10, 4.0)]:
        samples = [policy.backoff(retry, rng) for _ in range(300)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) > ceiling * 0.8  # spread over the whole range
        assert min(samples) < ceiling * 0.2


def test_total_sleep_never_exceeds_max_retry_wait(make_client, fake_sleep):
    client, rec = make_client(
        [error(500)] * 11, max_retries=10, max_retry_wait=1.5, backoff_base=5.0,
        backoff_max=5.0, rng=random.Random(3),
    )
    with pytest.raises(errors.ServerError):
        client.users.me()
    assert rec.count == 11
    assert fake_sleep.total <= 1.5 + 1e-9


def test_negative_retry_settings_are_refused():
    with pytest.raises(ValueError):
        CalendlyClient(token=TOKEN, max_retries=-1)
    with pytest.raises(ValueError):
        CalendlyClient(token=TOKEN, max_retry_wait=-1)


# --- rate-limit state, timeouts, logging, headers ---------------------------------------


def test_rate_limit_state_records_the_last_headers(make_client):
    client, _ = make_client(
        [resource(**{"X-RateLimit-Limit": "500", "X-RateLimit-Remaining": "498",
                     "X-RateLimit-Reset": "42"})]
    )
    assert client.rate_limit is None
    import time

    before = time.monotonic()
    client.users.me()
    state = client.rate_limit
    assert state is not None
    assert (state.limit, state.remaining, state.reset) == (500, 498, 42)
    assert before <= state.seen_at <= time.monotonic()
    assert state.reset_at == pytest.approx(state.seen_at + 42)
    assert 41 < state.seconds_until_reset() <= 42


def test_one_client_serves_many_threads(make_client):
    lock = threading.Lock()
    counter = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        with lock:
            counter["n"] += 1
            remaining = 1000 - counter["n"]
        return httpx.Response(200, json={"resource": {"uri": USER}},
                              headers={"X-RateLimit-Limit": "1000",
                                       "X-RateLimit-Remaining": str(remaining)})

    client, _ = make_client(handler)
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(50):
                client.users.get("U1")
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert counter["n"] == 400
    assert client.rate_limit is not None and client.rate_limit.limit == 1000


def test_every_call_carries_connect_and_read_timeouts(make_client):
    client, rec = make_client([resource(), ok({"resource": {}}, 201)], timeout=7.5,
                              connect_timeout=2.5)
    client.users.me()
    client.scheduled_events.cancel("E1", reason="x")
    for request in rec.requests:
        timeout = request.extensions["timeout"]
        assert timeout["connect"] == 2.5
        assert timeout["read"] == 7.5


def test_requests_carry_the_bearer_token_and_json_headers(make_client):
    client, rec = make_client([resource()])
    client.users.me()
    headers = rec.requests[0].headers
    assert headers["authorization"] == f"Bearer {TOKEN}"
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("django-calendly/")


def test_logs_name_the_call_but_never_the_token_or_query(make_client, caplog):
    client, _ = make_client([error(500), resource()])
    with caplog.at_level(logging.DEBUG, logger="django_calendly.client"):
        client.users.me()
        client2, _ = make_client([ok({"collection": [], "pagination": {}})])
        with caplog.at_level(logging.DEBUG, logger="django_calendly.client"):
            client2.scheduled_events.list(user=USER, invitee_email="secret@example.com")
    text = caplog.text
    assert "GET /users/me -> 500" in text and "(attempt 1)" in text
    assert "GET /users/me -> 200" in text and "(attempt 2)" in text
    assert "GET /scheduled_events -> 200" in text
    assert TOKEN not in text
    assert "Bearer" not in text
    assert "secret@example.com" not in text
    assert TOKEN not in repr(client)


def test_raw_request_refuses_other_hosts(make_client):
    client, rec = make_client([ok({"collection": []})])
    with pytest.raises(ValueError):
        client.request("GET", "https://evil.example.com/users/me")
    with pytest.raises(ValueError):
        client.request("GET", "//evil.example.com/users/me")
    assert client.request("GET", API + "/event_types?x=1") == {"collection": []}
    assert rec.count == 1


def test_context_manager_closes(make_client):
    recorder = Recorder([resource()])
    with CalendlyClient(token=TOKEN, transport=recorder.transport) as client:
        client.users.me()
    assert client.is_closed
