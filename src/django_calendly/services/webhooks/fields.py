"""Typed field extraction for webhook payloads: one check that every handler runs first.

A signed payload whose fields have the wrong JSON type (``email: ["a"]``, ``rescheduled:
"yes"``, a ``start_time`` that is no date-time) used to be written to the mirror as the
value's string form. Each event family declares the type of every field its handler reads
(``FieldSpec``); ``check_payload`` refuses the first field that does not match with a
``PayloadFieldError`` naming it (never its value: it may be personal data), so the
delivery is marked ``failed`` with a clear error and nothing is written.

A missing field or ``null`` is accepted everywhere (Calendly marks many fields nullable and
older payloads lack newer ones); the handlers treat them as empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.dateparse import parse_datetime

#: Type names understood by a spec: the JSON types, plus ``time`` (an ISO-8601 string).
_CHECKS: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "object": lambda v: isinstance(v, Mapping),
    "array": lambda v: isinstance(v, list),
    "time": lambda v: isinstance(v, str) and _is_time(v),
}

#: ``{"dotted.path": "type" | "type|type"}``; a path through a value that is not an
#: object is skipped (the parent's own type is checked by its own entry).
FieldSpec = Mapping[str, str]


def _is_time(value: str) -> bool:
    try:
        return parse_datetime(value) is not None
    except ValueError:  # well formed but out of range, e.g. month 13
        return False


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


class PayloadFieldError(ValueError):
    """A payload field of the wrong type; ``field`` is its dotted path (``payload.email``)."""

    def __init__(self, field: str, expected: str, got: str) -> None:
        self.field = field
        self.expected = expected
        super().__init__(
            f"{field} must be {' or '.join(_ARTICLES[e] for e in expected.split('|'))}, "
            f"not {_ARTICLES.get(got, got)}."
        )


_ARTICLES = {
    "string": "a string", "boolean": "a boolean", "integer": "an integer",
    "object": "an object", "array": "an array", "number": "a number",
    "time": "an ISO-8601 date-time string",
}


def _lookup(payload: Mapping[str, Any], path: str) -> tuple[bool, Any]:
    node: Any = payload
    for part in path.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def check_payload(payload: Mapping[str, Any], spec: FieldSpec) -> None:
    """Raise ``PayloadFieldError`` for the first field of ``spec`` with the wrong type."""
    for path, expected in spec.items():
        present, value = _lookup(payload, path)
        if not present or value is None:
            continue
        if not any(_CHECKS[kind](value) for kind in expected.split("|")):
            got = "string" if isinstance(value, str) else _json_type(value)
            if got == "string" and "time" in expected.split("|"):
                got = "string that is no ISO-8601 date-time"
            raise PayloadFieldError(f"payload.{path}", expected, got)


def _times(*paths: str) -> dict[str, str]:
    return dict.fromkeys(paths, "time")


def _strings(*paths: str) -> dict[str, str]:
    return dict.fromkeys(paths, "string")


SCHEDULED_EVENT: FieldSpec = {
    "scheduled_event": "object",
    **_strings(*(f"scheduled_event.{k}" for k in (
        "uri", "name", "status", "event_type", "organization"))),
    **_times(*(f"scheduled_event.{k}" for k in (
        "start_time", "end_time", "created_at", "updated_at"))),
    "scheduled_event.invitees_counter": "object",
    "scheduled_event.invitees_counter.total": "integer",
    "scheduled_event.invitees_counter.active": "integer",
    "scheduled_event.event_memberships": "array",
}

INVITEE: FieldSpec = {
    **_strings("uri", "email", "name", "first_name", "last_name", "status", "event",
               "timezone", "old_invitee", "new_invitee"),
    **_times("created_at", "updated_at"),
    "rescheduled": "boolean",
    "no_show": "object",
    "no_show.uri": "string",
    "no_show.created_at": "time",
    "cancellation": "object",
    **_strings("cancellation.reason", "cancellation.canceled_by",
               "cancellation.canceler_type"),
    "cancellation.created_at": "time",
    "questions_and_answers": "array",
    **SCHEDULED_EVENT,
}

#: Both shapes: the invitee resource with ``no_show``, or the no-show resource
#: ``{uri, invitee, created_at}`` whose ``invitee`` is a URI (or an object with one).
NO_SHOW: FieldSpec = {**INVITEE, "invitee": "string|object", "invitee.uri": "string"}

EVENT_TYPE: FieldSpec = {
    **_strings("uri", "name", "slug", "kind", "scheduling_url", "organization"),
    **_times("created_at", "updated_at", "deleted_at"),
    "active": "boolean",
    "duration": "integer",
    "profile": "object",
    "profile.owner": "string",
}

ROUTING_FORM_SUBMISSION: FieldSpec = {
    **_strings("uri", "routing_form", "submitter", "submitter_type"),
    **_times("created_at", "updated_at"),
    "questions_and_answers": "array",
    "tracking": "object",
    "result": "object",
}

#: Only what REFERENCE.md establishes for a contact (``name``, the ``emails`` list, times):
#: a guessed type for any other field would refuse real deliveries.
CONTACT: FieldSpec = {
    "user_uuid": "string",
    "contact": "object",
    **_strings("contact.uri", "contact.name"),
    "contact.emails": "array",
    "contact.phones": "array",
    **_times("contact.created_at", "contact.updated_at", "contact.deleted_at"),
}

MEETING_RECAP: FieldSpec = {
    "created_at": "time",
    "event": "object",
    **_strings("event.uri", "event.name"),
    **_times("event.start_time", "event.end_time"),
    "event.attendees": "array",
    "recap": "object",
    **_strings(*(f"recap.{k}" for k in (
        "uri", "summary_md", "action_items_md", "discussion_md", "share_link"))),
    **_times("recap.created_at", "recap.updated_at", "recap.deleted_at"),
}
