"""Sync and other tasks on a real worker: django-tasks-db's ``db_worker`` on PostgreSQL.

Two worker processes drain one queue; every task runs exactly once (``db_worker`` claims a
row with ``SELECT ... FOR UPDATE SKIP LOCKED``), and a sync task fills the mirror from the
sandbox like the command does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from django_calendly.models import ScheduledEvent
from django_calendly.sync.tasks import sync_scope_task

from .worker_tasks import PROBE_TABLE, record_run

ROOT = Path(__file__).resolve().parents[2]
N_TASKS = 40

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.slow,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs DATABASE_URL=postgres://...",
    ),
    pytest.mark.django_db(transaction=True),
]


def worker_env(sandbox) -> dict[str, str]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}"
        f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,  # the test database, not the one the suite was pointed at
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DEMO_TASKS_BACKEND": "db",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example"), str(ROOT / "src")]),
        "CALENDLY_BASE_URL": sandbox.url,
        "CALENDLY_ACCESS_TOKEN": sandbox.token,
        "CALENDLY_ORGANIZATION": sandbox.organization_uri,
    }
    return env


def test_two_db_workers_run_every_task_exactly_once(sandbox, settings, window):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {PROBE_TABLE} (n integer PRIMARY KEY, pid integer)")
    try:
        results = [record_run.enqueue(n) for n in range(N_TASKS)]
        sync = sync_scope_task.enqueue(
            organization=sandbox.organization_uri,
            since=window[0].isoformat(),
            until=window[1].isoformat(),
        )
        assert DBTaskResult.objects.count() == N_TASKS + 1

        workers = [
            subprocess.Popen(  # noqa: S603 - our own manage.py
                [
                    sys.executable, "example/manage.py", "db_worker", "--batch",
                    "--no-startup-delay", "--interval", "0.05", "--worker-id", f"w{i}",
                ],
                cwd=ROOT, env=worker_env(sandbox),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )
            for i in (1, 2)
        ]
        logs = []
        for worker in workers:
            out, _ = worker.communicate(timeout=180)
            logs.append(out)
            assert worker.returncode == 0, out

        rows = DBTaskResult.objects.all()
        assert {r.status for r in rows} == {"SUCCESSFUL"}, "\n".join(logs)
        assert all(len(r.worker_ids) == 1 for r in rows)  # claimed once, never re-run
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT n, pid FROM {PROBE_TABLE} ORDER BY n")  # noqa: S608
            probe = cursor.fetchall()
        assert [n for n, _ in probe] == list(range(N_TASKS))
        assert len({pid for _, pid in probe}) == 2, "both workers took tasks"
        for result in results:
            result.refresh()
            assert result.status == "SUCCESSFUL"
        sync.refresh()
        assert sync.return_value["events"] == 250
        assert ScheduledEvent.objects.count() == 250
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {PROBE_TABLE}")
