"""``services.mirror.bulk_upsert``: one statement per batch, and the convergence rule every
writer shares (older data never overwrites newer; a cancellation is never undone).

Run on SQLite by default and on PostgreSQL with ``DATABASE_URL=postgres://...``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from django_calendly.models import (
    EventType,
    Invitee,
    RoutingFormSubmission,
    ScheduledEvent,
    WebhookDelivery,
)
from django_calendly.services import mirror
from django_calendly.services.webhooks import process_delivery, store_delivery
from tests.webhooks import payloads as p

pytestmark = pytest.mark.django_db

T1, T2, T3 = (
    "2026-01-01T10:00:00.000000Z",
    "2026-01-01T11:00:00.000000Z",
    "2026-01-01T12:00:00.000000Z",
)


def invitee(uuid: str = "INV1", event: str = "EV1", **kwargs: Any) -> dict[str, Any]:
    return p.invitee(event, uuid, **kwargs)


def event(uuid: str = "EV1", **kwargs: Any) -> dict[str, Any]:
    return p.scheduled_event(uuid, **kwargs)


def only(model: Any) -> Any:
    return model.objects.get()


# -- inserts, values, counts ----------------------------------------------------------------


def test_new_rows_insert_and_the_count_is_returned() -> None:
    assert mirror.upsert_scheduled_events([event("A"), event("B"), event("C")]) == 3
    assert ScheduledEvent.objects.count() == 3
    assert mirror.bulk_upsert(ScheduledEvent, []) == 0


def test_json_and_datetimes_round_trip() -> None:
    data = event("EV1", updated_at="2026-03-04T05:06:07.123456Z")
    data["location"] = {"type": "zoom", "join_url": "https://zoom.us/j/1?pwd=é✓", "n": [1, 2.5]}
    data["event_guests"] = [{"email": "g@example.com", "nested": {"a": None, "b": True}}]
    mirror.upsert_scheduled_events([data], organization=p.ORG)

    row = only(ScheduledEvent)
    assert row.calendly_data == json.loads(json.dumps(data))
    assert row.calendly_updated_at == datetime(2026, 3, 4, 5, 6, 7, 123456, tzinfo=UTC)
    assert row.start_time == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    assert row.calendly_created_at == datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    assert row.organization == p.ORG
    assert row.uuid == "EV1"
    assert (row.invitees_total, row.invitees_active) == (1, 1)
    # Columns the rows do not carry get the model's defaults on insert.
    assert row.invitees_signature == ""
    assert row.synced_at is not None
    # Lookups on the stored values work (the database compares what we wrote).
    assert ScheduledEvent.objects.filter(
        calendly_data__location__type="zoom",
        calendly_updated_at__gt=datetime(2026, 3, 4, tzinfo=UTC),
    ).exists()


def test_extra_columns_are_written_with_each_event() -> None:
    """The pull sync's path: ``extra`` adds ``invitees_signature`` to every row."""
    written = mirror.upsert_scheduled_events(
        [event("A"), event("B")], extra=lambda data: {"invitees_signature": data["uri"][-1]}
    )
    assert written == 2
    assert dict(ScheduledEvent.objects.values_list("uuid", "invitees_signature")) == {
        "A": "A",
        "B": "B",
    }


def test_one_statement_per_batch() -> None:
    mirror.upsert_scheduled_events([event(f"EV{n}") for n in range(100)])
    items = [invitee(f"I{n}", event=f"EV{n % 100}") for n in range(300)]
    with CaptureQueriesContext(connection) as queries:
        assert mirror.upsert_invitees(items) == 300
    # One read of the event ids, one upsert.
    assert len(queries) == 2, [q["sql"][:80] for q in queries]
    assert not Invitee.objects.filter(scheduled_event=None).exists()


def test_batches_follow_the_parameter_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    columns = len([f for f in ScheduledEvent._meta.concrete_fields if not f.primary_key])
    monkeypatch.setattr(mirror, "_max_params", lambda conn: columns * 7)
    rows = [event(f"EV{n}") for n in range(50)]
    with CaptureQueriesContext(connection) as queries:
        assert mirror.upsert_scheduled_events(rows) == 50
    assert len([q for q in queries if "INSERT" in q["sql"]]) == 8  # ceil(50 / 7)
    assert ScheduledEvent.objects.count() == 50
    newer = [event(f"EV{n}", updated_at=T2 if n % 2 else T1) for n in range(50)]
    assert mirror.upsert_scheduled_events(newer) == 50  # 25 newer + 25 equal re-applied


def test_unknown_or_uneven_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="no field"):
        mirror.bulk_upsert(ScheduledEvent, [{"uri": "https://x/1", "nope": 1}])
    with pytest.raises(ValueError, match="same keys"):
        mirror.bulk_upsert(
            RoutingFormSubmission,
            [{"uri": "https://x/1"}, {"uri": "https://x/2", "routing_form": "f"}],
        )


# -- the convergence rule ------------------------------------------------------------------


