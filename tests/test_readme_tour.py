"""The README's quick tour, run for real against the sandbox, so that it stays true."""

from django.core.management import call_command
from django.dispatch import receiver

from django_calendly.client import CalendlyClient, errors
from django_calendly.models import ScheduledEvent, WebhookDelivery
from django_calendly.signals import invitee_created
from django_calendly.testing.deliveries import post_delivery


def test_the_client_snippet(calendly_plain_sandbox):
    sb = calendly_plain_sandbox
    with CalendlyClient(token=sb.token, base_url=sb.url) as calendly:
        me = calendly.users.me()
        names = [
            event["name"]
            for event in calendly.scheduled_events.iter(
                organization=me["current_organization"], status="active"
            )
        ]
        assert names
        try:
            calendly.scheduled_events.cancel("NO-SUCH-EVENT", reason="Double booked")
        except errors.NotFound:
            pass
        else:
            raise AssertionError("cancelling an unknown event must raise NotFound")


def test_the_pytest_snippet(calendly_sandbox, db):
    call_command("calendly_sync", "--no-progress")
    assert ScheduledEvent.objects.exists()
    invitee = calendly_sandbox.book()
    assert invitee["status"] == "active"


def test_the_signal_and_signed_delivery_snippets(
    calendly_sandbox, client, settings, db, django_capture_on_commit_callbacks
):
    settings.CALENDLY_WEBHOOK_SIGNING_KEY = "test-key"
    seen = []

    @receiver(invitee_created)
    def on_booking(sender, event, payload, **kwargs):
        seen.append((event.email, event.scheduled_event_name, event.start_time))

    try:
        invitee = calendly_sandbox.book()
        event = calendly_sandbox.store.events[invitee["event"].rsplit("/", 1)[-1]]
        payload = {**invitee, "scheduled_event": event}
        with django_capture_on_commit_callbacks(execute=True):  # processing runs on commit
            response = post_delivery(client, "invitee.created", payload, key="test-key")
    finally:
        invitee_created.disconnect(on_booking)
    assert response.status_code == 202
    assert [(email, name) for email, name, _ in seen] == [(invitee["email"], event["name"])]
    assert seen[0][2] is not None
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.SUCCEEDED
