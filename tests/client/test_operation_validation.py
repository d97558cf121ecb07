"""The new operation families refuse bad arguments before anything is sent.

Each case names the argument the error must name (``InvalidArgument.name``), so the REST
layer can report the field; no request may reach the transport.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from django_calendly.client import CalendlyClient
from django_calendly.client.validation import InvalidArgument

from .conftest import API

ORG = API + "/organizations/O1"
USER = API + "/users/U1"
ET = API + "/event_types/ET1"
EVENT = API + "/scheduled_events/E1"
FORM = API + "/routing_forms/F1"
SOON = datetime.now(UTC) + timedelta(days=1)
PAST = datetime(2024, 1, 1, tzinfo=UTC)
ANN = {"name": "Ann", "email": "ann@example.com", "timezone": "Europe/Berlin"}
RULE = {"timezone": "UTC", "rules": []}
PRIMARY = {"email": "ann@example.com", "is_primary": True}

Call = Callable[[CalendlyClient], Any]

# (family, call, the argument named by the error)
BAD: list[tuple[str, Call, str]] = [
    ("teams", lambda c: c.teams.list(user=ORG), "user"),
    ("teams", lambda c: c.teams.list(count=101), "count"),
    ("teams", lambda c: c.teams.get("../users/me"), "uuid"),
    ("groups", lambda c: c.groups.list(organization=USER), "organization"),
    ("groups", lambda c: c.groups.list(organization=ORG, count=0), "count"),
    ("group_relationships", lambda c: c.group_relationships.list(), "organization"),
    ("group_relationships", lambda c: c.group_relationships.list(owner=ET), "owner"),
    # [S26]: the owner filter is a membership or invitation URI, not a user's.
    ("group_relationships", lambda c: c.group_relationships.list(owner=USER), "owner"),
    ("group_relationships", lambda c: c.group_relationships.list(group=USER), "group"),
    ("event_types", lambda c: c.event_types.create(owner=USER, name=""), "name"),
    ("event_types", lambda c: c.event_types.create(owner=ORG, name="x"), "owner"),
    ("event_types", lambda c: c.event_types.create(owner=USER, name="x", duration=0),
     "duration"),
    ("event_types", lambda c: c.event_types.create(owner=USER, name="x", duration=721),
     "duration"),
    ("event_types", lambda c: c.event_types.create(
        owner=USER, name="x", duration_options=[15, 30, 45, 60, 90]), "duration_options"),
    ("event_types", lambda c: c.event_types.create(
        owner=USER, name="x", duration_options=[15, 15]), "duration_options"),
    ("event_types", lambda c: c.event_types.create(
        owner=USER, name="x", duration_options=[15, 800]), "duration_options[1]"),
    ("event_types", lambda c: c.event_types.create(owner=USER, name="x", color="red"),
     "color"),
    ("event_types", lambda c: c.event_types.update("ET1"), "name"),
    ("event_types", lambda c: c.event_types.update("ET1", active="yes"), "active"),  # type: ignore[arg-type]
    ("event_types", lambda c: c.event_types.create_one_off(
        name="x", host=USER, duration=30, date_setting="tomorrow"), "date_setting"),  # type: ignore[arg-type]
    ("event_types", lambda c: c.event_types.create_one_off(
        name="x", host=USER, duration=30, date_setting={}, co_hosts=[USER, ORG]),
     "co_hosts[1]"),
    ("event_types", lambda c: c.event_types.list_memberships(event_type=USER), "event_type"),
    ("event_types", lambda c: c.event_types.update_availability_schedules(
        ET, {"rules": []}), "availability_rule.timezone"),
    ("event_types", lambda c: c.event_types.update_availability_schedules(
        ET, RULE, availability_setting="team"), "availability_setting"),
    ("locations", lambda c: c.locations.list(user="U1"), "user"),
    ("invitees", lambda c: c.invitees.create(event_type=ET, start_time=SOON, invitee={
        "email": "ann@example.com", "timezone": "UTC"}), "invitee.name"),
    ("invitees", lambda c: c.invitees.create(event_type=ET, start_time=SOON, invitee={
        "first_name": "Ann", "email": "ann@example.com", "timezone": "UTC"}),
     "invitee.last_name"),
    ("invitees", lambda c: c.invitees.create(event_type=ET, start_time=SOON, invitee={
        "name": "Ann", "email": "nope", "timezone": "UTC"}), "invitee.email"),
    ("invitees", lambda c: c.invitees.create(event_type=ET, start_time=SOON, invitee={
        "name": "Ann", "email": "ann@example.com"}), "invitee.timezone"),
    ("invitees", lambda c: c.invitees.create(
        event_type=ET, start_time="2030-01-01T09:00:00", invitee=ANN), "start_time"),
    ("invitees", lambda c: c.invitees.create(event_type=EVENT, start_time=SOON, invitee=ANN),
     "event_type"),
    ("invitees", lambda c: c.invitees.create(
        event_type=ET, start_time=SOON, invitee=ANN,
        event_guests=[f"g{i}@example.com" for i in range(11)]), "event_guests"),
    ("invitees", lambda c: c.invitees.create(
        event_type=ET, start_time=SOON, invitee=ANN, questions_and_answers=["yes"]),  # type: ignore[list-item]
     "questions_and_answers[0]"),
    ("scheduling_links", lambda c: c.scheduling_links.create(USER), "owner"),
    ("shares", lambda c: c.shares.create(ET, duration=721), "duration"),
    ("shares", lambda c: c.shares.create(ET, duration_options=[1, 2, 3, 4, 5]),
     "duration_options"),
    ("shares", lambda c: c.shares.create(ET, period_type="forever"), "period_type"),
    ("shares", lambda c: c.shares.create(ET, period_type="fixed", start_date="2030-01-01"),
     "end_date"),
    ("shares", lambda c: c.shares.create(ET, period_type="moving"), "max_booking_time"),
    ("shares", lambda c: c.shares.create(
        ET, start_date="2030-02-01", end_date="2030-01-01"), "end_date"),
    ("routing_forms", lambda c: c.routing_forms.list(organization=ORG, sort="name:asc"),
     "sort"),
    ("routing_forms", lambda c: c.routing_forms.list_submissions(form=ORG), "form"),
    ("routing_forms", lambda c: c.routing_forms.list_submissions(
        form=FORM, sort="created_at:up"), "sort"),
    ("routing_forms", lambda c: c.routing_forms.get_submission("a/b"), "uuid"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=[]), "emails"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=["ann@b.c"]), "emails[0]"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=[{"email": "ann",
                                                                  "is_primary": True}]),
     "emails[0].email"),
    ("contacts", lambda c: c.contacts.create(name=" ", emails=[PRIMARY]), "name"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=[PRIMARY],
                                             phone_numbers=["+1415"]), "phone_numbers[0]"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=[PRIMARY],
                                             linkedin="linkedin.com/in/ann"), "linkedin"),
    ("contacts", lambda c: c.contacts.create(name="Ann", emails=[PRIMARY],
                                             custom_fields=[{"uuid": "CF1"}]),
     "custom_fields[0]"),
    ("contacts", lambda c: c.contacts.list(sort="name:asc"), "sort"),
    ("contacts", lambda c: c.contacts.list(name=["a,b"]), "name"),
    ("contacts", lambda c: c.contacts.get("C1", exclude="emails"), "exclude"),
    ("contacts", lambda c: c.contacts.update("C1"), "name"),
    ("contacts", lambda c: c.contacts.list_custom_fields(count=500), "count"),
    ("meeting_recaps", lambda c: c.meeting_recaps.list(status="done"), "status"),
    ("meeting_recaps", lambda c: c.meeting_recaps.list(event=ET), "event"),
    ("meeting_recaps", lambda c: c.meeting_recaps.list(attendee="ann"), "attendee"),
    ("meeting_recaps", lambda c: c.meeting_recaps.list(
        start_time=SOON, end_time=SOON - timedelta(hours=1)), "end_time"),
    ("meeting_recaps", lambda c: c.meeting_recaps.update("R1"), "summary_md"),
    ("meeting_recaps", lambda c: c.meeting_recaps.update("R1", discussion_md=5),  # type: ignore[arg-type]
     "discussion_md"),
    ("data_compliance", lambda c: c.data_compliance.delete_event_data(
        PAST, datetime.now(UTC) + timedelta(days=1)), "end_time"),
    ("data_compliance", lambda c: c.data_compliance.delete_event_data(
        datetime(2020, 1, 1, tzinfo=UTC), datetime(2022, 1, 2, tzinfo=UTC)), "end_time"),
    ("data_compliance", lambda c: c.data_compliance.delete_event_data(PAST, PAST),
     "end_time"),
    ("activity_log", lambda c: c.activity_log.list(organization=ORG, count=1001), "count"),
    ("activity_log", lambda c: c.activity_log.list(organization=ORG, sort="created_at:asc"),
     "sort"),
    ("activity_log", lambda c: c.activity_log.list(organization=ORG, actor=[ORG]),
     "actor[0]"),
    ("activity_log", lambda c: c.activity_log.list(
        organization=ORG, min_occurred_at=SOON, max_occurred_at=PAST), "max_occurred_at"),
    ("outgoing_communications", lambda c: c.outgoing_communications.list(organization="O1"),
     "organization"),
    ("outgoing_communications", lambda c: c.outgoing_communications.list(
        organization=ORG, min_created_at="yesterday"), "min_created_at"),
]


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"nothing may be sent: {request.method} {request.url}")


@pytest.mark.parametrize(
    ("family", "call", "name"), BAD, ids=[f"{i}-{f}-{n}" for i, (f, _, n) in enumerate(BAD)]
)
def test_bad_arguments_are_refused_before_sending(family, call, name, make_client):
    client, recorder = make_client(_refuse)
    with pytest.raises(InvalidArgument) as info:
        call(client)
    assert info.value.name == name
    assert str(info.value)
    assert recorder.count == 0


def test_every_new_family_has_a_validation_case():
    new = {"teams", "groups", "group_relationships", "event_types", "locations", "invitees",
           "scheduling_links", "shares", "routing_forms", "contacts", "meeting_recaps",
           "data_compliance", "activity_log", "outgoing_communications"}
    assert new <= {family for family, _, _ in BAD}


def _echo(request: httpx.Request) -> httpx.Response:
    return httpx.Response(201, json={"resource": {"uri": API + "/x/1"}, "collection": [],
                                     "pagination": {"next_page_token": None}})


def test_invitees_create_sends_the_booking(make_client):
    client, rec = make_client(_echo)
    client.invitees.create(
        event_type=ET, start_time=datetime(2030, 1, 1, 10, tzinfo=UTC), invitee=ANN,
        location={"kind": "zoom_conference"}, event_guests=["g@example.com"],
        tracking={"utm_source": "site"},
        questions_and_answers=[{"question": "Why?", "answer": "Because", "position": 0}],
    )
    assert json.loads(rec.requests[0].content) == {
        "event_type": ET, "start_time": "2030-01-01T10:00:00.000000Z", "invitee": ANN,
        "location": {"kind": "zoom_conference"}, "event_guests": ["g@example.com"],
        "tracking": {"utm_source": "site"},
        "questions_and_answers": [{"question": "Why?", "answer": "Because", "position": 0}],
    }


def test_event_type_create_and_update_bodies(make_client):
    client, rec = make_client(_echo)
    client.event_types.create(owner=USER, name="Chat", duration=30,
                              duration_options=[15, 30], active=True)
    client.event_types.update(ET, duration=45)
    assert json.loads(rec.requests[0].content) == {
        "owner": USER, "name": "Chat", "duration": 30, "duration_options": [15, 30],
        "active": True,
    }
    assert rec.requests[1].url.path == "/event_types/ET1"
    assert json.loads(rec.requests[1].content) == {"duration": 45}


def test_availability_schedule_patch_sends_event_type_as_query(make_client):
    client, rec = make_client(_echo)
    client.event_types.update_availability_schedules(ET, RULE)
    request = rec.requests[0]
    assert request.url.params["event_type"] == ET
    assert json.loads(request.content) == {"availability_rule": RULE,
                                           "availability_setting": "host"}


def test_scheduling_link_body_is_fixed_by_calendly(make_client):
    client, rec = make_client(_echo)
    client.scheduling_links.create(ET)
    assert json.loads(rec.requests[0].content) == {
        "max_event_count": 1, "owner": ET, "owner_type": "EventType"}


def test_activity_log_multi_valued_filters_repeat_and_count_goes_to_1000(make_client):
    client, rec = make_client(_echo)
    client.activity_log.list(organization=ORG, action=["User.Added", "User.Removed"],
                             sort=["occurred_at:desc", "action:asc"], count=1000)
    params = rec.requests[0].url.params
    assert params.get_list("action") == ["User.Added", "User.Removed"]
    assert params.get_list("sort") == ["occurred_at:desc", "action:asc"]
    assert params["count"] == "1000"


def test_meeting_recap_list_filters(make_client):
    client, rec = make_client(_echo)
    client.meeting_recaps.list(event=EVENT, status="processing", attendee="ann@example.com",
                               start_time=PAST, end_time=PAST + timedelta(days=1))
    assert dict(rec.requests[0].url.params) == {
        "event": EVENT, "status": "processing", "attendee": "ann@example.com",
        "start_time": "2024-01-01T00:00:00.000000Z", "end_time": "2024-01-02T00:00:00.000000Z",
    }


def test_contact_update_replaces_lists(make_client):
    client, rec = make_client(_echo)
    emails = [{"email": "new@example.com", "is_primary": True}]
    client.contacts.update(API + "/contacts/C1", emails=emails, phone_numbers=[])
    assert rec.requests[0].url.path == "/contacts/C1"
    assert json.loads(rec.requests[0].content) == {"emails": emails, "phone_numbers": []}


def test_delete_event_data_sends_the_range(make_client):
    client, rec = make_client(lambda r: httpx.Response(202, json={}))
    assert client.data_compliance.delete_event_data(PAST, PAST + timedelta(days=1)) == {}
    assert json.loads(rec.requests[0].content) == {
        "start_time": "2024-01-01T00:00:00.000000Z", "end_time": "2024-01-02T00:00:00.000000Z"}
