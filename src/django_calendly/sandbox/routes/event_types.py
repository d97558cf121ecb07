"""Event types: list and read; create and update (one-on-one only), one-off meetings,
hosts (memberships), and the availability rules an event type books against."""

from __future__ import annotations

import copy
from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ...client import validation as v
from ..errors import invalid, not_found, permission_denied
from ..resources import add_activity, default_rule
from ..state import WDAYS, Json, Store
from .common import (
    Call,
    Handler,
    Result,
    body_object,
    check_org,
    int_field,
    list_small,
    one,
    parse_bool,
    parse_choice,
    text_field,
    user_in_org,
    uuid_from_path,
    uuid_of,
)


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
    one_off = call.store.one_off_event_types.get(call.args[0])
    return 200, {"resource": one_off or one(call.store.event_types, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "event_types.list": list_event_types,
    "event_types.get": get_event_type,
}


# -- writes (one-on-one event types only) -------------------------------------------------

LOCATION_KINDS = ("physical", "ask_invitee", "custom", "outbound_call", "inbound_call",
                  "google_conference", "gotomeeting_conference", "microsoft_teams_conference",
                  "webex_conference", "zoom_conference")


def duration_options(value: Any, name: str = "duration_options") -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= 720 for v in value
    ):
        raise invalid(name, "must be a list of durations between 1 and 720 minutes")
    if len(set(value)) != len(value) or len(value) > 4:
        raise invalid(name, "must contain at most 4 unique values")
    return list(value)


def locations_field(value: Any, name: str = "locations") -> list[Json] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(v, dict) and v.get("kind") in LOCATION_KINDS for v in value
    ):
        raise invalid(name, f"must be a list of {{kind}} with kind one of "
                            f"{', '.join(LOCATION_KINDS)}")
    return [dict(v) for v in value]


def event_type_fields(call: Call, creating: bool) -> dict[str, Any]:
    """The validated writable fields present in the body."""
    body = body_object(call)
    out: dict[str, Any] = {}
    if creating or "name" in body:
        out["name"] = text_field(call, "name", required=True, max_length=v.MAX_EVENT_TYPE_NAME)
    if "duration" in body or creating:
        out["duration"] = int_field(call, "duration", 1, 720, default=30)
    if "duration_options" in body:
        out["duration_options"] = duration_options(body["duration_options"])
    if "locations" in body:
        out["locations"] = locations_field(body["locations"])
    if "color" in body:
        color = body["color"]
        if not isinstance(color, str) or len(color) != 7 or color[0] != "#" or not all(
            c in "0123456789abcdefABCDEF" for c in color[1:]
        ):
            raise invalid("color", "must be a hex color such as #0069ff")
        out["color"] = color
    if "locale" in body:
        out["locale"] = parse_choice("locale", body["locale"], ("en", "fr", "es", "de", "nl",
                                                                 "pt", "it", "uk"))
    if "active" in body:
        if not isinstance(body["active"], bool):
            raise invalid("active", "must be true or false")
        out["active"] = body["active"]
    for text, limit in (("description", 10_000), ("internal_note", 10_000)):
        if text in body:
            out[text] = text_field(call, text, max_length=limit)
    options = out.get("duration_options")
    if options and out.get("duration", options[0]) not in options and "duration" in body:
        raise invalid("duration", "must be one of duration_options")
    return out


def apply_fields(event_type: Json, fields: dict[str, Any]) -> None:
    description = fields.pop("description", None)
    event_type.update(fields)
    if description is not None:
        event_type["description_plain"] = description
        event_type["description_html"] = f"<p>{description}</p>"


def create_event_type(call: Call) -> Result:
    store = call.store
    owner = user_in_org(call, "owner", body_object(call).get("owner") or _missing("owner"))
    if owner != call.user and not store.is_admin(call.user):
        raise permission_denied()
    fields = event_type_fields(call, creating=True)
    position = max((et["position"] for et in store.event_types.values()), default=-1) + 1
    event_type = store.add_event_type(owner, fields["name"], fields["duration"],
                                      fields.get("active", True), "solo", position,
                                      store.now())
    event_type["slug"] = unique_slug(store, event_type)
    host = store.users[owner.rsplit("/", 1)[1]]
    event_type["scheduling_url"] = f"{host['scheduling_url']}/{event_type['slug']}"
    apply_fields(event_type, {k: v for k, v in fields.items() if k not in ("name", "duration")})
    et_uuid = uuid_from_path(event_type["uri"])
    store.event_type_rules[et_uuid] = default_rule(store, owner)
    add_activity(store, call.user, "EventType", "Create",
                 {"event_type": event_type["uri"], "name": event_type["name"]})
    call.emit("event_type.created", copy.deepcopy(event_type), owner)
    return 201, {"resource": event_type}


