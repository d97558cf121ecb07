"""Fixtures of the REST API tests: one sandbox per module over real HTTP, settings pointing at
it, fast failure settings (no retries, short timeouts), and users of each kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from django_calendly.client import CalendlyClient
from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.core import CONFIG_DEFAULTS
from django_calendly.services.clients import close_clients

BASE = "/modules/calendly/"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    sb = Sandbox(token="api-tests-token", seed_events=12, random_seed=3)
    sb.start()
    try:
        yield sb
    finally:
        close_clients()
        sb.stop()


@pytest.fixture
def sb(sandbox: Sandbox, settings: Any) -> Iterator[Sandbox]:
    """The module's sandbox, back to defaults with zeroed counters, and settings at it."""
    # No webhook deliveries: these tests are about the REST endpoints.
    sandbox.configure(**{**CONFIG_DEFAULTS, "deliver": "off"})
    settings.CALENDLY_BASE_URL = sandbox.url
    settings.CALENDLY_ACCESS_TOKEN = sandbox.token
    settings.CALENDLY_REQUEST_MAX_RETRIES = 0
    settings.CALENDLY_REQUEST_MAX_RETRY_WAIT = 0.5
    settings.CALENDLY_TIMEOUT = 2.0
    settings.CALENDLY_CONNECT_TIMEOUT = 2.0
    sandbox.reset_stats()
    yield sandbox
    sandbox.configure(**CONFIG_DEFAULTS)


@pytest.fixture(scope="module")
def direct(sandbox: Sandbox) -> Iterator[CalendlyClient]:
    """Our client straight at the sandbox, to set up data and read it back."""
    with CalendlyClient(token=sandbox.token, base_url=sandbox.url, max_retries=0) as client:
        yield client


@pytest.fixture
def staff(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user(
        "staff", "staff@example.com", "pw-staff", is_staff=True
    )


@pytest.fixture
def member(django_user_model: Any) -> Any:
    return django_user_model.objects.create_user("member", "member@example.com", "pw-member")


@pytest.fixture
def api(staff: Any) -> APIClient:
    """An authenticated staff client (reads and writes allowed by default)."""
    client = APIClient()
    client.force_authenticate(staff)
    return client


@pytest.fixture
def member_api(member: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


def upstream_calls(sb: Sandbox) -> int:
    return int(sb.stats()["total_requests"])


def assert_error(response: Any, status: int, code: str, parameter: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"code", "title", "message", "details"}, body
    assert body["code"] == code, body
    assert isinstance(body["details"], list)
    if parameter is not None:
        params = [d["parameter"] for d in body["details"]]
        assert parameter in params, body
    return body


@pytest.fixture
def world(sb: Sandbox, direct: CalendlyClient) -> Any:
    from .world import build_world

    w = build_world(sb, direct)
    sb.reset_stats()
    return w
