"""Contacts: create, search, read, update (emails and phone numbers replace whole lists),
delete, and the organization's contact custom-field definitions. Writes emit ``contact.*``.

Fields, shapes and limits are [S26]'s: ``emails`` ``[{email, is_primary}]`` (1 to 10,
exactly one primary), ``phone_numbers`` ``[{phone_number}]`` (at most 10), the location
and LinkedIn fields, ``custom_fields`` set by definition ``uuid`` and checked against its
``field_type``. Contacts are a paid-plan feature: the admission answers a free plan with
[S26]'s ``ContactsError`` "Please upgrade to a paid Calendly account.".
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from ...client import validation as v
from ..errors import ApiError, invalid, permission_denied
from ..resources import (
    add_contact,
    contact_deleted_payload,
    contact_owner,
    contact_payload,
)
from ..state import Json, Store
from .common import Call, Handler, Result, body_object, list_small, one, valid_email

#: The body fields of ``POST``/``PATCH /contacts`` ([S26]).
FIELDS = (*v.CONTACT_TEXT_FIELDS, "emails", "phone_numbers", "linkedin", "custom_fields")


def _list(name: str, value: Any, limit: int | None, what: str) -> list[Any]:
    if not isinstance(value, list):
        raise invalid(name, f"must be a list of {what}")
    if limit is not None and len(value) > limit:
        raise invalid(name, f"must contain at most {limit} items")
    return value


def emails_field(value: Any) -> list[Json]:
    """[S26] ``Email`` items: 1 to 10, each ``{email, is_primary}``, exactly one primary."""
    items = _list("emails", value, v.MAX_CONTACT_EMAILS, "{email, is_primary} objects")
    if not items:
        raise invalid("emails", "is required")
    out = []
    for item in items:
        if (not isinstance(item, dict) or set(item) != {"email", "is_primary"}
                or not valid_email(item["email"]) or not isinstance(item["is_primary"], bool)):
            raise invalid("emails", "must contain only {email, is_primary} objects with a "
                                    "valid email address")
        out.append({"email": item["email"], "is_primary": item["is_primary"]})
    if sum(item["is_primary"] for item in out) != 1:
        raise invalid("emails", "must have exactly one entry with is_primary true")
    lowered = [item["email"].lower() for item in out]
    if len(set(lowered)) != len(lowered):
        raise invalid("emails", "must not repeat an address")
    return out


def phone_numbers_field(value: Any) -> list[Json]:
    """[S26] ``PhoneNumber`` items: at most 10, each ``{phone_number}``."""
    items = _list("phone_numbers", value, v.MAX_CONTACT_PHONE_NUMBERS,
                  "{phone_number} objects")
    if not all(isinstance(item, dict) and set(item) == {"phone_number"}
               and isinstance(item["phone_number"], str)
               and 0 < len(item["phone_number"].strip()) <= v.MAX_CONTACT_PHONE
               for item in items):
        raise invalid("phone_numbers", "must contain only {phone_number} objects")
    return [{"phone_number": item["phone_number"]} for item in items]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and len(value) == 10 and bool(date.fromisoformat(value))
    except ValueError:
        return False


#: The value each ``field_type`` takes ([S26] ``ContactCustomFieldValue``); ``null`` clears.
VALUE_CHECKS = {
    "text": (lambda d, x: isinstance(x, str), "a string"),
    "invitee_question": (lambda d, x: isinstance(x, str), "a string"),
    "number": (lambda d, x: _is_number(x), "a number"),
    "currency": (lambda d, x: isinstance(x, int) and not isinstance(x, bool),
                 "an integer amount in the currency's minor units"),
    "date": (lambda d, x: _is_date(x), "a date (YYYY-MM-DD)"),
    "tags": (lambda d, x: isinstance(x, list) and all(isinstance(t, str) for t in x),
             "a list of strings"),
    "single_select": (lambda d, x: isinstance(x, str)
                      and x in {o["uuid"] for o in d.get("options") or []},
                      "one of the definition's option uuids"),
}


def custom_fields_field(store: Store, value: Any) -> list[Json]:
    """``[{uuid, value}]`` to ``[{uri, label, value}]``: the whole request is refused when a
    ``uuid`` is unknown or a ``value`` is not of its field's type; other keys are ignored."""
    out: list[Json] = []
    for item in _list("custom_fields", value, None, "{uuid, value} objects"):
        if not isinstance(item, dict) or "uuid" not in item or "value" not in item:
            raise invalid("custom_fields", "must be a list of {uuid, value} objects")
        definition = (store.custom_fields.get(item["uuid"])
                      if isinstance(item["uuid"], str) else None)
        if definition is None:
            raise invalid("custom_fields", f"unknown custom field definition {item['uuid']!r:.60}")
        check, what = VALUE_CHECKS[definition["field_type"]]
        if item["value"] is not None and not check(definition, item["value"]):
            raise invalid("custom_fields", f"{definition['label']} must be {what}")
        if any(f["uri"] == definition["uri"] for f in out):
            raise invalid("custom_fields", f"{definition['label']} is given twice")
        out.append({"uri": definition["uri"], "label": definition["label"],
                    "value": copy.deepcopy(item["value"])})
    return out


