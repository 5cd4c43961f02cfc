"""Sign-in, failed attempts, lockout and the second factor (Part 11 §11.300)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import audit, mail, throttle
from openqms.core.access import has_permission
from openqms.core.actions.revocation import end_access, lock_live_tokens
from openqms.core.errors import (
    AccountLocked,
    DomainError,
    InvalidInput,
    ReauthenticationFailed,
    SignInFailed,
    Throttled,
)
from openqms.core.models import (
    USERNAME_VALIDATOR,
    ApiToken,
    Role,
    RoleAssignment,
    User,
    fingerprint,
)
from openqms.core.registry import USER_MANAGE

log = logging.getLogger(__name__)
RECOVERY_CODES = 10
# Longer than any request lives (gunicorn's OPENQMS_REQUEST_TIMEOUT is 300 s by default):
# a claim this old was left behind by a server that stopped between claim and check.
ABANDONED_CLAIM = dt.timedelta(minutes=10)
SIGN_IN_ATTEMPT = "core.sign_in"  # object type of attempts on usernames nobody has
# One answer for an unknown username, a wrong password and a locked account, so the
# sign-in page does not tell a stranger which accounts exist.
_BAD_CREDENTIALS = (
    "The username or password is not correct. After too many failed attempts an account "
    "is locked for a while: try again later or ask an administrator."
)
_LOCKED = (
    "This account is locked after too many failed attempts. "
    "Try again later or ask an administrator to unlock it."
)
_THROTTLED = "Too many failed sign-ins from your address. Wait a few minutes and try again."
_THROTTLED_ACCOUNT = (
    "Too many failed sign-ins for this username. Wait a few minutes and try again, "
    "or ask an administrator."
)
_BUSY = (
    "Too many attempts on this account at once; nothing was checked. Wait a moment and try again."
)
_CODE_REUSED = "That authenticator code was already used. Wait for the next code and try again."
_UNKNOWN_TYPIST = "unknown person (failed sign-in)"


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
    """What the trail keeps of a typed username: only a well-formed one (a password
    typed into the username box must not stay in the permanent record)."""
    candidate = username.strip().lower()
    try:
        USERNAME_VALIDATOR(candidate)
    except ValidationError:
        return "(not a valid username)"
    return candidate


def _is_sign_in(action: str) -> bool:
    """At sign-in nobody is signed in yet: whoever typed is unknown, so no actor."""
    return action in ("core.auth.sign_in_failed", "core.auth.second_factor_failed")


def _actor_of(user: User, action: str) -> dict:
    if _is_sign_in(action):
        return {"actor": None, "actor_name": _UNKNOWN_TYPIST}
    return {"actor": user}


# -- the failure count, claimed before any secret is checked ------------------------------
#
# Part 11 §11.300(d): the count is taken under the account's row lock and committed
# *before* the password or code is checked, so N parallel attempts cannot all be
# evaluated before the lock lands: at most LOCKOUT_THRESHOLD are ever checked. A good
# secret gives its claim back; a bad one keeps it and may lock the account.


@audit.writing()
def _claim_attempt(user: User, action: str, typed: str) -> str | None:
    """Claim one attempt; None when it may be checked, else why not ('inactive',
    'locked', 'busy')."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        return "inactive"
    threshold = settings.LOCKOUT_THRESHOLD
    if user.locked_until is not None and not user.is_locked():
        # The lockout has run out: one more attempt is checked, and a failure locks again.
        user.locked_until = None
        user.failed_sign_ins = min(user.failed_sign_ins, threshold - 1)
    if user.is_locked():
        audit.record(
            **_actor_of(user, action),
            action="core.auth.refused_while_locked",
            obj=user,
            changes=_typed({"attempt": action}, action, typed),
        )
        return "locked"
    now = timezone.now()
    if user.failed_sign_ins >= threshold and _claims_abandoned(user, now):
        # Counted up to the threshold, and no attempt claimed for longer than any request
        # lives: a server stopped between claims and checks. Those claims stay counted as
        # failures, so the account locks (and the lock lapses) instead of staying refused.
        lock_account(user, reason=f"{user.failed_sign_ins} attempts claimed and never answered")
        audit.record(
            **_actor_of(user, action),
            action="core.auth.refused_while_locked",
            obj=user,
            changes=_typed({"attempt": action}, action, typed),
        )
        return "locked"
    if user.failed_sign_ins >= threshold:
        # As many attempts in flight as the threshold allows, none answered yet, and more
        # arriving: refuse this one unchecked. Only a checked failure locks (in
        # _record_claimed_failure), so right passwords in flight never lock the account.
        audit.record(
            **_actor_of(user, action),
            action="core.auth.refused_busy",
            obj=user,
            changes=_typed({"attempt": action, "in_flight": user.failed_sign_ins}, action, typed),
        )
        return "busy"
    user.failed_sign_ins += 1
    user.attempt_claimed_at = now
    user.save(update_fields=["failed_sign_ins", "locked_until", "attempt_claimed_at"])
    return None


