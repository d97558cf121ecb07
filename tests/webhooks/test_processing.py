"""Processing deliveries into the mirror: upserts, reschedules, out-of-order convergence,
no-shows, event types, routing forms, failing handlers and replay."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from django_calendly import signals
from django_calendly.models import (
    EventType,
    Invitee,
    InviteeNoShow,
    RoutingFormSubmission,
    ScheduledEvent,
    WebhookDelivery,
)
from django_calendly.services.webhooks import process_delivery, replay_deliveries
from django_calendly.testing.deliveries import post_delivery

from . import payloads as p
from .conftest import KEY

pytestmark = pytest.mark.django_db
_clock = itertools.count(1)


def send(client: Any, event: str, payload: dict[str, Any]) -> Any:
    created_at = f"2026-01-01T12:00:{next(_clock) % 60:02d}.{next(_clock):06d}Z"
    response = post_delivery(client, event, payload, KEY, created_at=created_at)
    assert response.status_code in (200, 202), response.content
    return response


T1, T2 = "2026-01-01T10:00:00.000000Z", "2026-01-01T11:00:00.000000Z"
T3 = "2026-01-01T12:00:00.000000Z"


def test_invitee_created_upserts_invitee_and_event(client: Any, recorder: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1"))
    invitee = Invitee.objects.get()
    event = ScheduledEvent.objects.get()
    assert invitee.uri == p.invitee_uri("EV1", "INV1")
    assert invitee.uuid == "INV1"
    assert invitee.email == "ada@example.com"
    assert invitee.status == "active"
    assert invitee.scheduled_event_id == event.pk
    assert invitee.calendly_data["scheduled_event"]["uri"] == event.uri
    assert event.status == "active"
    assert event.owner == p.HOST
    assert event.organization == p.ORG
    assert event.start_time is not None and event.start_time.isoformat().startswith("2026-02-01T10")
    [created] = recorder.of("invitee_created")
    assert isinstance(created, signals.InviteeEvent)
    assert created.email == "ada@example.com"
    assert created.scheduled_event_uri == event.uri
    assert created.superseded is False
    assert recorder.calls[0][2]["uri"] == invitee.uri  # raw payload
    [received] = recorder.of("webhook_received")
    assert received.name == "invitee.created"
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_invitee_canceled(client: Any, recorder: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T1))
    send(client, "invitee.canceled", p.invitee("EV1", "INV1", status="canceled", updated_at=T2))
    invitee = Invitee.objects.get()
    assert invitee.status == "canceled"
    assert invitee.canceled_at is not None
    assert ScheduledEvent.objects.get().status == "canceled"
    [canceled] = recorder.of("invitee_canceled")
    assert canceled.cancel_reason == "conflict"
    assert canceled.canceler_type == "invitee"
    assert recorder.of("invitee_rescheduled") == []


def test_cancellation_is_never_undone_by_an_older_created(client: Any, recorder: Any) -> None:
    send(client, "invitee.canceled", p.invitee("EV1", "INV1", status="canceled", updated_at=T2))
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T1))
    invitee = Invitee.objects.get()
    assert invitee.status == "canceled"
    assert ScheduledEvent.objects.get().status == "canceled"
    [late] = recorder.of("invitee_created")
    assert late.superseded is True


def test_cancellation_wins_even_with_equal_or_missing_updated_at(client: Any) -> None:
    send(client, "invitee.canceled", p.invitee("EV1", "INV1", status="canceled", updated_at=T1))
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T1))
    assert Invitee.objects.get().status == "canceled"


def test_older_update_never_overwrites_newer_data(client: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T3, email="new@x.com"))
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T1, email="old@x.com"))
    assert Invitee.objects.get().email == "new@x.com"


def _reschedule_pair() -> tuple[dict[str, Any], dict[str, Any]]:
    old_uri, new_uri = p.invitee_uri("EV1", "OLD"), p.invitee_uri("EV2", "NEW")
    old = p.invitee("EV1", "OLD", status="canceled", updated_at=T2, rescheduled=True,
                    new_invitee=new_uri)
    new = p.invitee("EV2", "NEW", updated_at=T2, old_invitee=old_uri,
                    start="2026-02-02T10:00:00.000000Z")
    return old, new


@pytest.mark.parametrize("order", ["canceled_first", "created_first"])
def test_reschedule_links_both_ways_and_signals_once(
    client: Any, recorder: Any, order: str
) -> None:
    send(client, "invitee.created", p.invitee("EV1", "OLD", updated_at=T1))
    old, new = _reschedule_pair()
    deliveries = [("invitee.canceled", old), ("invitee.created", new)]
    if order == "created_first":
        deliveries.reverse()
    for event, payload in deliveries:
        send(client, event, payload)
    # a redelivery (new created_at) of either half does not signal again
    send(client, *deliveries[0])
    old_row = Invitee.objects.get(uuid="OLD")
    new_row = Invitee.objects.get(uuid="NEW")
    assert old_row.status == "canceled" and old_row.rescheduled is True
    assert old_row.new_invitee == new_row.uri
    assert new_row.old_invitee == old_row.uri
    assert new_row.status == "active"
    assert ScheduledEvent.objects.get(uuid="EV1").status == "canceled"
    assert ScheduledEvent.objects.get(uuid="EV2").status == "active"
    [rescheduled] = recorder.of("invitee_rescheduled")
    assert isinstance(rescheduled, signals.InviteeRescheduledEvent)
    assert rescheduled.old.uri == old_row.uri and rescheduled.new.uri == new_row.uri
    assert rescheduled.new.start_time is not None and rescheduled.new.start_time.day == 2


def test_created_first_links_the_stored_old_invitee_at_once(client: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "OLD", updated_at=T1))
    _, new = _reschedule_pair()
    send(client, "invitee.created", new)
    old_row = Invitee.objects.get(uuid="OLD")
    assert old_row.new_invitee == p.invitee_uri("EV2", "NEW")
    assert old_row.status == "active"  # the cancellation has not arrived yet


def _no_show(uuid: str, invitee_uri: str, created_at: str = T2) -> dict[str, Any]:
    return {"uri": f"{p.API}/invitee_no_shows/{uuid}", "invitee": invitee_uri,
            "created_at": created_at}


def test_no_show_created_and_deleted_resource_shape(client: Any, recorder: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1"))
    uri = p.invitee_uri("EV1", "INV1")
    send(client, "invitee_no_show.created", _no_show("NS1", uri))
    ns = InviteeNoShow.objects.get()
    assert ns.invitee == uri and ns.deleted_at is None
    assert Invitee.objects.get().no_show == ns.uri
    [created] = recorder.of("invitee_no_show_created")
    assert created.uri == ns.uri and created.invitee_uri == uri
    send(client, "invitee_no_show.deleted", _no_show("NS1", uri))
    assert InviteeNoShow.objects.get().deleted_at is not None
    assert Invitee.objects.get().no_show == ""
    [deleted] = recorder.of("invitee_no_show_deleted")
    assert deleted.deleted is True


def test_no_show_invitee_shape(client: Any) -> None:
    """Calendly's sample data: the invitee resource with its ``no_show`` object."""
    ns_uri = f"{p.API}/invitee_no_shows/NS2"
    payload = p.invitee("EV1", "INV1", updated_at=T2, no_show={"uri": ns_uri, "created_at": T2})
    send(client, "invitee_no_show.created", payload)
    assert Invitee.objects.get().no_show == ns_uri
    assert InviteeNoShow.objects.get().uri == ns_uri
    send(client, "invitee_no_show.deleted", {**payload, "no_show": None, "updated_at": T3})
    assert InviteeNoShow.objects.get().deleted_at is not None
    assert Invitee.objects.get().no_show == ""


