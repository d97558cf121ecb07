"""Group relationships: who is a member or an admin of which group."""

from __future__ import annotations

from ..errors import invalid, not_found
from .common import Call, Handler, Result, check_org, list_small, one, user_in_org, uuid_of


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
        user_in_org(call, "owner", owner)
    if group is not None:
        uuid_of(store, "group", group, "groups")
        if group not in store.group_members:
            raise not_found()
    items = [r for r in store.group_relationships.values()
             if (owner is None or r["owner"] == owner)
             and (group is None or r["group"] == group)]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_group_relationship(call: Call) -> Result:
    return 200, {"resource": one(call.store.group_relationships, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "group_relationships.list": list_group_relationships,
    "group_relationships.get": get_group_relationship,
}
