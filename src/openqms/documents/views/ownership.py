"""Who writes a draft and who owns a document: the take-over and owner forms of the
document page. Objects come through documents.access; changes through documents.actions."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
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
