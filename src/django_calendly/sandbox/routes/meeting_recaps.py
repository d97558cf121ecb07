"""Meeting recaps (Calendly Notetaker): list, read, edit the three texts, delete, and the
transcript. Recaps are the host's: user-scope data, so only their owner sees them."""

from __future__ import annotations

from ..errors import invalid, not_found
from ..resources import recap_deleted_payload, recap_payload
from .common import (
    Call,
    Handler,
    Result,
    body_object,
    list_small,
    one,
    parse_status,
    parse_time_param,
    uuid_of,
)

EDITABLE = ("summary_md", "action_items_md", "discussion_md")
MAX_TEXT = 100_000


def mine(call: Call, uuid: str) -> dict:
    recap = one(call.store.recaps, uuid)
    if recap["owner"] != call.user:
        raise not_found()  # another user's recap does not exist for this caller
    return recap


def list_recaps(call: Call) -> Result:
    store = call.store
    event = call.param("event")
    if event is not None:
        uuid_of(store, "event", event, "scheduled_events")
    start = parse_time_param(call, "start_time")
    end = parse_time_param(call, "end_time")
    if start and end and end <= start:
        raise invalid("end_time", "must be after start_time")
    status = parse_status(call.param("status"), ("available", "processing", "unavailable"))
    attendee = (call.param("attendee") or "").lower() or None
    items = [
        r for r in store.recaps.values()
        if r["owner"] == call.user
        and (event is None or r["event"] == event)
        and (start is None or r["start_time"] >= start)
        and (end is None or r["start_time"] < end)
        and (status is None or r["status"] == status)
        and (attendee is None or any(a["email"].lower() == attendee for a in r["attendees"]))
    ]
    return 200, list_small(call, items, ("start_time", "created_at"), "start_time:desc")


def get_recap(call: Call) -> Result:
    return 200, {"resource": mine(call, call.args[0])}


def update_recap(call: Call) -> Result:
    recap = mine(call, call.args[0])
    body = body_object(call)
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        raise invalid(unknown[0], f"cannot be changed; only {', '.join(EDITABLE)} can")
    if not body:
        raise invalid("body", f"must set one of {', '.join(EDITABLE)}")
    for name, value in body.items():
        if value is not None and (not isinstance(value, str) or len(value) > MAX_TEXT):
            raise invalid(name, f"must be a string of at most {MAX_TEXT} characters")
    if recap["status"] != "available":
        raise invalid("status", "the recap is not available yet")
    recap.update(body)
    recap["updated_at"] = call.store.now()
    call.emit("meeting_recap.updated",
              recap_payload(call.store, recap, "meeting_recap.updated"), recap["owner"])
    return 200, {"resource": recap}


def delete_recap(call: Call) -> Result:
    recap = mine(call, call.args[0])
    del call.store.recaps[call.args[0]]
    call.store.transcripts.pop(call.args[0], None)
    call.emit("meeting_recap.deleted", recap_deleted_payload(recap, call.store.now()),
              recap["owner"])
    return 204, None


def get_transcript(call: Call) -> Result:
    recap = mine(call, call.args[0])
    if recap["status"] != "available":
        raise not_found()
    return 200, {"resource": call.store.transcripts[call.args[0]]}


HANDLERS: dict[str, Handler] = {
    "meeting_recaps.list": list_recaps,
    "meeting_recaps.get": get_recap,
    "meeting_recaps.update": update_recap,
    "meeting_recaps.delete": delete_recap,
    "meeting_recaps.transcript": get_transcript,
}
