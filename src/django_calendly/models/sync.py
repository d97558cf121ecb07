from __future__ import annotations

from django.db import models


class SyncState(models.Model):
    """Progress of the pull sync for one scope (an organization or a user)."""

    class Status(models.TextChoices):
        IDLE = "idle"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    scope = models.CharField(max_length=20)  # "organization" or "user"
    scope_uri = models.CharField(max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IDLE)
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    resume_token = models.CharField(
        max_length=500, blank=True, help_text="Page token to resume an interrupted sync."
    )
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "scope_uri"], name="calendly_sync_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.scope_uri} ({self.status})"
