"""Use cases of the group endpoints: groups and group relationships (``groups:read``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client

Resource = dict[str, Any]


def list_groups(actor: Any, **filters: Any) -> Page:
    return get_client(actor).groups.list(**filters)


def get_group(actor: Any, uuid: str) -> Resource:
    return get_client(actor).groups.get(uuid)


def list_group_relationships(actor: Any, **filters: Any) -> Page:
    return get_client(actor).group_relationships.list(**filters)


def get_group_relationship(actor: Any, uuid: str) -> Resource:
    return get_client(actor).group_relationships.get(uuid)
