"""Sign-in, failed attempts, lockout and the second factor (Part 11 §11.300)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import audit, mail
from openqms.core.access import has_permission
from openqms.core.errors import AccountLocked, InvalidInput, ReauthenticationFailed, SignInFailed
from openqms.core.models import USERNAME_VALIDATOR, Role, RoleAssignment, User
from openqms.core.registry import USER_MANAGE

RECOVERY_CODES = 10
SIGN_IN_ATTEMPT = "core.sign_in"  # object type of attempts on usernames nobody has
_BAD_CREDENTIALS = "The username or password is not correct."
_LOCKED = (
    "This account is locked after too many failed attempts. "
    "Try again later or ask an administrator to unlock it."
)


def _alert_administrators(user: User) -> None:
    managing = [r.pk for r in Role.objects.all() if USER_MANAGE in r.permissions]
    grants = RoleAssignment.objects.current().filter(role__in=managing)
    admins = User.objects.active().exclude(email="").filter(role_assignments__in=grants).distinct()
    if not admins:
        return
    # Queued in the lockout's transaction and sent by `openqms tick` (retried, never lost).
    subject = f"OpenQMS: account {user.username} locked"
    body = (
        f"The account of {user.full_name} ({user.username}) was locked after "
        f"{settings.LOCKOUT_THRESHOLD} failed attempts. Check the audit trail, then "
        "unlock it from the user's page if the attempts were theirs: "
        f"{mail.link('core:user-detail', user.username)}\n"
    )
    mail.queue((subject, body, [admin.email]) for admin in admins)


def _attempted_name(username: str) -> str:
    """What the trail keeps of a username nobody has: only a well-formed one (a password
    typed into the username box must not stay in the permanent record)."""
    candidate = username.strip().lower()
    try:
        USERNAME_VALIDATOR(candidate)
    except ValidationError:
        return "(not a valid username)"
    return candidate


@transaction.atomic(durable=True)
def record_failed_attempt(*, user: User | None, username: str, action: str) -> bool:
    """Count a failed sign-in, second factor or re-authentication; lock at the threshold.

    Runs in its own transaction so the record survives the refusal that follows.
    Returns True when this attempt locked the account.
    """
    if user is None:
        name = _attempted_name(username)
        audit.record(
            actor=None,
            actor_name=f"unknown user {name}",
            action=action,
            object_type=SIGN_IN_ATTEMPT,
            object_id=name,
            changes={"username": name},
        )
        return False
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked():  # already locked: record the attempt, count nothing more
        audit.record(
            actor=user,
            action="core.auth.refused_while_locked",
            obj=user,
            changes={"attempt": action},
        )
        return False
    user.failed_sign_ins += 1
    audit.record(
        actor=user,
        action=action,
        obj=user,
        changes={"failed_sign_ins": [user.failed_sign_ins - 1, user.failed_sign_ins]},
    )
    locked = user.failed_sign_ins >= settings.LOCKOUT_THRESHOLD
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
        _alert_administrators(user)  # queued with the lock: both commit, or neither
    user.save(update_fields=["failed_sign_ins", "locked_until"])
    return locked


@transaction.atomic(durable=True)
def _record_locked_attempt(user: User, attempt: str) -> None:
    audit.record(
        actor=user, action="core.auth.refused_while_locked", obj=user, changes={"attempt": attempt}
    )


def _refuse_if_locked(user: User, attempt: str) -> None:
    """Part 11 §11.300(d): attempts on a locked account are refused and recorded."""
    if user.is_locked():
        _record_locked_attempt(user, attempt)
        raise AccountLocked(_LOCKED)


def authenticate(*, username: str, password: str) -> User:
    """Check a username and password; record and refuse a failure."""
    user = User.objects.filter(username=username.strip().lower()).first()
    if user is None or not user.is_active:
        make_password(password)  # spend the same time as a real check
        record_failed_attempt(user=None, username=username, action="core.auth.sign_in_failed")
        raise SignInFailed(_BAD_CREDENTIALS)
    _refuse_if_locked(user, "core.auth.sign_in_failed")
    if not user.check_password(password):
        if record_failed_attempt(user=user, username=username, action="core.auth.sign_in_failed"):
            raise AccountLocked(_LOCKED)
        raise SignInFailed(_BAD_CREDENTIALS)
    return user


def reauthenticate_password(
    *,
    user: User,
    password: str,
    action: str = "core.auth.reauthentication_failed",
    refusal: str = "The password is not correct; nothing was changed.",
) -> None:
    """Part 11 §11.200(a)(1): the password again (to sign, or to change the account's own
    security); a failure is audited under `action` and counts toward lockout."""
    _refuse_if_locked(user, action)
    if not user.is_active:
        raise ReauthenticationFailed("This account is deactivated.")
    if not user.check_password(password):
        if record_failed_attempt(user=user, username=user.username, action=action):
            raise AccountLocked(_LOCKED)
        raise ReauthenticationFailed(refusal)


def authenticate_password_for_signing(*, user: User, password: str) -> None:
    reauthenticate_password(
        user=user,
        password=password,
        action="core.auth.signing_failed",
        refusal="The password is not correct; nothing was signed.",
    )


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _use_code(user: User, code: str) -> str | None:
    """Spend a TOTP or recovery code: 'totp', 'recovery', or None if it is not good.

    The device rows are locked first, so two requests cannot both spend the same time
    step or the same recovery code (django-otp keeps the last step used on the row).
    """
    code = "".join(code.split())
    if not code:
        return None
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "totp"
    for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            audit.record(actor=user, action="core.totp.recovery_code_used", obj=user)
            return "recovery"
    return None


def verify_second_factor(*, user: User, code: str, action: str) -> None:
    """Check a TOTP or recovery code; record and refuse a failure."""
    _refuse_if_locked(user, action)
    with transaction.atomic(durable=True):
        used = _use_code(user, code)
    if used is None:
        if record_failed_attempt(user=user, username=user.username, action=action):
            raise AccountLocked(_LOCKED)
        error = (
            SignInFailed if action == "core.auth.second_factor_failed" else ReauthenticationFailed
        )
        raise error("The authenticator code is not correct.")


@transaction.atomic(durable=True)
def record_sign_in(*, user: User) -> None:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked() or not user.is_active:  # locked by a parallel attempt meanwhile
        raise AccountLocked(_LOCKED)
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


def remove_second_factor(*, actor: User, user: User, reason: str, password: str = "") -> None:
    """Remove a user's authenticator and recovery codes: their own (with their password
    again), or someone else's by an administrator (for a lost phone)."""
    if actor.pk != user.pk and not has_permission(actor, USER_MANAGE):
        raise InvalidInput("Only an administrator can remove someone else's authenticator.")
    if not reason.strip():
        raise InvalidInput("Give a reason.", fields={"reason": "A reason is required."})
    if actor.pk == user.pk:
        reauthenticate_password(user=actor, password=password)
    _remove_second_factor(actor, user, reason)


@transaction.atomic(durable=True)
def _remove_second_factor(actor: User, user: User, reason: str) -> None:
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
