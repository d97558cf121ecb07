"""``meeting_recap.created`` / ``.updated`` / ``.deleted``: a typed signal.

Recaps are not mirrored (no model holds them); host apps react to
``meeting_recap_changed``. The deletion time is the recap's ``deleted_at``, else the
delivery's ``created_at``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .... import signals
from ...mirror import parse_time
from ..context import Context


def handle_meeting_recap(ctx: Context) -> None:
    data = ctx.payload
    recap = data.get("recap")
    recap = recap if isinstance(recap, Mapping) else {}
    event = data.get("event")
    event = event if isinstance(event, Mapping) else {}
    uri = recap.get("uri") or ""
    if not uri:
        raise ValueError("The meeting recap payload has no 'recap.uri'.")
    action = ctx.delivery.event.split(".", 1)[1]
    deleted_at = parse_time(recap.get("deleted_at"))
    if action == "deleted" and deleted_at is None:
        deleted_at = ctx.delivery.calendly_created_at
    ctx.send(
        signals.meeting_recap_changed,
        signals.MeetingRecapEvent(
            action=action,
            uri=uri,
            event_uri=event.get("uri") or "",
            event_name=event.get("name") or "",
            start_time=parse_time(event.get("start_time")),
            end_time=parse_time(event.get("end_time")),
            summary_md=recap.get("summary_md") or "",
            action_items_md=recap.get("action_items_md") or "",
            share_link=recap.get("share_link") or "",
            created_at=parse_time(data.get("created_at") or recap.get("created_at")),
            deleted_at=deleted_at,
        ),
    )
