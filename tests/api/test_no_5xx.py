"""No 5xx from any input: each reproduction of issue 9 (part 2) answers a clear 4xx (or a
503 while the database is down) in the app's one error shape."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from .conftest import BASE, assert_error

pytestmark = pytest.mark.django_db

FAR = ("9999-12-31T23:00:00-14:00", "9999-12-31T23:30:00-14:00")


def _urls_with_far_dates(world: Any) -> list[tuple[str, str]]:
    start, end = FAR
    return [
        ("user/busy-times/?"
         + urlencode({"user": world.user_uri, "start_time": start, "end_time": end}),
         "start_time"),
        ("event/type/available-times/?"
         + urlencode({"event_type": world.event_type_uri, "start_time": start, "end_time": end}),
         "start_time"),
        ("scheduled/events/list/?"
         + urlencode({"user": world.user_uri, "min_start_time": "0001-01-01T00:00:00+14:00"}),
         "min_start_time"),
        ("scheduled/events/list/?"
         + urlencode({"user": world.user_uri, "max_start_time": "9999-12-31T23:59:59-14:00"}),
         "max_start_time"),
    ]


def test_dates_out_of_range_are_a_400_naming_the_parameter(member_api, world, sb):
    for url, parameter in _urls_with_far_dates(world):
        response = member_api.get(BASE + url)
        assert_error(response, 400, "invalid_input", parameter)
    assert sb.stats()["total_requests"] == 0


@pytest.mark.parametrize(
    "query",
    ["min_start_time=0001-01-01T00:00:00%2B14:00", "max_start_time=9999-12-31T23:59:59-14:00"],
)
def test_local_dates_out_of_range_are_a_400(member_api, query):
    response = member_api.get(BASE + "local/scheduled-events/?" + query)
    assert_error(response, 400, "invalid_input", query.split("=")[0])


NOT_A_DATE = "cD1ub3RhZGF0ZSZvPTA="  # p=notadate&o=0
NUL = "cD0A"  # p=\x00
NEGATIVE_OFFSET = "cD0yMDMwLTAxLTAxVDAwOjAwOjAwJTJCMDA6MDAmbz0tMQ=="  # o=-1
NAIVE = "cD0yMDMwJm89OTk5OTk5OTk5OTk5OTk5OTk5OTk5OQ=="  # p=2030, a huge offset


@pytest.mark.parametrize(
    ("url", "cursor"),
    [
        ("local/scheduled-events/", NOT_A_DATE),
        ("local/scheduled-events/", NUL),
        ("local/scheduled-events/", NEGATIVE_OFFSET),
        ("local/scheduled-events/", NAIVE),
        ("local/scheduled-events/", "cD0wMDAxLTAxLTAxVDAwOjAwOjAwJTJCMTQ6MDA="),  # year 1, +14
        ("local/event-types/", NUL),
        ("local/event-types/", NEGATIVE_OFFSET),
        ("local/event-types/", "//79"),  # not ASCII once decoded
    ],
)
def test_local_cursors_that_are_not_ours_are_a_400(member_api, settings, url, cursor):
    settings.CALENDLY_ORGANIZATION = "https://api.calendly.com/organizations/ORG1"
    response = member_api.get(BASE + url, {"cursor": cursor})
    assert_error(response, 400, "invalid_input", "cursor")


def test_nul_bytes_in_parameters_are_refused(member_api, settings, world):
    settings.CALENDLY_ORGANIZATION = "https://api.calendly.com/organizations/ORG1"
    assert_error(
        member_api.get(BASE + "local/scheduled-events/", {"invitee_email": "a\x00@example.com"}),
        400, "invalid_input", "invitee_email",
    )
    assert_error(
        member_api.get(BASE + "local/scheduled-events/", {"status": "active\x00"}),
        400, "invalid_input", "status",
    )
    assert_error(
        member_api.get(BASE + "scheduled/events/list/", {"user": world.user_uri,
                                                         "page_token": "ab\x00"}),
        400, "invalid_input", "page_token",
    )


def test_a_nul_byte_in_a_path_segment_is_a_4xx(member_api):
    response = member_api.get(BASE + "local/scheduled-events/ab%00cd/")
    assert_error(response, 400, "invalid_input", "uuid")


def test_too_many_query_parameters_is_a_400(member_api):
    query = "&".join(f"p{i}=1" for i in range(1200))
    response = member_api.get(BASE + "local/event-types/?" + query)
    assert_error(response, 400, "too_many_fields")


def test_too_many_form_fields_is_a_400(api, world):
    body = "&".join(f"f{i}=1" for i in range(1200))
    response = api.generic(
        "POST", BASE + f"scheduled/events/{world.event_uuid}/cancellation/", body,
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 400, "too_many_fields")


def test_a_body_over_the_upload_limit_is_a_413(api, world, settings):
    body = json.dumps({"reason": "x" * (3 * 1024 * 1024)})
    response = api.generic(
        "POST", BASE + f"scheduled/events/{world.event_uuid}/cancellation/", body,
        content_type="application/json",
    )
    assert_error(response, 413, "request_too_large")


def test_deeply_nested_json_is_a_400(api, world, sb):
    body = "[" * 100_000 + "]" * 100_000
    response = api.generic("POST", BASE + "invitee-no-show/", body,
                           content_type="application/json")
    assert_error(response, 400, "invalid_input")
    body = '{"reason": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api.generic(
        "POST", BASE + f"scheduled/events/{world.event_uuid}/cancellation/", body,
        content_type="application/json",
    )
    assert_error(response, 400, "invalid_input")
    assert sb.stats()["total_requests"] == 0


@pytest.mark.parametrize(
    ("url", "body", "parameter"),
    [
        ("scheduled/events/{event}/cancellation/", {"reason": 123}, "reason"),
        ("scheduled/events/{event}/cancellation/", {"reason": ["x"]}, "reason"),
        ("scheduled/events/{event}/cancellation/", {"reason": True}, "reason"),
        ("invitee-no-show/", {"invitee": 5}, "invitee"),
        ("organizations/{org}/invitations/", {"email": {"a": 1}}, "email"),
        ("remove/invitees/", {"emails": "a@example.com"}, "emails"),
        ("remove/invitees/", {"emails": [1]}, "emails[0]"),
        ("webhook/subscription/", {"url": "https://example.com/h", "events": ["invitee.created"],
                                   "organization": "{org_uri}", "scope": 1}, "scope"),
        ("webhook/subscription/", {"url": "https://example.com/h", "events": [1],
                                   "organization": "{org_uri}", "scope": "organization"},
         "events[0]"),
    ],
)
def test_wrong_json_types_are_refused_not_coerced(api, world, sb, url, body, parameter):
    url = url.format(event=world.event_uuid, org=world.org_uuid)
    body = json.loads(json.dumps(body).replace("{org_uri}", world.org_uri))
    response = api.post(BASE + url, body, format="json")
    assert_error(response, 400, "invalid_input", parameter)
    assert sb.stats()["total_requests"] == 0
    assert world.event_uuid  # the event stays as it was
    event = api.get(BASE + f"scheduled/events/{world.event_uuid}/").json()["resource"]
    assert event["status"] == "active"


def test_form_bodies_still_work(api, world):
    response = api.post(BASE + f"scheduled/events/{world.event_uuid}/cancellation/",
                        {"reason": "by form"})
    assert response.status_code == 201, response.content


@contextmanager
def database_down():
    def refuse(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


@pytest.mark.parametrize(
    "url",
    ["user/details/me/", "local/scheduled-events/", "local/event-types/",
     "local/scheduled-events/abc/", "oauth/status/"],
)
def test_database_down_is_a_503_with_retry_after(member, url, sb):
    client = APIClient()
    client.force_login(member)  # the session is read from the database on each request
    with database_down():
        response = client.get(BASE + url)
    body = assert_error(response, 503, "database_unavailable")
    assert int(response["Retry-After"]) > 0
    assert "Connection refused" not in json.dumps(body)


def test_unknown_paths_under_the_prefix_are_a_json_404(member_api, anon):
    for client in (member_api, anon):
        for path in ("nope/", "local/nope", "scheduled/events/a/b/c/d/", "%00"):
            assert_error(client.get(BASE + path), 404, "not_found")
        assert_error(client.post(BASE + "nope/", {}), 404, "not_found")


def test_a_slash_less_path_of_a_plain_view_still_redirects(anon):
    response = anon.get(BASE + "oauth/status")
    assert response.status_code == 301
    assert response["Location"].endswith("/oauth/status/")


def _app_patterns(patterns: list[Any]) -> list[Any]:
    from django.urls import URLResolver

    out = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            out.extend(_app_patterns(pattern.url_patterns))
        else:
            out.append(pattern)
    return out


def test_every_view_of_the_app_is_guarded():
    import django_calendly.urls

    patterns = _app_patterns(django_calendly.urls.urlpatterns)
    assert len(patterns) > 50
    assert all(getattr(p.callback, "calendly_guarded", False) for p in patterns), [
        p for p in patterns if not getattr(p.callback, "calendly_guarded", False)
    ]


def test_a_genuine_bug_is_a_500_without_its_text_in_the_answer_or_the_log(rf, caplog):
    from django_calendly.api.failures import guard

    @guard
    def buggy(request: Any) -> Any:
        raise KeyError(request.GET["email"])

    with caplog.at_level("ERROR", logger="django_calendly.api"):
        response = buggy(rf.get("/modules/calendly/x/", {"email": "ada@example.com"}))
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body == {"code": "internal_error", "title": "Internal error",
                    "message": "The server failed to handle the request; it has been logged.",
                    "details": []}
    assert "KeyError" in caplog.text and "buggy" in caplog.text  # type and where
    assert "ada@example.com" not in caplog.text


def test_json_bodies_of_the_right_type_still_work(api, world):
    response = api.post(BASE + f"scheduled/events/{world.event_uuid}/cancellation/",
                        {"reason": None}, format="json")
    assert response.status_code == 201, response.content
