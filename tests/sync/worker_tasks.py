"""Tasks used by the worker test (imported by the db_worker processes by module path)."""

from __future__ import annotations

import os
import time

from django.db import connection

from django_calendly.tasks import task

PROBE_TABLE = "calendly_worker_probe"


@task()
def record_run(n: int) -> int:
    """Insert row ``n``; a second run of the same task would violate the primary key."""
    time.sleep(0.02)  # long enough for the two workers to interleave
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROBE_TABLE} (n, pid) VALUES (%s, %s)",  # noqa: S608 - constant
            [n, os.getpid()],
        )
    return os.getpid()
