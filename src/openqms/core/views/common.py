from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.utils.safestring import SafeString, mark_safe

from openqms.core.errors import DomainError
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest

# What a person typed into a signing form that failed (a mistyped password, a wrong code)
# comes back on the page they are sent to, so a long comment or justification need not be
# typed again. Nothing secret is kept (passwords, codes, tokens: not even in the session
# store), nor the content hash (the page shows the record as it is now).
_TYPED = "openqms_typed"
REFUSAL_SHOWN_FOR = 120  # seconds: a refusal reopens the dialog on the page right after it
_NEVER_KEPT = frozenset({"otp_code", "code", "csrfmiddlewaretoken", "content_hash"})
_SECRET_WORDS = ("password", "secret", "token")


def _keepable(name: str) -> bool:
    return name not in _NEVER_KEPT and not any(word in name for word in _SECRET_WORDS)


def keep_typed(request: AuthenticatedHttpRequest, problem: str = "") -> None:
    """After a refused signature: keep what was posted, but no secret, and why it was
    refused, for the next page (its signing dialog opens again, saying why)."""
    data = {k: v for k, v in request.POST.lists() if _keepable(k)}
    request.session[_TYPED] = {
        "action": request.path,
        "data": data,
        "problem": problem,
        "at": time.time(),
    }


def _kept(request: AuthenticatedHttpRequest, action: str) -> dict[str, Any]:
    kept = getattr(request, "_openqms_typed", None)
    if kept is None:
        session = getattr(request, "session", None)
        kept = (session.pop(_TYPED, None) if session is not None else None) or {}
        request._openqms_typed = kept  # type: ignore[attr-defined]
    return kept if kept.get("action") == action else {}


def typed(request: AuthenticatedHttpRequest, action: str) -> dict[str, Any]:
    """What was typed into the failed signing form posted to `action`, for the page shown
    right after the failure (the first page that asks takes it); {} otherwise."""
    kept = _kept(request, action)
    return {k: v[0] if len(v) == 1 else v for k, v in kept.get("data", {}).items()}


def refusal(request: AuthenticatedHttpRequest, action: str) -> str:
    """Why the signing form posted to `action` was just refused; "" otherwise."""
    kept = _kept(request, action)
    if not kept or time.time() - float(kept.get("at", 0)) > REFUSAL_SHOWN_FOR:
        return ""  # long ago (the page after it had no dialog to show it): not news
    return str(kept.get("problem") or "Nothing was signed.")


def _signing(request: AuthenticatedHttpRequest) -> bool:
    return request.method == "POST" and "password" in request.POST


def attempt(
    request: AuthenticatedHttpRequest,
    form: forms.Form | None,
    call: Callable[[], Any],
    success: str,
) -> Any:
    """Run an action; on a domain error show its message (on the form, or as a message)."""
    try:
        result = call()
    except DomainError as exc:
        if form is not None:
            for name, problem in exc.fields.items():
                if name in form.fields:
                    form.add_error(name, problem)
            form.add_error(None, exc.message)
        else:
            messages.error(request, exc.message)
            if _signing(request):
                keep_typed(request, exc.message)
        return None
    messages.success(request, success)
    return result if result is not None else True


def attempt_posted(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    call: Callable[[dict], Any],
    success: str,
    *,
    nothing: str = "Nothing was changed.",
) -> Any:
    """A posted form whose page is not shown again: when valid, `call(cleaned_data)` runs
    as `attempt` does; otherwise `nothing` and the form's problems are shown."""
    if not form.is_valid():
        problem = f"{nothing} {form_problems(form)}"
        messages.error(request, problem)
        if _signing(request):
            keep_typed(request, problem)
        return None
    return attempt(request, None, lambda: call(form.cleaned_data), success)


def attempt_signed(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    call: Callable[[dict, Any], Any],
    success: str,
) -> Any:
    """A signing form: when valid, `call(cleaned_data, credentials)` runs as `attempt` does;
    otherwise nothing is signed and the form's problems are shown."""
    return attempt_posted(
        request,
        form,
        lambda data: call(data, form.credentials()),  # type: ignore[attr-defined]
        success,
        nothing="Nothing was signed.",
    )


def form_problems(form: forms.Form) -> str:
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = (field.label or name.replace("_", " ").capitalize()) if field else ""
        parts.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))  # type: ignore[arg-type]
    return " ".join(parts)


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code (made here, so the secret never leaves the server)."""
    svg = segno.make(data, error="m").svg_inline(scale=5, dark="#111", light="#fff")
    return mark_safe(svg)  # noqa: S308 - segno's own markup, no user input in tags


def attempt_with_reason(
    request: AuthenticatedHttpRequest, call: Callable[[str], Any], success: str
) -> Any:
    """A POST that carries only a reason: check it, then run the action with it."""
    form = ReasonForm(request.POST)
    return attempt_posted(request, form, lambda data: call(data["reason"]), success)
