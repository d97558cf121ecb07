"""Availability: available times, busy times, user availability schedules."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ..clock import iso, parse_iso, parse_param_time
from ..errors import (
    invalid,
)
from ..state import WDAYS, Json, Store
from .common import (
    Call,
    Handler,
    Result,
    one,
    user_in_org,
    uuid_of,
)


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


SLOT_STEP = timedelta(minutes=30)  # Calendly's default start-time increment


def open_intervals(rule: Json, day: date) -> list[tuple[time, time]]:
    """The day's open ``(from, to)`` intervals: a ``date`` rule overrides the weekday's."""
    chosen = [r for r in rule["rules"] if r.get("type") == "date"
              and r.get("date") == day.isoformat()]
    if not chosen:
        chosen = [r for r in rule["rules"] if r.get("type") == "wday"
                  and r.get("wday") == WDAYS[(day.weekday() + 1) % 7]]
    out = []
    for r in chosen:
        for interval in r.get("intervals") or []:
            begin = time.fromisoformat(interval["from"])
            finish = time.max if interval["to"] == "24:00" else time.fromisoformat(
                interval["to"])
            out.append((begin, finish))
    return out


def free_slots(store: Store, event_type: Json, start: str, end: str) -> list[str]:
    """Start times (stored format) in ``[start, end)`` an invitee may book: inside the event
    type's availability rules (in their timezone), in the future, clear of the host's
    active events."""
    et_uuid = event_type["uri"].rsplit("/", 1)[1]
    rule = store.event_type_rules.get(et_uuid)
    if rule is None or not event_type["active"]:
        return []
    zone = ZoneInfo(rule["timezone"])
    duration = timedelta(minutes=event_type["duration"])
    busy = busy_keys(store, event_type["profile"]["owner"], start, iso(parse_iso(end) + duration))
    now = store.now()
    first = parse_iso(start).astimezone(zone).date() - timedelta(days=1)
    last = parse_iso(end).astimezone(zone).date()
    slots = []
    day = first
    while day <= last:
        for begin, finish in open_intervals(rule, day):
            slot = datetime.combine(day, begin, zone)
            close = datetime.combine(day, finish, zone)
            while slot + duration <= close:
                s, e = iso(slot), iso(slot + duration)
                if start <= s < end and s > now and not any(
                    b["start_time"] < e and b["end_time"] > s for b in busy
                ):
                    slots.append(s)
                slot += SLOT_STEP
        day += timedelta(days=1)
    return sorted(set(slots))


def event_type_available_times(call: Call) -> Result:
    store = call.store
    et_uuid = uuid_of(store, "event_type", call.require("event_type"), "event_types")
    start, end = time_range(call, 31)
    event_type = one(store.event_types, et_uuid)
    collection = [
        {
            "status": "available",
            "invitees_remaining": 1,
            "start_time": s,
            "scheduling_url": f"{event_type['scheduling_url']}/{s}",
        }
        for s in free_slots(store, event_type, start, end)
    ]
    return 200, {"collection": collection}


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


HANDLERS: dict[str, Handler] = {
    "availability.event_type_available_times": event_type_available_times,
    "availability.user_busy_times": user_busy_times,
    "availability.list_schedules": list_schedules,
    "availability.get_schedule": get_schedule,
}
