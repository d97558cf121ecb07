"""Seed data and builders for the families beyond scheduling: groups and teams, locations,
routing forms, contacts, meeting recaps, the activity log and outgoing communications.

Kept apart from :mod:`.state` (which holds the scheduling core) so each family's shape is
written once, here, and both the seed and the handlers build resources the same way.
All functions expect the store lock to be held.
"""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from .clock import iso, parse_iso
from .state import Json, Store

#: The organization's contact custom-field definitions: ``(label, field_type, options or
#: currency)`` ([S26] ``ContactCustomFieldDefinition``).
CUSTOM_FIELDS: list[tuple[str, str, Any]] = [
    ("Lead source", "single_select", ["Web", "Referral", "Event"]),
    ("Deal size", "currency", "USD"),
    ("Interests", "tags", None),
    ("Renewal date", "date", None),
    ("Employees", "number", None),
    ("Notes", "text", None),
]
ROUTING_QUESTIONS = [
    ("What is your industry?", "select", ["IT & Software", "Financial Services", "Retail"]),
    ("Company size", "select", ["1-10", "11-100", "100+"]),
    ("Email", "email", None),
]


def seed_resources(store: Store, user_uris: list[str], when: str) -> None:
    """The newer families' seed, deterministic for the store's random seed."""
    owner, admin, member, uma = user_uris
    sales_uri = next(iter(store.group_members))
    support = new_id(store)
    store.groups[support] = {
        "uri": store.uri("groups", support), "name": "Support",
        "organization": store.organization_uri, "created_at": when, "updated_at": when,
    }
    store.group_members[store.uri("groups", support)] = {admin, uma}
    admins = {sales_uri: owner, store.uri("groups", support): admin}
    for group_uri, members in store.group_members.items():
        group = store.groups[group_uri.rsplit("/", 1)[1]]
        group["member_count"] = len(members)
        for user in sorted(members):
            add_group_relationship(store, group_uri, user,
                                   "admin" if admins.get(group_uri) == user else "member", when)
    for name, team_users in (("Account Executives", [owner, member]), ("Onboarding", [admin])):
        team = new_id(store)
        store.teams[team] = {
            "uri": store.uri("teams", team), "name": name,
            "organization": store.organization_uri, "created_at": when, "updated_at": when,
        }
        store.team_members[store.uri("teams", team)] = set(team_users)
    for user in user_uris:
        host = store.users[user.rsplit("/", 1)[1]]
        store.locations[user] = [
            {"kind": "google_conference", "position": 0, "location": None,
             "additional_info": None},
            {"kind": "zoom_conference", "position": 1, "location": None,
             "additional_info": None},
            {"kind": "physical", "position": 2, "location": f"{host['name']}'s office",
             "additional_info": "Ring at the front desk"},
        ]
    for et_uuid, event_type in store.event_types.items():
        store.event_type_rules[et_uuid] = default_rule(store, event_type["profile"]["owner"])
    for label, field_type, extra in CUSTOM_FIELDS:
        add_custom_field(store, label, field_type, extra, when)
    seed_routing(store, when)
    seed_contacts(store, owner, member)
    seed_recaps(store)
    seed_activity(store, user_uris)
    seed_communications(store)
    # Someone invited (pending) already holds a member place in Support, so both owner
    # kinds of [S26] GroupRelationshipOwner appear in the seed.
    invitation = next(i for i in store.invitations.values() if i["status"] == "pending")
    add_invitation_relationship(store, store.uri("groups", support), invitation, when)


def new_id(store: Store) -> str:
    return store.new_uuid()


def default_rule(store: Store, user_uri: str) -> Json:
    """An event type's availability: a copy of its host's default schedule."""
    schedule = next(
        s for s in store.schedules.values() if s["user"] == user_uri and s["default"]
    )
    return {"timezone": schedule["timezone"], "rules": copy.deepcopy(schedule["rules"]),
            "user": user_uri}


def add_group_relationship(store: Store, group_uri: str, user: str, role: str,
                           when: str) -> Json:
    """A relationship of ``user`` (through their organization membership) to a group."""
    membership = next(m for m in store.memberships.values() if m["user"]["uri"] == user)
    return _relationship(store, group_uri, owner_of_membership(membership), role, when)


def add_invitation_relationship(store: Store, group_uri: str, invitation: Json,
                                when: str) -> Json:
    """A group place kept for someone invited to the organization (not yet a member)."""
    return _relationship(store, group_uri, owner_of_invitation(invitation), "member", when)


def owner_of_membership(membership: Json) -> Json:
    """[S26] ``OrganizationMembershipOwner``: the membership resource, typed."""
    return {**copy.deepcopy(membership), "type": "OrganizationMembership"}


