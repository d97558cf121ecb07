"""``calendly_webhooks ensure``: event scopes checked before calling, Calendly's
"Insufficient scope" refusal explained per event, subscription scopes Calendly forbids."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from django.core.management import CommandError, call_command

from django_calendly.client import CalendlyClient
from django_calendly.models import WebhookSubscription
from django_calendly.services.webhooks import (
    InvalidSubscription,
    MissingWebhookScopes,
    ensure_subscription,
)

pytestmark = pytest.mark.django_db
URL = "https://example.com/modules/calendly/webhook/"


def _no_calls(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"no call expected, got {request.method} {request.url}")


def _offline_client() -> CalendlyClient:
    return CalendlyClient(token="t", transport=httpx.MockTransport(_no_calls))


def test_known_scopes_are_checked_before_any_call() -> None:
    with pytest.raises(MissingWebhookScopes) as caught:
        ensure_subscription(
            URL, events=["invitee.created", "contact.created", "contact.deleted",
                         "event_type.updated"],
            granted_scopes="scheduled_events:read event_types:write webhooks:write",
            client=_offline_client(),
        )
    assert caught.value.missing == {"contacts:read": ["contact.created", "contact.deleted"]}
    assert "contacts:read (for contact.created, contact.deleted)" in str(caught.value)
    assert "Not subscribing" in str(caught.value)


@pytest.mark.parametrize(
    ("scope", "events", "needle"),
    [
        ("organization", ["meeting_recap.created"], "meeting_recap.created only at user scope"),
        ("user", ["routing_form_submission.created", "invitee.created"],
         "routing_form_submission.created only at organization scope"),
        ("user", ["invitee.rescheduled"], "Unknown webhook event(s): invitee.rescheduled"),
    ],
)
def test_events_calendly_would_refuse_are_refused_first(
    scope: str, events: list[str], needle: str
) -> None:
    with pytest.raises(InvalidSubscription, match=needle.replace("(", r"\(").replace(")", r"\)")):
        ensure_subscription(URL, scope=scope, events=events, client=_offline_client())


def test_the_command_reports_a_forbidden_scope_clearly() -> None:
    with pytest.raises(CommandError, match="only at user scope") as caught:
        call_command("calendly_webhooks", "ensure", "--url", URL, "--scope", "organization",
                     "--events", "meeting_recap.updated")
    assert "Calendly call failed" not in str(caught.value)


def test_calendlys_insufficient_scope_names_the_events_needing_it(
    calendly_sandbox: Any, settings: Any
) -> None:
    """The sandbox answers every call; the create is refused as Calendly refuses it."""
    settings.CALENDLY_ORGANIZATION = ""  # found with users.me() from the sandbox's token
    upstream = httpx.HTTPTransport()

    def handler(request: httpx.Request) -> httpx.Response:
        if request.method == "POST" and request.url.path.endswith("/webhook_subscriptions"):
            return httpx.Response(403, json={
                "title": "Insufficient scope",
                "message": "The access token does not have the required scope.",
                "required_scopes": ["routing_forms:read"],
            })
        return upstream.handle_request(request)

    client = CalendlyClient(token=calendly_sandbox.token, base_url=calendly_sandbox.url,
                            transport=httpx.MockTransport(handler))
    with pytest.raises(MissingWebhookScopes) as caught:
        ensure_subscription(URL, events=["routing_form_submission.created"], client=client)
    assert caught.value.missing == {"routing_forms:read": ["routing_form_submission.created"]}
    message = str(caught.value)
    assert message.startswith("Calendly refused the subscription")
    assert "routing_forms:read (for routing_form_submission.created)" in message
    assert not WebhookSubscription.objects.exists()
    json.dumps(message)  # plain text, no secret: the token is not in it
    assert calendly_sandbox.token not in message


def test_all_scopes_granted_lets_ensure_through(calendly_sandbox: Any, settings: Any) -> None:
    settings.CALENDLY_ORGANIZATION = ""
    result = ensure_subscription(
        URL, events=["invitee.created", "event_type.created"],
        granted_scopes="scheduled_events:read event_types:read webhooks:write",
    )
    assert result.created
    assert sorted(result.subscription.events) == ["event_type.created", "invitee.created"]


def test_the_command_checks_an_oauth_connections_granted_scopes(settings: Any) -> None:
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from django_calendly.models import CalendlyConnection

    settings.CALENDLY_CLIENT_ID = "cid"
    settings.CALENDLY_BASE_URL = "http://127.0.0.1:9"  # nothing listens: no call may happen
    user = get_user_model().objects.create_user("ada")
    CalendlyConnection.objects.create(
        user=user, owner="https://api.calendly.com/users/U1", access_token="at",
        refresh_token="rt", expires_at=timezone.now() + timedelta(hours=1),
        scope="scheduled_events:read webhooks:write",
    )
    with pytest.raises(CommandError) as caught:
        call_command("calendly_webhooks", "ensure", "--url", URL, "--connection-of", "ada",
                     "--events", "invitee.created", "contact.updated")
    assert "contacts:read (for contact.updated)" in str(caught.value)
    assert "Not subscribing" in str(caught.value)


def test_the_command_says_when_the_user_has_no_connection() -> None:
    with pytest.raises(CommandError, match="has no Calendly connection"):
        call_command("calendly_webhooks", "ensure", "--url", URL, "--connection-of", "nobody")
