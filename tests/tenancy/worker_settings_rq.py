"""Settings of the RQ worker processes of the tenancy test: the tests' settings with the
django-tasks-rq backend on Redis (``RQ_URL``: the test's own database number)."""

import os

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
RQ_QUEUES = {"default": {"URL": os.environ.get("RQ_URL", "redis://127.0.0.1:6379/9")}}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}  # its queues: RQ_QUEUES
