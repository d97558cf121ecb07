"""Groups of the organization: list and get."""

from __future__ import annotations

from .common import Call, Handler, Result, check_org, list_small, one


def list_groups(call: Call) -> Result:
    check_org(call, "organization", call.require("organization"))
    return 200, list_small(call, list(call.store.groups.values()), ("created_at", "name"),
                           "created_at:asc")


def get_group(call: Call) -> Result:
    return 200, {"resource": one(call.store.groups, call.args[0])}


HANDLERS: dict[str, Handler] = {
    "groups.list": list_groups,
    "groups.get": get_group,
}
