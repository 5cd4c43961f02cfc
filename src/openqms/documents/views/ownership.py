"""Who writes a draft and who owns a document: the take-over and owner forms of the
document page. Objects come through documents.access; changes through documents.actions."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import AuditEvent, User
from openqms.core.views.common import attempt_posted
from openqms.documents import access, actions
from openqms.documents.forms import OwnerForm
from openqms.documents.models import Document, Revision


def ownership_forms(document: Document, open_revision: Revision | None, user: User) -> dict:
    """The forms the document page offers this person (the actions decide again)."""
    forms: dict = {"owner_form": None, "take_over_form": None}
    if actions.change_owner_refusal(document, user) is None:
        forms["owner_form"] = OwnerForm(owners=actions.possible_owners(), auto_id="owner-%s")
    if open_revision is not None and actions.take_over_refusal(open_revision, user) is None:
        forms["take_over_form"] = ReasonForm(auto_id="take-over-%s")
    return forms


def take_over_form(revision: Revision, user: User) -> ReasonForm | None:
    """The take-over form for a draft's own page (QA finds it where they see the draft)."""
    if revision.state != "draft" or actions.take_over_refusal(revision, user) is not None:
        return None
    return ReasonForm(auto_id="take-over-%s")


def taken_over_from(revision: Revision, user: User) -> str | None:
    """If `revision` was taken over from `user`, a message naming who, when and why:
    the replaced author learns what happened instead of only being refused."""
    events = AuditEvent.objects.filter(
        action="documents.revision.taken_over",
        object_type="documents.revision",
        object_id=str(revision.pk),
    ).order_by("-seq")
    for event in events:
        if json.loads(event.changes).get("author", [None])[0] == user.username:
            when = timezone.localtime(event.at).strftime("%-d %b %Y %H:%M %Z")
            return (
                f"Revision {revision.label} was taken over by {event.actor_name} on {when}: "
                f"{event.reason}"
            )
    return None


@require_POST
def revision_take_over(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = access.get_revision_for_user(request.user, number, label)
    taken = attempt_posted(
        request,
        ReasonForm(request.POST),
        lambda data: actions.take_over_draft(
            actor=request.user, revision=revision, reason=data["reason"]
        ),
        f"You are now the author of revision {label}; you can edit it.",
    )
    if taken:
        return redirect("documents:edit", number=number, label=label)
    return redirect("documents:detail", number=number)


@require_POST
def document_owner(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document = access.get_document_for_user(request.user, number)
    form = OwnerForm(request.POST, owners=actions.possible_owners())
    if (
        attempt_posted(
            request,
            form,
            lambda data: actions.change_owner(
                actor=request.user, document=document, owner=data["owner"], reason=data["reason"]
            ),
            "Owner changed.",
        )
        and not access.visible_documents(request.user).filter(pk=document.pk).exists()
    ):
        messages.info(request, f"You no longer see {number}.")
        return redirect("documents:list")
    return redirect("documents:detail", number=number)
