"""A no-show webhook processed while the pull sync fetches invitees is not undone by the
sync's write of the page it fetched before.

Marking a no-show need not change the invitee's ``updated_at``, so the fetched invitee is
not older than the row the webhook wrote and the upsert alone would re-apply the stale
``no_show``; the next incremental sync would not fetch the invitee again (its event's
signature did not change). The webhook deliveries here are signed, stored and processed
by the real service layer; the sync fetches over real HTTP from the sandbox. The race
window is hit deterministically by running the delivery inside ``SyncEngine._write_page``,
after the page's invitees were fetched and before they are written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from django_calendly.client.signatures import SIGNATURE_HEADER
from django_calendly.models import Invitee, InviteeNoShow
from django_calendly.services import mirror
from django_calendly.services.sync import sync_scheduled_events
from django_calendly.services.webhooks import (
    check_signature,
    invalidate_signing_keys,
    parse_envelope,
    process_delivery,
    store_delivery,
)
from django_calendly.sync import SyncStats
from django_calendly.sync.engine import SyncEngine
from django_calendly.testing.deliveries import signed_delivery

from .conftest import invitee_calls

pytestmark = pytest.mark.django_db

KEY = "whsec-no-show-race"
API = "https://api.calendly.com"

Hook = Callable[[list[dict[str, Any]]], None]


@pytest.fixture
def sb(calendly_sandbox: Any, settings: Any) -> Iterator[Any]:
    settings.CALENDLY_ORGANIZATION = calendly_sandbox.organization_uri
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = [KEY]
    settings.CALENDLY_WEBHOOK_INSECURE = False
    invalidate_signing_keys()
    yield calendly_sandbox
    invalidate_signing_keys()


def deliver(event: str, payload: dict[str, Any]) -> None:
    """Receive a signed delivery as the receiver view does, then process it. (Its on-commit
    enqueue never runs: the test's transaction is not committed.)"""
    body, headers = signed_delivery(event, payload, KEY)
    check_signature(body, headers[SIGNATURE_HEADER])
    stored = store_delivery(parse_envelope(body), body, headers)
    assert stored.id is not None and not stored.duplicate
    assert process_delivery(stored.id) == "succeeded"


def sync(window: Any, *, full: bool = False, hook: Hook | None = None) -> SyncStats:
    """A sync of ``window``; ``hook(invitees)`` runs for each page after its invitees were
    fetched and before the page is written."""
    if hook is None:
        return sync_scheduled_events(since=window[0], until=window[1], full=full)
    original = SyncEngine._write_page

    def write_page(self: SyncEngine, page: Any, invitees: Any) -> None:
        hook(invitees)
        original(self, page, invitees)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SyncEngine, "_write_page", write_page)
        return sync_scheduled_events(since=window[0], until=window[1], full=full)


def once(action: Hook) -> Hook:
    done: list[bool] = []

    def hook(invitees: list[dict[str, Any]]) -> None:
        if not done:
            done.append(True)
            action(invitees)

    return hook


def test_a_no_show_marked_during_the_fetch_is_kept(sb: Any, window: Any) -> None:
    sync(window)
    marked: dict[str, Any] = {}

    def mark(invitees: list[dict[str, Any]]) -> None:
        target = next(i for i in invitees if i["status"] == "active" and not i["no_show"])
        no_show = sb.mark_no_show(target["uri"])  # Calendly, after our fetch
        deliver("invitee_no_show.created", no_show)
        assert Invitee.objects.get(uri=target["uri"]).no_show == no_show["uri"]
        marked.update(no_show)

    stats = sync(window, full=True, hook=once(mark))

    assert stats.invitees_written > 0
    assert Invitee.objects.get(uri=marked["invitee"]).no_show == marked["uri"]
    # Nothing else would repair it: the next incremental sync fetches no invitee.
    sb.reset_stats()
    again = sync(window)
    assert invitee_calls(sb) == 0 and again.invitee_events == 0
    assert Invitee.objects.get(uri=marked["invitee"]).no_show == marked["uri"]


def test_a_no_show_deleted_during_the_fetch_stays_deleted(sb: Any, window: Any) -> None:
    sync(window)
    target = Invitee.objects.filter(status="active", no_show="").first()
    assert target is not None
    no_show = sb.mark_no_show(target.uri)
    deliver("invitee_no_show.created", no_show)

    def unmark(invitees: list[dict[str, Any]]) -> None:
        [fetched] = [i for i in invitees if i["uri"] == target.uri]
        assert fetched["no_show"]["uri"] == no_show["uri"]  # the payload still shows it
        sb.unmark_no_show(no_show["uri"])
        deliver("invitee_no_show.deleted", no_show)
        assert Invitee.objects.get(uri=target.uri).no_show == ""

    sync(window, full=True, hook=once(unmark))

    assert Invitee.objects.get(uri=target.uri).no_show == ""
    assert InviteeNoShow.objects.get(uri=no_show["uri"]).deleted_at is not None


def test_the_fetched_no_show_wins_when_no_no_show_changed_during_the_fetch(
    sb: Any, window: Any
) -> None:
    """A local no-show row written before the sync (its deletion was never delivered) does
    not override what Calendly says: repairing missed deliveries is the sync's job."""
    sync(window)
    target = Invitee.objects.filter(status="active", no_show="").first()
    assert target is not None
    no_show = sb.mark_no_show(target.uri)
    deliver("invitee_no_show.created", no_show)
    sb.unmark_no_show(no_show["uri"])  # its invitee_no_show.deleted is lost
    assert Invitee.objects.get(uri=target.uri).no_show == no_show["uri"]
    seen: list[dict[str, Any]] = []

    stats = sync(window, full=True, hook=seen.extend)

    assert [i["no_show"] for i in seen if i["uri"] == target.uri] == [None]
    assert stats.invitees_written > 0
    assert Invitee.objects.get(uri=target.uri).no_show == ""
    assert InviteeNoShow.objects.get(uri=no_show["uri"]).deleted_at is None  # left alone


def test_current_no_shows_follows_the_webhook_rule_in_one_query() -> None:
    now = timezone.now()

    def row(uuid: str, invitee: str, created_hours: int, *, deleted: bool = False) -> None:
        InviteeNoShow.objects.create(
            uri=f"{API}/invitee_no_shows/{uuid}",
            uuid=uuid,
            invitee=f"{API}/invitees/{invitee}",
            calendly_created_at=now - timedelta(hours=created_hours),
            deleted_at=now if deleted else None,
        )

    row("NS1", "A", 3)
    row("NS2", "A", 1)  # A's latest
    row("NS3", "B", 1, deleted=True)  # B's latest, deleted
    row("NS4", "B", 2)
    row("NS5", "C", 1)
    uris = [f"{API}/invitees/{name}" for name in ("A", "B", "C", "D")]

    with CaptureQueriesContext(connection) as queries:
        current = mirror.current_no_shows(uris)
    assert len(queries) == 1
    assert current == {uris[0]: f"{API}/invitee_no_shows/NS2", uris[1]: "", uris[2]: (
        f"{API}/invitee_no_shows/NS5"
    )}

    # Only invitees with a row written at or after the moment; all their rows count.
    InviteeNoShow.objects.update(synced_at=now - timedelta(minutes=5))
    InviteeNoShow.objects.filter(uuid="NS4").update(synced_at=now)
    with CaptureQueriesContext(connection) as queries:
        changed = mirror.current_no_shows(uris, changed_since=now)
    assert len(queries) == 1
    assert changed == {uris[1]: ""}
    assert mirror.current_no_shows([]) == {}
