"""Use cases of the meeting recap endpoints (Calendly Notetaker; paid plans). Recaps are
their host's: Calendly shows a caller their own only."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client

Resource = dict[str, Any]


def list_recaps(actor: Any, **filters: Any) -> Page:
    return get_client(actor).meeting_recaps.list(**filters)


def get_recap(actor: Any, uuid: str) -> Resource:
    return get_client(actor).meeting_recaps.get(uuid)


def update_recap(actor: Any, uuid: str, **changes: Any) -> Resource:
    return get_client(actor).meeting_recaps.update(uuid, **changes)


def delete_recap(actor: Any, uuid: str) -> None:
    get_client(actor).meeting_recaps.delete(uuid)


def get_transcript(actor: Any, uuid: str) -> Resource:
    return get_client(actor).meeting_recaps.transcript(uuid)
