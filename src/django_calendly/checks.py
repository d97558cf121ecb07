"""System checks: misconfiguration is reported with stable ids and hints, never at import."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .conf import calendly_settings


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


@register(Tags.compatibility)
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    messages: list[Any] = []
    for name in ("BASE_URL", "AUTH_BASE_URL", "OAUTH_REDIRECT_URI"):
        try:
            value = getattr(calendly_settings, name)
        except (TypeError, ValueError) as exc:
            value = ""
            messages.append(Error(f"CALENDLY_{name} is invalid: {exc}", id="calendly.E001"))
        if value and not _is_http_url(value):
            messages.append(
                Error(
                    f"CALENDLY_{name} must be an http(s) URL, got {value!r}.",
                    hint="Use https://api.calendly.com (or the sandbox URL in development).",
                    id="calendly.E001",
                )
            )
    try:
        calendly_settings.APP_TOKEN_FALLBACK  # noqa: B018 - parsing is the check
    except ImproperlyConfigured as exc:
        messages.append(
            Error(
                str(exc),
                hint="staff (the default): only staff act with the app's token; everyone; "
                "or never (users need their own Calendly connection).",
                id="calendly.E010",
            )
        )
    for name in ("TIMEOUT", "CONNECT_TIMEOUT", "MAX_RETRIES", "MAX_RETRY_WAIT",
                 "REQUEST_MAX_RETRIES", "REQUEST_MAX_RETRY_WAIT",
                 "WEBHOOK_TOLERANCE", "WEBHOOK_MAX_BODY_BYTES", "SYNC_CONCURRENCY",
                 "SYNC_DAYS_BACK", "SYNC_DAYS_AHEAD", "IDEMPOTENCY_TTL", "IDEMPOTENCY_WAIT"):
        try:
            number = getattr(calendly_settings, name)
        except (TypeError, ValueError):
            messages.append(
                Error(f"CALENDLY_{name} must be a number.", id="calendly.E002")
            )
            continue
        if number < 0:
            messages.append(
                Error(f"CALENDLY_{name} must not be negative.", id="calendly.E002")
            )
    if not calendly_settings.ACCESS_TOKEN:
        messages.append(
            Warning(
                "CALENDLY_ACCESS_TOKEN is not set: the REST endpoints and the sync cannot "
                "call Calendly.",
                hint="Create a personal access token in Calendly (Integrations > API & "
                "Webhooks) and set CALENDLY_ACCESS_TOKEN, or run the sandbox in development.",
                id="calendly.W001",
            )
        )
    if calendly_settings.WEBHOOK_INSECURE:
        messages.append(
            Warning(
                "CALENDLY_WEBHOOK_INSECURE is on: webhook signatures are not verified.",
                hint="Only for local development. Set CALENDLY_WEBHOOK_SIGNING_KEY instead.",
                id="calendly.W002",
            )
        )
    if calendly_settings.CLIENT_ID and not calendly_settings.CLIENT_SECRET:
        messages.append(
            Error(
                "CALENDLY_CLIENT_ID is set but CALENDLY_CLIENT_SECRET is not.",
                hint="Copy the client secret from your Calendly OAuth app.",
                id="calendly.E003",
            )
        )
    for name in ("READ_PERMISSION_CLASSES", "WRITE_PERMISSION_CLASSES"):
        for dotted in getattr(calendly_settings, name):
            try:
                import_string(dotted)
            except ImportError:
                messages.append(
                    Error(
                        f"CALENDLY_{name} names {dotted!r}, which cannot be imported.",
                        hint="Give dotted paths of DRF permission classes.",
                        id="calendly.E004",
                    )
                )
    for key in calendly_settings.ENCRYPTION_KEYS:
        try:
            from cryptography.fernet import Fernet

            Fernet(key.encode("ascii"))
        except (ValueError, TypeError):
            messages.append(
                Error(
                    "CALENDLY_ENCRYPTION_KEYS holds a value that is not a Fernet key.",
                    hint="Generate one with: python -c \"from cryptography.fernet import "
                    "Fernet; print(Fernet.generate_key().decode())\"",
                    id="calendly.E005",
                )
            )
    messages.extend(_check_oauth_scopes())
    return messages


def _check_oauth_scopes() -> list[Any]:
    """``CALENDLY_OAUTH_SCOPES`` against what the app calls (only when OAuth is set up:
    a personal access token's scopes are chosen in Calendly, not here)."""
    if not calendly_settings.CLIENT_ID:
        return []
    from .client.operations import missing_scopes
    from .scopes import needed_scopes, requested_scopes, unknown_scopes

    messages: list[Any] = []
    requested = requested_scopes()
    unknown = unknown_scopes(requested)
    if unknown:
        messages.append(
            Error(
                f"CALENDLY_OAUTH_SCOPES names scopes Calendly does not define: "
                f"{', '.join(unknown)}.",
                hint="Use Calendly's scope names, e.g. scheduled_events:read (see "
                "docs/oauth.md), or leave the setting empty for the derived default.",
                id="calendly.E006",
            )
        )
    lacking = {
        feature: missing
        for feature, needed in needed_scopes().items()
        if (missing := missing_scopes(requested, needed))
    }
    if lacking:
        names = sorted({scope for missing in lacking.values() for scope in missing})
        features = ", ".join(
            f"{feature} ({' '.join(missing)})" for feature, missing in sorted(lacking.items())
        )
        messages.append(
            Warning(
                "CALENDLY_OAUTH_SCOPES does not request scopes that features in use need: "
                f"{features}. Calls needing them answer 403 insufficient_scope for "
                "connected users.",
                hint=f"Add {' '.join(names)} to CALENDLY_OAUTH_SCOPES (or leave it empty "
                "for the derived default), and enable them on your Calendly OAuth app.",
                id="calendly.W003",
            )
        )
    return messages


@register(Tags.urls)
def check_mount(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """Mounted at ``""``, the app's catch-all answers paths under its own first segments:
    a host route after the include that starts with one of them would never be reached."""
    from django.urls import get_resolver

    from .urls import urlpatterns

    catch_all = urlpatterns[-1].pattern
    shadowed = catch_all.shadowed(get_resolver().url_patterns)
    if not shadowed:
        return []
    return [
        Warning(
            "django_calendly.urls is included at the root before routes that start with one "
            f"of its own path segments: {', '.join(shadowed[:10])}. The app's JSON 404 "
            "answers them first.",
            hint='Move those routes before the include, or mount the app under a prefix of '
            'its own: path("modules/calendly/", include("django_calendly.urls")).',
            id="calendly.W004",
        )
    ]
