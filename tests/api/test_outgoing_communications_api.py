"""The outgoing communications endpoint against the sandbox (issue 12; Enterprise)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db

SENT = f"{BASE}outgoing-communications/"


def test_a_time_window_of_communications(sb: Sandbox, api: APIClient) -> None:
    everything = api.get(SENT, {"organization": sb.organization_uri, "count": 100})
    assert everything.status_code == 200, everything.content
    items = everything.json()["collection"]
    assert items
    newest = max(i["created_at"] for i in items)
    window = api.get(SENT, {"organization": sb.organization_uri, "count": 100,
                            "min_created_at": newest}).json()["collection"]
    assert window and all(i["created_at"] >= newest for i in window)


def test_they_need_the_enterprise_plan(sb: Sandbox, api: APIClient) -> None:
    sb.configure(plan="standard")
    assert_error(api.get(SENT, {"organization": sb.organization_uri}), 403, "plan_required")


def test_bad_filters_are_refused_before_calendly(sb: Sandbox, api: APIClient) -> None:
    assert_error(api.get(SENT), 400, "invalid_input", "organization")
    assert_error(api.get(SENT, {"organization": sb.organization_uri,
                                "min_created_at": "2026-01-01"}),
                 400, "invalid_input", "min_created_at")
    assert upstream_calls(sb) == 0
