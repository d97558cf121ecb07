from typing import Any

import pytest

from django_calendly.services.webhooks import invalidate_signing_keys
from tests.webhooks.conftest import recorder

__all__ = ["recorder"]  # the fixture, used here by name


@pytest.fixture
def tenancy_settings(settings: Any, live_server: Any) -> Any:
    """Connections subscribe with their own keys, delivering to the live receiver."""
    settings.CALENDLY_ORGANIZATION = ""
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []  # only the connections' own keys
    settings.CALENDLY_WEBHOOK_INSECURE = False
    settings.CALENDLY_WEBHOOK_URL = f"{live_server.url}/modules/calendly/webhook/"
    invalidate_signing_keys()
    yield settings
    invalidate_signing_keys()
