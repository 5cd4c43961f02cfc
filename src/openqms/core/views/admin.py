"""User and role administration (core.user:manage, core.role:manage)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openqms.core import access, actions, trail
from openqms.core.forms import (
    GrantRoleForm,
    ReasonForm,
    RevokeRoleForm,
    RoleEditForm,
    SetPasswordForm,
    UserCreateForm,
    UserEditForm,
)
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent, Role, RoleAssignment, User
from openqms.core.registry import AUDIT_READ, ROLE_MANAGE, USER_MANAGE
from openqms.core.views.common import attempt, form_problems


def _user(request: AuthenticatedHttpRequest, username: str) -> User:
    return access.get_user_for_user(request.user, username, need=USER_MANAGE)


def _role(request: AuthenticatedHttpRequest, code: str) -> Role:
    return access.get_role_for_user(request.user, code)


def _require(request: AuthenticatedHttpRequest, need: str) -> None:
    access.require_or_404(request.user, need)


def _current_grants() -> Prefetch:
    grants = RoleAssignment.objects.current().select_related("role")
    return Prefetch("role_assignments", queryset=grants, to_attr="current_grants")


def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, USER_MANAGE)
    users = User.objects.order_by("username").prefetch_related(_current_grants())
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    return render(request, "core/user_list.html", {"users": users[:500], "q": q})


def user_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, USER_MANAGE)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = attempt(
            request,
            form,
            lambda: actions.create_user(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                email=data["email"],
                password=data["password"],
                roles=data["roles"],
                reason=data["reason"],
            ),
            "User created.",
        )
        if user:
            return redirect("core:user-detail", username=user.username)
    return render(request, "core/user_create.html", {"form": form})


def user_detail(request: AuthenticatedHttpRequest, username: str) -> HttpResponse:
    user = _user(request, username)
    grants = RoleAssignment.objects.filter(user=user).select_related(
        "role", "granted_by", "revoked_by"
    )
    can_read_trail = access.has_permission(request.user, AUDIT_READ)
    events = (
        list(AuditEvent.objects.filter(object_type="core.user", object_id=str(user.pk))[:20])
        if can_read_trail
        else []
    )
    return render(
        request,
        "core/user_detail.html",
        {
            "subject": user,
            "grants": grants,
            "rows": trail.rows_for(request.user, events),
            "time_zone": settings.TIME_ZONE,
            "edit_form": UserEditForm(initial={"full_name": user.full_name, "email": user.email}),
            "grant_form": GrantRoleForm(),
            "reason_form": ReasonForm(),
            "password_form": SetPasswordForm(),
            "has_second_factor": actions.has_second_factor(user),
            "can_manage_roles": access.has_permission(request.user, ROLE_MANAGE),
            "can_read_trail": can_read_trail,
        },
    )


def _run(call):
    return lambda actor, user, data: call(actor=actor, user=user, **data)


# verb → (form, action, message on success). Every one of them is audited by its action.
_USER_ACTIONS = {
    "edit": (UserEditForm, _run(actions.update_user), "Saved."),
    "password": (
        SetPasswordForm,
        _run(actions.set_password),
        "Temporary password set: they must choose their own at the next sign-in.",
    ),
    "deactivate": (ReasonForm, _run(actions.deactivate_user), "User deactivated."),
    "reactivate": (ReasonForm, _run(actions.reactivate_user), "User reactivated."),
    "unlock": (ReasonForm, _run(actions.unlock_user), "Account unlocked."),
    "remove-second-factor": (
        ReasonForm,
        _run(actions.remove_second_factor),
        "Second factor removed; they can enrol again.",
    ),
    "grant-role": (GrantRoleForm, _run(actions.grant_role), "Role granted."),
    "revoke-role": (RevokeRoleForm, _run(actions.revoke_role), "Role revoked."),
}


@require_POST
def user_action(request: AuthenticatedHttpRequest, username: str, verb: str) -> HttpResponse:
    user = _user(request, username)
    if verb not in _USER_ACTIONS:
        raise Http404
    form_class, run, done = _USER_ACTIONS[verb]
    form = form_class(request.POST)
    if form.is_valid():
        attempt(request, None, lambda: run(request.user, user, form.cleaned_data), done)
    else:
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
    return redirect("core:user-detail", username=user.username)


def role_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require(request, ROLE_MANAGE)
    roles = Role.objects.order_by("name")
    return render(request, "core/role_list.html", {"roles": roles})


def role_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    role = _role(request, code)
    form = RoleEditForm(
        request.POST or None,
        initial={
            "permissions": role.permissions,
            "requires_second_factor": role.requires_second_factor,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            form,
            lambda: actions.update_role(
                actor=request.user,
                role=role,
                permission_codes=data["permissions"],
                requires_second_factor=data["requires_second_factor"],
                reason=data["reason"],
            ),
            "Role saved.",
        ):
            return redirect("core:role-detail", code=role.code)
    members = RoleAssignment.objects.current().filter(role=role).select_related("user")
    return render(
        request, "core/role_detail.html", {"role": role, "form": form, "members": members}
    )
