"""Sign-in, failed attempts, lockout and the second factor (Part 11 §11.300)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import audit
from openqms.core.access import has_permission
from openqms.core.errors import AccountLocked, InvalidInput, ReauthenticationFailed, SignInFailed
from openqms.core.models import User
from openqms.core.registry import USER_MANAGE

RECOVERY_CODES = 10
_BAD_CREDENTIALS = "The username or password is not correct."
_LOCKED = (
    "This account is locked after too many failed attempts. "
    "Try again later or ask an administrator to unlock it."
)


def _alert_administrators(user: User) -> None:
    admins = [u for u in User.objects.active().exclude(email="") if has_permission(u, USER_MANAGE)]
    if not admins:
        return
    send_mail(
        subject=f"OpenQMS: account {user.username} locked",
        message=(
            f"The account of {user.full_name} ({user.username}) was locked after "
            f"{settings.LOCKOUT_THRESHOLD} failed attempts. Check the audit trail, then "
            "unlock it from the user's page if the attempts were theirs."
        ),
        from_email=None,
        recipient_list=[u.email for u in admins],
        fail_silently=True,
    )


@transaction.atomic(durable=True)
def record_failed_attempt(*, user: User | None, username: str, action: str) -> bool:
    """Count a failed sign-in, second factor or signing; lock at the threshold.

    Runs in its own transaction so the record survives the refusal that follows.
    Returns True when this attempt locked the account.
    """
    if user is None:
        audit.record(
            actor=None,
            actor_name=f"unknown user {username!r}"[:250],
            action=action,
            object_type="core.user",
            object_id=username[:100],
            changes={"username": username},
        )
        return False
    user = User.objects.select_for_update().get(pk=user.pk)
    user.failed_sign_ins += 1
    audit.record(
        actor=user,
        action=action,
        obj=user,
        changes={"failed_sign_ins": [user.failed_sign_ins - 1, user.failed_sign_ins]},
    )
    locked = user.failed_sign_ins >= settings.LOCKOUT_THRESHOLD and not user.is_locked()
    if locked:
        until = timezone.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
        audit.record(
            actor=user,
            action="core.user.locked",
            obj=user,
            changes={"locked_until": [None, until]},
            reason=f"{user.failed_sign_ins} failed attempts in a row",
        )
        user.locked_until = until
        transaction.on_commit(lambda: _alert_administrators(user))
    user.save(update_fields=["failed_sign_ins", "locked_until"])
    return locked


def _refuse_if_locked(user: User) -> None:
    if user.is_locked():
        raise AccountLocked(_LOCKED)


def authenticate(*, username: str, password: str) -> User:
    """Check a username and password; record and refuse a failure."""
    user = User.objects.filter(username=username.strip().lower()).first()
    if user is None or not user.is_active:
        make_password(password)  # spend the same time as a real check
        record_failed_attempt(user=None, username=username, action="core.auth.sign_in_failed")
        raise SignInFailed(_BAD_CREDENTIALS)
    _refuse_if_locked(user)
    if not user.check_password(password):
        if record_failed_attempt(user=user, username=username, action="core.auth.sign_in_failed"):
            raise AccountLocked(_LOCKED)
        raise SignInFailed(_BAD_CREDENTIALS)
    return user


def authenticate_password_for_signing(*, user: User, password: str) -> None:
    """Part 11 §11.200(a)(1): the password again at signing; a failure counts to lockout."""
    _refuse_if_locked(user)
    if not user.is_active:
        raise ReauthenticationFailed("This account is deactivated.")
    if not user.check_password(password):
        record_failed_attempt(user=user, username=user.username, action="core.auth.signing_failed")
        raise ReauthenticationFailed("The password is not correct; nothing was signed.")


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _second_factor_matches(user: User, code: str) -> str | None:
    """Return 'totp' or 'recovery' for a good code, None otherwise."""
    code = "".join(code.split())
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "totp"
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "recovery"
    return None


def verify_second_factor(*, user: User, code: str, action: str) -> None:
    """Check a TOTP or recovery code; record and refuse a failure."""
    _refuse_if_locked(user)
    used = _second_factor_matches(user, code)
    if used is None:
        record_failed_attempt(user=user, username=user.username, action=action)
        error = SignInFailed if action != "core.auth.signing_failed" else ReauthenticationFailed
        raise error("The authenticator code is not correct.")
    if used == "recovery":
        with transaction.atomic(durable=True):
            audit.record(actor=user, action="core.totp.recovery_code_used", obj=user)


@transaction.atomic(durable=True)
def record_sign_in(*, user: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = {}
    if user.failed_sign_ins:
        changes["failed_sign_ins"] = [user.failed_sign_ins, 0]
    user.failed_sign_ins = 0
    user.locked_until = None
    user.save(update_fields=["failed_sign_ins", "locked_until"])
    audit.record(actor=user, action="core.auth.signed_in", obj=user, changes=changes)


@transaction.atomic(durable=True)
def record_sign_out(*, user: User) -> None:
    audit.record(actor=user, action="core.auth.signed_out", obj=user)


def start_second_factor(*, actor: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the actor. Not in force until confirmed."""
    if has_second_factor(actor):
        raise InvalidInput("An authenticator is already enrolled. Remove it first.")
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@transaction.atomic(durable=True)
def confirm_second_factor(*, actor: User, device: TOTPDevice, code: str) -> list[str]:
    """Confirm an authenticator with a code from it; return new one-time recovery codes."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=actor)
    if device.confirmed:
        raise InvalidInput("This authenticator is already confirmed.")
    if not device.verify_token("".join(code.split())):
        raise InvalidInput(
            "The code does not match. Check the phone's clock and try again.",
            fields={"code": "The code does not match."},
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=actor).delete()
    recovery = StaticDevice.objects.create(user=actor, name="Recovery codes", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
    audit.record(
        actor=actor,
        action="core.totp.enrolled",
        obj=actor,
        changes={"second_factor": [False, True]},
    )
    return codes


@transaction.atomic(durable=True)
def remove_second_factor(*, actor: User, user: User, reason: str) -> None:
    """Remove a user's authenticator and recovery codes (their own, or by an administrator)."""
    if actor.pk != user.pk and not has_permission(actor, USER_MANAGE):
        raise InvalidInput("Only an administrator can remove someone else's authenticator.")
    if not reason.strip():
        raise InvalidInput("Give a reason.", fields={"reason": "A reason is required."})
    if not has_second_factor(user):
        raise InvalidInput("No authenticator is enrolled.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        action="core.totp.removed",
        obj=user,
        changes={"second_factor": [True, False]},
        reason=reason.strip(),
    )
