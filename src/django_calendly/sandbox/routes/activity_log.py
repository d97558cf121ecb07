"""The organization's activity log (Enterprise): filters, search, sort, ``count`` to 1000."""

from __future__ import annotations

import json

from ...client import validation as v
from ..errors import invalid
from .common import Call, Handler, Result, check_org, list_small, parse_time_param, require_admin

SORT_FIELDS = ("action", "actor.display_name", "actor.uri", "namespace", "occurred_at")


def many(call: Call, name: str) -> set[str] | None:
    """A list filter: ``name[]=a`` or ``name=a,b`` (the query is read as single values)."""
    raw = call.param(name + "[]") or call.param(name)
    return {v.strip() for v in raw.split(",") if v.strip()} if raw else None


def list_entries(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    require_admin(call)
    if call.param("sort[]") and not call.param("sort"):
        call.params["sort"] = call.params["sort[]"]
    actors = many(call, "actor")
    namespaces = many(call, "namespace")
    actions = many(call, "action")
    low = parse_time_param(call, "min_occurred_at")
    high = parse_time_param(call, "max_occurred_at")
    if low and high and high < low:
        raise invalid("max_occurred_at", "must not be before min_occurred_at")
    raw_term = call.param("search_term") or ""
    # The length as sent: lowercasing can lengthen a string ("İ" becomes two characters).
    if len(raw_term) > v.MAX_ACTIVITY_LOG_SEARCH:
        raise invalid("search_term", f"must be at most {v.MAX_ACTIVITY_LOG_SEARCH} characters")
    term = raw_term.lower() or None
    items = [
        e for e in call.store.activity_log.values()
        if (actors is None or e["actor"].get("uri") in actors)
        and (namespaces is None or e["namespace"] in namespaces)
        and (actions is None or e["action"] in actions)
        and (low is None or e["occurred_at"] >= low)
        and (high is None or e["occurred_at"] <= high)
        and (term is None or term in json.dumps(
            [e["fully_qualified_name"], e["actor"], e["details"]]).lower())
    ]
    body = list_small(call, items, SORT_FIELDS, "occurred_at:desc", max_count=1000)
    body["total_count"] = len(items)
    body["exceeds_max_total_count"] = False
    body["last_event_time"] = max((e["occurred_at"] for e in items), default=None)
    return 200, body


HANDLERS: dict[str, Handler] = {
    "activity_log.list": list_entries,
}
