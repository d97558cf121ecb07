"""The RQ setup the tenancy tests share: the django-tasks-rq backend on a Redis database
of the test's own, for this process (the live server's thread included) and for the
``rqworker`` processes, which reach the sandbox and the test database."""

from __future__ import annotations

from typing import Any

from ..webhooks.workers import worker_env


def use_rq(settings: Any, url: str) -> None:
    """Tasks enqueued here go to RQ on ``url`` (nothing runs in this process)."""
    settings.RQ_QUEUES = {"default": {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def rq_env(sb: Any, url: str, **extra: str) -> dict[str, str]:
    """The environment of an ``rqworker`` of tests/tenancy/worker_settings_rq.py acting
    against the sandbox ``sb`` (its app token and OAuth client) with queues on ``url``."""
    return worker_env(
        DJANGO_SETTINGS_MODULE="tests.tenancy.worker_settings_rq", RQ_URL=url,
        CALENDLY_BASE_URL=sb.url, CALENDLY_AUTH_BASE_URL=sb.auth_url,
        CALENDLY_ACCESS_TOKEN=sb.token, CALENDLY_CLIENT_ID=sb.oauth_client_id,
        CALENDLY_CLIENT_SECRET=sb.oauth_client_secret, CALENDLY_ORGANIZATION="",
        **extra,
    )