def contact_fields(store: Store, body: Any, *, create: bool) -> Json:
    """The checked fields of a create (``name`` and ``emails`` required) or an update (at
    least one field); a key that is not a contact field is refused."""
    if not isinstance(body, dict):
        raise invalid("body", "must be a JSON object")
    unknown = sorted(str(k) for k in body if k not in FIELDS)
    if unknown:
        raise invalid(unknown[0], "is not a field of a contact")
    if not create and not body:
        raise invalid("body", "must include at least one supported field")
    fields: Json = {}
    for name in v.CONTACT_TEXT_FIELDS:
        if name not in body:
            continue
        value = body[name]
        if value is None or value == "":
            if name == "name":
                raise invalid("name", "is required" if create else "must not be blank")
            fields[name] = None
        elif not isinstance(value, str):
            raise invalid(name, "must be a string")
        elif len(value) > v.MAX_CONTACT_TEXT:
            raise invalid(name, f"must be at most {v.MAX_CONTACT_TEXT} characters")
        else:
            fields[name] = value
    if create and "name" not in fields:
        raise invalid("name", "is required")
    if create and body.get("emails") in (None, []):
        raise invalid("emails", "is required")
    if "emails" in body:
        fields["emails"] = emails_field(body["emails"])
    if body.get("phone_numbers") is not None:
        fields["phone_numbers"] = phone_numbers_field(body["phone_numbers"])
    if "linkedin" in body:
        linkedin = body["linkedin"]
        if linkedin not in (None, ""):
            try:
                v.validate_url(linkedin, "linkedin")
            except v.InvalidArgument:
                raise invalid("linkedin", "must be an absolute http(s) URL") from None
        fields["linkedin"] = linkedin or None
    if body.get("custom_fields") is not None:
        fields["custom_fields"] = custom_fields_field(store, body["custom_fields"])
    return fields


def owned(call: Call, contact: Json) -> Json:
    """Members see their own contacts; admins and owners see the organization's."""
    if contact_owner(call.store, contact) != call.user and not call.store.is_admin(call.user):
        raise permission_denied()
    return contact


def conflict(call: Call, owner: str, emails: list[Json], skip: str | None = None) -> None:
    wanted = {e["email"].lower() for e in emails}
    for contact in call.store.contacts.values():
        if contact_owner(call.store, contact) == owner and contact["uri"] != skip and wanted & {
            e["email"].lower() for e in contact["emails"]
        }:
            raise ApiError(409, "Already Exists",
                           "A contact with this email already exists", [])


