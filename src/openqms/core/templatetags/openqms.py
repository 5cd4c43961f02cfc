"""Template helpers: signature manifestations, action labels, JSON changes."""

from __future__ import annotations

import json

from django import template
from django.conf import settings

from openqms import __version__
from openqms.core import signatures
from openqms.core.registry import event_types
from openqms.core.views.common import refusal, typed

register = template.Library()


@register.simple_tag
def openqms_version() -> str:
    return __version__


@register.simple_tag
def demo_instance() -> bool:
    """A demo instance (run by `openqms demo`; `serve` refuses a demo database) says so
    on every page: its passwords are published."""
    return bool(settings.DEMO)


@register.inclusion_tag("core/includes/manifestations.html")
def signature_manifestations(obj, all_versions: bool = False):
    """Name, time with time zone, meaning and valid/broken for every signature of `obj`."""
    return {"manifestations": signatures.manifestations(obj, all_versions=all_versions)}


@register.inclusion_tag("core/includes/sign_dialog.html", takes_context=True)
def sign_dialog(
    context,
    obj,
    action_url: str,
    meaning: str,
    button: str = "Sign",
    extra: str = "",
    comment_required: bool = False,
):
    """The signing dialog: shows the meaning and exactly what is being signed. `extra`
    names a template of further fields posted with the signature (a decision taken with
    it, such as the approver's retraining decision); it sees the page's context;
    `comment_required`: the action refuses a signature without a comment. After a failed
    signing the dialog opens again saying why, with the comment typed (never the
    password)."""
    request = context["request"]
    return {
        "kept": typed(request, action_url),
        "refused": refusal(request, action_url),
        "comment_required": comment_required,
        "extra": extra,
        "page": context.flatten(),
        "csrf_token": context.get("csrf_token"),
        "dialog_id": f"sign-{meaning}-{obj.pk}",
        "action_url": action_url,
        "button": button,
        "meaning_label": signatures.meanings.label(meaning),
        "object_label": str(obj),
        "record": signatures.record_label(obj),
        "version": obj.signature_version(),
        "content_hash": signatures.content_hash(obj.signature_content()),
        "needs_code": request.user.is_authenticated and signatures.has_second_factor(request.user),
        "signer": request.user,
    }


@register.filter
def action_label(code: str) -> str:
    return event_types.label(code)


@register.filter
def changes_list(changes_json: str) -> list[tuple[str, str]]:
    """[(field, "old → new")] from an event's stored changes."""
    try:
        changes = json.loads(changes_json)
    except ValueError:
        return [("?", changes_json)]
    out = []
    for field, value in changes.items():
        if isinstance(value, list) and len(value) == 2:
            old, new = value
            out.append((field, f"{_show(old)} → {_show(new)}"))
        else:
            out.append((field, _show(value)))
    return out


def _show(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