def _missing(name: str) -> Any:
    raise invalid(name, "is required")


def unique_slug(store: Store, event_type: Json) -> str:
    taken = {et["slug"] for et in store.event_types.values() if et is not event_type
             and et["profile"]["owner"] == event_type["profile"]["owner"]}
    base = "".join(c if c.isalnum() else "-" for c in event_type["name"].lower()).strip("-")
    slug, n = base or "meeting", 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def editable(call: Call, uuid: str) -> Json:
    event_type = one(call.store.event_types, uuid)
    if event_type["profile"]["owner"] != call.user and not call.store.is_admin(call.user):
        raise permission_denied()
    if event_type["kind"] != "solo":
        raise invalid("event_type", "only one-on-one (solo) event types can be changed")
    return event_type


def update_event_type(call: Call) -> Result:
    event_type = editable(call, call.args[0])
    fields = event_type_fields(call, creating=False)
    if not fields:
        raise invalid("body", "must change at least one field")
    options = fields.get("duration_options", event_type["duration_options"])
    duration = fields.get("duration", event_type["duration"])
    if options and duration not in options:
        raise invalid("duration", "must be one of duration_options")
    apply_fields(event_type, fields)
    if "name" in fields:
        event_type["slug"] = unique_slug(call.store, event_type)
    event_type["updated_at"] = call.store.now()
    add_activity(call.store, call.user, "EventType", "Update",
                 {"event_type": event_type["uri"], "changed": sorted(fields)})
    call.emit("event_type.updated", copy.deepcopy(event_type), event_type["profile"]["owner"])
    return 200, {"resource": event_type}


def create_one_off(call: Call) -> Result:
    store = call.store
    body = body_object(call)
    name = text_field(call, "name", required=True, max_length=v.MAX_ONE_OFF_NAME)
    host = user_in_org(call, "host", body.get("host") or _missing("host"))
    if host != call.user and not store.is_admin(call.user):
        raise permission_denied()
    duration = int_field(call, "duration", 1, 720, required=True)
    co_hosts = body.get("co_hosts") or []
    if not isinstance(co_hosts, list):
        raise invalid("co_hosts", "must be a list of user URIs")
    co_hosts = [user_in_org(call, "co_hosts", c) for c in co_hosts]
    setting = body.get("date_setting")
    if not isinstance(setting, dict) or not setting:
        raise invalid("date_setting", "is required")
    if setting.get("type") != "date_range":
        raise invalid("date_setting", "type must be date_range")
    try:
        first = date.fromisoformat(str(setting.get("start_date")))
        last = date.fromisoformat(str(setting.get("end_date")))
    except ValueError:
        raise invalid("date_setting", "start_date and end_date must be YYYY-MM-DD") from None
    if last < first:
        raise invalid("date_setting", "end_date must not be before start_date")
    if last > first + timedelta(days=365):
        raise invalid("date_setting", "must span at most 365 days")
    timezone = text_field(call, "timezone", max_length=64)
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ValueError, ZoneInfoNotFoundError):
            raise invalid("timezone", "must be an IANA time zone such as Europe/Paris") from None
    location = body.get("location")
    if location is not None:
        locations_field([location], "location")
    assert name is not None and duration is not None
    event_type = store.add_event_type(host, name, duration, True, "solo", 0, store.now())
    del store.event_types[uuid_from_path(event_type["uri"])]
    et_uuid = store.new_uuid()
    event_type.update(
        uri=store.uri("event_types", et_uuid), type="AdhocEventType", position=0,
        slug=f"one-off-{et_uuid[:8]}", custom_questions=[], duration_options=None,
        locations=[location] if location else None, kind_description="One-Off Meeting",
        scheduling_url=store.uri("d", et_uuid[:4] + "-" + et_uuid[9:13], "one-off"),
        date_setting={"type": "date_range", "start_date": first.isoformat(),
                      "end_date": last.isoformat()},
        co_hosts=co_hosts, timezone=timezone or store.users[uuid_from_path(host)]["timezone"],
    )
    store.one_off_event_types[et_uuid] = event_type
    return 201, {"resource": event_type}


