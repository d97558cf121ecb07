"""The database work of one proxied GET, pinned so that it cannot grow silently.

bench/proxy_overhead.py measures the time; this counts the queries of the same call
(``GET scheduled/events/<uuid>/``): the authentication's own (HTTP Basic: the user) and one
for the user's Calendly connection ("who sees what", services/clients.py). Nothing else: the
rate limiter counts outside the request's database connection (in memory here, its own
connection or Redis in production), and the client is reused, not rebuilt.
"""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from django_calendly.client import CalendlyClient
from django_calendly.models import CalendlyConnection
from django_calendly.sandbox import Sandbox

from .conftest import BASE, upstream_calls

pytestmark = pytest.mark.django_db


def event_path(uri: str) -> str:
    return f"{BASE}scheduled/events/{uri.rsplit('/', 1)[1]}/"


@pytest.fixture
def event(sb: Sandbox, direct: CalendlyClient) -> dict[str, Any]:
    org = direct.users.me()["current_organization"]
    found: dict[str, Any] = direct.scheduled_events.list(organization=org, count=1).items[0]
    sb.reset_stats()
    return found


def test_a_proxied_get_with_basic_auth_makes_two_queries(
    sb: Sandbox, event: dict[str, Any], django_user_model: Any,
    django_assert_max_num_queries: Any,
) -> None:
    django_user_model.objects.create_user("bench", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"bench:pw").decode())
    path = event_path(event["uri"])
    assert client.get(path).status_code == 200  # the first call builds the client
    for _ in range(3):
        # The user (Basic auth) and their connection: no more, call after call.
        with django_assert_max_num_queries(2):
            response = client.get(path)
        assert response.status_code == 200
        assert response.json() == {"resource": event}
    assert upstream_calls(sb) == 4


def test_a_connected_users_proxied_get_makes_one_query(
    sb: Sandbox, django_user_model: Any, django_assert_max_num_queries: Any,
) -> None:
    token, member_uri = sb.add_token(role="user")
    member_type = next(
        et for et in sb.store.event_types.values()
        if et["active"] and et["profile"]["owner"] == member_uri
    )
    booked = sb.book(member_type["uri"], email="queries.guest@example.com")
    user = django_user_model.objects.create_user("connected")
    CalendlyConnection.objects.create(
        user=user, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    client = APIClient()
    client.force_authenticate(user)
    path = event_path(booked["event"])
    assert client.get(path).status_code == 200
    with django_assert_max_num_queries(1):  # the connection (its tokens decrypted)
        response = client.get(path)
    assert response.status_code == 200
    assert response.json()["resource"]["uri"] == booked["event"]


def test_a_connection_made_or_removed_counts_on_the_next_call(
    sb: Sandbox, event: dict[str, Any], django_user_model: Any,
) -> None:
    """The lookup is a query every time, not a cache: connecting and disconnecting take
    effect at once, in every process."""
    user = django_user_model.objects.create_user("member")  # not staff: no app token
    client = APIClient()
    client.force_authenticate(user)
    path = event_path(event["uri"])
    assert client.get(path).status_code == 403
    token, member_uri = sb.add_token(role="admin")
    connection = CalendlyConnection.objects.create(
        user=user, owner=member_uri, organization=sb.organization_uri,
        access_token=token, refresh_token="unused",
        expires_at=timezone.now() + timedelta(hours=2),
    )
    assert client.get(path).status_code == 200
    connection.delete()
    assert client.get(path).status_code == 403
