from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """One ``Idempotency-Key`` of one user: the claim of a POST, then its final answer.

    The unique (user, key) pair is what makes "runs once" a database guarantee: the first
    request INSERTs the row before doing any work, every other request with the same key
    fails that INSERT and reads the row instead. ``body`` holds the rendered answer (it may
    carry personal data, like the mirror); rows are deleted once ``expires_at`` passes.

    An anonymous caller's row has no ``user``; its ``key`` is the sha256 of the caller's key
    and the request (``api.idempotency.anonymous_key``), unique among anonymous rows, so
    only a retry of the very same request with the very same key finds it.
    """

    RUNNING = "running"
    DONE = "done"
    STATES = [(RUNNING, "running"), (DONE, "done")]

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        null=True, blank=True, help_text="Empty for an anonymous caller's key.",
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
            models.UniqueConstraint(fields=["user", "key"], name="calendly_idem_user_key"),
            # NULLs are distinct in the constraint above: anonymous keys need their own.
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(user__isnull=True),
                name="calendly_idem_anonymous_key",
            ),
        ]

    def __str__(self) -> str:
        owner = self.user_id if self.user_id is not None else "anonymous"
        return f"{owner}:{self.key} ({self.state})"
