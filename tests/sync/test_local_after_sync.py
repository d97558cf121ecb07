"""After ``calendly_sync`` the local API shows what was synced, at once."""

from __future__ import annotations

import io
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db.models.signals import post_save
from rest_framework.test import APIClient

from django_calendly.models import EventType, SyncState, WebhookSubscription
from django_calendly.sandbox import Sandbox
from django_calendly.services.sync import invalidate_app_organization

pytestmark = pytest.mark.django_db

LOCAL = "/modules/calendly/local/"


@pytest.fixture
def small_sandbox(settings):
    sb = Sandbox(seed_events=6, random_seed=11).start()
    settings.CALENDLY_BASE_URL = sb.url
    settings.CALENDLY_ACCESS_TOKEN = sb.token
    try:
        yield sb
    finally:
        sb.stop()


@pytest.fixture
def staff_api(django_user_model):
    api = APIClient()
    api.force_authenticate(django_user_model.objects.create_user("s", is_staff=True))
    return api


def test_synced_event_types_carry_the_organization_and_are_listed(small_sandbox, staff_api):
    call_command("calendly_sync", "--since", "40", "--until", "400", stdout=io.StringIO())

    org = small_sandbox.organization_uri
    assert EventType.objects.count() > 0
    assert set(EventType.objects.values_list("organization", flat=True)) == {org}
    listed = staff_api.get(f"{LOCAL}event-types/").json()["results"]
    assert len(listed) == EventType.objects.count()


def test_rows_written_without_organization_are_repaired_by_the_next_sync(
    small_sandbox, staff_api
):
    call_command("calendly_sync", "--since", "40", "--until", "400", stdout=io.StringIO())
    EventType.objects.update(organization="")  # what older versions wrote

    call_command("calendly_sync", "--since", "40", "--until", "400", stdout=io.StringIO())

    assert not EventType.objects.filter(organization="").exists()


@contextmanager
def signals_of_another_process():
    """The cache receivers of this process do not hear the writes (as if another process
    made them)."""
    receivers = [
        (post_save, SyncState, "calendly-app-org-state"),
        (post_save, WebhookSubscription, "calendly-app-org-sub"),
    ]
    for signal, sender, uid in receivers:
        assert signal.disconnect(sender=sender, dispatch_uid=uid)
    try:
        yield
    finally:
        for signal, sender, uid in receivers:
            signal.connect(invalidate_app_organization, sender=sender, dispatch_uid=uid)


def test_the_first_sync_of_another_process_shows_at_once(small_sandbox, staff_api):
    # Before any sync the app's organization is unknown: the local API is empty...
    assert staff_api.get(f"{LOCAL}scheduled-events/").json()["results"] == []
    # ...then another process syncs: nothing tells this one.
    with signals_of_another_process():
        call_command("calendly_sync", "--since", "40", "--until", "400", stdout=io.StringIO())
    assert staff_api.get(f"{LOCAL}scheduled-events/").json()["results"] != []
    assert staff_api.get(f"{LOCAL}event-types/").json()["results"] != []