def _claims_abandoned(user: User, now: dt.datetime) -> bool:
    claimed = user.attempt_claimed_at
    return claimed is None or now - claimed > ABANDONED_CLAIM


@audit.writing()
def _release_attempt(user: User) -> None:
    """The secret was right: give the claim back (the count is as it was before)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.failed_sign_ins and not user.is_locked():
        user.failed_sign_ins -= 1
        user.save(update_fields=["failed_sign_ins"])


def _typed(changes: dict, action: str, typed: str) -> dict:
    if _is_sign_in(action):
        changes["username"] = _attempted_name(typed)
    return changes


def lock_account(user: User, *, reason: str, tokens: list[ApiToken] | None = None) -> None:
    """Lock now, inside the caller's transaction: end the person's sessions and revoke
    their API tokens (unlocking brings neither back), and tell the administrators."""
    tokens = lock_live_tokens(user) if tokens is None else tokens
    until = timezone.now() + dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    audit.record(
        actor=None,
        action="core.user.locked",
        obj=user,
        changes={"locked_until": [None, until]},
        reason=reason,
    )
    user.locked_until = until
    user.save(update_fields=["locked_until"])
    end_access(actor=None, user=user, reason="The account was locked.", tokens=tokens)
    _alert_administrators(user)  # queued with the lock: both commit, or neither


@audit.writing()
def _record_claimed_failure(
    user: User, action: str, typed: str, about: dict[str, str] | None = None
) -> bool:
    """A claimed attempt failed: it stays counted. Returns True when it locked the account.
    `about` says what the attempt was for (a signature: the record and the meaning)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    count = user.failed_sign_ins
    locks = count >= settings.LOCKOUT_THRESHOLD and user.is_active and not user.is_locked()
    tokens = lock_live_tokens(user) if locks else []  # before the event: lock order
    changes = _typed({"failed_sign_ins": [count - 1, count]}, action, typed)
    audit.record(
        **_actor_of(user, action),
        action=action,
        obj=user,
        changes={**changes, **(about or {})},
    )
    if locks:
        lock_account(user, reason=f"{count} failed attempts in a row", tokens=tokens)
    return locks


def _record_unknown_username(username: str, action: str) -> None:
    """Failed sign-ins on usernames nobody has: one event per address and throttle
    window (the first), so a script cannot grow the trail without limit; the throttle
    counts the rest."""
    ip = audit.current_origin().ip
    name = _attempted_name(username)
    if not throttle.first_in_window("unknown-username", ip):
        log.warning("failed sign-in for unknown username %s from %s (aggregated)", name, ip)
        return
    audit.record(
        actor=None,
        actor_name=f"unknown user {name}",
        action=action,
        object_type=SIGN_IN_ATTEMPT,
        object_id=name,
        changes={
            "username": name,
            "aggregated": f"first in {settings.THROTTLE_MINUTES} minutes from this address",
        },
    )


@audit.writing()
def _record_unknown(username: str, action: str) -> None:
    _record_unknown_username(username, action)


