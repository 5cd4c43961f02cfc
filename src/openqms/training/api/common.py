"""Who may use the training API, how objects are found (404 for missing and forbidden
alike), and how records are shown."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from openqms.core import access as core_access
from openqms.core import api as core_api
from openqms.core.api import signatures_out
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.models import User
from openqms.core.signatures import content_hash
from openqms.documents import access as documents_access
from openqms.documents.models import Document, DocumentType
from openqms.qms.models import Process
from openqms.training import access
from openqms.training.actions.common import rule_for
from openqms.training.lifecycle import allowed_steps
from openqms.training.models import (
    Assignment,
    AssignmentState,
    CompetenceRecord,
    Competency,
    Evaluation,
    Holding,
    JobRole,
    Quiz,
    Requirement,
    TrainingSession,
)
from openqms.training.registry import MANAGE

# -- who may do what ---------------------------------------------------------------------


def need(user: User, *needs: str) -> None:
    """Without one of these permissions the endpoint does not exist for you (404)."""
    if not any(core_access.has_permission(user, need) for need in needs):
        raise NotFound()


class _Participants:
    """Someone with no rights at all meets the same 404 on every training endpoint, before
    their input is even read (ninja answers errors raised while authenticating)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)  # type: ignore[misc]
        if user is not None:
            access.require_participant(user)
        return user


# Named as the core's classes, so the OpenAPI document shows the same two schemes.
class BearerToken(_Participants, core_api.BearerToken):
    pass


class SessionAuth(_Participants, core_api.SessionAuth):
    pass


router = Router(tags=["training"], auth=[BearerToken(), SessionAuth()])


def by_pk(queryset: QuerySet, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def job_role(user: User, pk: int) -> JobRole:
    need(user, MANAGE)
    return by_pk(JobRole.objects.all(), pk)


def user_named(username: str, field: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"There is nobody “{username}”.", fields={field: "Unknown person."})
    return user


def document_named(user: User, number: str, field: str = "document") -> Document:
    document = documents_access.visible_documents(user).filter(number=number).first()
    if document is None:
        raise InvalidInput(f"There is no document {number}.", fields={field: "Unknown document."})
    return document


def process_coded(code: str) -> Process | None:
    """The process a requirement names (retired ones too: the action refuses them)."""
    if not code:
        return None
    process = Process.objects.filter(code=code).first()
    if process is None:
        raise InvalidInput(f"There is no process {code}.", fields={"process": "Unknown process."})
    return process


def competency(pk: int | None) -> Competency | None:
    if pk is None:
        return None
    competency = Competency.objects.filter(pk=pk).first()
    if competency is None:
        raise InvalidInput("There is no such competency.", fields={"competency": "Unknown."})
    return competency


# -- output helpers ----------------------------------------------------------------------


def requirement_out(r: Requirement) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "label": r.target_label(),
        "document": r.document.number if r.document else None,
        "doc_type": r.doc_type.code if r.doc_type else None,
        "clause": r.clause,
        "process": r.process.code if r.process_id else "",  # type: ignore[union-attr]
        "competency": r.competency_id,
        "added_at": r.added_at,
        "added_by": r.added_by.username,
        "removed_at": r.removed_at,
    }


LIVE_REQUIREMENTS = Prefetch(
    "requirements",
    queryset=Requirement.objects.filter(removed_at__isnull=True).select_related(
        "document", "doc_type", "competency", "process", "added_by"
    ),
    to_attr="live_requirements",
)


def job_role_out(role: JobRole) -> dict[str, Any]:
    if not hasattr(role, "live_requirements"):
        role = JobRole.objects.prefetch_related(LIVE_REQUIREMENTS).get(pk=role.pk)
    return {
        "id": role.pk,
        "name": role.name,
        "description": role.description,
        "created_at": role.created_at,
        "retired_at": role.retired_at,
        "requirements": [requirement_out(r) for r in role.live_requirements],  # type: ignore[attr-defined]
    }


def holding_out(h: Holding) -> dict[str, Any]:
    return {
        "id": h.pk,
        "username": h.person.username,
        "full_name": h.person.full_name,
        "job_role": h.job_role.name,
        "job_role_id": h.job_role_id,
        "started_on": h.started_on,
        "ended_on": h.ended_on,
        "end_reason": h.end_reason,
        "content_hash": content_hash(h.evaluation_content()),
    }


