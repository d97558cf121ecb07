"""Every endpoint of the directory families (issue 12) over real HTTP against the sandbox:
a valid call succeeds and calls only the operations of its row; bad input is a 400 naming
the parameter before any call to Calendly; and the permissions per role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.api.endpoint_operations import ENDPOINT_OPERATIONS
from django_calendly.client.operations import BY_ROUTE
from django_calendly.models import CalendlyConnection
from django_calendly.sandbox import Sandbox

from .conftest import assert_error, upstream_calls
from .directory_world import ENDPOINTS, Directory, Endpoint, build_directory, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory(sb: Sandbox, direct: Any) -> Directory:
    d = build_directory(sb, direct)
    sb.reset_stats()
    return d


def called_operations(sb: Sandbox) -> set[str]:
    return {
        BY_ROUTE[tuple(key.split(" ", 1))].name  # type: ignore[index]
        for key, count in sb.stats()["requests"].items()
        if count
    }


def test_the_table_covers_every_new_endpoint() -> None:
    names = {e.name for e in ENDPOINTS}
    assert len(names) == 21
    assert names <= set(ENDPOINT_OPERATIONS)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_valid_call_succeeds_with_the_operations_of_its_row(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, api: APIClient
) -> None:
    response = send(api, endpoint.call, directory, endpoint.method)
    assert response.status_code < 300, response.content[:500]
    if response.status_code != 204:
        body = response.json()
        assert "resource" in body or "collection" in body or endpoint.name == "delete-event-data"
    called = called_operations(sb)
    assert called, "the endpoint called Calendly"
    assert called <= set(ENDPOINT_OPERATIONS[endpoint.name])


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_bad_input_is_a_400_naming_the_parameter_and_nothing_is_sent(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, api: APIClient
) -> None:
    response = send(api, endpoint.bad, directory, endpoint.method)
    assert_error(response, 400, "invalid_input", endpoint.bad_parameter)
    assert upstream_calls(sb) == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_anonymous_callers_are_refused(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, anon: APIClient
) -> None:
    assert_error(send(anon, endpoint.call, directory, endpoint.method), 403,
                 "not_authenticated")
    assert upstream_calls(sb) == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_a_user_without_a_connection_gets_nothing(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, member_api: APIClient
) -> None:
    """Reads: no Calendly call with the app's token for them. Writes: the app's token would
    act for the organization, so the write permission refuses them first."""
    code = "permission_denied" if endpoint.write else "calendly_connection_required"
    assert_error(send(member_api, endpoint.call, directory, endpoint.method), 403, code)
    assert upstream_calls(sb) == 0


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.own], ids=str)
def test_a_connected_member_writes_their_own_data_with_their_own_token(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, member: Any, member_api: APIClient
) -> None:
    """Writes to one's own contacts and recaps need only the read permission through a
    connection; the member's token is used, and Calendly decides (a member may not touch
    the app user's recap or contact)."""
    token, member_uri = sb.add_token(role="user")
    CalendlyConnection.objects.create(
        user=member, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    response = send(member_api, endpoint.call, directory, endpoint.method)
    if endpoint.method == "post":  # creating a contact: their own
        assert response.status_code == 201, response.content[:300]
        made = response.json()["resource"]["uri"].rsplit("/", 1)[1]
        assert sb.store.contact_owners[made] == member_uri  # a Contact shows no owner
    else:  # the app user's contact or recap: Calendly refuses or hides it
        assert response.status_code in (403, 404), response.content[:300]
        assert response.json()["code"] in ("upstream_permission_denied", "not_found")
    assert upstream_calls(sb) == 1


@pytest.mark.parametrize(
    "endpoint", [e for e in ENDPOINTS if e.write and not e.own], ids=str
)
def test_a_connected_member_still_needs_the_write_permission(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, member: Any, member_api: APIClient
) -> None:
    token, member_uri = sb.add_token(role="user")
    CalendlyConnection.objects.create(
        user=member, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    assert_error(send(member_api, endpoint.call, directory, endpoint.method), 403,
                 "permission_denied")
    assert upstream_calls(sb) == 0


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
def test_the_path_without_its_trailing_slash_answers_too(
    endpoint: Endpoint, sb: Sandbox, directory: Directory, api: APIClient
) -> None:
    path, data = endpoint.bad(directory)
    response = getattr(api, endpoint.method)(
        "/modules/calendly/" + path.rstrip("/"), data or {},
        **({} if endpoint.method == "get" else {"format": "json"}),
    )
    assert_error(response, 400, "invalid_input", endpoint.bad_parameter)
