"""Every endpoint: authentication, permissions, and the mapping of upstream failures.

Table-driven over the 26 endpoints (tests/api/world.py), talking HTTP to the sandbox.
"""

from __future__ import annotations

import base64
import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from django_calendly.api.errors import calendly_error_response
from django_calendly.client import errors

from .conftest import assert_error, upstream_calls
from .world import ENDPOINTS, Endpoint, send

WRITES = [e for e in ENDPOINTS if e.write]
WITH_UUID = [e for e in ENDPOINTS if e.path_uuid]


def test_the_table_has_the_26_endpoints() -> None:
    assert [e.number for e in ENDPOINTS] == list(range(1, 27))
    assert {e.number for e in WRITES} == {8, 10, 11, 15, 19, 20, 22, 23, 26}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_is_refused_before_any_upstream_call(
    endpoint: Endpoint, sb: Any, world: Any, anon: APIClient
) -> None:
    response = send(anon, endpoint, world)
    # Session authentication comes first in the demo settings, so DRF answers 403, not 401.
    assert_error(response, 403, "not_authenticated")
    assert upstream_calls(sb) == 0


@pytest.mark.django_db
def test_http_basic_authentication(sb: Any, world: Any, staff: Any) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"staff:pw-staff").decode())
    assert send(client, ENDPOINTS[17], world).status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"staff:wrong").decode())
    assert_error(send(client, ENDPOINTS[17], world), 403, "not_authenticated")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", WRITES, ids=str)
