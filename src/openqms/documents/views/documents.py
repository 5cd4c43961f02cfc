"""Document-control pages: the list, a document, a revision, the editor and the steps.

Documents and revisions reach these views only through documents.access (the same 404
for missing and forbidden); every change goes through documents.actions.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission, require_or_404
from openqms.core.forms import ReasonForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.signing import signer_credentials
from openqms.core.text import render_markdown
from openqms.core.views.common import attempt, attempt_with_reason, form_problems, typed
from openqms.documents import access, actions, assignments, originals, redline, search
from openqms.documents.actions import LIFECYCLE
from openqms.documents.actions.lifecycle import live_signers
from openqms.documents.forms import (
    AttachmentForm,
    DocumentCreateForm,
    DocumentFilterForm,
    PeriodicReviewForm,
    ReplaceFileForm,
    RevisionEditForm,
    StartRevisionForm,
    StepForm,
)
from openqms.documents.models import OPEN_STATES, Document, Revision, RevisionState
from openqms.documents.registry import CREATE, EDIT, RECORDS
from openqms.documents.views.ownership import ownership_forms, take_over_form, taken_over_from
from openqms.documents.views.reviews import review_context

S = RevisionState
PAGE_SIZE = 50
_DONE = {
    "submit": "Submitted for review.",
    "review": "Signed: Reviewed.",
    "approve": "Signed: Approved.",
    "sign_approval": "Signed: Approved. The other named approvers sign next.",
    "reject": "Returned to the author.",
}


def _document(request: AuthenticatedHttpRequest, number: str) -> Document:
    return access.get_document_for_user(request.user, number)


def _revision(request: AuthenticatedHttpRequest, number: str, label: str) -> Revision:
    return access.get_revision_for_user(request.user, number, label)


def _editable(revision: Revision, user: User) -> bool:
    """Whether to offer the editor (edit_draft decides; this only chooses what to show)."""
    return (
        revision.state == RevisionState.DRAFT
        and revision.author_id == user.pk
        and has_permission(user, EDIT)
    )


def _where_next(user: User, document: Document, revision: Revision | None = None) -> HttpResponse:
    """After a change: the revision if the user still sees it, else the document, else
    the list (a reviewer who returns a draft no longer sees it)."""
    if revision is not None and access.visible_revisions(user).filter(pk=revision.pk).exists():
        return redirect("documents:revision", number=document.number, label=revision.label)
    if access.visible_documents(user).filter(pk=document.pk).exists():
        return redirect("documents:detail", number=document.number)
    return redirect("documents:list")


def _filtered(user: User, data: dict, visible: QuerySet) -> QuerySet:
    # The search box also finds words in the bodies of revisions the reader may see.
    documents = search.search_documents(user, data["q"])
    if data["doc_type"]:
        documents = documents.filter(doc_type=data["doc_type"])
    if data["owner"]:
        documents = documents.filter(owner=data["owner"])
    if data["status"]:  # only revisions the reader may see count, so no draft is betrayed
        documents = documents.filter(pk__in=visible.filter(state=data["status"]).values("document"))
    if data["clause"]:  # the clause itself or one below it: 7.3 finds 7.3 and 7.3.2
        clause = data["clause"]
        documents = documents.filter(
            Q(clauses__icontains=f'"{clause}"') | Q(clauses__icontains=f'"{clause}.')
        )
    return documents


def _with_revisions(documents: QuerySet, visible: QuerySet) -> QuerySet:
    """Annotate each document with its released revision (effective, else the latest
    superseded or obsolete one) and its open revision, among those the reader sees."""
    latest = visible.filter(document=OuterRef("pk")).order_by("-sequence").values("pk")
    return documents.annotate(
        current_id=Subquery(latest.exclude(state__in=OPEN_STATES)[:1]),
        open_id=Subquery(latest.filter(state__in=OPEN_STATES)[:1]),
    )


def _attach_revisions(rows: list[Document]) -> None:
    """One query for the revisions the list shows, however many rows (constant count)."""
    shown = Revision.objects.in_bulk([i for d in rows for i in (d.current_id, d.open_id) if i])  # type: ignore[attr-defined]
    for d in rows:
        d.current, d.open = shown.get(d.current_id), shown.get(d.open_id)  # type: ignore[attr-defined]


def document_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = access.visible_revisions(user)
    owned = access.visible_documents(user).filter(owner=OuterRef("pk"))
    owners = User.objects.filter(Exists(owned)).order_by("full_name")
    form = DocumentFilterForm(request.GET, owners=owners)
    if form.is_valid():
        documents = _filtered(user, form.cleaned_data, visible)
    else:
        documents = Document.objects.none()
    paginator = Paginator(_with_revisions(documents, visible), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _attach_revisions(rows)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    context["can_create"] = has_permission(user, CREATE)
    context |= {"here": "list", "can_keep_records": has_permission(user, RECORDS)}
    return render(request, "documents/list.html", context)


def document_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require_or_404(request.user, CREATE)
    form = DocumentCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        revision = attempt(
            request,
            form,
            lambda: actions.create_document(actor=request.user, **form.cleaned_data),
            "Document created. Write its first revision, then submit it for review.",
        )
        if revision:
            number = revision.document.number
            return redirect("documents:edit", number=number, label=revision.label)
    return render(request, "documents/create.html", {"form": form})


def document_detail(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document, user = _document(request, number), request.user
    revisions = list(access.visible_revisions(user).filter(document=document).order_by("-sequence"))
    effective = next((r for r in revisions if r.state == RevisionState.EFFECTIVE), None)
    open_revision = next((r for r in revisions if r.state in OPEN_STATES), None)
    steps = actions.document_steps(document, user)
    # Someone else's draft stays hidden, but an author learns why they cannot start one.
    in_progress = (
        document.withdrawn_at is None
        and has_permission(user, EDIT)
        and document.revisions.filter(state__in=OPEN_STATES).exists()
    )
    context = {
        "document": document,
        "revisions": revisions,
        "effective": effective,
        "body": render_markdown(effective.body) if effective else "",
        # The page the list links to shows what is in force: its text, its original
        # files (an imported Word or PDF document) and its attachments, to download.
        "effective_originals": originals.for_page(effective) if effective else [],
        "effective_files": _files(effective) if effective else [],
        "open_revision": open_revision,
        "open_editable": open_revision is not None and _editable(open_revision, user),
        "in_progress_elsewhere": in_progress and open_revision is None,
        "can_start": "start_revision" in steps,
        "can_withdraw": "withdraw" in steps,
        "start_form": StartRevisionForm(),
        "withdraw_form": ReasonForm(),
        "periodic_reviews": document.reviews.select_related("revision", "reviewer"),
    }
    context |= ownership_forms(document, open_revision, user)
    if "periodic_review" in steps:
        kept = typed(request, reverse("documents:periodic-review", args=[number]))
        shown = content_hash(actions.periodic_review_content(document))
        context["review_form"] = PeriodicReviewForm(
            needs_code=has_second_factor(user),
            auto_id="review-%s",
            initial={**kept, "content_hash": shown},
        )
    return render(request, "documents/detail.html", context)


def _files(revision: Revision) -> QuerySet:
    return revision.attachments.select_related("stored_file")


def _refused_steps(revision: Revision, user: User) -> list[tuple[str, str]]:
    """The signing steps this user has the permission for but may not take now, with
    why (e.g. the training gate), so the page says so instead of hiding the button."""
    refused = []
    roles = {a.role for a in assignments.live(revision) if a.person_id == user.pk}
    if revision.author_id == user.pk:
        roles.add("author")
    approved = live_signers(revision, "approved")
    approval = assignments.approval_step(revision, user, approved)
    for name, role in (
        ("submit", "author"),
        ("review", "reviewer"),
        (approval, "approver"),
    ):
        step = LIFECYCLE.get(name)
        if revision.state not in step.sources or not has_permission(user, step.permission):
            continue
        if name == "submit" and revision.author_id != user.pk:
            continue  # only its author submits a draft: nothing to explain to others
        error = LIFECYCLE.refusal(revision, user, step)
        # Someone not named in a role is not told, step by step, that they are not named.
        if error is not None and (role in roles or not error.message.startswith("Only the")):
            refused.append((step.label, error.message))
    return refused


def _retraining_form(
    request: AuthenticatedHttpRequest, revision: Revision, steps: list
) -> StepForm | None:
    """The approver of a later revision may decide that a minor change needs no
    retraining (ISO 13485 6.2); the decision is posted with the approval signature."""
    if revision.sequence == 1 or not any(step.name == "approve" for step in steps):
        return None
    url = reverse("documents:step", args=[revision.document.number, revision.label, "approve"])
    return StepForm(auto_id="approve-%s", initial=typed(request, url))


def _retraining_decided(revision: Revision) -> bool:
    approved = revision.state in (S.APPROVED, S.EFFECTIVE, S.SUPERSEDED)
    return not revision.retraining_needed or (revision.sequence > 1 and approved)


def revision_detail(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = _revision(request, number, label)
    steps = LIFECYCLE.available(revision, request.user)
    context = {
        "revision": revision,
        "document": revision.document,
        "body": render_markdown(revision.body),
        "steps": steps,
        "refused_steps": _refused_steps(revision, request.user),
        "retraining_form": _retraining_form(request, revision, steps),
        "retraining_decided": _retraining_decided(revision),
        "can_edit": _editable(revision, request.user),
        "take_over_form": take_over_form(revision, request.user),
        "files": _files(revision),
        "originals": originals.for_page(revision),
        "previous": access.visible_revisions(request.user)
        .filter(document=revision.document, sequence__lt=revision.sequence)
        .order_by("-sequence")
        .first(),
    }
    context |= review_context(request, revision, steps)
    return render(request, "documents/revision.html", context)


def _edit_initial(revision: Revision) -> dict:
    fields = ("body", "change_summary", "change_reason", "effective_date")
    initial = {name: getattr(revision, name) for name in fields}
    return initial | {"based_on": actions.draft_version(revision)}


def _save_draft(
    request: AuthenticatedHttpRequest, form: RevisionEditForm, revision: Revision
) -> tuple[RevisionEditForm, Revision | None, redline.DraftConflict | None]:
    """Save the posted copy. If someone saved the draft since it was loaded, nothing is
    written: the person keeps their text, sees how it differs from the saved one, and
    may save again on purpose (the form now carries the saved draft's version)."""
    stale: list[actions.StaleDraft] = []

    def save() -> Revision:
        try:
            return actions.edit_draft(actor=request.user, revision=revision, **form.cleaned_data)
        except actions.StaleDraft as exc:
            stale.append(exc)
            raise

    saved = attempt(request, form, save, "Draft saved.")
    if not stale:
        return form, saved, None
    data = request.POST.copy()
    data["based_on"] = stale[0].current_version
    again = RevisionEditForm(data)
    again.is_valid()
    again.add_error(None, stale[0].message)
    return again, None, redline.compare_draft(stale[0].current, form.cleaned_data)


def revision_edit(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision, preview, conflict = _revision(request, number, label), None, None
    if request.method == "POST" and "preview" in request.POST:
        # Show the rendered text beside the unsaved form (an unbound form: no errors yet).
        form = RevisionEditForm(initial=request.POST.dict())
        preview = render_markdown(request.POST.get("body", ""))
    elif request.method == "POST":
        form = RevisionEditForm(request.POST)
        if form.is_valid():
            form, saved, conflict = _save_draft(request, form, revision)
            if saved:
                return redirect("documents:revision", number=number, label=label)
    elif not _editable(revision, request.user):
        messages.error(
            request,
            taken_over_from(revision, request.user)
            or "Only the author edits a revision, and only while it is a draft.",
        )
        return redirect("documents:revision", number=number, label=label)
    else:
        form = RevisionEditForm(initial=_edit_initial(revision))
    context = {"revision": revision, "document": revision.document, "form": form}
    context |= {"files": _files(revision), "attach_form": AttachmentForm(auto_id="file-%s")}
    context |= {"replace_form": ReplaceFileForm(auto_id=False), "conflict": conflict}
    return render(request, "documents/edit.html", context | {"preview": preview})


def _credentials(data: dict):
    """No password, no credentials: the table decides whether the step needs them."""
    if not data["password"]:
        return None
    return signer_credentials(
        password=data["password"], otp_code=data["otp_code"], content_hash=data["content_hash"]
    )


@require_POST
def revision_step(
    request: AuthenticatedHttpRequest, number: str, label: str, step: str
) -> HttpResponse:
    revision = _revision(request, number, label)
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
        return _where_next(request.user, revision.document, revision)
    data = form.cleaned_data
    done = attempt(
        request,
        None,
        lambda: actions.take_step(
            actor=request.user,
            revision=revision,
            step=step,
            reason=data["reason"],
            credentials=_credentials(data),
            no_retraining=data["justification"] if data["no_retraining"] else None,
        ),
        _DONE.get(step, "Done."),
    )
    if done and done.state == RevisionState.EFFECTIVE:
        messages.success(request, f"Revision {done.label} is now effective.")
    return _where_next(request.user, revision.document, revision)


@require_POST
def revision_start(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document = _document(request, number)
    form = StartRevisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
        return redirect("documents:detail", number=number)
    revision = attempt(
        request,
        None,
        lambda: actions.start_revision(actor=request.user, document=document, **form.cleaned_data),
        "New revision started as a draft; the effective revision stays in force until it "
        "is replaced.",
    )
    if revision:
        return redirect("documents:edit", number=number, label=revision.label)
    return redirect("documents:detail", number=number)


@require_POST
def document_withdraw(request: AuthenticatedHttpRequest, number: str) -> HttpResponse:
    document = _document(request, number)
    attempt_with_reason(
        request,
        lambda reason: actions.withdraw_document(
            actor=request.user, document=document, reason=reason
        ),
        "Document withdrawn; its revisions are kept as obsolete.",
    )
    return _where_next(request.user, document)
