"""Group relationships as [S26] describes them: ``owner`` is an organization membership or
an organization invitation (the object, typed, in answers; its URI as the filter)."""

from __future__ import annotations

from typing import Any

import pytest

from django_calendly.client import CalendlyClient
from django_calendly.client.validation import InvalidArgument


def test_owner_filter_takes_memberships_and_invitations(
    sandbox: Any, sb_client: CalendlyClient
) -> None:
    every = list(sb_client.group_relationships.iter(organization=sandbox.organization_uri))
    kinds = {r["owner"]["type"] for r in every}
    assert kinds == {"OrganizationMembership", "OrganizationInvitation"}
    for relationship in every:
        owned = sb_client.group_relationships.list(owner=relationship["owner"]["uri"]).items
        assert relationship["uri"] in [r["uri"] for r in owned]
        assert sb_client.group_relationships.get(relationship["uri"].rsplit("/", 1)[1]) == (
            relationship)


def test_a_user_uri_is_not_an_owner(sandbox: Any, sb_client: CalendlyClient) -> None:
    before = sandbox.stats()["total_requests"]
    with pytest.raises(InvalidArgument) as refused:
        sb_client.group_relationships.list(owner=sandbox.user_uri)
    assert refused.value.name == "owner"
    assert sandbox.stats()["total_requests"] == before
