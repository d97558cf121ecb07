"""The meeting recap endpoints end to end against the sandbox (issue 12)."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls
from .directory_world import new_recap

pytestmark = pytest.mark.django_db

RECAPS = f"{BASE}meeting-recaps/"


def test_read_edit_transcript_and_delete_a_recap(sb: Sandbox, api: APIClient) -> None:
    recap_uuid = new_recap(sb)
    one = f"{RECAPS}{recap_uuid}/"
    recap = api.get(one).json()["resource"]
    assert recap["status"] == "available"
    listed = api.get(RECAPS, {"event": recap["event"]}).json()["collection"]
    assert recap["uri"] in {r["uri"] for r in listed}

    edited = api.patch(one, {"summary_md": "## New summary", "discussion_md": ""},
                       format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["resource"]["summary_md"] == "## New summary"
    assert api.get(one).json()["resource"]["discussion_md"] == ""
    assert api.get(one).json()["resource"]["action_items_md"] == recap["action_items_md"]

    transcript = api.get(f"{one}transcript/")
    assert transcript.status_code == 200, transcript.content
    assert transcript.json()["resource"]["meeting_recap"] == recap["uri"]

    assert api.delete(one).status_code == 204
    assert_error(api.get(one), 404, "not_found")
    assert_error(api.get(f"{one}transcript/"), 404, "not_found")


def test_recaps_need_a_paid_plan(sb: Sandbox, api: APIClient) -> None:
    recap_uuid = new_recap(sb)
    sb.configure(plan="free")
    assert_error(api.get(RECAPS), 403, "plan_required")
    assert_error(api.get(f"{RECAPS}{recap_uuid}/"), 403, "plan_required")


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "summary_md"),
        ({"summary_md": 5}, "summary_md"),
        ({"action_items_md": "x" * 100_001}, "action_items_md"),
    ],
)
def test_bad_edits_are_refused_before_calendly(
    sb: Sandbox, api: APIClient, body: dict, parameter: str
) -> None:
    assert_error(api.patch(f"{RECAPS}{uuid.uuid4()}/", body, format="json"), 400,
                 "invalid_input", parameter)
    assert upstream_calls(sb) == 0


def test_unknown_fields_are_not_forwarded(sb: Sandbox, api: APIClient) -> None:
    one = f"{RECAPS}{new_recap(sb)}/"
    edited = api.patch(one, {"summary_md": "kept", "status": "unavailable"}, format="json")
    assert edited.status_code == 200, edited.content
    assert edited.json()["resource"]["status"] == "available"


def test_bad_filters_are_refused(sb: Sandbox, api: APIClient) -> None:
    later, earlier = "2026-02-01T00:00:00Z", "2026-01-01T00:00:00Z"
    assert_error(api.get(RECAPS, {"start_time": later, "end_time": earlier}), 400,
                 "invalid_input", "end_time")
    assert_error(api.get(RECAPS, {"attendee": "nobody"}), 400, "invalid_input", "attendee")
    assert_error(api.get(RECAPS, {"event": sb.organization_uri}), 400, "invalid_input",
                 "event")
    assert upstream_calls(sb) == 0
