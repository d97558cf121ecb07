"""Contacts: create, search, read, update (emails and phones replace whole lists), delete,
and the organization's contact custom-field definitions. Writes emit ``contact.*``."""

from __future__ import annotations

from typing import Any

from ..errors import ApiError, invalid, permission_denied
from ..resources import add_contact, contact_deleted_payload, contact_payload
from .common import (
    Call,
    Handler,
    Result,
    body_object,
    list_small,
    one,
    text_field,
    user_in_org,
    uuid_of,
    valid_email,
)

TEXT_FIELDS = {"name": 255, "first_name": 100, "last_name": 100, "company": 255,
               "job_title": 255, "timezone": 64}


def emails_field(value: Any) -> list[str]:
    if not isinstance(value, list) or not value:
        raise invalid("emails", "must be a non-empty list of email addresses")
    if not all(valid_email(e) for e in value):
        raise invalid("emails", "must contain only valid email addresses")
    lowered = [e.lower() for e in value]
    if len(set(lowered)) != len(lowered):
        raise invalid("emails", "must not repeat an address")
    return list(value)


def phones_field(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(p, str) and 4 <= len(p) <= 32 and p.lstrip("+").replace(" ", "")
        .replace("-", "").isdigit() for p in value
    ):
        raise invalid("phones", "must be a list of phone numbers such as +14155551234")
    return list(value)


def custom_fields_field(call: Call, value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid("custom_fields", "must be a list of {definition, value}")
    out = []
    for item in value:
        if not isinstance(item, dict) or "definition" not in item:
            raise invalid("custom_fields", "must be a list of {definition, value}")
        cf_uuid = uuid_of(call.store, "custom_fields", item["definition"],
                          "contacts/custom_field_definitions")
        definition = call.store.custom_fields.get(cf_uuid)
        if definition is None:
            raise invalid("custom_fields", f"unknown definition {item['definition']}")
        ok = {"text": lambda v: isinstance(v, str),
              "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
              "boolean": lambda v: isinstance(v, bool)}[definition["type"]]
        if item.get("value") is not None and not ok(item.get("value")):
            raise invalid("custom_fields", f"{definition['name']} must be a {definition['type']}")
        out.append({"definition": definition["uri"], "name": definition["name"],
                    "value": item.get("value")})
    return out


def owned(call: Call, contact: dict[str, Any]) -> dict[str, Any]:
    """Members see their own contacts; admins and owners see the organization's."""
    if contact["owner"] != call.user and not call.store.is_admin(call.user):
        raise permission_denied()
    return contact


def conflict(call: Call, owner: str, emails: list[str], skip: str | None = None) -> None:
    wanted = {e.lower() for e in emails}
    for contact in call.store.contacts.values():
        if contact["owner"] == owner and contact["uri"] != skip and wanted & {
            e.lower() for e in contact["emails"]
        }:
            raise ApiError(409, "Already Exists",
                           "A contact with this email already exists", [])


def create_contact(call: Call) -> Result:
    body = body_object(call)
    fields: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        fields[name] = text_field(call, name, required=name == "name", max_length=limit)
    if body.get("emails") in (None, []):
        raise invalid("emails", "is required")
    fields["emails"] = emails_field(body["emails"])
    fields["phones"] = phones_field(body.get("phones"))
    fields["custom_fields"] = custom_fields_field(call, body.get("custom_fields"))
    owner = call.user
    if body.get("owner") not in (None, ""):
        owner = user_in_org(call, "owner", body["owner"])
        if owner != call.user and not call.store.is_admin(call.user):
            raise permission_denied()
    conflict(call, owner, fields["emails"])
    contact = add_contact(call.store, owner, fields)
    call.emit("contact.created", contact_payload(call.store, contact), owner)
    return 201, {"resource": contact}


def list_contacts(call: Call) -> Result:
    store = call.store
    owner = call.param("owner")
    if owner is not None:
        user_in_org(call, "owner", owner)
        if owner != call.user and not store.is_admin(call.user):
            raise permission_denied()
    else:
        owner = None if store.is_admin(call.user) else call.user
    email = (call.param("email") or "").lower() or None
    name = (call.param("name") or "").lower() or None
    company = (call.param("company") or "").lower() or None
    phone = call.param("phone")
    term = (call.param("search") or "").lower() or None

    def keep(c: dict[str, Any]) -> bool:
        emails = [e.lower() for e in c["emails"]]
        haystack = " ".join([c["name"], c["company"] or "", c["job_title"] or "", *emails])
        return ((owner is None or c["owner"] == owner)
                and (email is None or email in emails)
                and (name is None or name in c["name"].lower())
                and (company is None or company == (c["company"] or "").lower())
                and (phone is None or phone in c["phones"])
                and (term is None or term in haystack.lower()))

    items = [c for c in store.contacts.values() if keep(c)]
    return 200, list_small(call, items, ("created_at", "updated_at"), "created_at:asc")


def get_contact(call: Call) -> Result:
    return 200, {"resource": owned(call, one(call.store.contacts, call.args[0]))}


def update_contact(call: Call) -> Result:
    contact = owned(call, one(call.store.contacts, call.args[0]))
    body = body_object(call)
    if not body:
        raise invalid("body", "must change at least one field")
    changes: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in body:
            if name == "name" and body[name] in (None, ""):
                raise invalid("name", "must not be blank")
            changes[name] = text_field(call, name, max_length=limit)
    if "emails" in body:  # the whole list is replaced, as Calendly does
        changes["emails"] = emails_field(body["emails"])
        conflict(call, contact["owner"], changes["emails"], skip=contact["uri"])
    if "phones" in body:
        changes["phones"] = phones_field(body["phones"])
    if "custom_fields" in body:
        changes["custom_fields"] = custom_fields_field(call, body["custom_fields"])
    unknown = sorted(set(body) - set(TEXT_FIELDS) - {"emails", "phones", "custom_fields"})
    if unknown:
        raise invalid(unknown[0], "is not a field of a contact")
    contact.update(changes)
    contact["updated_at"] = call.store.now()
    call.emit("contact.updated", contact_payload(call.store, contact), contact["owner"])
    return 200, {"resource": contact}


def delete_contact(call: Call) -> Result:
    contact = owned(call, one(call.store.contacts, call.args[0]))
    del call.store.contacts[call.args[0]]
    call.emit("contact.deleted", contact_deleted_payload(contact, call.store.now()),
              contact["owner"])
    return 204, None


def list_custom_fields(call: Call) -> Result:
    return 200, list_small(call, list(call.store.custom_fields.values()),
                           ("created_at", "name"), "created_at:asc")


def get_custom_field(call: Call) -> Result:
    return 200, {"resource": one(call.store.custom_fields, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "contacts.create": create_contact,
    "contacts.list": list_contacts,
    "contacts.get": get_contact,
    "contacts.update": update_contact,
    "contacts.delete": delete_contact,
    "contacts.list_custom_fields": list_custom_fields,
    "contacts.get_custom_field": get_custom_field,
}
