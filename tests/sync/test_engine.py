"""The pull sync against the sandbox over real HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_calendly.models import EventType, Invitee, ScheduledEvent, SyncState
from django_calendly.services.sync import sync_scheduled_events
from django_calendly.sync import SyncAlreadyRunning, SyncError, invitees_signature

from .conftest import invitee_calls, requests_of, store_counts

pytestmark = pytest.mark.django_db


def run(client, window, **kwargs):
    since, until = window
    return sync_scheduled_events(client=client, since=since, until=until, **kwargs)


def test_full_sync_fills_the_mirror(sandbox, client, window):
    stats = run(client, window)

    events, invitees, _ = store_counts(sandbox)
    assert ScheduledEvent.objects.count() == events == stats.events == 250
    assert Invitee.objects.count() == invitees == stats.invitees
    assert EventType.objects.count() == stats.event_types > 0
    # The minimum: one call per list page and one invitee call per event.
    assert invitee_calls(sandbox) == events
    assert requests_of(sandbox, "GET /scheduled_events") - invitee_calls(sandbox) == 3
    assert stats.api_calls == sum(sandbox.stats()["requests"].values())
    # Invitees are linked to their event, and the event's signature is stored.
    assert not Invitee.objects.filter(scheduled_event=None).exists()
    event = ScheduledEvent.objects.first()
    assert event.invitees_signature == invitees_signature(event.calendly_data)
    assert event.organization == sandbox.organization_uri
    state = SyncState.objects.get(scope="organization", scope_uri=sandbox.organization_uri)
    assert state.status == SyncState.Status.SUCCEEDED
    assert state.resume_token == ""
    assert state.counts["events"] == 250
    assert state.window_start == window[0]


def test_second_sync_makes_no_invitee_call_and_writes_nothing(sandbox, client, window):
    run(client, window)
    sandbox.reset_stats()
    before = list(ScheduledEvent.objects.values_list("id", "synced_at"))

    stats = run(client, window)

    assert invitee_calls(sandbox) == 0
    assert stats.invitee_events == 0
    assert stats.rows_written == 0
    assert stats.events == 250
    assert list(ScheduledEvent.objects.values_list("id", "synced_at")) == before


def test_a_changed_event_costs_exactly_one_invitee_call(sandbox, client, window):
    run(client, window)
    invitee = next(
        i for i in Invitee.objects.filter(status="active").order_by("id")
        if i.scheduled_event and i.scheduled_event.status == "active"
    )
    sandbox.cancel_invitee(invitee.uri, reason="test")
    sandbox.reset_stats()

    stats = run(client, window)

    assert invitee_calls(sandbox) == 1
    assert stats.invitee_events == 1
    assert stats.events_written == 1
    invitee.refresh_from_db()
    assert invitee.status == "canceled"


def test_full_refetches_every_invitee(sandbox, client, window):
    run(client, window)
    sandbox.reset_stats()
    stats = run(client, window, full=True)
    assert invitee_calls(sandbox) == 250
    assert stats.invitee_events == 250


def test_window_bounds(sandbox, client):
    now = timezone.now()
    since, until = now + timedelta(days=10), now + timedelta(days=40)
    stats = sync_scheduled_events(client=client, since=since, until=until)

    store = sandbox.store if hasattr(sandbox, "store") else sandbox.state
    inside = [
        e for e in store.events.values()
        if since.isoformat() <= e["start_time"].replace("Z", "+00:00") < until.isoformat()
    ]
    assert 0 < stats.events == len(inside) < 250
    assert ScheduledEvent.objects.count() == len(inside)
    assert not ScheduledEvent.objects.filter(start_time__lt=since).exists()
    assert not ScheduledEvent.objects.filter(start_time__gte=until).exists()
    assert invitee_calls(sandbox) == len(inside)


def test_default_window_comes_from_settings(sandbox, client, settings):
    settings.CALENDLY_SYNC_DAYS_BACK = 0
    settings.CALENDLY_SYNC_DAYS_AHEAD = 20
    stats = sync_scheduled_events(client=client)
    now = timezone.now()
    assert 0 < stats.events < 250
    assert not ScheduledEvent.objects.filter(start_time__gt=now + timedelta(days=20)).exists()
    assert not ScheduledEvent.objects.filter(start_time__lt=now - timedelta(hours=1)).exists()


def test_interrupted_sync_resumes_where_it_stopped(sandbox, client, window):
    def fail_after_one_page(stats):
        if stats.pages_written == 1:
            sandbox.configure(error_rate=1.0)

    with pytest.raises(SyncError) as excinfo:
        run(client, window, progress=fail_after_one_page)
    assert "resumes" in str(excinfo.value)
    state = SyncState.objects.get()
    assert state.status == SyncState.Status.FAILED
    assert state.last_error
    assert state.resume_token
    # Page 1 is committed; page 2's invitees were being fetched when the errors began, so
    # it may have made it too. Whatever was committed is what the resume point says.
    done = ScheduledEvent.objects.count()
    assert done in (100, 200)
    assert state.counts["pages_written"] == done // 100

    sandbox.configure(error_rate=0.0)
    sandbox.reset_stats()
    stats = run(client, window)

    assert stats.resumed
    assert ScheduledEvent.objects.count() == 250
    # Only the pages not yet committed are listed again, and only their events' invitees
    # are fetched.
    list_calls = requests_of(sandbox, "GET /scheduled_events") - invitee_calls(sandbox)
    assert list_calls == 3 - done // 100
    assert invitee_calls(sandbox) == 250 - done
    state.refresh_from_db()
    assert state.status == SyncState.Status.SUCCEEDED
    assert state.resume_token == ""
    assert state.last_error == ""


def test_full_ignores_the_resume_point(sandbox, client, window):
    def fail_after_one_page(stats):
        if stats.pages_written == 1:
            sandbox.configure(error_rate=1.0)

    with pytest.raises(SyncError):
        run(client, window, progress=fail_after_one_page)
    sandbox.configure(error_rate=0.0)
    stats = run(client, window, full=True)
    assert not stats.resumed
    assert stats.events == 250


def test_a_running_sync_of_the_same_scope_is_not_started_twice(sandbox, client, window):
    SyncState.objects.create(
        scope="organization",
        scope_uri=sandbox.organization_uri,
        status=SyncState.Status.RUNNING,
        last_started_at=timezone.now(),
    )
    with pytest.raises(SyncAlreadyRunning):
        run(client, window)
    assert sum(sandbox.stats()["requests"].values()) == 0


def test_a_stale_running_state_is_taken_over(sandbox, client, window):
    SyncState.objects.create(
        scope="organization",
        scope_uri=sandbox.organization_uri,
        status=SyncState.Status.RUNNING,
        last_started_at=timezone.now() - timedelta(hours=1),
    )
    assert run(client, window).events == 250


def test_dry_run_writes_nothing_and_fetches_no_invitee(sandbox, client, window):
    stats = run(client, window, dry_run=True)
    assert stats.events == 250
    assert stats.invitee_events == 250  # would be fetched
    assert invitee_calls(sandbox) == 0
    assert ScheduledEvent.objects.count() == 0
    assert EventType.objects.count() == 0
    assert not SyncState.objects.exclude(status=SyncState.Status.IDLE).exists()


def test_queries_per_page_are_constant(sandbox, client, window, django_assert_max_num_queries):
    # 3 pages, 250 events, ~500 invitees: a fixed number of queries per page, not per row.
    with CaptureQueriesContext(connection) as one_page:
        sync_scheduled_events(
            client=client, since=window[0], until=window[0] + timedelta(days=100)
        )
    pages_first = SyncState.objects.get().counts["pages_written"]
    assert pages_first == 1
    with django_assert_max_num_queries(len(one_page) + 2 * 8):
        stats = run(client, window, full=True)
    assert stats.pages == 3
    assert stats.invitees > 250


def test_user_scope(sandbox, client, window):
    stats = sync_scheduled_events(
        client=client, user=sandbox.user_uri, since=window[0], until=window[1]
    )
    store = sandbox.store if hasattr(sandbox, "store") else sandbox.state
    own = [
        e for e in store.events.values()
        if e["event_memberships"][0]["user"] == sandbox.user_uri
    ]
    assert stats.events == len(own) > 0
    assert set(ScheduledEvent.objects.values_list("owner", flat=True)) == {sandbox.user_uri}
    assert SyncState.objects.get().scope == "user"


def test_sync_task_runs_the_sync_and_reports(sandbox, window):
    from django_calendly.sync.tasks import sync_scope_task

    result = sync_scope_task.enqueue(
        organization=sandbox.organization_uri,
        since=window[0].isoformat(),
        until=window[1].isoformat(),
    )
    assert result.return_value["events"] == 250
    assert result.return_value["rows_written"] > 250
    assert ScheduledEvent.objects.count() == 250


def test_sync_task_skips_a_scope_already_running(sandbox):
    from django_calendly.sync.tasks import sync_scope_task

    SyncState.objects.create(
        scope="organization",
        scope_uri=sandbox.organization_uri,
        status=SyncState.Status.RUNNING,
        last_started_at=timezone.now(),
    )
    result = sync_scope_task.enqueue(organization=sandbox.organization_uri)
    assert "already running" in result.return_value["skipped"]


def test_an_event_with_more_than_100_invitees_is_fetched_in_full(sandbox, client, window):
    store = sandbox.store
    event = next(e for e in store.events.values() if e["status"] == "active")
    uuid = event["uri"].rsplit("/", 1)[1]
    existing = len(store.invitees_by_event[uuid])
    for k in range(120):
        store.create_invitee(event, f"crowd{k}@example.com", "Crowd", str(k), store.now())
    run(client, window)
    total = existing + 120
    assert Invitee.objects.filter(event=event["uri"]).count() == total
    assert invitee_calls(sandbox) == 250 + 1  # one more page for the crowded event


def test_a_refused_resume_token_lists_the_window_again(sandbox, client, window):
    run(client, window)
    state = SyncState.objects.get()
    state.status = SyncState.Status.FAILED
    state.resume_token = "not-a-token"
    state.save()
    sandbox.reset_stats()
    stats = run(client, window)
    assert not stats.resumed
    assert stats.events == 250
    assert invitee_calls(sandbox) == 0
    state.refresh_from_db()
    assert state.status == SyncState.Status.SUCCEEDED
