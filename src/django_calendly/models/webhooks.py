from __future__ import annotations

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone

from .connections import CalendlyConnection
from .fields import EncryptedTextField


def first_lease() -> datetime:
    """When a new delivery is due to be taken up again if no worker finished it by then.

    A default of the model, so every stored delivery has a lease from its first INSERT:
    a lost enqueue or a killed worker can never leave a pending row nobody looks for.
    """
    from ..conf import calendly_settings

    return timezone.now() + timedelta(seconds=calendly_settings.WEBHOOK_LEASE)


class WebhookDelivery(models.Model):
    """One verified webhook delivery, stored before it is processed."""

    class Status(models.TextChoices):
        PENDING = "pending"
        PROCESSING = "processing"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    idempotency_key = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=100, db_index=True)
    calendly_created_at = models.DateTimeField(null=True, blank=True)
    resource_uri = models.CharField(max_length=500, blank=True, db_index=True)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Recovery (services/webhooks/recovery.py): a pending delivery whose lease has expired
    # is enqueued again; finishing it (succeeded or failed) clears the lease.
    lease_until = models.DateTimeField(null=True, blank=True, default=first_lease)
    retakes = models.PositiveIntegerField(
        default=0, help_text="Times recovery enqueued it again after its lease expired."
    )
    task_id = models.CharField(
        max_length=100, blank=True,
        help_text="The worker backend's id of the task last enqueued for it (recovery asks "
        "the backend whether it is still waiting in the queue).",
    )
    # Whose subscription's signing key verified it (None: the app's own key or
    # subscription). No constraint: a delivery outlives a disconnected connection, and is
    # then attributed to nobody (services/attribution.py checks the connection exists).
    connection = models.ForeignKey(
        CalendlyConnection, null=True, blank=True, on_delete=models.DO_NOTHING,
        db_constraint=False, related_name="+",
    )
    viewers = models.JSONField(
        default=list, blank=True,
        help_text="Other actors whose subscriptions delivered this same webhook (connection "
        "ids; null: the app): the duplicate is not processed again, but attributed.",
    )
    seen = models.JSONField(
        default=dict, blank=True,
        help_text="The mirror rows processing attributed (model label: URIs), so an actor "
        "whose duplicate arrives later is attributed the same rows.",
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            # The recovery sweep's query: only unfinished rows are in this index, so it
            # stays small however long the delivery log grows.
            models.Index(
                fields=["lease_until"],
                name="calendly_delivery_lease",
                condition=models.Q(status__in=["pending", "processing"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.resource_uri} ({self.status})"


class WebhookSubscription(models.Model):
    """A webhook subscription this app created, with the signing key it chose (encrypted)."""

    uri = models.URLField(max_length=500, unique=True)
    callback_url = models.URLField(max_length=500)
    scope = models.CharField(max_length=20)
    organization = models.CharField(max_length=500)
    user = models.CharField(max_length=500, blank=True)
    group = models.CharField(max_length=500, blank=True)
    events = models.JSONField(default=list)
    state = models.CharField(max_length=20, default="active")
    signing_key = EncryptedTextField(blank=True)
    # The connection whose token created it (None: the app's token). Deleting the
    # connection deletes the row, so its key stops being accepted at once.
    connection = models.ForeignKey(
        CalendlyConnection, null=True, blank=True, on_delete=models.CASCADE,
        related_name="webhook_subscriptions",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.callback_url} ({self.scope})"
