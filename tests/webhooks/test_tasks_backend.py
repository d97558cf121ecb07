"""With a worker backend (django-tasks-db), the receiver only stores and enqueues; a
``db_worker`` run processes the deliveries later."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from django_calendly.models import Invitee, WebhookDelivery
from django_calendly.testing.deliveries import post_delivery

from . import payloads
from .conftest import KEY

pytestmark = pytest.mark.django_db(transaction=True)


def test_db_backend_enqueues_then_worker_processes(client: Any, settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    for n in range(3):
        response = post_delivery(client, "invitee.created", payloads.invitee("EV", f"I{n}"), KEY)
        assert response.status_code == 202
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"pending"}
    assert not Invitee.objects.exists()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"succeeded"}
    assert Invitee.objects.count() == 3
