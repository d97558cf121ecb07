"""Settings of the RQ worker processes of the tenancy tests: the tests' settings with the
django-tasks-rq backend on Redis (``RQ_URL``: the test's own database number) and, when
``RATE_LIMIT_URL`` is set, the shared per-user rate limit counted there too (as in
production, where every process takes from one budget per Calendly user)."""

import os

from tests.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
RQ_QUEUES = {"default": {"URL": os.environ.get("RQ_URL", "redis://127.0.0.1:6379/9")}}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}  # its queues: RQ_QUEUES
CALENDLY_RATE_LIMIT_STORAGE = os.environ.get(
    "RATE_LIMIT_URL", CALENDLY_RATE_LIMIT_STORAGE  # noqa: F405
)
