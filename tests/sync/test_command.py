"""``manage.py calendly_sync``: output, flags and exit codes."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from django_calendly.models import ScheduledEvent, SyncState
from django_calendly.services.clients import close_clients

from .conftest import invitee_calls

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fresh_clients():
    close_clients()
    yield
    close_clients()


def sync(*args: str) -> str:
    out = io.StringIO()
    call_command("calendly_sync", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_sync_prints_a_summary(sandbox):
    output = sync("--since", "40", "--until", "400")
    assert "Sync of " + sandbox.organization_uri + " finished" in output
    assert "events 250 (250 written)" in output
    assert "API calls" in output and "rate-limit waits 0" in output
    assert ScheduledEvent.objects.count() == 250


def test_not_a_terminal_gives_plain_lines(sandbox, monkeypatch):
    from django_calendly.management.commands import calendly_sync

    monkeypatch.setattr(calendly_sync._LineReporter, "INTERVAL", 0.0)
    output = sync("--since", "40", "--until", "400")
    lines = output.strip().splitlines()
    assert any(line.startswith("[scheduled events]") for line in lines)
    assert "\x1b[" not in output.replace("\x1b[32;1m", "").replace("\x1b[0m", "")


def test_rich_progress_on_a_terminal(sandbox):
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    out = Tty()
    call_command("calendly_sync", "--since", "40", "--until", "400", stdout=out)
    text = out.getvalue()
    assert "events 250" in text and "API calls" in text
    assert "finished" in text


def test_dry_run_writes_nothing(sandbox):
    output = sync("--dry-run", "--since", "40", "--until", "400")
    assert "Dry run of " in output
    assert ScheduledEvent.objects.count() == 0
    assert invitee_calls(sandbox) == 0


def test_user_scope_and_iso_bounds(sandbox):
    output = sync("--user", sandbox.user_uri, "--since", "2000-01-01", "--until", "2100-01-01")
    assert "finished" in output
    state = SyncState.objects.get()
    assert (state.scope, state.scope_uri) == ("user", sandbox.user_uri)
    assert state.window_start.year == 2000


def test_second_run_is_incremental(sandbox):
    sync("--since", "40", "--until", "400")
    sandbox.reset_stats()
    output = sync("--since", "40", "--until", "400")
    assert "invitee calls for 0 events" in output
    assert invitee_calls(sandbox) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last tuesday"], "neither an ISO-8601"),
        (["--since", "2030-01-02", "--until", "2030-01-01"], "--until must be after --since"),
        (["--concurrency", "0"], "at least 1"),
    ],
)
def test_bad_arguments(sandbox, args, message):
    with pytest.raises(CommandError, match=message):
        sync(*args)


def test_failure_is_a_clear_command_error(sandbox):
    sandbox.configure(error_rate=1.0)
    with pytest.raises(CommandError, match=r"failed: 50[023] .*next run resumes"):
        sync("--since", "40", "--until", "400")
    assert SyncState.objects.get().status == SyncState.Status.FAILED


def test_not_configured(settings):
    settings.CALENDLY_ACCESS_TOKEN = ""
    with pytest.raises(CommandError, match="CALENDLY_ACCESS_TOKEN"):
        sync()


def test_default_scope_is_the_tokens_organization(sandbox, settings):
    del settings.CALENDLY_ORGANIZATION
    output = sync("--since", "40", "--until", "400")
    assert sandbox.organization_uri in output


@pytest.mark.slow
def test_exit_status_of_the_real_command(sandbox, tmp_path):
    """Through manage.py: 0 on success, non-zero with the message on stderr on failure."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "DEMO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "CALENDLY_BASE_URL": sandbox.url,
        "CALENDLY_ACCESS_TOKEN": sandbox.token,
    }
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, "example/manage.py"]
    subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "migrate", "-v0", "--run-syncdb"], cwd=ROOT, env=env, check=True,
        timeout=120,
    )
    ok = subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "calendly_sync", "--since", "40", "--until", "400"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "finished" in ok.stdout
    sandbox.configure(error_rate=1.0)
    bad = subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "calendly_sync", "--full"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert bad.returncode != 0
    assert "CommandError" in bad.stderr or "failed" in bad.stderr
