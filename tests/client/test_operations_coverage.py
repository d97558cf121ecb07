"""Every row of ``operations.OPERATIONS`` is a client method that sends that row's request.

The table is what the sandbox, the REST layer and the docs read, so a method that sends a
different HTTP method or path than its row (or a row without a method) is a bug that no
per-family test would notice. Each call below uses valid minimal arguments.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from django_calendly.client import CalendlyClient
from django_calendly.client.operations import OPERATIONS, iterator_name
from django_calendly.client.resources import GROUPS, ResourceGroup

from .conftest import API

ORG = API + "/organizations/O1"
USER = API + "/users/U1"
ET = API + "/event_types/ET1"
EVENT = API + "/scheduled_events/E1"
INVITEE = EVENT + "/invitees/I1"
FORM = API + "/routing_forms/F1"
SOON = datetime.now(UTC) + timedelta(days=1)
PAST = datetime(2024, 1, 1, tzinfo=UTC)
RULE = {"timezone": "UTC", "rules": [{"type": "wday", "wday": "monday", "intervals": []}]}

#: Path parameters as the calls below give them.
PATH_PARAMS = {"uuid": "U1", "org_uuid": "O1", "event_uuid": "E1"}

Call = Callable[[CalendlyClient], Any]

CALLS: dict[str, Call] = {
    "users.me": lambda c: c.users.me(),
    "users.get": lambda c: c.users.get("U1"),
    "organizations.get": lambda c: c.organizations.get("U1"),
    "organizations.list_invitations": lambda c: c.organizations.list_invitations("U1"),
    "organizations.invite": lambda c: c.organizations.invite("U1", "a@b.c"),
    "organizations.get_invitation": lambda c: c.organizations.get_invitation("O1", "U1"),
    "organizations.revoke_invitation": lambda c: c.organizations.revoke_invitation("O1", "U1"),
    "memberships.list": lambda c: c.memberships.list(organization=ORG),
    "memberships.get": lambda c: c.memberships.get("U1"),
    "memberships.delete": lambda c: c.memberships.delete("U1"),
    "teams.list": lambda c: c.teams.list(),
    "teams.get": lambda c: c.teams.get("U1"),
    "groups.list": lambda c: c.groups.list(organization=ORG),
    "groups.get": lambda c: c.groups.get("U1"),
    "group_relationships.list": lambda c: c.group_relationships.list(organization=ORG),
    "group_relationships.get": lambda c: c.group_relationships.get("U1"),
    "event_types.list": lambda c: c.event_types.list(user=USER),
    "event_types.get": lambda c: c.event_types.get("U1"),
    "event_types.create": lambda c: c.event_types.create(owner=USER, name="Chat"),
    "event_types.update": lambda c: c.event_types.update("U1", name="Chat"),
    "event_types.create_one_off": lambda c: c.event_types.create_one_off(
        name="Once", host=USER, duration=30, date_setting={"type": "date_range"}),
    "event_types.list_memberships": lambda c: c.event_types.list_memberships(event_type=ET),
    "event_types.get_availability_schedules":
        lambda c: c.event_types.get_availability_schedules(ET),
    "event_types.update_availability_schedules":
        lambda c: c.event_types.update_availability_schedules(ET, RULE),
    "availability.event_type_available_times": lambda c: (
        c.availability.event_type_available_times(ET, SOON, SOON + timedelta(days=1))),
    "availability.user_busy_times": lambda c: c.availability.user_busy_times(
        USER, SOON, SOON + timedelta(days=1)),
    "availability.list_schedules": lambda c: c.availability.list_schedules(USER),
    "availability.get_schedule": lambda c: c.availability.get_schedule("U1"),
    "locations.list": lambda c: c.locations.list(user=USER),
    "scheduled_events.list": lambda c: c.scheduled_events.list(user=USER),
    "scheduled_events.get": lambda c: c.scheduled_events.get("U1"),
    "scheduled_events.cancel": lambda c: c.scheduled_events.cancel("U1"),
    "invitees.list": lambda c: c.invitees.list("U1"),
    "invitees.get": lambda c: c.invitees.get("E1", "U1"),
    "invitees.create": lambda c: c.invitees.create(
        event_type=ET, start_time=SOON,
        invitee={"name": "Ann", "email": "ann@example.com", "timezone": "UTC"}),
    "no_shows.create": lambda c: c.no_shows.create(INVITEE),
    "no_shows.get": lambda c: c.no_shows.get("U1"),
    "no_shows.delete": lambda c: c.no_shows.delete("U1"),
    "scheduling_links.create": lambda c: c.scheduling_links.create(ET),
    "shares.create": lambda c: c.shares.create(ET),
    "routing_forms.list": lambda c: c.routing_forms.list(organization=ORG),
    "routing_forms.get": lambda c: c.routing_forms.get("U1"),
    "routing_forms.list_submissions": lambda c: c.routing_forms.list_submissions(form=FORM),
    "routing_forms.get_submission": lambda c: c.routing_forms.get_submission("U1"),
    "contacts.create": lambda c: c.contacts.create(
        name="Ann", emails=[{"email": "ann@example.com", "is_primary": True}]),
    "contacts.list": lambda c: c.contacts.list(),
    "contacts.get": lambda c: c.contacts.get("U1"),
    "contacts.update": lambda c: c.contacts.update("U1", name="Ann B"),
    "contacts.delete": lambda c: c.contacts.delete("U1"),
    "contacts.list_custom_fields": lambda c: c.contacts.list_custom_fields(),
    "contacts.get_custom_field": lambda c: c.contacts.get_custom_field("U1"),
    "meeting_recaps.list": lambda c: c.meeting_recaps.list(),
    "meeting_recaps.get": lambda c: c.meeting_recaps.get("U1"),
    "meeting_recaps.update": lambda c: c.meeting_recaps.update("U1", summary_md="# Notes"),
    "meeting_recaps.delete": lambda c: c.meeting_recaps.delete("U1"),
    "meeting_recaps.transcript": lambda c: c.meeting_recaps.transcript("U1"),
    "webhooks.create": lambda c: c.webhooks.create(
        url="https://example.com/hook", events=["invitee.created"], organization=ORG,
        scope="organization"),
    "webhooks.list": lambda c: c.webhooks.list(organization=ORG, scope="organization"),
    "webhooks.get": lambda c: c.webhooks.get("U1"),
    "webhooks.delete": lambda c: c.webhooks.delete("U1"),
    "webhooks.sample": lambda c: c.webhooks.sample("invitee.created", ORG, "organization"),
    "data_compliance.delete_invitee_data":
        lambda c: c.data_compliance.delete_invitee_data(["ann@example.com"]),
    "data_compliance.delete_event_data": lambda c: c.data_compliance.delete_event_data(
        PAST, PAST + timedelta(days=30)),
    "activity_log.list": lambda c: c.activity_log.list(organization=ORG),
    "outgoing_communications.list": lambda c: c.outgoing_communications.list(organization=ORG),
}

#: An answer every reader accepts: a resource, a collection and a pagination object.
ANSWER = {
    "resource": {"uri": API + "/x/U1"},
    "collection": [],
    "pagination": {"count": 0, "next_page_token": None, "next_page": None},
}


def _answer(request: httpx.Request) -> httpx.Response:
    if request.method == "DELETE":
        return httpx.Response(204)
    return httpx.Response(200, json=ANSWER)


def test_there_is_a_call_for_every_operation_and_nothing_else():
    assert len(OPERATIONS) == 65
    assert set(CALLS) == {op.name for op in OPERATIONS}


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_each_operation_sends_its_method_and_path(op, make_client):
    client, recorder = make_client(_answer)
    CALLS[op.name](client)
    assert recorder.count == 1
    request = recorder.requests[0]
    assert request.method == op.method
    assert request.url.path == op.path.format(**PATH_PARAMS)


def test_the_client_has_one_group_per_family_of_the_table(make_client):
    client, _ = make_client([])
    families = {op.family for op in OPERATIONS}
    assert set(GROUPS) == families
    for family, cls in GROUPS.items():
        assert type(getattr(client, family)) is cls, family


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.name)
def test_each_method_is_documented_with_its_scope(op, make_client):
    client, _ = make_client([])
    method = getattr(getattr(client, op.family), op.client_method)
    doc = inspect.getdoc(method) or ""
    assert op.path.split("{")[0].rstrip("/") in doc, "the docstring names the path"
    assert f"``{op.scope}``" in doc, "the docstring names the scope"


@pytest.mark.parametrize("op", [op for op in OPERATIONS if op.paged], ids=lambda op: op.name)
def test_each_paged_list_has_an_iterator_over_the_same_request(op, make_client):
    name = iterator_name(op)
    assert name is not None
    client, recorder = make_client(_answer)
    group = getattr(client, op.family)
    assert isinstance(group, ResourceGroup)
    one_page = CALLS[op.name]
    # The iterator takes the list's arguments: call it through the same lambda by
    # swapping the method for the iterator on this group.
    setattr(group, op.client_method, getattr(group, name))
    assert list(one_page(client)) == []
    request = recorder.requests[0]
    assert (request.method, request.url.path) == (op.method, op.path.format(**PATH_PARAMS))
    assert request.url.params["count"] == "100"
