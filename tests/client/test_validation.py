"""Bad input is refused with ValueError before anything is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from django_calendly.client import validation as v

from .conftest import API

SANDBOX = "http://127.0.0.1:8001"


@pytest.mark.parametrize(
    "value",
    ["", "a/b", "../users/me", "a?b", "a#b", "a b", "a%2Fb", "a.b", "x" * 101, None, 12, "é"],
)
def test_bad_uuids_are_refused(value):
    with pytest.raises(ValueError):
        v.validate_uuid(value)


@pytest.mark.parametrize("value", ["AAAAAAAAAAAAAAAA", "af8074d8-1b2c-4d5e-9f00-123456789abc",
                                   "a_b-C9", "x" * 100])
def test_good_uuids_pass(value):
    assert v.validate_uuid(value) == value


def test_me_is_allowed_only_for_users():
    assert v.validate_uuid("me", allow_me=True) == "me"
    assert v.validate_uuid("me") == "me"  # a plain uuid that happens to be "me"
    with pytest.raises(ValueError):
        v.validate_uuid("", allow_me=True)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (API + "/users/U1", "user"),
        (API + "/organizations/O1", "organization"),
        (API + "/event_types/ET1", "event_type"),
        (API + "/scheduled_events/E1/invitees/I1", "invitee"),
        (API + "/groups/G1", "group"),
        (SANDBOX + "/users/U1", "user"),
        (SANDBOX + "/scheduled_events/E1", "scheduled_event"),
    ],
)
def test_calendly_uris_pass(value, kind):
    assert v.validate_uri(value, kind, SANDBOX) == value


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("https://evil.example.com/users/U1", "user"),
        ("https://api.calendly.com.evil.com/users/U1", "user"),
        (API + "/users/U1", "organization"),
        (API + "/users/", "user"),
        (API + "/users/U1/", "user"),
        (API + "/users/U1?x=1", "user"),
        (API + "/users/a/b", "user"),
        (API + "/scheduled_events/E1", "invitee"),
        (API + "/scheduled_events/E1/invitees/", "invitee"),
        ("http://api.calendly.com/users/U1", "user"),
        ("U1", "user"),
        ("", "user"),
        (None, "user"),
        (SANDBOX + "/users/U1", "user"),  # no base_url given below
    ],
)
def test_non_calendly_uris_are_refused(value, kind):
    with pytest.raises(ValueError):
        v.validate_uri(value, kind)


def test_uri_parts():
    assert v.parse_uri(API + "/scheduled_events/E1/invitees/I1", "invitee") == {
        "event_uuid": "E1", "uuid": "I1"}
    assert v.uuid_from_uri(API + "/event_types/ET1", "event_type") == "ET1"
    assert v.uuid_or_uri("ET1", "event_type") == "ET1"
    assert v.uuid_or_uri(API + "/event_types/ET1", "event_type") == "ET1"
    with pytest.raises(ValueError):
        v.uuid_or_uri(API + "/users/ET1", "event_type")
    with pytest.raises(ValueError, match="Unknown resource kind"):
        v.parse_uri(API + "/users/U1", "nope")


def test_uri_error_message_shows_the_expected_shape():
    with pytest.raises(ValueError, match=r"/scheduled_events/\{event_uuid\}/invitees/\{uuid\}"):
        v.validate_uri("x", "invitee")


@pytest.mark.parametrize("value", [0, 101, -1, True, 1.5, "20", None])
def test_bad_counts(value):
    with pytest.raises(ValueError):
        v.validate_count(value)


@pytest.mark.parametrize("value", [1, 20, 100])
def test_good_counts(value):
    assert v.validate_count(value) == value


@pytest.mark.parametrize(
    ("endpoint", "good", "bad"),
    [
        ("event_types", ["name:asc", "position:desc", "created_at:asc,name:desc",
                         "updated_at:desc"], ["start_time:asc", "name", "name:up", ""]),
        ("scheduled_events", ["start_time:asc", "start_time:desc"],
         ["created_at:asc", "start_time"]),
        ("invitees", ["created_at:asc", "created_at:desc"], ["name:asc"]),
        ("invitations", ["created_at:desc"], ["email:asc"]),
        ("webhook_subscriptions", ["created_at:asc"], ["updated_at:asc"]),
    ],
)
def test_sort_values_follow_the_reference(endpoint, good, bad):
    for value in good:
        assert v.validate_sort(value, endpoint) == value
    for value in bad:
        with pytest.raises(ValueError):
            v.validate_sort(value, endpoint)


def test_choices():
    assert v.validate_choice("active", v.EVENT_STATUSES, "status") == "active"
    with pytest.raises(ValueError, match="status must be one of active, canceled"):
        v.validate_choice("cancelled", v.EVENT_STATUSES, "status")
    with pytest.raises(ValueError):
        v.validate_choice("pending", v.INVITEE_STATUSES, "status")
    assert v.validate_choice("declined", v.INVITATION_STATUSES, "status")
    with pytest.raises(ValueError):
        v.validate_choice("superuser", v.MEMBERSHIP_ROLES, "role")


def test_datetimes_become_utc_z():
    aware = datetime(2026, 1, 2, 5, 4, 5, 678123, tzinfo=timezone(timedelta(hours=2)))
    assert v.validate_datetime(aware) == "2026-01-02T03:04:05.678123Z"
    assert v.validate_datetime("2026-01-02T03:04:05Z") == "2026-01-02T03:04:05.000000Z"
    assert v.validate_datetime("2026-01-02T04:04:05+01:00") == "2026-01-02T03:04:05.000000Z"


@pytest.mark.parametrize("value", [datetime(2026, 1, 2), "2026-01-02T03:04:05", "tomorrow",
                                   20260102, None])
def test_naive_or_bad_datetimes_are_refused(value):
    with pytest.raises(ValueError):
        v.validate_datetime(value, "min_start_time")


def test_time_ranges():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert v.validate_time_range(start, start + timedelta(days=7), v.BUSY_TIMES_MAX_RANGE)
    with pytest.raises(ValueError, match="at most 7 days"):
        v.validate_time_range(start, start + timedelta(days=7, seconds=1), v.BUSY_TIMES_MAX_RANGE)
    assert v.validate_time_range(start, start + timedelta(days=31), v.AVAILABLE_TIMES_MAX_RANGE)
    with pytest.raises(ValueError):
        v.validate_time_range(start, start + timedelta(days=32), v.AVAILABLE_TIMES_MAX_RANGE)
    with pytest.raises(ValueError, match="after"):
        v.validate_time_range(start, start)


def test_webhook_events_and_scopes():
    assert v.validate_events(["invitee.created", "invitee.canceled"], "user")
    assert v.validate_events(["routing_form_submission.created"], "organization")
    with pytest.raises(ValueError, match="organization scope"):
        v.validate_events(["meeting_recap.created"], "organization")
    with pytest.raises(ValueError, match="user scope"):
        v.validate_events(["routing_form_submission.created"], "user")
    for bad in [[], "invitee.created", ["invitee.updated"], ["invitee.created"] * 2]:
        with pytest.raises(ValueError):
            v.validate_events(bad)
    assert v.validate_webhook_scope("organization", None, None) == {"scope": "organization"}
    assert v.validate_webhook_scope("user", API + "/users/U1", None) == {
        "scope": "user", "user": API + "/users/U1"}
    with pytest.raises(ValueError, match="user is required"):
        v.validate_webhook_scope("user", None, None)
    with pytest.raises(ValueError, match="group is required"):
        v.validate_webhook_scope("group", None, None)
    with pytest.raises(ValueError):
        v.validate_webhook_scope("account", None, None)


@pytest.mark.parametrize(("args", "name"), [
    (("organization", API + "/users/U1", None), "user"),  # user only with scope user
    (("group", API + "/users/U1", API + "/groups/G1"), "user"),
    (("organization", None, API + "/groups/G1"), "group"),  # group only with scope group
    (("user", API + "/users/U1", API + "/groups/G1"), "group"),
    (("user", None, None), "user"),
    (("group", None, None), "group"),
    (("user", API + "/organizations/O1", None), "user"),
    (("account", None, None), "scope"),
])
def test_webhook_scope_errors_name_the_argument(args, name):
    with pytest.raises(v.InvalidArgument) as info:
        v.validate_webhook_scope(*args)
    assert info.value.name == name


@pytest.mark.parametrize(("events", "scope", "name"), [
    ("invitee.created", None, "events"),
    ([], None, "events"),
    (["invitee.created", "invitee.exploded"], None, "events[1]"),
    (["invitee.created", "meeting_recap.created"], "organization", "events[1]"),
    (["invitee.created", "invitee.created"], "user", "events"),
])
def test_event_errors_name_the_argument(events, scope, name):
    with pytest.raises(v.InvalidArgument) as info:
        v.validate_events(events, scope)
    assert info.value.name == name


def test_time_range_errors_name_the_argument():
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for end in (start, start + timedelta(days=8)):
        with pytest.raises(v.InvalidArgument) as info:
            v.validate_time_range(start, end, v.BUSY_TIMES_MAX_RANGE)
        assert info.value.name == "end_time"
    with pytest.raises(v.InvalidArgument) as info:
        v.validate_time_range("2026-01-01T00:00:00", end)
    assert info.value.name == "start_time"


def test_start_time_bounds():
    low = datetime(2026, 1, 1, tzinfo=UTC)
    v.validate_start_time_bounds(low, low)
    v.validate_start_time_bounds(low, None)
    v.validate_start_time_bounds(None, low)
    v.validate_start_time_bounds("2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00")
    v.validate_start_time_bounds(datetime(2026, 1, 1), datetime(2026, 1, 2))  # both naive
    with pytest.raises(v.InvalidArgument, match="max_start_time must not be before") as info:
        v.validate_start_time_bounds(low, low - timedelta(microseconds=1))
    assert info.value.name == "max_start_time"


def test_emails_urls_tokens_reasons():
    assert v.validate_email("a@b.example") == "a@b.example"
    for bad in ["", "ab", "a b@c", "a@b@c", None]:
        with pytest.raises(ValueError):
            v.validate_email(bad)
    assert v.validate_emails(("a@b.c", "d@e.f")) == ["a@b.c", "d@e.f"]
    for bad in [[], "a@b.c", ["x"]]:
        with pytest.raises(ValueError):
            v.validate_emails(bad)
    assert v.validate_url("https://example.com/hook")
    for bad in ["ftp://x/y", "/hook", "https://", "https://a b/", None]:
        with pytest.raises(ValueError):
            v.validate_url(bad)
    with pytest.raises(ValueError):
        v.validate_page_token("")
    assert v.validate_reason("x" * 10_000)
    with pytest.raises(ValueError):
        v.validate_reason("x" * 10_001)
