"""Settings of the worker processes in the recovery tests: the tests' settings, with the
django-tasks-db backend and the probe app (a row per processing of a delivery)."""

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.webhooks.probe"]  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
