"""Records pages: periodic reviews (ISO 13485 4.2.4 b), the register of external
documents (4.2.4 f), and retention, legal holds and disposal (4.2.5).

Documents reach these views only through documents.access; every change goes through
documents.actions, which also checks the permission again.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.registry import RETENTION_MANAGE
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.views.common import (
    attempt,
    attempt_posted,
    attempt_signed,
    attempt_with_reason,
    typed,
)
from openqms.documents import access, actions
from openqms.documents.actions.records import retention_ends_many
from openqms.documents.forms import (
    DisposeForm,
    ExternalCheckForm,
    ExternalDocumentForm,
    LegalHoldForm,
    PeriodicReviewForm,
)
from openqms.documents.inbox import REVIEW_DUE_WITHIN
from openqms.documents.models import (
    Disposition,
    ExternalDocument,
    LegalHold,
    ReviewAssignment,
    ReviewOutcome,
    RevisionState,
)
from openqms.documents.registry import EXTERNAL, RECORDS, TYPES
from openqms.documents.views.documents import _document

RECENT_DISPOSALS = 20


def _require_reader(user: User) -> None:
    access.require_reader(user)


def _require_records(user: User) -> None:
    require_or_404(user, RECORDS)


def _nav(user: User, here: str) -> dict:
    return {
        "here": here,
        "can_keep_records": has_permission(user, RECORDS),
        "can_configure": has_permission(user, TYPES),
    }


# -- periodic review ----------------------------------------------------------------------


def review_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Documents whose periodic review is due within 30 days, or overdue."""
    user = request.user
    _require_reader(user)
    today = timezone.localdate()
    documents = access.visible_documents(user).filter(
        withdrawn_at__isnull=True, next_review__lte=today + REVIEW_DUE_WITHIN
    )
    context = {"rows": documents.order_by("next_review", "number"), "today": today}
    context["waiting"] = _waiting_signatures(user)
    return render(request, "documents/reviews.html", context | _nav(user, "reviews"))


def _waiting_signatures(user: User) -> list[dict]:
    """Revisions in review the reader sees, with the named people yet to sign and the
    due date (one query)."""
    in_review = access.visible_revisions(user).filter(state=RevisionState.IN_REVIEW)
    rows: dict[int, dict] = {}
    unsigned = ReviewAssignment.objects.filter(
        revision__in=in_review.values("pk"), ended_at__isnull=True, signed_at__isnull=True
    ).select_related("person", "revision__document")
    for a in unsigned.order_by("due_date", "revision__document__number", "-role", "position"):
        row = rows.setdefault(
            a.revision_id, {"revision": a.revision, "due": a.due_date, "people": []}
        )
        row["people"].append(f"{a.person.full_name} ({a.get_role_display()})")
    return list(rows.values())


