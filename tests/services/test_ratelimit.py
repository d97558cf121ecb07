"""The shared per-user rate limiter: never more than N calls in any window, across callers."""

from __future__ import annotations

import os
import threading
import time

import httpx
import pytest
from limits.storage import storage_from_string

from django_calendly.client import CalendlyClient
from django_calendly.services.ratelimit import SharedRateLimiter, limiter_for
from django_calendly.services.ratelimit.database import DatabaseStorage

REDIS_URL = os.environ.get("CALENDLY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _max_in_any_window(stamps: list[float], window: float) -> int:
    """The most stamps in any span of ``window`` seconds. Stamps are taken after
    ``acquire`` returns, a little after the slot was taken (threads wait for the GIL), so
    callers check a span a bit shorter than the limiter's window."""
    stamps = sorted(stamps)
    best, lo = 0, 0
    for hi, t in enumerate(stamps):
        while t - stamps[lo] >= window:
            lo += 1
        best = max(best, hi - lo + 1)
    return best


def _run(limiter_factory, threads: int, calls_each: int) -> list[float]:
    stamps: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        limiter = limiter_factory()
        for _ in range(calls_each):
            limiter.acquire()
            with lock:
                stamps.append(time.time())

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join(30)
    return stamps


@pytest.mark.django_db(transaction=True)
def test_database_window_refuses_past_the_limit_and_frees_slots_as_they_age() -> None:
    limiter = SharedRateLimiter("user-a", 3, window=1, store=DatabaseStorage())
    strategy, item = limiter.strategy, limiter.item
    assert [strategy.hit(item, "user-a") for _ in range(4)] == [True, True, True, False]
    assert strategy.hit(item, "user-b")  # another user has a budget of their own
    started = time.time()
    limiter.acquire()  # waits for the oldest slot to leave the window
    assert time.time() - started >= 0.5
    assert limiter.waits >= 1


@pytest.mark.django_db(transaction=True)
def test_database_limiter_paces_a_burst_to_the_limit() -> None:
    store = DatabaseStorage()
    stamps = _run(lambda: SharedRateLimiter("user-c", 4, window=1, store=store), 1, 10)
    assert _max_in_any_window(stamps, 0.9) <= 4
    # Used to the full: 10 calls at 4 per second take a little over two windows.
    assert 2.0 <= max(stamps) - min(stamps) < 3.5


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_database_limiter_is_shared_by_concurrent_callers() -> None:
    store = DatabaseStorage()
    stamps = _run(lambda: SharedRateLimiter("user-d", 5, window=1, store=store), 4, 5)
    assert len(stamps) == 20
    assert _max_in_any_window(stamps, 0.8) <= 5
    assert max(stamps) - min(stamps) >= 3.0


@pytest.mark.redis
def test_redis_limiter_is_shared_by_concurrent_callers() -> None:
    store = storage_from_string(REDIS_URL)
    if not store.check():
        pytest.skip(f"no Redis at {REDIS_URL}")
    key = f"user-e-{time.time()}"
    stamps = _run(lambda: SharedRateLimiter(key, 5, window=1, store=store), 4, 5)
    assert _max_in_any_window(stamps, 0.8) <= 5
    assert 3.0 <= max(stamps) - min(stamps) < 5.0


def test_the_client_takes_a_slot_before_every_attempt_retries_included() -> None:
    taken: list[str] = []

    class Counting:
        def acquire(self) -> None:
            taken.append("slot")

    answers = iter([httpx.Response(503), httpx.Response(200, json={"resource": {"uri": "u"}})])
    client = CalendlyClient(
        token="t", transport=httpx.MockTransport(lambda request: next(answers)),
        limiter=Counting(), sleep=lambda s: None,
    )
    assert client.users.me() == {"uri": "u"}
    assert taken == ["slot", "slot"]


def test_limiter_for_follows_the_settings(settings) -> None:
    settings.CALENDLY_RATE_LIMIT_PER_MINUTE = 50
    limiter = limiter_for("https://api.calendly.com/users/U")
    assert limiter is not None and limiter.limit == 50
    settings.CALENDLY_RATE_LIMIT_PER_MINUTE = 0
    assert limiter_for("https://api.calendly.com/users/U") is None


def test_process_storage_paces_a_burst_to_the_limit() -> None:
    from django_calendly.services.ratelimit.memory import ProcessStorage

    store = ProcessStorage()
    stamps = _run(lambda: SharedRateLimiter("user-f", 4, window=1, store=store), 2, 5)
    assert len(stamps) == 10
    assert _max_in_any_window(stamps, 0.9) <= 4
    assert 2.0 <= max(stamps) - min(stamps) < 3.5


@pytest.mark.django_db(transaction=True)
def test_database_slots_are_all_or_nothing_and_old_ones_are_pruned() -> None:
    from django_calendly.models import RateLimitEntry

    store = DatabaseStorage()
    assert store.acquire_entry("user-g", 5, 1, amount=3)
    assert not store.acquire_entry("user-g", 5, 1, amount=3)  # 3 + 3 > 5: none taken
    assert store.acquire_entry("user-g", 5, 1, amount=2)
    assert not store.acquire_entry("user-g", 5, 1)
    assert RateLimitEntry.objects.filter(bucket__key="user-g").count() == 5
    time.sleep(1.05)
    assert store.acquire_entry("user-g", 5, 1)
    assert RateLimitEntry.objects.filter(bucket__key="user-g").count() == 1  # pruned


@pytest.mark.django_db(transaction=True)
def test_database_storage_survives_its_bucket_deleted_elsewhere() -> None:
    """Another process's clear() or reset() deletes the bucket this one knows the id of."""
    from django_calendly.models import RateLimitBucket, RateLimitEntry

    store = DatabaseStorage()
    assert store.acquire_entry("user-h", 3, 60)
    RateLimitBucket.objects.filter(key="user-h").delete()  # not through this store
    assert store.acquire_entry("user-h", 3, 60)
    assert RateLimitEntry.objects.filter(bucket__key="user-h").count() == 1


@pytest.mark.postgres
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)
@pytest.mark.django_db(transaction=True)
def test_postgresql_slots_skip_the_disk_wait_in_their_own_transaction_only() -> None:
    store = DatabaseStorage()
    assert store.acquire_entry("user-i", 3, 60)
    connection = store._connection()
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"  # the session's setting is untouched
    assert connection.get_autocommit()
