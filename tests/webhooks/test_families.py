"""Every 2026 webhook family (REFERENCE.md section 6), typed field checks, canceled_at."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from django.dispatch import Signal

from django_calendly import signals
from django_calendly.client.operations import WEBHOOK_EVENT_SCOPES
from django_calendly.models import Invitee, ScheduledEvent, WebhookDelivery
from django_calendly.services.webhooks.handlers import HANDLERS
from django_calendly.testing.deliveries import post_delivery

from . import payloads as p
from .conftest import KEY

pytestmark = pytest.mark.django_db
CONTACT = f"{p.API}/contacts/C1"
RECAP = f"{p.API}/meeting_recaps/R1"


class Caught:
    def __init__(self, signal: Signal) -> None:
        self.events: list[Any] = []
        self.signal = signal
        signal.connect(self.receive, weak=False)

    def receive(self, sender: Any, **kwargs: Any) -> None:
        self.events.append(kwargs["event"])

    def close(self) -> None:
        self.signal.disconnect(self.receive)


@pytest.fixture
def catch() -> Any:
    opened: list[Caught] = []

    def start(signal: Signal) -> Caught:
        opened.append(Caught(signal))
        return opened[-1]

    yield start
    for c in opened:
        c.close()


def test_every_subscribable_event_has_a_handler() -> None:
    assert set(WEBHOOK_EVENT_SCOPES) <= set(HANDLERS)


def test_contact_created_updated_deleted_send_typed_signals(client: Any, catch: Any) -> None:
    caught = catch(signals.contact_changed)
    # [S26] ContactCreatedWebhookPayloadContact
    full = {"uri": CONTACT, "creation_source": "api", "name": "Ada L",
            "emails": [{"email": "ada@example.com", "is_primary": False},
                       {"email": "a@example.org", "is_primary": True}],
            "phone_numbers": [{"phone_number": "+14155550101"}], "timezone": None,
            "job_title": None, "company": "Analytical", "country": "GB", "state": None,
            "city": "London", "linkedin": None, "custom_fields": [
                {"uri": f"{p.API}/contacts/custom_field_definitions/CF1", "label": "Tier",
                 "value": ["gold"]}],
            "created_at": "2026-03-01T10:00:00Z", "updated_at": "2026-03-01T10:00:00Z",
            "next_meeting_date": None, "last_meeting_date": None,
            "last_interaction_date": None, "first_email_date": None, "last_email_date": None}
    post_delivery(client, "contact.created", {"user_uuid": "U1", "contact": full}, KEY)
    post_delivery(client, "contact.updated",
                  {"user_uuid": "U1", "contact": {**full, "name": "Ada Lovelace"}}, KEY)
    post_delivery(client, "contact.deleted", {"user_uuid": "U1", "contact": {
        "uri": CONTACT, "deleted_at": "2026-03-02T10:00:00Z"}}, KEY)
    assert [e.action for e in caught.events] == ["created", "updated", "deleted"]
    created, updated, deleted = caught.events
    assert (created.uri, created.user_uuid) == (CONTACT, "U1")
    assert created.emails == ("ada@example.com", "a@example.org")
    assert created.primary_email == "a@example.org"
    assert created.phone_numbers == ("+14155550101",) and created.creation_source == "api"
    assert updated.name == "Ada Lovelace"
    assert deleted.deleted_at == datetime(2026, 3, 2, 10, tzinfo=UTC) and deleted.emails == ()
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}


def test_meeting_recap_families_send_typed_signals(client: Any, catch: Any) -> None:
    caught = catch(signals.meeting_recap_changed)
    event = {"uri": f"{p.API}/scheduled_events/EV1", "name": "Intro",
             "start_time": "2026-03-01T10:00:00Z", "end_time": "2026-03-01T10:30:00Z",
             "location": {}, "attendees": []}
    recap = {"uri": RECAP, "transcript": "t", "summary_md": "# Sum", "action_items_md": "- a",
             "discussion_md": "d", "share_link": "https://calendly.com/r/1"}
    post_delivery(client, "meeting_recap.created",
                  {"created_at": "2026-03-01T11:00:00Z", "event": event, "recap": recap}, KEY)
    post_delivery(client, "meeting_recap.updated",
                  {"event": event, "recap": {**recap, "summary_md": "# New"}}, KEY)
    post_delivery(client, "meeting_recap.deleted",
                  {"event": {"uri": event["uri"]}, "recap": {"uri": RECAP,
                                                             "deleted_at": None}},
                  KEY, created_at="2026-03-03T09:00:00.000000Z")
    created, updated, deleted = caught.events
    assert (created.action, created.uri, created.event_name) == ("created", RECAP, "Intro")
    assert created.created_at == datetime(2026, 3, 1, 11, tzinfo=UTC)
    assert created.start_time == datetime(2026, 3, 1, 10, tzinfo=UTC)
    assert (updated.action, updated.summary_md, updated.created_at) == ("updated", "# New", None)
    assert deleted.action == "deleted"
    assert deleted.deleted_at == datetime(2026, 3, 3, 9, tzinfo=UTC)  # from the envelope


def test_a_contact_without_uri_fails_clearly(client: Any) -> None:
    post_delivery(client, "contact.created", {"user_uuid": "U1", "contact": {}}, KEY)
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed" and "contact.uri" in delivery.last_error


@pytest.mark.parametrize(
    ("event", "payload", "field"),
    [
        ("invitee.created", {**p.invitee("EV1", "IN1"), "email": ["a@example.com"]},
         "payload.email must be a string, not an array."),
        ("invitee.created", {**p.invitee("EV1", "IN1"), "rescheduled": "yes"},
         "payload.rescheduled must be a boolean, not a string."),
        ("invitee.created", {**p.invitee("EV1", "IN1"),
                             "scheduled_event": {**p.scheduled_event("EV1"),
                                                 "start_time": "not-a-date"}},
         "payload.scheduled_event.start_time must be an ISO-8601 date-time string"),
        ("invitee.created", {**p.invitee("EV1", "IN1"),
                             "scheduled_event": {**p.scheduled_event("EV1"),
                                                 "invitees_counter": {"total": "1"}}},
         "payload.scheduled_event.invitees_counter.total must be an integer"),
        ("invitee_no_show.created", {"uri": f"{p.API}/invitee_no_shows/NS1",
                                     "invitee": 7, "created_at": "2026-03-01T10:00:00Z"},
         "payload.invitee must be a string or an object, not an integer."),
        ("event_type.updated", {**p.event_type(), "duration": True},
         "payload.duration must be an integer, not a boolean."),
        ("routing_form_submission.created",
         {"uri": f"{p.API}/routing_form_submissions/RF1", "questions_and_answers": {}},
         "payload.questions_and_answers must be an array, not an object."),
        ("contact.updated", {"user_uuid": "U1", "contact": {"uri": CONTACT, "name": 1}},
         "payload.contact.name must be a string, not an integer."),
        ("contact.updated", {"user_uuid": "U1",
                             "contact": {"uri": CONTACT, "emails": "a@example.com"}},
         "payload.contact.emails must be an array, not a string."),
        ("contact.updated", {"user_uuid": "U1",
                             "contact": {"uri": CONTACT, "emails": ["a@example.com"]}},
         "payload.contact.emails[0] must be an object, not a string."),
        ("contact.updated", {"user_uuid": "U1", "contact": {"uri": CONTACT, "emails": [
            {"email": "a@example.com", "is_primary": True},
            {"email": "b@example.com", "is_primary": "no"}]}},
         "payload.contact.emails[1].is_primary must be a boolean, not a string."),
        ("contact.created", {"user_uuid": "U1", "contact": {
            "uri": CONTACT, "phone_numbers": [{"phone_number": 14155550101}]}},
         "payload.contact.phone_numbers[0].phone_number must be a string, not an integer."),
        ("contact.created", {"user_uuid": "U1", "contact": {
            "uri": CONTACT, "phones": ["+1"], "phone_numbers": "+1"}},
         "payload.contact.phone_numbers must be an array, not a string."),
        ("contact.created", {"user_uuid": "U1", "contact": {"uri": CONTACT, "country": 47}},
         "payload.contact.country must be a string, not an integer."),
        ("contact.created", {"user_uuid": "U1", "contact": {
            "uri": CONTACT, "last_interaction_date": "yesterday"}},
         "payload.contact.last_interaction_date must be an ISO-8601 date-time string"),
        ("meeting_recap.created", {"event": {}, "recap": "R1"},
         "payload.recap must be an object, not a string."),
    ],
)
def test_a_field_of_the_wrong_type_fails_the_delivery_naming_it(
    client: Any, event: str, payload: dict[str, Any], field: str
) -> None:
    response = post_delivery(client, event, payload, KEY)
    assert response.status_code == 202  # stored (replayable), then refused by processing
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "failed"
    assert delivery.last_error.startswith("PayloadFieldError: " + field), delivery.last_error
    assert "a@example.com" not in delivery.last_error.split("\n")[0]
    assert not Invitee.objects.exists() and not ScheduledEvent.objects.exists()


def _canceled(**cancellation: Any) -> dict[str, Any]:
    data = p.invitee("EV1", "IN1")
    return {**data, "status": "canceled", "updated_at": "2026-03-05T08:00:00.000000Z",
            "scheduled_event": p.scheduled_event("EV1"),
            "cancellation": {"canceled_by": "Ada", "reason": "r", "canceler_type": "invitee",
                             **cancellation}}


def test_canceled_at_comes_from_cancellation_created_at(client: Any, catch: Any) -> None:
    caught = catch(signals.invitee_canceled)
    post_delivery(client, "invitee.canceled",
                  _canceled(created_at="2026-03-04T07:00:00.000000Z"), KEY)
    assert Invitee.objects.get().canceled_at == datetime(2026, 3, 4, 7, tzinfo=UTC)
    assert caught.events[0].canceled_at == datetime(2026, 3, 4, 7, tzinfo=UTC)


def test_canceled_at_falls_back_to_updated_at_for_older_payloads(client: Any, catch: Any) -> None:
    caught = catch(signals.invitee_canceled)
    post_delivery(client, "invitee.canceled", _canceled(), KEY)
    assert Invitee.objects.get().canceled_at == datetime(2026, 3, 5, 8, tzinfo=UTC)
    assert caught.events[0].canceled_at == datetime(2026, 3, 5, 8, tzinfo=UTC)


def test_the_sandboxs_contact_payloads_pass_the_checks(
    client: Any, catch: Any, calendly_sandbox_factory: Any
) -> None:
    """The sandbox's contact.* payloads (Calendly's shape) reach the signal whole."""
    from django_calendly.sandbox.resources import contact_deleted_payload, contact_payload

    sb = calendly_sandbox_factory(seed_events=5, random_seed=3)
    caught = catch(signals.contact_changed)
    store = sb.store
    contact = next(c for c in store.contacts.values() if c["custom_fields"])
    post_delivery(client, "contact.created", contact_payload(store, contact), KEY)
    post_delivery(client, "contact.deleted",
                  contact_deleted_payload(store, contact, store.now()), KEY)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    created, deleted = caught.events
    assert created.uri == deleted.uri == contact["uri"]
    assert created.emails == tuple(e["email"] for e in contact["emails"])
    assert created.primary_email == contact["emails"][0]["email"]
    assert created.phone_numbers == tuple(p["phone_number"] for p in contact["phone_numbers"])
    assert created.creation_source == "calendly"
    assert created.user_uuid == store.contact_owners[contact["uri"].rsplit("/", 1)[1]].rsplit(
        "/", 1)[1]
