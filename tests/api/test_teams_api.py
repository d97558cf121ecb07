"""The team endpoints end to end against the sandbox (issue 12)."""

from __future__ import annotations

import uuid

import pytest
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error, upstream_calls

pytestmark = pytest.mark.django_db


def test_all_teams_and_a_users_teams(sb: Sandbox, api: APIClient) -> None:
    everything = api.get(f"{BASE}teams/").json()["collection"]
    assert {t["name"] for t in everything} >= {"Account Executives", "Onboarding"}
    owners = api.get(f"{BASE}teams/", {"user": sb.user_uri}).json()["collection"]
    assert [t["name"] for t in owners] == ["Account Executives"]
    team = owners[0]
    assert api.get(f"{BASE}teams/{team['uri'].rsplit('/', 1)[1]}/").json()["resource"] == team


def test_bad_input_and_unknown_teams(sb: Sandbox, api: APIClient) -> None:
    assert_error(api.get(f"{BASE}teams/", {"user": "me"}), 400, "invalid_input", "user")
    assert_error(api.get(f"{BASE}teams/", {"count": "many"}), 400, "invalid_input", "count")
    assert upstream_calls(sb) == 0
    assert_error(api.get(f"{BASE}teams/{uuid.uuid4()}/"), 404, "not_found")
