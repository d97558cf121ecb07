"""Hypothesis: the date-time field and the cursor decoder answer every string with a value
or a ValidationError (a 400), never another exception (a 500)."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from django_calendly.api.serializers import (
    MAX_DATETIME,
    MIN_DATETIME,
    AwareDateTimeField,
    BusyTimesQuery,
)
from django_calendly.local.pagination import NameCursorPagination, StartTimeCursorPagination
from django_calendly.local.serializers import BoundedDateTimeField
from django_calendly.models import EventType, ScheduledEvent

offsets = st.integers(min_value=-(14 * 60), max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
# Every datetime Python has, with every offset ISO-8601 allows: the edges overflow in UTC.
aware = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz), st.datetimes(), offsets
)
# ... and more often than chance would: the first and last day Python has.
edges = st.builds(
    lambda naive, tz: naive.replace(tzinfo=tz),
    st.datetimes(min_value=datetime(9999, 12, 31)) | st.datetimes(max_value=datetime(1, 1, 1, 23)),
    offsets,
)
date_strings = st.one_of(
    edges.map(datetime.isoformat),
    aware.map(datetime.isoformat),
    st.datetimes().map(datetime.isoformat),  # naive
    st.text(max_size=40),
    st.from_regex(r"\A\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}([+-]\d{2}:\d{2}|Z)?\Z"),
)


@given(date_strings)
@settings(max_examples=200, deadline=None)
def test_aware_datetime_field_never_raises_anything_but_a_validation_error(text):
    field = AwareDateTimeField()
    field.bind("start_time", serializers.Serializer())
    try:
        value = field.to_internal_value(text)
    except serializers.ValidationError:
        return
    assert value.tzinfo is UTC
    assert MIN_DATETIME <= value < MAX_DATETIME
    value + timedelta(days=31)  # the range checks add at most this much


@given(date_strings)
@settings(max_examples=150, deadline=None)
def test_local_datetime_field_never_raises_anything_but_a_validation_error(text):
    field = BoundedDateTimeField()
    try:
        value = field.to_internal_value(text)
    except serializers.ValidationError:
        return
    assert MIN_DATETIME <= value < MAX_DATETIME


@given(aware | edges, aware | edges)
@settings(max_examples=150, deadline=None)
def test_busy_times_query_validates_any_pair_of_date_times(start, end):
    query = BusyTimesQuery(data={
        "user": "https://api.calendly.com/users/U1",
        "start_time": start.isoformat(),
        "end_time": end.isoformat(),
    })
    query.is_valid()  # True or False, never an exception


def _cursor_request(cursor: str) -> Request:
    return Request(APIRequestFactory().get("/", {"cursor": cursor}))


positions = st.one_of(
    edges.map(str),
    aware.map(str),
    aware.map(datetime.isoformat),
    st.text(max_size=30),
    st.datetimes().map(str),
)
tokens = st.fixed_dictionaries(
    {},
    optional={
        "p": positions,
        "o": st.one_of(st.integers(min_value=-5, max_value=10**30).map(str), st.text(max_size=5)),
        "r": st.one_of(st.sampled_from(["0", "1"]), st.text(max_size=3)),
    },
)
cursors = st.one_of(
    tokens.map(lambda t: base64.b64encode(urlencode(t).encode()).decode()),
    st.binary(max_size=40).map(lambda b: base64.b64encode(b).decode()),
    st.text(max_size=40),
)


@pytest.mark.parametrize(
    ("paginator", "model"),
    [(StartTimeCursorPagination, ScheduledEvent), (NameCursorPagination, EventType)],
)
@given(cursor=cursors)
@settings(max_examples=150, deadline=None)
def test_cursor_decoding_never_raises_anything_but_a_validation_error(paginator, model, cursor):
    pagination = paginator()
    pagination._model = model
    try:
        decoded = pagination.decode_cursor(_cursor_request(cursor))
    except serializers.ValidationError as exc:
        assert list(exc.detail) == ["cursor"]
        return
    if decoded is not None and decoded.position is not None:
        assert "\x00" not in decoded.position
        if model is ScheduledEvent:  # the position reaches the query as a date-time
            parsed = ScheduledEvent._meta.get_field("start_time").to_python(decoded.position)
            assert parsed.tzinfo is not None
            assert MIN_DATETIME <= parsed.astimezone(UTC) < MAX_DATETIME
