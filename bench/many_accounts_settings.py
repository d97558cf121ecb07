"""Settings of ``bench/many_accounts.py`` and of its RQ workers: the demo project's, on the
PostgreSQL database of ``DATABASE_URL``, with django-tasks-rq on ``BENCH_RQ_URL``.

``BENCH_RQ_TIMEOUT``: RQ's job timeout (RQ's own default, 180 s, would kill a sync paced at
500 calls a minute after ~1,500 calls: see docs/deployment.md).
"""

import os

from demo.settings import *  # noqa: F403

DEBUG = False  # with DEBUG on, Django keeps every query of a long-lived process in memory
INSTALLED_APPS = [*INSTALLED_APPS, "django_rq"]  # noqa: F405
RQ_QUEUES = {
    "default": {
        "URL": os.environ.get("BENCH_RQ_URL", "redis://127.0.0.1:6379/1"),
        "DEFAULT_TIMEOUT": int(os.environ.get("BENCH_RQ_TIMEOUT", "7200")),
    }
}
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django_calendly": {"handlers": ["console"], "level": "WARNING"}},
}
