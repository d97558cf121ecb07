"""Real identifiers of the directory families in the sandbox (issue 12), and the table of
their endpoints with a valid and an invalid call each."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django_calendly.client import CalendlyClient
from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.resources import add_recap

from .world import BASE, last


@dataclass
class Directory:
    org_uri: str
    org_uuid: str
    user_uri: str
    contact_uuid: str
    custom_field_uuid: str
    form_uri: str
    submission_uuid: str
    recap_uuid: str
    group_uri: str
    relationship_uuid: str
    team_uuid: str


def new_recap(sb: Sandbox) -> str:
    """A fresh available recap of a past event the app's user hosts (earlier tests may
    have deleted the seeded ones)."""
    store = sb.store
    with store.lock:
        now = store.now()
        event = next(
            e for e in store.events.values()
            if e["status"] == "active" and e["end_time"] < now
            and store.event_host(e) == store.owner_uri and store.invitees_by_event.get(
                e["uri"].rsplit("/", 1)[1])
        )
        return last(add_recap(store, event)["uri"])


def build_directory(sb: Sandbox, client: CalendlyClient) -> Directory:
    org = sb.organization_uri
    contact = client.contacts.create(
        name="Dora Directory",
        emails=[{"email": f"dora-{uuid.uuid4().hex[:10]}@example.com", "is_primary": True}],
    )
    form = next(f for f in client.routing_forms.list(organization=org).items
                if f["status"] == "published")  # the one with submissions
    submission = client.routing_forms.list_submissions(form=form["uri"]).items[0]
    group = client.groups.list(organization=org).items[0]
    return Directory(
        org_uri=org,
        org_uuid=last(org),
        user_uri=sb.user_uri,
        contact_uuid=last(contact["uri"]),
        custom_field_uuid=last(client.contacts.list_custom_fields().items[0]["uri"]),
        form_uri=form["uri"],
        submission_uuid=last(submission["uri"]),
        recap_uuid=new_recap(sb),
        group_uri=group["uri"],
        relationship_uuid=last(
            client.group_relationships.list(group=group["uri"]).items[0]["uri"]
        ),
        team_uuid=last(client.teams.list().items[0]["uri"]),
    )


Call = Callable[[Directory], tuple[str, dict[str, Any] | None]]


@dataclass(frozen=True)
class Endpoint:
    name: str  # URL name
    method: str
    call: Call  # a valid call
    bad: Call  # an invalid one (refused before any call to Calendly)
    bad_parameter: str  # the parameter the 400 names
    write: bool = False  # changes data (or the write permission guards it)
    own: bool = False  # the caller's own data: read permission through a connection

    def __str__(self) -> str:
        return f"{self.method}-{self.name}"


def _past_range() -> dict[str, str]:
    end = datetime.now(UTC) - timedelta(days=30)
    return {"start_time": (end - timedelta(days=60)).isoformat(), "end_time": end.isoformat()}


BAD_UUID = "not a uuid!"

ENDPOINTS: list[Endpoint] = [
    Endpoint("contacts", "get", lambda d: ("contacts/", {"name": "a"}),
             lambda d: ("contacts/", {"email": "not-an-email"}), "email"),
    Endpoint("contacts", "post",
             lambda d: ("contacts/", {"name": "New Contact", "emails": [
                 {"email": f"n-{uuid.uuid4().hex[:10]}@example.com", "is_primary": True}]}),
             lambda d: ("contacts/", {"name": "No Email", "emails": []}), "emails",
             write=True, own=True),
    Endpoint("contact-custom-fields", "get", lambda d: ("contacts/custom-fields/", {}),
             lambda d: ("contacts/custom-fields/", {"count": 0}), "count"),
    Endpoint("contact-custom-field", "get",
             lambda d: (f"contacts/custom-fields/{d.custom_field_uuid}/", None),
             lambda d: (f"contacts/custom-fields/{BAD_UUID}/", None), "uuid"),
    Endpoint("contact", "get", lambda d: (f"contacts/{d.contact_uuid}/", None),
             lambda d: (f"contacts/{BAD_UUID}/", None), "uuid"),
    Endpoint("contact", "patch", lambda d: (f"contacts/{d.contact_uuid}/", {"name": "Dora D."}),
             lambda d: (f"contacts/{d.contact_uuid}/", {}), "name", write=True, own=True),
    Endpoint("contact", "delete", lambda d: (f"contacts/{d.contact_uuid}/", None),
             lambda d: (f"contacts/{BAD_UUID}/", None), "uuid", write=True, own=True),
    Endpoint("routing-forms", "get", lambda d: ("routing-forms/", {"organization": d.org_uri}),
             lambda d: ("routing-forms/", {}), "organization"),
    Endpoint("routing-form", "get", lambda d: (f"routing-forms/{last(d.form_uri)}/", None),
             lambda d: (f"routing-forms/{BAD_UUID}/", None), "uuid"),
    Endpoint("routing-form-submissions", "get",
             lambda d: ("routing-form-submissions/", {"form": d.form_uri}),
             lambda d: ("routing-form-submissions/", {"form": d.org_uri}), "form"),
    Endpoint("routing-form-submission", "get",
             lambda d: (f"routing-form-submissions/{d.submission_uuid}/", None),
             lambda d: (f"routing-form-submissions/{BAD_UUID}/", None), "uuid"),
    Endpoint("meeting-recaps", "get", lambda d: ("meeting-recaps/", {"status": "available"}),
             lambda d: ("meeting-recaps/", {"status": "finished"}), "status"),
    Endpoint("meeting-recap", "get", lambda d: (f"meeting-recaps/{d.recap_uuid}/", None),
             lambda d: (f"meeting-recaps/{BAD_UUID}/", None), "uuid"),
    Endpoint("meeting-recap", "patch",
             lambda d: (f"meeting-recaps/{d.recap_uuid}/", {"summary_md": "Edited."}),
             lambda d: (f"meeting-recaps/{d.recap_uuid}/", {"summary_md": 5}), "summary_md",
             write=True, own=True),
    Endpoint("meeting-recap", "delete", lambda d: (f"meeting-recaps/{d.recap_uuid}/", None),
             lambda d: (f"meeting-recaps/{BAD_UUID}/", None), "uuid", write=True, own=True),
    Endpoint("meeting-recap-transcript", "get",
             lambda d: (f"meeting-recaps/{d.recap_uuid}/transcript/", None),
             lambda d: (f"meeting-recaps/{BAD_UUID}/transcript/", None), "uuid"),
    Endpoint("groups", "get", lambda d: ("groups/", {"organization": d.org_uri}),
             lambda d: ("groups/", {"organization": d.user_uri}), "organization"),
    Endpoint("group", "get", lambda d: (f"groups/{last(d.group_uri)}/", None),
             lambda d: (f"groups/{BAD_UUID}/", None), "uuid"),
    Endpoint("group-relationships", "get",
             lambda d: ("group-relationships/", {"group": d.group_uri}),
             lambda d: ("group-relationships/", {}), "organization"),
    Endpoint("group-relationship", "get",
             lambda d: (f"group-relationships/{d.relationship_uuid}/", None),
             lambda d: (f"group-relationships/{BAD_UUID}/", None), "uuid"),
    Endpoint("teams", "get", lambda d: ("teams/", {"user": d.user_uri}),
             lambda d: ("teams/", {"user": d.org_uri}), "user"),
    Endpoint("team", "get", lambda d: (f"teams/{d.team_uuid}/", None),
             lambda d: (f"teams/{BAD_UUID}/", None), "uuid"),
    Endpoint("organization", "get", lambda d: (f"organizations/{d.org_uuid}/", None),
             lambda d: (f"organizations/{BAD_UUID}/", None), "uuid"),
    Endpoint("activity-log", "get",
             lambda d: ("activity-log/", {"organization": d.org_uri, "count": 500,
                                          "sort": "occurred_at:desc,action:asc"}),
             lambda d: ("activity-log/", {"organization": d.org_uri, "count": 1001}), "count"),
    Endpoint("outgoing-communications", "get",
             lambda d: ("outgoing-communications/", {"organization": d.org_uri}),
             lambda d: ("outgoing-communications/", {
                 "organization": d.org_uri, "min_created_at": "2026-02-01T00:00:00Z",
                 "max_created_at": "2026-01-01T00:00:00Z"}), "max_created_at"),
    Endpoint("delete-event-data", "post", lambda d: ("data-compliance/events/", _past_range()),
             lambda d: ("data-compliance/events/", {
                 "start_time": "2020-01-01T00:00:00Z", "end_time": "2023-01-01T00:00:00Z"}),
             "end_time", write=True),
]


def send(client: Any, call: Call, directory: Directory, method: str) -> Any:
    path, data = call(directory)
    url = BASE + path
    if method == "get":
        return client.get(url, data or {})
    return getattr(client, method)(url, data or {}, format="json")
