"""Ending a person's access at once: every session and every API token.

Deactivation and lockout call this inside their own transaction. Reactivating or
unlocking brings nothing back: old sessions stay invalid (the session hash includes a
generation counter) and revoked tokens stay revoked.
"""

from __future__ import annotations

from django.utils import timezone

from openqms.core import audit
from openqms.core.models import ApiToken, User


def lock_live_tokens(user: User) -> list[ApiToken]:
    """Lock the person's live tokens. Callers that write an audit event before
    `end_access` take these row locks first: every audit write takes the chain lock, and
    taking row locks after it, in the opposite order to `revoke_api_token`, could
    deadlock."""
    return list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))


def end_access(
    *, actor: User | None, user: User, reason: str, tokens: list[ApiToken] | None = None
) -> None:
    """`user` must be the row locked by the caller; its session generation is saved here."""
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    now = timezone.now()
    for token in lock_live_tokens(user) if tokens is None else tokens:
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="core.token.revoked",
            obj=token,
            reason=reason,
            changes={"revoked_at": [None, now]},
        )
