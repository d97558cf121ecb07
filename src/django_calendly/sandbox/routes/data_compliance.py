"""Data-compliance deletions (Enterprise)."""

from __future__ import annotations

from ..clock import iso, parse_param_time
from ..errors import (
    invalid,
)
from .common import Call, Handler, Result, body_object, require_admin


def delete_invitee_data(call: Call) -> Result:
    require_admin(call)
    emails = call.field("emails", required=True)
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise invalid("emails", "must be a list of email addresses")
    wanted = {e.lower() for e in emails}
    store = call.store
    doomed = [u for u, inv in store.invitees.items() if inv["email"].lower() in wanted]
    for inv_uuid in doomed:
        store.delete_invitee(inv_uuid)
    return 202, {}


HANDLERS: dict[str, Handler] = {
    "data_compliance.delete_invitee_data": delete_invitee_data,
}


def delete_event_data(call: Call) -> Result:
    """Erase scheduled events (and their invitees) that started in a past range of at most
    24 months; Calendly answers 202 and finishes within days, the sandbox at once."""
    require_admin(call)
    body = body_object(call)
    for name in ("start_time", "end_time"):
        if body.get(name) is not None and not isinstance(body[name], str):
            raise invalid(name, "must be an ISO 8601 date-time")
    start = parse_param_time("start_time", body.get("start_time"), required=True)
    end = parse_param_time("end_time", body.get("end_time"), required=True)
    assert start is not None and end is not None
    store = call.store
    if end <= start:
        raise invalid("end_time", "must be after start_time")
    if end > store.clock.now():
        raise invalid("end_time", "must be in the past")
    limit = start.replace(year=start.year + 2) if not (
        start.month == 2 and start.day == 29) else start.replace(year=start.year + 2, day=28)
    if end > limit:
        raise invalid("end_time", "must be at most 24 months after start_time")
    low, high = iso(start), iso(end)
    doomed = [uuid for key, uuid in store.event_index if low <= key < high]
    for uuid in doomed:
        store.delete_event(uuid)
    return 202, {}


HANDLERS["data_compliance.delete_event_data"] = delete_event_data