def test_no_show_deleted_before_created_stays_deleted(client: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1"))
    uri = p.invitee_uri("EV1", "INV1")
    send(client, "invitee_no_show.deleted", _no_show("NS1", uri))
    send(client, "invitee_no_show.created", _no_show("NS1", uri))
    assert InviteeNoShow.objects.get().deleted_at is not None
    assert Invitee.objects.get().no_show == ""


def test_no_show_survives_a_later_invitee_delivery(client: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1", updated_at=T1))
    uri = p.invitee_uri("EV1", "INV1")
    send(client, "invitee_no_show.created", _no_show("NS1", uri))
    send(client, "invitee.canceled", p.invitee("EV1", "INV1", status="canceled", updated_at=T3))
    assert Invitee.objects.get().no_show == f"{p.API}/invitee_no_shows/NS1"


def test_event_type_created_updated_deleted(client: Any, recorder: Any) -> None:
    send(client, "event_type.created", p.event_type(updated_at=T1))
    row = EventType.objects.get()
    assert (row.name, row.owner, row.duration, row.active) == ("Intro call", p.HOST, 30, True)
    send(client, "event_type.updated", p.event_type(name="Deep dive", updated_at=T2))
    assert EventType.objects.get().name == "Deep dive"
    send(client, "event_type.updated", p.event_type(name="Stale", updated_at=T1))
    assert EventType.objects.get().name == "Deep dive"
    send(client, "event_type.deleted", p.event_type(name="Deep dive", updated_at=T3, deleted_at=T3))
    row = EventType.objects.get()
    assert row.deleted_at is not None and row.active is False
    actions = [e.action for e in recorder.of("event_type_changed")]
    assert actions == ["created", "updated", "updated", "deleted"]
    assert recorder.of("event_type_changed")[2].superseded is True


def test_event_type_signal_describes_the_delivery(client: Any, recorder: Any) -> None:
    send(client, "event_type.created", p.event_type(updated_at=T2))
    send(client, "event_type.updated", p.event_type(name="Stale", updated_at=T1))
    fresh, stale = recorder.of("event_type_changed")
    assert fresh == signals.EventTypeEvent(
        action="created", uri=f"{p.API}/event_types/ET1", name="Intro call",
        slug="intro-call", active=True, scheduling_url="https://calendly.com/host/intro-call",
        duration=30, updated_at=fresh.updated_at, deleted_at=None, superseded=False,
    )
    assert fresh.updated_at is not None and fresh.updated_at.hour == 11
    # A superseded delivery still reports its own (older) data, not the stored row's.
    assert (stale.name, stale.superseded) == ("Stale", True)


def test_routing_form_submission_stored_raw(client: Any, recorder: Any) -> None:
    payload = {
        "uri": f"{p.API}/routing_form_submissions/RFS1",
        "routing_form": f"{p.API}/routing_forms/RF1",
        "questions_and_answers": [{"question": "Team?", "answer": "Sales"}],
        "tracking": {}, "result": {"type": "event_type", "value": p.EVENT_TYPE},
        "submitter": None, "submitter_type": None,
        "created_at": T1, "updated_at": T1,
    }
    send(client, "routing_form_submission.created", payload)
    row = RoutingFormSubmission.objects.get()
    assert row.calendly_data == payload
    assert row.routing_form.endswith("RF1")
    [event] = recorder.of("routing_form_submission_created")
    assert event.questions_and_answers[0]["answer"] == "Sales"


def test_unknown_event_is_stored_and_only_webhook_received(client: Any, recorder: Any) -> None:
    send(client, "an.unknown_event", {"user_uuid": "U", "contact": {"uri": "x"}})
    assert WebhookDelivery.objects.get().status == "succeeded"
    assert [n for n, _, _ in recorder.calls] == ["webhook_received"]


def test_failing_handler_marks_failed_rolls_back_and_replay_succeeds(
    client: Any, recorder: Any
) -> None:
    calls = {"n": 0}

    def flaky(sender: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("downstream CRM is down")

    signals.invitee_created.connect(flaky, weak=False)
    try:
        response = send(client, "invitee.created", p.invitee("EV1", "INV1"))
        delivery = WebhookDelivery.objects.get()
        assert response.status_code == 202
        assert delivery.status == "failed"
        assert "downstream CRM is down" in delivery.last_error
        assert not Invitee.objects.exists()  # the delivery's mirror writes rolled back
        assert replay_deliveries([delivery.pk]) == {"succeeded": 1}
    finally:
        signals.invitee_created.disconnect(flaky)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("succeeded", 2, "")
    assert Invitee.objects.get().status == "active"


def test_a_receivers_integrity_error_runs_it_once_and_fails_the_delivery(
    client: Any, recorder: Any
) -> None:
    # The second pass for a mirror insert race must not run the host's receivers again
    # (an email sent twice): receivers run once, after the mirror is written.
    from django.db import IntegrityError

    seen: list[bool] = []

    def strict(sender: Any, **kwargs: Any) -> None:
        seen.append(Invitee.objects.filter(uri=kwargs["event"].uri).exists())
        raise IntegrityError("the host's own unique constraint")

    signals.invitee_created.connect(strict, weak=False)
    try:
        send(client, "invitee.created", p.invitee("EV1", "INV1"))
    finally:
        signals.invitee_created.disconnect(strict)
    delivery = WebhookDelivery.objects.get()
    assert seen == [True]  # once, and the mirror row was already there
    assert delivery.status == "failed"
    assert "the host's own unique constraint" in delivery.last_error
    assert not Invitee.objects.exists()
    assert recorder.of("webhook_received") == []  # nothing after the failing receiver


def test_processing_twice_is_a_no_op_unless_forced(client: Any, recorder: Any) -> None:
    send(client, "invitee.created", p.invitee("EV1", "INV1"))
    delivery = WebhookDelivery.objects.get()
    assert process_delivery(delivery.pk) == "succeeded"
    assert len(recorder.of("invitee_created")) == 1
    assert process_delivery(delivery.pk, force=True) == "succeeded"
    assert len(recorder.of("invitee_created")) == 2
    assert process_delivery(10**9) == "missing"


def test_payload_without_uri_fails_cleanly(client: Any) -> None:
    send(client, "invitee.created", {"email": "x@example.com"})
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert "uri" in delivery.last_error
