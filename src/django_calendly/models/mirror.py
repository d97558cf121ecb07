"""The local mirror of Calendly data.

Each row keeps Calendly's full JSON (``calendly_data``) plus the columns people filter on.
References to other Calendly resources are kept as URIs (indexed), which lets rows arrive in
any order (a webhook for an invitee may come before its event is synced). Rows are written
by idempotent upserts keyed on ``uri`` (see ``django_calendly.services.mirror``).
"""

from __future__ import annotations

from django.db import models

from .connections import CalendlyConnection


class MirrorModel(models.Model):
    uri = models.URLField(max_length=500, unique=True)
    uuid = models.CharField(max_length=100, db_index=True)
    calendly_data = models.JSONField(default=dict)
    calendly_created_at = models.DateTimeField(null=True, blank=True)
    calendly_updated_at = models.DateTimeField(null=True, blank=True, db_index=True)
    synced_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.uri


class EventType(MirrorModel):
    organization = models.CharField(max_length=500, blank=True, db_index=True)
    owner = models.CharField(max_length=500, blank=True, db_index=True)
    name = models.CharField(max_length=500, blank=True)
    slug = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    kind = models.CharField(max_length=50, blank=True)
    duration = models.PositiveIntegerField(null=True, blank=True)
    scheduling_url = models.URLField(max_length=500, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Who saw this row at Calendly (services/attribution.py): the connections whose sync
    # or webhook subscription brought it, and the app's own token. What a connected user
    # may read follows from it (services/visibility.py).
    seen_by = models.ManyToManyField(CalendlyConnection, blank=True, related_name="+")
    seen_by_app = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]


class ScheduledEvent(MirrorModel):
    STATUS_ACTIVE = "active"
    STATUS_CANCELED = "canceled"

    organization = models.CharField(max_length=500, blank=True, db_index=True)
    owner = models.CharField(
        max_length=500, blank=True, db_index=True, help_text="URI of the first host."
    )
    hosts = models.TextField(
        blank=True,
        default="",
        help_text="Every host's user URI (event_memberships), space-separated, with a space "
        "at each end: ' uri1 uri2 ', so that contains=' uri ' finds exactly one host.",
    )
    event_type = models.CharField(max_length=500, blank=True, db_index=True)
    name = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, db_index=True, default=STATUS_ACTIVE)
    start_time = models.DateTimeField(null=True, db_index=True)
    end_time = models.DateTimeField(null=True)
    invitees_total = models.PositiveIntegerField(default=0)
    invitees_active = models.PositiveIntegerField(default=0)
    invitees_signature = models.CharField(
        max_length=100,
        blank=True,
        default="",
        help_text="Set by the pull sync once the invitees are mirrored: the event's updated_at "
        "and invitees counter at that time. Equal on the next sync means no invitee call.",
    )
    # Who saw this row at Calendly (services/attribution.py): the connections whose sync
    # or webhook subscription brought it, and the app's own token. What a connected user
    # may read follows from it (services/visibility.py).
    seen_by = models.ManyToManyField(CalendlyConnection, blank=True, related_name="+")
    seen_by_app = models.BooleanField(default=False)

    class Meta:
        ordering = ["start_time", "id"]
        indexes = [models.Index(fields=["organization", "start_time"])]


class Invitee(MirrorModel):
    STATUS_ACTIVE = "active"
    STATUS_CANCELED = "canceled"

    event = models.CharField(max_length=500, db_index=True, help_text="Scheduled event URI.")
    scheduled_event = models.ForeignKey(
        ScheduledEvent,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invitees",
        db_constraint=False,
    )
    email = models.EmailField(max_length=320, blank=True, db_index=True)
    name = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, db_index=True, default=STATUS_ACTIVE)
    rescheduled = models.BooleanField(default=False)
    old_invitee = models.CharField(max_length=500, blank=True, db_index=True)
    new_invitee = models.CharField(max_length=500, blank=True, db_index=True)
    no_show = models.CharField(max_length=500, blank=True, help_text="No-show URI, if any.")
    canceled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["calendly_created_at", "id"]


class InviteeNoShow(MirrorModel):
    invitee = models.CharField(max_length=500, db_index=True, help_text="Invitee URI.")
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitee no-show"


class RoutingFormSubmission(MirrorModel):
    routing_form = models.CharField(max_length=500, blank=True, db_index=True)

    class Meta:
        ordering = ["-calendly_created_at"]
