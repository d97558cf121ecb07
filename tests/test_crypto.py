import pytest
from cryptography.fernet import Fernet
from django.db import connection

from django_calendly.crypto import decrypt, encrypt
from django_calendly.models import WebhookSubscription


def test_round_trip_and_ciphertext_hides_plaintext():
    token = encrypt("s3cret-value")
    assert "s3cret" not in token
    assert decrypt(token) == "s3cret-value"


def test_key_rotation_reads_old_ciphertext(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CALENDLY_ENCRYPTION_KEYS = [old]
    token = encrypt("value")
    settings.CALENDLY_ENCRYPTION_KEYS = [new, old]
    assert decrypt(token) == "value"
    settings.CALENDLY_ENCRYPTION_KEYS = [new]
    with pytest.raises(ValueError, match="cannot be decrypted"):
        decrypt(token)


@pytest.mark.django_db
def test_signing_key_is_encrypted_in_the_database():
    WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/AAA",
        callback_url="https://example.com/hook",
        scope="organization",
        organization="https://api.calendly.com/organizations/ORG",
        signing_key="plain-signing-key",
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT signing_key FROM calendly_webhooksubscription")
        (stored,) = cursor.fetchone()
    assert "plain-signing-key" not in stored
    assert WebhookSubscription.objects.get().signing_key == "plain-signing-key"
