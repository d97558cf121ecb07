"""The deletion of scheduled-event data against the sandbox (issue 12; Enterprise, staff)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db

DELETE = f"{BASE}data-compliance/events/"


def _range(days_ago: int, days: int) -> dict[str, str]:
    end = datetime.now(UTC) - timedelta(days=days_ago)
    return {"start_time": (end - timedelta(days=days)).isoformat(), "end_time": end.isoformat()}


def test_a_past_range_is_accepted(sb: Sandbox, api: APIClient) -> None:
    answer = api.post(DELETE, _range(200, 30), format="json")
    assert answer.status_code == 202, answer.content
    assert upstream_calls(sb) == 1


def test_a_retry_with_the_same_idempotency_key_acts_once(sb: Sandbox, api: APIClient) -> None:
    body = _range(300, 10)
    first = api.post(DELETE, body, format="json", HTTP_IDEMPOTENCY_KEY="dc-events-1")
    again = api.post(DELETE, body, format="json", HTTP_IDEMPOTENCY_KEY="dc-events-1")
    assert (first.status_code, again.status_code) == (202, 202)
    assert again["Idempotent-Replayed"] == "true"
    assert upstream_calls(sb) == 1


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({}, "start_time"),
        (_range(-1, 10), "end_time"),  # reaches into the future
        (_range(10, 800), "end_time"),  # longer than 24 months
        ({"start_time": "2025-02-01T00:00:00Z", "end_time": "2025-01-01T00:00:00Z"},
         "end_time"),
        ({"start_time": "2025-01-01", "end_time": "2025-02-01T00:00:00Z"}, "start_time"),
        ({"start_time": 5, "end_time": "2025-02-01T00:00:00Z"}, "start_time"),
    ],
)
def test_bad_ranges_are_refused_before_calendly(
    sb: Sandbox, api: APIClient, body: dict, parameter: str
) -> None:
    assert_error(api.post(DELETE, body, format="json"), 400, "invalid_input", parameter)
    assert upstream_calls(sb) == 0


def test_it_needs_the_enterprise_plan(sb: Sandbox, api: APIClient) -> None:
    sb.configure(plan="teams")
    assert_error(api.post(DELETE, _range(100, 5), format="json"), 403, "plan_required")


def test_only_staff_may_delete(sb: Sandbox, member_api: APIClient) -> None:
    assert_error(member_api.post(DELETE, _range(100, 5), format="json"), 403,
                 "permission_denied")
    assert upstream_calls(sb) == 0
