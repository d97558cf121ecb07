"""Settings of the RQ worker processes in the recovery tests: the tests' settings, with the
django-tasks-rq backend on Redis (``RQ_URL``, a database number of the test's own) and the
probe app."""

import os

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_rq", "tests.webhooks.probe"]  # noqa: F405
RQ_QUEUES = {"default": {"URL": os.environ.get("RQ_URL", "redis://127.0.0.1:6379/7")}}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}  # its queues: RQ_QUEUES
