from __future__ import annotations

from django.db import models


class SyncState(models.Model):
    """Progress of the pull sync of one scope (an organization or a user) by one actor.

    A connection syncing a user and the app's token syncing the same user (or their
    organization) run separately, with their own tokens and their own progress, window,
    resume token and error: one row each (``connection``: the actor; null: the app's
    token). Two conditional unique constraints say "one row per scope and actor": a plain
    unique constraint on (scope, scope_uri, connection) would let any number of app rows
    through, as NULLs are distinct in SQL (and ``nulls_distinct`` needs PostgreSQL 15).
    """

    class Status(models.TextChoices):
        IDLE = "idle"
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    scope = models.CharField(max_length=20)  # "organization" or "user"
    scope_uri = models.CharField(max_length=500)
    connection = models.ForeignKey(
        "calendly.CalendlyConnection",
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # a disconnected connection's progress goes with it
        related_name="sync_states",
        help_text="Whose token syncs it; empty: the app's own token.",
    )
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
            models.UniqueConstraint(
                fields=["scope", "scope_uri"],
                condition=models.Q(connection__isnull=True),
                name="calendly_sync_scope_app",
            ),
            models.UniqueConstraint(
                fields=["scope", "scope_uri", "connection"],
                condition=models.Q(connection__isnull=False),
                name="calendly_sync_scope_connection",
            ),
        ]

    def __str__(self) -> str:
        actor = f"connection {self.connection_id}" if self.connection_id else "app token"
        return f"{self.scope} {self.scope_uri} by {actor} ({self.status})"
