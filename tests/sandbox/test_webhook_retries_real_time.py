"""Failed webhook deliveries are retried as real time passes, as Calendly retries on its
own, on the sandbox clock's schedule: ``clock_rate`` scales it (600: a sandbox minute is
a tenth of a real second), so a day of retries fits in a test."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.delivery import RETRY_BASE, RETRY_WINDOW

from .conftest import Receiver
from .test_webhooks import subscribe


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def state(api: httpx.Client, sb: Sandbox) -> str:
    collection = api.get("/webhook_subscriptions", params={
        "organization": sb.organization_uri, "scope": "organization"}).json()["collection"]
    return str(collection[0]["state"])


def client(sb: Sandbox) -> httpx.Client:
    return httpx.Client(base_url=sb.url, headers={"Authorization": f"Bearer {sb.token}"},
                        timeout=5)


@pytest.fixture
def failing() -> Receiver:
    receiver = Receiver(status=500)
    yield receiver
    receiver.close()


def test_a_retry_comes_when_real_time_reaches_it(calendly_sandbox_factory,
                                                 failing: Receiver) -> None:
    rate = 600.0  # the first retry, 60 sandbox seconds on, is 0.1 real seconds away
    sb: Sandbox = calendly_sandbox_factory(seed_events=5, clock_rate=rate)
    with client(sb) as api:
        subscribe(api, sb, failing.url, ["invitee.created"])
        booked = time.monotonic()
        sb.book()
        assert len(failing.received) == 1
        assert wait_for(lambda: len(failing.received) >= 2), "no retry as time passed"
        elapsed = time.monotonic() - booked
        assert elapsed >= RETRY_BASE / rate * 0.9, f"retry came early ({elapsed:.3f} s)"
        # The receiver has it before the sandbox has recorded its answer.
        assert wait_for(lambda: len([d for d in sb.deliveries if d.url == failing.url]) >= 2)
        retry = [d for d in sb.deliveries if d.url == failing.url][1]
        assert retry.attempt == 2 and retry.status == 500


def test_a_day_of_retries_then_the_subscription_is_disabled(calendly_sandbox_factory,
                                                            failing: Receiver) -> None:
    rate = RETRY_WINDOW / 2  # 24 sandbox hours in 2 real seconds
    sb: Sandbox = calendly_sandbox_factory(seed_events=5, clock_rate=rate)
    with client(sb) as api:
        subscribe(api, sb, failing.url, ["invitee.created"])
        sb.book()
        assert wait_for(lambda: state(api, sb) == "disabled", timeout=20), "never disabled"
        assert wait_for(lambda: len([d for d in sb.deliveries if d.url == failing.url]) >= 12)
        attempts = [d for d in sb.deliveries if d.url == failing.url]
        # The same schedule as moving the clock: 1, 2, 4 ... minutes, then the 24-hour mark.
        assert [d.attempt for d in attempts] == list(range(1, 13))
        dues = [d.at for d in attempts[1:]]
        assert dues == sorted(dues)
        assert dues[-1] - dues[0] == pytest.approx(RETRY_WINDOW - RETRY_BASE, abs=1)
        time.sleep(0.2)
        assert len(failing.received) == 12  # disabled: nothing more


def test_auto_retries_off_leaves_them_to_the_clock(calendly_sandbox_factory,
                                                   failing: Receiver) -> None:
    sb: Sandbox = calendly_sandbox_factory(seed_events=5, clock_rate=6000.0,
                                           auto_retries=False)
    with client(sb) as api:
        subscribe(api, sb, failing.url, ["invitee.created"])
        sb.book()
        time.sleep(0.3)  # 30 sandbox minutes: several retries would have been due
        assert len(failing.received) == 1
        sb.advance_clock(0)  # a jump (even of 0) runs what is due, in time order
        sent = len(failing.received)
        assert sent >= 4  # due at 1, 3, 7 and 15 sandbox minutes
        retries = [d for d in sb.deliveries if d.url == failing.url][1:]
        assert [d.at for d in retries] == sorted(d.at for d in retries)
        assert all(d.at is not None and d.at <= sb.clock.time() for d in retries)
        sb.configure(auto_retries=True)
        assert wait_for(lambda: len(failing.received) > sent)


def test_clock_rate_and_auto_retries_over_http(sb: Sandbox, web: httpx.Client) -> None:
    answer = web.post(f"{sb.url}/_sandbox/configure",
                      json={"clock_rate": 60, "auto_retries": False})
    assert answer.status_code == 200
    assert (answer.json()["clock_rate"], answer.json()["auto_retries"]) == (60.0, False)
    before = sb.clock.time()
    time.sleep(0.05)
    assert sb.clock.time() - before >= 60 * 0.05 * 0.9  # a minute per real second
    for bad in ({"clock_rate": 0}, {"clock_rate": -1}, {"auto_retries": "yes"}):
        refused = web.post(f"{sb.url}/_sandbox/configure", json=bad)
        assert refused.status_code == 400, bad
    with pytest.raises(ValueError):
        Sandbox(clock_rate=float("inf"))


def test_clock_rate_is_bounded_so_the_retry_timer_cannot_overflow() -> None:
    from django_calendly.sandbox.clock import MAX_RATE, MIN_RATE, Clock

    for bad in (MIN_RATE / 10, 1e-9, MAX_RATE * 10):
        with pytest.raises(ValueError):
            Clock(rate=bad)
    assert Clock(rate=MIN_RATE).rate == MIN_RATE


def test_a_clock_read_during_a_rate_change_never_jumps() -> None:
    """``time()`` reads one anchor tuple, so a reader in the middle of ``set_rate`` (here:
    between any two of its lines, by a trace hook) sees the time before or after the
    change, never the elapsed time counted twice."""
    import sys

    from django_calendly.sandbox.clock import Clock

    clock = Clock(rate=3600.0)
    clock.advance(0)
    time.sleep(0.02)  # ~72 sandbox seconds since the anchor
    reads: list[float] = []

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_name == "set_rate":
            def on_line(frame: Any, event: str, arg: Any) -> Any:
                if event == "line":
                    reads.append(clock.time())
                return on_line
            return on_line
        return None

    before = clock.time()
    sys.settrace(tracer)
    try:
        clock.set_rate(1.0)
    finally:
        sys.settrace(None)
    after = clock.time()
    assert reads
    assert all(before - 1 <= r <= after + 1 for r in reads), (before, reads, after)
