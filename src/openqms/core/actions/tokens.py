"""API bearer tokens: shown once, stored as SHA-256, revocable, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require, role_requires_second_factor
from openqms.core.actions.auth import has_second_factor, password_change_due, verify_second_factor
from openqms.core.errors import InvalidInput, PermissionRefused
from openqms.core.models import ApiToken, User, fingerprint
from openqms.core.registry import USER_MANAGE

TOKEN_PREFIX = "oqms_"


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_api_token(
    *, actor: User | None, user: User, name: str, otp_code: str = ""
) -> tuple[ApiToken, str]:
    """Return the token row and its plaintext, which is never stored or shown again.

    A token is a password that never asks for the second factor, so a person whose role
    requires one gets no token until enrolled, and making one asks for a code (from the
    person, when they make their own; the operator of the command line is trusted).
    """
    if actor is not None and actor.pk != user.pk:
        require(actor, USER_MANAGE)
    if role_requires_second_factor(user) and not has_second_factor(user):
        raise PermissionRefused(
            f"{user.full_name}'s role requires a second factor: enrol an authenticator "
            "before creating API tokens."
        )
    if actor is not None and actor.pk == user.pk and has_second_factor(user):
        if not otp_code.strip():
            raise InvalidInput(
                "Give a code from your authenticator to create a token.",
                fields={"otp_code": "Required."},
            )
        verify_second_factor(user=user, code=otp_code, action="core.auth.reauthentication_failed")
    return _create_api_token(actor, user, name)


@audit.writing()
def _create_api_token(actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            "Name the token (up to 100 characters), e.g. “CI pipeline”.",
            fields={"name": "Required, up to 100 characters."},
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active or user.is_locked():
        raise InvalidInput(f"{user.full_name} is deactivated or locked.")
    if password_change_due(user):
        raise InvalidInput(f"{user.full_name} must change their password first.")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[:12],
        token_hash=hash_token(plaintext),
        created_at=now,
        created_by=actor,
        expires_at=now + dt.timedelta(days=settings.TOKEN_DAYS),
    )
    audit.record(
        actor=actor,
        action="core.token.created",
        obj=token,
        changes={
            "user": [None, user.username],
            "name": [None, name],
            "prefix": [None, token.prefix],
            "expires_at": [None, token.expires_at],
            "token_fingerprint": fingerprint(token.token_hash),
        },
    )
    return token, plaintext


@audit.writing()
def revoke_api_token(*, actor: User | None, token: ApiToken, reason: str = "") -> ApiToken:
    if actor is not None and actor.pk != token.user_id:
        require(actor, USER_MANAGE)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InvalidInput("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor,
        action="core.token.revoked",
        obj=token,
        reason=reason.strip(),
        changes={"revoked_at": [None, token.revoked_at]},
    )
    return token


_TOUCH_EVERY = dt.timedelta(minutes=5)


def token_for_plaintext(plaintext: str) -> ApiToken | None:
    """A live token (not revoked, not expired) whose owner may use the API now, or None.

    The owner must be active, not locked, not holding a temporary or expired password,
    and enrolled in a second factor when a role of theirs requires one.
    """
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.is_expired(now):
        return None
    user = token.user
    if not user.is_active or user.is_locked() or password_change_due(user):
        return None
    if role_requires_second_factor(user) and not has_second_factor(user):
        return None
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        # Housekeeping for the token list, not a regulated change: no audit event.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def user_for_token(plaintext: str) -> User | None:
    """The owner of a live token who may use the API now, or None."""
    token = token_for_plaintext(plaintext)
    return None if token is None else token.user
