"""API bearer tokens: shown once, stored as SHA-256, revocable, audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import require
from openqms.core.errors import InvalidInput
from openqms.core.models import ApiToken, User
from openqms.core.registry import USER_MANAGE

TOKEN_PREFIX = "oqms_"


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@transaction.atomic(durable=True)
def create_api_token(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and its plaintext, which is never stored or shown again."""
    if actor is not None and actor.pk != user.pk:
        require(actor, USER_MANAGE)
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput(
            "Name the token (up to 100 characters), e.g. “CI pipeline”.",
            fields={"name": "Required, up to 100 characters."},
        )
    if not user.is_active:
        raise InvalidInput(f"{user.full_name} is deactivated.")
    secret = secrets.token_urlsafe(32)
    plaintext = f"{TOKEN_PREFIX}{secret}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=plaintext[:12],
        token_hash=hash_token(plaintext),
        created_at=timezone.now(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="core.token.created",
        obj=token,
        changes={
            "user": [None, user.username],
            "name": [None, name],
            "prefix": [None, token.prefix],
        },
    )
    return token, plaintext


@transaction.atomic(durable=True)
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


def user_for_token(plaintext: str) -> User | None:
    """The active, unlocked owner of a live token, or None."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active or token.user.is_locked():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > _TOUCH_EVERY:
        # Housekeeping for the token list, not a regulated change: no audit event.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