@audit.writing()
def _record_deactivated(user: User, typed: str) -> None:
    """A sign-in on a deactivated account: recorded against that account, with no actor
    (whoever typed is unknown); not counted toward its lockout."""
    audit.record(
        **_actor_of(user, "core.auth.sign_in_failed"),
        action="core.auth.sign_in_failed",
        obj=user,
        changes={"username": _attempted_name(typed), "account": "deactivated"},
    )


@audit.writing()
def _record_throttled(held: throttle.Claim, username: str) -> None:
    audit.record(
        actor=None,
        actor_name="unknown person (throttled)",
        action="core.auth.throttled",
        object_type=SIGN_IN_ATTEMPT,
        object_id=_attempted_name(username),
        changes={
            f"sign_ins_counted_for_{held.refused}": held.count,
            "minutes": settings.THROTTLE_MINUTES,
        },
    )


def _claim_throttle(username: str) -> throttle.Claim:
    """Count the attempt before anything is checked; over a limit, refuse it (429).
    The first refusal per address (or account) and window is recorded."""
    ip = audit.current_origin().ip
    held = throttle.claim(ip, username)
    if held.refused:
        subject = ip if held.refused == "address" else _attempted_name(username)
        if throttle.first_in_window(f"throttled-{held.refused}", subject):
            _record_throttled(held, username)
        raise Throttled(_THROTTLED_ACCOUNT if held.refused == "account" else _THROTTLED)
    return held


def authenticate(*, username: str, password: str) -> User:
    """Check a username and password; record and refuse a failure."""
    held = _claim_throttle(username)
    user = User.objects.filter(username=username.strip().lower()).first()
    if user is None:
        make_password(password)  # spend the same time as a real check
        _record_unknown(username, "core.auth.sign_in_failed")
        raise SignInFailed(_BAD_CREDENTIALS)
    refusal = _claim_attempt(user, "core.auth.sign_in_failed", username)
    if refusal is not None:
        make_password(password)
        if refusal == "busy":
            throttle.release(held)  # nothing was checked: it counts toward nothing
            raise Throttled(_BUSY)
        if refusal == "inactive":
            _record_deactivated(user, username)
        raise SignInFailed(_BAD_CREDENTIALS)
    if not user.check_password(password):
        _record_claimed_failure(user, "core.auth.sign_in_failed", username)
        raise SignInFailed(_BAD_CREDENTIALS)
    _release_attempt(user)
    throttle.release(held)
    return user


def password_change_due(user: User) -> bool:
    """A temporary password set by someone else, or one past OPENQMS_PASSWORD_MAX_AGE_DAYS."""
    if user.must_change_password:
        return True
    days = settings.PASSWORD_MAX_AGE_DAYS
    return bool(
        days
        and user.password_changed_at is not None
        and timezone.now() - user.password_changed_at > dt.timedelta(days=days)
    )


def _claim_or_refuse(user: User, action: str, error: type[DomainError]) -> None:
    """Claim one attempt at the signed-in person's own secret, or raise why it may not be
    checked: deactivated (as `error`), locked, or too many attempts at once."""
    claim = _claim_attempt(user, action, user.username)
    if claim == "inactive":
        raise error("This account is deactivated.")
    if claim == "locked":
        raise AccountLocked(_LOCKED)
    if claim == "busy":
        raise Throttled(_BUSY)


def reauthenticate_password(
    *,
    user: User,
    password: str,
    action: str = "core.auth.reauthentication_failed",
    refusal: str = "The password is not correct; nothing was changed.",
    about: dict[str, str] | None = None,
) -> None:
    """Part 11 §11.200(a)(1): the password again (to sign, or to change the account's own
    security); a failure is audited under `action` and counts toward lockout."""
    _claim_or_refuse(user, action, ReauthenticationFailed)
    if not user.check_password(password):
        if _record_claimed_failure(user, action, user.username, about):
            raise AccountLocked(_LOCKED)
        raise ReauthenticationFailed(refusal)
    _release_attempt(user)


