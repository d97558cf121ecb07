import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_migrations_match_the_models(tmp_path):
    # A separate process: pytest runs with --no-migrations, which hides the migration files.
    env = {
        **os.environ,
        "DEMO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "demo.settings",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "example/manage.py", "makemigrations", "calendly", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr



def _run_in_demo(script: str, tmp_path) -> subprocess.CompletedProcess[str]:
    """``script`` in a fresh interpreter on the demo project's settings, over a SQLite file
    of its own (never the test database); asserts it exited 0."""
    env = {
        **os.environ,
        "DEMO_SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "DJANGO_SETTINGS_MODULE": "demo.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "example"), str(ROOT / "src")]),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own fixed script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result

_BACKFILL = """
import json
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
# By name, not number: migrations are renumbered when branches merge.
disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
name = next(n for app, n in disk if app == "calendly" and n.endswith("_event_hosts"))
parent = next(n for app, n in disk[("calendly", name)].dependencies if app == "calendly")
call_command("migrate", "calendly", parent, verbosity=0)
data = {"event_memberships": [{"user": "https://api.calendly.com/users/A"},
                              {"user": "https://api.calendly.com/users/B"}]}
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO calendly_scheduledevent (uri, uuid, calendly_data, synced_at, organization,"
        " owner, event_type, name, status, invitees_total, invitees_active, invitees_signature)"
        " VALUES (%s, 'E1', %s, '2030-01-01', '', '', '', '', 'active', 0, 0, '')",
        ["https://api.calendly.com/scheduled_events/E1", json.dumps(data)],
    )
call_command("migrate", "calendly", name, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT hosts FROM calendly_scheduledevent")
    print(repr(cursor.fetchone()[0]))
"""


def test_the_hosts_migration_fills_existing_rows(tmp_path):
    result = _run_in_demo(_BACKFILL, tmp_path)
    assert result.stdout.strip().splitlines()[-1] == (
        "' https://api.calendly.com/users/A https://api.calendly.com/users/B '"
    )


_ACTORS = """
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
name = next(
    n for app, n in disk if app == "calendly" and n.endswith("_connection_webhook_and_sync_actor")
)
parent = next(n for app, n in disk[("calendly", name)].dependencies if app == "calendly")
call_command("migrate", "auth", verbosity=0)
call_command("migrate", "calendly", parent, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute(
        "INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name,"
        " email, is_staff, is_active, date_joined) VALUES (7, '', 0, 'u', '', '', '', 0, 1,"
        " '2030-01-01')"
    )
    cursor.execute(
        "INSERT INTO calendly_calendlyconnection (id, user_id, owner, organization,"
        " access_token, refresh_token, scope, expires_at, connected_at, last_error)"
        " VALUES (1, 7, 'o', '', 'x', 'x', '', '2030-01-01', '2030-01-01', '')"
    )
    cursor.execute(
        "INSERT INTO calendly_webhooksubscription (uri, callback_url, scope, organization,"
        " user, \\"group\\", events, state, signing_key, created_at, connection_id)"
        " VALUES ('https://api.calendly.com/webhook_subscriptions/W', 'https://x/', 'user',"
        " '', '', '', '[]', 'active', '', '2030-01-01', 1)"
    )
    cursor.execute(
        "INSERT INTO calendly_syncstate (scope, scope_uri, status, resume_token, counts,"
        " last_error) VALUES ('user', 'https://api.calendly.com/users/X', 'failed', 'tok',"
        " '{}', 'boom')"
    )
call_command("migrate", "calendly", name, verbosity=0)
with connection.cursor() as cursor:
    cursor.execute("SELECT connection_id, resume_token FROM calendly_syncstate")
    print(cursor.fetchall())
    cursor.execute("SELECT webhook_status FROM calendly_calendlyconnection")
    print(cursor.fetchall())
"""


def test_the_actor_migration_gives_existing_rows_to_the_app_token(tmp_path):
    """Existing sync states become the app token's (and keep their progress); connections
    that have a subscription are ``active``."""
    result = _run_in_demo(_ACTORS, tmp_path)
    assert result.stdout.strip().splitlines()[-2:] == ["[(None, 'tok')]", "[('active',)]"]
