"""Users: ``/users/me`` and ``/users/{uuid}`` (where the uuid may also be ``me``)."""

from __future__ import annotations

from .common import Call, Handler, Result, one


def get_me(call: Call) -> Result:
    return 200, {"resource": one(call.store.users, call.user.rsplit("/", 1)[1])}


def get_user(call: Call) -> Result:
    uuid = call.args[0]
    if uuid == "me":
        uuid = call.user.rsplit("/", 1)[1]
    return 200, {"resource": one(call.store.users, uuid)}


HANDLERS: dict[str, Handler] = {
    "users.me": get_me,
    "users.get": get_user,
}