def test_non_staff_cannot_act_for_the_organization(
    endpoint: Endpoint, sb: Any, world: Any, member_api: APIClient
) -> None:
    response = send(member_api, endpoint, world)
    assert_error(response, 403, "permission_denied")
    assert upstream_calls(sb) == 0


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if not e.write], ids=str)
def test_non_staff_can_read_when_the_app_token_is_for_everyone(
    endpoint: Endpoint, sb: Any, world: Any, member_api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    response = send(member_api, endpoint, world)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
def test_permission_classes_come_from_settings(
    sb: Any, world: Any, member_api: APIClient, api: APIClient, settings: Any
) -> None:
    write = ENDPOINTS[21]  # delete no-show
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"
    settings.CALENDLY_WRITE_PERMISSION_CLASSES = ["rest_framework.permissions.IsAuthenticated"]
    assert send(member_api, write, world).status_code == 204
    settings.CALENDLY_READ_PERMISSION_CLASSES = ["rest_framework.permissions.IsAdminUser"]
    assert_error(send(member_api, ENDPOINTS[0], world), 403, "permission_denied")
    assert send(api, ENDPOINTS[0], world).status_code == 200


@pytest.mark.django_db
def test_csrf_is_enforced_for_session_authentication(sb: Any, world: Any, staff: Any) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.login(username="staff", password="pw-staff")
    endpoint = ENDPOINTS[21]
    response = send(client, endpoint, world)
    assert_error(response, 403, "permission_denied")
    assert "CSRF" in response.json()["message"]
    assert upstream_calls(sb) == 0
    # A read does not need the token.
    assert send(client, ENDPOINTS[0], world).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_without_trailing_slash(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient
) -> None:
    response = send(api, endpoint, world, slash=False)
    assert response.status_code in (200, 201, 202, 204), response.content


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", WITH_UUID, ids=str)
@pytest.mark.parametrize("bad", ["bad$uuid", "x" * 101, "a.b", "%2e%2e"])
def test_bad_path_uuid_is_a_400_without_upstream_call(
    endpoint: Endpoint, bad: str, sb: Any, world: Any, api: APIClient
) -> None:
    path, data = endpoint.call(world)
    # Replace the last uuid-like segment of the path with the bad value.
    parts = path.rstrip("/").split("/")
    for index in range(len(parts) - 1, -1, -1):
        if len(parts[index]) >= 16 and parts[index] not in ("availability-schedules",):
            parts[index] = bad
            break
    url = "/modules/calendly/" + "/".join(parts) + "/"
    method = getattr(api, endpoint.method)
    response = method(url, data or {}, format=None if endpoint.method == "get" else "json")
    assert response.status_code == 400, (url, response.content)
    assert response.json()["code"] == "invalid_input"
    assert response.json()["details"][0]["parameter"] in ("uuid", "user_uuid", "org_uuid",
                                                           "webhook_uuid")
    assert upstream_calls(sb) == 0


# -- upstream failures ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_upstream_5xx_is_a_502(endpoint: Endpoint, sb: Any, world: Any, api: APIClient) -> None:
    sb.configure(error_rate=1.0)
    body = assert_error(send(api, endpoint, world), 502, "upstream_error")
    assert body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_our_token_rejected_is_a_502(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_ACCESS_TOKEN = "not-the-sandbox-token"
    assert_error(send(api, endpoint, world), 502, "upstream_unauthorized")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_upstream_timeout_is_a_504(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_TIMEOUT = 0.1
    sb.configure(latency=0.3)
    assert_error(send(api, endpoint, world), 504, "upstream_timeout")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_rate_limited_is_a_429_with_retry_after(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient
) -> None:
    sb.configure(rate_limit=1, rate_window=60)
    send(api, ENDPOINTS[0], world)  # uses the one allowed request
    response = send(api, endpoint, world)
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1


@pytest.mark.django_db
def test_with_default_budgets_a_long_rate_limit_is_answered_at_once(
    sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    # The defaults, not the suite's zeroed retries: Calendly's window resets in about a
    # minute, far past a web worker's timeout, so the request must not wait for it.
    del settings.CALENDLY_REQUEST_MAX_RETRIES
    del settings.CALENDLY_REQUEST_MAX_RETRY_WAIT
    sb.configure(rate_limit=1, rate_window=60)
    send(api, ENDPOINTS[0], world)
    started = time.monotonic()
    response = send(api, ENDPOINTS[0], world)
    assert time.monotonic() - started < 2.0
    assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 5


@pytest.mark.django_db
def test_with_default_budgets_a_short_rate_limit_is_waited_out(
    sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    del settings.CALENDLY_REQUEST_MAX_RETRIES
    del settings.CALENDLY_REQUEST_MAX_RETRY_WAIT
    sb.configure(rate_limit=1, rate_window=1)
    send(api, ENDPOINTS[0], world)
    response = send(api, ENDPOINTS[0], world)
    assert response.status_code == 200, response.content


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_no_token_configured_is_a_503(
    endpoint: Endpoint, sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_ACCESS_TOKEN = ""
    assert_error(send(api, endpoint, world), 503, "not_configured")
    assert upstream_calls(sb) == 0


@pytest.mark.django_db
def test_dropped_connection_and_malformed_body_are_502s(
    sb: Any, world: Any, api: APIClient
) -> None:
    sb.configure(drop_rate=1.0)
    assert_error(send(api, ENDPOINTS[17], world), 502, "upstream_unreachable")
    sb.configure(drop_rate=0.0, malformed_rate=1.0)
    assert_error(send(api, ENDPOINTS[16], world), 502, "upstream_invalid_response")


@pytest.mark.django_db
def test_member_token_refused_by_calendly_is_a_403(
    sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    token, _ = sb.add_token(role="user")
    settings.CALENDLY_ACCESS_TOKEN = token
    response = send(api, ENDPOINTS[14], world)  # remove a membership needs an org admin
    body = assert_error(response, 403, "upstream_permission_denied")
    assert body["title"] == "Permission Denied"


@pytest.mark.django_db
@pytest.mark.parametrize("plan", ["free", "standard"])
def test_plan_refusals_say_plan_required(
    plan: str, sb: Any, world: Any, api: APIClient
) -> None:
    sb.configure(plan=plan)
    body = assert_error(send(api, ENDPOINTS[7], world), 403, "plan_required")  # Enterprise
    assert "upgrade" in body["message"].lower()
    if plan == "free":
        assert_error(send(api, ENDPOINTS[22], world), 403, "plan_required")  # webhooks


def test_scope_refusal_says_insufficient_scope() -> None:
    exc = errors.PermissionDenied(
        403, "Insufficient scope", "The access token lacks a scope.",
        body={"title": "Insufficient scope", "required_scopes": ["webhooks:write"]},
    )
    response = calendly_error_response(exc)
    assert response.status_code == 403
    assert response.data["code"] == "insufficient_scope"


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (errors.BadRequest(400, "Invalid Argument", "bad"), 400, "invalid_input"),
        (errors.NotFound(404, "Resource Not Found", "nope"), 404, "not_found"),
        (errors.Conflict(409, "Already Exists", "dup"), 409, "conflict"),
        (errors.UnprocessableEntity(422, "Unprocessable", "no"), 422, "unprocessable"),
        (errors.FailedDependency(424, "Failed", "calendar"), 502, "external_calendar_unavailable"),
        (errors.APIError(418, "Teapot", "?"), 502, "upstream_error"),
        (errors.ServerError(503, "Service Unavailable", "down"), 502, "upstream_error"),
        (errors.Timeout("slow"), 504, "upstream_timeout"),
        (errors.TransportError("reset"), 502, "upstream_unreachable"),
        (errors.InvalidResponse("html"), 502, "upstream_invalid_response"),
        (errors.CalendlyError("other"), 502, "upstream_error"),
    ],
)
def test_every_client_error_has_a_mapping(exc: Exception, status: int, code: str) -> None:
    response = calendly_error_response(exc)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.data["code"] == code
    assert set(response.data) == {"code", "title", "message", "details"}


@pytest.mark.django_db
def test_wrong_method_and_bad_json_keep_the_shape(sb: Any, world: Any, api: APIClient) -> None:
    assert_error(api.post("/modules/calendly/event/types/", {}), 405, "method_not_allowed")
    response = api.post(
        "/modules/calendly/invitee-no-show/", "{not json", content_type="application/json"
    )
    assert_error(response, 400, "invalid_input")
    assert upstream_calls(sb) == 0


@pytest.mark.django_db
def test_a_connected_user_acts_with_their_own_calendly_account(
    sb: Any, world: Any, member: Any, member_api: APIClient, settings: Any
) -> None:
    from datetime import timedelta

    settings.CALENDLY_CLIENT_ID = sb.oauth_client_id  # connections are used when OAuth is set up
    settings.CALENDLY_CLIENT_SECRET = sb.oauth_client_secret

    from django.utils import timezone

    from django_calendly.models import CalendlyConnection

    token, user_uri = sb.add_token(role="user")
    connection = CalendlyConnection.objects.create(
        user=member, owner=user_uri, organization=sb.organization_uri, access_token=token,
        refresh_token="unused", expires_at=timezone.now() + timedelta(hours=2),
    )
    me = member_api.get("/modules/calendly/user/details/me/")
    assert me.status_code == 200
    assert me.json()["resource"]["uri"] == user_uri != sb.user_uri
    connection.last_error = "refresh refused: invalid_grant"
    connection.save()
    body = assert_error(member_api.get("/modules/calendly/user/details/me/"), 503,
                        "connection_broken")
    assert "reconnect" in body["message"]
