"""Errors the sandbox answers with, in Calendly's two shapes (REST and OAuth)."""

from __future__ import annotations

from typing import Any

INVALID_ARGUMENT = "The supplied parameters are invalid."
NOT_FOUND = "The server could not find the requested resource."
PERMISSION_DENIED = "You do not have permission to access this resource."
UPGRADE_STANDARD = "Please upgrade your Calendly account to Standard"
UPGRADE_ENTERPRISE = "Please upgrade your Calendly account to Enterprise."
#: [S26] ``ContactsErrorMessage``: the contacts operations' plan refusal.
UPGRADE_PAID = "Please upgrade to a paid Calendly account."
#: The paid-plan refusal of each family whose [S26] 403 says it differently.
UPGRADE_PAID_BY_FAMILY = {"contacts": UPGRADE_PAID}


class ApiError(Exception):
    """A REST error: ``{"title", "message", "details"}`` with an HTTP status."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(f"{status} {title}: {message}")
        self.status = status
        self.title = title
        self.message = message
        self.details = details

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "message": self.message}
        if self.details is not None:
            out["details"] = self.details
        return out


#: Calendly's answer when it fails itself (REFERENCE.md section 5).
INTERNAL_ERROR = ApiError(
    500, "Internal Server Error",
    "The server encountered an unexpected condition that prevented it from fulfilling "
    "the request.",
)


def invalid(parameter: str, message: str) -> ApiError:
    """400 Invalid Argument naming one parameter."""
    return ApiError(
        400, "Invalid Argument", INVALID_ARGUMENT, [{"parameter": parameter, "message": message}]
    )


def not_found() -> ApiError:
    return ApiError(404, "Resource Not Found", NOT_FOUND, [])


def permission_denied(message: str = PERMISSION_DENIED) -> ApiError:
    """403 "Permission Denied": [S26]'s 403 bodies (``EnterpriseOwnerAdminError``,
    ``UserNotInOrganizationError``, ...) are ``{title, message}`` only."""
    return ApiError(403, "Permission Denied", message)


#: [S26] ``InsufficientScopeErrorMessage``, its only value.
INSUFFICIENT_SCOPE = "This operation requires the scopes listed in the 'required_scopes' array."


class InsufficientScope(ApiError):
    """403 "Insufficient scope": [S26] ``InsufficientScopeError``, exactly ``{title,
    message, required_scopes}``."""

    def __init__(self, required_scopes: list[str]) -> None:
        super().__init__(403, "Insufficient scope", INSUFFICIENT_SCOPE)
        self.required_scopes = list(required_scopes)

    def body(self) -> dict[str, Any]:
        return {**super().body(), "required_scopes": self.required_scopes}


class OAuthProblem(Exception):
    """An OAuth endpoint error: ``{"error", "error_description"}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{status} {error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description}
