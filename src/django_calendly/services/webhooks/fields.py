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

from collections.abc import Iterator, Mapping
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
#: object is skipped (the parent's own type is checked by its own entry). ``[]`` after a
#: list's name checks each of its items (``contact.emails[].email``).
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


def _present(payload: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """``(path, value)`` of each value at ``path``; a ``[]`` segment stands for every item
    of a list (``contact.emails[].email`` -> ``contact.emails[0].email``, ...)."""
    head, items, rest = path.partition("[]")
    present, value = _lookup(payload, head)
    if not present:
        return
    if not items:
        yield head, value
        return
    if not isinstance(value, list):  # the list's own type is checked by its own entry
        return
    for index, item in enumerate(value):
        where = f"{head}[{index}]"
        if not rest:
            yield where, item
        elif isinstance(item, Mapping):  # an item that is no object: its own entry says so
            for sub, found in _present(item, rest.removeprefix(".")):
                yield f"{where}.{sub}", found


def check_payload(payload: Mapping[str, Any], spec: FieldSpec) -> None:
    """Raise ``PayloadFieldError`` for the first field of ``spec`` with the wrong type."""
    for pattern, expected in spec.items():
        for path, value in _present(payload, pattern):
            if value is None:
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

#: [S26] ``ContactCreatedWebhookPayload`` / ``ContactUpdatedWebhookPayload`` (``{user_uuid,
#: contact}``) and ``ContactDeletedWebhookPayload`` (``contact{uri, deleted_at}``).
CONTACT: FieldSpec = {
    "user_uuid": "string",
    "contact": "object",
    **_strings(*(f"contact.{k}" for k in (
        "uri", "creation_source", "name", "timezone", "job_title", "company", "country",
        "state", "city", "linkedin"))),
    "contact.emails": "array",
    "contact.emails[]": "object",
    "contact.emails[].email": "string",
    "contact.emails[].is_primary": "boolean",
    "contact.phone_numbers": "array",
    "contact.phone_numbers[]": "object",
    "contact.phone_numbers[].phone_number": "string",
    "contact.custom_fields": "array",
    "contact.custom_fields[]": "object",
    **_strings("contact.custom_fields[].uri", "contact.custom_fields[].label"),
    **_times(*(f"contact.{k}" for k in (
        "created_at", "updated_at", "deleted_at", "first_email_date", "last_email_date",
        "next_meeting_date", "last_meeting_date", "last_interaction_date"))),
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
