"""Real worker processes for the PostgreSQL recovery tests, kept alive like a supervisor
(systemd ``Restart=always``, a Procfile runner) keeps them: an exited process is started
again after ``restart_sec``. Logs go to files, so a chatty process never blocks on a pipe.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    """The test database (not the one the suite was pointed at), for the subprocesses."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER'] or 'postgres'}{password}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


def worker_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.webhooks.worker_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "example"), str(ROOT / "src")]),
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def db_worker(worker_id: str) -> list[str]:
    return [
        # --no-reload: with DEBUG on, db_worker would run under the autoreloader, whose
        # parent process is what a SIGKILL would hit, orphaning the real worker.
        sys.executable, "example/manage.py", "db_worker", "--no-startup-delay", "--no-reload",
        "--interval", "0.1", "--worker-id", worker_id,
    ]


def rq_worker(name: str) -> list[str]:
    return [sys.executable, "example/manage.py", "rqworker", "default", "--name", name,
            "--job-class", "django_tasks_rq.Job"]


def flushed_redis(url: str) -> Iterator[Any]:
    """A Redis client on ``url``'s database, emptied before and after (a test's own database
    number only); skips the test when Redis or django-tasks-rq is missing."""
    import pytest

    redis = pytest.importorskip("redis")
    pytest.importorskip("django_tasks_rq")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {url}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def recover_loop(every: float) -> list[str]:
    return [sys.executable, "example/manage.py", "calendly_webhooks", "recover",
            "--every", str(every)]


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (Linux /proc), children first found first."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


@dataclass
class Managed:
    name: str
    args: list[str]
    env: dict[str, str]
    log: IO[str]
    process: subprocess.Popen[str]
    starts: int = 1
    exits: list[int] = field(default_factory=list)


class Supervisor:
    """Starts processes and restarts any that exits, until ``stop()``."""

    def __init__(self, logdir: Path, restart_sec: float = 1.0) -> None:
        self.logdir = logdir
        self.restart_sec = restart_sec
        self.managed: dict[str, Managed] = {}
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _popen(self, args: list[str], env: dict[str, str], log: IO[str]) -> subprocess.Popen[str]:
        return subprocess.Popen(  # noqa: S603 - our own manage.py
            args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True,
        )

    def start(self, name: str, args: list[str], env: dict[str, str]) -> Managed:
        log = (self.logdir / f"{name}.log").open("a")
        with self._lock:
            managed = Managed(name, args, env, log, self._popen(args, env, log))
            self.managed[name] = managed
        return managed

    def kill(self, name: str) -> None:
        """SIGKILL to the process and its children (an RQ worker's work horse, which runs
        in a process group of its own), as on a lost machine; no restart: the test starts
        a replacement itself."""
        with self._lock:
            managed = self.managed.pop(name)
        for pid in [*_descendants(managed.process.pid), managed.process.pid]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        managed.process.wait(timeout=30)
        managed.log.close()

    def _watch(self) -> None:
        while not self._stop.wait(0.2):
            with self._lock:
                exited = [m for m in self.managed.values() if m.process.poll() is not None]
            for managed in exited:
                managed.exits.append(managed.process.returncode)
                if self._stop.wait(self.restart_sec):
                    return
                with self._lock:
                    if managed.name in self.managed:
                        managed.process = self._popen(managed.args, managed.env, managed.log)
                        managed.starts += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        for managed in self.managed.values():
            if managed.process.poll() is None:
                managed.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for managed in self.managed.values():
            try:
                managed.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                for pid in [*_descendants(managed.process.pid), managed.process.pid]:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                managed.process.wait(timeout=10)
            managed.log.close()

    def wait_until(
        self, done: Callable[[], bool], *, timeout: float = 120.0, every: float = 0.1
    ) -> float:
        """Seconds until ``done()`` holds; fails the test with the processes' logs after
        ``timeout`` (or as soon as ``done`` raises ``AssertionError``)."""
        started = time.monotonic()
        while True:
            try:
                if done():
                    return time.monotonic() - started
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{self.logs()}") from exc
            assert time.monotonic() - started < timeout, self.logs()
            time.sleep(every)

    def logs(self) -> str:
        paths = sorted(self.logdir.glob("*.log"))
        return "\n".join(f"== {path.name}\n{path.read_text()[-3000:]}" for path in paths)
