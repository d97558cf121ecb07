"""The table of Calendly API v2 operations: one row per operation, 65 in all.

This is the one list that the client, the sandbox, the REST layer, the docs and the tests
read. Each row names the operation (``family.method``, which is also the client method:
``client.contacts.create``), its HTTP method and path template, the OAuth scope Calendly
requires for it (REFERENCE.md sections 2, 8 and 9), and the plan it needs.

A ``:write`` scope includes the ``:read`` scope of the same domain (``scope_granted``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Plan = Literal["free", "paid", "enterprise"]


@dataclass(frozen=True)
class Operation:
    """One Calendly API operation."""

    name: str  # "family.method": the client's resource group and method
    method: str  # GET, POST, PATCH, DELETE
    path: str  # template, e.g. "/contacts/{uuid}"
    scope: str  # the OAuth scope Calendly requires
    plan: Plan = "free"  # the lowest plan that may call it
    paged: bool = False  # a keyset-paginated list (count, page_token)

    @property
    def family(self) -> str:
        return self.name.split(".", 1)[0]

    @property
    def client_method(self) -> str:
        return self.name.split(".", 1)[1]


_O = Operation

OPERATIONS: tuple[Operation, ...] = (
    # users
    _O("users.me", "GET", "/users/me", "users:read"),
    _O("users.get", "GET", "/users/{uuid}", "users:read"),
    # organizations, invitations, memberships
    _O("organizations.get", "GET", "/organizations/{uuid}", "organizations:read"),
    _O("organizations.list_invitations", "GET", "/organizations/{uuid}/invitations",
       "organizations:read", paged=True),
    _O("organizations.invite", "POST", "/organizations/{uuid}/invitations",
       "organizations:write"),
    _O("organizations.get_invitation", "GET", "/organizations/{org_uuid}/invitations/{uuid}",
       "organizations:read"),
    _O("organizations.revoke_invitation", "DELETE",
       "/organizations/{org_uuid}/invitations/{uuid}", "organizations:write"),
    _O("memberships.list", "GET", "/organization_memberships", "organizations:read",
       paged=True),
    _O("memberships.get", "GET", "/organization_memberships/{uuid}", "organizations:read"),
    _O("memberships.delete", "DELETE", "/organization_memberships/{uuid}",
       "organizations:write"),
    # teams and groups
    _O("teams.list", "GET", "/teams", "organizations:read", paged=True),
    _O("teams.get", "GET", "/teams/{uuid}", "organizations:read"),
    _O("groups.list", "GET", "/groups", "groups:read", paged=True),
    _O("groups.get", "GET", "/groups/{uuid}", "groups:read"),
    _O("group_relationships.list", "GET", "/group_relationships", "groups:read", paged=True),
    _O("group_relationships.get", "GET", "/group_relationships/{uuid}", "groups:read"),
    # event types
    _O("event_types.list", "GET", "/event_types", "event_types:read", paged=True),
    _O("event_types.get", "GET", "/event_types/{uuid}", "event_types:read"),
    _O("event_types.create", "POST", "/event_types", "event_types:write"),
    _O("event_types.update", "PATCH", "/event_types/{uuid}", "event_types:write"),
    _O("event_types.create_one_off", "POST", "/one_off_event_types", "event_types:write"),
    _O("event_types.list_memberships", "GET", "/event_type_memberships", "event_types:read",
       paged=True),
    _O("event_types.get_availability_schedules", "GET", "/event_type_availability_schedules",
       "availability:read"),
    _O("event_types.update_availability_schedules", "PATCH",
       "/event_type_availability_schedules", "availability:write"),
    # availability
    _O("availability.event_type_available_times", "GET", "/event_type_available_times",
       "availability:read"),
    _O("availability.user_busy_times", "GET", "/user_busy_times", "availability:read"),
    _O("availability.list_schedules", "GET", "/user_availability_schedules",
       "availability:read"),
    _O("availability.get_schedule", "GET", "/user_availability_schedules/{uuid}",
       "availability:read"),
    # locations
    _O("locations.list", "GET", "/locations", "locations:read", paged=True),
    # scheduled events, invitees, no-shows
    _O("scheduled_events.list", "GET", "/scheduled_events", "scheduled_events:read",
       paged=True),
    _O("scheduled_events.get", "GET", "/scheduled_events/{uuid}", "scheduled_events:read"),
    _O("scheduled_events.cancel", "POST", "/scheduled_events/{uuid}/cancellation",
       "scheduled_events:write"),
    _O("invitees.list", "GET", "/scheduled_events/{uuid}/invitees", "scheduled_events:read",
       paged=True),
    _O("invitees.get", "GET", "/scheduled_events/{event_uuid}/invitees/{uuid}",
       "scheduled_events:read"),
    _O("invitees.create", "POST", "/invitees", "scheduled_events:write", plan="paid"),
    _O("no_shows.create", "POST", "/invitee_no_shows", "scheduled_events:write"),
    _O("no_shows.get", "GET", "/invitee_no_shows/{uuid}", "scheduled_events:read"),
    _O("no_shows.delete", "DELETE", "/invitee_no_shows/{uuid}", "scheduled_events:write"),
    # scheduling links and shares
    _O("scheduling_links.create", "POST", "/scheduling_links", "scheduling_links:write"),
    _O("shares.create", "POST", "/shares", "shares:write"),
    # routing forms
    _O("routing_forms.list", "GET", "/routing_forms", "routing_forms:read", paged=True),
    _O("routing_forms.get", "GET", "/routing_forms/{uuid}", "routing_forms:read"),
    _O("routing_forms.list_submissions", "GET", "/routing_form_submissions",
       "routing_forms:read", paged=True),
    _O("routing_forms.get_submission", "GET", "/routing_form_submissions/{uuid}",
       "routing_forms:read"),
    # contacts: a paid-plan feature ([S26] ContactsError, every contacts operation's 403:
    # "Please upgrade to a paid Calendly account.")
    _O("contacts.create", "POST", "/contacts", "contacts:write", plan="paid"),
    _O("contacts.list", "GET", "/contacts", "contacts:read", plan="paid", paged=True),
    _O("contacts.get", "GET", "/contacts/{uuid}", "contacts:read", plan="paid"),
    _O("contacts.update", "PATCH", "/contacts/{uuid}", "contacts:write", plan="paid"),
    _O("contacts.delete", "DELETE", "/contacts/{uuid}", "contacts:write", plan="paid"),
    _O("contacts.list_custom_fields", "GET", "/contacts/custom_field_definitions",
       "contacts:read", plan="paid", paged=True),
    _O("contacts.get_custom_field", "GET", "/contacts/custom_field_definitions/{uuid}",
       "contacts:read", plan="paid"),
    # meeting recaps
    _O("meeting_recaps.list", "GET", "/meeting_recaps", "meeting_recaps:read", plan="paid",
       paged=True),
    _O("meeting_recaps.get", "GET", "/meeting_recaps/{uuid}", "meeting_recaps:read",
       plan="paid"),
    _O("meeting_recaps.update", "PATCH", "/meeting_recaps/{uuid}", "meeting_recaps:write",
       plan="paid"),
    _O("meeting_recaps.delete", "DELETE", "/meeting_recaps/{uuid}", "meeting_recaps:write",
       plan="paid"),
    _O("meeting_recaps.transcript", "GET", "/meeting_recaps/{uuid}/transcript",
       "meeting_recaps:read", plan="paid"),
    # webhooks
    _O("webhooks.create", "POST", "/webhook_subscriptions", "webhooks:write", plan="paid"),
    _O("webhooks.list", "GET", "/webhook_subscriptions", "webhooks:read", paged=True),
    _O("webhooks.get", "GET", "/webhook_subscriptions/{uuid}", "webhooks:read"),
    _O("webhooks.delete", "DELETE", "/webhook_subscriptions/{uuid}", "webhooks:write"),
    _O("webhooks.sample", "GET", "/sample_webhook_data", "webhooks:read"),
    # enterprise: data compliance, activity log, outgoing communications
    _O("data_compliance.delete_invitee_data", "POST", "/data_compliance/deletion/invitees",
       "data_compliance:write", plan="enterprise"),
    _O("data_compliance.delete_event_data", "POST", "/data_compliance/deletion/events",
       "data_compliance:write", plan="enterprise"),
    _O("activity_log.list", "GET", "/activity_log_entries", "activity_log:read",
       plan="enterprise", paged=True),
    _O("outgoing_communications.list", "GET", "/outgoing_communications",
       "outgoing_communications:read", plan="enterprise", paged=True),
)

BY_NAME: dict[str, Operation] = {op.name: op for op in OPERATIONS}
BY_ROUTE: dict[tuple[str, str], Operation] = {(op.method, op.path): op for op in OPERATIONS}

#: Every scope Calendly defines (REFERENCE.md section 2).
ALL_SCOPES: tuple[str, ...] = tuple(sorted({op.scope for op in OPERATIONS}))

#: Which read scope a webhook event family needs (REFERENCE.md section 6).
WEBHOOK_EVENT_SCOPES: dict[str, str] = {
    "invitee.created": "scheduled_events:read",
    "invitee.canceled": "scheduled_events:read",
    "invitee_no_show.created": "scheduled_events:read",
    "invitee_no_show.deleted": "scheduled_events:read",
    "event_type.created": "event_types:read",
    "event_type.updated": "event_types:read",
    "event_type.deleted": "event_types:read",
    "routing_form_submission.created": "routing_forms:read",
    "contact.created": "contacts:read",
    "contact.updated": "contacts:read",
    "contact.deleted": "contacts:read",
    "meeting_recap.created": "meeting_recaps:read",
    "meeting_recap.updated": "meeting_recaps:read",
    "meeting_recap.deleted": "meeting_recaps:read",
}

#: The subscription scopes each webhook event may be subscribed at (REFERENCE.md section 6).
WEBHOOK_EVENT_SUBSCRIPTION_SCOPES: dict[str, tuple[str, ...]] = {
    event: ("organization",) if event.startswith("routing_form_submission.")
    else ("user",) if event.startswith("meeting_recap.")
    else ("organization", "user", "group")
    for event in WEBHOOK_EVENT_SCOPES
}


def parse_scopes(value: str | Iterable[str] | None) -> frozenset[str]:
    """Scopes from Calendly's space-separated ``scope`` string (or any iterable of names)."""
    if value is None:
        return frozenset()
    items = value.split() if isinstance(value, str) else value
    return frozenset(s.strip() for s in items if s and s.strip())


