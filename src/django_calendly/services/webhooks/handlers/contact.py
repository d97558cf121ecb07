"""``contact.created`` / ``contact.updated`` / ``contact.deleted``: a typed signal.

Contacts are not mirrored (no model holds them); host apps react to ``contact_changed``.
"""

from __future__ import annotations

from collections.abc import Mapping

from .... import signals
from ...mirror import parse_time
from ..context import Context


def handle_contact(ctx: Context) -> None:
    data = ctx.payload
    contact = data.get("contact")
    contact = contact if isinstance(contact, Mapping) else {}
    uri = contact.get("uri") or ""
    if not uri:
        raise ValueError("The contact payload has no 'contact.uri'.")
    ctx.send(
        signals.contact_changed,
        signals.ContactEvent(
            action=ctx.delivery.event.split(".", 1)[1],
            uri=uri,
            user_uuid=data.get("user_uuid") or "",
            email=contact.get("email") or "",
            name=contact.get("name") or "",
            first_name=contact.get("first_name") or "",
            last_name=contact.get("last_name") or "",
            created_at=parse_time(contact.get("created_at")),
            updated_at=parse_time(contact.get("updated_at")),
            deleted_at=parse_time(contact.get("deleted_at")),
        ),
    )