def test_an_older_row_never_overwrites_a_newer_one() -> None:
    mirror.upsert_invitees([invitee(email="new@example.com", updated_at=T2)])
    before = only(Invitee).synced_at

    assert mirror.upsert_invitees([invitee(email="old@example.com", updated_at=T1)]) == 0

    row = only(Invitee)
    assert row.email == "new@example.com"
    assert row.calendly_data["email"] == "new@example.com"
    assert row.calendly_updated_at == datetime(2026, 1, 1, 11, tzinfo=UTC)
    assert row.synced_at == before


def test_a_newer_row_overwrites() -> None:
    mirror.upsert_invitees([invitee(email="old@example.com", updated_at=T1)])
    assert mirror.upsert_invitees([invitee(email="new@example.com", updated_at=T2)]) == 1
    assert only(Invitee).email == "new@example.com"


def test_equal_updated_at_re_applies_idempotently() -> None:
    data = invitee(updated_at=T1)
    assert mirror.upsert_invitees([data]) == 1
    first = only(Invitee)
    assert mirror.upsert_invitees([data]) == 1  # re-applied (the backend reports it)
    again = only(Invitee)
    assert (again.pk, again.calendly_data, again.status) == (
        first.pk, first.calendly_data, first.status
    )
    assert again.synced_at >= first.synced_at
    # Equal time but different content (Calendly's precision is a millisecond): last wins.
    assert mirror.upsert_invitees([invitee(updated_at=T1, email="b@example.com")]) == 1
    assert only(Invitee).email == "b@example.com"


@pytest.mark.parametrize("model", ["invitee", "event"])
def test_a_canceled_row_is_never_re_activated(model: str) -> None:
    if model == "invitee":
        upsert, build, cls = mirror.upsert_invitees, invitee, Invitee
    else:
        upsert, build, cls = mirror.upsert_scheduled_events, event, ScheduledEvent
    upsert([build(status="canceled", updated_at=T2)])

    # Older active data: skipped. Newer active data (should not exist; if it does): skipped.
    assert upsert([build(status="active", updated_at=T1)]) == 0
    assert upsert([build(status="active", updated_at=T3)]) == 0
    assert only(cls).status == "canceled"
    assert only(cls).calendly_updated_at == datetime(2026, 1, 1, 11, tzinfo=UTC)

    # Newer canceled data still applies.
    assert upsert([build(status="canceled", updated_at=T3)]) == 1
    assert only(cls).calendly_updated_at == datetime(2026, 1, 1, 12, tzinfo=UTC)


def test_an_active_row_is_canceled_by_newer_data_only() -> None:
    mirror.upsert_invitees([invitee(status="active", updated_at=T2)])
    assert mirror.upsert_invitees([invitee(status="canceled", updated_at=T1)]) == 0
    assert only(Invitee).status == "active"
    assert mirror.upsert_invitees([invitee(status="canceled", updated_at=T2)]) == 1
    assert only(Invitee).status == "canceled"
    assert only(Invitee).canceled_at == datetime(2026, 1, 1, 11, tzinfo=UTC)


def test_a_missing_updated_at_orders_nothing() -> None:
    no_time = invitee(email="none@example.com")
    no_time["updated_at"] = None
    mirror.upsert_invitees([no_time])
    assert only(Invitee).calendly_updated_at is None
    assert mirror.upsert_invitees([invitee(email="t1@example.com", updated_at=T1)]) == 1
    assert only(Invitee).email == "t1@example.com"
    # As in the webhook processing: data without updated_at is not "older".
    assert mirror.upsert_invitees([no_time]) == 1
    assert only(Invitee).email == "none@example.com"


def test_a_deleted_event_type_is_never_undeleted() -> None:
    data = {
        "uri": f"{p.API}/event_types/ET1", "name": "Intro", "slug": "intro", "active": True,
        "updated_at": T1, "created_at": T1, "profile": {"owner": p.HOST},
        "organization": p.ORG,
    }
    mirror.upsert_event_types([{**data, "deleted_at": T2, "active": False}])
    assert mirror.upsert_event_types([{**data, "name": "Listed before the deletion"}]) == 0
    row = only(EventType)
    assert row.deleted_at is not None and row.active is False and row.name == "Intro"


def test_duplicates_in_one_batch_fold_like_successive_upserts() -> None:
    rows = [
        invitee(status="canceled", updated_at=T2),
        invitee(status="active", updated_at=T1),
        invitee(status="active", updated_at=T3),
    ]
    assert mirror.upsert_invitees(rows) == 1
    assert only(Invitee).status == "canceled"
    assert only(Invitee).calendly_updated_at == datetime(2026, 1, 1, 11, tzinfo=UTC)


def test_a_mixed_batch_counts_only_the_rows_written() -> None:
    mirror.upsert_invitees([invitee("A", updated_at=T2), invitee("B", updated_at=T1)])
    batch = [
        invitee("A", updated_at=T1),  # older: skipped
        invitee("B", updated_at=T2),  # newer: updated
        invitee("C", updated_at=T1),  # new: inserted
    ]
    assert mirror.upsert_invitees(batch) == 2
    assert dict(Invitee.objects.values_list("uuid", "calendly_updated_at")) == {
        "A": datetime(2026, 1, 1, 11, tzinfo=UTC),
        "B": datetime(2026, 1, 1, 11, tzinfo=UTC),
        "C": datetime(2026, 1, 1, 10, tzinfo=UTC),
    }


