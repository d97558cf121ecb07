"""A stored signing key that can no longer be decrypted must not break the receiver."""

import pytest
from cryptography.fernet import Fernet

from django_calendly.models import WebhookSubscription
from django_calendly.services.webhooks import invalidate_signing_keys
from django_calendly.testing.deliveries import post_delivery

pytestmark = pytest.mark.django_db


def test_other_keys_keep_working_and_the_bad_one_is_reported(client, settings, caplog):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [old]
    WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/LOST",
        callback_url="https://example.com/hook",
        scope="organization",
        organization="https://api.calendly.com/organizations/ORG",
        signing_key="key-encrypted-with-a-lost-key",
    )
    settings.CALENDLY_ENCRYPTION_KEYS = [new]  # the old key is gone
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = "configured-key"
    invalidate_signing_keys()
    payload = {"uri": "https://api.calendly.com/scheduled_events/E/invitees/I", "email": "a@b.c"}
    good = post_delivery(client, "invitee_no_show.deleted", payload, key="configured-key")
    assert good.status_code == 202
    lost = post_delivery(
        client, "invitee_no_show.deleted", payload, key="key-encrypted-with-a-lost-key"
    )
    assert lost.status_code == 403
    assert "cannot be decrypted" in caplog.text
    assert "key-encrypted-with-a-lost-key" not in caplog.text
