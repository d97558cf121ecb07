"""Errors are chosen by status and carry what Calendly said."""

from __future__ import annotations

import httpx
import pytest

from django_calendly.client import errors

from .conftest import error, ok


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, errors.BadRequest),
        (401, errors.Unauthorized),
        (403, errors.PermissionDenied),
        (404, errors.NotFound),
        (409, errors.Conflict),
        (422, errors.UnprocessableEntity),
        (424, errors.FailedDependency),
        (429, errors.RateLimited),
        (500, errors.ServerError),
        (502, errors.ServerError),
        (503, errors.ServerError),
        (418, errors.APIError),
    ],
)
def test_status_picks_the_error_class(make_client, status, cls):
    client, _ = make_client([error(status, "Some Title", "Some message")], max_retries=0)
    with pytest.raises(cls) as info:
        client.users.me()
    exc = info.value
    assert type(exc) is cls
    assert isinstance(exc, errors.APIError) and isinstance(exc, errors.CalendlyError)
    assert exc.status == status
    assert exc.title == "Some Title"
    assert exc.message == "Some message"


def test_error_carries_details_request_id_and_headers(make_client):
    details = [{"parameter": "count", "message": "must be <= 100"}, {"message": "and more"}]
    client, _ = make_client(
        [error(400, "Invalid Argument", "The supplied parameters are invalid.",
               headers={"X-Request-Id": "req-42", "X-Other": "1"}, details=details)]
    )
    with pytest.raises(errors.BadRequest) as info:
        client.users.me()
    exc = info.value
    assert exc.details == details
    assert exc.request_id == "req-42"
    assert exc.headers["x-other"] == "1"
    text = str(exc)
    assert text == (
        "400 Invalid Argument: The supplied parameters are invalid. "
        "(count: must be <= 100; and more) [request id req-42]"
    )
    assert "req-42" in repr(exc)


def test_error_body_that_is_not_json_still_gives_the_status_class(make_client):
    client, _ = make_client([httpx.Response(404, text="<html>gone</html>")])
    with pytest.raises(errors.NotFound) as info:
        client.users.me()
    assert info.value.title == "Not Found"
    assert "gone" in info.value.message
    assert info.value.request_id is None


def test_rate_limited_reports_retry_after(make_client):
    client, _ = make_client(
        [error(429, "Too Many Requests", "slow down", headers={"X-RateLimit-Reset": "30"})],
        max_retries=0,
    )
    with pytest.raises(errors.RateLimited) as info:
        client.users.me()
    assert info.value.retry_after == 30
    assert "retry after 30s" in str(info.value)


def test_success_body_that_is_not_json_is_invalid_response(make_client):
    client, _ = make_client([httpx.Response(200, text="{not json")], max_retries=0)
    with pytest.raises(errors.InvalidResponse) as info:
        client.users.me()
    assert info.value.status == 200
    assert info.value.body == b"{not json"


def test_success_body_without_resource_is_invalid_response(make_client):
    client, _ = make_client([ok({"collection": []})])
    with pytest.raises(errors.InvalidResponse):
        client.users.me()


def test_list_without_collection_is_invalid_response(make_client):
    client, _ = make_client([ok({"resource": {}})])
    with pytest.raises(errors.InvalidResponse):
        client.event_types.list(user="https://api.calendly.com/users/U1")


def test_timeout_is_a_transport_error():
    assert issubclass(errors.Timeout, errors.TransportError)
    assert issubclass(errors.OAuthError, errors.APIError)
    assert not issubclass(errors.InvalidResponse, errors.APIError)