# -- links and columns the Calendly data does not carry -------------------------------------


def test_links_are_filled_even_when_the_row_is_older() -> None:
    # The invitee arrived before its event was mirrored: no link yet.
    mirror.upsert_invitees([invitee(updated_at=T2)])
    assert only(Invitee).scheduled_event_id is None
    mirror.upsert_scheduled_events([event(updated_at=T1)])

    # The sync writes older invitee data: the row is kept, the missing link is filled.
    assert mirror.upsert_invitees([invitee(updated_at=T1, email="old@example.com")]) == 1
    row = only(Invitee)
    assert row.scheduled_event_id == only(ScheduledEvent).pk
    assert row.email == "ada@example.com"
    assert row.calendly_updated_at == datetime(2026, 1, 1, 11, tzinfo=UTC)
    # Nothing left to fill: an older row is skipped again.
    assert mirror.upsert_invitees([invitee(updated_at=T1)]) == 0


def test_an_empty_link_never_erases_a_stored_one() -> None:
    new_uri = f"{p.API}/scheduled_events/EV2/invitees/INV2"
    mirror.upsert_invitees(
        [invitee(status="canceled", rescheduled=True, new_invitee=new_uri, updated_at=T1)]
    )
    # Newer data without the link (or with an event not mirrored): the links stay.
    assert mirror.upsert_invitees([invitee(status="canceled", updated_at=T2)]) == 1
    row = only(Invitee)
    assert (row.new_invitee, row.rescheduled) == (new_uri, True)
    assert row.calendly_updated_at == datetime(2026, 1, 1, 11, tzinfo=UTC)


def test_the_sync_signature_is_left_alone_by_writers_without_it() -> None:
    mirror.bulk_upsert(
        ScheduledEvent,
        [{**mirror.scheduled_event_fields(event(updated_at=T1)), "invitees_signature": "sig"}],
    )
    mirror.upsert_scheduled_events([event(updated_at=T2)])
    assert only(ScheduledEvent).invitees_signature == "sig"
    # An older write carrying a signature is skipped with the rest of its row.
    mirror.bulk_upsert(
        ScheduledEvent,
        [{**mirror.scheduled_event_fields(event(updated_at=T1)), "invitees_signature": "old"}],
    )
    assert only(ScheduledEvent).invitees_signature == "sig"


# -- the reviewer's scenario, end to end -----------------------------------------------------


def _deliver(name: str, payload: dict[str, Any], created_at: str) -> str:
    envelope = {"event": name, "created_at": created_at, "created_by": p.HOST, "payload": payload}
    with mock.patch("django_calendly.services.webhooks.deliveries._enqueue"):
        delivery = store_delivery(envelope, json.dumps(envelope).encode())
    return process_delivery(delivery.id)


def test_a_webhook_cancellation_survives_the_sync_writing_older_data() -> None:
    # The sync listed the event and fetched its invitee at 10:00 (active) ...
    listed_event, listed_invitee = event(updated_at=T1), invitee(updated_at=T1)
    # ... an invitee.canceled delivery is processed meanwhile (12:00) ...
    canceled = invitee(status="canceled", updated_at=T3, event_status="canceled")
    assert _deliver("invitee.canceled", canceled, "2026-01-01T12:00:01.000000Z") == (
        WebhookDelivery.Status.SUCCEEDED
    )
    assert only(Invitee).status == "canceled"
    # ... then the sync writes the page it listed earlier.
    assert mirror.upsert_scheduled_events([listed_event]) == 0
    assert mirror.upsert_invitees([listed_invitee]) == 0

    row = only(Invitee)
    assert row.status == "canceled"
    assert row.calendly_updated_at == datetime(2026, 1, 1, 12, tzinfo=UTC)
    assert row.scheduled_event_id == only(ScheduledEvent).pk
    assert only(ScheduledEvent).status == "canceled"


def test_an_older_webhook_after_the_sync_changes_nothing() -> None:
    mirror.upsert_scheduled_events([event(status="canceled", updated_at=T3, active=0)])
    mirror.upsert_invitees([invitee(status="canceled", updated_at=T3)])
    assert _deliver("invitee.created", invitee(updated_at=T1), T1) == "succeeded"
    assert only(Invitee).status == "canceled"
    assert only(ScheduledEvent).status == "canceled"


def test_synced_at_moves_only_when_the_row_is_written() -> None:
    mirror.upsert_invitees([invitee(updated_at=T2)])
    stored = only(Invitee).synced_at
    mirror.upsert_invitees([invitee(updated_at=T1)])
    assert only(Invitee).synced_at == stored
    later = stored + timedelta(seconds=5)
    with mock.patch("django_calendly.services.mirror.timezone.now", return_value=later):
        mirror.upsert_invitees([invitee(updated_at=T2)])
    assert only(Invitee).synced_at == later
