"""``users.*``: the token's user and other users (``users:read``)."""

from __future__ import annotations

from .base import Resource, ResourceGroup


class Users(ResourceGroup):
    """``/users``."""

    def get(self, uuid: str = "me") -> Resource:
        """``GET /users/{uuid}``; ``me`` is the token's user. Scope ``users:read``."""
        return self._get(f"/users/{self._uuid(uuid, 'user', allow_me=True)}")

    def me(self) -> Resource:
        """``GET /users/me``. Scope ``users:read``."""
        return self.get("me")


__all__ = ["Users"]
