"""A person's own training and completing it: read and understood (signed), the quiz,
and the evaluation of effectiveness (ISO 13485 6.2).

Assignments reach these views only through training.access (the same 404 for missing and
forbidden); every change goes through training.actions.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openqms.core.errors import DomainError
from openqms.core.forms import SignatureForm
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.signatures import content_hash, has_second_factor
from openqms.core.text import render_markdown
from openqms.core.views.common import attempt, attempt_signed, typed
from openqms.documents import access as documents_access
from openqms.documents.models import Revision, RevisionState
from openqms.training import access, actions
from openqms.training.forms.assignments import EvaluationForm, QuizForm
from openqms.training.lifecycle import allowed_steps, quiz_of
from openqms.training.models import (
    LIVE_STATES,
    Assignment,
    AssignmentState,
    EvaluationResult,
    Holding,
)


def _assignment(request: AuthenticatedHttpRequest, pk: int) -> Assignment:
    return access.get_assignment_for_user(request.user, pk)


def _own(request: AuthenticatedHttpRequest, pk: int) -> Assignment:
    """Only the trainee completes their own training; anyone else meets a 404."""
    assignment = _assignment(request, pk)
    if assignment.person_id != request.user.pk:
        raise Http404
    return assignment


def my_training(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    access.require_participant(user)
    mine = Assignment.objects.filter(person=user).select_related("revision__document")
    context = {
        "open": mine.filter(state=AssignmentState.OPEN).order_by("due_date", "pk"),
        "completed": mine.filter(state=AssignmentState.COMPLETED).order_by("-completed_at"),
        "holdings": Holding.objects.filter(person=user, ended_on__isnull=True)
        .select_related("job_role")
        .order_by("job_role__name"),
        "today": timezone.localdate(),
    }
    return render(request, "training/my.html", context)


def _superseded_context(assignment: Assignment) -> dict:
    """For a revision no longer in force: the current one, and the person's training on it."""
    current = Revision.objects.filter(
        document_id=assignment.document_id, state=RevisionState.EFFECTIVE
    ).first()
    current_assignment = None
    if current is not None:
        current_assignment = Assignment.objects.filter(
            person_id=assignment.person_id, revision=current, state__in=LIVE_STATES
        ).first()
    return {"current": current, "current_assignment": current_assignment}


def _step_context(request: AuthenticatedHttpRequest, assignment: Assignment, user) -> dict:
    """The forms of the steps the lifecycle table lets `user` take now, and no others."""
    steps = allowed_steps(assignment, user)
    quiz = quiz_of(assignment)
    context: dict[str, Any] = {
        "steps": steps,
        "quiz": quiz,
        "attempts": list(assignment.attempts.all()),
        "quiz_form": QuizForm(quiz=quiz) if "quiz" in steps else None,
        "can_sign": "sign" in steps,
    }
    if {"evaluate", "evaluate_not_effective"} & set(steps):
        kept = typed(request, reverse("training:assignment-evaluate", args=[assignment.pk]))
        shown = content_hash(assignment.signature_content())
        context["evaluation_form"] = EvaluationForm(
            needs_code=has_second_factor(user), initial={**kept, "content_hash": shown}
        )
    return context


def assignment_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment, user = _assignment(request, pk), request.user
    revision = assignment.revision
    in_force = revision.state == RevisionState.EFFECTIVE
    can_open = documents_access.visible_revisions(user).filter(pk=revision.pk).exists()
    # The content is shown to the trainee, and to others only as document control allows.
    readable = can_open or assignment.person_id == user.pk
    context = {
        "assignment": assignment,
        "revision": revision,
        "document": revision.document,
        "in_force": in_force,
        "body": render_markdown(revision.body) if readable else "",
        "files": revision.attachments.select_related("stored_file"),
        "can_open_revision": can_open,
        "overdue": assignment.state == AssignmentState.OPEN
        and assignment.due_date < timezone.localdate(),
        "evaluations": assignment.evaluations.select_related("evaluator"),
    }
    context |= _step_context(request, assignment, user)
    if not in_force:
        context |= _superseded_context(assignment)
    return render(request, "training/assignment.html", context)


@require_POST
def assignment_sign(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = _own(request, pk)
    form = SignatureForm(request.POST)
    attempt(
        request,
        None,
        lambda: actions.sign_trained(
            actor=request.user, assignment=assignment, credentials=form.credentials()
        ),
        f"Signed: read and understood. Your training on {assignment.revision} is complete.",
    )
    return redirect("training:assignment", pk=pk)


@require_POST
def assignment_quiz(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = _own(request, pk)
    form = QuizForm(request.POST, quiz=quiz_of(assignment))
    if not form.is_valid():
        messages.error(request, f"Nothing was recorded. Answer all {len(form.fields)} questions.")
        return redirect("training:assignment", pk=pk)
    try:
        done = actions.submit_quiz(
            actor=request.user, assignment=assignment, answers=form.answers()
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("training:assignment", pk=pk)
    score = f"{done.score} of {len(done.questions)} correct; the pass mark is {done.pass_mark}."
    if done.passed:
        messages.success(request, f"Quiz passed: {score} Now sign it read and understood.")
    else:
        messages.error(
            request,
            f"Quiz not passed: {score} The attempt is recorded and your training stays open. "
            "Read the document again, then retry.",
        )
    return redirect("training:assignment", pk=pk)


@require_POST
def assignment_evaluate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    assignment = _assignment(request, pk)
    form = EvaluationForm(request.POST, needs_code=has_second_factor(request.user))
    done = attempt_signed(
        request,
        form,
        lambda data, credentials: actions.evaluate_training(
            actor=request.user,
            assignment=assignment,
            method=data["method"],
            result=data["result"],
            comment=data["comment"],
            credentials=credentials,
        ),
        "Signed: effectiveness of training evaluated.",
    )
    if done and form.cleaned_data["result"] == EvaluationResult.NOT_EFFECTIVE:
        messages.info(request, f"{assignment.person.full_name} is assigned the training again.")
    return redirect("training:assignment", pk=pk)
