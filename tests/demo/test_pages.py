"""The demo's pages without a browser: who may open them, and that the account page lists
exactly what the local API shows the same user (tests/browser drives them in Chromium)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from django_calendly.models import ScheduledEvent
from django_calendly.services.clients import get_client
from django_calendly.services.mirror import upsert_invitees, upsert_scheduled_events
from django_calendly.services.sync import invalidate_app_organization

from ..oauth.test_connect import approve_in_sandbox

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_app_organization() -> Iterator[None]:
    invalidate_app_organization()
    yield
    invalidate_app_organization()


@pytest.fixture
def member() -> Any:
    return get_user_model().objects.create_user("ada", password="pw")


@pytest.fixture
def browser(client: Any, member: Any) -> Any:
    client.force_login(member)
    return client


def connect(browser: Any) -> None:
    start = browser.get("/modules/calendly/oauth/connect/?next=/account/")
    back = urlsplit(approve_in_sandbox(start["Location"]))
    done = browser.get(back.path + "?" + back.query)
    assert (done.status_code, done["Location"]) == (302, "/account/")


def shown_meetings(html: str) -> list[str]:
    return [unescape(u) for u in re.findall(r'<li data-uri="([^"]+)"', html)]


@pytest.mark.parametrize("path", ["/account/", "/book/"])
def test_pages_ask_for_a_login_first(client: Any, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 302
    assert answer["Location"] == f"/login/?next={path}"


def test_the_login_page_takes_any_user_to_the_account_page(client: Any, member: Any) -> None:
    page = client.get("/login/")
    assert page.status_code == 200 and b'name="password"' in page.content
    wrong = client.post("/login/", {"username": "ada", "password": "nope"})
    assert wrong.status_code == 200 and b'role="alert"' in wrong.content
    answer = client.post("/login/", {"username": "ada", "password": "pw"})
    assert (answer.status_code, answer["Location"]) == (302, "/account/")  # not staff


def test_account_without_a_connection_offers_connect(browser: Any, calendly_sandbox: Any) -> None:
    html = browser.get("/account/").content.decode()
    assert 'href="/modules/calendly/oauth/connect/?next=/account/"' in html
    assert "Connect Calendly" in html and "Connected as" not in html


def mirror_the_organization() -> None:
    """The sandbox's whole organization into the mirror, read over HTTP with the app's
    token (what the pull sync does, without its worker threads and their connections)."""
    calendly = get_client()
    organization = calendly.users.me()["current_organization"]
    events = list(calendly.scheduled_events.iter(organization=organization))
    upsert_scheduled_events(events, organization)
    for event in events:
        upsert_invitees(calendly.invitees.iter(event["uri"].rsplit("/", 1)[1]))


def test_account_lists_what_the_local_api_shows(browser: Any, calendly_sandbox: Any, member: Any):
    mirror_the_organization()
    connect(browser)
    now = timezone.now()
    calendly_sandbox.reset_stats()
    html = browser.get("/account/").content.decode()
    me = get_client(member).users.me()
    assert f"Connected as <strong>{me['name']}</strong>" in html
    for scope in ("scheduled_events:write", "users:read"):
        assert scope in html

    api, url = [], "/modules/calendly/local/scheduled-events/"
    params: Any = {"status": "active", "min_start_time": now.isoformat()}
    while url:
        body = browser.get(url, params).json()
        api += [item["uri"] for item in body["results"]]
        url, params = body["next"], None
    shown = shown_meetings(html)
    assert shown and shown == api[:20]
    # Others' meetings are in the mirror too, and not shown.
    upcoming = ScheduledEvent.objects.filter(status="active", start_time__gte=now)
    assert upcoming.exclude(uri__in=shown).exclude(owner=me["uri"]).exists()

    browser.get("/account/")  # the name is asked once per session, not on every view
    assert calendly_sandbox.stats()["requests"].get("GET /users/me", 0) == 2  # test's + 1


def test_book_page_points_at_the_rest_endpoints(browser: Any) -> None:
    html = browser.get("/book/").content.decode()
    for url in (
        "/modules/calendly/oauth/status/",
        "/modules/calendly/event/types/",
        "/modules/calendly/event/type/available-times/",
        "/modules/calendly/invitees/",
        "/static/demo/book.js",
    ):
        assert f'"{url}' in html, url
