"""The organization details endpoint against the sandbox (issue 12), beside the original
invitation routes under the same prefix."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from django_calendly.sandbox import Sandbox

from .conftest import BASE, assert_error

pytestmark = pytest.mark.django_db


def test_the_organization(sb: Sandbox, api: APIClient) -> None:
    org_uuid = sb.organization_uri.rsplit("/", 1)[1]
    assert reverse("calendly:organization", kwargs={"uuid": org_uuid}) == (
        f"{BASE}organizations/{org_uuid}/")
    answer = api.get(f"{BASE}organizations/{org_uuid}/")
    assert answer.status_code == 200, answer.content
    assert answer.json()["resource"]["uri"] == sb.organization_uri
    assert answer.json()["resource"]["plan"] == "enterprise"
    # the invitation routes beside it still answer
    assert api.get(f"{BASE}organizations/{org_uuid}/invitations/list/").status_code == 200


def test_an_unknown_organization(sb: Sandbox, api: APIClient) -> None:
    answer = api.get(f"{BASE}organizations/{uuid.uuid4()}/")
    assert answer.status_code in (403, 404)
    assert_error(answer, answer.status_code, answer.json()["code"])
    assert api.post(f"{BASE}organizations/{uuid.uuid4()}/", {}, format="json"
                    ).status_code == 405
