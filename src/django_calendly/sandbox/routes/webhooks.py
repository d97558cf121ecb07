"""Webhook subscriptions and sample data."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ..clock import iso
from ..errors import (
    ApiError,
    invalid,
    not_found,
    permission_denied,
)
from ..resources import (
    add_recap,
    contact_deleted_payload,
    contact_payload,
    recap_deleted_payload,
    recap_payload,
)
from ..state import Json, Store
from .common import (
    EVENT_SCOPES,
    Call,
    Handler,
    Result,
    check_org,
    list_small,
    one,
    user_in_org,
    uuid_of,
)


def webhook_scope_target(call: Call, source: Callable[[str], Any]) -> tuple[str, str | None,
                                                                              str | None]:
    scope = source("scope")
    if scope in (None, ""):
        raise invalid("scope", "is required")
    if scope not in ("organization", "user", "group"):
        raise invalid("scope", "must be one of organization, user, group")
    user = group = None
    if scope == "user":
        if not source("user"):
            raise invalid("user", "is required when scope is user")
        user = user_in_org(call, "user", source("user"))
    if scope == "group":
        if not source("group"):
            raise invalid("group", "is required when scope is group")
        uuid_of(call.store, "group", source("group"), "groups")
        group = str(source("group"))
        if group not in call.store.group_members:
            raise not_found()
    if scope == "organization" and not call.store.is_admin(call.user):
        raise permission_denied()
    if scope == "user" and user != call.user and not call.store.is_admin(call.user):
        raise permission_denied()
    if scope == "group" and not call.store.is_admin(call.user):
        raise permission_denied()
    return str(scope), user, group


def create_webhook(call: Call) -> Result:
    store = call.store
    url = call.field("url", required=True)
    if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 2048:
        raise invalid("url", "must be a valid http or https URL")
    events = call.field("events", required=True)
    if not isinstance(events, list) or not events:
        raise invalid("events", "must be a non-empty list")
    check_org(call, "organization", call.field("organization", required=True))
    scope, user, group = webhook_scope_target(call, call.field)
    for event in events:
        if event not in EVENT_SCOPES:
            raise invalid("events", f"{event!r} is not a valid event")
        if scope not in EVENT_SCOPES[event]:
            raise invalid("events", f"{event} cannot be used with scope {scope}")
    signing_key = call.field("signing_key")
    if signing_key is not None and not isinstance(signing_key, str):
        raise invalid("signing_key", "must be a string")
    for existing in store.webhooks.values():
        # Calendly: 409 when a subscription for that URL already exists (whatever its scope).
        if existing["callback_url"] == url:
            raise ApiError(409, "Already Exists", "Hook with this url already exists", [])
    wh_uuid = store.new_uuid()
    now = store.now()
    webhook = {
        "uri": store.uri("webhook_subscriptions", wh_uuid),
        "callback_url": url,
        "created_at": now,
        "updated_at": now,
        "retry_started_at": None,
        "state": "active",
        "events": sorted(set(events), key=events.index),
        "scope": scope,
        "organization": store.organization_uri,
        "user": user,
        "group": group,
        "creator": call.user,
    }
    store.webhooks[wh_uuid] = webhook
    store.webhook_keys[wh_uuid] = signing_key or None
    return 201, {"resource": webhook}


def list_webhooks(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    scope, user, group = webhook_scope_target(call, call.param)
    items = [
        w for w in call.store.webhooks.values()
        if w["scope"] == scope
        and (user is None or w["user"] == user)
        and (group is None or w["group"] == group)
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_webhook(call: Call) -> Result:
    return 200, {"resource": one(call.store.webhooks, call.args[0])}


def delete_webhook(call: Call) -> Result:
    webhook = one(call.store.webhooks, call.args[0])
    if webhook["scope"] != "user" and not call.store.is_admin(call.user):
        raise permission_denied()
    del call.store.webhooks[call.args[0]]
    call.store.webhook_keys.pop(call.args[0], None)
    return 204, None


def sample_payload(store: Store, event: str) -> Json:
    """A realistic payload for ``event``, built from the seed the way a live delivery is.

    With nothing to show (a sandbox seeded without events), a throwaway event is booked,
    rendered and erased again, so the sample still has every field."""
    if (event.startswith(("invitee.", "invitee_no_show.")) and not store.invitees) or (
        event.startswith("meeting_recap.") and not store.recaps
    ):
        event_type = next(iter(store.event_types.values()))
        begins = store.clock.now().replace(microsecond=0) - timedelta(days=1)
        scratch, _ = store.create_event(event_type, begins, email="sample@example.com",
                                        name="Sample Invitee")
        if event.startswith("meeting_recap."):
            add_recap(store, scratch)
        try:
            return copy.deepcopy(render_sample(store, event))
        finally:
            store.delete_event(scratch["uri"].rsplit("/", 1)[1])
    return render_sample(store, event)


def render_sample(store: Store, event: str) -> Json:
    now = store.now()
    if event.startswith(("invitee.", "invitee_no_show.")):
        invitee = next(iter(store.invitees.values()))
        payload = store.invitee_payload(invitee)
        if event == "invitee_no_show.created":
            payload["no_show"] = {"uri": store.uri("invitee_no_shows", "SAMPLE"),
                                  "created_at": now}
        elif event == "invitee_no_show.deleted":
            payload["no_show"] = None
        return payload
    if event.startswith("event_type."):
        payload = copy.deepcopy(next(iter(store.event_types.values())))
        if event.endswith(".deleted"):
            payload.update(deleted_at=now, active=False)
        return payload
    if event == "routing_form_submission.created":
        return copy.deepcopy(next(iter(store.routing_submissions.values())))
    if event.startswith("contact."):
        contact = next(iter(store.contacts.values()))
        if event.endswith(".deleted"):
            return contact_deleted_payload(store, contact, now)
        return contact_payload(store, contact)
    recap = next(iter(store.recaps.values()))
    if event.endswith(".deleted"):
        return recap_deleted_payload(recap, now)
    return recap_payload(store, recap, event)


def sample_webhook_data(call: Call) -> Result:
    store = call.store
    event = call.require("event")
    if event not in EVENT_SCOPES:
        raise invalid("event", f"{event!r} is not a valid event")
    check_org(call, "organization", call.require("organization"))
    scope, _, _ = webhook_scope_target(call, call.param)
    if scope not in EVENT_SCOPES[event]:
        raise invalid("scope", f"{event} cannot be used with scope {scope}")
    return 200, {
        "event": event,
        "created_at": iso(store.clock.now().replace(microsecond=0)),  # whole seconds
        "created_by": call.user,
        "payload": sample_payload(store, event),
    }


HANDLERS: dict[str, Handler] = {
    "webhooks.create": create_webhook,
    "webhooks.list": list_webhooks,
    "webhooks.get": get_webhook,
    "webhooks.delete": delete_webhook,
    "webhooks.sample": sample_webhook_data,
}