def owner_of_invitation(invitation: Json) -> Json:
    """[S26] ``OrganizationInvitationOwner``: the invitation resource, typed."""
    return {**copy.deepcopy(invitation), "type": "OrganizationInvitation"}


def _relationship(store: Store, group_uri: str, owner: Json, role: str, when: str) -> Json:
    # [S26] GroupRelationship: ``owner`` is the membership or invitation object itself
    # (oneOf OrganizationMembershipOwner | OrganizationInvitationOwner), not a URI.
    rel = new_id(store)
    relationship = {
        "uri": store.uri("group_relationships", rel), "role": role,
        "owner": owner, "organization": store.organization_uri, "group": group_uri,
        "created_at": when, "updated_at": when,
    }
    store.group_relationships[rel] = relationship
    return relationship


def drop_group_relationships(store: Store, owner_uri: str) -> None:
    """Forget the group relationships of a removed membership or a revoked invitation."""
    for rel_uuid, relationship in list(store.group_relationships.items()):
        if relationship["owner"]["uri"] == owner_uri:
            del store.group_relationships[rel_uuid]


# -- routing forms ----------------------------------------------------------------------


def seed_routing(store: Store, when: str) -> None:
    for name, status in (("Sales inquiry", "published"), ("Partner program", "draft")):
        form = new_id(store)
        questions = [
            {"uuid": new_id(store), "name": q, "type": kind, "required": True,
             "answer_choices": choices}
            for q, kind, choices in ROUTING_QUESTIONS
        ]
        store.routing_forms[form] = {
            "uri": store.uri("routing_forms", form), "organization": store.organization_uri,
            "name": name, "status": status, "questions": questions,
            "created_at": when, "updated_at": when,
        }
    published = next(iter(store.routing_forms.values()))
    now = store.clock.now()
    for i in range(3):
        answers = {q["name"]: (q["answer_choices"] or [f"lead{i}@example.com"])[i % 3 if
                   q["answer_choices"] else 0] for q in published["questions"]}
        add_submission(store, published, answers, None, iso(now - timedelta(days=5 - i)))


def add_submission(store: Store, form: Json, answers: dict[str, str],
                   submitter: str | None, when: str | None = None) -> Json:
    """A routing form submission routed to the form owner's first active event type."""
    when = when or store.now()
    sub = new_id(store)
    target = next(et for et in store.event_types.values() if et["active"])
    submission = {
        "uri": store.uri("routing_form_submissions", sub),
        "routing_form": form["uri"],
        "questions_and_answers": [
            {"question_uuid": q["uuid"], "question": q["name"], "answer": answers[q["name"]]}
            for q in form["questions"] if q["name"] in answers
        ],
        "tracking": {k: None for k in ("utm_campaign", "utm_source", "utm_medium",
                                        "utm_content", "utm_term", "salesforce_uuid")},
        "result": {"type": "event_type", "value": target["uri"]},
        "submitter": submitter,
        "submitter_type": "Invitee" if submitter else None,
        "created_at": when,
        "updated_at": when,
    }
    store.routing_submissions[sub] = submission
    return submission


# -- contacts ---------------------------------------------------------------------------

#: [S26] ``Contact``: the fields Calendly keeps of its own (interaction dates, all
#: ``null`` right after a contact is created).
CONTACT_DATES = ("first_email_date", "last_email_date", "next_meeting_date",
                 "last_meeting_date", "last_interaction_date")
#: ``creation_source`` of the ``contact.*`` payloads: [S26] requires it ("How the contact
#: was created") but publishes no values; these two are the sandbox's.
SOURCE_API, SOURCE_UI = "api", "calendly"


def add_custom_field(store: Store, label: str, field_type: str, extra: Any, when: str) -> Json:
    cf = new_id(store)
    definition: Json = {
        "uri": store.uri("contacts", "custom_field_definitions", cf), "label": label,
        "field_type": field_type,
    }
    if field_type == "single_select":
        definition["options"] = [
            {"uuid": f"{cf[:8]}-option-{i}", "label": option, "color": "#1a73e8",
             "is_active": True}
            for i, option in enumerate(extra)
        ]
    if field_type == "currency":
        definition["currency"] = extra
    definition.update(created_at=when, updated_at=when)
    store.custom_fields[cf] = definition
    return definition


