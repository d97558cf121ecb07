"""The demo's account and booking pages in a real browser, against the sandbox over HTTP.

A person logs in, connects Calendly on the sandbox's authorize page, and sees a meeting
that the sandbox's signed webhook put into the mirror; then books through the booking page,
which talks to the app's REST endpoints only.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from django_calendly.models import CalendlyConnection, Invitee, ScheduledEvent
from django_calendly.services.clients import get_client
from django_calendly.services.webhooks import ensure_subscription, invalidate_signing_keys

from .conftest import BROWSER_TIMEZONE, log_in, shot

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = sync_api.expect

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings: Any) -> Any:
    settings.CALENDLY_ORGANIZATION = ""  # found with users.me() from the token
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []  # only the key ensure_subscription creates
    invalidate_signing_keys()
    yield settings
    invalidate_signing_keys()


def connect_in_browser(page: Any, live_server: Any, sandbox: Any) -> None:
    """On the account page: Connect Calendly, Approve at the sandbox, back connected."""
    page.click("#connect")
    page.wait_for_url(f"{sandbox.url}/oauth/authorize?**")
    expect(page.locator("h1")).to_have_text("Authorize application")
    page.click("button[name=approve]")
    page.wait_for_url(f"{live_server.url}/account/")
    expect(page.locator("#connected")).to_contain_text("Connected as")


def subscribe_live_server(live_server: Any, user: Any) -> None:
    """A webhook subscription delivering to this live server, made with the connection."""
    connection = CalendlyConnection.objects.get(user=user)
    ensure_subscription(
        f"{live_server.url}/modules/calendly/webhook/",
        client=get_client(user, background=True),
        granted_scopes=connection.scope,
    )


def owner_event_type(sb: Any) -> Any:
    return next(
        et for et in sb.store.event_types.values()
        if et["active"] and et["profile"]["owner"] == sb.user_uri
    )


def fill_booking(page: Any, event_type_uri: str) -> str:
    """Pick the event type and its first open slot, fill the form; the slot's start."""
    page.click(f'#event-types button[data-uri="{event_type_uri}"]')
    first_slot = page.locator("#slots button.choice").first
    expect(first_slot).to_be_visible()
    start_time = str(first_slot.get_attribute("data-start"))
    first_slot.click()
    page.fill("input[name=name]", "Katherine Johnson")
    page.fill("input[name=email]", "katherine@example.com")
    return start_time


