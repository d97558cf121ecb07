"""Input checks run before any request is sent; each failure is a ``ValueError``.

They exist so that a bad argument never reaches Calendly (or worse, changes the path of the
request: a uuid such as ``../users/me`` must not be spliced into a URL). The REST API layer
reuses these functions for its 400 answers, so messages are written for people.
Facts (allowed values, limits) come from the Calendly API reference, sections 3, 4, 6 and 7.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

CALENDLY_API_URL = "https://api.calendly.com"

MAX_UUID_LENGTH = 100
MIN_COUNT, MAX_COUNT = 1, 100
MAX_CANCEL_REASON = 10_000

#: What Calendly's uuids (and our path parameters) look like; also the schema's pattern.
UUID_REGEX = r"[A-Za-z0-9_-]{1,100}"
_UUID_RE = re.compile(UUID_REGEX)

#: Resource URI kinds and the path they take after the base URL.
URI_PATTERNS: dict[str, str] = {
    "user": r"/users/(?P<uuid>{u})",
    "organization": r"/organizations/(?P<uuid>{u})",
    "event_type": r"/event_types/(?P<uuid>{u})",
    "scheduled_event": r"/scheduled_events/(?P<uuid>{u})",
    "invitee": r"/scheduled_events/(?P<event_uuid>{u})/invitees/(?P<uuid>{u})",
    "group": r"/groups/(?P<uuid>{u})",
    "organization_membership": r"/organization_memberships/(?P<uuid>{u})",
    "invitation": r"/organizations/(?P<org_uuid>{u})/invitations/(?P<uuid>{u})",
    "invitee_no_show": r"/invitee_no_shows/(?P<uuid>{u})",
    "webhook_subscription": r"/webhook_subscriptions/(?P<uuid>{u})",
    "availability_schedule": r"/user_availability_schedules/(?P<uuid>{u})",
    "routing_form": r"/routing_forms/(?P<uuid>{u})",
    "routing_form_submission": r"/routing_form_submissions/(?P<uuid>{u})",
    "team": r"/teams/(?P<uuid>{u})",
    "group_relationship": r"/group_relationships/(?P<uuid>{u})",
    "contact": r"/contacts/(?P<uuid>{u})",
    "contact_custom_field": r"/contacts/custom_field_definitions/(?P<uuid>{u})",
    "meeting_recap": r"/meeting_recaps/(?P<uuid>{u})",
}
_URI_RES = {
    kind: re.compile(pattern.format(u=UUID_REGEX))
    for kind, pattern in URI_PATTERNS.items()
}

SORT_FIELDS: dict[str, tuple[str, ...]] = {
    "event_types": ("name", "position", "created_at", "updated_at"),
    "scheduled_events": ("start_time",),
    "invitees": ("created_at",),
    "invitations": ("created_at",),
    "webhook_subscriptions": ("created_at",),
    "routing_forms": ("created_at",),
    "routing_form_submissions": ("created_at",),
    "contacts": ("created_at", "updated_at"),
    "activity_log_entries": (
        "action", "actor.display_name", "actor.uri", "namespace", "occurred_at",
    ),
}
SORT_DIRECTIONS = ("asc", "desc")

EVENT_STATUSES = ("active", "canceled")
INVITEE_STATUSES = ("active", "canceled")
INVITATION_STATUSES = ("pending", "accepted", "declined")
MEMBERSHIP_ROLES = ("user", "admin", "owner")
WEBHOOK_SCOPES = ("organization", "user", "group")
MEETING_RECAP_STATUSES = ("available", "processing", "unavailable")
#: ``POST /shares`` ``period_type`` (openapi.yaml ``/shares``).
SHARE_PERIOD_TYPES = ("available_moving", "moving", "fixed", "unlimited")

#: ``duration`` of event types and shares, in minutes (REFERENCE.md section 7).
MIN_DURATION, MAX_DURATION = 1, 720
MAX_DURATION_OPTIONS = 4
#: ``event_guests`` of ``POST /invitees`` (REFERENCE.md section 9).
MAX_EVENT_GUESTS = 10
#: ``GET /activity_log_entries`` takes ``count`` up to 1000 (REFERENCE.md section 4).
MAX_ACTIVITY_LOG_COUNT = 1000
#: ``POST /data_compliance/deletion/events``: a past range of at most 24 months (section 7).
MAX_EVENT_DATA_DELETION_MONTHS = 24

#: String caps. Calendly's published ones: a share's ``name`` (openapi.yaml ``/shares``,
#: ``maxLength: 55``), a one-off event type's ``name`` ([S26] ``POST /one_off_event_types``,
#: ``maxLength: 55``), a share's ``location_configurations[].location`` and
#: ``.additional_info`` (openapi.yaml, ``maxLength: 255``) and the activity log's
#: ``search_term`` (openapi.yaml and [S26], ``maxLength: 300``).
MAX_SHARE_NAME = 55
MAX_ONE_OFF_NAME = 55
MAX_LOCATION_TEXT = 255
MAX_ACTIVITY_LOG_SEARCH = 300
#: ``name`` of ``POST``/``PATCH /event_types``: [S26] publishes no ``maxLength``, so this
#: bound is ours, and the client, the REST layer and the sandbox all use it.
MAX_EVENT_TYPE_NAME = 255

#: Contacts ([S26] ``POST``/``PATCH /contacts``): ``emails`` and ``phone_numbers`` are
#: "Max 10." each; exactly one email has ``is_primary: true`` ([S26] ``Email``).
MAX_CONTACT_EMAILS = 10
MAX_CONTACT_PHONE_NUMBERS = 10
#: Contact string fields and their bound. [S26] publishes no ``maxLength`` for them, so
#: the bound is ours (the client, the REST layer and the sandbox all use it).
CONTACT_TEXT_FIELDS = ("name", "timezone", "job_title", "company", "country", "state", "city")
MAX_CONTACT_TEXT = 255
MAX_CONTACT_PHONE = 64
#: [S26] ``ContactCustomFieldDefinitionFieldType``.
CONTACT_FIELD_TYPES = (
    "text", "number", "currency", "tags", "date", "single_select", "invitee_question",
)
#: ``exclude`` of ``GET /contacts`` and ``GET /contacts/{uuid}``: "Currently only
#: ``custom_fields`` is supported." ([S26]).
CONTACT_EXCLUDE = ("custom_fields",)
#: ``GET /contacts`` filters ([S26]); each takes a comma-separated list of values.
CONTACT_FILTERS = (
    "email", "phone_number", "timezone", "name", "job_title", "company", "country", "state",
    "city",
)

#: Webhook event names and the subscription scopes each may be used with.
WEBHOOK_EVENTS: dict[str, tuple[str, ...]] = {
    "invitee.created": WEBHOOK_SCOPES,
    "invitee.canceled": WEBHOOK_SCOPES,
    "invitee_no_show.created": WEBHOOK_SCOPES,
    "invitee_no_show.deleted": WEBHOOK_SCOPES,
    "event_type.created": WEBHOOK_SCOPES,
    "event_type.updated": WEBHOOK_SCOPES,
    "event_type.deleted": WEBHOOK_SCOPES,
    "routing_form_submission.created": ("organization",),
    "contact.created": WEBHOOK_SCOPES,
    "contact.updated": WEBHOOK_SCOPES,
    "contact.deleted": WEBHOOK_SCOPES,
    "meeting_recap.created": ("user",),
    "meeting_recap.updated": ("user",),
    "meeting_recap.deleted": ("user",),
}

AVAILABLE_TIMES_MAX_RANGE = timedelta(days=31)
BUSY_TIMES_MAX_RANGE = timedelta(days=7)


class InvalidArgument(ValueError):
    """A ``ValueError`` about one argument, named by ``name`` (``events[1]`` for a list item).

    The REST layer reports ``name`` as the parameter of its 400 answer.
    """

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def validate_uuid(value: Any, name: str = "uuid", *, allow_me: bool = False) -> str:
    """A path uuid: 1-100 letters, digits, ``-`` or ``_`` (``me`` too when ``allow_me``)."""
    if not isinstance(value, str):
        raise InvalidArgument(f"{name} must be a string, not {type(value).__name__}.", name)
    if allow_me and value == "me":
        return value
    if not value:
        raise InvalidArgument(f"{name} must not be empty.", name)
    if len(value) > MAX_UUID_LENGTH:
        raise InvalidArgument(
            f"{name} must be at most {MAX_UUID_LENGTH} characters long.", name
        )
    if not _UUID_RE.fullmatch(value):
        raise InvalidArgument(
            f"{name} {_describe(value)} may contain only letters, digits, '-' and '_'.", name
        )
    return value


def accepted_bases(base_url: str | None) -> list[str]:
    """The base URLs resource URIs may start with: ``base_url`` (when given and different)
    and https://api.calendly.com."""
    bases = [CALENDLY_API_URL]
    if base_url:
        base = base_url.rstrip("/")
        if base not in bases:
            bases.insert(0, base)
    return bases


