"""Domain errors. Views show them as messages; the API maps them to a status and code."""

from __future__ import annotations

from django.http import Http404


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class NotFound(DomainError, Http404):
    """Missing and forbidden look the same, so nobody learns what exists.

    The one conversion of access errors to 404: a view lets it pass and Django answers
    with the 404 page (it is an Http404); the API answers the JSON `not_found` error (its
    DomainError handler comes first in the class's MRO)."""

    code = "not_found"
    status = 404

    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message)


class PermissionRefused(DomainError):
    code = "permission_refused"
    status = 403


class InvalidInput(DomainError):
    code = "invalid_input"
    status = 422


class TransitionNotAllowed(DomainError):
    code = "transition_not_allowed"
    status = 409


class AlreadySigned(DomainError):
    code = "already_signed"
    status = 409


class ReauthenticationFailed(DomainError):
    code = "reauthentication_failed"
    status = 403


class AccountLocked(DomainError):
    code = "account_locked"
    status = 403


class SignInFailed(DomainError):
    code = "sign_in_failed"
    status = 401


class Throttled(DomainError):
    """Too many sign-ins from one address or for one account, or too many attempts on
    an account at once: nothing was checked."""

    code = "throttled"
    status = 429


class PasswordChangeRequired(DomainError):
    code = "password_change_required"
    status = 403
