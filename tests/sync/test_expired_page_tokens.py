"""The pull sync survives Calendly's expired page tokens (httpx.MockTransport).

Calendly answers a token that is too old with 400 ``[{"parameter": "page_token",
"message": "is invalid"}]``. The sync lists by ``start_time:asc``, so it starts the
listing again from the last start time it reached and skips the events it already has,
mid-run and when the token it stored for the next run has expired; it never loops.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from django_calendly.client import CalendlyClient
from django_calendly.models import ScheduledEvent, SyncState
from django_calendly.sync import SyncError
from django_calendly.sync.engine import SyncEngine, SyncOptions

pytestmark = pytest.mark.django_db

API = "https://api.calendly.com"
ORG = API + "/organizations/ORG1"
BASE = datetime(2030, 3, 1, 9, tzinfo=UTC)
WINDOW = (BASE - timedelta(days=1), BASE + timedelta(days=30))
EXPIRED = {"title": "Invalid Argument", "message": "The supplied parameters are invalid.",
           "details": [{"parameter": "page_token", "message": "is invalid"}]}


def stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def make_event(n: int, start: datetime) -> dict[str, Any]:
    return {
        "uri": f"{API}/scheduled_events/EV{n:03d}", "name": "Call", "status": "active",
        "start_time": stamp(start), "end_time": stamp(start + timedelta(minutes=30)),
        "event_type": API + "/event_types/ET1", "location": None,
        "invitees_counter": {"total": 0, "active": 0, "limit": 1},
        "created_at": stamp(BASE - timedelta(days=5)),
        "updated_at": stamp(BASE - timedelta(days=5)),
        "event_memberships": [], "event_guests": [],
    }


class FakeCalendly:
    """Scheduled events sorted by start time; ``expire`` lists tokens refused once
    (``"*"``: every token, always)."""

    def __init__(
        self, events: list[dict[str, Any]], expire: set[str], inclusive: bool = True
    ) -> None:
        self.events = sorted(events, key=lambda e: e["start_time"])
        self.inclusive = inclusive  # min_start_time as ">=" (or ">": not documented)
        self.expire = set(expire)
        self.listings: list[dict[str, str]] = []
        self.invitee_calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path, params = request.url.path, dict(request.url.params)
        empty = {"collection": [], "pagination": {"next_page_token": None}}
        if path == "/event_types":
            return httpx.Response(200, json=empty)
        if path.endswith("/invitees"):
            self.invitee_calls += 1
            return httpx.Response(200, json=empty)
        assert path == "/scheduled_events", path
        assert params["sort"] == "start_time:asc"
        self.listings.append(params)
        token = params.get("page_token")
        if token is not None and ("*" in self.expire or token in self.expire):
            self.expire.discard(token)
            return httpx.Response(400, json=EXPIRED)
        low, high = params["min_start_time"], params["max_start_time"]
        rows = [e for e in self.events if low <= e["start_time"] < high
                and (self.inclusive or e["start_time"] > low)]
        offset = int(token.rsplit("@", 1)[1]) if token else 0
        count = int(params["count"])
        more = offset + count < len(rows)
        return httpx.Response(200, json={
            "collection": rows[offset:offset + count],
            "pagination": {"next_page_token": f"{low}@{offset + count}" if more else None},
        })


def run(calendly: FakeCalendly, **options: Any) -> Any:
    client = CalendlyClient("t", transport=httpx.MockTransport(calendly), max_retries=0)
    with client:
        return SyncEngine(client, SyncOptions(
            scope="organization", scope_uri=ORG, organization=ORG,
            window_start=WINDOW[0], window_end=WINDOW[1], concurrency=2, **options,
        )).run()


def events(n: int, same_start_every: int = 1) -> list[dict[str, Any]]:
    """``n`` events, hourly; ``same_start_every`` consecutive ones share a start time."""
    return [make_event(i, BASE + timedelta(hours=i // same_start_every)) for i in range(n)]


def just_before(value: str) -> str:
    """The restart's min_start_time: a microsecond before, so inclusive or not it holds it."""
    return stamp(datetime.fromisoformat(value) - timedelta(microseconds=1))


@pytest.mark.parametrize("inclusive", [True, False])
def test_a_token_that_expires_mid_run_restarts_from_the_last_start_time(inclusive):
    # 250 events, 3 per start time: page 1 ends in the middle of a triple.
    data = events(250, same_start_every=3)
    calendly = FakeCalendly(data, expire={f"{stamp(WINDOW[0])}@100"}, inclusive=inclusive)
    stats = run(calendly)

    assert ScheduledEvent.objects.count() == 250
    assert stats.events == 250  # every event counted once: the overlap was skipped
    assert stats.page_token_restarts == 1
    assert calendly.invitee_calls == 250
    restart = calendly.listings[2]
    assert "page_token" not in restart
    assert restart["min_start_time"] == just_before(data[99]["start_time"])
    # A page token belongs to its query: the restarted listing keeps its min_start_time.
    assert all(q["min_start_time"] == restart["min_start_time"] for q in calendly.listings[2:])
    state = SyncState.objects.get()
    assert state.status == SyncState.Status.SUCCEEDED and state.resume_token == ""


def test_an_expired_stored_token_restarts_from_the_stored_position():
    data = events(350)
    # First run: stops after page 1 is stored (page 4's listing fails hard).
    calendly = FakeCalendly(data, expire=set())
    calls = {"n": 0}

    def failing(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/scheduled_events" and request.url.params.get("page_token"):
            calls["n"] += 1
            # Page 4: page 1 is written by then (after page 3 was listed), page 2 is not.
            if calls["n"] >= 3:
                return httpx.Response(403, json={"title": "Permission Denied", "message": "x"})
        return calendly(request)

    client = CalendlyClient("t", transport=httpx.MockTransport(failing), max_retries=0)
    with client, pytest.raises(SyncError):
        SyncEngine(client, SyncOptions(
            scope="organization", scope_uri=ORG, organization=ORG,
            window_start=WINDOW[0], window_end=WINDOW[1], concurrency=1,
        )).run()
    state = SyncState.objects.get()
    assert state.resume_token and state.counts["resume_start_time"] == data[99]["start_time"]
    assert ScheduledEvent.objects.count() == 100

    # Second run: the stored token has expired by now.
    later = FakeCalendly(data, expire={state.resume_token})
    stats = run(later)
    assert stats.resumed and stats.page_token_restarts == 1
    assert later.listings[1]["min_start_time"] == just_before(data[99]["start_time"])
    assert stats.events == 250  # only what the first run had not stored
    assert ScheduledEvent.objects.count() == 350
    assert later.invitee_calls == 250


def test_tokens_that_keep_expiring_without_progress_stop_the_sync():
    # 300 events at one start time: a restart from it can never get past page 1.
    data = events(300, same_start_every=300)
    calendly = FakeCalendly(data, expire={"*"})
    with pytest.raises(SyncError, match="without any progress"):
        run(calendly)
    # page 1, expired, restarted page 1 (all already listed), expired: then it stops.
    assert len(calendly.listings) == 4
    state = SyncState.objects.get()
    assert state.status == SyncState.Status.FAILED
