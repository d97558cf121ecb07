"""Chunked bodies without Content-Length, and a deleted subscription's key refused at once."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest
from django.test import Client

from django_calendly.client.signatures import SIGNATURE_HEADER, sign
from django_calendly.models import WebhookDelivery, WebhookSubscription
from django_calendly.services.webhooks import keys

from . import payloads as p
from .conftest import KEY

pytestmark = pytest.mark.django_db
URL = "/modules/calendly/webhook/"


def _body(created_at: str = "2026-01-01T10:00:00Z") -> bytes:
    return json.dumps({"event": "invitee.created", "created_at": created_at,
                       "created_by": p.HOST, "payload": p.invitee("EV1", "IN1")}).encode()


def _post_chunked(body: bytes, *, terminated: bool = True, key: str = KEY) -> Any:
    """As a WSGI server hands over a chunked request: no CONTENT_LENGTH, the decoded body
    in wsgi.input, and (gunicorn, mod_wsgi) ``wsgi.input_terminated``."""
    extra: dict[str, Any] = {
        "CONTENT_LENGTH": "",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "wsgi.input": io.BufferedReader(io.BytesIO(body), buffer_size=7),  # short reads
        SIGNATURE_HEADER: sign(body, key),
    }
    if terminated:
        extra["wsgi.input_terminated"] = True
    return Client(raise_request_exception=False).generic(
        "POST", URL, b"", content_type="application/json",
        **{k if k != SIGNATURE_HEADER else "HTTP_CALENDLY_WEBHOOK_SIGNATURE": v
           for k, v in extra.items()},
    )


def test_a_chunked_body_without_content_length_is_accepted() -> None:
    body = _body()
    response = _post_chunked(body)
    assert response.status_code == 202, response.content
    assert WebhookDelivery.objects.get().body == body.decode()


def test_a_chunked_body_over_the_limit_is_413(settings: Any) -> None:
    body = _body()
    settings.CALENDLY_WEBHOOK_MAX_BODY_BYTES = len(body) - 1
    response = _post_chunked(body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not WebhookDelivery.objects.exists()


def test_a_chunked_body_exactly_at_the_limit_is_accepted(settings: Any) -> None:
    body = _body()
    settings.CALENDLY_WEBHOOK_MAX_BODY_BYTES = len(body)
    assert _post_chunked(body).status_code == 202


def test_a_chunked_body_on_a_server_without_a_terminated_input_is_411() -> None:
    response = _post_chunked(_body(), terminated=False)
    assert response.status_code == 411
    assert response.json()["code"] == "length_required"


def _subscription(key: str, uri: str = "S9") -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        uri=f"{p.API}/webhook_subscriptions/{uri}", callback_url="https://example.com/hook/",
        scope="organization", organization=p.ORG, signing_key=key,
    )


def _post(body: bytes, key: str) -> Any:
    return Client().post(URL, body, content_type="application/json",
                         headers={SIGNATURE_HEADER: sign(body, key, int(time.time()))})


def test_a_subscription_deleted_by_another_process_is_refused_at_once(settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    _subscription("sub-key")
    assert _post(_body(), "sub-key").status_code == 202  # cached in this process now
    # Deleted behind the cache's back (queryset delete in another process: no signal here).
    WebhookSubscription.objects.all()._raw_delete(WebhookSubscription.objects.db)
    assert keys._key_cache.get()[0] == ("sub-key",)  # this process still has it cached
    response = _post(_body("2026-01-02T10:00:00Z"), "sub-key")
    assert response.status_code == 503  # no key left at all: configure one
    assert response.json()["code"] == "no_keys"


def test_a_rekeyed_subscription_refuses_its_old_key_at_once(settings: Any) -> None:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = []
    sub = _subscription("old-key")
    assert _post(_body(), "old-key").status_code == 202
    WebhookSubscription.objects.filter(pk=sub.pk).update(
        signing_key=WebhookSubscription(signing_key="new-key").signing_key
    )
    assert _post(_body("2026-01-02T10:00:00Z"), "old-key").status_code == 403
    assert _post(_body("2026-01-03T10:00:00Z"), "new-key").status_code == 202


def test_the_configured_key_still_works_beside_subscription_keys() -> None:
    _subscription("sub-key")
    assert _post(_body(), KEY).status_code == 202
    assert _post(_body("2026-01-02T10:00:00Z"), "sub-key").status_code == 202
    assert _post(_body("2026-01-03T10:00:00Z"), "wrong").status_code == 403
