"""Access helpers: the only way objects reach views, endpoints and commands.

Each `get_*_for_user` raises the same NotFound for a missing object and a forbidden one.
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from openqms.core.errors import NotFound, PermissionRefused
from openqms.core.models import ApiToken, AuditEvent, AuditReview, Role, RoleAssignment, User
from openqms.core.registry import AUDIT_READ, ROLE_MANAGE, USER_MANAGE, permissions

_CACHE_ATTR = "_openqms_permissions"


def permissions_of(user: User) -> frozenset[str]:
    """The permission codes a user holds through current role grants (cached per object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        codes: set[str] = set()
        grants = RoleAssignment.objects.current().filter(user=user)
        for role_permissions in Role.objects.filter(assignments__in=grants).values_list(
            "permissions", flat=True
        ):
            codes.update(role_permissions)
        cached = frozenset(codes)
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_permissions(user: User) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def has_permission(user: User, need: str) -> bool:
    if need not in permissions:
        raise ValueError(f"unknown permission {need!r}")
    return need in permissions_of(user)


def require(user: User, need: str) -> None:
    if not has_permission(user, need):
        raise PermissionRefused(f"You need the permission “{permissions.label(need)}” to do this.")


def is_member(user: User) -> bool:
    """Whoever works in the QMS: signed in, active, holding at least one permission."""
    return bool(permissions_of(user))


def require_member(user: User) -> None:
    """Someone with no role at all (an account not yet given one) meets the same
    NotFound (404) on every page and endpoint as for a missing object."""
    if not is_member(user):
        raise NotFound()


def require_or_404(user: User, need: str) -> None:
    """For pages and endpoints a person without `need` must not learn exist: the same
    NotFound (404) as for a missing object."""
    if not has_permission(user, need):
        raise NotFound()


# Records every member reads (quality events, design records, suppliers, the QMS frame):
# a module's access.py states its own read policy and builds on these three.

M = TypeVar("M", bound=Model)


def require_member_holding(user: User, permission: str | None) -> None:
    """A member who also holds `permission` (when named); NotFound (404) otherwise, so a
    forbidden record looks like a missing one."""
    require_member(user)
    if permission is not None and not has_permission(user, permission):
        raise NotFound()


def visible_to_members(user: User, queryset: QuerySet[M]) -> QuerySet[M]:
    """`queryset` for a member, none for anyone else."""
    return queryset if is_member(user) else queryset.none()


def get_member_record(
    user: User, queryset: QuerySet[M], pk: object, *, permission: str | None = None
) -> M:
    """The record `pk` of `queryset` (with its select_related) when `user` is a member
    (holding `permission`, if named); NotFound otherwise, and for a `pk` that is not a
    number."""
    require_member_holding(user, permission)
    found = queryset.filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise NotFound()
    return found


def get_user_for_user(actor: User, username: str, *, need: str = USER_MANAGE) -> User:
    """A user's record, for those who manage users."""
    if not has_permission(actor, need):
        raise NotFound()
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        raise NotFound() from None


def get_role_for_user(actor: User, code: str, *, need: str = ROLE_MANAGE) -> Role:
    if not has_permission(actor, need):
        raise NotFound()
    try:
        return Role.objects.get(code=code)
    except Role.DoesNotExist:
        raise NotFound() from None


def get_token_for_user(actor: User, token_id: int) -> ApiToken:
    """A token of the actor's own; administrators may reach anyone's."""
    tokens = ApiToken.objects.all()
    if not has_permission(actor, USER_MANAGE):
        tokens = tokens.filter(user=actor)
    try:
        return tokens.select_related("user").get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise NotFound() from None


def role_requires_second_factor(user: User) -> bool:
    """True when one of the user's current roles requires a second factor."""
    return Role.objects.filter(
        requires_second_factor=True,
        assignments__in=RoleAssignment.objects.current().filter(user=user),
    ).exists()


def second_factor_missing(user: User, session) -> bool:
    """True when one of the user's roles requires a second factor this session lacks."""
    return (
        user.is_authenticated
        and not session.get("second_factor_ok")
        and role_requires_second_factor(user)
    )


def audit_events_for_user(actor: User) -> QuerySet:
    if not has_permission(actor, AUDIT_READ):
        raise NotFound()
    return AuditEvent.objects.all()


def audit_reviews_for_user(actor: User) -> QuerySet[AuditReview]:
    """Audit-trail reviews: for whoever reads the trail (auditors included)."""
    if not has_permission(actor, AUDIT_READ):
        raise NotFound()
    return AuditReview.objects.select_related("reviewer")


def get_audit_review_for_user(actor: User, pk: int) -> AuditReview:
    try:
        return audit_reviews_for_user(actor).get(pk=pk)
    except AuditReview.DoesNotExist:
        raise NotFound() from None
