"""``contacts.*``: contacts and their custom-field definitions (``contacts:read|write``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .. import validation as v
from ..pagination import Page
from .base import Params, Resource, ResourceGroup

#: Query parameter names a search filter may use (no paging/sort names: those are checked).
_FILTER_NAME = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_RESERVED = frozenset({"sort", "count", "page_token"})
MAX_NAME = 255


def _phones(values: Any) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise v.InvalidArgument("phones must be a list of phone numbers.", "phones")
    return [v.validate_text(p, f"phones[{i}]", 64) for i, p in enumerate(values)]


def _filters(filters: Mapping[str, Any] | None) -> Params:
    """Search filters, passed as query parameters; each a string (or a list of them)."""
    params: Params = {}
    for name, value in (filters or {}).items():
        if not isinstance(name, str) or not _FILTER_NAME.fullmatch(name) or name in _RESERVED:
            raise v.InvalidArgument(f"{name!r:.60} is not a contact search filter.", str(name))
        params[name] = (
            v.validate_strings(value, name) if isinstance(value, list | tuple)
            else v.validate_text(value, name, 1000)
        )
    return params


class Contacts(ResourceGroup):
    """``/contacts`` and ``/contacts/custom_field_definitions`` (REFERENCE.md section 9)."""

    def create(
        self, *, name: str, emails: Iterable[str], phones: Iterable[str] | None = None
    ) -> Resource:
        """``POST /contacts`` (201; 409 on a conflicting contact). Scope ``contacts:write``.

        ``name`` and ``emails`` are required.
        """
        body: Params = {
            "name": v.validate_text(name, "name", MAX_NAME),
            "emails": v.validate_emails(emails),
        }
        if phones is not None:
            body["phones"] = _phones(phones)
        return self._post("/contacts", body)

    def _query(
        self, filters: Mapping[str, Any] | None, sort: str | None, count: int | None,
        page_token: str | None,
    ) -> Params:
        return self._paging(
            _filters(filters), sort=sort, sort_endpoint="contacts", count=count,
            page_token=page_token,
        )

    def list(
        self, *, filters: Mapping[str, Any] | None = None, sort: str | None = None,
        count: int | None = None, page_token: str | None = None,
    ) -> Page:
        """``GET /contacts`` (one page): search contacts. Scope ``contacts:read``.

        ``filters`` are Calendly's search parameters, sent as given (the reference lists
        no fixed set); ``sort`` is ``created_at`` or ``updated_at`` with ``asc|desc``.
        """
        return self._page("/contacts", self._query(filters, sort, count, page_token))

    def iter(
        self, *, filters: Mapping[str, Any] | None = None, sort: str | None = None,
        count: int | None = None, page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every matching contact, across pages (scope ``contacts:read``)."""
        return self._iter("/contacts", self._query(filters, sort, count, page_token))

    def get(self, uuid: str) -> Resource:
        """``GET /contacts/{uuid}``. Scope ``contacts:read``."""
        return self._get(f"/contacts/{self._uuid(uuid, 'contact')}")

    def update(
        self, uuid: str, *, name: str | None = None, emails: Iterable[str] | None = None,
        phones: Iterable[str] | None = None,
    ) -> Resource:
        """``PATCH /contacts/{uuid}``. Scope ``contacts:write``.

        ``emails`` and ``phones`` replace the whole list (Calendly does not merge them).
        """
        path = f"/contacts/{self._uuid(uuid, 'contact')}"
        body = self._changes({"name": name, "emails": emails, "phones": phones}, "contact")
        if name is not None:
            body["name"] = v.validate_text(name, "name", MAX_NAME)
        if emails is not None:
            body["emails"] = v.validate_emails(emails)
        if phones is not None:
            body["phones"] = _phones(phones)
        return self._patch(path, body)

    def delete(self, uuid: str) -> None:
        """``DELETE /contacts/{uuid}`` (204). Scope ``contacts:write``."""
        self._delete(f"/contacts/{self._uuid(uuid, 'contact')}")

    def list_custom_fields(
        self, *, count: int | None = None, page_token: str | None = None
    ) -> Page:
        """``GET /contacts/custom_field_definitions`` (one page). Scope ``contacts:read``."""
        return self._page(
            "/contacts/custom_field_definitions",
            self._paging({}, count=count, page_token=page_token),
        )

    def iter_custom_fields(
        self, *, count: int | None = None, page_token: str | None = None
    ) -> Iterator[Resource]:
        """Every custom-field definition, across pages (scope ``contacts:read``)."""
        return self._iter(
            "/contacts/custom_field_definitions",
            self._paging({}, count=count, page_token=page_token),
        )

    def get_custom_field(self, uuid: str) -> Resource:
        """``GET /contacts/custom_field_definitions/{uuid}``. Scope ``contacts:read``."""
        uuid = self._uuid(uuid, "contact_custom_field")
        return self._get(f"/contacts/custom_field_definitions/{uuid}")


__all__ = ["Contacts"]
