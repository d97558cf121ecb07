"""The sandbox's route table, built from the operation table.

Each family module (one per ``family`` of :data:`client.operations.OPERATIONS`) maps
operation names to handlers in its ``HANDLERS``; this module joins that mapping with the
operation table, so every route's method and path come from the one list the client uses.
:func:`check_handlers` fails loudly when an operation has no handler or a handler names
no operation.
"""

from __future__ import annotations

from ...client.operations import BY_NAME, OPERATIONS, Operation
from . import (
    activity_log,
    availability,
    contacts,
    data_compliance,
    event_types,
    group_relationships,
    groups,
    invitees,
    locations,
    meeting_recaps,
    memberships,
    no_shows,
    organizations,
    outgoing_communications,
    routing_forms,
    scheduled_events,
    scheduling_links,
    shares,
    teams,
    users,
    webhooks,
)
from .common import Call, Handler, Result

FAMILY_MODULES = (
    activity_log, availability, contacts, data_compliance, event_types, group_relationships,
    groups, invitees, locations, meeting_recaps, memberships, no_shows, organizations,
    outgoing_communications, routing_forms, scheduled_events, scheduling_links, shares,
    teams, users, webhooks,
)


def collect_handlers() -> dict[str, Handler]:
    """Every family module's ``HANDLERS``, merged; a name claimed twice is an error."""
    merged: dict[str, Handler] = {}
    for module in FAMILY_MODULES:
        for name, handler in module.HANDLERS.items():
            if name in merged:
                raise RuntimeError(f"operation {name} has two sandbox handlers")
            merged[name] = handler
    return merged


def check_handlers(handlers: dict[str, Handler]) -> None:
    """Raise unless handlers and operations match one to one."""
    missing = [op.name for op in OPERATIONS if op.name not in handlers]
    orphans = sorted(set(handlers) - set(BY_NAME))
    if missing or orphans:
        raise RuntimeError(
            f"sandbox routes out of step with OPERATIONS: no handler for {missing}, "
            f"no operation for {orphans}"
        )


class Router:
    """Match ``(method, path)`` to an operation, its handler and the path's ``{...}``s.

    Literal segments win over placeholders (``/users/me`` before ``/users/{uuid}``,
    ``/contacts/custom_field_definitions`` before ``/contacts/{uuid}``).
    """

    def __init__(self, routes: list[tuple[Operation, Handler]]) -> None:
        self.table: dict[int, list[tuple[str, list[str | None], Operation, Handler]]] = {}
        for op, handler in routes:
            parts = op.path.strip("/").split("/")
            shape = [None if p.startswith("{") else p for p in parts]
            self.table.setdefault(len(parts), []).append((op.method, shape, op, handler))
        for entries in self.table.values():
            entries.sort(key=lambda e: [s is None for s in e[1]])

    def resolve(
        self, method: str, path: str
    ) -> tuple[Operation | None, Handler | None, list[str], bool]:
        """``(operation, handler, args, path_known)``; handler None: 404 or 405."""
        parts = path.strip("/").split("/")
        if not all(parts):
            return None, None, [], False
        path_known = False
        for route_method, shape, op, handler in self.table.get(len(parts), []):
            if all(s is None or s == p for s, p in zip(shape, parts, strict=True)):
                if route_method == method:
                    args = [p for s, p in zip(shape, parts, strict=True) if s is None]
                    return op, handler, args, True
                path_known = True
        return None, None, [], path_known

    def match(self, method: str, path: str) -> tuple[str, Handler | None, list[str], bool]:
        """``("METHOD /path/{template}", handler, args, path_known)`` (stats key first)."""
        op, handler, args, known = self.resolve(method, path)
        if op is None:
            return f"{method} (unknown)", None, [], known
        return f"{op.method} {op.path}", handler, args, known


HANDLERS = collect_handlers()
check_handlers(HANDLERS)
ROUTER = Router([(op, HANDLERS[op.name]) for op in OPERATIONS])

__all__ = ["HANDLERS", "ROUTER", "Call", "Handler", "Result", "Router", "check_handlers"]
