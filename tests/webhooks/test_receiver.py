"""The receiver: signature verification with hand-computed HMACs, and every rejection."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError

from django_calendly.models import WebhookDelivery, WebhookSubscription
from django_calendly.testing.deliveries import post_delivery, signed_delivery

from . import payloads
from .conftest import KEY

pytestmark = pytest.mark.django_db
URL = "/modules/calendly/webhook/"


def body_for(event: str = "invitee.created", **extra: Any) -> bytes:
    envelope = {
        "event": event,
        "created_at": "2026-01-01T10:00:00.000000Z",
        "created_by": payloads.HOST,
        "payload": payloads.invitee("EV1", "INV1"),
        **extra,
    }
    return json.dumps(envelope).encode()


def hand_signature(body: bytes, key: str, ts: int) -> str:
    mac = hmac.new(key.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={ts},v1={mac}"


def post(client: Any, body: bytes, signature: str | None, url: str = URL) -> Any:
    headers = {} if signature is None else {"Calendly-Webhook-Signature": signature}
    return client.post(url, data=body, content_type="application/json", headers=headers)


def test_valid_signature_is_accepted_stored_and_processed(client: Any) -> None:
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert response.status_code == 202, response.content
    assert response.json()["duplicate"] is False
    delivery = WebhookDelivery.objects.get()
    assert delivery.body == body.decode()
    assert delivery.event == "invitee.created"
    assert delivery.resource_uri == payloads.invitee_uri("EV1", "INV1")
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    assert delivery.attempts == 1
    assert "Calendly-Webhook-Signature" in delivery.headers


def test_only_the_kept_headers_are_stored(client: Any) -> None:
    body = body_for()
    signature = hand_signature(body, KEY, int(time.time()))
    response = client.post(URL, data=body, content_type="application/json", headers={
        "Calendly-Webhook-Signature": signature, "User-Agent": "Calendly-Webhooks",
        "X-Request-Id": "req-1", "Authorization": "Bearer not-kept", "X-Other": "no",
    })
    assert response.status_code == 202, response.content
    assert WebhookDelivery.objects.get().headers == {
        "Calendly-Webhook-Signature": signature, "User-Agent": "Calendly-Webhooks",
        "Content-Type": "application/json", "X-Request-Id": "req-1",
    }


@pytest.mark.parametrize("path", ["webhook/", "webhook", "webhook-url/", "webhook-url"])
def test_every_route_answers(client: Any, path: str) -> None:
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time())),
                    url=f"/modules/calendly/{path}")
    assert response.status_code == 202


def test_signature_is_over_raw_bytes_not_reserialised_json(client: Any) -> None:
    # Odd spacing and key order: re-serialising would change the bytes and the MAC.
    body = body_for().replace(b'": ', b'":    ')
    assert post(client, body, hand_signature(body, KEY, int(time.time()))).status_code == 202


def test_any_of_several_configured_keys(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = "old-key, new-key"
    body = body_for()
    assert post(client, body, hand_signature(body, "new-key", int(time.time()))).status_code == 202


def test_key_of_a_subscription_this_app_created(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    WebhookSubscription.objects.create(
        uri="https://api.calendly.com/webhook_subscriptions/S1",
        callback_url="https://example.com/modules/calendly/webhook/",
        scope="organization", organization=payloads.ORG, signing_key="sub-key",
    )
    body = body_for()
    assert post(client, body, hand_signature(body, "sub-key", int(time.time()))).status_code == 202


def test_several_v1_values_one_matching(client: Any) -> None:
    body = body_for()
    ts = int(time.time())
    good = hand_signature(body, KEY, ts).split("v1=")[1]
    assert post(client, body, f"t={ts},v1={'0' * 64},v1={good}").status_code == 202


@pytest.mark.parametrize(
    ("signature", "status", "code"),
    [
        (None, 400, "missing"),
        ("", 400, "missing"),
        ("garbage", 400, "malformed"),
        ("t=abc,v1=00", 400, "malformed"),
        ("t=123", 400, "malformed"),
        ("v1=00", 400, "malformed"),
    ],
)
def test_missing_or_malformed_signature(
    client: Any, caplog: Any, signature: str | None, status: int, code: str
) -> None:
    body = body_for()
    with caplog.at_level(logging.WARNING, logger="django_calendly.webhooks"):
        response = post(client, body, signature)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]
    assert not WebhookDelivery.objects.exists()
    assert any(code in r.getMessage() for r in caplog.records)
    assert all("Ada Lovelace" not in r.getMessage() for r in caplog.records)  # no body


def test_wrong_key(client: Any) -> None:
    body = body_for()
    response = post(client, body, hand_signature(body, "not-the-key", int(time.time())))
    assert (response.status_code, response.json()["code"]) == (403, "mismatch")
    assert not WebhookDelivery.objects.exists()


def test_tampered_body(client: Any) -> None:
    body = body_for()
    signature = hand_signature(body, KEY, int(time.time()))
    response = post(client, body.replace(b"Ada", b"Eve"), signature)
    assert (response.status_code, response.json()["code"]) == (403, "mismatch")


def test_stale_timestamp(client: Any) -> None:
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time()) - 181 - 5))
    assert (response.status_code, response.json()["code"]) == (403, "stale")
    assert not WebhookDelivery.objects.exists()


def test_future_timestamp(client: Any) -> None:
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time()) + 186))
    assert (response.status_code, response.json()["code"]) == (403, "future")


def test_tolerance_is_a_setting(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_TOLERANCE = 600
    body = body_for()
    assert post(client, body, hand_signature(body, KEY, int(time.time()) - 400)).status_code == 202


def test_no_key_configured_is_503_so_calendly_redelivers(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert (response.status_code, response.json()["code"]) == (503, "no_keys")


def test_oversized_body_by_content_length(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_MAX_BODY_BYTES = 100
    body = body_for()
    response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert not WebhookDelivery.objects.exists()


def test_oversized_body_with_lying_content_length(rf: Any, settings: Any) -> None:
    from django_calendly.webhooks.views import receive_webhook

    settings.CALENDLY_WEBHOOK_MAX_BODY_BYTES = 100
    body = body_for()
    request = rf.post(URL, data=body, content_type="application/json",
                      headers={"Calendly-Webhook-Signature": hand_signature(body, KEY, 1)})
    request.META["CONTENT_LENGTH"] = "10"
    response = receive_webhook(request)
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"not json", "invalid_json"),
        (b"\xff\xfe", "invalid_json"),
        (b'{"event": "invitee.created", "payload": {"n": NaN}}', "invalid_json"),
        (b'{"event": "invitee.created", "payload": {"n": -Infinity}}', "invalid_json"),
        (b"[1, 2]", "invalid_envelope"),
        (b'{"payload": {}}', "invalid_envelope"),
        (b'{"event": "invitee.created"}', "invalid_envelope"),
        (b'{"event": "invitee.created", "payload": "x"}', "invalid_envelope"),
    ],
)
def test_not_a_calendly_envelope(client: Any, body: bytes, code: str) -> None:
    response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert (response.status_code, response.json()["code"]) == (400, code)
    assert not WebhookDelivery.objects.exists()


def test_get_is_not_allowed(client: Any) -> None:
    assert client.get(URL).status_code == 405


def test_insecure_mode_accepts_unsigned(client: Any, settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_INSECURE = True
    body = body_for()
    assert post(client, body, None).status_code == 202
    settings.CALENDLY_WEBHOOK_INSECURE = False
    assert post(client, body_for(created_at="2026-01-02T00:00:00Z"), None).status_code == 400


def test_insecure_mode_has_a_system_check_warning(settings: Any) -> None:
    from django_calendly.checks import check_settings

    settings.CALENDLY_WEBHOOK_INSECURE = True
    assert "calendly.W002" in [m.id for m in check_settings()]


def test_duplicate_is_acknowledged_and_not_processed_again(client: Any, recorder: Any) -> None:
    body, headers = signed_delivery(
        "invitee.created", payloads.invitee("EV1", "INV1"), KEY,
        created_at="2026-01-01T10:00:00.000000Z",
    )
    sig = {"Calendly-Webhook-Signature": headers["Calendly-Webhook-Signature"]}
    first = client.post(URL, data=body, content_type="application/json", headers=sig)
    second = client.post(URL, data=body, content_type="application/json", headers=sig)
    assert first.status_code == 202
    assert second.status_code == 200
    assert second.json() == {"status": "duplicate", "duplicate": True, "id": first.json()["id"]}
    assert WebhookDelivery.objects.count() == 1
    assert len(recorder.of("invitee_created")) == 1


def test_database_down_answers_503(client: Any) -> None:
    body = body_for()
    with mock.patch(
        "django_calendly.models.WebhookDelivery.objects.create",
        side_effect=OperationalError("connection refused"),
    ):
        response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert response["Retry-After"]


def test_processing_failure_is_never_a_5xx(client: Any, recorder: Any) -> None:
    from django_calendly.signals import invitee_created

    def boom(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("handler bug")

    invitee_created.connect(boom, weak=False)
    try:
        response = post_delivery(client, "invitee.created", payloads.invitee("EV1", "INV1"), KEY)
    finally:
        invitee_created.disconnect(boom)
    assert response.status_code == 202
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert "handler bug" in delivery.last_error


def test_signed_delivery_helper_matches_a_hand_computed_signature() -> None:
    body, headers = signed_delivery("invitee.created", {"uri": "x"}, "k", timestamp=1700000000)
    assert headers["Calendly-Webhook-Signature"] == hand_signature(body, "k", 1700000000)
    assert json.loads(body)["event"] == "invitee.created"


def test_utf16_json_is_refused_not_a_500(client: Any) -> None:
    body = json.dumps({"event": "invitee.created", "payload": {}}).encode("utf-16")
    response = post(client, body, hand_signature(body, KEY, int(time.time())))
    assert (response.status_code, response.json()["code"]) == (400, "invalid_json")


def test_payloads_without_uri_do_not_share_a_key(client: Any) -> None:
    created_at = "2026-01-01T10:00:00.000000Z"
    for n in range(2):
        response = post_delivery(client, "contact.created", {"contact": {"n": n}}, KEY,
                                 created_at=created_at)
        assert response.status_code == 202
    assert WebhookDelivery.objects.count() == 2


def test_a_subscription_made_by_another_process_is_accepted_at_once(client: Any) -> None:
    from django_calendly.services.webhooks import keys

    body = body_for()
    assert post(client, body, hand_signature(body, KEY, int(time.time()))).status_code == 202
    # Written behind the cache's back (no post_save here: another process did it).
    WebhookSubscription.objects.bulk_create([WebhookSubscription(
        uri="https://api.calendly.com/webhook_subscriptions/S2",
        callback_url="https://example.com/hook/", scope="organization",
        organization=payloads.ORG, signing_key="fresh-key",
    )])
    keys._key_cache.loaded_at -= 5  # the last read was a few seconds ago
    body = body_for(created_at="2026-01-03T00:00:00Z")
    response = post(client, body, hand_signature(body, "fresh-key", int(time.time())))
    assert response.status_code == 202
