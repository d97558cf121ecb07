"""The sandbox in a child process: ``with SandboxProcess(seed=10_000) as sb: sb.url``.

An in-process sandbox shares the GIL with the code under test, which skews timings; the
benchmarks (and anyone measuring their own code) run it in its own interpreter instead.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class SandboxProcess:
    """``python -m django_calendly.sandbox`` on a free loopback port, stopped on exit.

    ``options`` are the command's flags without their dashes (``latency=0.02``,
    ``rate_limit=500``, ``random_seed=1``...).
    """

    def __init__(
        self,
        *,
        token: str = "sandbox-process-token",  # noqa: S107 - a fake server's token
        seed: int = 50,
        host: str = "127.0.0.1",
        port: int | None = None,
        start_timeout: float = 300.0,
        **options: Any,
    ) -> None:
        self.token = token
        self.host = host
        self.port = port or free_port(host)
        self.url = f"http://{host}:{self.port}"
        args = [
            sys.executable, "-m", "django_calendly.sandbox", "--host", host,
            "--port", str(self.port), "--seed", str(seed), "--token", token,
        ]
        for name, value in options.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        source = str(Path(__file__).resolve().parents[2])  # importable from a checkout too
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            [source, *filter(None, [os.environ.get("PYTHONPATH")])]
        )}
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        self._wait_ready(start_timeout)

    def _get(self, path: str, timeout: float = 5.0) -> Any:
        # No proxy from the environment: the sandbox is on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(self.url + path, timeout=timeout) as response:
            return json.loads(response.read())

    def info(self) -> dict[str, Any]:
        """URL, token, organization and user URIs, OAuth client, default signing key."""
        return dict(self._get("/_sandbox/info"))

    def stats(self) -> dict[str, Any]:
        return dict(self._get("/_sandbox/stats"))

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = self.process.stderr.read().decode() if self.process.stderr else ""
                raise RuntimeError(f"the sandbox exited: {err.strip()}")
            try:
                self._get("/_sandbox/info", timeout=1)
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the sandbox did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def __enter__(self) -> SandboxProcess:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
