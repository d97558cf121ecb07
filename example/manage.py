#!/usr/bin/env python
import os
import sys
from pathlib import Path


def load_demo_env() -> None:
    """The environment scripts/demo.sh runs with (sandbox URL, token, OAuth client), from
    .demo/env, for variables this shell does not set: a second shell's manage.py then
    talks to the same sandbox as the running demo."""
    env = Path(__file__).resolve().parent.parent / ".demo" / "env"
    if not env.is_file():
        return
    for line in env.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() and not name.lstrip().startswith("#"):
            os.environ.setdefault(name.strip(), value.strip())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    load_demo_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demo.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
