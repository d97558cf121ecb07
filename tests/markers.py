"""Marks shared by the tests that need services (the markers are in pyproject.toml)."""

from __future__ import annotations

import os

import pytest

#: Skipped unless ``DATABASE_URL`` is a PostgreSQL URL (CI sets one).
needs_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL (DATABASE_URL=postgres://...)",
)

#: Tests that run real worker processes on PostgreSQL and Redis.
WORKER_PROCESSES = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    needs_postgres,
    pytest.mark.django_db(transaction=True),
]
