"""Scheduled events: list, get, cancel."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from ..clock import iso, parse_param_time
from ..errors import (
    invalid,
    not_found,
    permission_denied,
)
from ..paging import paginate, parse_count, parse_sort
from ..state import Json
from .common import (
    Call,
    Handler,
    Result,
    check_org,
    one,
    page_body,
    parse_status,
    uuid_of,
)


def list_scheduled_events(call: Call) -> Result:
    store = call.store
    org = call.param("organization")
    user = call.param("user")
    group = call.param("group")
    if org is None and user is None and group is None:
        raise invalid("organization", "one of organization, user or group is required")
    admin = store.is_admin(call.user)
    if org is not None:
        check_org(call, "organization", org)
    if user is not None:
        uuid_of(store, "user", user, "users")
        if user != call.user and not admin:
            raise permission_denied()
    elif org is not None and not admin:
        raise permission_denied()
    members: set[str] | None = None
    if group is not None:
        uuid_of(store, "group", group, "groups")
        if group not in store.group_members:
            raise not_found()
        if not admin:
            raise permission_denied()
        members = store.group_members[group]
    status = parse_status(call.param("status"), ("active", "canceled"))
    email = call.param("invitee_email")
    email = email.lower() if email else None
    min_start = parse_param_time("min_start_time", call.param("min_start_time"))
    max_start = parse_param_time("max_start_time", call.param("max_start_time"))
    count = parse_count(call.params.get("count"))
    _, descending = parse_sort(call.params.get("sort"), ("start_time",), "start_time:asc")
    index = store.event_index_by_user.get(user, []) if user is not None else store.event_index
    lo = bisect_left(index, (iso(min_start),)) if min_start else 0
    hi = bisect_left(index, (iso(max_start),)) if max_start else len(index)
    events = store.events

    def keep(entry: tuple[Any, ...]) -> bool:
        event = events[entry[1]]
        if status is not None and event["status"] != status:
            return False
        if members is not None and store.event_host(event) not in members:
            return False
        if email is not None:
            return any(
                store.invitees[i]["email"].lower() == email
                for i in store.invitees_by_event[entry[1]]
            )
        return True

    needs_filter = status is not None or members is not None or email is not None
    entries, next_token, prev_token = paginate(
        index, count, call.param("page_token"), descending=descending,
        predicate=keep if needs_filter else None, lo=lo, hi=hi,
    )
    items = [events[e[1]] for e in entries]
    return 200, page_body(call, items, count, next_token, prev_token)


def visible_event(call: Call, uuid: str) -> Json:
    event = one(call.store.events, uuid)
    return event


def get_scheduled_event(call: Call) -> Result:
    return 200, {"resource": visible_event(call, call.args[0])}


def cancel_scheduled_event(call: Call) -> Result:
    store = call.store
    event = visible_event(call, call.args[0])
    if store.event_host(event) != call.user and not store.is_admin(call.user):
        raise permission_denied()
    reason = None
    if call.body is not None:
        reason = call.field("reason")
    if reason is not None and (not isinstance(reason, str) or len(reason) > 10000):
        raise invalid("reason", "must be a string of at most 10000 characters")
    if event["status"] == "canceled":
        raise permission_denied("Event is already canceled")
    canceler = store.users[call.user.rsplit("/", 1)[1]]["name"]
    cancellation, invitees = store.cancel_event(event, reason, canceler)
    for invitee in invitees:
        call.emit("invitee.canceled", store.invitee_payload(invitee), store.event_host(event))
    return 201, {"resource": cancellation}


HANDLERS: dict[str, Handler] = {
    "scheduled_events.list": list_scheduled_events,
    "scheduled_events.get": get_scheduled_event,
    "scheduled_events.cancel": cancel_scheduled_event,
}
