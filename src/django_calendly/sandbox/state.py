"""The sandbox's data: Calendly resources kept as their JSON dicts, plus sorted indexes.

Everything is keyed by uuid (the last URI segment). Resources are stored exactly as the
API renders them, so a read is a dict lookup and a ``json.dumps``. Scheduled events are
also kept in lists of ``(start_time, uuid)`` sorted ascending (one for the organization,
one per host user), so time windows are two bisects and pages are keyset walks.
Callers hold :attr:`Store.lock` around reads and writes; handlers run in threads.
"""

from __future__ import annotations

import random
import threading
from bisect import insort
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ..client.operations import ALL_SCOPES
from .clock import Clock, iso, parse_iso

Json = dict[str, Any]

FIRST_NAMES = [
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas",
    "Kira", "Liam", "Maya", "Noah", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tara",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Becker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hughes", "Ito",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Patel", "Rossi", "Silva",
]  # fmt: skip
TIMEZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "America/Los_Angeles"]
WDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

PLANS = {
    "enterprise": ("enterprise", "paid"),
    "teams": ("teams", "paid"),
    "standard": ("professional", "paid"),
    "free": ("basic", "free"),
    "trial": ("teams", "trial"),  # a paid plan on trial: POST /invitees 5 a day
}


@dataclass
class TokenInfo:
    """Who an access token belongs to, until when it works (None: no expiry), and which
    OAuth scopes it carries.

    ``scopes=None`` is a legacy token from before Calendly shipped scopes (2026-03-03): it
    keeps every access. A set, even an empty one, is exactly what the token may do.
    """

    user: str
    kind: str = "personal"  # personal | oauth
    expires_at: float | None = None
    client_id: str | None = None
    scopes: frozenset[str] | None = None
    issued_at: float = 0.0
    active: bool = True

    @property
    def scope(self) -> str:
        """Calendly's space-separated ``scope`` string (every scope for a legacy token)."""
        return " ".join(sorted(ALL_SCOPES if self.scopes is None else self.scopes))