def parse_uri(
    value: Any, kind: str, base_url: str | None = None, name: str | None = None
) -> dict[str, str]:
    """Check a Calendly resource URI of ``kind`` and return its uuid parts.

    ``{"uuid": ...}``, plus ``event_uuid`` for invitees and ``org_uuid`` for invitations.
    """
    pattern = _URI_RES.get(kind)
    if pattern is None:
        raise ValueError(f"Unknown resource kind {kind!r}.")
    label = kind.replace("_", " ")
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"The {label} must be a Calendly {label} URI.", name or kind)
    for base in accepted_bases(base_url):
        if value.startswith(base + "/"):
            match = pattern.fullmatch(value[len(base) :])
            if match:
                return {k: v for k, v in match.groupdict().items() if v is not None}
    example = CALENDLY_API_URL + URI_PATTERNS[kind].replace(r"(?P<", "{").replace(
        ">{u})", "}"
    )
    raise InvalidArgument(
        f"{_describe(value)} is not a Calendly {label} URI (expected {example}).", name or kind
    )


def validate_uri(
    value: Any, kind: str, base_url: str | None = None, name: str | None = None
) -> str:
    """A Calendly resource URI of ``kind`` under ``base_url`` or https://api.calendly.com."""
    parse_uri(value, kind, base_url, name)
    return str(value)


