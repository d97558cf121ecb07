"""Input serializers of the directory families (issue 12): contacts, routing forms, meeting
recaps, groups, teams, the organization, the activity log, outgoing communications and the
deletion of event data.

As in ``serializers``, each check is the client's own (``client.validation`` and the
resource groups' rules), turned into a 400 naming the parameter before any call to
Calendly.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..client import validation as v
from ..client.resources.contacts import MAX_NAME
from ..client.resources.data_compliance import check_event_data_range
from ..client.resources.group_relationships import OWNER_KINDS
from ..client.resources.meeting_recaps import EDITABLE_FIELDS, MAX_MARKDOWN
from ..conf import calendly_settings
from .serializers import (
    AwareDateTimeField,
    PageTokenField,
    PagingQuery,
    SortField,
    UriField,
    _checked,
    _Query,
)

MAX_PHONE = v.MAX_CONTACT_PHONE


def _strings_field(help_text: str) -> serializers.CharField:
    """A query parameter holding one or more values, comma-separated (``a,b``)."""
    return serializers.CharField(required=False, max_length=8192, help_text=help_text)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# -- contacts ----------------------------------------------------------------------------
# Calendly's names and shapes ([S26]); the checks are the client's (client.validation).


def _values_field(help_text: str, max_length: int = MAX_NAME) -> serializers.CharField:
    return serializers.CharField(
        required=False, max_length=max_length * 10 + 9,
        help_text=help_text + " Several values: comma-separated (any may match).",
    )


class ContactsQuery(PagingQuery):
    """Calendly's search filters ([S26] ``GET /contacts``), each sent as given."""

    email = _values_field("Exact email address.", 254)
    phone_number = _values_field("Exact phone number.", MAX_PHONE)
    timezone = _values_field("Exact IANA time zone name.")
    name = _values_field("Part of the name.")
    job_title = _values_field("Part of the job title.")
    company = _values_field("Part of the company name.")
    country = _values_field("Exact two-letter country code (ISO 3166-1 alpha-2).", 2)
    state = _values_field("Exact state, province or region.")
    city = _values_field("Part of the city.")
    exclude = serializers.ChoiceField(
        choices=v.CONTACT_EXCLUDE, required=False,
        help_text="custom_fields: leave the custom field values out.",
    )
    sort = SortField("contacts", required=False)

    def validate_email(self, value: str) -> str:
        _checked(lambda: [v.validate_email(part) for part in _split(value)])
        return value

    def filters(self) -> dict[str, Any]:
        """Each filter as its list of values (the client sends them comma-separated)."""
        given = super().filters()
        for name in v.CONTACT_FILTERS:
            if name in given:
                given[name] = _split(given[name]) or [given[name]]
        return given


class ContactQuery(_Query):
    exclude = serializers.ChoiceField(
        choices=v.CONTACT_EXCLUDE, required=False,
        help_text="custom_fields: leave the custom field values out.",
    )


class ContactEmail(serializers.Serializer):
    """[S26] ``Email``: exactly one of a contact's emails is the primary one."""

    email = serializers.EmailField(max_length=254)
    is_primary = serializers.BooleanField()


class ContactPhoneNumber(serializers.Serializer):
    """[S26] ``PhoneNumber``."""

    phone_number = serializers.CharField(max_length=MAX_PHONE, trim_whitespace=False)


class ContactCustomFieldValue(serializers.Serializer):
    """A custom field value to set: ``uuid`` of the definition, ``value`` of its
    ``field_type`` (string, number, boolean, list of strings) or ``null``."""

    uuid = serializers.CharField(max_length=v.MAX_UUID_LENGTH)
    value = serializers.JSONField(allow_null=True)


def _objects(items: list[Any]) -> list[dict[str, Any]]:
    return [dict(item) for item in items]


def _no_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" not in value
    return not isinstance(value, list) or all(_no_nul(item) for item in value)


class _ContactFields(serializers.Serializer):
    """Unknown keys (``phones``, ``owner``, ...) are refused, not dropped: Calendly
    refuses them on an update, and a dropped field would be lost without a word."""

    name = serializers.CharField(max_length=MAX_NAME, trim_whitespace=False)
    emails = serializers.ListField(
        child=ContactEmail(),
        help_text="1 to 10 {email, is_primary}, exactly one primary, no address twice; "
                  "an update replaces the whole list.",
    )
    phone_numbers = serializers.ListField(
        child=ContactPhoneNumber(), required=False,
        help_text="At most 10 {phone_number}; an update replaces the whole list.",
    )
    timezone = serializers.CharField(required=False, max_length=MAX_NAME)
    job_title = serializers.CharField(required=False, max_length=MAX_NAME)
    company = serializers.CharField(required=False, max_length=MAX_NAME)
    country = serializers.CharField(
        required=False, max_length=MAX_NAME, help_text="Two-letter code (ISO 3166-1 alpha-2)."
    )
    state = serializers.CharField(required=False, max_length=MAX_NAME)
    city = serializers.CharField(required=False, max_length=MAX_NAME)
    linkedin = serializers.URLField(required=False, max_length=2048,
                                    help_text="LinkedIn profile URL.")
    custom_fields = serializers.ListField(
        child=ContactCustomFieldValue(), required=False,
        help_text="Custom field values by definition uuid; Calendly refuses the whole "
                  "request if a uuid is unknown or a value is not of its field's type.",
    )

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, dict):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {key: ["Not a contact field."] for key in unknown}
                )
        return super().to_internal_value(data)

    def validate_name(self, value: str) -> str:
        return _checked(lambda: v.validate_text(value, "name", MAX_NAME))

    def validate_emails(self, value: list[Any]) -> list[dict[str, Any]]:
        return _checked(lambda: v.validate_contact_emails(_objects(value)))

    def validate_phone_numbers(self, value: list[Any]) -> list[dict[str, str]]:
        return _checked(lambda: v.validate_contact_phone_numbers(_objects(value)))

    def validate_linkedin(self, value: str) -> str:
        return _checked(lambda: v.validate_url(value, "linkedin"))

    def validate_custom_fields(self, value: list[Any]) -> list[dict[str, Any]]:
        items = _checked(lambda: v.validate_contact_custom_fields(_objects(value)))
        if not all(_no_nul(item["value"]) for item in items):
            raise serializers.ValidationError("NUL characters are not allowed.")
        return items


