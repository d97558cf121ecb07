"""Invitee no-shows."""

from __future__ import annotations

from typing import Any

from ..errors import (
    invalid,
    not_found,
)
from ..state import Json, Store
from .common import (
    Call,
    Handler,
    Result,
    one,
)


def invitee_by_uri(store: Store, name: str, value: Any) -> Json:
    if not isinstance(value, str) or not value.startswith(store.base + "/scheduled_events/"):
        raise invalid(name, "must be a valid invitee URI")
    parts = value[len(store.base) + 1:].split("/")
    if len(parts) != 4 or parts[2] != "invitees" or not parts[1] or not parts[3]:
        raise invalid(name, "must be a valid invitee URI")
    invitee = store.invitees.get(parts[3])
    if invitee is None or invitee["event"] != store.uri("scheduled_events", parts[1]):
        raise not_found()
    return invitee


def mark_no_show(store: Store, invitee: Json) -> Json:
    if invitee["no_show"] is not None:
        raise invalid("invitee", "is already marked as a no-show")
    ns_uuid = store.new_uuid()
    now = store.now()
    no_show = {"uri": store.uri("invitee_no_shows", ns_uuid), "invitee": invitee["uri"],
               "created_at": now}
    store.no_shows[ns_uuid] = no_show
    invitee["no_show"] = {"uri": no_show["uri"], "created_at": now}
    invitee["updated_at"] = now
    return no_show


def unmark_no_show(store: Store, ns_uuid: str) -> Json:
    no_show = store.no_shows.pop(ns_uuid)
    invitee = store.invitees.get(no_show["invitee"].rsplit("/", 1)[1])
    if invitee is not None:
        invitee["no_show"] = None
        invitee["updated_at"] = store.now()
    return no_show


def host_of_invitee(store: Store, invitee: Json) -> str:
    return store.event_host(store.events[invitee["event"].rsplit("/", 1)[1]])


def no_show_event(
    store: Store, event: str, no_show: Json
) -> list[tuple[str, Json, str | None]]:
    """The ``invitee_no_show.*`` delivery: Calendly sends the invitee resource (its
    ``no_show`` set on ``.created``, null after ``.deleted``) with its scheduled event, not
    the no-show resource. Nothing is sent when the invitee itself is gone."""
    invitee = store.invitees.get(no_show["invitee"].rsplit("/", 1)[1])
    if invitee is None:
        return []
    return [(event, store.invitee_payload(invitee), host_of_invitee(store, invitee))]


def create_no_show(call: Call) -> Result:
    invitee = invitee_by_uri(call.store, "invitee", call.field("invitee", required=True))
    no_show = mark_no_show(call.store, invitee)
    call.outbox.extend(no_show_event(call.store, "invitee_no_show.created", no_show))
    return 201, {"resource": no_show}


def get_no_show(call: Call) -> Result:
    return 200, {"resource": one(call.store.no_shows, call.args[0])}


def delete_no_show(call: Call) -> Result:
    one(call.store.no_shows, call.args[0])
    no_show = unmark_no_show(call.store, call.args[0])
    call.outbox.extend(no_show_event(call.store, "invitee_no_show.deleted", no_show))
    return 204, None


HANDLERS: dict[str, Handler] = {
    "no_shows.create": create_no_show,
    "no_shows.get": get_no_show,
    "no_shows.delete": delete_no_show,
}
