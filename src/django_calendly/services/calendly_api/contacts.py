"""Use cases of the contacts endpoints: a user's contacts and the organization's contact
custom-field definitions (``contacts:read|write``)."""

from __future__ import annotations

from typing import Any

from ...client import Page
from ..clients import get_client

Resource = dict[str, Any]


def create_contact(actor: Any, **fields: Any) -> Resource:
    return get_client(actor).contacts.create(**fields)


def list_contacts(actor: Any, **filters: Any) -> Page:
    return get_client(actor).contacts.list(**filters)


def get_contact(actor: Any, uuid: str, **options: Any) -> Resource:
    return get_client(actor).contacts.get(uuid, **options)


def update_contact(actor: Any, uuid: str, **changes: Any) -> Resource:
    """Emails and phone numbers given replace the whole list at Calendly."""
    return get_client(actor).contacts.update(uuid, **changes)


def delete_contact(actor: Any, uuid: str) -> None:
    get_client(actor).contacts.delete(uuid)


def list_custom_fields(actor: Any, **filters: Any) -> Page:
    return get_client(actor).contacts.list_custom_fields(**filters)


def get_custom_field(actor: Any, uuid: str) -> Resource:
    return get_client(actor).contacts.get_custom_field(uuid)