def rule_out(doc_type: DocumentType) -> dict[str, Any]:
    rule = rule_for(doc_type)
    return {
        "doc_type": doc_type.code,
        "doc_type_name": doc_type.name,
        "due_days": rule.due_days,
        "gate": rule.gate,
        "effectiveness_check": rule.effectiveness_check,
    }


def assignment_out(a: Assignment) -> dict[str, Any]:
    open_ = a.state == AssignmentState.OPEN
    return {
        "id": a.pk,
        "username": a.person.username,
        "full_name": a.person.full_name,
        "document": a.revision.document.number,
        "title": a.revision.document.title,
        "revision": a.revision.label,
        "state": a.state,
        "reason": a.reason,
        "by_hand": a.by_hand,
        "assigned_at": a.assigned_at,
        "due_date": a.due_date,
        "overdue": open_ and a.due_date < timezone.localdate(),
        "completed_at": a.completed_at,
        "method": a.method,
        "needs_evaluation": a.needs_evaluation,
        "closed_at": a.closed_at,
        "closed_reason": a.closed_reason,
    }


def attempt_out(attempt) -> dict[str, Any]:
    return {
        "id": attempt.pk,
        "answers": attempt.answers,
        "score": attempt.score,
        "out_of": len(attempt.questions),
        "pass_mark": attempt.pass_mark,
        "passed": attempt.passed,
        "attempted_at": attempt.attempted_at,
    }


def _evaluation_out(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk,
        "username": e.person.username,
        "subject": e.signature_content()["subject"],
        "assignment": e.assignment_id,
        "job_role": e.job_role_id,
        "method": e.method,
        "result": e.result,
        "comment": e.comment,
        "evaluator": e.evaluator.username,
        "evaluated_at": e.evaluated_at,
        "signatures": signatures_out(e),
    }


def evaluations(**filters) -> list[dict[str, Any]]:
    evaluations = Evaluation.objects.filter(**filters).select_related(
        "person", "evaluator", "job_role", "assignment__revision__document"
    )
    return [_evaluation_out(e) for e in evaluations]


def assignment_detail_out(a: Assignment, user: User) -> dict[str, Any]:
    return {
        **assignment_out(a),
        "allowed_steps": allowed_steps(a, user),
        "content_hash": content_hash(a.signature_content()),
        "has_quiz": Quiz.objects.filter(document_id=a.document_id).exclude(questions=[]).exists(),
        "signatures": signatures_out(a),
        "attempts": [attempt_out(t) for t in a.attempts.all()],
        "evaluations": evaluations(assignment=a),
    }


def quiz_out(quiz: Quiz, *, with_answers: bool) -> dict[str, Any]:
    return {
        "document": quiz.document.number,
        "pass_mark": quiz.pass_mark,
        "questions": [
            {**q, "answer": q["answer"] if with_answers else None} for q in quiz.questions
        ],
        "updated_at": quiz.updated_at,
    }


def session_out(s: TrainingSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "document": s.revision.document.number,
        "revision": s.revision.label,
        "trainer": s.trainer.username,
        "trainer_reason": s.trainer_reason,
        "held_on": s.held_on,
        "material": s.material,
        "material_name": s.material_name,
        "attendees": sorted(a.username for a in s.attendees.all()),
        "recorded_by": s.recorded_by.username,
        "recorded_at": s.recorded_at,
        "signed_at": s.signed_at,
    }


def session_detail(s: TrainingSession) -> dict[str, Any]:
    s = all_sessions().get(pk=s.pk)
    return {
        **session_out(s),
        "content_hash": content_hash(s.signature_content()),
        "signatures": signatures_out(s),
    }


def all_sessions() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related(
        "revision__document", "trainer", "recorded_by"
    ).prefetch_related("attendees")


def competence_out(r: CompetenceRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "username": r.person.username,
        "kind": r.kind,
        "competency": r.competency.name if r.competency else None,
        "title": r.title,
        "issuer": r.issuer,
        "obtained_on": r.obtained_on,
        "expires_on": r.expires_on,
        "file_name": r.file_name,
        "notes": r.notes,
        "recorded_by": r.recorded_by.username,
        "recorded_at": r.recorded_at,
        "withdrawn_at": r.withdrawn_at,
        "withdraw_reason": r.withdraw_reason,
    }


def employee(person: User) -> tuple[str, str | None]:
    employee = getattr(person, "employee", None)
    if employee is None:
        return "", None
    return employee.department, employee.manager.username if employee.manager else None
