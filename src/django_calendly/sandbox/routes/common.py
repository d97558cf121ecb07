"""What every route handler shares: the :class:`Call`, argument helpers, page bodies.

Each handler takes a :class:`Call` and returns ``(status, body)``; errors are raised as
:class:`ApiError`. Handlers run with the store lock held. Webhook deliveries they cause
are queued on ``call.outbox`` and sent by the server after the lock is released; extra
response headers (the Scheduling API's own rate-limit headers) go in ``call.headers``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from ...client.operations import WEBHOOK_EVENT_SUBSCRIPTION_SCOPES
from ..clock import iso, parse_param_time
from ..errors import invalid, not_found, permission_denied
from ..paging import paginate, parse_count, parse_sort
from ..state import Json, Store

#: Which subscription scopes each webhook event allows (the operation table's list).
EVENT_SCOPES = WEBHOOK_EVENT_SUBSCRIPTION_SCOPES

@dataclass
class Call:
    """One API request as the handlers see it."""

    store: Store
    method: str
    path: str
    params: dict[str, str]
    args: list[str]
    user: str
    body: Any = None
    outbox: list[tuple[str, Json, str | None]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # extra response headers

    def param(self, name: str) -> str | None:
        value = self.params.get(name)
        return value if value not in (None, "") else None

    def require(self, name: str) -> str:
        value = self.param(name)
        if value is None:
            raise invalid(name, "is required")
        return value

    def field(self, name: str, required: bool = False) -> Any:
        if not isinstance(self.body, dict):
            raise invalid("body", "must be a JSON object")
        value = self.body.get(name)
        if required and value in (None, "", []):
            raise invalid(name, "is required")
        return value

    def emit(self, event: str, payload: Json, subject_user: str | None) -> None:
        self.outbox.append((event, payload, subject_user))


# -- helpers ----------------------------------------------------------------------------


def uuid_of(store: Store, name: str, value: Any, *kinds: str) -> str:
    """The uuid in a sandbox resource URI ``{base}/{kind}/{uuid}``; 400 otherwise."""
    if not isinstance(value, str):
        raise invalid(name, "must be a URI")
    for kind in kinds:
        prefix = f"{store.base}/{kind}/"
        if value.startswith(prefix):
            rest = value[len(prefix):]
            if rest and "/" not in rest:
                return rest
    raise invalid(name, f"must be a valid {kinds[0].rstrip('s')} URI")


def check_org(call: Call, name: str, value: Any) -> str:
    uuid = uuid_of(call.store, name, value, "organizations")
    if value != call.store.organization_uri:
        raise permission_denied("This user is not in your organization")
    return uuid


def user_in_org(call: Call, name: str, value: Any) -> str:
    uuid = uuid_of(call.store, name, value, "users")
    if uuid not in call.store.users:
        raise not_found()
    if call.store.role_of(value) is None:
        raise permission_denied("This user is not in your organization")
    return str(value)


def require_admin(call: Call) -> None:
    if not call.store.is_admin(call.user):
        raise permission_denied()


def parse_bool(name: str, raw: str | None) -> bool | None:
    if raw is None:
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise invalid(name, "must be true or false")


def parse_status(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    return parse_choice("status", raw, allowed)


def parse_choice(name: str, raw: str | None, allowed: tuple[str, ...]) -> str | None:
    if raw is not None and raw not in allowed:
        raise invalid(name, f"must be one of {', '.join(allowed)}")
    return raw


def parse_time_param(call: Call, name: str) -> str | None:
    """An optional date-time query parameter, as a stored (sortable) timestamp."""
    value = parse_param_time(name, call.param(name))
    return iso(value) if value is not None else None


def body_object(call: Call) -> dict[str, Any]:
    if not isinstance(call.body, dict):
        raise invalid("body", "must be a JSON object")
    return call.body


def text_field(
    call: Call, name: str, *, required: bool = False, max_length: int | None = None,
    default: str | None = None,
) -> str | None:
    """A string body field: 400 naming it when missing, not a string, or too long."""
    value = body_object(call).get(name)
    if value is None or value == "":
        if required:
            raise invalid(name, "is required")
        return default
    if not isinstance(value, str):
        raise invalid(name, "must be a string")
    if max_length is not None and len(value) > max_length:
        raise invalid(name, f"must be at most {max_length} characters")
    return value


def int_field(call: Call, name: str, low: int, high: int, *, required: bool = False,
              default: int | None = None) -> int | None:
    value = body_object(call).get(name)
    if value is None:
        if required:
            raise invalid(name, "is required")
        return default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise invalid(name, f"must be an integer between {low} and {high}")
    return value


def valid_email(value: Any) -> bool:
    return (isinstance(value, str) and 3 <= len(value) <= 254 and "@" in value
            and " " not in value and "." in value.rsplit("@", 1)[1])


def uuid_from_path(uri: str) -> str:
    return uri.rsplit("/", 1)[1]


def page_body(
    call: Call, items: list[Json], count: int, next_token: str | None, prev_token: str | None
) -> Json:
    def link(token: str | None) -> str | None:
        if token is None:
            return None
        query = {k: v for k, v in call.params.items() if k != "page_token"}
        query["page_token"] = token
        return f"{call.store.base}{call.path}?{urlencode(query)}"

    return {
        "collection": items,
        "pagination": {
            "count": len(items),
            "next_page": link(next_token),
            "previous_page": link(prev_token),
            "next_page_token": next_token,
            "previous_page_token": prev_token,
        },
    }


def list_small(
    call: Call,
    items: list[Json],
    sort_fields: tuple[str, ...],
    default_sort: str,
    *,
    max_count: int = 100,
    tie: str = "uri",
) -> Json:
    """Paginate a small collection: sort it (with uri as tie-break) and walk a page."""
    raw_count = call.params.get("count")
    if max_count > 100 and raw_count and raw_count.isdigit() and 100 < int(raw_count):
        if int(raw_count) > max_count:
            raise invalid("count", f"must be between 1 and {max_count}")
        count = int(raw_count)
    else:
        count = parse_count(raw_count)
    field_name, descending = parse_sort(call.params.get("sort"), sort_fields, default_sort)

    def sort_value(item: Json) -> Any:
        value: Any = item
        for part in field_name.split("."):  # "actor.display_name" reads a nested field
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value  # numbers compare as numbers (position 10 after 9)
        return str(value or "")

    by_key = {(sort_value(item), str(item[tie])): item for item in items}
    index = sorted(by_key)
    entries, next_token, prev_token = paginate(
        index, count, call.param("page_token"), descending=descending
    )
    return page_body(call, [by_key[e] for e in entries], count, next_token, prev_token)


def one(table: dict[str, Json], uuid: str) -> Json:
    item = table.get(uuid)
    if item is None:
        raise not_found()
    return item


Result = tuple[int, Any]



Handler = Callable[[Call], Result]
