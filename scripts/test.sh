#!/usr/bin/env bash
# The test command: installs what it needs into .venv, then runs the fast suite on SQLite.
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -m ""` runs the slow tests too).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
if [ "$#" -eq 0 ]; then
  set -- -m "not slow and not postgres"
fi
exec .venv/bin/python -m pytest -n 2 "$@"
