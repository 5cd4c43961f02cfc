"""The signed-in user's own profile: password, second factor, API tokens."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from openqms.core import access, actions
from openqms.core.forms import (
    CodeForm,
    PasswordChangeForm,
    RemoveSecondFactorForm,
    TokenCreateForm,
)
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import ApiToken
from openqms.core.views.common import attempt, form_problems, qr_svg


def changed_own_password(request: AuthenticatedHttpRequest, form: PasswordChangeForm) -> bool:
    """Change the signed-in person's password from a posted form; True when it changed
    (this session then stays signed in: the change rotates the session hash)."""
    changed = (
        request.method == "POST"
        and form.is_valid()
        and attempt(
            request,
            form,
            lambda: actions.change_own_password(actor=request.user, **form.cleaned_data),
            "Password changed.",
        )
    )
    if changed:
        update_session_auth_hash(request, request.user)
    return bool(changed)


def profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.POST or None)
    if changed_own_password(request, form):
        return redirect("core:profile")
    return render(
        request,
        "core/profile.html",
        {
            "form": form,
            "has_second_factor": actions.has_second_factor(request.user),
            "grants": request.user.role_assignments.filter(revoked_at__isnull=True).select_related(
                "role"
            ),
            "live_tokens": ApiToken.objects.filter(
                user=request.user, revoked_at__isnull=True, expires_at__gt=timezone.now()
            ),
        },
    )


def second_factor(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator: show the secret as a QR code, confirm it with one code."""
    user = request.user
    if actions.has_second_factor(user):
        return render(
            request,
            "core/second_factor.html",
            {
                "enrolled": True,
                "remove_form": RemoveSecondFactorForm(),
            },
        )
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or (request.method == "GET" and "restart" in request.GET):
        device = actions.start_second_factor(actor=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = attempt(
            request,
            form,
            lambda: actions.confirm_second_factor(
                actor=user, device=device, code=form.cleaned_data["code"]
            ),
            "Second factor enrolled. Keep your recovery codes somewhere safe.",
        )
        if codes:
            request.session["second_factor_ok"] = True
            return render(request, "core/recovery_codes.html", {"codes": codes})
    return render(
        request,
        "core/second_factor.html",
        {
            "enrolled": False,
            "form": form,
            "qr": qr_svg(device.config_url),
            "secret": device_secret(device),
            "required": request.GET.get("required") == "1",
        },
    )


def device_secret(device: TOTPDevice) -> str:
    raw = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


@require_POST
def second_factor_remove(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RemoveSecondFactorForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
    elif attempt(
        request,
        None,
        lambda: actions.remove_second_factor(
            actor=request.user, user=request.user, **form.cleaned_data
        ),
        "Second factor removed.",
    ):
        request.session["second_factor_ok"] = False
    return redirect("core:second-factor")


def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    plaintext = None
    if request.method == "POST" and form.is_valid():
        created = attempt(
            request,
            form,
            lambda: actions.create_api_token(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                otp_code=form.cleaned_data["otp_code"],
            ),
            "Token created. Copy it now: it will not be shown again.",
        )
        if created:
            plaintext = created[1]
            form = TokenCreateForm()
    return render(
        request,
        "core/tokens.html",
        {
            "form": form,
            "plaintext": plaintext,
            "tokens": ApiToken.objects.filter(user=request.user),
            "token_days": settings.TOKEN_DAYS,
        },
    )


@require_POST
def token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = access.get_token_for_user(request.user, token_id)
    attempt(
        request,
        None,
        lambda: actions.revoke_api_token(actor=request.user, token=token),
        "Token revoked.",
    )
    return redirect("core:tokens")
