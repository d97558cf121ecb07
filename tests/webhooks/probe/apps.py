from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db import connection

#: Created by the test before the workers start (no migration: a test-only table).
PROBE_TABLE = "calendly_delivery_probe"


def record_processing(sender: Any, event: Any, **kwargs: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROBE_TABLE} (delivery_id, pid) VALUES (%s, %s)",  # noqa: S608
            [event.delivery_id, os.getpid()],
        )
    hold = os.environ.get("PROBE_HOLD_FILE")
    if hold and _count(Path(hold + ".count")) == int(os.environ.get("PROBE_HOLD_AFTER", "1")):
        # This worker stops here, mid-transaction with the row locked, for the test to
        # kill it: "killed while busy", deterministically.
        Path(hold).write_text(str(event.delivery_id))
        time.sleep(float(os.environ.get("PROBE_HOLD_SECONDS", "3600")))
    time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))


def _count(path: Path) -> int:
    """This worker's processings so far, in a file: an RQ worker forks a process per job."""
    with path.open("a") as counter:
        counter.write("x")
    return path.stat().st_size


class ProbeConfig(AppConfig):
    name = "tests.webhooks.probe"
    label = "calendly_probe"

    def ready(self) -> None:
        from django_calendly import signals

        signals.webhook_received.connect(record_processing, dispatch_uid="calendly_probe")
