"""Users and roles (ISO 13485 5.5.1; Part 11 §11.10(d)(g), §11.100)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from openqms.core import audit
from openqms.core.access import forget_permissions, require
from openqms.core.actions.auth import reauthenticate_password
from openqms.core.actions.revocation import end_access
from openqms.core.errors import InvalidInput, PermissionRefused, ReauthenticationFailed
from openqms.core.models import USERNAME_VALIDATOR, Role, RoleAssignment, User, fingerprint
from openqms.core.registry import ROLE_MANAGE, USER_MANAGE, permissions


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise InvalidInput(
            "Give a reason: it goes into the audit trail.",
            fields={"reason": "A reason is required."},
        )
    return reason.strip()


def _check(actor: User | None, need: str) -> None:
    """`actor=None` is the system itself (first set-up, the command line run by an operator)."""
    if actor is not None:
        require(actor, need)


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        problem = " ".join(exc.messages)
        raise InvalidInput(problem, fields={"password": problem}) from None


def _refuse_reuse(password: str, user: User) -> None:
    """The last OPENQMS_PASSWORD_HISTORY passwords (the current one included) are refused."""
    recent = [user.password, *user.password_history][: max(1, settings.PASSWORD_HISTORY)]
    if any(h and check_password(password, h) for h in recent):
        problem = (
            "Choose a password you have not used recently "
            f"(the last {max(1, settings.PASSWORD_HISTORY)} cannot be reused)."
        )
        raise InvalidInput(problem, fields={"new_password": problem})


def _store_password(user: User, password: str, *, temporary: bool) -> None:
    """Set the password on the locked row, keeping the old hash in the history."""
    if user.password:
        keep = max(0, settings.PASSWORD_HISTORY - 1)
        user.password_history = [user.password, *user.password_history][:keep]
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.must_change_password = temporary
    user.save(
        update_fields=[
            "password",
            "password_changed_at",
            "must_change_password",
            "password_history",
        ]
    )


def _clean_details(full_name: str, email: str) -> tuple[str, str]:
    full_name, email = full_name.strip(), email.strip().lower()
    if not full_name:
        raise InvalidInput(
            "Give the person's full name: it is printed on their signatures.",
            fields={"full_name": "Required."},
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                f"“{email}” is not an email address.", fields={"email": "Not an email address."}
            ) from None
    return full_name, email


@audit.writing()
def create_user(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    email: str = "",
    password: str,
    roles: Iterable[Role] = (),
    reason: str = "New user",
    temporary: bool | None = None,
) -> User:
    _check(actor, USER_MANAGE)
    roles = list(roles)
    if roles:
        _check(actor, ROLE_MANAGE)  # creating a user must not be a way round granting roles
    username = username.strip().lower()
    try:
        USERNAME_VALIDATOR(username)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0], fields={"username": exc.messages[0]}) from None
    # A username is never reused: deactivated users keep theirs, so this covers them too.
    if User.objects.filter(username=username).exists():
        raise InvalidInput(
            f"The username “{username}” is taken and can never be reused.",
            fields={"username": "Taken."},
        )
    full_name, email = _clean_details(full_name, email)
    user = User(username=username, full_name=full_name, email=email)
    _check_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    # A password an administrator chose is temporary. With no actor (the command line,
    # set-up code) it is the caller's choice: `openqms createuser` makes it temporary
    # for everyone but the first user, the first administrator at the console.
    user.must_change_password = actor is not None or bool(temporary)
    user.save(force_insert=True)
    audit.record(
        actor=actor,
        action="core.user.created",
        obj=user,
        reason=reason,
        changes={
            "username": [None, username],
            "full_name": [None, full_name],
            "email": [None, email],
            "must_change_password": [None, user.must_change_password],
            "password_fingerprint": fingerprint(user.password),
        },
    )
    for role in roles:
        _grant(actor, user, role, reason)
    return user


@audit.writing()
def update_user(*, actor: User, user: User, full_name: str, email: str, reason: str) -> User:
    _check(actor, USER_MANAGE)
    reason = _require_reason(reason)
    full_name, email = _clean_details(full_name, email)
    user = User.objects.select_for_update().get(pk=user.pk)
    changes = audit.diff(
        {"full_name": user.full_name, "email": user.email}, {"full_name": full_name, "email": email}
    )
    if not changes:
        raise InvalidInput("Nothing changed.")
    user.full_name, user.email = full_name, email
    user.save(update_fields=["full_name", "email"])
    audit.record(actor=actor, action="core.user.updated", obj=user, changes=changes, reason=reason)
    return user


def _set_active(actor: User, user: User, active: bool, reason: str) -> User:
    _check(actor, USER_MANAGE)
    reason = _require_reason(reason)
    if actor is not None and actor.pk == user.pk and not active:
        raise InvalidInput("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == active:
        raise InvalidInput(f"{user.full_name} is already {'active' if active else 'inactive'}.")
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        end_access(actor=actor, user=user, reason="The account was deactivated.")
    action = "core.user.reactivated" if active else "core.user.deactivated"
    audit.record(
        actor=actor,
        action=action,
        obj=user,
        changes={"is_active": [not active, active]},
        reason=reason,
    )
    return user


@audit.writing()
def deactivate_user(*, actor: User, user: User, reason: str) -> User:
    return _set_active(actor, user, False, reason)


@audit.writing()
def reactivate_user(*, actor: User, user: User, reason: str) -> User:
    return _set_active(actor, user, True, reason)


@audit.writing()
def unlock_user(*, actor: User, user: User, reason: str) -> User:
    _check(actor, USER_MANAGE)
    reason = _require_reason(reason)
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_locked() and not user.failed_sign_ins:
        raise InvalidInput(f"{user.full_name}'s account is not locked.")
    audit.record(
        actor=actor,
        action="core.user.unlocked",
        obj=user,
        reason=reason,
        changes={
            "locked_until": [user.locked_until, None],
            "failed_sign_ins": [user.failed_sign_ins, 0],
        },
    )
    user.locked_until, user.failed_sign_ins = None, 0
    user.save(update_fields=["locked_until", "failed_sign_ins"])
    return user


def change_own_password(*, actor: User, old_password: str, new_password: str) -> None:
    # A wrong current password is a failed re-authentication: audited, counted to lockout.
    try:
        reauthenticate_password(user=actor, password=old_password)
    except ReauthenticationFailed:
        raise InvalidInput(
            "The current password is not correct.", fields={"old_password": "Not correct."}
        ) from None
    _store_new_password(actor, old_password, new_password)


@audit.writing()
def _store_new_password(actor: User, old_password: str, new_password: str) -> None:
    user = User.objects.select_for_update().get(pk=actor.pk)
    if old_password == new_password:
        raise InvalidInput(
            "Choose a new password different from the current one.",
            fields={"new_password": "Same as the current one."},
        )
    _check_password(new_password, user)
    _refuse_reuse(new_password, user)
    was_temporary = user.must_change_password
    _store_password(user, new_password, temporary=False)
    actor.password, actor.must_change_password = user.password, False
    actor.password_changed_at = user.password_changed_at
    changes: dict = {"must_change_password": [True, False]} if was_temporary else {}
    changes["password_fingerprint"] = fingerprint(user.password)
    audit.record(actor=actor, action="core.user.password_changed", obj=user, changes=changes)


@audit.writing()
def set_password(
    *, actor: User | None, user: User, new_password: str, reason: str, temporary: bool = True
) -> None:
    """An administrator's reset (or `openqms changepassword`): the password is temporary,
    so the person must choose their own at the next sign-in before anything else, and
    it signs nothing until then. `temporary=False` only from the command line, for the
    operator's own account."""
    _check(actor, USER_MANAGE)
    reason = _require_reason(reason)
    if actor is not None:
        temporary = True
    user = User.objects.select_for_update().get(pk=user.pk)
    _check_password(new_password, user)
    _refuse_reuse(new_password, user)
    before = user.must_change_password
    _store_password(user, new_password, temporary=temporary)
    changes: dict = {"must_change_password": [before, temporary]} if before != temporary else {}
    changes["password_fingerprint"] = fingerprint(user.password)
    audit.record(
        actor=actor, action="core.user.password_set", obj=user, reason=reason, changes=changes
    )


