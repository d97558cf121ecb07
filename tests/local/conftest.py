from __future__ import annotations

from collections.abc import Iterator

import pytest

from django_calendly.services.sync import invalidate_app_organization


@pytest.fixture(autouse=True)
def _fresh_app_organization() -> Iterator[None]:
    """The app-wide organization is cached per process; a test's rolled-back rows must not
    leak into the next test through it."""
    invalidate_app_organization()
    yield
    invalidate_app_organization()