@require_POST
def periodic_review_complete(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document = _document(request, number)
    form = PeriodicReviewForm(request.POST, needs_code=has_second_factor(request.user))
    done = attempt_signed(
        request,
        form,
        lambda data, credentials: actions.complete_periodic_review(
            actor=request.user,
            document=document,
            outcome=data["outcome"],
            comment=data["comment"],
            credentials=credentials,
        ),
        "Signed: periodic review completed.",
    )
    if done and form.cleaned_data["outcome"] == ReviewOutcome.CHANGE_NEEDED:
        messages.info(request, "A new revision was started as a draft for the change.")
    return redirect("documents:detail", number=number)


# -- external documents -------------------------------------------------------------------


def external_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The register; those who keep it register documents here (POST) and record checks."""
    user = request.user
    _require_reader(user)
    can_manage = has_permission(user, EXTERNAL)
    form = ExternalDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = attempt(
            request,
            form if can_manage else None,
            lambda: actions.register_external_document(actor=user, **form.cleaned_data),
            f"{form.cleaned_data['reference']} registered.",
        )
        if done:
            return redirect("documents:external")
    rows = list(ExternalDocument.objects.select_related("checked_by"))
    for row in rows:
        initial = {"is_current": row.is_current, "edition": row.edition}
        row.check_form = ExternalCheckForm(initial=initial, auto_id=f"check-{row.pk}-%s")  # type: ignore[attr-defined]
    context = {"rows": rows, "form": form, "can_manage": can_manage, "today": timezone.localdate()}
    return render(request, "documents/external.html", context | _nav(user, "external"))


@require_POST
def external_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_reader(request.user)
    document = get_object_or_404(ExternalDocument, pk=pk)
    attempt_posted(
        request,
        ExternalCheckForm(request.POST),
        lambda data: actions.check_external_document(actor=request.user, document=document, **data),
        f"Check of {document.reference} recorded.",
        nothing="Nothing was recorded.",
    )
    return redirect("documents:external")


# -- retention, legal holds, disposal -----------------------------------------------------


def _withdrawn(request: AuthenticatedHttpRequest, holds: list[LegalHold]) -> list:
    """Withdrawn documents not yet disposed of, with their retention end and whether they
    may be disposed of now (retention over, no hold)."""
    user, today, held = request.user, timezone.localdate(), {h.document_id for h in holds}
    needs_code = has_second_factor(user)
    documents = access.visible_documents(user).filter(
        withdrawn_at__isnull=False, disposed_at__isnull=True
    )
    rows = list(documents.select_related("doc_type").order_by("withdrawn_at", "number"))
    ends = retention_ends_many(rows)
    for d in rows:
        d.retention_end, d.on_hold = ends[d.pk], d.pk in held  # type: ignore[attr-defined]
        d.may_dispose = bool(d.retention_end and d.retention_end <= today and not d.on_hold)  # type: ignore[attr-defined]
        if d.may_dispose:  # type: ignore[attr-defined]
            kept = typed(request, reverse("documents:dispose", args=[d.number]))
            shown = content_hash(actions.disposal_content(d))
            d.dispose_form = DisposeForm(  # type: ignore[attr-defined]
                needs_code=needs_code,
                auto_id=f"dispose-{d.pk}-%s",
                initial={**kept, "content_hash": shown},
            )
    return rows


def retention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Retention of withdrawn documents, legal holds (placed here, by POST) and disposal."""
    user = request.user
    _require_records(user)
    visible = access.visible_documents(user)
    form = LegalHoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number, reason = form.cleaned_data["number"], form.cleaned_data["reason"]
        document = visible.filter(number__iexact=number).first()
        if document is None:
            form.add_error("number", f"There is no document “{number}”.")
        elif attempt(
            request,
            form,
            lambda: actions.place_legal_hold(actor=user, document=document, reason=reason),
            f"Legal hold placed on {document.number}.",
        ):
            return redirect("documents:retention")
    active = LegalHold.objects.filter(released_at__isnull=True, document__in=visible)
    holds = list(active.select_related("document", "placed_by"))
    for hold in holds:
        hold.release_form = ReasonForm(auto_id=f"release-{hold.pk}-%s")  # type: ignore[attr-defined]
    disposed = Disposition.objects.filter(document__in=visible).select_related(
        "document", "disposed_by"
    )
    context = {
        "form": form,
        "holds": holds,
        "withdrawn": _withdrawn(request, holds),
        "disposed": disposed.order_by("-disposed_at")[:RECENT_DISPOSALS],
        "perms_retention": has_permission(user, RETENTION_MANAGE),
    }
    return render(request, "documents/retention.html", context | _nav(user, "retention"))


@require_POST
def hold_release(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_records(request.user)
    visible = access.visible_documents(request.user)
    hold = get_object_or_404(LegalHold.objects.filter(document__in=visible), pk=pk)
    attempt_with_reason(
        request,
        lambda reason: actions.release_legal_hold(actor=request.user, hold=hold, reason=reason),
        f"Legal hold on {hold.document.number} released.",
    )
    return redirect("documents:retention")


@require_POST
def document_dispose(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    _require_records(request.user)
    document = _document(request, number)
    form = DisposeForm(request.POST, needs_code=has_second_factor(request.user))
    attempt_signed(
        request,
        form,
        lambda data, credentials: actions.dispose_document(
            actor=request.user, document=document, reason=data["reason"], credentials=credentials
        ),
        f"Signed: {document.number} disposed of.",
    )
    return redirect("documents:retention")
