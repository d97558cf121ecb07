"""Use case of the organization details endpoint (``organizations:read``)."""

from __future__ import annotations

from typing import Any

from ..clients import get_client


def get_organization(actor: Any, uuid: str) -> dict[str, Any]:
    return get_client(actor).organizations.get(uuid)
