"""``calendly_reencrypt``: every stored secret ends up under the newest key, nothing lost."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from django_calendly.crypto import rotate
from django_calendly.management.commands.calendly_reencrypt import swap_ciphertext
from django_calendly.models import CalendlyConnection, WebhookSubscription

pytestmark = pytest.mark.django_db


def _raw(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]


def _make_rows() -> None:
    user = get_user_model().objects.create_user("ann")
    CalendlyConnection.objects.create(
        user=user, owner="https://api.calendly.com/users/U1", access_token="access-1",
        refresh_token="refresh-1", expires_at=timezone.now() + timedelta(hours=2),
    )
    WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/S1",
        callback_url="https://example.com/hook/", scope="organization",
        organization="https://api.calendly.com/organizations/O1", signing_key="key-1",
    )


def test_rotation_moves_every_secret_to_the_newest_key(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [old]
    _make_rows()
    settings.CALENDLY_ENCRYPTION_KEYS = [new, old]
    out = StringIO()
    call_command("calendly_reencrypt", stdout=out)
    assert "calendly.CalendlyConnection.access_token: 1 re-encrypted" in out.getvalue()
    assert "calendly.WebhookSubscription.signing_key: 1 re-encrypted" in out.getvalue()

    settings.CALENDLY_ENCRYPTION_KEYS = [new]  # the old key is gone: everything still reads
    conn = CalendlyConnection.objects.get()
    assert (conn.access_token, conn.refresh_token) == ("access-1", "refresh-1")
    assert WebhookSubscription.objects.get().signing_key == "key-1"
    # A second run finds nothing to do.
    out = StringIO()
    call_command("calendly_reencrypt", stdout=out)
    assert "0 re-encrypted, 1 already current" in out.getvalue()


def test_dry_run_writes_nothing(settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [old]
    _make_rows()
    before = _raw("calendly_calendlyconnection", "access_token")
    settings.CALENDLY_ENCRYPTION_KEYS = [new, old]
    call_command("calendly_reencrypt", "--dry-run", stdout=StringIO())
    assert _raw("calendly_calendlyconnection", "access_token") == before


def test_an_unreadable_secret_is_reported_and_left_alone(settings) -> None:
    lost, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [lost]
    _make_rows()
    before = _raw("calendly_webhooksubscription", "signing_key")
    settings.CALENDLY_ENCRYPTION_KEYS = [new]
    with pytest.raises(CommandError, match="could not be decrypted"):
        call_command("calendly_reencrypt", stdout=StringIO())
    assert _raw("calendly_webhooksubscription", "signing_key") == before


def test_a_token_refreshed_meanwhile_is_not_overwritten(settings) -> None:
    """The swap is conditional on the ciphertext read: a concurrent refresh wins."""
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [old]
    _make_rows()
    settings.CALENDLY_ENCRYPTION_KEYS = [new, old]
    field = CalendlyConnection._meta.get_field("refresh_token")
    conn = CalendlyConnection.objects.get()
    (read,) = _raw("calendly_calendlyconnection", "refresh_token")
    conn.refresh_token = "refresh-2"  # the refresh commits between our read and our swap
    conn.save(update_fields=["refresh_token"])
    assert not swap_ciphertext(CalendlyConnection, field, conn.pk, read, rotate(read))
    assert CalendlyConnection.objects.get().refresh_token == "refresh-2"
    (current,) = _raw("calendly_calendlyconnection", "refresh_token")
    assert swap_ciphertext(CalendlyConnection, field, conn.pk, current, rotate(current))
    assert CalendlyConnection.objects.get().refresh_token == "refresh-2"
