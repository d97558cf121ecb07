"""A reproducible stream of webhook deliveries and the mirror state it must converge to.

Used by the PostgreSQL concurrency test and by ``bench/webhook_ingest.py``: bookings,
cancellations, reschedules (both halves) and no-shows (marked, some unmarked), each
delivery with its own Calendly ``created_at``; then duplicates (Calendly redeliveries:
the same bytes) and a shuffle, so deliveries arrive in any order and several times.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from . import payloads as p

BASE = datetime(2026, 1, 1, tzinfo=UTC)


def _ts(seconds: int) -> str:
    return (BASE + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class Scenario:
    bodies: list[bytes] = field(default_factory=list)  # unique deliveries
    stream: list[bytes] = field(default_factory=list)  # with duplicates, shuffled
    invitee_status: dict[str, str] = field(default_factory=dict)
    event_status: dict[str, str] = field(default_factory=dict)
    links: dict[str, tuple[str, str]] = field(default_factory=dict)  # uri -> (old, new)
    no_show: dict[str, str] = field(default_factory=dict)  # invitee uri -> current no-show
    reschedules: int = 0

    def add(self, event: str, payload: dict[str, Any], created_at: str) -> None:
        envelope = {"event": event, "created_at": created_at, "created_by": p.HOST,
                    "payload": payload}
        self.bodies.append(json.dumps(envelope).encode())


def build(
    invitees: int = 800, cancels: int = 300, reschedules: int = 150, no_shows: int = 150,
    unmarked: int = 50, duplicate_ratio: float = 0.2, seed: int = 7, prefix: str = "",
) -> Scenario:
    """Unique deliveries: invitees + cancels + 2 * reschedules + no_shows + unmarked
    (1,600 with the defaults); duplicates make ``duplicate_ratio`` of the stream."""
    rng = random.Random(seed)
    sc = Scenario()
    clock = iter(range(1, 10**9))
    uris = []
    for n in range(invitees):
        ev, inv = f"{prefix}E{n}", f"{prefix}I{n}"
        uri = p.invitee_uri(ev, inv)
        uris.append((ev, inv, uri))
        sc.add("invitee.created", p.invitee(ev, inv, updated_at=_ts(next(clock))), _ts(n))
        sc.invitee_status[uri] = "active"
        sc.event_status[f"{p.API}/scheduled_events/{ev}"] = "active"
        sc.links[uri] = ("", "")
    order = list(range(invitees))
    rng.shuffle(order)
    canceled = order[:cancels]
    moved = order[cancels:cancels + reschedules]
    marked = order[cancels + reschedules:cancels + reschedules + no_shows]
    for n in canceled:
        ev, inv, uri = uris[n]
        t = next(clock)
        sc.add("invitee.canceled", p.invitee(ev, inv, status="canceled", updated_at=_ts(t)),
               _ts(t))
        sc.invitee_status[uri] = "canceled"
        sc.event_status[f"{p.API}/scheduled_events/{ev}"] = "canceled"
    for n in moved:
        ev, inv, uri = uris[n]
        new_ev, new_inv = f"{ev}R", f"{inv}R"
        new_uri = p.invitee_uri(new_ev, new_inv)
        t = next(clock)
        sc.add("invitee.canceled", p.invitee(ev, inv, status="canceled", updated_at=_ts(t),
                                             rescheduled=True, new_invitee=new_uri), _ts(t))
        sc.add("invitee.created", p.invitee(new_ev, new_inv, updated_at=_ts(t),
                                            old_invitee=uri), _ts(t))
        sc.invitee_status[uri] = "canceled"
        sc.invitee_status[new_uri] = "active"
        sc.event_status[f"{p.API}/scheduled_events/{ev}"] = "canceled"
        sc.event_status[f"{p.API}/scheduled_events/{new_ev}"] = "active"
        sc.links[uri] = ("", new_uri)
        sc.links[new_uri] = (uri, "")
        sc.reschedules += 1
    for k, n in enumerate(marked):
        _, _, uri = uris[n]
        ns_uri = f"{p.API}/invitee_no_shows/{prefix}NS{n}"
        t = next(clock)
        sc.add("invitee_no_show.created",
               {"uri": ns_uri, "invitee": uri, "created_at": _ts(t)}, _ts(t))
        sc.no_show[uri] = ns_uri
        if k < unmarked:
            t2 = next(clock)
            sc.add("invitee_no_show.deleted",
                   {"uri": ns_uri, "invitee": uri, "created_at": _ts(t)}, _ts(t2))
            sc.no_show[uri] = ""
    total = round(len(sc.bodies) / (1 - duplicate_ratio))
    sc.stream = sc.bodies + [rng.choice(sc.bodies) for _ in range(total - len(sc.bodies))]
    rng.shuffle(sc.stream)
    return sc
