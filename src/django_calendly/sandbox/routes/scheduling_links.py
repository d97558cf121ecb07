"""Single-use scheduling links for an event type."""

from __future__ import annotations

from ..errors import invalid, not_found
from .common import Call, Handler, Result, body_object, uuid_of


def create_scheduling_link(call: Call) -> Result:
    store = call.store
    body = body_object(call)
    if body.get("max_event_count") in (None, ""):
        raise invalid("max_event_count", "is required")
    if body["max_event_count"] != 1 or isinstance(body["max_event_count"], bool):
        raise invalid("max_event_count", "must be 1")
    if body.get("owner_type") in (None, ""):
        raise invalid("owner_type", "is required")
    if body["owner_type"] != "EventType":
        raise invalid("owner_type", "must be EventType")
    if body.get("owner") in (None, ""):
        raise invalid("owner", "is required")
    et_uuid = uuid_of(store, "owner", body["owner"], "event_types")
    event_type = store.event_types.get(et_uuid)
    if event_type is None:
        raise not_found()
    link_id = store.new_uuid()
    link = {
        "booking_url": store.uri("d", link_id[:4] + "-" + link_id[9:13], event_type["slug"]),
        "owner": event_type["uri"],
        "owner_type": "EventType",
    }
    store.scheduling_links[link_id] = {**link, "used": 0, "max_event_count": 1}
    return 201, {"resource": link}


HANDLERS: dict[str, Handler] = {
    "scheduling_links.create": create_scheduling_link,
}
