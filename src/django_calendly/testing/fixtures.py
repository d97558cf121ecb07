"""pytest fixtures for host projects: ``pytest_plugins = ["django_calendly.testing.fixtures"]``.

- ``calendly_sandbox``: a started :class:`~django_calendly.sandbox.Sandbox` (30 seeded
  events, a free loopback port), stopped after the test. When pytest-django is installed
  and Django is configured, Django settings point at it for the test
  (``CALENDLY_BASE_URL``, ``CALENDLY_ACCESS_TOKEN``, ``CALENDLY_AUTH_BASE_URL``,
  ``CALENDLY_CLIENT_ID``, ``CALENDLY_CLIENT_SECRET``) and cached clients are closed before
  and after, so no client leaks from one test's sandbox into another's.
- ``calendly_plain_sandbox``: the same sandbox without touching Django at all.
- ``calendly_sandbox_factory``: ``factory(**Sandbox kwargs)`` for other seeds or faults;
  every sandbox it starts is stopped after the test.

This module imports nothing from Django at import time, so it loads in projects (and
test sessions) where Django settings are not configured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ..sandbox import Sandbox

SandboxFactory = Callable[..., Sandbox]


@pytest.fixture
def calendly_sandbox_factory() -> Iterator[SandboxFactory]:
    started: list[Sandbox] = []

    def factory(**kwargs: Any) -> Sandbox:
        kwargs.setdefault("seed_events", 30)
        sandbox = Sandbox(**kwargs).start()
        started.append(sandbox)
        return sandbox

    yield factory
    for sandbox in started:
        sandbox.stop()


@pytest.fixture
def calendly_plain_sandbox(calendly_sandbox_factory: SandboxFactory) -> Sandbox:
    return calendly_sandbox_factory()


def _django_ready() -> bool:
    try:
        from django.conf import settings
    except ImportError:
        return False
    return bool(settings.configured)


@pytest.fixture
def calendly_sandbox(
    request: pytest.FixtureRequest, calendly_sandbox_factory: SandboxFactory
) -> Iterator[Sandbox]:
    sandbox = calendly_sandbox_factory()
    if not _django_ready():
        yield sandbox
        return
    try:
        settings = request.getfixturevalue("settings")  # pytest-django
    except pytest.FixtureLookupError:
        yield sandbox
        return
    from django_calendly.services.clients import close_clients
    from django_calendly.services.ratelimit import forget_storages

    settings.CALENDLY_BASE_URL = sandbox.url
    settings.CALENDLY_ACCESS_TOKEN = sandbox.token
    settings.CALENDLY_AUTH_BASE_URL = sandbox.auth_url
    settings.CALENDLY_CLIENT_ID = sandbox.oauth_client_id
    settings.CALENDLY_CLIENT_SECRET = sandbox.oauth_client_secret
    # The shared per-user rate limit counts in memory, afresh for each test: the sandbox
    # enforces Calendly's limit itself, and one test's calls must not slow the next.
    settings.CALENDLY_RATE_LIMIT_STORAGE = "memory://"
    forget_storages()
    close_clients()
    try:
        yield sandbox
    finally:
        close_clients()
