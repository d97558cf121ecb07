"""Group relationships: who is a member or an admin of which group.

A relationship's ``owner`` is an organization membership or an organization invitation,
embedded as the object with its ``type`` ([S26] ``GroupRelationshipOwner``); the ``owner``
filter takes the URI of either.
"""

from __future__ import annotations

from ..errors import invalid, not_found, permission_denied
from ..state import Store
from .common import Call, Handler, Result, check_org, list_small, one, uuid_of


def owner_filter(store: Store, value: str) -> str:
    """A membership or invitation URI of this organization: 400 when it is neither, 403
    for another organization's invitation, 404 when there is no such record."""
    membership_prefix = f"{store.base}/organization_memberships/"
    if value.startswith(membership_prefix):
        uuid = value[len(membership_prefix):]
        if not uuid or "/" in uuid:
            raise invalid("owner", "must be a valid organization membership or "
                                   "organization invitation URI")
        if uuid not in store.memberships:
            raise not_found()
        return value
    org_prefix = f"{store.base}/organizations/"
    org_uuid, sep, uuid = value[len(org_prefix):].partition("/invitations/")
    if not value.startswith(org_prefix) or not sep or not org_uuid or not uuid \
            or "/" in org_uuid + uuid:
        raise invalid("owner", "must be a valid organization membership or "
                               "organization invitation URI")
    if f"{org_prefix}{org_uuid}" != store.organization_uri:
        raise permission_denied("This user is not in your organization")
    if uuid not in store.invitations:
        raise not_found()
    return value


def list_group_relationships(call: Call) -> Result:
    store = call.store
    org = call.param("organization")
    owner = call.param("owner")
    group = call.param("group")
    if org is None and owner is None and group is None:
        raise invalid("organization", "one of organization, owner or group is required")
    if org is not None:
        check_org(call, "organization", org)
    if owner is not None:
        owner_filter(store, owner)
    if group is not None:
        uuid_of(store, "group", group, "groups")
        if group not in store.group_members:
            raise not_found()
    items = [r for r in store.group_relationships.values()
             if (owner is None or r["owner"]["uri"] == owner)
             and (group is None or r["group"] == group)]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_group_relationship(call: Call) -> Result:
    return 200, {"resource": one(call.store.group_relationships, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "group_relationships.list": list_group_relationships,
    "group_relationships.get": get_group_relationship,
}
