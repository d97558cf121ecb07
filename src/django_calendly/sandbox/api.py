"""The Calendly API v2 operations: one function per operation, over a :class:`Store`.

Each handler takes a :class:`Call` and returns ``(status, body)``; errors are raised as
:class:`ApiError`. Handlers run with the store lock held. Webhook deliveries they cause
are queued on ``call.outbox`` and sent by the server after the lock is released.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from .clock import iso, parse_iso, parse_param_time
from .errors import (
    UPGRADE_ENTERPRISE,
    UPGRADE_STANDARD,
    ApiError,
    invalid,
    not_found,
    permission_denied,
)
from .paging import paginate, parse_count, parse_sort
from .state import Json, Store

EVENT_SCOPES = {
    "invitee.created": ("organization", "user", "group"),
    "invitee.canceled": ("organization", "user", "group"),
    "invitee_no_show.created": ("organization", "user", "group"),
    "invitee_no_show.deleted": ("organization", "user", "group"),
    "event_type.created": ("organization", "user", "group"),
    "event_type.updated": ("organization", "user", "group"),
    "event_type.deleted": ("organization", "user", "group"),
    "routing_form_submission.created": ("organization",),
    "contact.created": ("organization", "user", "group"),
    "contact.updated": ("organization", "user", "group"),
    "contact.deleted": ("organization", "user", "group"),
    "meeting_recap.created": ("user",),
    "meeting_recap.updated": ("user",),
    "meeting_recap.deleted": ("user",),
}


@dataclass
class Call:
    """One API request as the handlers see it."""

    store: Store
    method: str
    path: str
    params: dict[str, str]
    args: list[str]
    user: str
    body: Any = None
    outbox: list[tuple[str, Json, str | None]] = field(default_factory=list)

    def param(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value not in (None, "") else None

    def require(self, name: str) -> str:
        value = self.param(name)
        if value is None:
            raise invalid(name, "is required")
        return value

    def field(self, name: str, required: bool = False) -> Any:
        if not isinstance(self.body, dict):
            raise invalid("body", "must be a JSON object")
        value = self.body.get(name)
        if required and value in (None, "", []):
            raise invalid(name, "is required")
        return value

    def emit(self, event: str, payload: Json, subject_user: str | None) -> None:
        self.outbox.append((event, payload, subject_user))


# -- helpers ----------------------------------------------------------------------------


def uuid_of(store: Store, name: str, value: Any, *kinds: str) -> str:
    """The uuid in a sandbox resource URI ``{base}/{kind}/{uuid}``; 400 otherwise."""
    if not isinstance(value, str):
        raise invalid(name, "must be a URI")
    for kind in kinds:
        prefix = f"{store.base}/{kind}/"
        if value.startswith(prefix):
            rest = value[len(prefix):]
            if rest and "/" not in rest:
                return rest
    raise invalid(name, f"must be a valid {kinds[0].rstrip('s')} URI")


def check_org(call: Call, name: str, value: Any) -> str:
    uuid = uuid_of(call.store, name, value, "organizations")
    if value != call.store.organization_uri:
        raise permission_denied("This user is not in your organization")
    return uuid


def user_in_org(call: Call, name: str, value: Any) -> str:
    uuid = uuid_of(call.store, name, value, "users")
    if uuid not in call.store.users:
        raise not_found()
    if call.store.role_of(value) is None:
        raise permission_denied("This user is not in your organization")
    return str(value)


def require_admin(call: Call) -> None:
    if not call.store.is_admin(call.user):
        raise permission_denied()


def parse_bool(name: str, raw: str | None) -> bool | None:
    if raw is None:
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise invalid(name, "must be true or false")


def parse_status(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if raw is not None and raw not in allowed:
        raise invalid("status", f"must be one of {', '.join(allowed)}")
    return raw


def page_body(
    call: Call, items: list[Json], count: int, next_token: str | None, prev_token: str | None
) -> Json:
    def link(token: str | None) -> str | None:
        if token is None:
            return None
        query = {k: v for k, v in call.params.items() if k != "page_token"}
        query["page_token"] = token
        return f"{call.store.base}{call.path}?{urlencode(query)}"

    return {
        "collection": items,
        "pagination": {
            "count": len(items),
            "next_page": link(next_token),
            "previous_page": link(prev_token),
            "next_page_token": next_token,
            "previous_page_token": prev_token,
        },
    }


def list_small(
    call: Call,
    items: list[Json],
    sort_fields: tuple[str, ...],
    default_sort: str,
) -> Json:
    """Paginate a small collection: sort it (with uri as tie-break) and walk a page."""
    count = parse_count(call.params.get("count"))
    field_name, descending = parse_sort(call.params.get("sort"), sort_fields, default_sort)
    def sort_value(item: Json) -> Any:
        value = item.get(field_name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # numbers compare as numbers (position 10 after 9)
        return str(value or "")

    by_key = {(sort_value(item), item["uri"]): item for item in items}
    index = sorted(by_key)
    entries, next_token, prev_token = paginate(
        index, count, call.param("page_token"), descending=descending
    )
    return page_body(call, [by_key[e] for e in entries], count, next_token, prev_token)


def one(table: dict[str, Json], uuid: str) -> Json:
    item = table.get(uuid)
    if item is None:
        raise not_found()
    return item


Result = tuple[int, Any]


# -- users, organizations, memberships, invitations --------------------------------------


def get_user(call: Call) -> Result:
    uuid = call.args[0]
    if uuid == "me":
        uuid = call.user.rsplit("/", 1)[1]
    return 200, {"resource": one(call.store.users, uuid)}


def get_organization(call: Call) -> Result:
    org = call.store.organization
    if call.args[0] != org["uri"].rsplit("/", 1)[1]:
        raise not_found()
    return 200, {"resource": org}


def list_memberships(call: Call) -> Result:
    org = call.param("organization")
    user = call.param("user")
    if org is None and user is None:
        raise invalid("organization", "organization or user is required")
    if org is not None:
        check_org(call, "organization", org)
    if user is not None:
        uuid_of(call.store, "user", user, "users")
    role = parse_status_like("role", call.param("role"), ("user", "admin", "owner"))
    email = call.param("email")
    items = [
        m for m in call.store.memberships.values()
        if (user is None or m["user"]["uri"] == user)
        and (email is None or m["user"]["email"].lower() == email.lower())
        and (role is None or m["role"] == role)
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def parse_status_like(name: str, raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if raw is not None and raw not in allowed:
        raise invalid(name, f"must be one of {', '.join(allowed)}")
    return raw


def get_membership(call: Call) -> Result:
    return 200, {"resource": one(call.store.memberships, call.args[0])}


def delete_membership(call: Call) -> Result:
    membership = one(call.store.memberships, call.args[0])
    require_admin(call)
    if membership["role"] == "owner":
        raise permission_denied("The organization owner cannot be removed.")
    del call.store.memberships[call.args[0]]
    return 204, None


def org_for_path(call: Call) -> None:
    if call.args[0] != call.store.organization_uri.rsplit("/", 1)[1]:
        raise not_found()
    require_admin(call)


def list_invitations(call: Call) -> Result:
    org_for_path(call)
    status = parse_status(call.param("status"), ("pending", "accepted", "declined"))
    email = call.param("email")
    items = [
        i for i in call.store.invitations.values()
        if (status is None or i["status"] == status)
        and (email is None or i["email"].lower() == email.lower())
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def create_invitation(call: Call) -> Result:
    org_for_path(call)
    email = call.field("email", required=True)
    if not isinstance(email, str) or "@" not in email or len(email) > 254:
        raise invalid("email", "must be a valid email address")
    store = call.store
    if any(m["user"]["email"].lower() == email.lower() for m in store.memberships.values()):
        raise invalid("email", "is already a member of this organization")
    if any(
        i["email"].lower() == email.lower() and i["status"] == "pending"
        for i in store.invitations.values()
    ):
        raise invalid("email", "has already been invited")
    return 201, {"resource": store.add_invitation(email)}


def get_invitation(call: Call) -> Result:
    org_for_path(call)
    return 200, {"resource": one(call.store.invitations, call.args[1])}


def revoke_invitation(call: Call) -> Result:
    org_for_path(call)
    one(call.store.invitations, call.args[1])
    del call.store.invitations[call.args[1]]
    return 204, None


# -- event types and availability ------------------------------------------------------


def list_event_types(call: Call) -> Result:
    org = call.param("organization")
    user = call.param("user")
    if (org is None) == (user is None):
        raise invalid("organization", "exactly one of organization or user is required")
    if org is not None:
        check_org(call, "organization", org)
    if user is not None:
        user_in_org(call, "user", user)
    active = parse_bool("active", call.param("active"))
    items = [
        et for et in call.store.event_types.values()
        if (user is None or et["profile"]["owner"] == user)
        and (active is None or et["active"] is active)
    ]
    return 200, list_small(
        call, items, ("name", "position", "created_at", "updated_at"), "name:asc"
    )


def get_event_type(call: Call) -> Result:
    return 200, {"resource": one(call.store.event_types, call.args[0])}


def time_range(call: Call, max_days: int) -> tuple[str, str]:
    start = parse_param_time("start_time", call.param("start_time"), required=True)
    end = parse_param_time("end_time", call.param("end_time"), required=True)
    assert start is not None and end is not None
    now = call.store.clock.now()
    if start < now - timedelta(seconds=60):
        raise invalid("start_time", "must be in the future")
    if end <= start:
        raise invalid("end_time", "must be after start_time")
    if end - start > timedelta(days=max_days):
        raise invalid("end_time", f"must be at most {max_days} days after start_time")
    return iso(start), iso(end)


def busy_keys(store: Store, user: str, start: str, end: str) -> list[Json]:
    index = store.event_index_by_user.get(user, [])
    lo = bisect_left(index, (iso(parse_iso(start) - timedelta(days=1)),))
    hi = bisect_left(index, (end,))
    out = []
    for _, uuid in index[lo:hi]:
        event = store.events[uuid]
        if event["status"] == "active" and event["end_time"] > start:
            out.append(event)
    return out


def event_type_available_times(call: Call) -> Result:
    store = call.store
    et_uuid = uuid_of(store, "event_type", call.require("event_type"), "event_types")
    start, end = time_range(call, 31)
    event_type = one(store.event_types, et_uuid)
    if not event_type["active"]:
        return 200, {"collection": []}
    busy = busy_keys(store, event_type["profile"]["owner"], start, end)
    duration = timedelta(minutes=event_type["duration"])
    day = parse_iso(start).replace(hour=0, minute=0, second=0, microsecond=0)
    slots = []
    last_day = parse_iso(end)
    while day <= last_day:
        if day.weekday() < 5:
            slot = day.replace(hour=9)
            close = day.replace(hour=17)
            while slot + duration <= close:
                s, e = iso(slot), iso(slot + duration)
                if start <= s < end and not any(
                    b["start_time"] < e and b["end_time"] > s for b in busy
                ):
                    slots.append({
                        "status": "available",
                        "invitees_remaining": 1,
                        "start_time": s,
                        "scheduling_url": f"{event_type['scheduling_url']}/{s}",
                    })
                slot += timedelta(minutes=30)
        day += timedelta(days=1)
    return 200, {"collection": slots}


def user_busy_times(call: Call) -> Result:
    user = user_in_org(call, "user", call.require("user"))
    start, end = time_range(call, 7)
    collection = [
        {
            "type": "calendly",
            "start_time": e["start_time"],
            "end_time": e["end_time"],
            "buffered_start_time": e["start_time"],
            "buffered_end_time": e["end_time"],
            "event": {"uri": e["uri"]},
        }
        for e in busy_keys(call.store, user, start, end)
        if e["start_time"] < end
    ]
    return 200, {"collection": collection}


def list_schedules(call: Call) -> Result:
    user = user_in_org(call, "user", call.require("user"))
    return 200, {"collection": [s for s in call.store.schedules.values() if s["user"] == user]}


def get_schedule(call: Call) -> Result:
    return 200, {"resource": one(call.store.schedules, call.args[0])}


# -- data compliance -------------------------------------------------------------------


def delete_invitee_data(call: Call) -> Result:
    if call.store.plan != "enterprise":
        raise permission_denied(UPGRADE_ENTERPRISE)
    require_admin(call)
    emails = call.field("emails", required=True)
    if not isinstance(emails, list) or not all(isinstance(e, str) for e in emails):
        raise invalid("emails", "must be a list of email addresses")
    if len(emails) > 100:
        raise invalid("emails", "must contain at most 100 addresses")
    wanted = {e.lower() for e in emails}
    store = call.store
    doomed = [u for u, inv in store.invitees.items() if inv["email"].lower() in wanted]
    for inv_uuid in doomed:
        store.delete_invitee(inv_uuid)
    return 202, {}


# -- scheduled events ------------------------------------------------------------------


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


def list_invitees(call: Call) -> Result:
    store = call.store
    visible_event(call, call.args[0])
    status = parse_status(call.param("status"), ("active", "canceled"))
    email = call.param("email")
    items = [
        store.invitees[i] for i in store.invitees_by_event[call.args[0]]
        if (status is None or store.invitees[i]["status"] == status)
        and (email is None or store.invitees[i]["email"].lower() == email.lower())
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_invitee(call: Call) -> Result:
    visible_event(call, call.args[0])
    invitee = one(call.store.invitees, call.args[1])
    if invitee["event"].rsplit("/", 1)[1] != call.args[0]:
        raise not_found()
    return 200, {"resource": invitee}


# -- no-shows --------------------------------------------------------------------------


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


def create_no_show(call: Call) -> Result:
    invitee = invitee_by_uri(call.store, "invitee", call.field("invitee", required=True))
    no_show = mark_no_show(call.store, invitee)
    call.emit("invitee_no_show.created", dict(no_show), host_of_invitee(call.store, invitee))
    return 201, {"resource": no_show}


def get_no_show(call: Call) -> Result:
    return 200, {"resource": one(call.store.no_shows, call.args[0])}


def delete_no_show(call: Call) -> Result:
    one(call.store.no_shows, call.args[0])
    no_show = unmark_no_show(call.store, call.args[0])
    invitee = call.store.invitees.get(no_show["invitee"].rsplit("/", 1)[1])
    call.emit(
        "invitee_no_show.deleted", dict(no_show),
        host_of_invitee(call.store, invitee) if invitee else None,
    )
    return 204, None


# -- webhooks --------------------------------------------------------------------------


def webhook_scope_target(call: Call, source: Callable[[str], Any]) -> tuple[str, str | None,
                                                                              str | None]:
    scope = source("scope")
    if scope in (None, ""):
        raise invalid("scope", "is required")
    if scope not in ("organization", "user", "group"):
        raise invalid("scope", "must be one of organization, user, group")
    user = group = None
    if scope == "user":
        if not source("user"):
            raise invalid("user", "is required when scope is user")
        user = user_in_org(call, "user", source("user"))
    if scope == "group":
        if not source("group"):
            raise invalid("group", "is required when scope is group")
        uuid_of(call.store, "group", source("group"), "groups")
        group = str(source("group"))
        if group not in call.store.group_members:
            raise not_found()
    if scope == "organization" and not call.store.is_admin(call.user):
        raise permission_denied()
    if scope == "user" and user != call.user and not call.store.is_admin(call.user):
        raise permission_denied()
    if scope == "group" and not call.store.is_admin(call.user):
        raise permission_denied()
    return str(scope), user, group


def create_webhook(call: Call) -> Result:
    store = call.store
    if store.plan == "free":
        raise permission_denied(UPGRADE_STANDARD)
    url = call.field("url", required=True)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 2048:
        raise invalid("url", "must be a valid http or https URL")
    events = call.field("events", required=True)
    if not isinstance(events, list) or not events:
        raise invalid("events", "must be a non-empty list")
    check_org(call, "organization", call.field("organization", required=True))
    scope, user, group = webhook_scope_target(call, call.field)
    for event in events:
        if event not in EVENT_SCOPES:
            raise invalid("events", f"{event!r} is not a valid event")
        if scope not in EVENT_SCOPES[event]:
            raise invalid("events", f"{event} cannot be used with scope {scope}")
    signing_key = call.field("signing_key")
    if signing_key is not None and not isinstance(signing_key, str):
        raise invalid("signing_key", "must be a string")
    for existing in store.webhooks.values():
        # Calendly: 409 when a subscription for that URL already exists (whatever its scope).
        if existing["callback_url"] == url:
            raise ApiError(409, "Already Exists", "Hook with this url already exists", [])
    wh_uuid = store.new_uuid()
    now = store.now()
    webhook = {
        "uri": store.uri("webhook_subscriptions", wh_uuid),
        "callback_url": url,
        "created_at": now,
        "updated_at": now,
        "retry_started_at": None,
        "state": "active",
        "events": sorted(set(events), key=events.index),
        "scope": scope,
        "organization": store.organization_uri,
        "user": user,
        "group": group,
        "creator": call.user,
    }
    store.webhooks[wh_uuid] = webhook
    store.webhook_keys[wh_uuid] = signing_key or None
    return 201, {"resource": webhook}


def list_webhooks(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    scope, user, group = webhook_scope_target(call, call.param)
    items = [
        w for w in call.store.webhooks.values()
        if w["scope"] == scope
        and (user is None or w["user"] == user)
        and (group is None or w["group"] == group)
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_webhook(call: Call) -> Result:
    return 200, {"resource": one(call.store.webhooks, call.args[0])}


def delete_webhook(call: Call) -> Result:
    webhook = one(call.store.webhooks, call.args[0])
    if webhook["scope"] != "user" and not call.store.is_admin(call.user):
        raise permission_denied()
    del call.store.webhooks[call.args[0]]
    call.store.webhook_keys.pop(call.args[0], None)
    return 204, None


def sample_webhook_data(call: Call) -> Result:
    store = call.store
    event = call.require("event")
    if event not in EVENT_SCOPES:
        raise invalid("event", f"{event!r} is not a valid event")
    check_org(call, "organization", call.require("organization"))
    webhook_scope_target(call, call.param)
    payload: Json
    invitee = next(iter(store.invitees.values()), None)
    if event.startswith("invitee.") and invitee is not None:
        payload = store.invitee_payload(invitee)
    elif event.startswith("invitee_no_show.") and invitee is not None:
        payload = {"uri": store.uri("invitee_no_shows", "SAMPLE"), "invitee": invitee["uri"],
                   "created_at": store.now()}
    elif event.startswith("event_type."):
        payload = dict(next(iter(store.event_types.values())))
    else:
        payload = {}
    return 200, {
        "event": event,
        "created_at": store.now(),
        "created_by": call.user,
        "payload": payload,
    }


# -- routing table ---------------------------------------------------------------------

Handler = Callable[[Call], Result]

ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/users/{uuid}", get_user),
    ("GET", "/organizations/{uuid}", get_organization),
    ("GET", "/organizations/{uuid}/invitations", list_invitations),
    ("POST", "/organizations/{uuid}/invitations", create_invitation),
    ("GET", "/organizations/{org_uuid}/invitations/{uuid}", get_invitation),
    ("DELETE", "/organizations/{org_uuid}/invitations/{uuid}", revoke_invitation),
    ("GET", "/organization_memberships", list_memberships),
    ("GET", "/organization_memberships/{uuid}", get_membership),
    ("DELETE", "/organization_memberships/{uuid}", delete_membership),
    ("GET", "/event_types", list_event_types),
    ("GET", "/event_types/{uuid}", get_event_type),
    ("GET", "/event_type_available_times", event_type_available_times),
    ("GET", "/user_busy_times", user_busy_times),
    ("GET", "/user_availability_schedules", list_schedules),
    ("GET", "/user_availability_schedules/{uuid}", get_schedule),
    ("POST", "/data_compliance/deletion/invitees", delete_invitee_data),
    ("GET", "/scheduled_events", list_scheduled_events),
    ("GET", "/scheduled_events/{uuid}", get_scheduled_event),
    ("POST", "/scheduled_events/{uuid}/cancellation", cancel_scheduled_event),
    ("GET", "/scheduled_events/{uuid}/invitees", list_invitees),
    ("GET", "/scheduled_events/{event_uuid}/invitees/{uuid}", get_invitee),
    ("POST", "/invitee_no_shows", create_no_show),
    ("GET", "/invitee_no_shows/{uuid}", get_no_show),
    ("DELETE", "/invitee_no_shows/{uuid}", delete_no_show),
    ("POST", "/webhook_subscriptions", create_webhook),
    ("GET", "/webhook_subscriptions", list_webhooks),
    ("GET", "/webhook_subscriptions/{uuid}", get_webhook),
    ("DELETE", "/webhook_subscriptions/{uuid}", delete_webhook),
    ("GET", "/sample_webhook_data", sample_webhook_data),
]


class Router:
    """Match ``(method, path)`` to a handler and the path's ``{...}`` values."""

    def __init__(self, routes: list[tuple[str, str, Handler]]) -> None:
        self.table: dict[int, list[tuple[str, list[str | None], str, Handler]]] = {}
        for method, pattern, handler in routes:
            parts = pattern.strip("/").split("/")
            shape = [None if p.startswith("{") else p for p in parts]
            self.table.setdefault(len(parts), []).append((method, shape, pattern, handler))

    def match(self, method: str, path: str) -> tuple[str, Handler | None, list[str], bool]:
        """``(operation name, handler, args, path_known)``; handler None: 404 or 405."""
        parts = path.strip("/").split("/")
        path_known = False
        for route_method, shape, pattern, handler in self.table.get(len(parts), []):
            if all(s is None or s == p for s, p in zip(shape, parts, strict=True)) and all(
                p for p in parts
            ):
                path_known = True
                if route_method == method:
                    args = [p for s, p in zip(shape, parts, strict=True) if s is None]
                    return f"{method} {pattern}", handler, args, True
        return f"{method} (unknown)", None, [], path_known


ROUTER = Router(ROUTES)