def _excluding(call: Call) -> bool:
    """``exclude``: "Currently only ``custom_fields`` is supported." ([S26])."""
    raw = call.param("exclude")
    if raw is None:
        return False
    if any(part.strip() not in v.CONTACT_EXCLUDE for part in raw.split(",")):
        raise invalid("exclude", "only custom_fields is supported")
    return True


def _shown(contact: Json, exclude: bool) -> Json:
    return {k: val for k, val in contact.items() if not (exclude and k == "custom_fields")}


def create_contact(call: Call) -> Result:
    fields = contact_fields(call.store, body_object(call), create=True)
    conflict(call, call.user, fields["emails"])
    contact = add_contact(call.store, call.user, fields)
    call.emit("contact.created", contact_payload(call.store, contact), call.user)
    return 201, {"resource": contact}


def _values(call: Call, name: str) -> list[str] | None:
    raw = call.param(name)
    if raw is None:
        return None
    return [part.strip().lower() for part in raw.split(",") if part.strip()]


def list_contacts(call: Call) -> Result:
    """[S26] filters, each a comma-separated list of values (any may match): exact
    ``email``, ``phone_number``, ``timezone``, ``country`` and ``state``; partial ``name``,
    ``job_title``, ``company`` and ``city``."""
    store = call.store
    exclude = _excluding(call)
    owner = None if store.is_admin(call.user) else call.user
    wanted = {name: _values(call, name) for name in v.CONTACT_FILTERS}

    def matches(name: str, have: list[str], partial: bool) -> bool:
        values = wanted[name]
        return values is None or any(
            (want in h) if partial else (want == h) for want in values for h in have)

    def keep(c: Json) -> bool:
        text = {name: [str(c.get(name) or "").lower()] for name in v.CONTACT_TEXT_FIELDS}
        return ((owner is None or contact_owner(store, c) == owner)
                and matches("email", [e["email"].lower() for e in c["emails"]], False)
                and matches("phone_number", [p["phone_number"].lower()
                                             for p in c["phone_numbers"]], False)
                and all(matches(name, text[name], False)
                        for name in ("timezone", "country", "state"))
                and all(matches(name, text[name], True)
                        for name in ("name", "job_title", "company", "city")))

    items = [c for c in store.contacts.values() if keep(c)]
    page = list_small(call, items, ("created_at", "updated_at"), "created_at:asc")
    page["collection"] = [_shown(c, exclude) for c in page["collection"]]
    return 200, page


def get_contact(call: Call) -> Result:
    contact = owned(call, one(call.store.contacts, call.args[0]))
    return 200, {"resource": _shown(contact, _excluding(call))}


def update_contact(call: Call) -> Result:
    contact = owned(call, one(call.store.contacts, call.args[0]))
    changes = contact_fields(call.store, body_object(call), create=False)
    owner = contact_owner(call.store, contact)
    if "emails" in changes:  # the whole list is replaced, as Calendly does
        conflict(call, owner, changes["emails"], skip=contact["uri"])
    if "custom_fields" in changes:  # values set by definition; the others stay
        given = {f["uri"]: f for f in changes["custom_fields"]}
        kept = [f for f in contact["custom_fields"] if f["uri"] not in given]
        changes["custom_fields"] = kept + list(given.values())
    contact.update(changes)
    contact["updated_at"] = call.store.now()
    call.emit("contact.updated", contact_payload(call.store, contact), owner)
    return 200, {"resource": contact}


def delete_contact(call: Call) -> Result:
    contact = owned(call, one(call.store.contacts, call.args[0]))
    owner = contact_owner(call.store, contact)
    payload = contact_deleted_payload(call.store, contact, call.store.now())
    del call.store.contacts[call.args[0]]
    del call.store.contact_owners[call.args[0]]
    del call.store.contact_sources[call.args[0]]
    call.emit("contact.deleted", payload, owner)
    return 204, None


def list_custom_fields(call: Call) -> Result:
    return 200, list_small(call, list(call.store.custom_fields.values()),
                           ("created_at", "label"), "created_at:asc")


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
