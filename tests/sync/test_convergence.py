"""The pull sync and the webhook processing write the same rows: whatever order they run
in, the mirror converges to Calendly's latest state."""

from __future__ import annotations

import json
from typing import Any
from unittest import mock

import pytest

from django_calendly.models import Invitee, ScheduledEvent
from django_calendly.services.sync import sync_scheduled_events
from django_calendly.services.webhooks import process_delivery, store_delivery
from django_calendly.sync import invitees_signature
from django_calendly.sync.engine import SyncEngine

from .conftest import invitee_calls

pytestmark = pytest.mark.django_db


def _deliver(sandbox: Any, name: str, payload: dict[str, Any]) -> str:
    envelope = {
        "event": name,
        "created_at": payload["updated_at"],
        "created_by": sandbox.user_uri,
        "payload": payload,
    }
    with mock.patch("django_calendly.services.webhooks.deliveries._enqueue"):
        stored = store_delivery(envelope, json.dumps(envelope).encode())
    return process_delivery(stored.id)


def test_a_cancellation_processed_between_listing_and_writing_is_kept(
    sandbox: Any, client: Any, window: Any, settings: Any
) -> None:
    """The sync fetches a page, a webhook cancels one of its invitees, then the sync writes
    the page it fetched: the cancellation stays, and the next sync repairs the event."""
    settings.CALENDLY_WEBHOOK_INSECURE = True
    original = SyncEngine._write_page
    canceled: dict[str, Any] = {}

    def write_page(self: SyncEngine, page: Any, invitees: Any) -> None:
        if not canceled:
            target = next(i for i in invitees if i["status"] == "active")
            sandbox.cancel_invitee(target["uri"], reason="race")
            payload = sandbox.store.invitee_payload(
                sandbox.store.invitees[target["uri"].rsplit("/", 1)[1]]
            )
            assert _deliver(sandbox, "invitee.canceled", payload) == "succeeded"
            canceled.update(uri=target["uri"], event=target["event"])
            assert Invitee.objects.get(uri=target["uri"]).status == "canceled"
        original(self, page, invitees)

    with mock.patch.object(SyncEngine, "_write_page", write_page):
        stats = sync_scheduled_events(client=client, since=window[0], until=window[1])
    assert stats.events == 250

    row = Invitee.objects.get(uri=canceled["uri"])
    assert row.status == "canceled"
    assert row.scheduled_event is not None
    # The event row is the webhook's (newer); the sync's older listing did not store its
    # signature over it, so the next sync fetches that event's invitees once.
    event = ScheduledEvent.objects.get(uri=canceled["event"])
    assert event.invitees_signature != invitees_signature(event.calendly_data)

    sandbox.reset_stats()
    again = sync_scheduled_events(client=client, since=window[0], until=window[1])
    assert invitee_calls(sandbox) == 1
    assert again.invitee_events == 1
    event.refresh_from_db()
    assert event.invitees_signature == invitees_signature(event.calendly_data)
    assert Invitee.objects.get(uri=canceled["uri"]).status == "canceled"

    sandbox.reset_stats()
    third = sync_scheduled_events(client=client, since=window[0], until=window[1])
    assert invitee_calls(sandbox) == 0
    assert third.rows_written == 0
