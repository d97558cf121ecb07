"""Rate-limit pacing: a sync spends the budget, waits for the reset, never fails on 429."""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx
import pytest

from django_calendly.client import CalendlyClient
from django_calendly.client.errors import RateLimited
from django_calendly.models import ScheduledEvent
from django_calendly.sandbox import Sandbox
from django_calendly.services.clients import close_clients, get_client
from django_calendly.services.sync import sync_scheduled_events
from django_calendly.sync.pacing import RateLimitPacer

from .conftest import invitee_calls


@pytest.fixture
def small_sandbox(settings):
    sb = Sandbox(seed_events=60, random_seed=3)
    sb.start(host="127.0.0.1", port=0)
    settings.CALENDLY_ORGANIZATION = sb.organization_uri
    try:
        yield sb
    finally:
        sb.stop()


def _client(sb):
    # No retries inside the client: every 429 reaches the pacer.
    return CalendlyClient(token=sb.token, base_url=sb.url, max_retries=0)


@pytest.mark.django_db
def test_small_rate_limit_is_paced_without_a_single_429(small_sandbox, window):
    sb = small_sandbox
    sb.configure(rate_limit=30, rate_window=2.0)
    with _client(sb) as client:
        started = time.monotonic()
        stats = sync_scheduled_events(
            client=client, since=window[0], until=window[1], concurrency=4
        )
        elapsed = time.monotonic() - started
    assert ScheduledEvent.objects.count() == 60
    assert invitee_calls(sb) == 60
    assert sb.stats()["rate_limited"] == 0
    assert stats.rate_limited == 0
    assert stats.rate_limit_waits >= 1
    # ~62 calls at 30 per 2 s: two resets to wait for, not more.
    assert 2.0 <= elapsed < 10.0


@pytest.mark.django_db
def test_429s_caused_by_someone_else_are_waited_out(small_sandbox, window):
    """Another process spends the same token's budget: the sync gets 429s and still ends."""
    sb = small_sandbox
    sb.configure(rate_limit=30, rate_window=2.0)
    burned = []

    def burn_budget(stats):
        if stats.pages == 0 and not burned:
            # The other consumer: spend the window's budget behind the pacer's back, up to
            # the first refusal (a fixed count could straddle a reset on a loaded machine).
            with httpx.Client(base_url=sb.url) as other:
                for _ in range(200):
                    answer = other.get(
                        "/users/me", headers={"Authorization": f"Bearer {sb.token}"}
                    )
                    if answer.status_code == 429:
                        break
            burned.append(True)

    with _client(sb) as client:
        stats = sync_scheduled_events(
            client=client, since=window[0], until=window[1], progress=burn_budget
        )
    assert burned
    assert sb.stats()["rate_limited"] >= 1
    assert stats.rate_limited >= 1
    assert stats.events == 60 == ScheduledEvent.objects.count()


@pytest.fixture
def configured_sandbox(small_sandbox, settings):
    """``small_sandbox`` with the app's settings pointing at it: the sync builds its client."""
    settings.CALENDLY_BASE_URL = small_sandbox.url
    settings.CALENDLY_ACCESS_TOKEN = small_sandbox.token
    close_clients()
    try:
        yield small_sandbox
    finally:
        close_clients()


def _burn(sb, calls: int) -> None:
    """Another consumer of the same token spends the window behind the sync's back."""
    with httpx.Client(base_url=sb.url) as other:
        for _ in range(calls):
            other.get("/users/me", headers={"Authorization": f"Bearer {sb.token}"})


def _sync_client_sleeps() -> list[float]:
    """Record the sleeps of the client the sync gets from ``get_client`` (none expected)."""
    slept: list[float] = []
    client = get_client(background=True, retry_rate_limited=False)
    client._requester.sleep = slept.append
    return slept


def test_the_sync_client_leaves_429s_to_the_pacer_and_others_keep_retrying(configured_sandbox):
    sync_client = get_client(background=True, retry_rate_limited=False)
    assert sync_client.policy.retry_rate_limited is False
    assert sync_client.policy.max_retries >= 1  # network faults and 5xx are still retried
    assert get_client(background=True).policy.retry_rate_limited is True
    assert get_client().policy.retry_rate_limited is True
    assert get_client(background=True) is not sync_client


