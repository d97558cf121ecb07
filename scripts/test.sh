#!/usr/bin/env bash
# The test command: installs what it needs into .venv, then runs the fast suite on SQLite.
# Extra arguments go to pytest after the default marker filter, so `-q` or a path keeps it
# and a `-m` of your own replaces it (`bash scripts/test.sh -m ""` runs the slow tests too).
set -euo pipefail
source "$(dirname "$0")/bootstrap.sh"
exec .venv/bin/python -m pytest -n 2 -m "not slow and not postgres and not redis" "$@"
