"""Idempotency-Key on the REST API's POSTs, against the sandbox over real HTTP.

A retried POST with the same key acts once and gets the first answer again; the rules for
what is stored and what is released are in ``django_calendly.api.idempotency``.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from django_calendly.api.idempotency import fingerprint
from django_calendly.models import IdempotencyKey

from .conftest import BASE, assert_error
from .world import last

pytestmark = pytest.mark.django_db


def cancel_url(world: Any) -> str:
    return BASE + f"scheduled/events/{world.event_uuid}/cancellation/"


def cancels(sb: Any, world: Any) -> int:
    # The sandbox counts routes, not URLs; each test cancels one event at most.
    return int(sb.stats()["requests"].get("POST /scheduled_events/{uuid}/cancellation", 0))


def no_shows_created(sb: Any) -> int:
    return int(sb.stats()["requests"].get("POST /invitee_no_shows", 0))


def post(client: APIClient, url: str, data: Any, key: str | None) -> Any:
    headers = {} if key is None else {"HTTP_IDEMPOTENCY_KEY": key}
    return client.post(url, data, format="json", **headers)


def test_same_key_twice_acts_once_and_answers_the_same(
    sb: Any, world: Any, api: APIClient, direct: Any
) -> None:
    first = post(api, cancel_url(world), {"reason": "Host is ill"}, "book-1")
    assert first.status_code == 201, first.content
    assert first.get("Idempotent-Replayed") is None
    again = post(api, cancel_url(world), {"reason": "Host is ill"}, "book-1")
    assert again.status_code == 201
    assert again.content == first.content
    assert again["Content-Type"] == first["Content-Type"]
    assert again["Idempotent-Replayed"] == "true"
    assert cancels(sb, world) == 1
    assert direct.scheduled_events.get(world.event_uuid)["status"] == "canceled"
    # Without the key the same request runs again, and Calendly refuses it: it acted once.
    third = post(api, cancel_url(world), {"reason": "Host is ill"}, None)
    assert_error(third, 403, "upstream_permission_denied")
    assert cancels(sb, world) == 2


def test_without_the_header_nothing_is_recorded(sb: Any, world: Any, api: APIClient) -> None:
    assert post(api, cancel_url(world), {}, None).status_code == 201
    assert_error(post(api, cancel_url(world), {}, None), 403, "upstream_permission_denied")
    assert not IdempotencyKey.objects.exists()


def test_same_key_with_another_request_is_422(sb: Any, world: Any, api: APIClient) -> None:
    assert post(api, cancel_url(world), {"reason": "a"}, "k").status_code == 201
    body = assert_error(
        post(api, cancel_url(world), {"reason": "b"}, "k"), 422, "idempotency_key_reused",
        "Idempotency-Key",
    )
    assert "different request" in body["message"]
    other_path = BASE + "invitee-no-show/"
    assert_error(post(api, other_path, {"invitee": world.invitee_uri}, "k"), 422,
                 "idempotency_key_reused")
    assert cancels(sb, world) == 1 and no_shows_created(sb) == 0


def test_key_order_and_whitespace_do_not_make_another_request(
    sb: Any, world: Any, api: APIClient
) -> None:
    url = BASE + "invitee-no-show/"
    compact = json.dumps({"invitee": world.invitee_uri}, separators=(",", ":"))
    spaced = json.dumps({"invitee": world.invitee_uri}, indent=4)
    first = api.post(url, compact, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s")
    again = api.post(url, spaced, content_type="application/json", HTTP_IDEMPOTENCY_KEY="s")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and no_shows_created(sb) == 1


def test_keys_are_per_user(
    sb: Any, world: Any, api: APIClient, django_user_model: Any, direct: Any
) -> None:
    other = django_user_model.objects.create_user("staff2", "s2@example.com", "pw",
                                                  is_staff=True)
    other_api = APIClient()
    other_api.force_authenticate(other)
    second_invitee = sb.book()["uri"]
    url = BASE + "invitee-no-show/"
    mine = post(api, url, {"invitee": world.invitee_uri}, "shared-key")
    theirs = post(other_api, url, {"invitee": second_invitee}, "shared-key")
    assert mine.status_code == theirs.status_code == 201
    assert theirs.get("Idempotent-Replayed") is None
    assert mine.json()["resource"]["invitee"] == world.invitee_uri
    assert theirs.json()["resource"]["invitee"] == second_invitee
    assert no_shows_created(sb) == 2
    assert IdempotencyKey.objects.filter(key="shared-key").count() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "caf\u00e9", "tab\there", "new\x7fline"])
def test_bad_key_is_400(key: str, sb: Any, world: Any, api: APIClient) -> None:
    body = assert_error(post(api, cancel_url(world), {}, key), 400, "invalid_idempotency_key",
                        "Idempotency-Key")
    assert "printable ASCII" in body["message"]
    assert cancels(sb, world) == 0 and not IdempotencyKey.objects.exists()


def test_longest_key_and_spaces_are_accepted(sb: Any, world: Any, api: APIClient) -> None:
    key = "a b~" + "z" * 251
    assert len(key) == 255
    assert post(api, cancel_url(world), {}, key).status_code == 201
    assert post(api, cancel_url(world), {}, key)["Idempotent-Replayed"] == "true"


def test_expired_key_runs_again_and_expired_rows_are_purged(
    sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    settings.CALENDLY_IDEMPOTENCY_TTL = 60
    url = BASE + "invitee-no-show/"
    first = post(api, url, {"invitee": world.invitee_uri}, "exp")
    assert first.status_code == 201
    row = IdempotencyKey.objects.get(key="exp")
    assert timedelta(seconds=55) < row.expires_at - timezone.now() <= timedelta(seconds=60)
    assert post(api, cancel_url(world), {}, "other").status_code == 201
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    direct_uuid = last(first.json()["resource"]["uri"])
    assert api.delete(BASE + f"invitee-no-show/{direct_uuid}/delete/").status_code == 204
    again = post(api, url, {"invitee": world.invitee_uri}, "exp")
    assert again.status_code == 201 and again.get("Idempotent-Replayed") is None
    assert again.json()["resource"]["uri"] != first.json()["resource"]["uri"]
    assert no_shows_created(sb) == 2
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["exp"]


def test_a_deterministic_refusal_is_stored(sb: Any, api: APIClient) -> None:
    url = BASE + "scheduled/events/AAAAAAAAAAAAAAAA/cancellation/"
    first = post(api, url, {}, "nf")
    assert_error(first, 404, "not_found")
    again = post(api, url, {}, "nf")
    assert again.status_code == 404 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert sb.stats()["requests"].get("POST /scheduled_events/{uuid}/cancellation") == 1


def test_a_validation_error_is_stored(sb: Any, world: Any, api: APIClient) -> None:
    first = post(api, cancel_url(world), {"reason": ["x"]}, "v")
    assert_error(first, 400, "invalid_input", "reason")
    again = post(api, cancel_url(world), {"reason": ["x"]}, "v")
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert cancels(sb, world) == 0


def test_a_rate_limited_attempt_releases_the_key(sb: Any, world: Any, api: APIClient) -> None:
    sb.configure(rate_limit=1, rate_window=60)
    assert api.get(BASE + f"scheduled/events/{world.event_uuid}/").status_code == 200
    limited = post(api, cancel_url(world), {}, "rl")
    assert_error(limited, 429, "rate_limited")
    assert not IdempotencyKey.objects.filter(key="rl").exists()  # Calendly did not act
    sb.configure(rate_limit=None)
    retried = post(api, cancel_url(world), {}, "rl")
    assert retried.status_code == 201 and retried.get("Idempotent-Replayed") is None


def test_an_unknown_outcome_is_stored_not_rerun(sb: Any, world: Any, api: APIClient) -> None:
    # A Calendly 5xx: Calendly may have acted, so the retry gets the same 502, not a rerun.
    sb.configure(error_rate=1.0)
    first = post(api, cancel_url(world), {}, "5xx")
    assert first.status_code == 502
    sb.configure(error_rate=0.0)
    again = post(api, cancel_url(world), {}, "5xx")
    assert again.status_code == 502 and again.content == first.content
    assert again["Idempotent-Replayed"] == "true"
    assert cancels(sb, world) == 1


def test_unreachable_calendly_releases_the_key(
    sb: Any, world: Any, api: APIClient, settings: Any
) -> None:
    from django_calendly.services.clients import close_clients

    settings.CALENDLY_BASE_URL = "http://127.0.0.1:9"  # nothing listens: never sent
    close_clients()
    try:
        assert_error(post(api, cancel_url(world), {}, "down"), 502, "upstream_unreachable")
    finally:
        settings.CALENDLY_BASE_URL = sb.url
        close_clients()
    assert not IdempotencyKey.objects.filter(key="down").exists()
    assert post(api, cancel_url(world), {}, "down").status_code == 201


def _running(user: Any, url: str, data: Any, key: str, age: timedelta) -> None:
    request = APIRequestFactory().post(url, data, format="json")
    digest = fingerprint(Request(request, parsers=[JSONParser()]))
    started = timezone.now() - age
    IdempotencyKey.objects.create(user=user, key=key, fingerprint=digest, created_at=started,
                                  expires_at=started + timedelta(days=1))


def test_a_retry_while_the_first_runs_is_409(
    sb: Any, world: Any, api: APIClient, staff: Any, settings: Any
) -> None:
    settings.CALENDLY_IDEMPOTENCY_WAIT = 0.2
    _running(staff, cancel_url(world), {"reason": "r"}, "busy", timedelta(seconds=1))
    body = assert_error(post(api, cancel_url(world), {"reason": "r"}, "busy"), 409,
                        "idempotency_in_progress")
    assert "still running" in body["message"]
    assert post(api, cancel_url(world), {"reason": "r"}, "busy")["Retry-After"] == "1"
    assert cancels(sb, world) == 0
    # The first finishes: the retry gets its answer.
    IdempotencyKey.objects.filter(key="busy").update(
        state=IdempotencyKey.DONE, status_code=201, headers={"Content-Type": "application/json"},
        body=b'{"resource": {}}',
    )
    done = post(api, cancel_url(world), {"reason": "r"}, "busy")
    assert done.status_code == 201 and done.json() == {"resource": {}}


def test_an_abandoned_claim_is_outcome_unknown(
    sb: Any, world: Any, api: APIClient, staff: Any
) -> None:
    _running(staff, cancel_url(world), {}, "dead", timedelta(hours=1))
    assert_error(post(api, cancel_url(world), {}, "dead"), 409, "idempotency_outcome_unknown")
    assert cancels(sb, world) == 0


ANON_KEY = "0b6f9c1e-8c3a-4f57-9d0e-2a7c5b1d4e3f"


@pytest.fixture
def open_writes(settings: Any) -> None:
    """Writes open to anonymous callers, with the app's token (a public page's settings)."""
    settings.CALENDLY_WRITE_PERMISSION_CLASSES = ["rest_framework.permissions.AllowAny"]
    settings.CALENDLY_APP_TOKEN_FALLBACK = "everyone"


def test_an_anonymous_retry_with_the_same_key_acts_once(
    sb: Any, world: Any, anon: APIClient, open_writes: None
) -> None:
    first = post(anon, cancel_url(world), {"reason": "ill"}, ANON_KEY)
    again = post(APIClient(), cancel_url(world), {"reason": "ill"}, ANON_KEY)
    assert first.status_code == again.status_code == 201, first.content
    assert again["Idempotent-Replayed"] == "true" and again.content == first.content
    assert cancels(sb, world) == 1
    row = IdempotencyKey.objects.get()
    assert row.user_id is None and ANON_KEY not in row.key  # only its digest is stored


def test_anonymous_strangers_with_one_key_never_see_each_others_answers(
    sb: Any, world: Any, anon: APIClient, open_writes: None
) -> None:
    url = BASE + "invitee-no-show/"
    second_invitee = sb.book()["uri"]
    mine = post(anon, url, {"invitee": world.invitee_uri}, ANON_KEY)
    theirs = post(APIClient(), url, {"invitee": second_invitee}, ANON_KEY)
    # Another request with the same key is another request: no replay, and no 422 telling
    # the stranger that the key is in use.
    assert mine.status_code == theirs.status_code == 201, theirs.content
    assert theirs.get("Idempotent-Replayed") is None
    assert theirs.json()["resource"]["invitee"] == second_invitee
    assert no_shows_created(sb) == 2


def test_an_anonymous_key_is_unrelated_to_a_users_identical_key(
    sb: Any, world: Any, api: APIClient, anon: APIClient, open_writes: None
) -> None:
    url = BASE + "invitee-no-show/"
    assert post(api, url, {"invitee": world.invitee_uri}, ANON_KEY).status_code == 201
    answer = post(anon, url, {"invitee": world.invitee_uri}, ANON_KEY)
    assert answer.get("Idempotent-Replayed") is None  # ran (Calendly refuses a second one)
    assert no_shows_created(sb) == 2


def test_a_short_anonymous_key_is_400(
    sb: Any, world: Any, anon: APIClient, open_writes: None
) -> None:
    body = assert_error(post(anon, cancel_url(world), {}, "k" * 15), 400,
                        "invalid_idempotency_key", "Idempotency-Key")
    assert "at least 16 characters" in body["message"]
    assert cancels(sb, world) == 0 and not IdempotencyKey.objects.exists()


def test_unauthenticated_is_refused_before_the_key(sb: Any, world: Any, anon: APIClient) -> None:
    response = post(anon, cancel_url(world), {}, "x" * 300)
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"


def test_other_methods_ignore_the_header(sb: Any, world: Any, api: APIClient) -> None:
    url = BASE + f"scheduled/events/{world.event_uuid}/"
    assert api.get(url, HTTP_IDEMPOTENCY_KEY="\t").status_code == 200
    assert not IdempotencyKey.objects.exists()


def test_the_schema_documents_the_header_on_every_post_only(tmp_path: Any) -> None:
    import yaml
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf",
                 "tests.api.schema_urls", "--file", str(out))
    paths = yaml.safe_load(out.read_text())["paths"]
    seen = {"post": 0, "other": 0}
    for item in paths.values():
        for method, operation in item.items():
            names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
            if method == "post":
                assert names == ["Idempotency-Key"], operation["operationId"]
                seen["post"] += 1
            else:
                assert "Idempotency-Key" not in names
                seen["other"] += 1
    assert seen["post"] >= 5 and seen["other"] > 0  # the 5 POSTs of today, and any new one


def test_a_running_claim_outlives_a_short_ttl(
    sb: Any, world: Any, api: APIClient, staff: Any, settings: Any
) -> None:
    # A TTL shorter than the first request must not free its key while it runs.
    settings.CALENDLY_IDEMPOTENCY_WAIT = 0
    _running(staff, cancel_url(world), {}, "slow", timedelta(seconds=5))
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(post(api, cancel_url(world), {}, "slow"), 409, "idempotency_in_progress")
    assert post(api, cancel_url(world), {}, "another").status_code == 201  # purges nothing
    assert IdempotencyKey.objects.filter(key="slow").exists()
    assert cancels(sb, world) == 1


def test_an_abandoned_expired_claim_frees_the_key(
    sb: Any, world: Any, api: APIClient, staff: Any
) -> None:
    _running(staff, cancel_url(world), {}, "gone", timedelta(hours=1))
    IdempotencyKey.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert post(api, cancel_url(world), {}, "gone").status_code == 201
    assert cancels(sb, world) == 1


def test_malformed_json_with_a_key_is_400_and_claims_nothing(
    sb: Any, world: Any, api: APIClient
) -> None:
    response = api.post(cancel_url(world), "{not json", content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY="bad-json")
    assert_error(response, 400, "invalid_input")
    assert not IdempotencyKey.objects.exists() and cancels(sb, world) == 0


@pytest.mark.parametrize("name", ["IDEMPOTENCY_TTL", "IDEMPOTENCY_WAIT"])
@pytest.mark.parametrize("value", ["soon", -1])
def test_bad_settings_are_system_check_errors(name: str, value: Any, settings: Any) -> None:
    from django_calendly.checks import check_settings

    setattr(settings, f"CALENDLY_{name}", value)
    assert [m for m in check_settings() if m.id == "calendly.E002" and name in m.msg]
