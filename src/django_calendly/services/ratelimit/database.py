"""A ``limits`` storage in the project's own database, for the moving-window strategy.

Used when no Redis is configured, so that every process and machine sharing the database
shares each Calendly user's budget. Taking a slot locks the key's row (``SELECT ... FOR
UPDATE``), counts the entries of the last window and inserts one if there is room: one short
transaction per request. Only the moving window is supported (that is the strategy the
shared limiter uses); old entries are deleted as new ones are taken.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from limits.storage import MovingWindowSupport, Storage

from ...models import RateLimitBucket, RateLimitEntry


class DatabaseStorage(Storage, MovingWindowSupport):
    """Moving-window rate-limit entries in ``RateLimitEntry`` rows."""

    STORAGE_SCHEME = ["django-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        from django.db import DatabaseError

        return DatabaseError

    # -- moving window -----------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        bucket, _ = RateLimitBucket.objects.get_or_create(key=key)
        with transaction.atomic():
            RateLimitBucket.objects.select_for_update().get(pk=bucket.pk)
            now = time.time()
            start = now - expiry
            entries = RateLimitEntry.objects.filter(bucket_id=bucket.pk)
            entries.filter(at__lte=start).delete()
            if entries.count() + amount > limit:
                return False
            RateLimitEntry.objects.bulk_create(
                [RateLimitEntry(bucket_id=bucket.pk, at=now) for _ in range(amount)]
            )
            return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        rows = RateLimitEntry.objects.filter(bucket__key=key, at__gt=now - expiry)
        oldest = rows.order_by("at").values_list("at", flat=True).first()
        if oldest is None:
            return now, 0
        return oldest, rows.count()

    # -- the rest of the Storage interface ----------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage supports the moving window only.")

    def get(self, key: str) -> int:
        now = time.time()
        return RateLimitEntry.objects.filter(bucket__key=key, at__gt=now - 60).count()

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage supports the moving window only.")

    def check(self) -> bool:
        try:
            RateLimitBucket.objects.exists()
        except Exception:
            return False
        return True

    def reset(self) -> int | None:
        count, _ = RateLimitEntry.objects.all().delete()
        RateLimitBucket.objects.all().delete()
        return count

    def clear(self, key: str) -> None:
        RateLimitBucket.objects.filter(key=key).delete()