def uuid_from_uri(value: Any, kind: str, base_url: str | None = None) -> str:
    """The last path segment (the uuid) of a Calendly resource URI of ``kind``."""
    return parse_uri(value, kind, base_url)["uuid"]


def uuid_or_uri(
    value: Any, kind: str, base_url: str | None = None, *, name: str = "uuid",
    allow_me: bool = False,
) -> str:
    """A uuid, or the uuid taken from a full resource URI of ``kind``."""
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return parse_uri(value, kind, base_url, name)["uuid"]
    return validate_uuid(value, name, allow_me=allow_me)


def validate_count(value: Any, maximum: int = MAX_COUNT) -> int:
    """A page size between 1 and 100."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(
            f"count must be an integer between {MIN_COUNT} and {maximum}.", "count"
        )
    if not MIN_COUNT <= value <= maximum:
        raise InvalidArgument(
            f"count must be between {MIN_COUNT} and {maximum}, not {value}.", "count"
        )
    return value


def validate_sort(value: Any, endpoint: str) -> str:
    """``field:direction`` pairs (comma-separated) allowed for ``endpoint``."""
    fields = SORT_FIELDS[endpoint]
    allowed = ", ".join(f"{f}:asc|desc" for f in fields)
    if not isinstance(value, str) or not value:
        raise InvalidArgument(f"sort must be a string such as {allowed}.", "sort")
    for pair in value.split(","):
        field, sep, direction = pair.strip().partition(":")
        if not sep or field not in fields or direction not in SORT_DIRECTIONS:
            raise InvalidArgument(
                f"sort {_describe(value)} is not allowed here; use {allowed}.", "sort"
            )
    return value


def validate_choice(value: Any, allowed: Iterable[str], name: str) -> str:
    """One of ``allowed``."""
    options = tuple(allowed)
    if not isinstance(value, str) or value not in options:
        raise InvalidArgument(
            f"{name} must be one of {', '.join(options)}; got {_describe(value)}.", name
        )
    return value


def validate_bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidArgument(f"{name} must be true or false.", name)
    return value


def validate_email(value: Any, name: str = "email") -> str:
    """A plausible email address (Calendly does the real check)."""
    if (
        not isinstance(value, str)
        or len(value) > 254
        or not re.fullmatch(r"[^@\s]+@[^@\s]+", value)
    ):
        raise InvalidArgument(f"{name} {_describe(value)} is not an email address.", name)
    return value


def validate_emails(values: Any, name: str = "emails") -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidArgument(f"{name} must be a list of email addresses.", name)
    emails = [validate_email(v, f"{name}[{i}]") for i, v in enumerate(values)]
    if not emails:
        raise InvalidArgument(f"{name} must not be empty.", name)
    return emails


def validate_contact_emails(values: Any, name: str = "emails") -> list[dict[str, Any]]:
    """[S26] ``Email`` objects ``{email, is_primary}``: 1 to 10, exactly one primary, no
    address twice (case-insensitive)."""
    items = _object_list(values, name, "{email, is_primary} objects")
    if not items:
        raise InvalidArgument(f"{name} must not be empty.", name)
    if len(items) > MAX_CONTACT_EMAILS:
        raise InvalidArgument(
            f"{name} must contain at most {MAX_CONTACT_EMAILS} email addresses.", name
        )
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    primaries = 0
    for i, item in enumerate(items):
        where = f"{name}[{i}]"
        _only_keys(item, ("email", "is_primary"), where)
        email = validate_email(item.get("email"), f"{where}.email")
        if email.lower() in seen:
            raise InvalidArgument(f"{name} must not repeat an address.", name)
        seen.add(email.lower())
        primary = validate_bool(item.get("is_primary"), f"{where}.is_primary")
        primaries += primary
        out.append({"email": email, "is_primary": primary})
    if primaries != 1:
        raise InvalidArgument(f"Exactly one entry of {name} must have is_primary true.", name)
    return out


def validate_contact_phone_numbers(
    values: Any, name: str = "phone_numbers"
) -> list[dict[str, str]]:
    """[S26] ``PhoneNumber`` objects ``{phone_number}``: at most 10 (none clears the list)."""
    items = _object_list(values, name, "{phone_number} objects")
    if len(items) > MAX_CONTACT_PHONE_NUMBERS:
        raise InvalidArgument(
            f"{name} must contain at most {MAX_CONTACT_PHONE_NUMBERS} phone numbers.", name
        )
    out = []
    for i, item in enumerate(items):
        _only_keys(item, ("phone_number",), f"{name}[{i}]")
        out.append({"phone_number": validate_text(
            item.get("phone_number"), f"{name}[{i}].phone_number", MAX_CONTACT_PHONE)})
    return out


def _custom_value_ok(value: Any) -> bool:
    """[S26] ``ContactCustomFieldValue`` or null: a string, a number, a boolean or a list
    of strings (the definition's ``field_type`` picks which; Calendly checks that)."""
    if value is None or isinstance(value, str | bool):
        return True
    if isinstance(value, int | float):
        return value == value and value not in (float("inf"), float("-inf"))  # no NaN, inf
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def validate_contact_custom_fields(
    values: Any, name: str = "custom_fields"
) -> list[dict[str, Any]]:
    """[S26] custom field values to set: ``{uuid, value}`` items, ``uuid`` naming the
    definition. Other keys are dropped, as Calendly ignores them."""
    out = []
    for i, item in enumerate(_object_list(values, name, "{uuid, value} objects")):
        where = f"{name}[{i}]"
        if "value" not in item:
            raise InvalidArgument(f"{where}.value is required (null clears it).", where)
        if not _custom_value_ok(item["value"]):
            raise InvalidArgument(
                f"{where}.value must be a string, a number, a boolean, a list of strings "
                "or null.", f"{where}.value",
            )
        out.append({"uuid": validate_uuid(item.get("uuid"), f"{where}.uuid"),
                    "value": item["value"]})
    return out


def _object_list(values: Any, name: str, what: str) -> list[dict[str, Any]]:
    if isinstance(values, str | bytes | dict) or not isinstance(values, Iterable):
        raise InvalidArgument(f"{name} must be a list of {what}.", name)
    items = list(values)
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise InvalidArgument(f"{name}[{i}] must be an object ({what}).", f"{name}[{i}]")
    return items


def _only_keys(item: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    unknown = sorted(str(k) for k in item if k not in keys)
    if unknown:
        raise InvalidArgument(
            f"{where} has an unknown key {unknown[0]!r:.60}; it takes {', '.join(keys)}.",
            where,
        )


def validate_url(value: Any, name: str = "url") -> str:
    """An absolute http(s) URL (a webhook callback)."""
    if (
        not isinstance(value, str)
        or not re.fullmatch(r"https?://[^\s/?#]+[^\s]*", value)
        or len(value) > 2048
    ):
        raise InvalidArgument(
            f"{name} {_describe(value)} is not an absolute http(s) URL.", name
        )
    return value


def validate_page_token(value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > 2048:
        raise InvalidArgument(
            "page_token must be a non-empty string from a previous page.", "page_token"
        )
    return value


def validate_reason(value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidArgument("reason must be a string.", "reason")
    if len(value) > MAX_CANCEL_REASON:
        raise InvalidArgument(
            f"reason must be at most {MAX_CANCEL_REASON} characters long.", "reason"
        )
    return value


def parse_datetime(value: Any, name: str = "time") -> datetime:
    """An aware ``datetime`` from a ``datetime`` or an ISO-8601 string; naive is refused."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise InvalidArgument(
                f"{name} {_describe(value)} is not an ISO-8601 date-time.", name
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise InvalidArgument(f"{name} must be a datetime or an ISO-8601 string.", name)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise InvalidArgument(
            f"{name} must carry a time zone (naive date-times are ambiguous).", name
        )
    return parsed


def format_datetime(value: datetime) -> str:
    """UTC ISO-8601 with microseconds and ``Z``, the form Calendly writes."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def validate_datetime(value: Any, name: str = "time") -> str:
    """An aware datetime or ISO-8601 string, returned as UTC ``...Z``."""
    return format_datetime(parse_datetime(value, name))


def validate_time_range(
    start: Any, end: Any, max_range: timedelta | None = None
) -> tuple[str, str]:
    """``start_time`` before ``end_time``, at most ``max_range`` apart."""
    start_dt = parse_datetime(start, "start_time")
    end_dt = parse_datetime(end, "end_time")
    if end_dt <= start_dt:
        raise InvalidArgument("end_time must be after start_time.", "end_time")
    if max_range is not None and end_dt - start_dt > max_range:
        raise InvalidArgument(
            f"end_time must be at most {max_range.days} days after start_time.", "end_time"
        )
    return format_datetime(start_dt), format_datetime(end_dt)


def validate_start_time_bounds(min_start_time: Any, max_start_time: Any) -> None:
    """``max_start_time`` not before ``min_start_time`` (either may be ``None``).

    Strings are parsed as by ``parse_datetime``; two ``datetime`` objects are compared as
    given (both naive is fine here: a host project without ``USE_TZ`` gets naive ones from
    its form fields, and whether they may be naive is the caller's rule).
    """
    if min_start_time is None or max_start_time is None:
        return
    low = (
        min_start_time if isinstance(min_start_time, datetime)
        else parse_datetime(min_start_time, "min_start_time")
    )
    high = (
        max_start_time if isinstance(max_start_time, datetime)
        else parse_datetime(max_start_time, "max_start_time")
    )
    if high < low:
        raise InvalidArgument(
            "max_start_time must not be before min_start_time.", "max_start_time"
        )


def validate_duration(value: Any, name: str = "duration") -> int:
    """Minutes between 1 and 720 (event types and shares, REFERENCE.md section 7)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(
            f"{name} must be an integer number of minutes ({MIN_DURATION}-{MAX_DURATION}).", name
        )
    if not MIN_DURATION <= value <= MAX_DURATION:
        raise InvalidArgument(
            f"{name} must be between {MIN_DURATION} and {MAX_DURATION} minutes, not {value}.",
            name,
        )
    return value


def validate_duration_options(values: Any, name: str = "duration_options") -> list[int]:
    """At most 4 unique durations, each 1-720 minutes (REFERENCE.md section 7)."""
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidArgument(f"{name} must be a list of durations in minutes.", name)
    options = [validate_duration(item, f"{name}[{i}]") for i, item in enumerate(values)]
    if len(set(options)) != len(options):
        raise InvalidArgument(f"{name} must not repeat a duration.", name)
    if len(options) > MAX_DURATION_OPTIONS:
        raise InvalidArgument(
            f"{name} may hold at most {MAX_DURATION_OPTIONS} durations, not {len(options)}.",
            name,
        )
    return options


def validate_text(value: Any, name: str, max_length: int = 10_000) -> str:
    """A non-empty string of at most ``max_length`` characters (names, titles, markdown)."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidArgument(f"{name} must be a non-empty string.", name)
    if len(value) > max_length:
        raise InvalidArgument(f"{name} must be at most {max_length} characters long.", name)
    return value


def validate_object(value: Any, name: str) -> dict[str, Any]:
    """A JSON object (a ``dict`` with string keys), passed to Calendly as given."""
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        raise InvalidArgument(f"{name} must be an object (a dict with string keys).", name)
    return value


def validate_objects(values: Any, name: str) -> list[dict[str, Any]]:
    """A list of JSON objects."""
    if isinstance(values, str | dict) or not isinstance(values, Iterable):
        raise InvalidArgument(f"{name} must be a list of objects.", name)
    return [validate_object(item, f"{name}[{i}]") for i, item in enumerate(values)]


def validate_strings(values: Any, name: str) -> list[str]:
    """A non-empty list of non-empty strings (multi-valued query filters)."""
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable):
        raise InvalidArgument(f"{name} must be a list of strings.", name)
    items = [validate_text(item, f"{name}[{i}]", 1000) for i, item in enumerate(values)]
    if not items:
        raise InvalidArgument(f"{name} must not be empty.", name)
    return items


def validate_events(events: Any, scope: str | None = None) -> list[str]:
    """Webhook event names, each allowed for ``scope`` when given (REFERENCE.md section 6)."""
    if isinstance(events, str) or not isinstance(events, Iterable):
        raise InvalidArgument("events must be a list of webhook event names.", "events")
    names = list(events)
    if not names:
        raise InvalidArgument("events must not be empty.", "events")
    for index, event in enumerate(names):
        item = f"events[{index}]"
        try:
            validate_choice(event, WEBHOOK_EVENTS, "event")
        except ValueError as exc:
            raise InvalidArgument(str(exc), item) from None
        if scope is not None and scope not in WEBHOOK_EVENTS[event]:
            raise InvalidArgument(
                f"{event} cannot be subscribed at {scope} scope "
                f"(allowed: {', '.join(WEBHOOK_EVENTS[event])}).",
                item,
            )
    if len(set(names)) != len(names):
        raise InvalidArgument("events must not repeat.", "events")
    return names


def validate_webhook_scope(
    scope: Any, user: Any, group: Any, base_url: str | None = None
) -> dict[str, str]:
    """``scope`` plus the ``user``/``group`` URI it requires; returns the query/body fields.

    ``user`` goes with scope ``user`` only and ``group`` with scope ``group`` only
    (REFERENCE.md sections 6, 7 and 8, items 23-24): one given at another scope is refused
    rather than sent, since Calendly documents no meaning for it there (at organization
    scope it would not narrow anything).
    """
    try:
        validate_choice(scope, WEBHOOK_SCOPES, "scope")
    except ValueError as exc:
        raise InvalidArgument(str(exc), "scope") from None
    fields = {"scope": scope}
    for name, value in (("user", user), ("group", group)):
        if scope == name and value is None:
            raise InvalidArgument(f"{name} is required when scope is '{name}'.", name)
        if value is None:
            continue
        if scope != name:
            raise InvalidArgument(f"{name} applies only when scope is '{name}'.", name)
        try:
            fields[name] = validate_uri(value, name, base_url)
        except ValueError as exc:
            raise InvalidArgument(str(exc), name) from None
    return fields


__all__ = [
    "CALENDLY_API_URL",
    "CONTACT_EXCLUDE",
    "CONTACT_FIELD_TYPES",
    "CONTACT_FILTERS",
    "CONTACT_TEXT_FIELDS",
    "EVENT_STATUSES",
    "INVITATION_STATUSES",
    "INVITEE_STATUSES",
    "MAX_ACTIVITY_LOG_COUNT",
    "MAX_ACTIVITY_LOG_SEARCH",
    "MAX_CONTACT_EMAILS",
    "MAX_CONTACT_PHONE",
    "MAX_CONTACT_PHONE_NUMBERS",
    "MAX_CONTACT_TEXT",
    "MAX_DURATION",
    "MAX_DURATION_OPTIONS",
    "MAX_EVENT_GUESTS",
    "MAX_EVENT_TYPE_NAME",
    "MAX_LOCATION_TEXT",
    "MAX_ONE_OFF_NAME",
    "MAX_SHARE_NAME",
    "MEETING_RECAP_STATUSES",
    "MEMBERSHIP_ROLES",
    "MIN_DURATION",
    "SHARE_PERIOD_TYPES",
    "SORT_FIELDS",
    "WEBHOOK_EVENTS",
    "WEBHOOK_SCOPES",
    "InvalidArgument",
    "format_datetime",
    "parse_datetime",
    "parse_uri",
    "uuid_from_uri",
    "uuid_or_uri",
    "validate_bool",
    "validate_choice",
    "validate_contact_custom_fields",
    "validate_contact_emails",
    "validate_contact_phone_numbers",
    "validate_count",
    "validate_datetime",
    "validate_duration",
    "validate_duration_options",
    "validate_email",
    "validate_emails",
    "validate_events",
    "validate_object",
    "validate_objects",
    "validate_page_token",
    "validate_reason",
    "validate_sort",
    "validate_start_time_bounds",
    "validate_strings",
    "validate_text",
    "validate_time_range",
    "validate_url",
    "validate_uuid",
    "validate_webhook_scope",
]
