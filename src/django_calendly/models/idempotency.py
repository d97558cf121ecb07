from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` of one user: the claim of a POST, then its final answer.

    The unique (user, key) pair is what makes "runs once" a database guarantee: the first
    request INSERTs the row before doing any work, every other request with the same key
    fails that INSERT and reads the row instead. ``body`` holds the rendered answer (it may
    carry personal data, like the mirror); rows are deleted once ``expires_at`` passes.
    """

    RUNNING = "running"
    DONE = "done"
    STATES = [(RUNNING, "running"), (DONE, "done")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of method, path, body.")
    state = models.CharField(max_length=10, choices=STATES, default=RUNNING)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body = models.BinaryField(default=b"", blank=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="calendly_idem_user_key")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key} ({self.state})"