class ContactCreateBody(_ContactFields):
    pass


class ContactUpdateBody(_ContactFields):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {"name": ["Give at least one field to change."]}
            )
        return attrs


# -- routing forms -----------------------------------------------------------------------


class RoutingFormsQuery(PagingQuery):
    organization = UriField("organization")
    sort = SortField("routing_forms", required=False)


class RoutingFormSubmissionsQuery(PagingQuery):
    form = UriField("routing_form", help_text="Routing form URI (required).")
    sort = SortField("routing_form_submissions", required=False)


# -- meeting recaps ----------------------------------------------------------------------


class MeetingRecapsQuery(PagingQuery):
    event = UriField("scheduled_event", required=False)
    start_time = AwareDateTimeField(required=False, help_text="Meetings from this time.")
    end_time = AwareDateTimeField(required=False, help_text="Meetings before this time.")
    status = serializers.ChoiceField(choices=v.MEETING_RECAP_STATUSES, required=False)
    attendee = serializers.EmailField(required=False, max_length=254)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start_time"), attrs.get("end_time")
        if start is not None and end is not None:
            _checked(lambda: v.validate_time_range(start, end), "end_time")
        return attrs


class MeetingRecapUpdateBody(serializers.Serializer):
    summary_md = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_MARKDOWN, trim_whitespace=False
    )
    action_items_md = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_MARKDOWN, trim_whitespace=False
    )
    discussion_md = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_MARKDOWN, trim_whitespace=False
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError(
                {name: [f"Give at least one of {', '.join(EDITABLE_FIELDS)}."]
                 for name in EDITABLE_FIELDS}
            )
        return attrs


# -- groups, group relationships, teams --------------------------------------------------


class GroupsQuery(PagingQuery):
    organization = UriField("organization")


def calendly_base() -> str:
    return str(calendly_settings.BASE_URL)


class GroupRelationshipsQuery(PagingQuery):
    organization = UriField("organization", required=False)
    owner = UriField(
        *OWNER_KINDS, required=False,
        help_text="The relationship's owner: an organization membership or an organization "
        "invitation URI.",
    )
    group = UriField("group", required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        names = ("organization", "owner", "group")
        if not any(attrs.get(name) for name in names):
            raise serializers.ValidationError(
                {name: ["One of organization, owner or group is required."] for name in names}
            )
        return attrs


class TeamsQuery(PagingQuery):
    user = UriField("user", required=False, help_text="Only the teams of this user.")


# -- Enterprise: activity log, outgoing communications, event data deletion ---------------


class ActivityLogQuery(_Query):
    organization = UriField("organization")
    search_term = serializers.CharField(required=False, max_length=v.MAX_ACTIVITY_LOG_SEARCH)
    actor = _strings_field("User URIs, comma-separated.")
    namespace = _strings_field("Namespaces, comma-separated.")
    action = _strings_field("Actions, comma-separated.")
    min_occurred_at = AwareDateTimeField(required=False)
    max_occurred_at = AwareDateTimeField(required=False)
    sort = serializers.CharField(
        required=False, max_length=200,
        help_text="`field:asc|desc` pairs, comma-separated, over action, actor.display_name, "
        "actor.uri, namespace, occurred_at.",
    )
    count = serializers.IntegerField(
        required=False, min_value=v.MIN_COUNT, max_value=v.MAX_ACTIVITY_LOG_COUNT,
        help_text=f"Page size, 1-{v.MAX_ACTIVITY_LOG_COUNT}.",
    )
    page_token = PageTokenField(required=False)

    def validate_actor(self, value: str) -> list[str]:
        base = calendly_base()
        return _checked(lambda: [v.validate_uri(uri, "user", base) for uri in _split(value)])

    def validate_namespace(self, value: str) -> list[str]:
        return _checked(lambda: v.validate_strings(_split(value), "namespace"))

    def validate_action(self, value: str) -> list[str]:
        return _checked(lambda: v.validate_strings(_split(value), "action"))

    def validate_sort(self, value: str) -> list[str]:
        pairs = _split(value) or [value]
        return _checked(lambda: [v.validate_sort(p, "activity_log_entries") for p in pairs])

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_occurred_at"), attrs.get("max_occurred_at")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_occurred_at": ["max_occurred_at must not be before min_occurred_at."]}
            )
        return attrs


class OutgoingCommunicationsQuery(PagingQuery):
    organization = UriField("organization")
    min_created_at = AwareDateTimeField(required=False)
    max_created_at = AwareDateTimeField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_created_at"), attrs.get("max_created_at")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError(
                {"max_created_at": ["max_created_at must not be before min_created_at."]}
            )
        return attrs


class DeleteEventDataBody(serializers.Serializer):
    start_time = AwareDateTimeField(help_text="Start of the past range (ISO-8601 with zone).")
    end_time = AwareDateTimeField(
        help_text="End of the range: in the past, at most 24 months after start_time."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _checked(lambda: check_event_data_range(attrs["start_time"], attrs["end_time"]),
                 "end_time")
        return attrs
