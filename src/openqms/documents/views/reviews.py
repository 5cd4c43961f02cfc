"""The review parts of a revision's page: submitting to named reviewers and approvers,
review comments and their resolution, and QA replacing a named person.

Revisions reach these views only through documents.access; every change goes through
documents.actions (plain POST, then back to the revision page with a message)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from openqms.core.access import has_permission
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.views.common import attempt, form_problems
from openqms.documents import access, actions, assignments
from openqms.documents.forms import CommentForm, ReassignForm, ResolveForm, SubmitForm
from openqms.documents.models import ReviewRole, Revision, RevisionState
from openqms.documents.registry import APPROVE, REASSIGN_SIGNERS, REVIEW


def _people() -> dict[str, list]:
    return {
        "reviewers": assignments.people_who_may(REVIEW),
        "approvers": assignments.people_who_may(APPROVE),
    }


def review_context(request: AuthenticatedHttpRequest, revision: Revision, steps: list) -> dict:
    """What the revision page shows of its review: who is named, the comments, and the
    forms this person may use now."""
    user, named = request.user, assignments.live(revision)
    in_review = revision.state == RevisionState.IN_REVIEW
    context: dict[str, Any] = {
        "named": named,
        "comments": revision.review_comments.select_related("author", "resolved_by"),
        "approval_mode": revision.document.doc_type.get_approval_mode_display(),
        "is_author": revision.author_id == user.pk,
        "resolve_form": ResolveForm(auto_id="resolve-%s"),
    }
    if any(step.name == "submit" for step in steps):
        people = _people()
        context["submit_form"] = SubmitForm(
            auto_id="submit-%s",
            reviewers=[p for p in people["reviewers"] if p.pk != revision.author_id],
            approvers=[p for p in people["approvers"] if p.pk != revision.author_id],
        )
    if in_review and any(a.person_id == user.pk for a in named):
        context["comment_form"] = CommentForm(auto_id="comment-%s")
    if in_review and has_permission(user, REASSIGN_SIGNERS):
        people = _people()
        context["reassign_forms"] = [
            (
                a,
                ReassignForm(
                    auto_id=f"reassign-{a.pk}-%s",
                    people=[
                        p
                        for p in people[f"{a.role}s"]
                        if p.pk not in (revision.author_id, a.person_id)
                    ],
                ),
            )
            for a in named
            if a.signed_at is None
        ]
    return context


def _back(revision: Revision) -> HttpResponse:
    return redirect("documents:revision", number=revision.document.number, label=revision.label)


@require_POST
def revision_submit(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = access.get_revision_for_user(request.user, number, label)
    people = _people()
    form = SubmitForm(request.POST, reviewers=people["reviewers"], approvers=people["approvers"])
    if not form.is_valid():
        messages.error(request, f"Nothing was submitted. {form_problems(form)}")
        return _back(revision)
    attempt(
        request,
        None,
        lambda: actions.submit_for_review(
            actor=request.user,
            revision=revision,
            reviewers=form.named(ReviewRole.REVIEWER),
            approvers=form.named(ReviewRole.APPROVER),
            due_date=form.cleaned_data["due_date"],
        ),
        "Submitted for review to the people you named.",
    )
    return _back(revision)


@require_POST
def comment_add(request: AuthenticatedHttpRequest, number: str, label: str) -> HttpResponse:
    revision = access.get_revision_for_user(request.user, number, label)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"No comment was saved. {form_problems(form)}")
        return _back(revision)
    attempt(
        request,
        None,
        lambda: actions.add_review_comment(
            actor=request.user, revision=revision, **form.cleaned_data
        ),
        "Comment saved. The author resolves it before the revision can be approved.",
    )
    return _back(revision)


@require_POST
def comment_resolve(
    request: AuthenticatedHttpRequest, number: str, label: str, pk: int
) -> HttpResponse:
    revision = access.get_revision_for_user(request.user, number, label)
    comment = access.get_comment(revision, pk)
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing was changed. {form_problems(form)}")
        return _back(revision)
    reply = form.cleaned_data["reply"]
    attempt(
        request,
        None,
        lambda: actions.resolve_review_comment(actor=request.user, comment=comment, reply=reply),
        "Comment resolved.",
    )
    return _back(revision)


@require_POST
def named_reassign(
    request: AuthenticatedHttpRequest, number: str, label: str, pk: int
) -> HttpResponse:
    revision = access.get_revision_for_user(request.user, number, label)
    assignment = access.get_assignment(revision, pk)
    form = ReassignForm(request.POST, people=_people()[f"{assignment.role}s"])
    if not form.is_valid():
        messages.error(request, f"Nobody was replaced. {form_problems(form)}")
        return _back(revision)
    attempt(
        request,
        None,
        lambda: actions.reassign_reviewer(
            actor=request.user,
            assignment=assignment,
            person=form.cleaned_data["person"],
            reason=form.cleaned_data["reason"],
        ),
        f"{form.cleaned_data['person'].full_name} is now named as {assignment.role}.",
    )
    return _back(revision)
