"""A ``limits`` storage in the project's own database, for the moving-window strategy.

Used when no Redis is configured, so that every process and machine sharing the database
shares each Calendly user's budget. Taking a slot locks the key (a PostgreSQL advisory
lock, or the key's ``RateLimitBucket`` row elsewhere), counts the entries of the last window
and inserts one if there is room: one short transaction per request (on PostgreSQL, three
round trips and no wait for the disk: ``_take_postgresql``).

It works on a database connection of its own (one per thread), in a transaction of its
own: the caller may be inside a long transaction (a request under ``ATOMIC_REQUESTS``, a
test, a sync page being written) that must neither hold the key's lock until it commits
nor see its uncommitted slots block other threads. Only the moving window is supported
(the strategy the shared limiter uses); old entries are deleted as new ones are taken.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections
from limits.storage import MovingWindowSupport, Storage

from ...models import RateLimitBucket, RateLimitEntry


class DatabaseStorage(Storage, MovingWindowSupport):
    """Moving-window rate-limit entries in ``RateLimitEntry`` rows."""

    STORAGE_SCHEME = ["django-db"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self._local = threading.local()
        self._bucket_ids: dict[str, int] = {}  # key -> its RateLimitBucket id (PostgreSQL)

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return DatabaseError

    # -- our own connection --------------------------------------------------------------

    def _connection(self) -> Any:
        conn = getattr(self._local, "connection", None)
        if conn is None:
            conn = connections.create_connection(DEFAULT_DB_ALIAS)
            self._local.connection = conn
        conn.close_if_unusable_or_obsolete()
        return conn

    def _run(self, work: Any) -> Any:
        """``work(cursor, vendor)`` in one transaction on this thread's own connection."""
        conn = self._connection()
        conn.ensure_connection()
        conn.set_autocommit(False)
        try:
            with conn.cursor() as cursor:
                result = work(cursor, conn.vendor)
            conn.commit()
            return result
        except BaseException:
            conn.rollback()
            raise
        finally:
            conn.set_autocommit(True)

    # -- moving window -------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
            try:
                return bool(self._run(lambda cursor, vendor: self._take_postgresql(
                    cursor, key, limit, expiry, amount)))
            except IntegrityError:
                # The cached bucket was deleted (clear() or reset() in another process):
                # the entry's foreign key failed at commit. Find or make the bucket again.
                self._bucket_ids.pop(key, None)
                return bool(self._run(lambda cursor, vendor: self._take_postgresql(
                    cursor, key, limit, expiry, amount)))
        buckets = RateLimitBucket._meta.db_table
        entries = RateLimitEntry._meta.db_table

        def take(cursor: Any, vendor: str) -> bool:
            bucket_id = self._bucket(cursor, vendor, buckets, key)
            if vendor != "sqlite":  # SQLite: the DELETE below takes the database's write lock
                cursor.execute(f"SELECT id FROM {buckets} WHERE id = %s FOR UPDATE", [bucket_id])  # noqa: S608
            now = time.time()
            start = now - expiry
            cursor.execute(f"DELETE FROM {entries} WHERE bucket_id = %s AND at <= %s",  # noqa: S608
                           [bucket_id, start])
            cursor.execute(f"SELECT COUNT(*) FROM {entries} WHERE bucket_id = %s", [bucket_id])  # noqa: S608
            if cursor.fetchone()[0] + amount > limit:
                return False
            cursor.executemany(
                f"INSERT INTO {entries} (bucket_id, at) VALUES (%s, %s)",  # noqa: S608
                [(bucket_id, now)] * amount,
            )
            return True

        return bool(self._run(take))

    def _take_postgresql(
        self, cursor: Any, key: str, limit: int, expiry: int, amount: int
    ) -> bool:
        """One slot on PostgreSQL in three statements (lock; prune, count and insert;
        commit) instead of six: every Calendly call waits for them.

        The key's advisory lock is taken in a statement of its own: each statement of a
        READ COMMITTED transaction sees what committed before it started, so the count,
        in the next statement, sees every slot taken by whoever held the lock before.
        The pruned rows (``at <= start``) and the counted ones (``at > start``) are
        disjoint, so pruning and counting can share a statement.

        The commit does not wait for the WAL to reach the disk (``synchronous_commit``
        off, for this transaction only): other sessions see the slot at once, as always;
        only a crash of the PostgreSQL server itself can lose the last few hundred
        milliseconds of slots, which then count a little less for at most one window.
        """
        bucket_id = self._bucket_ids.get(key)
        if bucket_id is None:
            bucket_id = self._bucket(cursor, "postgresql", RateLimitBucket._meta.db_table, key)
            self._bucket_ids[key] = bucket_id
        digest = hashlib.sha256(key.encode()).digest()[:8]
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s), set_config('synchronous_commit', 'off', true)",
            [int.from_bytes(digest, "big", signed=True)],
        )
        now = time.time()
        start = now - expiry
        entries = RateLimitEntry._meta.db_table
        cursor.execute(
            f"WITH pruned AS (DELETE FROM {entries} WHERE bucket_id = %s AND at <= %s), "  # noqa: S608
            f"counted AS (SELECT COUNT(*) AS n FROM {entries} WHERE bucket_id = %s AND at > %s) "
            f"INSERT INTO {entries} (bucket_id, at) "
            "SELECT %s, %s FROM counted, generate_series(1, %s) WHERE counted.n + %s <= %s "
            "RETURNING 1",
            [bucket_id, start, bucket_id, start, bucket_id, now, amount, amount, limit],
        )
        return len(cursor.fetchall()) == amount

    @staticmethod
    def _bucket(cursor: Any, vendor: str, table: str, key: str) -> int:
        """The id of ``key``'s bucket row, inserting it (race-free) when absent."""
        cursor.execute(f"SELECT id FROM {table} WHERE key = %s", [key])  # noqa: S608
        row = cursor.fetchone()
        if row is not None:
            return int(row[0])
        if vendor == "postgresql":
            cursor.execute(
                f"INSERT INTO {table} (key) VALUES (%s) ON CONFLICT (key) DO NOTHING",  # noqa: S608
                [key],
            )
        else:
            cursor.execute(f"INSERT INTO {table} (key) VALUES (%s)", [key])  # noqa: S608
        cursor.execute(f"SELECT id FROM {table} WHERE key = %s", [key])  # noqa: S608
        return int(cursor.fetchone()[0])

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        buckets = RateLimitBucket._meta.db_table
        entries = RateLimitEntry._meta.db_table

        def window(cursor: Any, vendor: str) -> tuple[float, int]:
            now = time.time()
            cursor.execute(
                f"SELECT MIN(e.at), COUNT(*) FROM {entries} e JOIN {buckets} b "  # noqa: S608
                "ON b.id = e.bucket_id WHERE b.key = %s AND e.at > %s",
                [key, now - expiry],
            )
            oldest, count = cursor.fetchone()
            return (now, 0) if not count else (float(oldest), int(count))

        result: tuple[float, int] = self._run(window)
        return result

    # -- the rest of the Storage interface ----------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        raise NotImplementedError("DatabaseStorage supports the moving window only.")

    def get(self, key: str) -> int:
        return self.get_moving_window(key, 0, 60)[1]

    def get_expiry(self, key: str) -> float:
        raise NotImplementedError("DatabaseStorage supports the moving window only.")

    def check(self) -> bool:
        try:
            self._run(lambda cursor, vendor: cursor.execute("SELECT 1"))
        except DatabaseError:
            return False
        return True

    def reset(self) -> int | None:
        self._bucket_ids.clear()
        count, _ = RateLimitEntry.objects.all().delete()
        RateLimitBucket.objects.all().delete()
        return count

    def clear(self, key: str) -> None:
        self._bucket_ids.pop(key, None)
        RateLimitBucket.objects.filter(key=key).delete()