@dataclass
class Store:
    """All resources of one sandbox. Mutate through the methods, under ``lock``."""

    base: str
    clock: Clock
    rng: random.Random
    plan: str = "enterprise"
    lock: threading.RLock = field(default_factory=threading.RLock)
    organization: Json = field(default_factory=dict)
    users: dict[str, Json] = field(default_factory=dict)
    memberships: dict[str, Json] = field(default_factory=dict)
    invitations: dict[str, Json] = field(default_factory=dict)
    groups: dict[str, Json] = field(default_factory=dict)
    group_members: dict[str, set[str]] = field(default_factory=dict)
    event_types: dict[str, Json] = field(default_factory=dict)
    schedules: dict[str, Json] = field(default_factory=dict)
    events: dict[str, Json] = field(default_factory=dict)
    invitees: dict[str, Json] = field(default_factory=dict)
    invitees_by_event: dict[str, list[str]] = field(default_factory=dict)
    no_shows: dict[str, Json] = field(default_factory=dict)
    webhooks: dict[str, Json] = field(default_factory=dict)
    webhook_keys: dict[str, str | None] = field(default_factory=dict)
    tokens: dict[str, TokenInfo] = field(default_factory=dict)
    # families beyond scheduling (seeded by resources.seed_resources)
    group_relationships: dict[str, Json] = field(default_factory=dict)
    teams: dict[str, Json] = field(default_factory=dict)
    team_members: dict[str, set[str]] = field(default_factory=dict)
    event_type_rules: dict[str, Json] = field(default_factory=dict)
    one_off_event_types: dict[str, Json] = field(default_factory=dict)
    scheduling_links: dict[str, Json] = field(default_factory=dict)
    shares: dict[str, Json] = field(default_factory=dict)
    locations: dict[str, list[Json]] = field(default_factory=dict)
    routing_forms: dict[str, Json] = field(default_factory=dict)
    routing_submissions: dict[str, Json] = field(default_factory=dict)
    contacts: dict[str, Json] = field(default_factory=dict)
    #: contact uuid -> its owner's user URI, and how it was made (neither is in a Contact)
    contact_owners: dict[str, str] = field(default_factory=dict)
    contact_sources: dict[str, str] = field(default_factory=dict)
    custom_fields: dict[str, Json] = field(default_factory=dict)
    recaps: dict[str, Json] = field(default_factory=dict)
    transcripts: dict[str, Json] = field(default_factory=dict)
    activity_log: dict[str, Json] = field(default_factory=dict)
    communications: dict[str, Json] = field(default_factory=dict)
    #: POST /invitees calls per user, as sandbox-clock times (Scheduling API limits)
    scheduling_api_calls: dict[str, list[float]] = field(default_factory=dict)
    event_index: list[tuple[str, str]] = field(default_factory=list)
    event_index_by_user: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    owner_uri: str = ""
    admin_uri: str = ""
    member_uri: str = ""

    # -- ids, uris, times -------------------------------------------------------------

    def new_uuid(self) -> str:
        h = f"{self.rng.getrandbits(128):032x}"  # an RFC 4122 version-4 layout, seeded
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def uri(self, *parts: str) -> str:
        return self.base + "/" + "/".join(parts)

    def now(self) -> str:
        return iso(self.clock.now())

    @property
    def organization_uri(self) -> str:
        return str(self.organization["uri"])

    def role_of(self, user_uri: str) -> str | None:
        for membership in self.memberships.values():
            if membership["user"]["uri"] == user_uri:
                return str(membership["role"])
        return None

    def is_admin(self, user_uri: str) -> bool:
        return self.role_of(user_uri) in ("admin", "owner")

    # -- seed ---------------------------------------------------------------------------

    def seed(self, seed_events: int) -> None:
        now = self.clock.now()
        long_ago = iso(now - timedelta(days=400))
        org_uuid = self.new_uuid()
        plan, stage = PLANS.get(self.plan, PLANS["enterprise"])
        self.organization = {
            "uri": self.uri("organizations", org_uuid),
            "plan": plan,
            "stage": stage,
            "created_at": long_ago,
            "updated_at": long_ago,
        }
        people = [
            ("Olivia Owner", "owner@sandbox.example", "owner", "Europe/Paris"),
            ("Adam Admin", "admin@sandbox.example", "admin", "America/New_York"),
            ("Mia Member", "member@sandbox.example", "user", "Europe/Paris"),
            ("Uma User", "uma@sandbox.example", "user", "Asia/Tokyo"),
        ]
        user_uris = [self.add_user(n, e, r, tz, long_ago) for n, e, r, tz in people]
        self.owner_uri, self.admin_uri, self.member_uri = user_uris[:3]
        group_uuid = self.new_uuid()
        self.groups[group_uuid] = {
            "uri": self.uri("groups", group_uuid),
            "name": "Sales",
            "organization": self.organization_uri,
            "created_at": long_ago,
            "updated_at": long_ago,
        }
        self.group_members[self.uri("groups", group_uuid)] = {user_uris[0], user_uris[2]}
        for i, email in enumerate(["new.hire@sandbox.example", "contractor@example.com",
                                   "intern@sandbox.example"]):
            sent = iso(now - timedelta(days=10 - i))
            self.add_invitation(email, sent)
        specs = [
            (0, "30 Minute Meeting", 30, True, "solo"),
            (0, "Team Demo", 60, True, "group"),
            (0, "15 Minute Intro", 15, True, "solo"),
            (0, "Legacy Demo", 60, False, "solo"),
            (1, "Onboarding Call", 45, True, "solo"),
            (2, "Support Session", 30, True, "solo"),
            (2, "Group Workshop", 90, True, "group"),
            (3, "Old Office Hours", 60, False, "group"),
        ]
        for position, (who, name, duration, active, kind) in enumerate(specs):
            self.add_event_type(user_uris[who], name, duration, active, kind, position, long_ago)
        for user_uri in user_uris:
            self.add_schedule(user_uri)
        self.seed_events(seed_events, now)
        from .resources import seed_resources  # the newer families, in their own module

        seed_resources(self, user_uris, long_ago)

    def add_user(self, name: str, email: str, role: str, timezone: str, when: str) -> str:
        user_uuid = self.new_uuid()
        slug = name.lower().replace(" ", "-")
        user = {
            "uri": self.uri("users", user_uuid),
            "name": name,
            "slug": slug,
            "email": email,
            "scheduling_url": self.uri("scheduling", slug),
            "timezone": timezone,
            "avatar_url": None,
            "created_at": when,
            "updated_at": when,
            "current_organization": self.organization_uri,
        }
        self.users[user_uuid] = user
        membership_uuid = self.new_uuid()
        self.memberships[membership_uuid] = {
            "uri": self.uri("organization_memberships", membership_uuid),
            "role": role,
            "user": {k: v for k, v in user.items() if k != "current_organization"},
            "organization": self.organization_uri,
            "created_at": when,
            "updated_at": when,
        }
        self.event_index_by_user[str(user["uri"])] = []
        return str(user["uri"])

    def add_invitation(self, email: str, when: str | None = None) -> Json:
        when = when or self.now()
        inv_uuid = self.new_uuid()
        org_uuid = self.organization_uri.rsplit("/", 1)[1]
        invitation = {
            "uri": self.uri("organizations", org_uuid, "invitations", inv_uuid),
            "organization": self.organization_uri,
            "email": email,
            "status": "pending",
            "created_at": when,
            "updated_at": when,
            "last_sent_at": when,
        }
        self.invitations[inv_uuid] = invitation
        return invitation

    def add_event_type(
        self, owner: str, name: str, duration: int, active: bool, kind: str, position: int,
        when: str,
    ) -> Json:
        et_uuid = self.new_uuid()
        host = self.users[owner.rsplit("/", 1)[1]]
        slug = name.lower().replace(" ", "-")
        event_type = {
            "uri": self.uri("event_types", et_uuid),
            "name": name,
            "active": active,
            "booking_method": "instant",
            "slug": slug,
            "scheduling_url": f"{host['scheduling_url']}/{slug}",
            "duration": duration,
            "duration_options": None,
            "kind": kind,
            "pooling_type": None,
            "type": "StandardEventType",
            "color": "#0069ff",
            "created_at": when,
            "updated_at": when,
            "internal_note": None,
            "description_plain": f"{name} with {host['name']}",
            "description_html": f"<p>{name} with {host['name']}</p>",
            "profile": {"type": "User", "name": host["name"], "owner": owner},
            "secret": False,
            "custom_questions": [
                {
                    "name": "What would you like to discuss?",
                    "type": "text",
                    "position": 0,
                    "enabled": True,
                    "required": False,
                    "answer_choices": [],
                    "include_other": False,
                }
            ],
            "deleted_at": None,
            "kind_description": "One-on-One" if kind == "solo" else "Group",
            "admin_managed": False,
            "position": position,
            "locale": "en",
            "locations": [{"kind": "google_conference"}],
            "is_paid": False,
        }
        self.event_types[et_uuid] = event_type
        return event_type

    def add_schedule(self, user_uri: str) -> Json:
        sched_uuid = self.new_uuid()
        user = self.users[user_uri.rsplit("/", 1)[1]]
        rules: list[Json] = [
            {
                "type": "wday",
                "wday": day,
                "intervals": [] if day in ("saturday", "sunday")
                else [{"from": "09:00", "to": "17:00"}],
            }
            for day in WDAYS
        ]
        schedule = {
            "uri": self.uri("user_availability_schedules", sched_uuid),
            "default": True,
            "name": "Working Hours",
            "user": user_uri,
            "timezone": user["timezone"],
            "rules": rules,
        }
        self.schedules[sched_uuid] = schedule
        return schedule

    def seed_events(self, n: int, now: datetime) -> None:
        """``n`` events from ~30 days ago to ~300 days ahead, ~10% canceled, 1-3 invitees."""
        rng = self.rng
        start = (now - timedelta(days=30)).replace(minute=0, second=0, microsecond=0)
        span_minutes = 330 * 24 * 60
        hosts = [self.owner_uri] * 5 + [self.admin_uri] * 2 + [self.member_uri] * 2
        by_host: dict[str, list[Json]] = {}
        for et in self.event_types.values():
            if et["active"]:
                by_host.setdefault(et["profile"]["owner"], []).append(et)
        hosts = [h for h in hosts if h in by_host]
        step = span_minutes / max(n, 1)
        for i in range(n):
            host = hosts[rng.randrange(len(hosts))]
            event_type = by_host[host][rng.randrange(len(by_host[host]))]
            minute = int(i * step) // 15 * 15
            begins = start + timedelta(minutes=minute)
            created = min(begins - timedelta(days=rng.randint(1, 20)), now)
            canceled = rng.random() < 0.1
            invitees = 1 + rng.randrange(3) if event_type["kind"] == "group" else 1
            self.create_event(event_type, begins, created, invitees=invitees, canceled=canceled)

    def seed_host_events(self, event_type: Json, n: int, now: datetime) -> None:
        """``n`` events of ``event_type`` (its owner hosts them), one invitee each, spread
        evenly from ~20 days ago to ~300 days ahead (inside the sync's default window)."""
        start = (now - timedelta(days=20)).replace(minute=0, second=0, microsecond=0)
        step = 320 * 24 * 60 / max(n, 1)
        for i in range(n):
            begins = start + timedelta(minutes=int(i * step) // 15 * 15)
            created = min(begins - timedelta(days=1 + i % 20), now)
            self.create_event(event_type, begins, created)

    # -- scheduled events and invitees ----------------------------------------------------

    def create_event(
        self,
        event_type: Json,
        begins: datetime,
        created: datetime | None = None,
        *,
        invitees: int = 1,
        canceled: bool = False,
        email: str | None = None,
        name: str | None = None,
    ) -> tuple[Json, list[Json]]:
        rng = self.rng
        created_s = iso(created) if created else self.now()
        host_uri = str(event_type["profile"]["owner"])
        host = self.users[host_uri.rsplit("/", 1)[1]]
        event_uuid = self.new_uuid()
        start_s = iso(begins)
        event: Json = {
            "uri": self.uri("scheduled_events", event_uuid),
            "name": event_type["name"],
            "meeting_notes_plain": None,
            "meeting_notes_html": None,
            "status": "active",
            "start_time": start_s,
            "end_time": iso(begins + timedelta(minutes=event_type["duration"])),
            "event_type": event_type["uri"],
            "location": {
                "type": "google_conference",
                "status": "pushed",
                "join_url": f"https://meet.google.com/sbx-{event_uuid[:8]}",
            },
            "invitees_counter": {
                "total": 0,
                "active": 0,
                "limit": 1 if event_type["kind"] == "solo" else 10,
            },
            "created_at": created_s,
            "updated_at": created_s,
            "event_memberships": [
                {"user": host_uri, "user_email": host["email"], "user_name": host["name"]}
            ],
            "event_guests": [],
            "calendar_event": None,
        }
        self.events[event_uuid] = event
        self.invitees_by_event[event_uuid] = []
        key = (start_s, event_uuid)
        insort(self.event_index, key)
        insort(self.event_index_by_user.setdefault(host_uri, []), key)
        made = []
        for k in range(max(1, invitees)):
            if email is not None and k == 0:
                first, _, last = (name or email.split("@")[0]).partition(" ")
                made.append(self.create_invitee(event, email, first, last or None, created_s))
            else:
                first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
                last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
                mail = f"{first}.{last}{rng.randrange(1000)}@example.com".lower()
                made.append(self.create_invitee(event, mail, first, last, created_s))
        if canceled:
            cancel_at = min(parse_iso(created_s) + timedelta(hours=rng.randint(1, 48)), begins)
            self.cancel_event(event, "Schedule conflict", host["name"], iso(cancel_at))
        return event, made

    def create_invitee(
        self, event: Json, email: str, first: str, last: str | None, when: str
    ) -> Json:
        rng = self.rng
        event_uuid = event["uri"].rsplit("/", 1)[1]
        inv_uuid = self.new_uuid()
        name = f"{first} {last}" if last else first
        invitee: Json = {
            "uri": self.uri("scheduled_events", event_uuid, "invitees", inv_uuid),
            "email": email,
            "first_name": first,
            "last_name": last,
            "name": name,
            "status": "active",
            "questions_and_answers": [
                {"question": "What would you like to discuss?", "answer": "Pricing", "position": 0}
            ],
            "timezone": TIMEZONES[rng.randrange(len(TIMEZONES))],
            "event": event["uri"],
            "created_at": when,
            "updated_at": when,
            "tracking": {
                "utm_campaign": "spring" if rng.random() < 0.3 else None,
                "utm_source": None,
                "utm_medium": None,
                "utm_content": None,
                "utm_term": None,
                "salesforce_uuid": None,
            },
            "text_reminder_number": None,
            "rescheduled": False,
            "old_invitee": None,
            "new_invitee": None,
            "cancel_url": self.uri("cancellations", inv_uuid),
            "reschedule_url": self.uri("reschedulings", inv_uuid),
            "routing_form_submission": None,
            "payment": None,
            "no_show": None,
            "reconfirmation": None,
            "scheduling_method": None,
            "invitee_scheduled_by": None,
        }
        self.invitees[inv_uuid] = invitee
        self.invitees_by_event[event_uuid].append(inv_uuid)
        counter = event["invitees_counter"]
        counter["total"] += 1
        counter["active"] += 1
        return invitee

    def cancel_event(
        self, event: Json, reason: str | None, canceled_by: str, when: str | None = None,
        canceler_type: str = "host",
    ) -> tuple[Json, list[Json]]:
        """Cancel an event and its active invitees; returns the cancellation and them."""
        when = when or self.now()
        cancellation = {
            "canceled_by": canceled_by,
            "reason": reason,
            "canceler_type": canceler_type,
            "created_at": when,
        }
        event["status"] = "canceled"
        event["cancellation"] = cancellation
        event["updated_at"] = when
        event["invitees_counter"]["active"] = 0
        changed = []
        for inv_uuid in self.invitees_by_event[event["uri"].rsplit("/", 1)[1]]:
            invitee = self.invitees[inv_uuid]
            if invitee["status"] == "active":
                invitee["status"] = "canceled"
                invitee["cancellation"] = dict(cancellation)
                invitee["updated_at"] = when
                changed.append(invitee)
        return cancellation, changed

    def cancel_invitee(self, invitee: Json, reason: str | None, canceled_by: str) -> Json:
        """Cancel one invitee; the event is canceled too when nobody is left."""
        when = self.now()
        event = self.events[invitee["event"].rsplit("/", 1)[1]]
        if invitee["status"] == "active":
            invitee["status"] = "canceled"
            invitee["cancellation"] = {
                "canceled_by": canceled_by,
                "reason": reason,
                "canceler_type": "invitee",
                "created_at": when,
            }
            invitee["updated_at"] = when
            event["invitees_counter"]["active"] -= 1
            event["updated_at"] = when
            if event["invitees_counter"]["active"] <= 0 and event["status"] == "active":
                event["status"] = "canceled"
                event["cancellation"] = dict(invitee["cancellation"])
        return invitee

    def delete_invitee(self, inv_uuid: str) -> None:
        """Erase an invitee (data-compliance deletion)."""
        invitee = self.invitees.pop(inv_uuid)
        event_uuid = invitee["event"].rsplit("/", 1)[1]
        event = self.events.get(event_uuid)
        ids = self.invitees_by_event.get(event_uuid, [])
        if inv_uuid in ids:
            ids.remove(inv_uuid)
        if event is not None:
            event["invitees_counter"]["total"] -= 1
            if invitee["status"] == "active":
                event["invitees_counter"]["active"] -= 1
            event["updated_at"] = self.now()
        for ns_uuid, no_show in list(self.no_shows.items()):
            if no_show["invitee"] == invitee["uri"]:
                del self.no_shows[ns_uuid]

    def delete_event(self, event_uuid: str) -> None:
        """Erase a scheduled event with its invitees, no-shows and recaps (data compliance)."""
        from bisect import bisect_left

        for inv_uuid in list(self.invitees_by_event.get(event_uuid, [])):
            self.delete_invitee(inv_uuid)
        event = self.events.pop(event_uuid)
        self.invitees_by_event.pop(event_uuid, None)
        key = (event["start_time"], event_uuid)
        for index in (self.event_index, self.event_index_by_user.get(self.event_host(event), [])):
            pos = bisect_left(index, key)
            if pos < len(index) and index[pos] == key:
                del index[pos]
        for recap_uuid, recap in list(self.recaps.items()):
            if recap["event"] == event["uri"]:
                del self.recaps[recap_uuid]
                self.transcripts.pop(recap_uuid, None)

    def event_host(self, event: Json) -> str:
        return str(event["event_memberships"][0]["user"])

    def invitee_payload(self, invitee: Json) -> Json:
        """Webhook payload for ``invitee.*``: the invitee with its event embedded."""
        payload = dict(invitee)
        payload["scheduled_event"] = dict(self.events[invitee["event"].rsplit("/", 1)[1]])
        return payload
