"""Only the client's ``InvalidArgument`` is the caller's fault; any other ``ValueError`` is a bug.

An ``InvalidArgument`` is a 400 ``invalid_input`` naming its argument. Another ``ValueError``
reaching a view (a stored secret that no configured key decrypts, a check that breaks) is a
logged 500 ``internal_error``: its text may quote configuration or personal data, and it has
no stable code or field, so it is neither returned nor logged.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIClient

from django_calendly.api.errors import exception_handler
from django_calendly.api.serializers import _checked
from django_calendly.client import CalendlyClient
from django_calendly.client.validation import InvalidArgument

from .conftest import assert_error


def test_invalid_argument_is_a_400_naming_its_argument() -> None:
    exc = InvalidArgument("count must be between 1 and 100.", "count")
    response = exception_handler(exc, {})
    assert response.status_code == 400
    assert response.data == {
        "code": "invalid_input",
        "title": "Invalid input",
        "message": "count must be between 1 and 100.",
        "details": [{"parameter": "count", "message": "count must be between 1 and 100."}],
    }


def test_another_value_error_is_a_500_without_its_text(caplog: Any) -> None:
    exc = ValueError("ada@example.com has token sk_live_123")
    with caplog.at_level(logging.ERROR, logger="django_calendly.api"):
        response = exception_handler(exc, {})
    assert response.status_code == 500
    assert response.data["code"] == "internal_error"
    assert "ada@example.com" not in str(response.data)
    assert "ValueError" in caplog.text
    assert "ada@example.com" not in caplog.text and "sk_live_123" not in caplog.text


def test_checked_turns_only_invalid_argument_into_a_validation_error() -> None:
    def refuses() -> None:
        raise InvalidArgument("user must be a Calendly user URI.", "user")

    with pytest.raises(serializers.ValidationError) as caught:
        _checked(refuses, "organization")
    assert caught.value.detail == {"user": ["user must be a Calendly user URI."]}

    def breaks() -> None:
        int("not a number")

    with pytest.raises(ValueError, match="invalid literal"):
        _checked(breaks, "organization")


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda c: c.memberships.list(), "organization"),
        (lambda c: c.scheduled_events.list(), "organization"),
        (lambda c: c.event_types.list(), "organization"),
        (
            lambda c: c.webhooks.create(
                url="https://example.com/hook", events=["invitee.created"],
                organization="https://api.calendly.com/organizations/ORG",
                scope="organization", signing_key="",
            ),
            "signing_key",
        ),
    ],
    ids=["memberships", "scheduled_events", "event_types", "webhook_signing_key"],
)
def test_the_clients_argument_refusals_name_their_argument(call: Any, name: str) -> None:
    with CalendlyClient(token="t", base_url="http://127.0.0.1:9") as client:
        with pytest.raises(InvalidArgument) as caught:
            call(client)
    assert caught.value.name == name


@pytest.mark.django_db
def test_an_undecryptable_stored_token_is_a_500_not_a_400(
    sb: Any, member: Any, member_api: APIClient, settings: Any, caplog: Any
) -> None:
    from django_calendly.models import CalendlyConnection

    settings.CALENDLY_CLIENT_ID = sb.oauth_client_id  # connections are used when OAuth is set up
    settings.CALENDLY_CLIENT_SECRET = sb.oauth_client_secret
    settings.CALENDLY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    token, user_uri = sb.add_token(role="user")
    CalendlyConnection.objects.create(
        user=member, owner=user_uri, organization=sb.organization_uri, access_token=token,
        refresh_token="unused", expires_at=timezone.now() + timedelta(hours=2),
    )
    settings.CALENDLY_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key lost
    with caplog.at_level(logging.ERROR, logger="django_calendly.api"):
        response = member_api.get("/modules/calendly/user/details/me/")
    body = assert_error(response, 500, "internal_error")
    assert "ENCRYPTION_KEYS" not in body["message"]
    assert "ValueError" in caplog.text
