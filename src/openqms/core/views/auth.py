"""Sign in (password, then the second factor where enrolled) and sign out."""

from __future__ import annotations

import time

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from openqms.core import actions
from openqms.core.errors import AccountLocked, DomainError, Throttled
from openqms.core.forms import CodeForm, PasswordChangeForm, SignInForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.views.profile import changed_own_password

_PENDING = "pending_sign_in"
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"


def _complete(request: HttpRequest, user: User, *, second_factor: bool, next_url: str):
    # Recorded (and re-checked under the account's lock) before the session exists: an
    # account locked or deactivated by a parallel request gets no session.
    actions.record_sign_in(user=user)
    login(request, user, backend=_BACKEND)
    request.session["second_factor_ok"] = second_factor
    request.session["last_seen"] = time.time()
    if actions.password_change_due(user):
        return redirect("core:password-change")
    return redirect(next_url)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:tasks")
    form = SignInForm(request.POST or None)
    next_url = _next_url(request, request.POST.get("next") or request.GET.get("next"))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.authenticate(**form.cleaned_data)
            if not actions.has_second_factor(user):
                return _complete(request, user, second_factor=False, next_url=next_url)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = 429 if isinstance(exc, Throttled) else 200
        else:
            request.session[_PENDING] = {"user": user.pk, "next": next_url}
            return redirect("core:sign-in-code")
    return render(request, "core/sign_in.html", {"form": form, "next": next_url}, status=status)


@login_not_required
def sign_in_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(_PENDING)
    user = User.objects.filter(pk=(pending or {}).get("user"), is_active=True).first()
    if user is None:
        return redirect("core:sign-in")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.verify_second_factor(
                user=user, code=form.cleaned_data["code"], action="core.auth.second_factor_failed"
            )
            del request.session[_PENDING]
            return _complete(request, user, second_factor=True, next_url=pending["next"])  # type: ignore[index]
        except AccountLocked as exc:
            request.session.pop(_PENDING, None)
            form.add_error(None, exc.message)
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "core/sign_in_code.html", {"form": form})


@require_POST
def sign_out(request: AuthenticatedHttpRequest) -> HttpResponse:
    actions.record_sign_out(user=request.user)
    logout(request)
    return redirect("core:sign-in")


def password_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The one page open to someone whose password is temporary or too old."""
    form = PasswordChangeForm(request.POST or None)
    if changed_own_password(request, form):
        return redirect("core:tasks")
    return render(
        request,
        "core/password_change.html",
        {"form": form, "temporary": request.user.must_change_password},
    )
