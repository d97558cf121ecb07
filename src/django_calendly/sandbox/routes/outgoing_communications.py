"""Outgoing communications (Enterprise): the emails and texts Calendly sent."""

from __future__ import annotations

from ..errors import invalid
from .common import Call, Handler, Result, check_org, list_small, parse_time_param, require_admin


def list_communications(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    require_admin(call)
    low = parse_time_param(call, "min_created_at")
    high = parse_time_param(call, "max_created_at")
    if low and high and high < low:
        raise invalid("max_created_at", "must not be before min_created_at")
    items = [c for c in call.store.communications.values()
             if (low is None or c["created_at"] >= low)
             and (high is None or c["created_at"] <= high)]
    return 200, list_small(call, items, ("created_at",), "created_at:desc")


HANDLERS: dict[str, Handler] = {
    "outgoing_communications.list": list_communications,
}
