"""The OpenAPI schema: it validates without warnings and describes the 26 endpoints."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from rest_framework.test import APIClient

from django_calendly.client import validation as v

OPERATIONS = {
    ("get", "/modules/calendly/user/details/{user_uuid}/"): "calendly_user_details",
    ("get", "/modules/calendly/event/types/"): "calendly_event_types_list",
    ("get", "/modules/calendly/single/event/types/{uuid}/"): "calendly_event_type_get",
    ("get", "/modules/calendly/event/type/available-times/"):
        "calendly_event_type_available_times",
    ("get", "/modules/calendly/user/busy-times/"): "calendly_user_busy_times",
    ("get", "/modules/calendly/user-availability-schedules/"):
        "calendly_availability_schedules_list",
    ("get", "/modules/calendly/user-availability-schedules/{uuid}/"):
        "calendly_availability_schedule_get",
    ("delete", "/modules/calendly/remove/invitees/"): "calendly_remove_invitees",
    ("get", "/modules/calendly/organizations/{uuid}/invitations/list/"):
        "calendly_invitations_list",
    ("post", "/modules/calendly/organizations/{uuid}/invitations/"): "calendly_invitation_create",
    ("delete", "/modules/calendly/organization/{org_uuid}/revoke/invitation/{uuid}/"):
        "calendly_invitation_revoke",
    ("get", "/modules/calendly/organization/{org_uuid}/invitation/{uuid}/"):
        "calendly_invitation_get",
    ("get", "/modules/calendly/organization/membership/{uuid}/"): "calendly_membership_get",
    ("get", "/modules/calendly/organization/memberships/list/"): "calendly_memberships_list",
    ("delete", "/modules/calendly/organization/membership/{uuid}/delete/"):
        "calendly_membership_delete",
    ("get", "/modules/calendly/scheduled/events/{uuid}/invitees/"):
        "calendly_event_invitees_list",
    ("get", "/modules/calendly/scheduled/events/list/"): "calendly_scheduled_events_list",
    ("get", "/modules/calendly/scheduled/events/{uuid}/"): "calendly_scheduled_event_get",
    ("post", "/modules/calendly/scheduled/events/{uuid}/cancellation/"):
        "calendly_scheduled_event_cancel",
    ("post", "/modules/calendly/invitee-no-show/"): "calendly_no_show_create",
    ("get", "/modules/calendly/invitee-no-show/{uuid}/"): "calendly_no_show_get",
    ("delete", "/modules/calendly/invitee-no-show/{uuid}/delete/"): "calendly_no_show_delete",
    ("post", "/modules/calendly/webhook/subscription/"): "calendly_webhook_subscription_create",
    ("get", "/modules/calendly/webhook/subscriptions/list/"):
        "calendly_webhook_subscriptions_list",
    ("get", "/modules/calendly/webhook/subscription/{webhook_uuid}/"):
        "calendly_webhook_subscription_get",
    ("delete", "/modules/calendly/webhook/subscription/{webhook_uuid}/delete/"):
        "calendly_webhook_subscription_delete",
}
ORIGINAL_26 = dict(OPERATIONS)

# -- booking from the project's own pages (issue 12) --
OPERATIONS[("post", "/modules/calendly/invitees/")] = "calendly_invitee_book"

# Event types in resource-oriented form, and sharing (issue 12).
EVENT_TYPE_OPERATIONS = {
    ("get", "/modules/calendly/event-types/"): "calendly_event_types_v2_list",
    ("post", "/modules/calendly/event-types/"): "calendly_event_type_create",
    ("get", "/modules/calendly/event-types/{uuid}/"): "calendly_event_type_v2_get",
    ("patch", "/modules/calendly/event-types/{uuid}/"): "calendly_event_type_update",
    ("get", "/modules/calendly/event-types/{uuid}/hosts/"): "calendly_event_type_hosts",
    ("get", "/modules/calendly/event-types/{uuid}/availability/"):
        "calendly_event_type_availability_get",
    ("patch", "/modules/calendly/event-types/{uuid}/availability/"):
        "calendly_event_type_availability_update",
    ("get", "/modules/calendly/event-types/{uuid}/available-times/"):
        "calendly_event_type_open_slots",
    ("post", "/modules/calendly/one-off-event-types/"): "calendly_one_off_event_type_create",
    ("post", "/modules/calendly/scheduling-links/"): "calendly_scheduling_link_create",
    ("post", "/modules/calendly/shares/"): "calendly_share_create",
    ("get", "/modules/calendly/locations/"): "calendly_locations_list",
}

ALL_OPERATIONS = {**OPERATIONS, **EVENT_TYPE_OPERATIONS}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: Any) -> dict:
    out = Path(tmp_path_factory.mktemp("schema")) / "schema.yaml"
    # --validate checks against the OpenAPI 3 JSON schema; --fail-on-warn turns any
    # generation warning (an undocumented parameter, an unknown type) into a failure.
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.api.schema_urls",
        "--file", str(out),
    )
    return yaml.safe_load(out.read_text())


def test_schema_has_the_26_operations(schema: dict) -> None:
    assert len(ORIGINAL_26) == 26
    for (method, path), operation_id in ALL_OPERATIONS.items():
        assert path in schema["paths"], path
        assert schema["paths"][path][method]["operationId"] == operation_id
    found = {
        op["operationId"] for item in schema["paths"].values() for op in item.values()
    }
    # remove/invitees also answers POST, as the original module did. Later endpoints
    # (issue 12) are checked by their own tests.
    assert {*ALL_OPERATIONS.values(), "calendly_remove_invitees_post"} <= found


def test_every_operation_documents_the_error_shape(schema: dict) -> None:
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"code", "title", "message", "details"}
    for (method, path) in ALL_OPERATIONS:
        responses = schema["paths"][path][method]["responses"]
        for status in ("400", "401", "403", "429", "502", "503", "504"):
            ref = responses[status]["content"]["application/json"]["schema"]["$ref"]
            assert ref == "#/components/schemas/Error"


def test_the_error_shape_documents_the_insufficient_scope_fields(schema: dict) -> None:
    # scope_errors.insufficient_scope_response adds them (tests/api/test_endpoint_scopes.py).
    error = schema["components"]["schemas"]["Error"]
    scopes, reconnect = error["properties"]["required_scopes"], error["properties"]["reconnect_url"]
    assert scopes["type"] == "array" and scopes["items"] == {"type": "string"}
    assert reconnect["type"] == "string" and reconnect["format"] == "uri"
    assert "insufficient_scope" in scopes["description"]
    assert "insufficient_scope" in reconnect["description"]
    assert not {"required_scopes", "reconnect_url"} & set(error["required"])


def test_parameters_and_bodies_are_described(schema: dict) -> None:
    paths = schema["paths"]
    events = paths["/modules/calendly/scheduled/events/list/"]["get"]["parameters"]
    names = {p["name"] for p in events}
    assert {"organization", "user", "count", "page_token", "sort", "status",
            "min_start_time", "max_start_time", "invitee_email"} <= names
    count = next(p for p in events if p["name"] == "count")["schema"]
    assert (count["minimum"], count["maximum"]) == (1, 100)
    hook = paths["/modules/calendly/webhook/subscription/"]["post"]
    body_ref = hook["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][body_ref.rsplit("/", 1)[-1]]
    assert set(body["required"]) == {"url", "events", "organization", "scope"}
    assert "201" in hook["responses"]
    delete = paths["/modules/calendly/webhook/subscription/{webhook_uuid}/delete/"]["delete"]
    assert "204" in delete["responses"]
    uuid_param = delete["parameters"][0]
    assert uuid_param["in"] == "path" and uuid_param["schema"]["pattern"]


@pytest.mark.parametrize(
    ("path", "name", "check", "valid", "invalid"),
    [
        (
            "/modules/calendly/scheduled/events/list/", "organization",
            lambda value: v.validate_uri(value, "organization"),
            ["https://api.calendly.com/organizations/AB-c_1"],
            ["0", "https://api.calendly.com/users/AB", "https://evil.example/organizations/AB",
             "https://api.calendly.com/organizations/AB/x"],
        ),
        (
            "/modules/calendly/scheduled/events/list/", "sort",
            lambda value: v.validate_sort(value, "scheduled_events"),
            ["start_time:asc", "start_time:desc, start_time:asc"],
            ["0", "start_time", "name:asc", "start_time:up"],
        ),
        (
            "/modules/calendly/event/types/", "sort",
            lambda value: v.validate_sort(value, "event_types"),
            ["name:asc,position:desc", "updated_at:desc"],
            ["start_time:asc", "name:asc,"],
        ),
    ],
)
def test_patterns_describe_what_the_validators_accept(
    schema: dict, path: str, name: str, check: Any, valid: list[str], invalid: list[str]
) -> None:
    # The schema's pattern and the serializer's check agree: a client generating requests
    # from the schema (schemathesis, a typed SDK) is not refused for what it was allowed.
    parameters = schema["paths"][path]["get"]["parameters"]
    pattern = re.compile(next(p for p in parameters if p["name"] == name)["schema"]["pattern"])
    for value in valid:
        assert pattern.search(value), value
        check(value)
    for value in invalid:
        assert not pattern.search(value), value
        with pytest.raises(ValueError):
            check(value)


def test_a_delete_with_a_body_documents_it(schema: dict) -> None:
    remove = schema["paths"]["/modules/calendly/remove/invitees/"]["delete"]
    assert remove["requestBody"]["required"] is True
    ref = remove["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert body["properties"]["emails"]["minItems"] == 1
    # Deletes without a body stay without one.
    revoke = schema["paths"]["/modules/calendly/invitee-no-show/{uuid}/delete/"]["delete"]
    assert "requestBody" not in revoke


@pytest.mark.django_db
def test_schema_and_docs_are_served_to_logged_in_users_only() -> None:
    from django.contrib.auth import get_user_model

    client = APIClient()
    assert client.get("/modules/calendly/schema/").status_code in (401, 403)
    # A browser that is not logged in is sent to the login page, and back afterwards.
    login = client.get("/modules/calendly/docs/")
    assert login.status_code == 302
    assert login["Location"] == "/login/?next=/modules/calendly/docs/"  # LOGIN_URL
    client.force_authenticate(get_user_model().objects.create_user("reader"))
    response = client.get("/modules/calendly/schema/", {"format": "json"})
    assert response.status_code == 200
    served = response.json()
    # A title and version without any SPECTACULAR_SETTINGS (the demo sets none).
    assert served["info"]["title"] == "django-calendly"
    assert served["info"]["version"] not in ("", "0.0.0")
    ids = {op["operationId"] for item in served["paths"].values() for op in item.values()}
    assert set(OPERATIONS.values()) <= ids
    docs = client.get("/modules/calendly/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    # The page's assets are served by Django (drf-spectacular-sidecar), not by a CDN.
    assert b"/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content
    assert b"cdn.jsdelivr" not in docs.content


_HOST_CHECK = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
client = APIClient()
client.force_authenticate(get_user_model().objects.create_user("reader"))
response = client.get("/integrations/calendly/schema/", {"format": "json"})
print(json.dumps({"status": response.status_code,
                  "paths": sorted(response.json().get("paths", {}))}))
"""


def test_the_served_schema_needs_no_setting_and_describes_this_app_only() -> None:
    # A fresh process: drf-spectacular reads DEFAULT_SCHEMA_CLASS when the views are
    # imported, so the host's settings must be in place from the start.
    import json
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.api.host_settings",
        "PYTHONPATH": os.pathsep.join(str(root / d) for d in ("", "example", "src")),
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _HOST_CHECK], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    served = json.loads(done.stdout.strip().splitlines()[-1])
    assert served["status"] == 200
    assert "/integrations/calendly/scheduled/events/{uuid}/" in served["paths"]
    assert "/integrations/calendly/local/scheduled-events/" in served["paths"]
    assert not any("secret-reports" in path for path in served["paths"])
