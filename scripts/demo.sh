#!/usr/bin/env bash
# The demo: installs into .venv, migrates a SQLite database, creates an admin login, starts
# the Calendly sandbox as upstream (unless CALENDLY_ACCESS_TOKEN is set), subscribes the
# demo's webhook receiver to it, and serves the example project on http://127.0.0.1:8000.
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
PY=.venv/bin/python
MANAGE="$PY example/manage.py"
DEMO_PORT="${DEMO_PORT:-8000}"
SANDBOX_PORT="${SANDBOX_PORT:-8001}"
mkdir -p .demo
export DEMO_SQLITE_PATH="${DEMO_SQLITE_PATH:-$ROOT/.demo/db.sqlite3}"

# Ctrl-C and SIGTERM stop the sandbox and the server at once: both run in the background
# and this script waits for them (bash runs a trap only between commands, so a foreground
# runserver would hold SIGTERM until it exits on its own).
sandbox_pid="" server_pid=""
cleanup() {
  trap - EXIT INT TERM
  for pid in $server_pid $sandbox_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $server_pid $sandbox_pid; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

if [ -z "${CALENDLY_ACCESS_TOKEN:-}" ]; then
  export CALENDLY_ACCESS_TOKEN="demo-sandbox-token"
  export CALENDLY_BASE_URL="http://127.0.0.1:$SANDBOX_PORT"
  export CALENDLY_AUTH_BASE_URL="$CALENDLY_BASE_URL"
  export CALENDLY_CLIENT_ID="demo-client-id" CALENDLY_CLIENT_SECRET="demo-client-secret"
  $PY -m django_calendly.sandbox --host 127.0.0.1 --port "$SANDBOX_PORT" --seed 200 \
    --token "$CALENDLY_ACCESS_TOKEN" --client-id "$CALENDLY_CLIENT_ID" \
    --client-secret "$CALENDLY_CLIENT_SECRET" > .demo/sandbox.log 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 1 50); do
    $PY - "$CALENDLY_BASE_URL" 2>/dev/null <<'PY' && break || sleep 0.2
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/_sandbox/stats", timeout=1)
PY
  done
  echo "Sandbox (fake Calendly) on $CALENDLY_BASE_URL, log in .demo/sandbox.log"
  # The same environment for `python example/manage.py ...` in another shell (manage.py
  # reads it for the variables that shell does not set). Sandbox values only: a real
  # token is never written to disk.
  ( umask 077
    printf '%s\n' "# written by scripts/demo.sh; read by example/manage.py" \
      "DEMO_SQLITE_PATH=$DEMO_SQLITE_PATH" "CALENDLY_ACCESS_TOKEN=$CALENDLY_ACCESS_TOKEN" \
      "CALENDLY_BASE_URL=$CALENDLY_BASE_URL" "CALENDLY_AUTH_BASE_URL=$CALENDLY_AUTH_BASE_URL" \
      "CALENDLY_CLIENT_ID=$CALENDLY_CLIENT_ID" "CALENDLY_CLIENT_SECRET=$CALENDLY_CLIENT_SECRET" \
      > .demo/env )
else
  rm -f .demo/env
fi

$MANAGE migrate --verbosity 0
password="$($PY -c 'import secrets; print(secrets.token_urlsafe(9))')"
$MANAGE shell -c "
from django.contrib.auth import get_user_model
User = get_user_model()
u, _ = User.objects.get_or_create(username='admin', defaults={'is_staff': True, 'is_superuser': True})
u.is_staff = u.is_superuser = True
u.set_password('$password'); u.save()
from rest_framework.authtoken.models import Token
Token.objects.filter(user=u).delete()
from pathlib import Path
Path('.demo/admin-token').write_text(Token.objects.create(user=u).key)
"
api_token="$(cat .demo/admin-token)"; rm -f .demo/admin-token
AUTH="Authorization: Token $api_token"
if [ -n "$sandbox_pid" ]; then
  $MANAGE calendly_webhooks ensure --url "http://127.0.0.1:$DEMO_PORT/modules/calendly/webhook/" \
    || echo "(webhook subscription not created; see the message above)"
fi
$MANAGE calendly_sync || echo "(the first pull sync failed; see the message above)"

B="http://127.0.0.1:$DEMO_PORT/modules/calendly"
org="$($PY -c 'import os
from django_calendly.client import CalendlyClient
with CalendlyClient(token=os.environ["CALENDLY_ACCESS_TOKEN"],
                    base_url=os.environ.get("CALENDLY_BASE_URL", "https://api.calendly.com")) as c:
    print(c.users.me()["current_organization"])' 2>/dev/null || echo ORGANIZATION_URI)"
cat <<TXT

Admin login:   admin / $password   (http://127.0.0.1:$DEMO_PORT/admin/)
API token:     $api_token   (DRF token authentication: fast; -u admin:PASSWORD works too
               but hashes the password on every request, ~0.3 s)
API docs:      $B/docs/   (redirects to the login page first)

Try:
  curl -H '$AUTH' $B/user/details/me/
  curl -H '$AUTH' "$B/scheduled/events/list/?organization=$org&count=5"
  curl -H '$AUTH' "$B/local/scheduled-events/?status=active"     # the local mirror, no upstream call
  curl -X POST ${CALENDLY_BASE_URL:-https://api.calendly.com}/_sandbox/book -H 'Content-Type: application/json' -d '{}'
      # a booking in the (sandbox) Calendly -> signed webhook -> mirror; see /admin/calendly/
  Pages: http://127.0.0.1:$DEMO_PORT/account/ (Connect Calendly, your upcoming meetings) and
         http://127.0.0.1:$DEMO_PORT/book/ (book a slot through the REST endpoints); log in as admin
  Connect your own Calendly account: log in at http://127.0.0.1:$DEMO_PORT/login/, then open
         http://127.0.0.1:$DEMO_PORT/account/ and click Connect Calendly
  From another shell: .venv/bin/python example/manage.py calendly_sync   (same database and sandbox)
TXT
$MANAGE runserver "127.0.0.1:$DEMO_PORT" --noreload &
server_pid=$!
wait "$server_pid"
