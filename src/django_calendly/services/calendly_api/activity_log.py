"""Use case of the activity log endpoint (Enterprise, ``activity_log:read``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client


def list_activity_log(actor: Any, /, **filters: Any) -> Page:
    """``actor`` is positional-only: the log has a filter of the same name."""
    return get_client(actor).activity_log.list(**filters)
