"""Use cases of the team endpoints (``organizations:read``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client

Resource = dict[str, Any]


def list_teams(actor: Any, **filters: Any) -> Page:
    return get_client(actor).teams.list(**filters)


def get_team(actor: Any, uuid: str) -> Resource:
    return get_client(actor).teams.get(uuid)
