"""Sandbox tests talk real HTTP to a started sandbox with plain httpx."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from django_calendly.sandbox import Sandbox


@pytest.fixture
def sb(calendly_sandbox_factory) -> Sandbox:
    return calendly_sandbox_factory(token="test-token", seed_events=60, random_seed=7)


@pytest.fixture
def api(sb: Sandbox) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=sb.url, headers={"Authorization": f"Bearer {sb.token}"}, timeout=5
    ) as client:
        yield client


@pytest.fixture
def member_api(sb: Sandbox) -> Iterator[httpx.Client]:
    token, _ = sb.add_token(role="user")
    with httpx.Client(
        base_url=sb.url, headers={"Authorization": f"Bearer {token}"}, timeout=5
    ) as client:
        yield client
