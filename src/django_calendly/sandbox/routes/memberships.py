"""Organization memberships."""

from __future__ import annotations

from ..errors import (
    invalid,
    permission_denied,
)
from ..resources import drop_group_relationships
from .common import (
    Call,
    Handler,
    Result,
    check_org,
    list_small,
    one,
    parse_choice,
    require_admin,
    uuid_of,
)


def list_memberships(call: Call) -> Result:
    org = call.param("organization")
    user = call.param("user")
    if org is None and user is None:
        raise invalid("organization", "organization or user is required")
    if org is not None:
        check_org(call, "organization", org)
    if user is not None:
        uuid_of(call.store, "user", user, "users")
    role = parse_choice("role", call.param("role"), ("user", "admin", "owner"))
    email = call.param("email")
    items = [
        m for m in call.store.memberships.values()
        if (user is None or m["user"]["uri"] == user)
        and (email is None or m["user"]["email"].lower() == email.lower())
        and (role is None or m["role"] == role)
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def get_membership(call: Call) -> Result:
    return 200, {"resource": one(call.store.memberships, call.args[0])}


def delete_membership(call: Call) -> Result:
    membership = one(call.store.memberships, call.args[0])
    require_admin(call)
    if membership["role"] == "owner":
        raise permission_denied("The organization owner cannot be removed.")
    del call.store.memberships[call.args[0]]
    drop_group_relationships(call.store, membership["uri"])  # they leave their groups too
    user = membership["user"]["uri"]
    for group_uri, members in call.store.group_members.items():
        if user in members:
            members.discard(user)
            call.store.groups[group_uri.rsplit("/", 1)[1]]["member_count"] = len(members)
    return 204, None


HANDLERS: dict[str, Handler] = {
    "memberships.list": list_memberships,
    "memberships.get": get_membership,
    "memberships.delete": delete_membership,
}
