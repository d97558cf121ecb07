"""Input serializers: every parameter checked before anything is sent to Calendly.

The checks themselves are the client's (``django_calendly.client.validation``), so the REST
layer and the client agree on what Calendly accepts (REFERENCE.md sections 3, 4 and 7);
these fields turn their ``InvalidArgument`` into a 400 naming the parameter, and give the
OpenAPI schema its types and enums.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..client import validation as v
from ..conf import calendly_settings


def _checked(check: Callable[[], Any], field: str | None = None) -> Any:
    """Run a client check; its ``InvalidArgument`` becomes a DRF ``ValidationError``.

    In a field's ``to_internal_value`` (no ``field``) the message is the field's own error.
    In a serializer's ``validate`` give ``field``: the error is keyed by the argument the
    client named (``v.InvalidArgument.name``), else by ``field``. Any other ``ValueError``
    is a bug of the check, not the caller's input: it is let out (a logged 500).
    """
    try:
        return check()
    except v.InvalidArgument as exc:
        if field is None:
            raise serializers.ValidationError(str(exc)) from None
        raise serializers.ValidationError({exc.name or field: [str(exc)]}) from None


def check_path_uuid(name: str, value: str, *, allow_me: bool = False) -> str:
    """A uuid taken from the URL path; a 400 naming ``name`` when it is not one."""
    try:
        return v.validate_uuid(value, name, allow_me=allow_me)
    except v.InvalidArgument as exc:
        raise serializers.ValidationError({name: [str(exc)]}) from None


class UriField(serializers.CharField):
    """A Calendly resource URI of one kind (or one of several ``kinds``), under
    api.calendly.com or ``CALENDLY_BASE_URL``."""

    def __init__(self, kind: str, *other_kinds: str, **kwargs: Any) -> None:
        self.kind = kind
        self.kinds = (kind, *other_kinds)
        kwargs.setdefault("max_length", 2048)
        label = " or ".join(k.replace("_", " ") for k in self.kinds)
        kwargs.setdefault("help_text", f"Calendly {label} URI (https://api.calendly.com/...).")
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        base = calendly_settings.BASE_URL
        if len(self.kinds) == 1:
            return _checked(lambda: v.validate_uri(value, self.kind, base))
        for kind in self.kinds:
            try:
                return v.validate_uri(value, kind, base)
            except ValueError:
                continue
        label = " or ".join(k.replace("_", " ") for k in self.kinds)
        raise serializers.ValidationError(f"Expected a Calendly {label} URI.")


#: Date-times the endpoints accept, in UTC. Python's datetime ends at 9999-12-31, so a time
#: near either end overflows when it is converted to UTC or a range is added to it (up to
#: 31 days); no Calendly meeting is outside these bounds.
MIN_DATETIME = datetime(1900, 1, 1, tzinfo=UTC)
MAX_DATETIME = datetime(9999, 1, 1, tzinfo=UTC)


def in_range(value: datetime) -> datetime:
    """``value`` in UTC, or a ``ValidationError`` when it is outside the accepted years."""
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        utc = None
    if utc is None or not MIN_DATETIME <= utc < MAX_DATETIME:
        raise serializers.ValidationError(
            f"Date-time out of range: give one from {MIN_DATETIME:%Y-%m-%d} to before "
            f"{MAX_DATETIME:%Y-%m-%d} (UTC)."
        )
    return utc


_LOST_PLUS = re.compile(r"(?<=\d) (\d{2}:?\d{2})$")


@extend_schema_field(OpenApiTypes.DATETIME)
class AwareDateTimeField(serializers.Field):
    """ISO-8601 date-time with a zone; the value is an aware ``datetime`` in UTC."""

    def to_internal_value(self, data: Any) -> datetime:
        if not isinstance(data, str) or len(data) > 64:
            raise serializers.ValidationError("Expected an ISO-8601 date-time string.")
        name = self.field_name or "time"
        # An unencoded "+01:00" in a query string arrives as " 01:00": take it back.
        data = _LOST_PLUS.sub(r"+\1", data)
        return in_range(_checked(lambda: v.parse_datetime(data, name)))

    def to_representation(self, value: datetime) -> str:
        return v.format_datetime(value)


class SortField(serializers.CharField):
    """``field:asc|desc`` pairs allowed by Calendly for one list."""

    def __init__(self, endpoint: str, **kwargs: Any) -> None:
        self.endpoint = endpoint
        allowed = ", ".join(f"{f}:asc|desc" for f in v.SORT_FIELDS[endpoint])
        kwargs.setdefault("help_text", f"Sort order: {allowed} (comma-separated pairs).")
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data)
        return _checked(lambda: v.validate_sort(value, self.endpoint))


def _ecma_escape(text: str) -> str:
    """``text`` as a literal in an OpenAPI (ECMA-262) pattern."""
    return re.sub(r"([.^$*+?()\[\]{}|\\])", r"\\\1", text)


class _UriFieldSchema(OpenApiSerializerFieldExtension):
    """A ``UriField`` in the schema: the pattern ``validation.parse_uri`` checks, under the
    base URLs it accepts (Calendly's, and ``CALENDLY_BASE_URL`` when it differs)."""

    target_class = UriField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: UriField = self.target
        bases = "|".join(_ecma_escape(b) for b in v.accepted_bases(calendly_settings.BASE_URL))
        paths = "|".join(
            re.sub(r"\(\?P<\w+>\{u\}\)", lambda _: v.UUID_REGEX, v.URI_PATTERNS[kind])
            for kind in field.kinds
        )
        path = paths if len(field.kinds) == 1 else f"({paths})"
        return {
            "type": "string",
            "format": "uri",
            "maxLength": field.max_length,
            "pattern": f"^({bases}){path}$",
        }


class _SortFieldSchema(OpenApiSerializerFieldExtension):
    """A ``SortField`` in the schema: the pairs ``validation.validate_sort`` accepts."""

    target_class = SortField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        field: SortField = self.target
        pair = (
            rf"\s*({'|'.join(v.SORT_FIELDS[field.endpoint])}):"
            rf"({'|'.join(v.SORT_DIRECTIONS)})\s*"
        )
        return {"type": "string", "maxLength": field.max_length, "pattern": f"^{pair}(,{pair})*$"}


class PageTokenField(serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 2048)
        kwargs.setdefault("help_text", "Token of the page to fetch, from a previous answer.")
        super().__init__(**kwargs)


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=v.MIN_COUNT, max_value=v.MAX_COUNT,
        help_text="Page size, 1-100 (Calendly's default is 20).",
    )