def seed_contacts(store: Store, owner: str, member: str) -> None:
    lead, deal = (next(d for d in store.custom_fields.values() if d["field_type"] == kind)
                  for kind in ("single_select", "currency"))
    people = [
        (owner, "Nora Quist", ["nora@acme.example"], ["+14155550101"], "Acme", "CTO",
         ("US", "California", "San Francisco")),
        (owner, "Omar Reyes", ["omar@globex.example", "o.reyes@mail.example"], [],
         "Globex", "Buyer", ("MX", "Jalisco", "Guadalajara")),
        (owner, "Pia Lund", ["pia@initech.example"], ["+4520000000"], "Initech", None,
         ("DK", "Capital Region", "Copenhagen")),
        (member, "Raj Sen", ["raj@umbrella.example"], [], "Umbrella", "Engineer",
         ("IN", "Karnataka", "Bengaluru")),
    ]
    now = store.clock.now()
    for i, (user, name, emails, phones, company, title, place) in enumerate(people):
        when = iso(now - timedelta(days=20 - i))
        custom = [] if i else [
            {"uri": lead["uri"], "label": lead["label"], "value": lead["options"][0]["uuid"]},
            {"uri": deal["uri"], "label": deal["label"], "value": 1_250_000},
        ]
        add_contact(store, user, {
            "name": name,
            "emails": [{"email": e, "is_primary": not k} for k, e in enumerate(emails)],
            "phone_numbers": [{"phone_number": p} for p in phones],
            "company": company, "job_title": title, "timezone": None,
            "country": place[0], "state": place[1], "city": place[2],
            "linkedin": None if i else "https://www.linkedin.com/in/nora-quist",
            "custom_fields": custom,
        }, when, SOURCE_UI)


def add_contact(store: Store, owner: str, fields: dict[str, Any], when: str | None = None,
                source: str = SOURCE_API) -> Json:
    """A contact of ``owner``, from checked fields ([S26] names and shapes). Its owner and
    ``creation_source`` are kept beside it (a Contact shows neither)."""
    when = when or store.now()
    cid = new_id(store)
    contact: Json = {
        "uri": store.uri("contacts", cid),
        "name": fields["name"],
        "emails": copy.deepcopy(fields["emails"]),
        "phone_numbers": copy.deepcopy(fields.get("phone_numbers") or []),
        **{name: fields.get(name) for name in (
            "timezone", "job_title", "company", "country", "state", "city", "linkedin")},
        "custom_fields": copy.deepcopy(fields.get("custom_fields") or []),
        "created_at": when,
        "updated_at": when,
        **dict.fromkeys(CONTACT_DATES),
    }
    store.contacts[cid] = contact
    store.contact_owners[cid] = owner
    store.contact_sources[cid] = source
    return contact


def contact_owner(store: Store, contact: Json) -> str:
    return store.contact_owners[contact["uri"].rsplit("/", 1)[1]]


def contact_payload(store: Store, contact: Json) -> Json:
    """``contact.created`` / ``contact.updated``: ``{user_uuid, contact}``, the contact
    with its ``creation_source`` ([S26] ``ContactCreatedWebhookPayload``)."""
    cid = contact["uri"].rsplit("/", 1)[1]
    body = copy.deepcopy(contact)
    return {"user_uuid": store.contact_owners[cid].rsplit("/", 1)[1],
            "contact": {"uri": body.pop("uri"), "creation_source": store.contact_sources[cid],
                        **body}}


def contact_deleted_payload(store: Store, contact: Json, deleted_at: str) -> Json:
    return {"user_uuid": contact_owner(store, contact).rsplit("/", 1)[1],
            "contact": {"uri": contact["uri"], "deleted_at": deleted_at}}


# -- meeting recaps ---------------------------------------------------------------------


def seed_recaps(store: Store) -> None:
    """Recaps of past active events: up to three of the owner's (the last one still
    processing) and one of Mia's."""
    now = store.now()
    quota = {store.owner_uri: 3, store.member_uri: 1}
    for event in sorted(store.events.values(), key=lambda e: e["start_time"]):
        host = store.event_host(event)
        if quota.get(host, 0) > 0 and event["status"] == "active" and event["end_time"] < now:
            quota[host] -= 1
            last_of_owner = host == store.owner_uri and quota[host] == 0
            add_recap(store, event, "processing" if last_of_owner else "available")


