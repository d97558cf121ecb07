"""Settings of the app, read when used (never at import time).

Each setting is looked up, in order, in the Django settings module (``CALENDLY_<NAME>``),
then in the environment variable of the same name, then falls back to its default. The
environment variables of the original module (``CALENDLY_BASE_URL``,
``CALENDLY_ACCESS_TOKEN``, ``CALENDLY_CLIENT_ID``, ``CALENDLY_CLIENT_SECRET``) keep working.
The table in the README lists every setting; ``SETTINGS`` below is its source of truth.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings as django_settings


def _str(value: Any) -> str:
    return str(value).strip()


def _float(value: Any) -> float:
    return float(value)


def _int(value: Any) -> int:
    return int(value)


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() in {"1", "true", "yes", "on"}


def _list(value: Any) -> list[str]:
    """A list setting: a Python list/tuple, or a comma-separated string (environment)."""
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _scopes(value: Any) -> tuple[str, ...]:
    """OAuth scope names: a list/tuple, or one string separated by spaces or commas."""
    if isinstance(value, list | tuple | set | frozenset):
        items = [str(v) for v in value]
    else:
        items = str(value).replace(",", " ").split()
    return tuple(sorted({item.strip() for item in items if item.strip()}))


APP_TOKEN_FALLBACKS = ("staff", "everyone", "never")


def _fallback(value: Any) -> str:
    """One of ``APP_TOKEN_FALLBACKS``; anything else is refused at first use, loudly,
    rather than read as the most permissive choice."""
    choice = str(value).strip().lower()
    if choice not in APP_TOKEN_FALLBACKS:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            f"CALENDLY_APP_TOKEN_FALLBACK must be one of {', '.join(APP_TOKEN_FALLBACKS)}; "
            f"got {value!r}."
        )
    return choice


ACTOR_SCOPES = ("user", "organization")


def _actor_scope(name: str) -> Callable[[Any], str]:
    """A parser of ``CALENDLY_<name>``: ``user`` or ``organization``; anything else is
    refused at first use, loudly, naming the setting."""

    def parse(value: Any) -> str:
        choice = str(value).strip().lower()
        if choice not in ACTOR_SCOPES:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"CALENDLY_{name} must be one of {', '.join(ACTOR_SCOPES)}; got {value!r}."
            )
        return choice

    return parse


@dataclass(frozen=True)
class Setting:
    default: Any
    parse: Callable[[Any], Any]
    doc: str
    env: bool = True  # may also come from the environment


SETTINGS: dict[str, Setting] = {
    "BASE_URL": Setting("https://api.calendly.com", _str, "Calendly REST API base URL."),
    "AUTH_BASE_URL": Setting(
        "https://auth.calendly.com", _str, "Calendly OAuth base URL (authorize, token)."
    ),
    "ACCESS_TOKEN": Setting("", _str, "Personal access token used by the REST endpoints."),
    "CLIENT_ID": Setting("", _str, "OAuth client id of your Calendly app."),
    "CLIENT_SECRET": Setting("", _str, "OAuth client secret of your Calendly app."),
    "OAUTH_REDIRECT_URI": Setting(
        "", _str, "OAuth redirect URI registered at Calendly (built from the request when empty)."
    ),
    "OAUTH_SCOPES": Setting(
        "",
        _scopes,
        "OAuth scopes Connect Calendly requests (space- or comma-separated); derived from "
        "the features in use when empty (docs/oauth.md).",
    ),
    "WEBHOOK_SIGNING_KEY": Setting(
        [], _list, "Accepted webhook signing keys (comma-separated in the environment)."
    ),
    "WEBHOOK_TOLERANCE": Setting(180, _int, "Accepted webhook timestamp skew, in seconds."),
    "WEBHOOK_MAX_BODY_BYTES": Setting(1024 * 1024, _int, "Largest accepted webhook body."),
    "WEBHOOK_INSECURE": Setting(
        False, _bool, "Accept unsigned webhooks. Local development only."
    ),
    "WEBHOOK_LEASE": Setting(
        60, _int, "Seconds a stored delivery may stay unfinished before it is enqueued again."
    ),
    "WEBHOOK_LEASE_MAX": Setting(
        3600, _int, "Longest lease after repeated re-takes (it doubles each time), seconds."
    ),
    "WEBHOOK_RECOVERY_INTERVAL": Setting(
        15, _float, "Least time between two recovery sweeps of one process, seconds."
    ),
    "WEBHOOK_RECOVERY_BATCH": Setting(
        100, _int, "Most deliveries one recovery sweep enqueues again."
    ),
    "TIMEOUT": Setting(10.0, _float, "Read timeout of Calendly API calls, in seconds."),
    "CONNECT_TIMEOUT": Setting(5.0, _float, "Connect timeout of Calendly API calls, in seconds."),
    "MAX_RETRIES": Setting(
        3, _int, "Retries of idempotent calls on faults and 429s (commands, tasks; the sync "
        "leaves 429s to its pacer)."
    ),
    "MAX_RETRY_WAIT": Setting(
        60.0, _float, "Total wait between retries, seconds (sync, commands, tasks)."
    ),
    "REQUEST_MAX_RETRIES": Setting(
        1, _int, "Retries of idempotent calls made while serving a web request."
    ),
    "REQUEST_MAX_RETRY_WAIT": Setting(
        5.0, _float, "Total wait between retries while serving a web request, seconds."
    ),
    "ENCRYPTION_KEYS": Setting(
        [],
        _list,
        "Fernet keys for secrets at rest, newest first; derived from SECRET_KEY when empty.",
    ),
    "READ_PERMISSION_CLASSES": Setting(
        ["rest_framework.permissions.IsAuthenticated"],
        _list,
        "DRF permission classes for read endpoints (dotted paths).",
        env=False,
    ),
    "WRITE_PERMISSION_CLASSES": Setting(
        ["rest_framework.permissions.IsAdminUser"],
        _list,
        "DRF permission classes for organization-wide actions (dotted paths).",
        env=False,
    ),
    "BOOKING_PERMISSION_CLASSES": Setting(
        ["rest_framework.permissions.IsAuthenticated"],
        _list,
        "DRF permission classes for booking (POST invitees/); AllowAny opens a public "
        "booking page (dotted paths).",
        env=False,
    ),
    "APP_TOKEN_FALLBACK": Setting(
        "staff",
        _fallback,
        "Who, without a Calendly connection of their own, acts with the app's token and "
        "sees the organization's data: staff, everyone or never.",
    ),
    "SYNC_DAYS_BACK": Setting(30, _int, "Pull sync window start, days before now."),
    "SYNC_DAYS_AHEAD": Setting(365, _int, "Pull sync window end, days after now."),
    "SYNC_CONCURRENCY": Setting(4, _int, "Concurrent invitee calls during a pull sync."),
    "CONNECTION_SYNC_SCOPE": Setting(
        "user",
        _actor_scope("CONNECTION_SYNC_SCOPE"),
        "What a connection's pull sync covers: user (its Calendly user), "
        "or organization for owner/admin connections.",
    ),
    "CONNECTION_WEBHOOK_SCOPE": Setting(
        "user",
        _actor_scope("CONNECTION_WEBHOOK_SCOPE"),
        "The webhook subscription made on connect: user scope, or "
        "organization for owner/admin connections.",
    ),
    "WEBHOOK_URL": Setting(
        "", _str, "Absolute URL of this app's webhook receiver; when set, each connection "
        "gets its own subscription (a task enqueued on connect, repaired by calendly_sync "
        "--all)."
    ),
    "DISCONNECT_PURGE": Setting(
        False, _bool, "On disconnect, delete the mirror rows only that connection saw."
    ),
    "ORGANIZATION": Setting(
        "", _str, "Organization URI the app works for (found from the token when empty)."
    ),
    "RATE_LIMIT_PER_MINUTE": Setting(
        500, _int, "Calendly requests per user per minute, shared by all processes (500 on "
        "paid plans, 50 on Free); 0 turns the shared limiter off."
    ),
    "RATE_LIMIT_STORAGE": Setting(
        "database", _str, "Where the shared per-user rate limit is counted: database, or a "
        "limits storage URI such as redis://127.0.0.1:6379/0."
    ),
    "IDEMPOTENCY_TTL": Setting(
        86400, _int, "Seconds an Idempotency-Key and its stored answer are kept (then purged)."
    ),
    "IDEMPOTENCY_WAIT": Setting(
        5.0, _float, "Seconds a retry waits for the first request with its key before a 409."
    ),
}


_UNSET = object()


class CalendlySettings:
    """Attribute access to the app's settings: ``calendly_settings.BASE_URL``."""

    def __getattr__(self, name: str) -> Any:
        try:
            spec = SETTINGS[name]
        except KeyError:
            raise AttributeError(f"unknown Calendly setting {name!r}") from None
        full = f"CALENDLY_{name}"
        value = getattr(django_settings, full, _UNSET)  # one lookup, not hasattr + getattr
        if value is _UNSET:
            if not spec.env:
                return spec.default
            value = os.environ.get(full, _UNSET)
            if value is _UNSET:
                return spec.default
        return spec.parse(value)


calendly_settings = CalendlySettings()
