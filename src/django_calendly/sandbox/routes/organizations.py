"""The organization and its invitations."""

from __future__ import annotations

from ..errors import (
    ApiError,
    invalid,
    not_found,
)
from ..resources import add_activity, drop_group_relationships
from .common import (
    Call,
    Handler,
    Result,
    list_small,
    one,
    parse_status,
    require_admin,
    valid_email,
)


def get_organization(call: Call) -> Result:
    org = call.store.organization
    if call.args[0] != org["uri"].rsplit("/", 1)[1]:
        raise not_found()
    return 200, {"resource": org}


def org_for_path(call: Call) -> None:
    if call.args[0] != call.store.organization_uri.rsplit("/", 1)[1]:
        raise not_found()
    require_admin(call)


def list_invitations(call: Call) -> Result:
    org_for_path(call)
    status = parse_status(call.param("status"), ("pending", "accepted", "declined"))
    email = call.param("email")
    items = [
        i for i in call.store.invitations.values()
        if (status is None or i["status"] == status)
        and (email is None or i["email"].lower() == email.lower())
    ]
    return 200, list_small(call, items, ("created_at",), "created_at:asc")


def create_invitation(call: Call) -> Result:
    org_for_path(call)
    email = call.field("email")
    if email in (None, ""):
        raise invalid("email", "must be filled")
    if not isinstance(email, str) or not valid_email(email):
        raise ApiError(400, "Invalid Email", f"{email} is an invalid email format")
    store = call.store
    if any(m["user"]["email"].lower() == email.lower() for m in store.memberships.values()):
        raise ApiError(400, "Already Organization Member",
                       f"{email} is already in the organization")
    if any(
        i["email"].lower() == email.lower() and i["status"] == "pending"
        for i in store.invitations.values()
    ):
        raise ApiError(400, "Already Invited", f"{email} has already been invited")
    invitation = store.add_invitation(email)
    add_activity(store, call.user, "User", "Invite", {"invitation": invitation["uri"]})
    return 201, {"resource": invitation}


def get_invitation(call: Call) -> Result:
    org_for_path(call)
    return 200, {"resource": one(call.store.invitations, call.args[1])}


def revoke_invitation(call: Call) -> Result:
    org_for_path(call)
    invitation = one(call.store.invitations, call.args[1])
    if invitation["status"] == "accepted":
        raise ApiError(400, "Invitation Already Accepted",
                       "The invitation has already been accepted.")
    del call.store.invitations[call.args[1]]
    drop_group_relationships(call.store, invitation["uri"])
    return 204, None


HANDLERS: dict[str, Handler] = {
    "organizations.get": get_organization,
    "organizations.list_invitations": list_invitations,
    "organizations.invite": create_invitation,
    "organizations.get_invitation": get_invitation,
    "organizations.revoke_invitation": revoke_invitation,
}
