from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from .fields import EncryptedTextField


class CalendlyConnection(models.Model):
    """A user's own Calendly account, connected with OAuth ("Connect Calendly").

    Tokens are encrypted at rest. Calendly refresh tokens are single-use and rotate, so a
    refresh happens under a row lock (``services.connections``) and both tokens are
    replaced together.

    ``webhook_*`` record where its own webhook subscription stands: it is ensured by a
    task after the connect (``services.connection_webhooks``), not in the callback, so a
    refusal or a lost task is kept here for people to see and the periodic run to repair.
    """

    class WebhookStatus(models.TextChoices):
        NONE = "", "none (no CALENDLY_WEBHOOK_URL when connected)"
        PENDING = "pending", "pending (task enqueued)"
        ENSURING = "ensuring", "ensuring (a task is at it)"
        ACTIVE = "active", "active"
        REFUSED = "refused", "refused by Calendly (plan, scopes, role)"
        FAILED = "failed", "failed (retried by the periodic run)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendly_connection"
    )
    owner = models.CharField(max_length=500, help_text="Calendly user URI.")
    organization = models.CharField(max_length=500, blank=True)
    access_token = EncryptedTextField()
    refresh_token = EncryptedTextField()
    scope = models.TextField(blank=True)
    expires_at = models.DateTimeField()
    connected_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(
        blank=True, help_text="Why the connection stopped working (e.g. refresh refused)."
    )
    webhook_status = models.CharField(
        max_length=20, blank=True, choices=WebhookStatus.choices, default=WebhookStatus.NONE
    )
    webhook_error = models.TextField(
        blank=True, help_text="Why its webhook subscription could not be made (no secrets)."
    )
    webhook_checked_at = models.DateTimeField(
        null=True, blank=True, help_text="When webhook_status last changed."
    )

    def __str__(self) -> str:
        return f"{self.user} -> {self.owner}"

    @property
    def is_usable(self) -> bool:
        return not self.last_error

    def expires_within(self, seconds: float) -> bool:
        return self.expires_at <= timezone.now() + timedelta(seconds=seconds)
