"""``contact.created`` / ``contact.updated`` / ``contact.deleted``: a typed signal.

Contacts are not mirrored (no model holds them); host apps react to ``contact_changed``.
The payload is [S26]'s ``{user_uuid, contact}`` (its types checked by ``fields.CONTACT``
first): ``emails`` ``[{email, is_primary}]``, ``phone_numbers`` ``[{phone_number}]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .... import signals
from ...mirror import parse_time
from ..context import Context


def _items(value: Any, key: str) -> list[Mapping[str, Any]]:
    """The objects of a list that carry a non-empty ``key`` string."""
    return [item for item in value if isinstance(item, Mapping)
            and isinstance(item.get(key), str) and item[key]] if isinstance(value, list) else []


def handle_contact(ctx: Context) -> None:
    data = ctx.payload
    contact = data.get("contact")
    contact = contact if isinstance(contact, Mapping) else {}
    uri = contact.get("uri") or ""
    if not uri:
        raise ValueError("The contact payload has no 'contact.uri'.")
    emails = _items(contact.get("emails"), "email")
    ctx.send(
        signals.contact_changed,
        signals.ContactEvent(
            action=ctx.delivery.event.split(".", 1)[1],
            uri=uri,
            user_uuid=data.get("user_uuid") or "",
            name=contact.get("name") or "",
            emails=tuple(item["email"] for item in emails),
            created_at=parse_time(contact.get("created_at")),
            updated_at=parse_time(contact.get("updated_at")),
            deleted_at=parse_time(contact.get("deleted_at")),
            primary_email=next((item["email"] for item in emails if item.get("is_primary")),
                               ""),
            phone_numbers=tuple(item["phone_number"] for item in _items(
                contact.get("phone_numbers"), "phone_number")),
            creation_source=contact.get("creation_source") or "",
        ),
    )
