"""Use case of the deletion of scheduled-event data (Enterprise, ``data_compliance:write``).
The deletion of invitee data is the original module's (``calendly_api.delete_invitee_data``)."""

from __future__ import annotations

from typing import Any

from ..clients import get_client


def delete_event_data(actor: Any, *, start_time: Any, end_time: Any) -> dict[str, Any]:
    """Asynchronous at Calendly (up to 7 days); returns Calendly's body."""
    return get_client(actor).data_compliance.delete_event_data(start_time, end_time)
