"""Webhook delivery as Calendly: failed messages are retried with exponential back-off over
24 hours of sandbox time, then the subscription is disabled; a success clears the retry."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from django_calendly.client.signatures import SIGNATURE_HEADER, verify
from django_calendly.sandbox import Sandbox
from django_calendly.sandbox.delivery import RETRY_BASE, RETRY_WINDOW

from .conftest import Receiver
from .test_webhooks import subscribe

KEY = "retry-key"


def listed(api: httpx.Client, sb: Sandbox) -> dict:
    collection = api.get("/webhook_subscriptions", params={
        "organization": sb.organization_uri, "scope": "organization"}).json()["collection"]
    assert len(collection) == 1
    return collection[0]


def attempts(sb: Sandbox, url: str) -> list:
    return [d for d in sb.deliveries if d.url == url]


@pytest.mark.parametrize("status", [500, 404, 302])
def test_retry_schedule_then_disabled(sb: Sandbox, api: httpx.Client, status: int) -> None:
    receiver = Receiver(status=status)
    try:
        subscribe(api, sb, receiver.url, ["invitee.created"], signing_key=KEY)
        started = sb.clock.time()
        sb.book()
        assert len(receiver.received) == 1
        webhook = listed(api, sb)
        assert webhook["state"] == "active" and webhook["retry_started_at"] is not None
        # Exponential back-off: the retry n is due 60 * 2**(n-1) s after the failure before.
        due = started
        for n in range(1, 11):
            due += RETRY_BASE * 2 ** (n - 1)
            sb.advance_clock(due - sb.clock.time() - 1)
            assert len(receiver.received) == n, f"retry {n} came early"
            sb.advance_clock(2)
            assert len(receiver.received) == n + 1, f"retry {n} did not come"
        assert listed(api, sb)["state"] == "active"
        # The last attempt is at the 24-hour mark; then the subscription is disabled.
        sb.advance_clock(started + RETRY_WINDOW - sb.clock.time() + 1)
        assert len(receiver.received) == 12
        webhook = listed(api, sb)
        assert webhook["state"] == "disabled" and webhook["retry_started_at"] is not None
        # Every retry was signed afresh, with the same body.
        bodies = {body for _, body in receiver.received}
        assert len(bodies) == 1
        for headers, body in receiver.received:
            verify(body, headers[SIGNATURE_HEADER], [KEY],
                   now=int(headers[SIGNATURE_HEADER].split(",")[0][2:]))
        assert [d.attempt for d in attempts(sb, receiver.url)] == list(range(1, 13))
        # Disabled: nothing more, neither retries nor new messages.
        sb.book()
        sb.advance_clock(RETRY_WINDOW)
        assert len(receiver.received) == 12
    finally:
        receiver.close()


def test_a_connection_error_is_retried_too(sb: Sandbox, api: httpx.Client) -> None:
    url = "http://127.0.0.1:9/hook"  # nothing listens on port 9
    subscribe(api, sb, url, ["invitee.created"])
    sb.book()
    assert attempts(sb, url)[0].error is not None
    sb.advance_clock(RETRY_BASE + 1)
    assert len(attempts(sb, url)) == 2
    sb.advance_clock(RETRY_WINDOW)
    assert listed(api, sb)["state"] == "disabled"


def test_a_success_clears_retry_started_at_and_others_keep_flowing(
    sb: Sandbox, api: httpx.Client
) -> None:
    receiver = Receiver(status=503)
    try:
        subscribe(api, sb, receiver.url, ["invitee.created"])
        sb.book(email="first@example.com")
        assert listed(api, sb)["retry_started_at"] is not None
        receiver.status = 200
        sb.book(email="second@example.com")  # a new message is sent at once, and arrives
        assert len(receiver.received) == 2
        assert listed(api, sb)["retry_started_at"] is None
        sb.advance_clock(RETRY_BASE + 1)  # the first message's retry now succeeds
        emails = [json.loads(body)["payload"]["email"] for _, body in receiver.received]
        assert emails == ["first@example.com", "second@example.com", "first@example.com"]
        sb.advance_clock(2 * RETRY_WINDOW)
        assert len(receiver.received) == 3  # delivered: no more retries
        webhook = listed(api, sb)
        assert webhook["state"] == "active" and webhook["retry_started_at"] is None
    finally:
        receiver.close()


def test_intermittent_successes_keep_the_subscription_alive(sb: Sandbox,
                                                            api: httpx.Client) -> None:
    receiver = Receiver(status=500)
    try:
        subscribe(api, sb, receiver.url, ["invitee.created"])
        sb.book()
        sb.advance_clock(RETRY_WINDOW - 3600)  # 23 hours of failures
        receiver.status = 200
        sb.book()
        receiver.status = 500
        sb.advance_clock(2 * 3600)  # past 24 h since the first failure
        assert listed(api, sb)["state"] == "active"
    finally:
        receiver.close()


def test_run_due_deliveries_by_method_and_control(sb: Sandbox, api: httpx.Client,
                                                  web: httpx.Client) -> None:
    receiver = Receiver(status=500)
    sb.configure(auto_retries=False)  # no background timer: only these calls send
    try:
        subscribe(api, sb, receiver.url, ["invitee.created"])
        sb.book()
        assert sb.run_due_deliveries() == 0  # nothing due yet
        sb.clock.advance(RETRY_BASE + 1)  # a bare clock jump does not send
        assert len(receiver.received) == 1
        assert sb.run_due_deliveries() == 1
        assert len(receiver.received) == 2
        sb.clock.advance(2 * RETRY_BASE + 1)
        answer = web.post(f"{sb.url}/_sandbox/run_deliveries", json={})
        assert answer.json() == {"attempts": 1} and len(receiver.received) == 3
    finally:
        receiver.close()


def test_a_deleted_subscription_gets_no_retries(sb: Sandbox, api: httpx.Client) -> None:
    receiver = Receiver(status=500)
    try:
        webhook = subscribe(api, sb, receiver.url, ["invitee.created"])
        sb.book()
        assert api.delete(f"/webhook_subscriptions/{webhook['uri'].rsplit('/', 1)[1]}"
                          ).status_code == 204
        sb.advance_clock(RETRY_WINDOW)
        assert len(receiver.received) == 1
    finally:
        receiver.close()


def test_envelope_created_at_has_whole_seconds(sb: Sandbox, api: httpx.Client,
                                               receiver: Receiver) -> None:
    subscribe(api, sb, receiver.url, ["invitee.created"])
    sb.advance_clock(0.123456)
    sb.book()
    envelope = json.loads(receiver.received[0][1])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000000Z", envelope["created_at"])
