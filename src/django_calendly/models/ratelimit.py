from __future__ import annotations

from django.db import models


class RateLimitBucket(models.Model):
    """One rate-limit key (a Calendly user): the row locked while a slot is taken."""

    key = models.CharField(max_length=200, unique=True)

    def __str__(self) -> str:
        return self.key


class RateLimitEntry(models.Model):
    """One request counted in a key's moving window (epoch seconds)."""

    bucket = models.ForeignKey(RateLimitBucket, on_delete=models.CASCADE, related_name="entries")
    at = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["bucket", "at"], name="calendly_rl_bucket_at")]

    def __str__(self) -> str:
        return f"{self.bucket_id}@{self.at}"
