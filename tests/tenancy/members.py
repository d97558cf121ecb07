"""Sandbox member accounts and the Django users who connect them: the pieces the tenancy
tests share (the OAuth connect flow, bookings, what the local API shows, what the sandbox
holds)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from django_calendly.models import CalendlyConnection

from .browsers import LiveBrowser

EVENTS_URL = "/modules/calendly/local/scheduled-events/"
PASSWORD = "pw"


class Member:
    """A sandbox member account with an active event type of its own, and a signed-in
    Django user who connects it: through the test client, or over real HTTP through the
    live server at ``live_url`` (the demo's login form, CSRF tokens and all)."""

    def __init__(self, sb: Any, email: str, username: str, live_url: str | None = None) -> None:
        self.sb = sb
        store = sb.store
        with store.lock:
            found = next(u for u in store.users.values() if u["email"] == email)
            self.uri, self.name = found["uri"], found["name"]
            self.event_type = store.add_event_type(
                self.uri, f"{username} chat", 30, True, "solo", 90, store.now()
            )["uri"]
        self.user = get_user_model().objects.create_user(username, password=PASSWORD)
        self.browser: Any
        if live_url is None:
            self.browser = Client()
            self.browser.force_login(self.user)
        else:
            self.browser = LiveBrowser.signed_in(live_url, username, PASSWORD)

    def connect(self) -> CalendlyConnection:
        """The whole OAuth flow: our connect view, the sandbox approving for this member,
        our callback."""
        start = self.browser.get("/modules/calendly/oauth/connect/")
        assert start.status_code == 302
        query = {k: v[0] for k, v in parse_qs(urlsplit(start.headers["Location"]).query).items()}
        code = self.sb.authorize(
            redirect_uri=query["redirect_uri"],
            code_challenge=query["code_challenge"],
            user_uri=self.uri,
            scope=query["scope"],
        )
        back = urlsplit(query["redirect_uri"]).path
        done = self.browser.get(back + "?" + urlencode({"code": code, "state": query["state"]}))
        assert done.status_code == 302, done.content
        return CalendlyConnection.objects.get(user=self.user)

    def book(self, **kwargs: Any) -> dict[str, Any]:
        return dict(self.sb.book(event_type_uri=self.event_type, **kwargs))

    def visible(self) -> set[str]:
        answer = self.browser.get(EVENTS_URL, {"page_size": 100})
        assert answer.status_code == 200, answer.content
        return {item["uri"] for item in answer.json()["results"]}

    def event_detail(self, event_uri: str) -> Any:
        """The local API's answer for one event (with its invitees), as this user."""
        return self.browser.get(f"{EVENTS_URL}{event_uri.rsplit('/', 1)[1]}/")

    def hosted_in_sandbox(self) -> set[str]:
        """The member's events in the sync's default window, by the sandbox's own state."""
        return set(self.sandbox_events())

    def sandbox_events(self) -> dict[str, dict[str, Any]]:
        """The member's events in the sync's default window as the sandbox holds them."""
        lo = timezone.now() - timedelta(days=30)
        hi = timezone.now() + timedelta(days=365)
        with self.sb.store.lock:
            return {
                e["uri"]: dict(e) for e in self.sb.store.events.values()
                if any(m["user"] == self.uri for m in e["event_memberships"])
                and lo <= parse_time(e["start_time"]) < hi
            }


    def sandbox_invitees(self) -> set[str]:
        """The invitees of the member's events in the sync's window, by the sandbox."""
        events = self.hosted_in_sandbox()
        with self.sb.store.lock:
            return {i["uri"] for i in self.sb.store.invitees.values() if i["event"] in events}


def parse_time(value: str) -> datetime:
    parsed = parse_datetime(value)
    assert parsed is not None
    return parsed


def remote_subscriptions(sb: Any) -> list[dict[str, Any]]:
    """The webhook subscriptions the sandbox holds."""
    with sb.store.lock:
        return [dict(w) for w in sb.store.webhooks.values()]
