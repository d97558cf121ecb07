"""Hostile but validly signed bodies, and duplicates vs. distinct deliveries in one second.

Each hostile body here used to reach the database or the JSON parser unchecked: Django's
HTML 500 page (a traceback with DEBUG on), or a 503 on every redelivery (NUL on
PostgreSQL), so Calendly retried for 24 hours. Now each gets a 4xx JSON answer, nothing is
stored, and the log names the reason, never the body.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.test import Client

from django_calendly.client.signatures import SIGNATURE_HEADER
from django_calendly.models import Invitee, InviteeNoShow, WebhookDelivery
from django_calendly.services.webhooks.deliveries import MAX_DEPTH
from django_calendly.testing.deliveries import post_delivery, sign

from . import payloads as p
from .conftest import KEY

URL = "/modules/calendly/webhook/"
SECOND = "2026-03-01T10:00:00.000000Z"


def _post_raw(body: bytes) -> Any:
    return Client(raise_request_exception=False).post(
        URL, body, content_type="application/json", headers={SIGNATURE_HEADER: sign(body, KEY)}
    )


def _nested(depth: int) -> bytes:
    inner = '{"a":' * depth + "1" + "}" * depth
    return (
        '{"event":"invitee.created","created_at":"2026-01-01T10:00:00Z","created_by":"x",'
        f'"payload":{{"uri":"{p.API}/x","deep":{inner}}}}}'
    ).encode()


def _with_uri(uri_json: str) -> bytes:
    """An invitee.created body whose payload.uri is the raw JSON string ``uri_json``."""
    payload = json.dumps({**p.invitee("EV1", "IN1"), "uri": "@URI@"})
    return (
        '{"event":"invitee.created","created_at":"2026-01-01T10:00:00Z","created_by":"x",'
        f'"payload":{payload.replace(chr(34) + "@URI@" + chr(34), uri_json)}}}'
    ).encode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "code"),
    [
        (_nested(100_000), "too_deep"),
        (_nested(MAX_DEPTH), "too_deep"),
        (_with_uri('"http://x/\\ud800"'), "unstorable_text"),
        (_with_uri('"http://x/\\udfff\\ud800"'), "unstorable_text"),
        (_with_uri('"http://x/\\u0000"'), "unstorable_text"),
        (b'{"event":"invitee.created","created_at":"x","created_by":"x",'
         b'"payload":{"uri":"u","k\\u0000":1}}', "unstorable_text"),
    ],
    ids=["nested-100000", "nested-limit", "lone-surrogate", "reversed-pair", "nul-uri",
         "nul-key"],
)
def test_hostile_signed_body_gets_a_json_4xx_and_nothing_is_stored(
    settings: Any, caplog: Any, body: bytes, code: str
) -> None:
    settings.DEBUG = True  # no traceback page either
    with caplog.at_level(logging.WARNING, logger="django_calendly.webhooks"):
        response = _post_raw(body)
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == code
    assert not WebhookDelivery.objects.exists()
    assert code in caplog.text
    assert "ud800" not in caplog.text and "IN1" not in caplog.text  # no body in the log


@pytest.mark.django_db
def test_nesting_just_under_the_limit_is_accepted() -> None:
    # The envelope and payload are two levels, "deep" one more.
    response = _post_raw(_nested(MAX_DEPTH - 4))
    assert response.status_code == 202, response.content


@pytest.mark.django_db
def test_a_valid_surrogate_pair_is_accepted() -> None:
    response = _post_raw(_with_uri(f'"{p.invitee_uri("EV1", "IN1")}\\ud83d\\ude00"'))
    assert response.status_code == 202, response.content
    assert WebhookDelivery.objects.get().resource_uri.endswith("\U0001f600")


@pytest.mark.django_db
@pytest.mark.postgres
def test_nul_in_uri_on_postgresql_is_refused_not_retried_forever() -> None:
    response = _post_raw(_with_uri('"http://x/\\u0000"'))
    assert response.status_code == 400
    assert not WebhookDelivery.objects.exists()


# --- duplicates -------------------------------------------------------------------------


def _no_show_marked(invitee: dict[str, Any], ns: str) -> dict[str, Any]:
    return {**invitee, "no_show": {"uri": f"{p.API}/invitee_no_shows/{ns}",
                                   "created_at": "2026-03-01T10:00:00.000000Z"}}


@pytest.mark.django_db
def test_marked_unmarked_marked_within_one_second_are_three_deliveries(client: Any) -> None:
    invitee = p.invitee("EV1", "IN1")
    steps = [
        ("invitee_no_show.created", _no_show_marked(invitee, "NS1")),
        ("invitee_no_show.deleted", {**invitee, "no_show": None}),
        ("invitee_no_show.created", _no_show_marked(invitee, "NS2")),
    ]
    for event, payload in steps:
        response = post_delivery(client, event, payload, KEY, created_at=SECOND)
        assert response.status_code == 202, response.content
        assert response.json()["duplicate"] is False
    assert WebhookDelivery.objects.count() == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert Invitee.objects.get().no_show == f"{p.API}/invitee_no_shows/NS2"
    assert InviteeNoShow.objects.filter(deleted_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_a_redelivery_of_the_same_webhook_is_still_a_duplicate(client: Any) -> None:
    payload = _no_show_marked(p.invitee("EV1", "IN1"), "NS1")
    first = post_delivery(client, "invitee_no_show.created", payload, KEY, created_at=SECOND)
    # Calendly's retry: same envelope, new signature; key order does not matter.
    again = post_delivery(client, "invitee_no_show.created", dict(reversed(payload.items())),
                          KEY, created_at=SECOND)
    assert first.status_code == 202
    assert again.status_code == 200
    assert again.json() == {"status": "duplicate", "duplicate": True, "id": first.json()["id"]}
    assert WebhookDelivery.objects.count() == 1


@pytest.mark.django_db
def test_an_unstorable_kept_header_is_left_out_not_fatal() -> None:
    body = _with_uri(json.dumps(p.invitee_uri("EV1", "IN1")))
    response = Client().post(URL, body, content_type="application/json", headers={
        SIGNATURE_HEADER: sign(body, KEY), "X-Request-Id": "a\x00b", "User-Agent": "ok"})
    assert response.status_code == 202, response.content
    headers = WebhookDelivery.objects.get().headers
    assert "X-Request-Id" not in headers and headers["User-Agent"] == "ok"


@pytest.mark.django_db
def test_data_the_database_itself_refuses_is_a_400_not_a_503() -> None:
    """Defence in depth behind the checks above: a DataError (the driver refusing the
    values, as psycopg does for NUL) is permanent, so it is not answered like an outage."""
    from unittest import mock

    from django.db import DataError

    body = _with_uri(json.dumps(p.invitee_uri("EV1", "IN1")))
    with mock.patch("django_calendly.models.WebhookDelivery.objects.create",
                    side_effect=DataError("invalid byte sequence")):
        response = _post_raw(body)
    assert response.status_code == 400
    assert response.json()["code"] == "unstorable"
