"""Use cases of the sharing endpoints: single-use scheduling links and "customize once
and share" variants of an event type (``scheduling-links/``, ``shares/``)."""

from __future__ import annotations

from typing import Any

from ..clients import get_client

Resource = dict[str, Any]


def create_scheduling_link(actor: Any, event_type_uri: str) -> Resource:
    return get_client(actor).scheduling_links.create(event_type_uri)


def create_share(actor: Any, event_type_uri: str, **fields: Any) -> Resource:
    return get_client(actor).shares.create(event_type_uri, **fields)
