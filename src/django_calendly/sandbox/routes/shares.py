"""Shares: "customize once and share" a one-on-one event type as a single-use link."""

from __future__ import annotations

from datetime import date
from typing import Any

from ..errors import invalid, not_found, permission_denied
from .common import Call, Handler, Result, body_object, int_field, text_field, uuid_of
from .event_types import duration_options, locations_field, rules_field

PERIOD_TYPES = ("available_moving", "moving", "fixed", "unlimited")


def create_share(call: Call) -> Result:
    store = call.store
    body = body_object(call)
    if body.get("event_type") in (None, ""):
        raise invalid("event_type", "is required")
    event_type = store.event_types.get(uuid_of(store, "event_type", body["event_type"],
                                               "event_types"))
    if event_type is None:
        raise not_found()
    if event_type["profile"]["owner"] != call.user and not store.is_admin(call.user):
        raise permission_denied()
    if event_type["kind"] != "solo":
        raise invalid("event_type", "only one-on-one (solo) event types can be shared")
    override: dict[str, Any] = {}
    name = text_field(call, "name", max_length=55)
    if name is not None:
        override["name"] = name
    duration = int_field(call, "duration", 1, 720)
    if duration is not None:
        override["duration"] = duration
    if "duration_options" in body:
        override["duration_options"] = duration_options(body["duration_options"])
    period = body.get("period_type")
    if period is not None:
        if period not in PERIOD_TYPES:
            raise invalid("period_type", f"must be one of {', '.join(PERIOD_TYPES)}")
        override["period_type"] = period
        if period == "fixed":
            for name_ in ("start_date", "end_date"):
                try:
                    override[name_] = date.fromisoformat(str(body.get(name_))).isoformat()
                except ValueError:
                    raise invalid(name_, "is required as YYYY-MM-DD when period_type is "
                                         "fixed") from None
            if override["end_date"] < override["start_date"]:
                raise invalid("end_date", "must not be before start_date")
        if period in ("moving", "available_moving"):
            override["max_booking_time"] = int_field(
                call, "max_booking_time", 1, 10_000, required=True)
    if "hide_location" in body:
        if not isinstance(body["hide_location"], bool):
            raise invalid("hide_location", "must be true or false")
        override["hide_location"] = body["hide_location"]
    if "location_configurations" in body:
        override["location_configurations"] = locations_field(
            body["location_configurations"], "location_configurations")
    if "availability_rule" in body:
        rule = body["availability_rule"]
        if not isinstance(rule, dict):
            raise invalid("availability_rule", "must be an object")
        override["availability_rule"] = {"rules": rules_field(rule.get("rules")),
                                         "timezone": rule.get("timezone")}
    share_id = store.new_uuid()
    link = {
        "booking_url": store.uri("d", share_id[:4] + "-" + share_id[9:13], event_type["slug"]),
        "owner": event_type["uri"],
        "owner_type": "EventType",
    }
    share = {"share_override": override, "scheduling_links": [link]}
    store.shares[share_id] = share
    return 201, {"resource": share}


HANDLERS: dict[str, Handler] = {
    "shares.create": create_share,
}
