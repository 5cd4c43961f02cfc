from __future__ import annotations

from collections.abc import Callable
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.utils.safestring import SafeString, mark_safe

from openqms.core.errors import DomainError
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest


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
        return None
    messages.success(request, success)
    return result if result is not None else True


def attempt_signed(
    request: AuthenticatedHttpRequest,
    form: forms.Form,
    call: Callable[[dict, Any], Any],
    success: str,
) -> Any:
    """A signing form: when valid, `call(cleaned_data, credentials)` runs as `attempt` does;
    otherwise nothing is signed and the form's problems are shown."""
    if not form.is_valid():
        messages.error(request, f"Nothing was signed. {form_problems(form)}")
        return None
    return attempt(request, None, lambda: call(form.cleaned_data, form.credentials()), success)  # type: ignore[attr-defined]


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
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
        return None
    return attempt(request, None, lambda: call(form.cleaned_data["reason"]), success)
