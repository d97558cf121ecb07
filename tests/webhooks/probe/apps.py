from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db import connection

#: Created by the test before the workers start (no migration: a test-only table).
PROBE_TABLE = "calendly_delivery_probe"


_processed = 0


def record_processing(sender: Any, event: Any, **kwargs: Any) -> None:
    global _processed
    _processed += 1
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PROBE_TABLE} (delivery_id, pid) VALUES (%s, %s)",  # noqa: S608
            [event.delivery_id, os.getpid()],
        )
    hold = os.environ.get("PROBE_HOLD_FILE")
    if hold and _processed == int(os.environ.get("PROBE_HOLD_AFTER", "1")):
        # This worker stops here, mid-transaction with the row locked, for the test to
        # kill it: "killed while busy", deterministically.
        Path(hold).write_text(str(event.delivery_id))
        time.sleep(float(os.environ.get("PROBE_HOLD_SECONDS", "3600")))
    time.sleep(float(os.environ.get("PROBE_SLEEP", "0")))


class ProbeConfig(AppConfig):
    name = "tests.webhooks.probe"
    label = "calendly_probe"

    def ready(self) -> None:
        from django_calendly import signals

        signals.webhook_received.connect(record_processing, dispatch_uid="calendly_probe")
