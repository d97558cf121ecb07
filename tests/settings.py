"""Test settings: the demo project's, with an in-memory SQLite unless DATABASE_URL is set."""

import os

from demo.settings import *  # noqa: F403

if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Each test gets a fresh in-memory budget (tests/conftest.py): the suite calls far more than
# Calendly's 500 a minute in all, through one sandbox token, and committed database rows
# would carry one test's calls into the next. tests/services/test_ratelimit.py tests the
# database and Redis storages themselves.
CALENDLY_RATE_LIMIT_STORAGE = "memory://"
