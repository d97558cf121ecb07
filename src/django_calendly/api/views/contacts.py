"""The contacts endpoints (issue 12): search and create, read, update and delete one, and
the organization's contact custom-field definitions."""

from __future__ import annotations

from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from ...services.calendly_api import contacts as service
from .. import serializers as s
from .. import serializers_directory as d
from ..responses import no_content, paged_response, resource_response
from ..schema import document, path_uuid
from . import examples as ex
from .base import CREATED, DELETED, PAGED, RESOURCE, CalendlyAPIView
from .own import OWN_WRITE_NOTE, OwnDataAPIView

CONTACT_UUID = path_uuid("uuid", "Contact uuid.")
CUSTOM_FIELD_UUID = path_uuid("uuid", "Contact custom-field definition uuid.")

#: [S26] ``Contact`` (no owner: a contact is its user's; the ``contact.*`` webhooks carry
#: ``user_uuid``).
_CONTACT = {
    "uri": "https://api.calendly.com/contacts/AAAAAAAAAAAAAAAA",
    "name": "Nora Quist",
    "emails": [{"email": "nora@acme.example", "is_primary": True}],
    "phone_numbers": [{"phone_number": "+14155550101"}],
    "timezone": "America/Los_Angeles",
    "job_title": "CTO",
    "company": "Acme",
    "country": "US",
    "state": "California",
    "city": "San Francisco",
    "linkedin": "https://www.linkedin.com/in/nora-quist",
    "custom_fields": [{
        "uri": "https://api.calendly.com/contacts/custom_field_definitions/CCCCCCCCCCCCCCCC",
        "label": "Lead source", "value": "OPTION-WEB",
    }],
    "created_at": "2026-01-02T03:04:05.000000Z",
    "updated_at": "2026-01-02T03:04:05.000000Z",
    "first_email_date": None,
    "last_email_date": None,
    "next_meeting_date": None,
    "last_meeting_date": None,
    "last_interaction_date": None,
}
_CREATE_EXAMPLES = [
    *ex.request("create", {
        "name": "Nora Quist", "emails": [{"email": "nora@acme.example", "is_primary": True}],
        "phone_numbers": [{"phone_number": "+14155550101"}], "company": "Acme",
        "country": "US", "city": "San Francisco",
        "custom_fields": [{"uuid": "CCCCCCCCCCCCCCCC", "value": "OPTION-WEB"}],
    }),
    *ex.resource("created", _CONTACT, "201"),
]
_NEW_EMAILS = [{"email": "nora@initech.example", "is_primary": True},
               {"email": "nora@acme.example", "is_primary": False}]
_UPDATE_EXAMPLES = [
    *ex.request("update", {"emails": _NEW_EMAILS, "phone_numbers": []}),
    *ex.resource("updated", {**_CONTACT, "emails": _NEW_EMAILS, "phone_numbers": []}),
]
#: [S26] ``ContactCustomFieldDefinition``.
_CUSTOM_FIELD = {
    "uri": "https://api.calendly.com/contacts/custom_field_definitions/CCCCCCCCCCCCCCCC",
    "label": "Lead source", "field_type": "single_select",
    "options": [{"uuid": "OPTION-WEB", "label": "Web", "color": "#1a73e8", "is_active": True}],
    "created_at": "2026-01-02T03:04:05.000000Z",
    "updated_at": "2026-01-02T03:04:05.000000Z",
}
_UPDATE_NOTE = (
    "`emails` and `phone_numbers` replace the whole list; `custom_fields` changes the "
    "values given. "
)
_PAID = " Contacts need a paid Calendly plan (`plan_required` otherwise)."


class ContactsView(OwnDataAPIView):
    @document(
        "calendly_contacts_list",
        "Search contacts",
        description="Calendly's filters; each takes several values, comma-separated." + _PAID,
        query=d.ContactsQuery,
        success=PAGED,
        examples=ex.page(_CONTACT),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(d.ContactsQuery)
        return paged_response(request, service.list_contacts(request.user, **filters))

    @document(
        "calendly_contact_create",
        "Create a contact",
        description=OWN_WRITE_NOTE + _PAID,
        request=d.ContactCreateBody,
        success=CREATED,
        write=True,
        extra_errors=(409,),
        examples=_CREATE_EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        body = self.body(d.ContactCreateBody)
        return resource_response(
            service.create_contact(request.user, **body), status.HTTP_201_CREATED
        )


class ContactView(OwnDataAPIView):
    @document(
        "calendly_contact_get",
        "Get a contact",
        description=_PAID.strip(),
        path=[CONTACT_UUID],
        query=d.ContactQuery,
        success=RESOURCE,
        examples=ex.resource("contact", _CONTACT),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        options = self.query(d.ContactQuery)
        return resource_response(service.get_contact(request.user, uuid, **options))

    @document(
        "calendly_contact_update",
        "Update a contact",
        description=_UPDATE_NOTE + OWN_WRITE_NOTE + _PAID,
        path=[CONTACT_UUID],
        request=d.ContactUpdateBody,
        success=RESOURCE,
        write=True,
        extra_errors=(409,),
        examples=_UPDATE_EXAMPLES,
    )
    def patch(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        body = self.body(d.ContactUpdateBody)
        return resource_response(service.update_contact(request.user, uuid, **body))

    @document(
        "calendly_contact_delete",
        "Delete a contact",
        description=OWN_WRITE_NOTE,
        path=[CONTACT_UUID],
        success=DELETED,
        write=True,
    )
    def delete(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        service.delete_contact(request.user, uuid)
        return no_content()


class ContactCustomFieldsView(CalendlyAPIView):
    @document(
        "calendly_contact_custom_fields_list",
        "List contact custom-field definitions",
        query=s.PagingQuery,
        success=PAGED,
        examples=ex.page(_CUSTOM_FIELD),
    )
    def get(self, request: Request) -> Response:
        filters = self.query(s.PagingQuery)
        return paged_response(request, service.list_custom_fields(request.user, **filters))


class ContactCustomFieldView(CalendlyAPIView):
    @document(
        "calendly_contact_custom_field_get",
        "Get a contact custom-field definition",
        path=[CUSTOM_FIELD_UUID],
        success=RESOURCE,
        examples=ex.resource("definition", _CUSTOM_FIELD),
    )
    def get(self, request: Request, uuid: str) -> Response:
        uuid = s.check_path_uuid("uuid", uuid)
        return resource_response(service.get_custom_field(request.user, uuid))
