"""Shares: "customize once and share" a one-on-one event type as a single-use link."""

from __future__ import annotations

from datetime import date
from typing import Any

from ...client import validation as v
from ..errors import invalid, not_found, permission_denied
from ..state import Json
from .common import Call, Handler, Result, body_object, int_field, text_field, uuid_of
from .event_types import duration_options, locations_field, rules_field

PERIOD_TYPES = ("available_moving", "moving", "fixed", "unlimited")


def location_configurations(value: Any) -> list[Json]:
    """``locations_field``, plus openapi.yaml's caps: ``location`` and ``additional_info``
    at most 255 characters."""
    items = locations_field(value, "location_configurations") or []
    for index, item in enumerate(items):
        for key in ("location", "additional_info"):
            text, name = item.get(key), f"location_configurations[{index}].{key}"
            if text is not None and not isinstance(text, str):
                raise invalid(name, "must be a string")
            if text is not None and len(text) > v.MAX_LOCATION_TEXT:
                raise invalid(name, f"must be at most {v.MAX_LOCATION_TEXT} characters")
    return items


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
    name = text_field(call, "name", max_length=v.MAX_SHARE_NAME)
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
        override["location_configurations"] = location_configurations(
            body["location_configurations"])
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