def _grant(actor: User | None, user: User, role: Role, reason: str) -> RoleAssignment:
    # Segregation of duties: nobody widens their own rights.
    if actor is not None and actor.pk == user.pk:
        raise PermissionRefused("You cannot grant a role to yourself; ask another administrator.")
    if RoleAssignment.objects.current().filter(user=user, role=role).exists():
        raise InvalidInput(f"{user.full_name} already holds the role {role.name}.")
    grant = RoleAssignment.objects.create(
        user=user, role=role, granted_at=timezone.now(), granted_by=actor, grant_reason=reason
    )
    # The trail names both people: the granter (actor) and the grantee, by username.
    audit.record(
        actor=actor,
        action="core.role.granted",
        obj=user,
        reason=reason,
        changes={
            "role": [None, role.code],
            "granted_to": user.username,
            "granted_by": actor.username if actor is not None else "system",
        },
    )
    forget_permissions(user)
    return grant


@audit.writing()
def grant_role(*, actor: User | None, user: User, role: Role, reason: str) -> RoleAssignment:
    _check(actor, ROLE_MANAGE)
    reason = _require_reason(reason)
    if not user.is_active:
        raise InvalidInput(f"{user.full_name} is deactivated; reactivate them first.")
    User.objects.select_for_update().get(pk=user.pk)
    return _grant(actor, user, role, reason)


