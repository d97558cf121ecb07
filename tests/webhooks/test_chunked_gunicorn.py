"""Over real HTTP: a chunked webhook body (no Content-Length) through gunicorn, which
decodes it and sets ``wsgi.input_terminated``; accepted up to the size limit, 413 beyond."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from django_calendly.client.signatures import SIGNATURE_HEADER, sign

from . import payloads as p

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
KEY = "gunicorn-chunked-key"
LIMIT = 4096


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "demo.sqlite3"
    env = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'example'}",
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DEMO_SQLITE_PATH": str(db),
        "DJANGO_DEBUG": "0",
        "CALENDLY_WEBHOOK_SIGNING_KEY": KEY,
        "CALENDLY_WEBHOOK_MAX_BODY_BYTES": str(LIMIT),
        "CALENDLY_ORGANIZATION": p.ORG,
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "example" / "manage.py"), "migrate", "-v", "0"],
        env=env, check=True, timeout=120,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "demo.wsgi", "-b", "127.0.0.1:0", "-w", "1",
         "--log-level", "info"],
        env=env, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 30
        url = ""
        while time.monotonic() < deadline and not url:
            line = proc.stderr.readline()
            found = re.search(r"Listening at: (http://\S+)", line)
            url = found.group(1) if found else ""
        assert url, "gunicorn did not start"
        yield url, db
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _chunks(body: bytes, size: int = 300) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start:start + size]


def _post_chunked(url: str, body: bytes) -> httpx.Response:
    headers = {SIGNATURE_HEADER: sign(body, KEY), "Content-Type": "application/json"}
    request = httpx.Request("POST", f"{url}/modules/calendly/webhook/", headers=headers,
                            content=_chunks(body))
    assert "content-length" not in request.headers
    assert request.headers["transfer-encoding"] == "chunked"
    with httpx.Client(timeout=20) as client:
        return client.send(request)


def test_chunked_delivery_is_accepted_then_over_limit_is_413(
    server: tuple[str, Path],
) -> None:
    url, db = server
    body = json.dumps({"event": "invitee.created", "created_at": "2026-01-01T10:00:00Z",
                       "created_by": p.HOST, "payload": p.invitee("EV1", "IN1")}).encode()
    assert len(body) < LIMIT
    response = _post_chunked(url, body)
    assert response.status_code == 202, response.text
    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT body FROM calendly_webhookdelivery").fetchall()
    assert stored == [(body.decode(),)]

    big = json.dumps({"event": "invitee.created", "created_at": "2026-01-02T10:00:00Z",
                      "created_by": p.HOST,
                      "payload": {**p.invitee("EV1", "IN2"), "pad": "x" * LIMIT}}).encode()
    response = _post_chunked(url, big)
    assert response.status_code == 413, response.text
    assert response.json()["code"] == "too_large"
