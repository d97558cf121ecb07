from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.dispatch import Signal

from django_calendly import signals
from django_calendly.services.webhooks import invalidate_signing_keys

KEY = "whsec-test-key-1"


@pytest.fixture(autouse=True)
def _webhook_settings(settings: Any) -> Iterator[None]:
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = [KEY]
    settings.CALENDLY_WEBHOOK_INSECURE = False
    settings.CALENDLY_ORGANIZATION = "https://api.calendly.com/organizations/ORG1"
    invalidate_signing_keys()
    yield
    invalidate_signing_keys()


class Recorder:
    """Collects (signal name, event, payload) for every webhook signal."""

    NAMES = [
        "invitee_created", "invitee_canceled", "invitee_rescheduled",
        "invitee_no_show_created", "invitee_no_show_deleted",
        "routing_form_submission_created", "event_type_changed", "contact_changed",
        "meeting_recap_changed", "webhook_received",
    ]

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, Any]] = []
        self._receivers: list[tuple[Signal, Any]] = []
        for name in self.NAMES:
            signal: Signal = getattr(signals, name)

            def receiver(sender: Any, _name: str = name, **kwargs: Any) -> None:
                self.calls.append((_name, kwargs["event"], kwargs["payload"]))

            signal.connect(receiver, weak=False)
            self._receivers.append((signal, receiver))

    def of(self, name: str) -> list[Any]:
        return [event for n, event, _ in self.calls if n == name]

    def disconnect(self) -> None:
        for signal, receiver in self._receivers:
            signal.disconnect(receiver)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    rec = Recorder()
    yield rec
    rec.disconnect()


@pytest.fixture
def client(client: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Django's test client whose requests run their on-commit callbacks (the enqueue of
    processing), as they would outside the test transaction."""

    class CommittingClient:
        def __getattr__(self, name: str) -> Any:
            return getattr(client, name)

        def post(self, *args: Any, **kwargs: Any) -> Any:
            with django_capture_on_commit_callbacks(execute=True):
                return client.post(*args, **kwargs)

    return CommittingClient()
