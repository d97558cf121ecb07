"""The directory endpoints (issue 12) in the OpenAPI schema: each operation, its
parameters, and an example."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command

P = "/modules/calendly/"

OPERATIONS = {
    ("get", "contacts/"): "calendly_contacts_list",
    ("post", "contacts/"): "calendly_contact_create",
    ("get", "contacts/custom-fields/"): "calendly_contact_custom_fields_list",
    ("get", "contacts/custom-fields/{uuid}/"): "calendly_contact_custom_field_get",
    ("get", "contacts/{uuid}/"): "calendly_contact_get",
    ("patch", "contacts/{uuid}/"): "calendly_contact_update",
    ("delete", "contacts/{uuid}/"): "calendly_contact_delete",
    ("get", "routing-forms/"): "calendly_routing_forms_list",
    ("get", "routing-forms/{uuid}/"): "calendly_routing_form_get",
    ("get", "routing-form-submissions/"): "calendly_routing_form_submissions_list",
    ("get", "routing-form-submissions/{uuid}/"): "calendly_routing_form_submission_get",
    ("get", "meeting-recaps/"): "calendly_meeting_recaps_list",
    ("get", "meeting-recaps/{uuid}/"): "calendly_meeting_recap_get",
    ("patch", "meeting-recaps/{uuid}/"): "calendly_meeting_recap_update",
    ("delete", "meeting-recaps/{uuid}/"): "calendly_meeting_recap_delete",
    ("get", "meeting-recaps/{uuid}/transcript/"): "calendly_meeting_recap_transcript",
    ("get", "groups/"): "calendly_groups_list",
    ("get", "groups/{uuid}/"): "calendly_group_get",
    ("get", "group-relationships/"): "calendly_group_relationships_list",
    ("get", "group-relationships/{uuid}/"): "calendly_group_relationship_get",
    ("get", "teams/"): "calendly_teams_list",
    ("get", "teams/{uuid}/"): "calendly_team_get",
    ("get", "organizations/{uuid}/"): "calendly_organization_get",
    ("get", "activity-log/"): "calendly_activity_log_list",
    ("get", "outgoing-communications/"): "calendly_outgoing_communications_list",
    ("post", "data-compliance/events/"): "calendly_delete_event_data",
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory: Any) -> dict:
    out = Path(tmp_path_factory.mktemp("schema")) / "schema.yaml"
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--urlconf", "tests.api.schema_urls",
        "--file", str(out),
    )
    return yaml.safe_load(out.read_text())


def test_each_operation_is_documented_with_an_example(schema: dict) -> None:
    for (method, path), operation_id in OPERATIONS.items():
        operation = schema["paths"][P + path][method]
        assert operation["operationId"] == operation_id
        responses = operation["responses"]
        assert responses["400"]["content"]["application/json"]["schema"]["$ref"] == (
            "#/components/schemas/Error"
        )
        success = next(code for code in responses if code.startswith("2"))
        if success not in ("202", "204"):  # 202: Calendly's body, not described
            assert responses[success]["content"]["application/json"].get("examples"), (
                operation_id
            )
        if method in ("post", "patch"):
            body = operation["requestBody"]["content"]["application/json"]
            assert body.get("examples"), operation_id


def test_parameters_carry_the_client_rules(schema: dict) -> None:
    log = schema["paths"][P + "activity-log/"]["get"]["parameters"]
    count = next(p for p in log if p["name"] == "count")["schema"]
    assert (count["minimum"], count["maximum"]) == (1, 1000)
    assert next(p for p in log if p["name"] == "organization")["required"] is True
    recaps = schema["paths"][P + "meeting-recaps/"]["get"]["parameters"]
    status = next(p for p in recaps if p["name"] == "status")["schema"]
    assert set(status["enum"]) == {"available", "processing", "unavailable"}
    sort = next(
        p for p in schema["paths"][P + "contacts/"]["get"]["parameters"] if p["name"] == "sort"
    )["schema"]
    assert "created_at" in sort["pattern"] and "updated_at" in sort["pattern"]
    search = next(p for p in log if p["name"] == "search_term")["schema"]
    assert search["maxLength"] == 300  # Calendly's maxLength
    relationships = schema["paths"][P + "group-relationships/"]["get"]["parameters"]
    owner = next(p for p in relationships if p["name"] == "owner")["schema"]
    assert "organization_memberships" in owner["pattern"]
    assert "invitations" in owner["pattern"] and "/users/" not in owner["pattern"]


def test_writes_say_which_permission_they_need(schema: dict) -> None:
    own = schema["paths"][P + "contacts/{uuid}/"]["patch"]["description"]
    assert "own Calendly connection" in own
    deletion = schema["paths"][P + "data-compliance/events/"]["post"]["description"]
    assert "CALENDLY_WRITE_PERMISSION_CLASSES" in deletion