@audit.writing()
def revoke_role(*, actor: User | None, user: User, role: Role, reason: str) -> RoleAssignment:
    _check(actor, ROLE_MANAGE)
    reason = _require_reason(reason)
    User.objects.select_for_update().get(pk=user.pk)
    grant = RoleAssignment.objects.current().filter(user=user, role=role).first()
    if grant is None:
        raise InvalidInput(f"{user.full_name} does not hold the role {role.name}.")
    grant.revoked_at, grant.revoked_by, grant.revoke_reason = timezone.now(), actor, reason
    grant.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    audit.record(
        actor=actor,
        action="core.role.revoked",
        obj=user,
        reason=reason,
        changes={"role": [role.code, None]},
    )
    forget_permissions(user)
    return grant


@audit.writing()
def update_role(
    *,
    actor: User,
    role: Role,
    permission_codes: Iterable[str],
    requires_second_factor: bool,
    reason: str,
) -> Role:
    _check(actor, ROLE_MANAGE)
    reason = _require_reason(reason)
    codes = sorted(set(permission_codes))
    unknown = [c for c in codes if c not in permissions]
    if unknown:
        raise InvalidInput(
            f"Unknown permission(s): {', '.join(unknown)}.",
            fields={"permissions": "Unknown permission."},
        )
    role = Role.objects.select_for_update().get(pk=role.pk)
    added = set(codes) - set(role.permissions)
    if added and RoleAssignment.objects.current().filter(user=actor, role=role).exists():
        # Widening a role you hold is granting yourself rights by another door.
        raise PermissionRefused(
            "You hold this role: another administrator must add permissions to it."
        )
    changes = audit.diff(
        {
            "permissions": sorted(role.permissions),
            "requires_second_factor": role.requires_second_factor,
        },
        {"permissions": codes, "requires_second_factor": requires_second_factor},
    )
    if not changes:
        raise InvalidInput("Nothing changed.")
    role.permissions, role.requires_second_factor = codes, requires_second_factor
    role.save(update_fields=["permissions", "requires_second_factor"])
    audit.record(
        actor=actor,
        action="core.role.updated",
        obj=role,
        object_id=role.code,
        changes=changes,
        reason=reason,
    )
    return role