def list_memberships(call: Call) -> Result:
    store = call.store
    event_type = event_type_param(call)
    hosts = [event_type["profile"]["owner"], *event_type.get("co_hosts", [])]
    items = []
    for host in hosts:
        user = store.users[uuid_from_path(host)]
        items.append({
            "uri": f"{event_type['uri']}/memberships/{uuid_from_path(host)}",
            "event_type": event_type["uri"],
            "member": {k: user[k] for k in ("uri", "name", "email", "slug", "timezone")},
            "role": "host",
            "created_at": event_type["created_at"],
            "updated_at": event_type["updated_at"],
        })
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def event_type_param(call: Call) -> Json:
    store = call.store
    et_uuid = uuid_of(store, "event_type", call.require("event_type"), "event_types")
    event_type = store.event_types.get(et_uuid) or store.one_off_event_types.get(et_uuid)
    if event_type is None:
        raise not_found()
    return event_type


def schedule_body(store: Store, event_type: Json) -> Json:
    rule = store.event_type_rules[uuid_from_path(event_type["uri"])]
    return {
        "event_type": event_type["uri"],
        "availability_setting": "host",
        "availability_rule": copy.deepcopy(rule),
        "user": rule["user"],
    }


def get_availability_schedules(call: Call) -> Result:
    event_type = event_type_param(call)
    if uuid_from_path(event_type["uri"]) not in call.store.event_type_rules:
        raise not_found()
    return 200, {"collection": [schedule_body(call.store, event_type)]}


def rules_field(value: Any) -> list[Json]:
    if not isinstance(value, list):
        raise invalid("availability_rule.rules", "must be a list of rules")
    out = []
    for rule in value:
        if not isinstance(rule, dict) or rule.get("type") not in ("wday", "date"):
            raise invalid("availability_rule.rules", "each rule needs type wday or date")
        if rule["type"] == "wday" and rule.get("wday") not in WDAYS:
            raise invalid("availability_rule.rules", f"wday must be one of {', '.join(WDAYS)}")
        if rule["type"] == "date":
            try:
                date.fromisoformat(str(rule.get("date")))
            except ValueError:
                raise invalid("availability_rule.rules", "date must be YYYY-MM-DD") from None
        intervals = rule.get("intervals")
        if not isinstance(intervals, list):
            raise invalid("availability_rule.rules", "intervals must be a list")
        clean = []
        for interval in intervals:
            try:
                begin = str(interval["from"])
                end = str(interval["to"])
                time.fromisoformat(begin)
                if end != "24:00":
                    time.fromisoformat(end)
            except (KeyError, TypeError, ValueError):
                raise invalid("availability_rule.rules",
                              "intervals need from and to as hh:mm") from None
            if len(begin) != 5 or len(end) != 5 or end <= begin:
                raise invalid("availability_rule.rules", "an interval must end after it starts")
            clean.append({"from": begin, "to": end})
        out.append({"type": rule["type"],
                    **({"wday": rule["wday"]} if rule["type"] == "wday" else
                       {"date": rule["date"]}),
                    "intervals": clean})
    return out


def update_availability_schedules(call: Call) -> Result:
    store = call.store
    event_type = event_type_param(call)
    if event_type["profile"]["owner"] != call.user and not store.is_admin(call.user):
        raise permission_denied()
    body = body_object(call)
    setting = body.get("availability_setting", "host")
    if setting != "host":
        raise invalid("availability_setting", "must be host")
    rule = body.get("availability_rule")
    if not isinstance(rule, dict):
        raise invalid("availability_rule", "is required")
    timezone = rule.get("timezone")
    try:
        ZoneInfo(str(timezone))
    except (ValueError, ZoneInfoNotFoundError):
        raise invalid("availability_rule.timezone", "must be an IANA time zone") from None
    user = rule.get("user") or event_type["profile"]["owner"]
    if user != event_type["profile"]["owner"]:
        raise invalid("availability_rule.user", "must be a host of the event type")
    et_uuid = uuid_from_path(event_type["uri"])
    store.event_type_rules[et_uuid] = {"timezone": timezone,
                                       "rules": rules_field(rule.get("rules")), "user": user}
    event_type["updated_at"] = store.now()
    return 200, {"collection": [schedule_body(store, event_type)]}


HANDLERS.update({
    "event_types.create": create_event_type,
    "event_types.update": update_event_type,
    "event_types.create_one_off": create_one_off,
    "event_types.list_memberships": list_memberships,
    "event_types.get_availability_schedules": get_availability_schedules,
    "event_types.update_availability_schedules": update_availability_schedules,
})
