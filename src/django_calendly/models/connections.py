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
    """

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

    def __str__(self) -> str:
        return f"{self.user} -> {self.owner}"

    @property
    def is_usable(self) -> bool:
        return not self.last_error

    def expires_within(self, seconds: float) -> bool:
        return self.expires_at <= timezone.now() + timedelta(seconds=seconds)
