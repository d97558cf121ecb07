"""Webhook subscriptions at Calendly: list, ensure exactly one per URL, record, delete."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ...client.operations import (
    WEBHOOK_EVENT_SCOPES,
    WEBHOOK_EVENT_SUBSCRIPTION_SCOPES,
    missing_scopes,
    parse_scopes,
    scope_granted,
)
from ...conf import calendly_settings
from ...models import WebhookSubscription
from ..mirror import last_segment
from .keys import invalidate_signing_keys

logger = logging.getLogger("django_calendly.webhooks")

Json = dict[str, Any]

#: Events a new subscription asks for when ``--events`` is not given.
DEFAULT_EVENTS = [
    "invitee.created",
    "invitee.canceled",
    "invitee_no_show.created",
    "invitee_no_show.deleted",
]


class WebhooksNotAllowed(Exception):
    """Calendly refused to manage webhook subscriptions for this account (plan or role)."""


class MissingWebhookScopes(WebhooksNotAllowed):
    """The token lacks the read scope some requested events need (REFERENCE.md section 6).

    ``missing`` maps each missing scope to the requested events that need it.
    """

    def __init__(self, missing: dict[str, list[str]], *, refused_by_calendly: bool) -> None:
        self.missing = missing
        needs = "; ".join(
            f"{scope} (for {', '.join(events)})" if events else scope
            for scope, events in sorted(missing.items())
        )
        who = "Calendly refused the subscription" if refused_by_calendly else "Not subscribing"
        super().__init__(
            f"{who}: the token lacks {needs}. Connect Calendly again granting "
            "these scopes, or leave those events out (--events)."
        )


class InvalidSubscription(ValueError):
    """Events Calendly would refuse: unknown names, or a subscription scope they do not
    allow (routing_form_submission.* organization only, meeting_recap.* user only)."""


def _check_events(events: Sequence[str], scope: str) -> None:
    unknown = [e for e in events if e not in WEBHOOK_EVENT_SCOPES]
    if unknown:
        raise InvalidSubscription(
            f"Unknown webhook event(s): {', '.join(unknown)}. Calendly sends: "
            f"{', '.join(WEBHOOK_EVENT_SCOPES)}."
        )
    wrong = [e for e in events if scope not in WEBHOOK_EVENT_SUBSCRIPTION_SCOPES[e]]
    if wrong:
        allowed = "; ".join(
            f"{e} only at {' or '.join(WEBHOOK_EVENT_SUBSCRIPTION_SCOPES[e])} scope"
            for e in wrong
        )
        raise InvalidSubscription(
            f"Calendly does not allow these events at {scope} scope: {allowed}. Subscribe "
            "them separately with the --scope they allow."
        )


def _events_needing(scopes: Iterable[str], events: Sequence[str]) -> dict[str, list[str]]:
    """Each scope in ``scopes`` with the requested events whose read scope it covers."""
    return {
        scope: [e for e in events if scope_granted([scope], WEBHOOK_EVENT_SCOPES[e])]
        for scope in scopes
    }


@dataclass(frozen=True)
class EnsureResult:
    subscription: WebhookSubscription
    created: bool
    deleted: list[str]


def _client(client: Any = None) -> Any:
    if client is not None:
        return client
    from ..clients import get_client

    return get_client(background=True)


def _organization_and_user(client: Any) -> tuple[str, str]:
    me = client.users.me()
    organization = str(calendly_settings.ORGANIZATION or me.get("current_organization") or "")
    return organization, str(me.get("uri") or "")


def _not_allowed(exc: Exception, events: Sequence[str] = ()) -> WebhooksNotAllowed:
    from ...client import errors

    if isinstance(exc, errors.InsufficientScope) and exc.required_scopes:
        return MissingWebhookScopes(
            _events_needing(exc.required_scopes, events), refused_by_calendly=True
        )
    detail = getattr(exc, "message", "") or str(exc)
    return WebhooksNotAllowed(
        f"Calendly refused to manage webhook subscriptions (403: {detail}). Webhooks need a "
        "paid Calendly plan (Standard, Teams or Enterprise); organization scope also needs "
        "an owner or admin role (try --scope user) and a token with webhooks:write."
    )


def list_subscriptions(
    *, client: Any = None, scopes: Sequence[str] = ("organization", "user")
) -> list[dict[str, Any]]:
    """Calendly's subscriptions for the organization (and the token's user), each with
    ``has_key``: whether this app holds its signing key."""
    client = _client(client)
    organization, user = _organization_and_user(client)
    return _list_subscriptions(client, organization, user, scopes)


def _list_subscriptions(
    client: Any, organization: str, user: str, scopes: Sequence[str] = ("organization", "user")
) -> list[dict[str, Any]]:
    """``list_subscriptions`` for an organization and user already known (one /users/me)."""
    from ...client import errors

    local = set(WebhookSubscription.objects.exclude(signing_key="").values_list("uri", flat=True))
    found: dict[str, dict[str, Any]] = {}
    for scope in scopes:
        params: dict[str, Any] = {"organization": organization, "scope": scope}
        if scope == "user":
            params["user"] = user
        try:
            for item in client.webhooks.iter(**params):
                found[item["uri"]] = {**item, "has_key": item["uri"] in local}
        except errors.PermissionDenied as exc:
            if scope == "organization":  # a plain member: user scope only
                logger.info("Cannot list organization-scope webhooks: %s", exc)
                continue
            raise _not_allowed(exc) from exc
    return list(found.values())


def ensure_subscription(
    url: str,
    *,
    scope: str = "organization",
    events: Sequence[str] | None = None,
    client: Any = None,
    granted_scopes: str | Iterable[str] | None = None,
    connection: Any = None,
) -> EnsureResult:
    """Make exactly one active subscription deliver ``events`` to ``url``.

    Reuses a matching subscription whose signing key this app holds; deletes the others
    delivering to ``url`` (Calendly refuses a second one for the same URL anyway, and two
    would double every delivery); otherwise creates one with a fresh random signing key,
    stored encrypted in ``WebhookSubscription``.

    Events Calendly would refuse are refused first (``InvalidSubscription``). When the
    token's scopes are known (``granted_scopes``: an OAuth connection's granted ``scope``),
    events whose read scope is missing are refused before any call
    (``MissingWebhookScopes``, naming the scopes and the events needing them); the same
    error reports Calendly's own "Insufficient scope" refusal.

    ``connection``: the ``CalendlyConnection`` whose token ``client`` acts with; the
    subscription is recorded as its own, so its deliveries are attributed to it.
    """
    from ...client import errors

    if scope not in {"organization", "user"}:
        raise InvalidSubscription("scope must be 'organization' or 'user'.")
    wanted = sorted(set(events or DEFAULT_EVENTS))
    _check_events(wanted, scope)
    if granted_scopes is not None:
        granted = parse_scopes(granted_scopes)
        lacking = missing_scopes(granted, [WEBHOOK_EVENT_SCOPES[e] for e in wanted])
        if lacking:
            raise MissingWebhookScopes(
                _events_needing(lacking, wanted), refused_by_calendly=False
            )
    client = _client(client)
    organization, user = _organization_and_user(client)
    # (_list_subscriptions turns Calendly's 403s into WebhooksNotAllowed itself.)
    try:
        listed = _list_subscriptions(client, organization, user)
    except WebhooksNotAllowed as exc:
        cause = exc.__cause__
        if isinstance(cause, errors.InsufficientScope):
            raise _not_allowed(cause, wanted) from cause
        raise
    current = [s for s in listed if s.get("callback_url") == url]
    keep: dict[str, Any] | None = None
    for sub in current:
        matches = (
            keep is None
            and sub["has_key"]
            and sub.get("state", "active") == "active"
            and sub.get("scope") == scope
            and (scope != "user" or sub.get("user") == user)
            and sorted(sub.get("events") or []) == wanted
        )
        if matches:
            keep = sub
    deleted: list[str] = []
    for sub in current:
        if sub is keep:
            continue
        try:
            client.webhooks.delete(last_segment(sub["uri"]))
        except errors.NotFound:
            pass
        except errors.PermissionDenied as exc:
            raise _not_allowed(exc) from exc
        forget_subscription(sub["uri"])
        deleted.append(sub["uri"])
    if keep is not None:
        local = WebhookSubscription.objects.get(uri=keep["uri"])
        local.state = keep.get("state", "active")
        local.events = list(keep.get("events") or wanted)
        local.connection = connection
        local.save(update_fields=["state", "events", "connection"])
        return EnsureResult(local, False, deleted)

    key = new_signing_key()
    try:
        resource = client.webhooks.create(
            url=url,
            events=wanted,
            organization=organization,
            scope=scope,
            user=user if scope == "user" else None,
            signing_key=key,
        )
    except errors.PermissionDenied as exc:
        raise _not_allowed(exc, wanted) from exc
    local = record_subscription(
        resource, signing_key=key, url=url, scope=scope, organization=organization,
        events=wanted, connection=connection,
    )
    return EnsureResult(local, True, deleted)


def new_signing_key() -> str:
    """A fresh random signing key for a subscription this app creates."""
    return secrets.token_urlsafe(32)


def record_subscription(
    resource: Json,
    *,
    signing_key: str,
    url: str = "",
    scope: str = "",
    organization: str = "",
    events: Sequence[str] = (),
    connection: Any = None,
) -> WebhookSubscription:
    """Store (or update) the local ``WebhookSubscription`` of a subscription Calendly just
    created, with the signing key it was created with (encrypted), so the receiver accepts
    its deliveries at once. ``url``/``scope``/... fill what the resource does not say."""
    local, _ = WebhookSubscription.objects.update_or_create(
        uri=resource["uri"],
        defaults={
            "callback_url": resource.get("callback_url") or url,
            "scope": resource.get("scope") or scope,
            "organization": resource.get("organization") or organization,
            "user": resource.get("user") or "",
            "group": resource.get("group") or "",
            "events": list(resource.get("events") or events),
            "state": resource.get("state") or "active",
            "signing_key": signing_key,
            "connection": connection,
        },
    )
    invalidate_signing_keys()  # post_save does too; explicit, as the receiver relies on it
    return local


def forget_subscription(uuid_or_uri: str) -> int:
    """Delete the local record of a subscription (its key is no longer accepted); returns
    how many rows went. Call it once Calendly deleted the subscription (or says 404)."""
    uuid = last_segment(uuid_or_uri)
    count, _ = WebhookSubscription.objects.filter(
        uri__endswith=f"/webhook_subscriptions/{uuid}"
    ).delete()
    invalidate_signing_keys()
    return count


def delete_subscription(uuid_or_uri: str, *, client: Any = None) -> None:
    """Delete a subscription at Calendly (a 404 is fine) and forget its key."""
    from ...client import errors

    client = _client(client)
    uuid = last_segment(uuid_or_uri)
    try:
        client.webhooks.delete(uuid)
    except errors.NotFound:
        pass
    except errors.PermissionDenied as exc:
        raise _not_allowed(exc) from exc
    forget_subscription(uuid)