@pytest.mark.django_db
def test_every_429_of_the_default_sync_is_waited_by_the_pacer(configured_sandbox, window):
    """No client passed: the sync's own client raises each 429 at once, so every wait is
    the pacer's, counted in the stats and shown by the progress; the client sleeps never."""
    sb = configured_sandbox
    sb.configure(rate_limit=30, rate_window=1.0)
    slept = _sync_client_sleeps()
    burned, waits_seen = [], []

    def progress(stats):
        waits_seen.append(stats.rate_limit_waits)
        if stats.pages == 0 and not burned:
            _burn(sb, 40)
            sb.reset_stats()  # count only the sync's own 429s from here on
            burned.append(True)

    stats = sync_scheduled_events(since=window[0], until=window[1], progress=progress)
    assert burned
    assert stats.events == 60 == ScheduledEvent.objects.count()
    assert slept == []
    assert sb.stats()["rate_limited"] >= 1
    assert stats.rate_limited == sb.stats()["rate_limited"]  # none swallowed by the client
    assert stats.rate_limit_waits >= stats.rate_limited
    assert stats.rate_limit_wait_seconds > 0
    assert max(waits_seen) >= 1  # the progress saw the waits while they happened


@pytest.mark.django_db
def test_a_429_on_resolving_the_scope_is_waited_by_the_pacer(configured_sandbox, window, settings):
    """Without CALENDLY_ORGANIZATION the sync first asks who the token is: paced too."""
    sb = configured_sandbox
    settings.CALENDLY_ORGANIZATION = ""
    sb.configure(rate_limit=30, rate_window=1.0)
    slept = _sync_client_sleeps()
    _burn(sb, 30)
    sb.reset_stats()
    stats = sync_scheduled_events(since=window[0], until=window[1])
    assert slept == []
    assert stats.organization == sb.organization_uri
    assert stats.events == 60
    assert stats.rate_limited == sb.stats()["rate_limited"] >= 1
    assert stats.rate_limit_waits >= 1
    assert stats.api_calls == sb.stats()["total_requests"]  # the users/me call counts too


@dataclass(frozen=True)
class State:
    limit: int
    remaining: int
    reset_at: float


class FakeClient:
    def __init__(self) -> None:
        self.rate_limit: State | None = None


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_spends_the_budget_then_waits_for_the_reset():
    client, clock = FakeClient(), FakeClock()
    pacer = RateLimitPacer(client, reserve=1, sleep=clock.sleep, clock=clock)
    remaining = 5

    def call():
        nonlocal remaining
        if clock.now >= client.rate_limit.reset_at if client.rate_limit else False:
            remaining = 5
        remaining -= 1
        client.rate_limit = State(5, remaining, reset_at=client.rate_limit.reset_at
                                  if client.rate_limit and clock.now < client.rate_limit.reset_at
                                  else clock.now + 10)
        return remaining

    for _ in range(4):
        pacer.call(call)
    assert clock.slept == []  # 4 of 5 spent, the reserve of 1 untouched
    pacer.call(call)
    assert len(clock.slept) == 1 and 9.9 < clock.slept[0] < 10.2
    assert pacer.waits == 1


def test_pacer_retries_429_after_retry_after_as_often_as_needed():
    client, clock = FakeClient(), FakeClock()
    pacer = RateLimitPacer(client, sleep=clock.sleep, clock=clock)
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) <= 5:
            raise RateLimited(429, "Too Many Requests", retry_after=3.0)
        return "ok"

    assert pacer.call(flaky) == "ok"
    assert len(attempts) == 6
    assert pacer.rate_limited == 5
    assert all(2.9 < s < 3.2 for s in clock.slept)


def test_pacer_bounds_each_wait():
    client, clock = FakeClient(), FakeClock()
    pacer = RateLimitPacer(client, sleep=clock.sleep, clock=clock, max_wait=5.0)
    attempts = []

    def once_limited():
        attempts.append(1)
        if len(attempts) == 1:
            raise RateLimited(429, retry_after=3600.0)
        return 1

    pacer.call(once_limited)
    assert clock.slept == [5.0]
