"""Use case of ``locations/``: a user's configured meeting locations."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client


def list_locations(actor: Any, user_uri: str, **paging: Any) -> Page:
    return get_client(actor).locations.list(user=user_uri, **paging)