def test_account_page_connects_and_shows_a_meeting_booked_in_calendly(
    page: Any, live_server: Any, calendly_sandbox: Any, member: Any
) -> None:
    sb = calendly_sandbox
    log_in(page, live_server, "ada", "/account/")
    expect(page.locator("#connect")).to_have_text("Connect Calendly")
    expect(page.locator("#connected")).to_have_count(0)
    shot(page, "account-disconnected")

    connect_in_browser(page, live_server, sb)
    me = get_client(member).users.me()
    assert me["uri"] == sb.user_uri
    connection = CalendlyConnection.objects.get(user=member)
    status = page.locator("#connected")
    expect(status).to_contain_text(f"Connected as {me['name']}")
    for scope in connection.scope.split():
        expect(status).to_contain_text(scope)
    # Connecting enqueues the connection's first sync (the Immediate backend runs it at
    # once): the page lists the upcoming meetings it mirrored.
    page.reload()
    synced = page.locator("#meetings li").count()

    subscribe_live_server(live_server, member)
    begins = (timezone.now() + timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    booked = sb.book(email="grace@example.com", name="Grace Hopper", start_time=begins)
    sb.wait_deliveries()
    assert [(d.event, d.status) for d in sb.deliveries] == [("invitee.created", 202)]
    assert ScheduledEvent.objects.filter(uri=booked["event"]).exists()

    page.reload()
    meeting = page.locator(f'#meetings li[data-uri="{booked["event"]}"]')
    expect(meeting).to_contain_text("Grace Hopper")
    expect(meeting).to_contain_text(sb.store.events[booked["event"].rsplit("/", 1)[1]]["name"])
    expect(page.locator("#meetings li")).to_have_count(min(synced + 1, 20))  # the mirror's
    shot(page, "account-connected")

    page.click("#disconnect")
    expect(page.locator("#connect")).to_have_text("Connect Calendly")
    assert not CalendlyConnection.objects.filter(user=member).exists()


def test_booking_page_books_a_slot(
    page: Any, live_server: Any, calendly_sandbox: Any, member: Any
) -> None:
    sb = calendly_sandbox
    log_in(page, live_server, "ada", "/account/")
    connect_in_browser(page, live_server, sb)
    subscribe_live_server(live_server, member)
    event_type = owner_event_type(sb)

    page.goto(f"{live_server.url}/book/")
    start_time = fill_booking(page, event_type["uri"])
    shot(page, "book-form")
    page.click("#submit")
    confirmation = page.locator("#confirmation-text")
    expect(confirmation).to_contain_text("is booked for Katherine Johnson")
    shot(page, "book-confirmed")

    [invitee] = [
        i for i in sb.store.invitees.values() if i["email"] == "katherine@example.com"
    ]
    assert confirmation.get_attribute("data-invitee") == invitee["uri"]
    event = sb.store.events[invitee["event"].rsplit("/", 1)[1]]
    assert event["event_type"] == event_type["uri"]
    sb.wait_deliveries()
    row = ScheduledEvent.objects.get(uri=invitee["event"])
    assert row.start_time is not None and row.start_time.isoformat().startswith(start_time[:16])
    assert Invitee.objects.get(uri=invitee["uri"]).name == "Katherine Johnson"


def test_booking_page_sends_unconnected_users_to_connect_and_shows_api_errors(
    page: Any, live_server: Any, calendly_sandbox: Any, member: Any
) -> None:
    sb = calendly_sandbox
    log_in(page, live_server, "ada", "/book/")
    expect(page.locator("#not-connected a")).to_have_text("Connect Calendly")
    expect(page.locator("#step-type")).to_be_hidden()

    page.goto(f"{live_server.url}/account/")
    connect_in_browser(page, live_server, sb)
    sb.configure(rate_limit=1, rate_window=600)
    get_client(member).users.me()  # the one request of this window
    page.goto(f"{live_server.url}/book/")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_have_attribute("data-code", "rate_limited")  # the app's error shape
    expect(page.locator("#step-type")).to_be_hidden()
    shot(page, "book-error")


def test_booking_page_sends_the_booking_contract(
    page: Any, live_server: Any, calendly_sandbox: Any, member: Any
) -> None:
    """What Book sends, whatever the server answers: POST invitees/ as JSON, with a fresh
    Idempotency-Key and the CSRF header session auth needs; the answer is then shown."""
    log_in(page, live_server, "ada", "/account/")
    connect_in_browser(page, live_server, calendly_sandbox)
    event_type = owner_event_type(calendly_sandbox)
    page.goto(f"{live_server.url}/book/")
    start_time = fill_booking(page, event_type["uri"])
    with page.expect_request(lambda r: r.method == "POST") as sent:
        page.click("#submit")
    request = sent.value
    assert request.url == f"{live_server.url}/modules/calendly/invitees/"
    headers = request.headers
    assert headers["content-type"] == "application/json"
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}",
                        headers["idempotency-key"])
    csrf = page.locator('meta[name="csrf-token"]').get_attribute("content")
    assert csrf and headers["x-csrftoken"] == csrf
    assert request.post_data_json == {
        "event_type": event_type["uri"],
        "start_time": start_time,
        "invitee": {
            "name": "Katherine Johnson", "email": "katherine@example.com",
            "timezone": BROWSER_TIMEZONE,
        },
    }
    answered = page.locator("#confirmation:visible, #error:visible")
    expect(answered).to_have_count(1)