def scope_granted(granted: Iterable[str], required: str) -> bool:
    """Whether ``required`` is covered: held itself, or its domain's ``:write`` is held."""
    held = set(granted)
    if required in held:
        return True
    domain, _, access = required.partition(":")
    return access == "read" and f"{domain}:write" in held


def missing_scopes(granted: Iterable[str], required: Iterable[str]) -> list[str]:
    """The required scopes that ``granted`` does not cover, sorted, without repeats."""
    held = list(granted)
    return sorted({s for s in required if not scope_granted(held, s)})


def scopes_for(names: Iterable[str]) -> frozenset[str]:
    """The scopes that the named operations (``family.method``) need."""
    return frozenset(BY_NAME[name].scope for name in names)


def iterator_name(op: Operation) -> str | None:
    """The client's auto-paginating twin of a paged list: ``list`` -> ``iter``,
    ``list_submissions`` -> ``iter_submissions``; ``None`` for an operation not paged."""
    if not op.paged:
        return None
    method = op.client_method
    return "iter" + method[len("list"):] if method.startswith("list") else None


#: The markers around the generated table in docs/client.md.
TABLE_BEGIN = "<!-- operations-table: generated from client/operations.py; do not edit -->"
TABLE_END = "<!-- /operations-table -->"


def markdown_table(operations: Iterable[Operation] = OPERATIONS) -> str:
    """The operations as the Markdown table docs/client.md shows (a test keeps it equal)."""
    lines = [
        "| client method | HTTP | scope | plan | iterator |",
        "|---|---|---|---|---|",
    ]
    for op in operations:
        iterator = iterator_name(op)
        lines.append(
            f"| `client.{op.name}` | `{op.method} {op.path}` | `{op.scope}` | {op.plan} | "
            + (f"`{iterator}`" if iterator else "")
            + " |"
        )
    return "\n".join(lines)


__all__ = [
    "ALL_SCOPES",
    "BY_NAME",
    "BY_ROUTE",
    "OPERATIONS",
    "TABLE_BEGIN",
    "TABLE_END",
    "WEBHOOK_EVENT_SCOPES",
    "WEBHOOK_EVENT_SUBSCRIPTION_SCOPES",
    "Operation",
    "iterator_name",
    "markdown_table",
    "missing_scopes",
    "parse_scopes",
    "scope_granted",
    "scopes_for",
]
