"""``contacts.*``: contacts and their custom-field definitions (``contacts:read|write``).

The fields are [S26]'s (REFERENCE.md section 9): ``emails`` are ``{email, is_primary}``
objects (1 to 10, exactly one primary), ``phone_numbers`` are ``{phone_number}`` objects
(at most 10), ``custom_fields`` set values by definition ``uuid``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .. import validation as v
from ..pagination import Page
from .base import Params, Resource, ResourceGroup

MAX_NAME = v.MAX_CONTACT_TEXT

#: A filter value: one string, or several (sent comma-separated, as Calendly takes them).
Filter = str | Iterable[str] | None


def _filter(value: Any, name: str) -> str:
    values = v.validate_strings(value, name)
    for i, item in enumerate(values):
        if "," in item:  # Calendly splits on commas: the value would become two
            raise v.InvalidArgument(
                f"{name}[{i}] must not contain a comma (commas separate values).", name
            )
    return ",".join(values)


def _exclude(value: Any) -> str:
    return ",".join(
        v.validate_choice(item, v.CONTACT_EXCLUDE, "exclude")
        for item in v.validate_strings(value, "exclude")
    )


def _fields(fields: Mapping[str, Any]) -> Params:
    """The body of a create or update: the fields given (not ``None``), each checked."""
    body: Params = {}
    for name, value in fields.items():
        if value is None:
            continue
        if name in v.CONTACT_TEXT_FIELDS:
            body[name] = v.validate_text(value, name, v.MAX_CONTACT_TEXT)
        elif name == "emails":
            body[name] = v.validate_contact_emails(value)
        elif name == "phone_numbers":
            body[name] = v.validate_contact_phone_numbers(value)
        elif name == "linkedin":
            body[name] = v.validate_url(value, "linkedin")
        elif name == "custom_fields":
            body[name] = v.validate_contact_custom_fields(value)
    return body


class Contacts(ResourceGroup):
    """``/contacts`` and ``/contacts/custom_field_definitions`` (REFERENCE.md section 9)."""

    def create(
        self, *, name: str, emails: Iterable[Mapping[str, Any]],
        phone_numbers: Iterable[Mapping[str, Any]] | None = None,
        timezone: str | None = None, job_title: str | None = None, company: str | None = None,
        country: str | None = None, state: str | None = None, city: str | None = None,
        linkedin: str | None = None, custom_fields: Iterable[Mapping[str, Any]] | None = None,
    ) -> Resource:
        """``POST /contacts`` (201; 409 on a conflicting contact). Scope ``contacts:write``.

        ``name`` and ``emails`` (``[{"email": ..., "is_primary": True}]``) are required.
        """
        body = _fields({
            "name": name, "emails": emails, "phone_numbers": phone_numbers,
            "timezone": timezone, "job_title": job_title, "company": company,
            "country": country, "state": state, "city": city, "linkedin": linkedin,
            "custom_fields": custom_fields,
        })
        for required in ("name", "emails"):
            if required not in body:
                raise v.InvalidArgument(f"{required} is required.", required)
        return self._post("/contacts", body)

    def _query(
        self, filters: Mapping[str, Filter], exclude: Filter, sort: str | None,
        count: int | None, page_token: str | None,
    ) -> Params:
        params: Params = {
            name: _filter(value, name) for name, value in filters.items() if value is not None
        }
        if exclude is not None:
            params["exclude"] = _exclude(exclude)
        return self._paging(
            params, sort=sort, sort_endpoint="contacts", count=count, page_token=page_token
        )

    def list(
        self, *, email: Filter = None, phone_number: Filter = None, timezone: Filter = None,
        name: Filter = None, job_title: Filter = None, company: Filter = None,
        country: Filter = None, state: Filter = None, city: Filter = None,
        exclude: Filter = None, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Page:
        """``GET /contacts`` (one page): search contacts. Scope ``contacts:read``.

        Calendly's filters, each one value or several: exact ``email``, ``phone_number``,
        ``timezone``, ``country`` (ISO 3166-1 alpha-2) and ``state``; partial ``name``,
        ``job_title``, ``company`` and ``city``. ``exclude="custom_fields"`` leaves the
        custom fields out; ``sort`` is ``created_at`` or ``updated_at`` with ``asc|desc``.
        """
        filters = {"email": email, "phone_number": phone_number, "timezone": timezone,
                   "name": name, "job_title": job_title, "company": company,
                   "country": country, "state": state, "city": city}
        return self._page("/contacts", self._query(filters, exclude, sort, count, page_token))

    def iter(
        self, *, email: Filter = None, phone_number: Filter = None, timezone: Filter = None,
        name: Filter = None, job_title: Filter = None, company: Filter = None,
        country: Filter = None, state: Filter = None, city: Filter = None,
        exclude: Filter = None, sort: str | None = None, count: int | None = None,
        page_token: str | None = None,
    ) -> Iterator[Resource]:
        """Every matching contact, across pages (scope ``contacts:read``)."""
        filters = {"email": email, "phone_number": phone_number, "timezone": timezone,
                   "name": name, "job_title": job_title, "company": company,
                   "country": country, "state": state, "city": city}
        return self._iter("/contacts", self._query(filters, exclude, sort, count, page_token))

    def get(self, uuid: str, *, exclude: Filter = None) -> Resource:
        """``GET /contacts/{uuid}``. Scope ``contacts:read``."""
        params = None if exclude is None else {"exclude": _exclude(exclude)}
        return self._get(f"/contacts/{self._uuid(uuid, 'contact')}", params)

    def update(
        self, uuid: str, *, name: str | None = None,
        emails: Iterable[Mapping[str, Any]] | None = None,
        phone_numbers: Iterable[Mapping[str, Any]] | None = None,
        timezone: str | None = None, job_title: str | None = None, company: str | None = None,
        country: str | None = None, state: str | None = None, city: str | None = None,
        linkedin: str | None = None, custom_fields: Iterable[Mapping[str, Any]] | None = None,
    ) -> Resource:
        """``PATCH /contacts/{uuid}``. Scope ``contacts:write``.

        ``emails`` and ``phone_numbers`` replace the whole list (Calendly does not merge
        them); ``phone_numbers=[]`` removes them all.
        """
        path = f"/contacts/{self._uuid(uuid, 'contact')}"
        given = {
            "name": name, "emails": emails, "phone_numbers": phone_numbers,
            "timezone": timezone, "job_title": job_title, "company": company,
            "country": country, "state": state, "city": city, "linkedin": linkedin,
            "custom_fields": custom_fields,
        }
        self._changes(given, "contact")
        return self._patch(path, _fields(given))

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