def authenticate_password_for_signing(
    *, user: User, password: str, about: dict[str, str] | None = None
) -> None:
    """The password again, for a signature. A password someone else set (or one past its
    age) signs nothing: Part 11 §11.300(b), §11.100 — the signature must be the signer's.
    A failure's event names what was being signed (`about`): the record and the meaning."""
    fresh = User.objects.get(pk=user.pk)
    if password_change_due(fresh):
        raise ReauthenticationFailed(
            "Change your password first: a temporary or expired password cannot sign."
        )
    reauthenticate_password(
        user=user,
        password=password,
        action="core.auth.signing_failed",
        refusal="The password is not correct; nothing was signed.",
        about=about,
    )


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _code_was_used(device: TOTPDevice, code: str) -> bool:
    """True when the code is right for a time step that was already spent (a replay)."""
    try:
        token = int(code)
    except ValueError:
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return totp.verify(token, device.tolerance)


def _use_code(user: User, code: str) -> str | None:
    """Spend a TOTP or recovery code: 'totp', 'recovery', 'reused', or None if not good.

    The device rows are locked first, so two requests cannot both spend the same time
    step or the same recovery code (django-otp keeps the last step used on the row).
    """
    code = "".join(code.split())
    if not code:
        return None
    reused = False
    for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "totp"
        reused = reused or _code_was_used(device, code)
    for device in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
        if device.verify_token(code):
            audit.record(actor=user, action="core.totp.recovery_code_used", obj=user)
            return "recovery"
    return "reused" if reused else None


def verify_second_factor(
    *, user: User, code: str, action: str, about: dict[str, str] | None = None
) -> None:
    """Check a TOTP or recovery code; record and refuse a failure.

    A code already spent is refused with a message that says so and does not count
    toward lockout: it is the person's own code, typed twice, not a guess.
    """
    error = SignInFailed if _is_sign_in(action) else ReauthenticationFailed
    _claim_or_refuse(user, action, error)
    with audit.writing():
        used = _use_code(user, code)
    if used == "reused":
        _release_attempt(user)
        raise error(_CODE_REUSED)
    if used is None:
        if _record_claimed_failure(user, action, user.username, about):
            raise AccountLocked(_LOCKED)
        raise error("The authenticator code is not correct.")
    _release_attempt(user)


@audit.writing()
def _record_sign_in(user: User) -> bool:
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_locked() or not user.is_active:  # locked by a parallel attempt meanwhile
        return False
    changes = {}
    if user.failed_sign_ins:
        changes["failed_sign_ins"] = [user.failed_sign_ins, 0]
    user.failed_sign_ins = 0
    user.locked_until = None
    user.save(update_fields=["failed_sign_ins", "locked_until"])
    audit.record(actor=user, action="core.auth.signed_in", obj=user, changes=changes)
    return True


@audit.writing()
def _record_refused_sign_in(user: User) -> None:
    audit.record(
        actor=None,
        actor_name=_UNKNOWN_TYPIST,
        action="core.auth.refused_while_locked",
        obj=user,
        changes={"attempt": "core.auth.signed_in", "username": user.username},
    )


def record_sign_in(*, user: User) -> None:
    """The last step of a sign-in; refused (and audited) when a parallel attempt locked
    or an administrator deactivated the account since the password was checked."""
    if not _record_sign_in(user):
        _record_refused_sign_in(user)
        raise SignInFailed(_BAD_CREDENTIALS)


@audit.writing()
def record_sign_out(*, user: User, idle: bool = False) -> None:
    if idle:
        audit.record(
            actor=user,
            action="core.auth.idle_signed_out",
            obj=user,
            changes={"idle_minutes": settings.SESSION_IDLE_SECONDS // 60},
        )
    else:
        audit.record(actor=user, action="core.auth.signed_out", obj=user)


def start_second_factor(*, actor: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for the actor. Not in force until confirmed."""
    if has_second_factor(actor):
        raise InvalidInput("An authenticator is already enrolled. Remove it first.")
    with audit.writing():
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@audit.writing()
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
        changes={"second_factor": [False, True], "device_fingerprint": fingerprint(device.key)},
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


@audit.writing()
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
