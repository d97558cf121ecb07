"""Use case of the outgoing communications endpoint (Enterprise,
``outgoing_communications:read``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client


def list_outgoing_communications(actor: Any, **filters: Any) -> Page:
    return get_client(actor).outgoing_communications.list(**filters)