def add_recap(store: Store, event: Json, status: str = "available") -> Json:
    rid = new_id(store)
    event_uuid = event["uri"].rsplit("/", 1)[1]
    attendees = [
        {"name": store.invitees[i]["name"], "email": store.invitees[i]["email"]}
        for i in store.invitees_by_event[event_uuid]
    ]
    ready = status == "available"
    # a recap appears a few minutes after the meeting ends (never in the future)
    when = min(iso(parse_iso(event["end_time"]) + timedelta(minutes=5)), store.now())
    recap = {
        "uri": store.uri("meeting_recaps", rid),
        "owner": store.event_host(event),
        "event": event["uri"],
        "event_name": event["name"],
        "start_time": event["start_time"],
        "end_time": event["end_time"],
        "status": status,
        "attendees": attendees,
        "summary_md": f"## Summary\n{event['name']} covered pricing and next steps."
        if ready else None,
        "action_items_md": "- Send the proposal\n- Book a follow-up" if ready else None,
        "discussion_md": "### Discussion\nBudget, timeline, integrations." if ready else None,
        "share_link": f"https://calendly.com/recaps/{rid}" if ready else None,
        "created_at": when,
        "updated_at": when,
    }
    store.recaps[rid] = recap
    store.transcripts[rid] = {
        "meeting_recap": recap["uri"],
        "language": "en",
        "segments": [
            {"speaker": event["event_memberships"][0]["user_name"], "start_offset": 0.0,
             "end_offset": 6.5, "text": "Thanks for joining, shall we start with pricing?"},
            *({"speaker": a["name"], "start_offset": 7.0, "end_offset": 12.0,
               "text": "Yes, and the integration timeline."} for a in attendees[:1]),
        ],
    }
    return recap


def recap_event(store: Store, recap: Json) -> Json:
    event = store.events.get(recap["event"].rsplit("/", 1)[1])
    return {
        "uri": recap["event"],
        "name": recap["event_name"],
        "start_time": recap["start_time"],
        "end_time": recap["end_time"],
        "location": copy.deepcopy(event["location"]) if event else None,
        "attendees": copy.deepcopy(recap["attendees"]),
    }


def recap_payload(store: Store, recap: Json, event_name: str) -> Json:
    """``meeting_recap.created`` (with ``created_at``) and ``.updated`` (without)."""
    recap_part = {k: copy.deepcopy(v) for k, v in recap.items()
                  if k not in ("owner", "event", "event_name", "start_time", "end_time",
                               "attendees")}
    transcript = store.transcripts.get(recap["uri"].rsplit("/", 1)[1])
    recap_part["transcript"] = copy.deepcopy(transcript)
    payload: Json = {"event": recap_event(store, recap), "recap": recap_part}
    if event_name == "meeting_recap.created":
        payload = {"created_at": recap["created_at"], **payload}
    return payload


def recap_deleted_payload(recap: Json, deleted_at: str) -> Json:
    return {"event": {"uri": recap["event"]},
            "recap": {"uri": recap["uri"], "deleted_at": deleted_at}}


# -- activity log and outgoing communications -----------------------------------------------


def seed_activity(store: Store, user_uris: list[str]) -> None:
    now = store.clock.now()
    actions = [("User", "Add"), ("User", "Update"), ("EventType", "Create"),
               ("EventType", "Update"), ("Organization", "Update"), ("Login", "Success")]
    for i in range(36):
        namespace, action = actions[i % len(actions)]
        actor = user_uris[i % 2]
        add_activity(store, actor, namespace, action, {"index": i},
                     iso(now - timedelta(hours=6 * (36 - i))))


def add_activity(store: Store, actor: str, namespace: str, action: str,
                 details: Json, when: str | None = None) -> Json:
    eid = new_id(store)
    user = store.users[actor.rsplit("/", 1)[1]]
    entry = {
        "uri": store.uri("activity_log_entries", eid),
        "occurred_at": when or store.now(),
        "actor": {
            "uri": actor, "type": "User", "display_name": user["name"],
            "alternative_identifier": user["email"],
            "organization": {"uri": store.organization_uri,
                             "role": store.role_of(actor) or "user"},
        },
        "details": details,
        "fully_qualified_name": f"{namespace}.{action}",
        "namespace": namespace,
        "action": action,
        "organization": store.organization_uri,
    }
    store.activity_log[eid] = entry
    return entry


def seed_communications(store: Store) -> None:
    for invitee in list(store.invitees.values())[:12]:
        add_communication(store, invitee, "email", "confirmation", invitee["created_at"])


def add_communication(store: Store, invitee: Json, channel: str, purpose: str,
                      when: str | None = None) -> Json:
    cid = new_id(store)
    communication = {
        "uri": store.uri("outgoing_communications", cid),
        "organization": store.organization_uri,
        "type": channel,
        "purpose": purpose,
        "status": "delivered",
        "recipient": invitee["email"] if channel == "email" else invitee["text_reminder_number"],
        "scheduled_event": invitee["event"],
        "invitee": invitee["uri"],
        "created_at": when or store.now(),
    }
    store.communications[cid] = communication
    return communication
