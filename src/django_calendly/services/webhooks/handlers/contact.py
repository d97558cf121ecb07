"""``contact.created`` / ``contact.updated`` / ``contact.deleted``: a typed signal.

Contacts are not mirrored (no model holds them); host apps react to ``contact_changed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .... import signals
from ...mirror import parse_time
from ..context import Context


def _emails(value: Any) -> tuple[str, ...]:
    """The addresses of ``emails``: strings, or objects carrying an ``email`` string."""
    out = []
    for item in value if isinstance(value, list) else []:
        if isinstance(item, Mapping):
            item = item.get("email")
        if isinstance(item, str) and item:
            out.append(item)
    return tuple(out)


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
            name=contact.get("name") or "",
            emails=_emails(contact.get("emails")),
            created_at=parse_time(contact.get("created_at")),
            updated_at=parse_time(contact.get("updated_at")),
            deleted_at=parse_time(contact.get("deleted_at")),
        ),
    )
