from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from django_calendly.client import CalendlyClient
from django_calendly.sandbox import Sandbox


@pytest.fixture
def sandbox(settings):
    """A sandbox with 250 events (three list pages), the app's settings pointing at it."""
    sb = Sandbox(seed_events=250, random_seed=7)
    sb.start(host="127.0.0.1", port=0)
    settings.CALENDLY_BASE_URL = sb.url
    settings.CALENDLY_ACCESS_TOKEN = sb.token
    settings.CALENDLY_ORGANIZATION = sb.organization_uri
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def client(sandbox):
    with CalendlyClient(token=sandbox.token, base_url=sandbox.url, max_retries=0) as c:
        yield c


@pytest.fixture
def window():
    """A window holding every seeded event (~30 days back to ~300 ahead)."""
    now = timezone.now()
    return now - timedelta(days=40), now + timedelta(days=400)


def requests_of(sb, operation: str) -> int:
    """How many requests the sandbox saw for an operation key containing ``operation``."""
    return sum(n for key, n in sb.stats()["requests"].items() if operation in key)


def invitee_calls(sb) -> int:
    return requests_of(sb, "/invitees")


def store_counts(sb):
    store = sb.store if hasattr(sb, "store") else sb.state
    return len(store.events), len(store.invitees), len(store.event_types)
