"""What the benchmarks share: waiting for a service, stopping a process, percentiles, and
the demo project served by gunicorn next to a hello-world gunicorn (the machine's
baseline round trip), each in a temporary directory of its own.

Used by ``proxy_overhead.py`` and ``booking.py``; the scripts import it as ``_common``
(``bench/`` is the script's directory, so it is on ``sys.path``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent

#: The demo's settings with a fast password hasher: HTTP Basic verifies the password on
#: every request, and PBKDF2 alone costs hundreds of milliseconds.
FAST_HASHER_SETTINGS = (
    "from demo.settings import *  # noqa: F403\n"
    'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n'
)
HELLO_WSGI = (
    "def application(environ, start_response):\n"
    "    start_response('200 OK', [('Content-Type', 'application/json'),"
    " ('Content-Length', '2')])\n"
    "    return [b'{}']\n"
)


def wait_until(check: Callable[[], Any], what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:  # not up yet
            last = exc
        time.sleep(0.1)
    raise SystemExit(f"{what} did not come up in {timeout:.0f} s ({last})")


def listening(port: int) -> Callable[[], bool]:
    def check() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    return check


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def stop(process: subprocess.Popen[Any] | None) -> None:
    """SIGTERM, then SIGKILL after 10 s."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def demo_env(tmp: Path, settings_module: str, token: str) -> dict[str, str]:
    """The environment of the demo project on a SQLite file in ``tmp`` (``DATABASE_URL``
    left out), acting with the sandbox token ``token``; ``tmp`` is importable (the settings
    and WSGI modules written there)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp), str(ROOT / "example"), str(ROOT / "src")]),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DJANGO_DEBUG": "0",
        "DEMO_SQLITE_PATH": str(tmp / "db.sqlite3"),
        "CALENDLY_ACCESS_TOKEN": token,
    }
    env.pop("DATABASE_URL", None)
    return env


def migrate_with_user(env: dict[str, str], username: str, password: str) -> None:
    """Migrate the demo's database and create one staff user (only staff may act with the
    app's token by default: who sees what)."""
    manage = [sys.executable, str(ROOT / "example" / "manage.py")]
    subprocess.run([*manage, "migrate", "-v", "0"], env=env, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "shell", "-c",
         "from django.contrib.auth.models import User; "
         f"User.objects.create_user({username!r}, password={password!r}, is_staff=True)"],
        env=env, check=True,
    )


@dataclass
class Served:
    """The demo project and the hello-world app, each on a gunicorn of its own."""

    web_url: str
    hello_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)


@contextmanager
def gunicorn_pair(
    env: dict[str, str], tmp: Path, worker_args: list[str], wsgi_app: str = "demo.wsgi"
) -> Iterator[Served]:
    """``wsgi_app`` (the demo project, from ``example/``) and a hello-world WSGI app
    (written to ``tmp``) on two gunicorns with the same ``worker_args``, on free loopback
    ports; both stopped on exit."""
    from django_calendly.sandbox import free_port

    (tmp / "bench_hello_wsgi.py").write_text(HELLO_WSGI)
    web_port, hello_port = free_port(), free_port()
    served = Served(f"http://127.0.0.1:{web_port}", f"http://127.0.0.1:{hello_port}")
    try:
        for app, chdir, port in (
            (wsgi_app, ROOT / "example", web_port),
            ("bench_hello_wsgi", tmp, hello_port),
        ):
            served.processes.append(subprocess.Popen(  # noqa: S603 - our own gunicorn
                # No control socket: its default path is one per machine, so a second
                # gunicorn (the pair's other one, another run's) would find it taken.
                [str(VENV_BIN / "gunicorn"), app, *worker_args, "--no-control-socket",
                 "--chdir", str(chdir), "-b", f"127.0.0.1:{port}"],
                env=env,
            ))
        wait_until(listening(web_port), "gunicorn")
        wait_until(listening(hello_port), "the hello-world gunicorn")
        yield served
    finally:
        for process in served.processes:
            stop(process)
