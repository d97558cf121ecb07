"""The REST endpoints' Calendly operations (the source of the scopes Connect Calendly
requests) and the answer to Calendly's 403 "Insufficient scope"."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.api.endpoint_operations import ENDPOINT_OPERATIONS
from django_calendly.api.errors import ErrorSerializer
from django_calendly.api.urls import _ROUTES
from django_calendly.client.operations import BY_NAME, BY_ROUTE
from django_calendly.models import CalendlyConnection
from django_calendly.scopes import default_scopes, mounted_endpoints, needed_scopes
from django_calendly.services.clients import close_clients

from .world import ENDPOINTS, Endpoint, send

#: The fields the schema documents for an error (test_schema.py checks the schema shows them).
DOCUMENTED = set(ErrorSerializer().fields)


def test_every_endpoint_has_a_row_of_known_operations() -> None:
    assert set(ENDPOINT_OPERATIONS) == {name for _, _, name in _ROUTES}
    for name, operations in ENDPOINT_OPERATIONS.items():
        assert operations, name
        for operation in operations:
            assert operation in BY_NAME, (name, operation)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_each_endpoint_calls_only_the_operations_of_its_row(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient
) -> None:
    response = send(api, endpoint, world)
    assert response.status_code < 300, response.content
    called = {
        BY_ROUTE[tuple(key.split(" ", 1))].name  # type: ignore[index]
        for key, count in sb.stats()["requests"].items()
        if count
    }
    assert called, "the endpoint called Calendly"
    assert called <= set(ENDPOINT_OPERATIONS[endpoint.name])


def test_only_mounted_endpoints_count(settings: Any) -> None:
    assert mounted_endpoints() == set(ENDPOINT_OPERATIONS)
    settings.ROOT_URLCONF = "tests.api.host_urls"  # mounted elsewhere: still found
    assert mounted_endpoints() == set(ENDPOINT_OPERATIONS)
    settings.ROOT_URLCONF = "tests.api.oauth_only_urls"
    assert mounted_endpoints() == set()
    assert needed_scopes()["rest"] == set()
    # Without the REST endpoints nobody is asked for, e.g., data compliance or cancelling.
    assert "data_compliance:write" not in default_scopes()
    assert "scheduled_events:write" not in default_scopes()
    assert "scheduled_events:read" in default_scopes()  # the sync and the webhooks


# -- 403 "Insufficient scope" ---------------------------------------------------------


class ScopeRefusingCalendly(ThreadingHTTPServer):
    """A Calendly stand-in on a free loopback port that refuses every call with the 403
    Calendly sends for a missing scope (REFERENCE.md section 5)."""

    body: dict[str, Any]
    seen: list[str]


class _Handler(BaseHTTPRequestHandler):
    server: ScopeRefusingCalendly

    def do_GET(self) -> None:
        self.server.seen.append(self.headers.get("Authorization", ""))
        data = json.dumps(self.server.body).encode()
        self.send_response(403)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def refusing(settings: Any) -> Iterator[ScopeRefusingCalendly]:
    server = ScopeRefusingCalendly(("127.0.0.1", 0), _Handler)
    server.body = {
        "title": "Insufficient scope",
        "message": "The access token does not have the required scopes.",
        "required_scopes": ["scheduled_events:read"],
    }
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CALENDLY_BASE_URL = f"http://127.0.0.1:{server.server_address[1]}"
    settings.CALENDLY_ACCESS_TOKEN = "the-personal-token"
    settings.CALENDLY_REQUEST_MAX_RETRIES = 0
    close_clients()
    try:
        yield server
    finally:
        close_clients()
        server.shutdown()
        server.server_close()


EVENTS = "/modules/calendly/scheduled/events/list/"
ORG = {"organization": "https://api.calendly.com/organizations/AAAAAAAAAAAAAAAA"}


def _connect(user: Any, settings: Any, scope: str) -> CalendlyConnection:
    settings.CALENDLY_CLIENT_ID = "client-id"
    settings.CALENDLY_CLIENT_SECRET = "client-secret"
    return CalendlyConnection.objects.create(
        user=user, owner="https://api.calendly.com/users/BBBBBBBBBBBBBBBB",
        access_token="the-users-token", refresh_token="r", scope=scope,
        expires_at=timezone.now() + timedelta(hours=2),
    )


@pytest.mark.django_db
def test_with_the_personal_token_it_names_the_scope_and_no_reconnect(
    refusing: ScopeRefusingCalendly, api: APIClient
) -> None:
    answer = api.get(EVENTS, ORG)
    assert answer.status_code == 403
    body = answer.json()
    assert body["code"] == "insufficient_scope"
    assert body["title"] == "Insufficient scope"
    assert body["required_scopes"] == ["scheduled_events:read"]
    assert "reconnect_url" not in body
    assert set(body) <= DOCUMENTED
    assert "CALENDLY_ACCESS_TOKEN" in body["message"]
    assert body["details"] == [
        {"parameter": None, "message": "Missing Calendly OAuth scope: scheduled_events:read"}
    ]
    assert refusing.seen == ["Bearer the-personal-token"]


@pytest.mark.django_db
def test_through_the_users_connection_it_says_where_to_reconnect(
    refusing: ScopeRefusingCalendly, member: Any, member_api: APIClient, settings: Any
) -> None:
    _connect(member, settings, "users:read")
    body = member_api.get(EVENTS, ORG).json()
    assert refusing.seen == ["Bearer the-users-token"]
    assert body["code"] == "insufficient_scope"
    assert body["required_scopes"] == ["scheduled_events:read"]
    assert body["reconnect_url"] == "http://testserver/modules/calendly/oauth/connect/"
    assert set(body) == DOCUMENTED
    assert "Connect Calendly again" in body["message"]
    assert "does not request" not in body["message"]
    # A scope this site does not request: reconnecting would not help, and it says so.
    settings.CALENDLY_OAUTH_SCOPES = "users:read"
    body = member_api.get(EVENTS, ORG).json()
    assert "does not request scheduled_events:read" in body["message"]


@pytest.mark.django_db
def test_without_required_scopes_from_calendly_the_endpoints_scopes_are_named(
    refusing: ScopeRefusingCalendly, member: Any, member_api: APIClient, settings: Any
) -> None:
    refusing.body = {"title": "Insufficient scope", "message": "Missing scope."}
    _connect(member, settings, "users:read")
    body = member_api.get(EVENTS, ORG).json()
    assert body["code"] == "insufficient_scope"
    assert body["required_scopes"] == ["scheduled_events:read"]


@pytest.mark.django_db
def test_without_connect_calendly_mounted_there_is_no_reconnect_url(
    refusing: ScopeRefusingCalendly, member: Any, member_api: APIClient, settings: Any
) -> None:
    _connect(member, settings, "users:read")
    settings.ROOT_URLCONF = "tests.api.schema_urls"  # the REST endpoints only
    body = member_api.get(EVENTS, ORG).json()
    assert body["code"] == "insufficient_scope"
    assert "reconnect_url" not in body
