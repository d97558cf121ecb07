"""The activity log endpoint against the sandbox (issue 12; Enterprise)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db

LOG = f"{BASE}activity-log/"


def test_filters_with_several_values_reach_calendly(sb: Sandbox, api: APIClient) -> None:
    everything = api.get(LOG, {"organization": sb.organization_uri, "count": 1000})
    assert everything.status_code == 200, everything.content
    entries = everything.json()["collection"]
    assert entries
    actor = entries[0]["actor"]["uri"]
    namespaces = sorted({e["namespace"] for e in entries})[:2]
    picked = api.get(LOG, {"organization": sb.organization_uri, "count": 1000,
                           "actor": actor, "namespace": ",".join(namespaces),
                           "sort": "namespace:asc,occurred_at:desc"}).json()["collection"]
    assert picked
    assert {e["actor"]["uri"] for e in picked} == {actor}
    assert {e["namespace"] for e in picked} <= set(namespaces)
    assert [e["namespace"] for e in picked] == sorted(e["namespace"] for e in picked)


def test_the_log_needs_the_enterprise_plan(sb: Sandbox, api: APIClient) -> None:
    sb.configure(plan="teams")
    assert_error(api.get(LOG, {"organization": sb.organization_uri}), 403, "plan_required")


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({}, "organization"),
        ({"count": 1001}, "count"),
        ({"sort": "occurred_at:up"}, "sort"),
        ({"actor": "https://api.calendly.com/organizations/AAAA"}, "actor"),
        ({"min_occurred_at": "2026-02-01T00:00:00Z", "max_occurred_at": "2026-01-01T00:00:00Z"},
         "max_occurred_at"),
        ({"min_occurred_at": "yesterday"}, "min_occurred_at"),
        ({"search_term": "a" * 301}, "search_term"),  # Calendly's maxLength is 300
    ],
)
def test_bad_filters_are_refused_before_calendly(
    sb: Sandbox, api: APIClient, query: dict, parameter: str
) -> None:
    if parameter != "organization":
        query = {"organization": sb.organization_uri, **query}
    assert_error(api.get(LOG, query), 400, "invalid_input", parameter)
    assert upstream_calls(sb) == 0
