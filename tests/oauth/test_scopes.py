"""OAuth scopes of Connect Calendly, end to end over HTTP against the sandbox: what the
authorize URL asks for, what the connection stores, what the status view shows, and the
REST answer when a connection lacks a scope (the sandbox grants exactly the requested
scopes and refuses an operation outside them with 403 "Insufficient scope", as Calendly).
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from django_calendly.client.operations import (
    BY_ROUTE,
    missing_scopes,
    parse_scopes,
    scopes_for,
)
from django_calendly.models import CalendlyConnection
from django_calendly.scopes import (
    SYNC_OPERATIONS,
    WEBHOOK_OPERATIONS,
    default_scopes,
    needed_scopes,
    requested_scopes,
)
from django_calendly.services import connections
from django_calendly.services.sync import sync_scheduled_events
from django_calendly.services.webhooks import ensure_subscription

from .test_connect import connect

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("scoped", password="pw"))
    return client

def authorize_scope(browser) -> list[str]:
    start = browser.get("/modules/calendly/oauth/connect/")
    assert start.status_code == 302
    return parse_qs(urlsplit(start["Location"]).query)["scope"][0].split(" ")


def introspected_scope(sandbox, token: str) -> str:
    info = connections.oauth_client().introspect(token)
    assert info["active"] is True
    return str(info["scope"])


def observed_scopes(sandbox) -> frozenset[str]:
    """The scopes of the operations the sandbox was called with since its last reset."""
    names = []
    for key, count in sandbox.stats()["requests"].items():
        method, _, path = key.partition(" ")
        if count and not path.startswith("/oauth/"):
            names.append(BY_ROUTE[(method, path)].name)
    return scopes_for(names)


def test_default_scopes_cover_every_feature_with_the_fewest_names():
    requested = default_scopes()
    for feature, needed in needed_scopes().items():
        assert missing_scopes(requested, needed) == [], feature
    # A :write covers its :read, so the :read is not asked for as well.
    assert "scheduled_events:write" in requested and "scheduled_events:read" not in requested
    # event-types/ creates event types: event_types:write, which covers the :read.
    assert {"users:read", "event_types:write", "webhooks:write"} <= requested


def test_authorize_url_carries_the_requested_scopes(browser, calendly_sandbox):
    scopes = authorize_scope(browser)
    assert scopes == sorted(default_scopes())
    assert "scheduled_events:write" in scopes


@pytest.mark.parametrize(
    "value", ["event_types:read, users:read", "users:read event_types:read", ["users:read",
              "event_types:read", "users:read"]]
)
def test_the_setting_replaces_the_default(browser, settings, calendly_sandbox, value):
    settings.CALENDLY_OAUTH_SCOPES = value
    assert authorize_scope(browser) == ["event_types:read", "users:read"]


def test_the_setting_comes_from_the_environment(browser, monkeypatch, calendly_sandbox):
    monkeypatch.setenv("CALENDLY_OAUTH_SCOPES", "users:read,scheduled_events:read")
    assert authorize_scope(browser) == ["scheduled_events:read", "users:read"]


def test_the_connection_stores_what_calendly_granted(browser, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    assert conn.scope
    assert conn.scope == introspected_scope(calendly_sandbox, conn.access_token)


def test_status_shows_granted_requested_and_missing(browser, calendly_sandbox):
    before = browser.get("/modules/calendly/oauth/status/").json()
    assert before == {"connected": False, "requested_scopes": sorted(requested_scopes())}
    conn = connect(browser, calendly_sandbox)
    status = browser.get("/modules/calendly/oauth/status/").json()
    granted = parse_scopes(conn.scope)
    assert status["granted_scopes"] == sorted(granted)
    assert status["requested_scopes"] == sorted(requested_scopes())
    assert status["missing_scopes"] == missing_scopes(granted, requested_scopes())
    # A connection granted less than the app asks for now shows the difference.
    CalendlyConnection.objects.filter(pk=conn.pk).update(scope="users:read webhooks:write")
    status = browser.get("/modules/calendly/oauth/status/").json()
    assert status["granted_scopes"] == ["users:read", "webhooks:write"]
    assert "webhooks:write" not in status["missing_scopes"]
    assert "users:read" not in status["missing_scopes"]
    assert "scheduled_events:write" in status["missing_scopes"]


def test_a_refresh_updates_the_stored_scope(browser, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    CalendlyConnection.objects.filter(pk=conn.pk).update(
        scope="users:read", expires_at=timezone.now() + timedelta(seconds=30)
    )
    token = connections.fresh_access_token(CalendlyConnection.objects.get())
    fresh = CalendlyConnection.objects.get()
    assert fresh.access_token == token != conn.access_token
    assert fresh.scope == introspected_scope(calendly_sandbox, token) != "users:read"


def test_the_connection_is_granted_exactly_the_requested_scopes(browser, calendly_sandbox):
    conn = connect(browser, calendly_sandbox)
    assert parse_scopes(conn.scope) == requested_scopes()
    assert browser.get("/modules/calendly/oauth/status/").json()["missing_scopes"] == []


def test_a_connection_without_a_scope_gets_insufficient_scope_and_can_reconnect(
    browser, settings, calendly_sandbox
):
    settings.CALENDLY_OAUTH_SCOPES = "users:read event_types:read"
    conn = connect(browser, calendly_sandbox)
    assert "scheduled_events:read" not in parse_scopes(conn.scope)
    url = "/modules/calendly/scheduled/events/list/"
    params = {"organization": calendly_sandbox.organization_uri}
    answer = browser.get(url, params)
    assert answer.status_code == 403, answer.content
    body = answer.json()
    assert body["code"] == "insufficient_scope"
    assert body["required_scopes"] == ["scheduled_events:read"]
    assert body["reconnect_url"] == "http://testserver/modules/calendly/oauth/connect/"
    assert "does not request scheduled_events:read" in body["message"]
    # The administrator widens the setting: reconnecting now grants the scope.
    del settings.CALENDLY_OAUTH_SCOPES
    assert "does not request" not in browser.get(url, params).json()["message"]
    connect(browser, calendly_sandbox)
    assert browser.get(url, params).status_code == 200


# -- the feature tables are true: what each feature really calls ------------------------


def test_the_sync_calls_only_what_sync_operations_lists(calendly_sandbox):
    calendly_sandbox.reset_stats()
    sync_scheduled_events()
    observed = observed_scopes(calendly_sandbox)
    assert observed and observed <= scopes_for(SYNC_OPERATIONS)


def test_ensuring_a_webhook_calls_only_what_webhook_operations_lists(calendly_sandbox):
    calendly_sandbox.reset_stats()
    ensure_subscription("https://example.com/modules/calendly/webhook/")
    observed = observed_scopes(calendly_sandbox)
    assert "webhooks:write" in observed
    assert observed <= scopes_for(WEBHOOK_OPERATIONS)


def test_docs_show_the_default_that_is_derived():
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "oauth.md").read_text()
    block = page.split("With the whole app mounted it is:", 1)[1].split("```", 2)[1]
    assert sorted(block.split()) == sorted(default_scopes())