class _Query(serializers.Serializer):
    """Query parameters; unknown ones are ignored (never forwarded)."""

    def filters(self) -> dict[str, Any]:
        """The validated parameters that were given, ready for the client."""
        out: dict[str, Any] = {}
        for key, value in self.validated_data.items():
            if value is None:
                continue
            out[key] = v.format_datetime(value) if isinstance(value, datetime) else value
        return out


class PagingQuery(_Query):
    count = _count()
    page_token = PageTokenField(required=False)


def _require_one_of(attrs: dict[str, Any], *names: str) -> None:
    if not any(attrs.get(name) for name in names):
        raise serializers.ValidationError(
            {name: [f"One of {' or '.join(names)} is required."] for name in names}
        )


class EventTypesQuery(PagingQuery):
    organization = UriField("organization", required=False)
    user = UriField("user", required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    sort = SortField("event_types", required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _require_one_of(attrs, "organization", "user")
        if attrs.get("organization") and attrs.get("user"):
            raise serializers.ValidationError(
                {"user": ["Give either organization or user, not both."]}
            )
        return attrs


def _check_range(attrs: dict[str, Any], max_range: Any) -> dict[str, Any]:
    start, end = attrs["start_time"], attrs["end_time"]
    # REST-only (the client leaves it to Calendly): start_time not in the past (section 7).
    if start < datetime.now(UTC):
        raise serializers.ValidationError({"start_time": ["start_time must not be in the past."]})
    _checked(lambda: v.validate_time_range(start, end, max_range), "end_time")
    return attrs


class AvailableTimesQuery(_Query):
    event_type = UriField("event_type")
    start_time = AwareDateTimeField(help_text="Start, ISO-8601 with zone; not in the past.")
    end_time = AwareDateTimeField(help_text="End, at most 31 days after start_time.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _check_range(attrs, v.AVAILABLE_TIMES_MAX_RANGE)


class BusyTimesQuery(_Query):
    user = UriField("user")
    start_time = AwareDateTimeField(help_text="Start, ISO-8601 with zone; not in the past.")
    end_time = AwareDateTimeField(help_text="End, at most 7 days after start_time.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _check_range(attrs, v.BUSY_TIMES_MAX_RANGE)


class SchedulesQuery(_Query):
    user = UriField("user")


class RemoveInviteesBody(serializers.Serializer):
    emails = serializers.ListField(
        child=serializers.EmailField(max_length=254),
        allow_empty=False,
        min_length=1,  # the same rule, for the schema (minItems)
        help_text="Email addresses whose invitee data Calendly deletes (Enterprise plan).",
    )


class InvitationsQuery(PagingQuery):
    email = serializers.EmailField(required=False, max_length=254)
    sort = SortField("invitations", required=False)
    status = serializers.ChoiceField(choices=v.INVITATION_STATUSES, required=False)


class InviteBody(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="Address to invite.")


class MembershipsQuery(PagingQuery):
    organization = UriField("organization", required=False)
    user = UriField("user", required=False)
    email = serializers.EmailField(required=False, max_length=254)
    role = serializers.ChoiceField(choices=v.MEMBERSHIP_ROLES, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _require_one_of(attrs, "organization", "user")
        return attrs


class InviteesQuery(PagingQuery):
    sort = SortField("invitees", required=False)
    status = serializers.ChoiceField(choices=v.INVITEE_STATUSES, required=False)
    email = serializers.EmailField(required=False, max_length=254)
    invitee_email = serializers.EmailField(
        required=False, max_length=254, help_text="Same as email (the original module's name)."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        alias = attrs.pop("invitee_email", None)
        if alias:
            if attrs.get("email") and attrs["email"] != alias:
                raise serializers.ValidationError(
                    {"invitee_email": ["email and invitee_email differ; give one of them."]}
                )
            attrs["email"] = alias
        return attrs


class ScheduledEventsQuery(PagingQuery):
    organization = UriField("organization", required=False)
    user = UriField("user", required=False)
    sort = SortField("scheduled_events", required=False)
    status = serializers.ChoiceField(choices=v.EVENT_STATUSES, required=False)
    min_start_time = AwareDateTimeField(required=False)
    max_start_time = AwareDateTimeField(required=False)
    invitee_email = serializers.EmailField(required=False, max_length=254)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _require_one_of(attrs, "organization", "user")
        low, high = attrs.get("min_start_time"), attrs.get("max_start_time")
        _checked(lambda: v.validate_start_time_bounds(low, high), "max_start_time")
        return attrs


class CancelBody(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=v.MAX_CANCEL_REASON,
        trim_whitespace=False,
        help_text="Why the event is canceled (sent to Calendly only when given).",
    )


class NoShowBody(serializers.Serializer):
    invitee = UriField("invitee")


class WebhookCreateBody(serializers.Serializer):
    url = serializers.URLField(max_length=2048, help_text="Where Calendly sends the events.")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=sorted(v.WEBHOOK_EVENTS)),
        allow_empty=False,
        min_length=1,
    )
    organization = UriField("organization")
    scope = serializers.ChoiceField(choices=v.WEBHOOK_SCOPES)
    user = UriField("user", required=False, help_text="Required when scope is user.")
    group = UriField("group", required=False, help_text="Required when scope is group.")
    signing_key = serializers.CharField(
        required=False, min_length=1, max_length=1024, trim_whitespace=False,
        help_text="Shared secret Calendly signs deliveries with; keep it, it cannot be read back.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_scope(attrs)
        _checked(lambda: v.validate_events(attrs["events"], attrs["scope"]), "events")
        return attrs


def _check_scope(attrs: dict[str, Any]) -> None:
    """The client's scope rule: ``user`` with scope user only, ``group`` with group only."""
    _checked(
        lambda: v.validate_webhook_scope(
            attrs["scope"], attrs.get("user"), attrs.get("group"), calendly_settings.BASE_URL
        ),
        "scope",
    )


class WebhookListQuery(PagingQuery):
    organization = UriField("organization")
    scope = serializers.ChoiceField(choices=v.WEBHOOK_SCOPES)
    user = UriField("user", required=False, help_text="Required when scope is user.")
    group = UriField("group", required=False, help_text="Required when scope is group.")
    sort = SortField("webhook_subscriptions", required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_scope(attrs)
        return attrs


# Response envelopes (documentation): Calendly's bodies, passed through.


class ResourceEnvelopeSerializer(serializers.Serializer):
    resource = serializers.DictField(help_text="Calendly's resource, unchanged.")


class PaginationSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next_page = serializers.URLField(
        allow_null=True, help_text="This endpoint's URL for the next page, or null."
    )
    previous_page = serializers.URLField(allow_null=True)
    next_page_token = serializers.CharField(allow_null=True)
    previous_page_token = serializers.CharField(allow_null=True)


class PagedCollectionSerializer(serializers.Serializer):
    collection = serializers.ListField(child=serializers.DictField())
    pagination = PaginationSerializer()


class CollectionSerializer(serializers.Serializer):
    collection = serializers.ListField(child=serializers.DictField())
