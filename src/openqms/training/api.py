"""Training endpoints (ISO 13485 6.2): job roles and what they require, assignments and
their completion (signed with the password in the body), quizzes, classroom sessions,
competence records, evaluations of effectiveness, individual records and the matrix.

Objects come only through the access helpers (404 for missing and forbidden alike) and
every change goes through `training.actions`, so the pages and the API audit the same.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from openqms.core import access as core_access
from openqms.core import api as core_api
from openqms.core.api import SignatureIn
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.models import User
from openqms.core.signatures import content_hash, manifestations
from openqms.documents import access as documents_access
from openqms.documents.models import Document, DocumentType
from openqms.training import access, actions, matrix
from openqms.training.actions.common import rule_for
from openqms.training.models import (
    Assignment,
    AssignmentState,
    CompetenceRecord,
    Competency,
    CompetencyKind,
    Evaluation,
    EvaluationResult,
    Holding,
    JobRole,
    Quiz,
    RecordKind,
    Requirement,
    RequirementKind,
    TrainingSession,
)
from openqms.training.registry import EVALUATE, MANAGE, READ, RECORDS

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it alike on every engine
Name = Annotated[str, Field(min_length=1, max_length=150, pattern=NO_NUL)]


# -- schemas: job roles, competencies, rules, employees ----------------------------------


class RequirementOut(Schema):
    id: int
    kind: RequirementKind
    label: str
    document: str | None = Field(description="Document number (kind document)")
    doc_type: str | None = Field(description="Document type code (kind doc_type)")
    clause: str
    competency: int | None = Field(description="Competency id (kind competency)")
    added_at: dt.datetime
    added_by: str
    removed_at: dt.datetime | None


class JobRoleOut(Schema):
    id: int
    name: str
    description: str
    created_at: dt.datetime
    retired_at: dt.datetime | None
    requirements: list[RequirementOut] = Field(description="Those in force")


class JobRoleIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=2000)


class RequirementIn(Schema):
    """Name the one target that `kind` asks for."""

    kind: RequirementKind
    document: str = Field("", max_length=50, pattern=NO_NUL, description="Document number")
    doc_type: str = Field("", max_length=50, pattern=NO_NUL, description="Document type code")
    clause: str = Field("", max_length=20, description="ISO 13485 clause, e.g. 7.3")
    competency: int | None = Field(None, ge=1, le=2**31 - 1, description="Competency id")


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class HolderIn(Schema):
    username: Name
    started_on: dt.date | None = Field(None, description="Today if not given")


class HoldingEndIn(ReasonIn):
    ended_on: dt.date | None = Field(None, description="Today if not given")


class HoldingOut(Schema):
    id: int
    username: str
    full_name: str
    job_role: str
    job_role_id: int
    started_on: dt.date
    ended_on: dt.date | None
    end_reason: str


class CompetencyOut(Schema):
    id: int
    name: str
    kind: CompetencyKind
    description: str
    validity_months: int | None = Field(description="Empty: does not expire")


class CompetencyIn(Schema):
    name: Name
    kind: CompetencyKind
    description: str = Field("", max_length=2000)
    validity_months: int | None = Field(None, ge=1, le=240)


class RuleOut(Schema):
    doc_type: str
    doc_type_name: str
    due_days: int
    gate: bool
    effectiveness_check: bool


class RuleIn(Schema):
    due_days: int = Field(ge=1, le=365, description="Days to train after a revision is in force")
    gate: bool = Field(description="The untrained cannot sign as performer or approver")
    effectiveness_check: bool


class EmployeeIn(Schema):
    department: str = Field("", max_length=100)
    manager: str = Field("", max_length=150, pattern=NO_NUL, description="Username; empty: none")


class EmployeeOut(Schema):
    username: str
    department: str
    manager: str | None


# -- schemas: assignments, quizzes, evaluations ------------------------------------------


class SignatureOut(Schema):
    printed_name: str
    signed_at: dt.datetime
    meaning: str
    meaning_label: str
    valid: bool
    problem: str = Field(description="Why the signature no longer stands; empty if valid")


class AssignmentOut(Schema):
    id: int
    username: str
    full_name: str
    document: str
    title: str
    revision: str
    state: AssignmentState
    reason: str
    by_hand: bool
    assigned_at: dt.datetime
    due_date: dt.date
    overdue: bool
    completed_at: dt.datetime | None
    method: str
    needs_evaluation: bool
    closed_at: dt.datetime | None
    closed_reason: str


class AttemptOut(Schema):
    id: int
    answers: list[int]
    score: int
    out_of: int
    pass_mark: int
    passed: bool
    attempted_at: dt.datetime


class EvaluationOut(Schema):
    id: int
    username: str
    subject: str = Field(description="The revision trained on, or the job role")
    assignment: int | None
    job_role: int | None
    method: str
    result: EvaluationResult
    comment: str
    evaluator: str
    evaluated_at: dt.datetime
    signatures: list[SignatureOut]


class AssignmentDetailOut(AssignmentOut):
    content_hash: str = Field(description="SHA-256 of what “trained” signs; send it back")
    has_quiz: bool = Field(description="A passed attempt must come before the signature")
    signatures: list[SignatureOut]
    attempts: list[AttemptOut]
    evaluations: list[EvaluationOut]


class AssignmentPage(Schema):
    items: list[AssignmentOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class AssignmentQuery(Schema):
    person: str = Field("", max_length=150, pattern=NO_NUL, description="Username")
    document: str = Field("", max_length=50, pattern=NO_NUL, description="Document number")
    state: AssignmentState | None = None
    mine: bool = Field(False, description="Only your own training")
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class AssignIn(Schema):
    username: Name
    document: str = Field(min_length=1, max_length=50, pattern=NO_NUL)
    due_date: dt.date
    reason: str = Field(min_length=1, max_length=300)


class AnswersIn(Schema):
    answers: list[Annotated[int, Field(strict=True, ge=0, le=100)]] = Field(max_length=20)


class EvaluateIn(SignatureIn):
    method: str = Field(min_length=1, max_length=200, description="e.g. observed at work")
    result: EvaluationResult
    comment: str = Field(min_length=1, max_length=4000)


class RoleEvaluateIn(EvaluateIn):
    job_role: int = Field(ge=1, le=2**31 - 1, description="Job role id")


class QuestionOut(Schema):
    text: str
    choices: list[str]
    answer: int | None = Field(description="Index of the right choice; only for record keepers")


class QuizOut(Schema):
    document: str
    pass_mark: int
    questions: list[QuestionOut]
    updated_at: dt.datetime


class QuestionIn(Schema):
    text: str = Field(min_length=1, max_length=500)
    choices: list[Annotated[str, Field(max_length=500)]] = Field(min_length=2, max_length=6)
    answer: int = Field(strict=True, ge=0, le=5)


class QuizIn(Schema):
    pass_mark: int = Field(ge=1, le=20)
    questions: list[QuestionIn] = Field(min_length=1, max_length=20)


# -- schemas: sessions, competence, records, matrix --------------------------------------


class SessionOut(Schema):
    id: int
    document: str
    revision: str
    trainer: str
    held_on: dt.date
    material: str
    material_name: str
    attendees: list[str]
    recorded_by: str
    recorded_at: dt.datetime
    signed_at: dt.datetime | None


class SessionDetailOut(SessionOut):
    content_hash: str = Field(description="SHA-256 of what the trainer signs")
    signatures: list[SignatureOut]


class SessionIn(Schema):
    document: str = Field(min_length=1, max_length=50, pattern=NO_NUL)
    revision: str = Field(min_length=1, max_length=10, pattern=NO_NUL, description="Label")
    trainer: Name = Field(description="Username")
    held_on: dt.date
    attendees: list[Name] = Field(min_length=1, max_length=500, description="Usernames")
    material: str = Field(min_length=1, max_length=4000)


class SessionPage(Schema):
    items: list[SessionOut]
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class PageQuery(Schema):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(50, ge=1, le=200)


class CompetenceIn(Schema):
    kind: RecordKind
    title: str = Field(min_length=1, max_length=200)
    issuer: str = Field("", max_length=200)
    obtained_on: dt.date | None = None
    expires_on: dt.date | None = Field(None, description="From the competency if not given")
    competency: int | None = Field(None, ge=1, le=2**31 - 1, description="Competency id")
    notes: str = Field("", max_length=4000)


class CompetenceOut(Schema):
    id: int
    username: str
    kind: RecordKind
    competency: str | None
    title: str
    issuer: str
    obtained_on: dt.date | None
    expires_on: dt.date | None
    file_name: str
    notes: str
    recorded_by: str
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None
    withdraw_reason: str


class RequirementStatusOut(Schema):
    key: str
    label: str
    title: str
    revision: str = Field(description="The current revision (documents)")
    status: str = Field(description="current, due, overdue or expired")
    status_label: str
    due: dt.date | None = Field(description="Due date of open training, or expiry")


class RecordAssignmentOut(AssignmentOut):
    signatures: list[SignatureOut]


class PersonRecordOut(Schema):
    username: str
    full_name: str
    department: str
    manager: str | None
    percent: float = Field(description="Share of requirements current")
    job_roles: list[HoldingOut] = Field(description="Every holding, ended ones included")
    requirements: list[RequirementStatusOut]
    assignments: list[RecordAssignmentOut]
    competence: list[CompetenceOut]
    evaluations: list[EvaluationOut]


class MatrixFilter(Schema):
    job_role: int | None = Field(None, ge=1, le=2**31 - 1, description="Job role id")
    department: str = Field("", max_length=100, pattern=NO_NUL)
    document: str = Field("", max_length=50, pattern=NO_NUL, description="Document number")


class MatrixQuery(MatrixFilter):
    offset: int = Field(0, ge=0, le=10**9)
    limit: int = Field(100, ge=1, le=500)


class ColumnOut(Schema):
    key: str
    label: str
    title: str
    revision: str


class CellOut(Schema):
    status: str = Field(description="current, due, overdue or expired")
    due: dt.date | None


class RowOut(Schema):
    username: str
    full_name: str
    department: str
    required: int
    current: int
    percent: float
    cells: dict[str, CellOut] = Field(description="By column key; absent: not required")


class MatrixOut(Schema):
    day: dt.date
    columns: list[ColumnOut] = Field(description="Those this page's people need")
    rows: list[RowOut]
    totals: dict[str, int] = Field(description="Over every person matching the filters")
    next_offset: int | None = Field(None, description="Pass as `offset` for the next page")


class DocumentCompletionOut(Schema):
    document: str
    title: str
    revision: str
    required: int
    current: int
    percent: float


# -- who may do what ---------------------------------------------------------------------


def _need(user: User, *needs: str) -> None:
    """Without one of these permissions the endpoint does not exist for you (404)."""
    if not any(core_access.has_permission(user, need) for need in needs):
        raise NotFound()


def _require_participant(user: User) -> None:
    """Whoever reads procedures trains on them; someone with no rights meets a 404."""
    if not any(core_access.has_permission(user, n) for n in (READ, MANAGE, RECORDS, EVALUATE)):
        documents_access.require_reader(user)


class _Participants:
    """Someone with no rights at all meets the same 404 on every training endpoint, before
    their input is even read (ninja answers errors raised while authenticating)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = super().authenticate(request, key)
        if user is not None:
            _require_participant(user)
        return user


# Named as the core's classes, so the OpenAPI document shows the same two schemes.
class BearerToken(_Participants, core_api.BearerToken):
    pass


class SessionAuth(_Participants, core_api.SessionAuth):
    pass


router = Router(tags=["training"], auth=[BearerToken(), SessionAuth()])


def _visible_assignments(user: User) -> QuerySet[Assignment]:
    assignments = Assignment.objects.select_related("person", "revision__document")
    if access.sees_everyone(user) or core_access.has_permission(user, EVALUATE):
        return assignments
    return assignments.filter(person__in=access.visible_people(user))


def _by_pk(queryset: QuerySet, pk: int):
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _job_role(user: User, pk: int) -> JobRole:
    _need(user, MANAGE)
    return _by_pk(JobRole.objects.all(), pk)


def _user_named(username: str, field: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise InvalidInput(f"There is nobody “{username}”.", fields={field: "Unknown person."})
    return user


def _document_named(user: User, number: str, field: str = "document") -> Document:
    document = documents_access.visible_documents(user).filter(number=number).first()
    if document is None:
        raise InvalidInput(f"There is no document {number}.", fields={field: "Unknown document."})
    return document


def _competency(pk: int | None) -> Competency | None:
    if pk is None:
        return None
    competency = Competency.objects.filter(pk=pk).first()
    if competency is None:
        raise InvalidInput("There is no such competency.", fields={"competency": "Unknown."})
    return competency


# -- output helpers ----------------------------------------------------------------------


def _requirement_out(r: Requirement) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "label": r.target_label(),
        "document": r.document.number if r.document else None,
        "doc_type": r.doc_type.code if r.doc_type else None,
        "clause": r.clause,
        "competency": r.competency_id,
        "added_at": r.added_at,
        "added_by": r.added_by.username,
        "removed_at": r.removed_at,
    }


_LIVE_REQUIREMENTS = Prefetch(
    "requirements",
    queryset=Requirement.objects.filter(removed_at__isnull=True).select_related(
        "document", "doc_type", "competency", "added_by"
    ),
    to_attr="live_requirements",
)


def _job_role_out(role: JobRole) -> dict[str, Any]:
    if not hasattr(role, "live_requirements"):
        role = JobRole.objects.prefetch_related(_LIVE_REQUIREMENTS).get(pk=role.pk)
    return {
        "id": role.pk,
        "name": role.name,
        "description": role.description,
        "created_at": role.created_at,
        "retired_at": role.retired_at,
        "requirements": [_requirement_out(r) for r in role.live_requirements],
    }


def _holding_out(h: Holding) -> dict[str, Any]:
    return {
        "id": h.pk,
        "username": h.person.username,
        "full_name": h.person.full_name,
        "job_role": h.job_role.name,
        "job_role_id": h.job_role_id,
        "started_on": h.started_on,
        "ended_on": h.ended_on,
        "end_reason": h.end_reason,
    }


def _rule_out(doc_type: DocumentType) -> dict[str, Any]:
    rule = rule_for(doc_type)
    return {
        "doc_type": doc_type.code,
        "doc_type_name": doc_type.name,
        "due_days": rule.due_days,
        "gate": rule.gate,
        "effectiveness_check": rule.effectiveness_check,
    }


def _signatures(obj) -> list[dict[str, Any]]:
    return [vars(m) for m in manifestations(obj)]


def _assignment_out(a: Assignment) -> dict[str, Any]:
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


def _attempt_out(attempt) -> dict[str, Any]:
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
        "signatures": _signatures(e),
    }


def _evaluations(**filters) -> list[dict[str, Any]]:
    evaluations = Evaluation.objects.filter(**filters).select_related(
        "person", "evaluator", "job_role", "assignment__revision__document"
    )
    return [_evaluation_out(e) for e in evaluations]


def _assignment_detail(a: Assignment) -> dict[str, Any]:
    return {
        **_assignment_out(a),
        "content_hash": content_hash(a.signature_content()),
        "has_quiz": Quiz.objects.filter(document_id=a.document_id).exclude(questions=[]).exists(),
        "signatures": _signatures(a),
        "attempts": [_attempt_out(t) for t in a.attempts.all()],
        "evaluations": _evaluations(assignment=a),
    }


def _quiz_out(quiz: Quiz, *, with_answers: bool) -> dict[str, Any]:
    return {
        "document": quiz.document.number,
        "pass_mark": quiz.pass_mark,
        "questions": [
            {**q, "answer": q["answer"] if with_answers else None} for q in quiz.questions
        ],
        "updated_at": quiz.updated_at,
    }


def _session_out(s: TrainingSession) -> dict[str, Any]:
    return {
        "id": s.pk,
        "document": s.revision.document.number,
        "revision": s.revision.label,
        "trainer": s.trainer.username,
        "held_on": s.held_on,
        "material": s.material,
        "material_name": s.material_name,
        "attendees": sorted(a.username for a in s.attendees.all()),
        "recorded_by": s.recorded_by.username,
        "recorded_at": s.recorded_at,
        "signed_at": s.signed_at,
    }


def _session_detail(s: TrainingSession) -> dict[str, Any]:
    s = _sessions().get(pk=s.pk)
    return {
        **_session_out(s),
        "content_hash": content_hash(s.signature_content()),
        "signatures": _signatures(s),
    }


def _sessions() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.select_related(
        "revision__document", "trainer", "recorded_by"
    ).prefetch_related("attendees")


def _competence_out(r: CompetenceRecord) -> dict[str, Any]:
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


def _employee(person: User) -> tuple[str, str | None]:
    employee = getattr(person, "employee", None)
    if employee is None:
        return "", None
    return employee.department, employee.manager.username if employee.manager else None


# -- job roles ---------------------------------------------------------------------------


@router.get("/job-roles", response=list[JobRoleOut])
def job_role_list(request: HttpRequest):
    """Every job role, retired ones included, with the requirements in force."""
    _need(request.user, MANAGE, READ)
    return [_job_role_out(r) for r in JobRole.objects.prefetch_related(_LIVE_REQUIREMENTS)]


@router.post("/job-roles", response={201: JobRoleOut})
def job_role_create(request: HttpRequest, body: JobRoleIn):
    _need(request.user, MANAGE)
    role = actions.create_job_role(actor=request.user, name=body.name, description=body.description)
    return Status(201, _job_role_out(role))


@router.post("/job-roles/{job_role_id}/requirements", response={201: RequirementOut})
def requirement_add(request: HttpRequest, job_role_id: int, body: RequirementIn):
    """The job role now requires this; its holders are assigned what they lack."""
    role = _job_role(request.user, job_role_id)
    document = _document_named(request.user, body.document) if body.document else None
    doc_type = None
    if body.doc_type:
        doc_type = DocumentType.objects.filter(code=body.doc_type).first()
        if doc_type is None:
            raise InvalidInput("There is no such document type.", fields={"doc_type": "Unknown."})
    requirement = actions.add_requirement(
        actor=request.user,
        job_role=role,
        kind=body.kind,
        document=document,
        doc_type=doc_type,
        clause=body.clause,
        competency=_competency(body.competency),
    )
    return Status(201, _requirement_out(requirement))


@router.post("/requirements/{requirement_id}/remove", response=RequirementOut)
def requirement_remove(request: HttpRequest, requirement_id: int, body: ReasonIn):
    """The requirement ends (kept, dated); open training nothing else requires closes."""
    _need(request.user, MANAGE)
    requirement = _by_pk(Requirement.objects.all(), requirement_id)
    requirement = actions.remove_requirement(
        actor=request.user, requirement=requirement, reason=body.reason
    )
    return _requirement_out(requirement)


@router.post("/job-roles/{job_role_id}/holders", response={201: HoldingOut})
def holding_add(request: HttpRequest, job_role_id: int, body: HolderIn):
    """The person holds the job role and is assigned all it requires."""
    role = _job_role(request.user, job_role_id)
    holding = actions.take_job_role(
        actor=request.user,
        person=_user_named(body.username, "username"),
        job_role=role,
        started_on=body.started_on,
    )
    return Status(201, _holding_out(holding))


@router.post("/holdings/{holding_id}/end", response=HoldingOut)
def holding_end(request: HttpRequest, holding_id: int, body: HoldingEndIn):
    _need(request.user, MANAGE)
    holding = _by_pk(Holding.objects.all(), holding_id)
    holding = actions.leave_job_role(
        actor=request.user, holding=holding, reason=body.reason, ended_on=body.ended_on
    )
    return _holding_out(holding)


@router.post("/job-roles/{job_role_id}/retire", response=JobRoleOut)
def job_role_retire(request: HttpRequest, job_role_id: int, body: ReasonIn):
    role = _job_role(request.user, job_role_id)
    return _job_role_out(
        actions.retire_job_role(actor=request.user, job_role=role, reason=body.reason)
    )


# -- competencies, rules, employees ------------------------------------------------------


@router.get("/competencies", response=list[CompetencyOut])
def competency_list(request: HttpRequest):
    _need(request.user, MANAGE, READ, RECORDS)
    return list(Competency.objects.all())


@router.post("/competencies", response={201: CompetencyOut})
def competency_create(request: HttpRequest, body: CompetencyIn):
    _need(request.user, MANAGE)
    competency = actions.create_competency(
        actor=request.user,
        name=body.name,
        kind=body.kind,
        description=body.description,
        validity_months=body.validity_months,
    )
    return Status(201, competency)


@router.get("/rules", response=list[RuleOut])
def rule_list(request: HttpRequest):
    """How each document type is trained on."""
    _need(request.user, MANAGE, READ)
    return [_rule_out(t) for t in DocumentType.objects.select_related("training_rule")]


@router.put("/rules/{doc_type_code}", response=RuleOut)
def rule_edit(request: HttpRequest, doc_type_code: str, body: RuleIn):
    _need(request.user, MANAGE)
    doc_type = DocumentType.objects.filter(code=doc_type_code).first()
    if doc_type is None:
        raise NotFound()
    actions.update_training_rule(
        actor=request.user,
        doc_type=doc_type,
        due_days=body.due_days,
        gate=body.gate,
        effectiveness_check=body.effectiveness_check,
    )
    return _rule_out(DocumentType.objects.select_related("training_rule").get(pk=doc_type.pk))


@router.put("/people/{username}/employee", response=EmployeeOut)
def employee_edit(request: HttpRequest, username: str, body: EmployeeIn):
    """A person's department and manager (managers see their people's training)."""
    person = core_access.get_user_for_user(request.user, username, need=MANAGE)
    manager = _user_named(body.manager, "manager") if body.manager else None
    employee = actions.update_employee(
        actor=request.user, person=person, department=body.department, manager=manager
    )
    return {
        "username": person.username,
        "department": employee.department,
        "manager": manager.username if manager else None,
    }


# -- assignments -------------------------------------------------------------------------


def _page(rows: QuerySet, offset: int, limit: int) -> tuple[list, int | None]:
    found = list(rows[offset : offset + limit + 1])
    return found[:limit], offset + limit if len(found) > limit else None


@router.get("/assignments", response=AssignmentPage)
def assignment_list(request: HttpRequest, q: Query[AssignmentQuery]):
    """The training you may see (yours, your people's, or everyone's), by due date."""
    assignments = _visible_assignments(request.user)
    if q.mine:
        assignments = assignments.filter(person=request.user)
    if q.person:
        assignments = assignments.filter(person__username=q.person)
    if q.document:
        assignments = assignments.filter(document__number=q.document)
    if q.state:
        assignments = assignments.filter(state=q.state)
    rows, more = _page(assignments.order_by("due_date", "pk"), q.offset, q.limit)
    return {"items": [_assignment_out(a) for a in rows], "next_offset": more}


@router.get("/assignments/{assignment_id}", response=AssignmentDetailOut)
def assignment_detail(request: HttpRequest, assignment_id: int):
    return _assignment_detail(access.get_assignment_for_user(request.user, assignment_id))


@router.post("/assignments", response={201: AssignmentDetailOut})
def assignment_create(request: HttpRequest, body: AssignIn):
    """Assign one person the revision in force of a document, outside their job roles."""
    _need(request.user, MANAGE)
    assignment = actions.assign_training(
        actor=request.user,
        person=_user_named(body.username, "username"),
        document=_document_named(request.user, body.document),
        due_date=body.due_date,
        reason=body.reason,
    )
    return Status(
        201, _assignment_detail(access.get_assignment_for_user(request.user, assignment.pk))
    )


@router.post("/assignments/{assignment_id}/sign", response=AssignmentDetailOut)
def assignment_sign(request: HttpRequest, assignment_id: int, body: SignatureIn):
    """“Read and understood”, signed (meaning: trained) on this exact revision: send the
    password (and `otp_code` if enrolled) and the `content_hash` you were shown."""
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    assignment = actions.sign_trained(
        actor=request.user, assignment=assignment, credentials=body.credentials()
    )
    return _assignment_detail(assignment)


@router.post("/assignments/{assignment_id}/quiz", response={201: AttemptOut})
def assignment_quiz(request: HttpRequest, assignment_id: int, body: AnswersIn):
    """An attempt at the document's quiz: one answer (choice index) per question. A failed
    attempt is kept and completes nothing."""
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    attempt = actions.submit_quiz(actor=request.user, assignment=assignment, answers=body.answers)
    return Status(201, _attempt_out(attempt))


@router.post("/assignments/{assignment_id}/evaluate", response={201: EvaluationOut})
def assignment_evaluate(request: HttpRequest, assignment_id: int, body: EvaluateIn):
    """ISO 13485 6.2 d): the effectiveness of a completed training, signed. Not effective:
    the person is assigned the training again."""
    _need(request.user, EVALUATE)
    assignment = access.get_assignment_for_user(request.user, assignment_id)
    evaluation = actions.evaluate_training(
        actor=request.user,
        method=body.method,
        result=body.result,
        comment=body.comment,
        credentials=body.credentials(),
        assignment=assignment,
    )
    return Status(201, _evaluations(pk=evaluation.pk)[0])


# -- quizzes -----------------------------------------------------------------------------


@router.get("/quizzes/{number}", response=QuizOut)
def quiz_detail(request: HttpRequest, number: str):
    """The quiz on a document; the right answers only for those who keep records."""
    document = documents_access.get_document_for_user(request.user, number)
    quiz = Quiz.objects.select_related("document").filter(document=document).first()
    if quiz is None:
        raise NotFound()
    return _quiz_out(quiz, with_answers=core_access.has_permission(request.user, RECORDS))


@router.put("/quizzes/{number}", response=QuizOut)
def quiz_edit(request: HttpRequest, number: str, body: QuizIn):
    """Replace the quiz on a document (questions, choices, right answers, pass mark)."""
    _need(request.user, RECORDS)
    document = documents_access.get_document_for_user(request.user, number)
    quiz = actions.save_quiz(
        actor=request.user,
        document=document,
        pass_mark=body.pass_mark,
        questions=[q.model_dump() for q in body.questions],
    )
    return _quiz_out(quiz, with_answers=True)


# -- classroom sessions ------------------------------------------------------------------


def _attendees(usernames: list[str]) -> list[User]:
    people = list(User.objects.filter(username__in=usernames))
    missing = sorted(set(usernames) - {p.username for p in people})
    if missing:
        raise InvalidInput(
            f"There is nobody “{missing[0]}”.", fields={"attendees": "Unknown person."}
        )
    return people


@router.get("/sessions", response=SessionPage)
def session_list(request: HttpRequest, q: Query[PageQuery]):
    """Classroom sessions you gave or attended (all of them for record keepers), newest first."""
    sessions = _sessions()
    if not (
        access.sees_everyone(request.user) or core_access.has_permission(request.user, RECORDS)
    ):
        mine = TrainingSession.objects.filter(
            trainer=request.user
        ) | TrainingSession.objects.filter(attendees=request.user)
        sessions = sessions.filter(pk__in=mine.values("pk"))
    rows, more = _page(sessions.order_by("-held_on", "-pk"), q.offset, q.limit)
    return {"items": [_session_out(s) for s in rows], "next_offset": more}


@router.post("/sessions", response={201: SessionDetailOut})
def session_create(request: HttpRequest, body: SessionIn):
    """Record a classroom session held on a revision in force; its trainer signs it next."""
    revision = (
        documents_access.visible_revisions(request.user)
        .filter(document__number=body.document, label=body.revision)
        .first()
    )
    if revision is None:
        raise InvalidInput(
            f"There is no revision {body.revision} of {body.document}.",
            fields={"revision": "Unknown revision."},
        )
    session = actions.record_session(
        actor=request.user,
        revision=revision,
        trainer=_user_named(body.trainer, "trainer"),
        held_on=body.held_on,
        attendees=_attendees(body.attendees),
        material=body.material,
    )
    return Status(201, _session_detail(session))


@router.post("/sessions/{session_id}/sign", response=SessionDetailOut)
def session_sign(request: HttpRequest, session_id: int, body: SignatureIn):
    """The trainer signs (meaning: delivered); each attendee's training is completed."""
    session = access.get_session_for_user(request.user, session_id)
    session = actions.sign_session(
        actor=request.user, session=session, credentials=body.credentials()
    )
    return _session_detail(session)


# -- people: records, competence, evaluations --------------------------------------------


def _requirements_of(person: User) -> tuple[float, list[dict[str, Any]]]:
    built = matrix.build(people=[person.pk])
    if not built.rows:
        return 100.0, []
    row = built.rows[0]
    statuses = [
        {
            "key": c.key,
            "label": c.label,
            "title": c.title,
            "revision": c.revision,
            "status": row.cells[c.key].status,
            "status_label": row.cells[c.key].label,
            "due": row.cells[c.key].due,
        }
        for c in built.columns
        if c.key in row.cells
    ]
    return row.percent, statuses


@router.get("/people/{username}/record", response=PersonRecordOut)
def person_record(request: HttpRequest, username: str):
    """The individual training record: job roles, each requirement's status, every
    assignment with its signatures, competence records and evaluations."""
    person = access.get_person_for_user(request.user, username)
    percent, requirements = _requirements_of(person)
    department, manager = _employee(person)
    holdings = person.job_roles_held.select_related("person", "job_role").order_by("-started_on")
    assignments = Assignment.objects.filter(person=person).select_related(
        "person", "revision__document"
    )
    records = person.competence_records.select_related("person", "competency", "recorded_by")
    return {
        "username": person.username,
        "full_name": person.full_name,
        "department": department,
        "manager": manager,
        "percent": percent,
        "job_roles": [_holding_out(h) for h in holdings],
        "requirements": requirements,
        "assignments": [
            {**_assignment_out(a), "signatures": _signatures(a)}
            for a in assignments.order_by("-assigned_at", "-pk")
        ],
        "competence": [_competence_out(r) for r in records],
        "evaluations": _evaluations(person=person),
    }


@router.post("/people/{username}/competence", response={201: CompetenceOut})
def competence_add(request: HttpRequest, username: str, body: CompetenceIn):
    """Education, a qualification, experience or a certificate (the file: on the page)."""
    person = core_access.get_user_for_user(request.user, username, need=RECORDS)
    record = actions.add_competence_record(
        actor=request.user,
        person=person,
        kind=body.kind,
        title=body.title,
        issuer=body.issuer,
        obtained_on=body.obtained_on,
        expires_on=body.expires_on,
        competency=_competency(body.competency),
        notes=body.notes,
    )
    return Status(201, _competence_out(record))


@router.post("/competence/{record_id}/withdraw", response=CompetenceOut)
def competence_withdraw(request: HttpRequest, record_id: int, body: ReasonIn):
    _need(request.user, RECORDS)
    record = access.get_record_for_user(request.user, record_id)
    record = actions.withdraw_competence_record(
        actor=request.user, record=record, reason=body.reason
    )
    return _competence_out(
        CompetenceRecord.objects.select_related("person", "competency", "recorded_by").get(
            pk=record.pk
        )
    )


@router.post("/people/{username}/evaluate", response={201: EvaluationOut})
def role_evaluate(request: HttpRequest, username: str, body: RoleEvaluateIn):
    """ISO 13485 6.2 d): the effectiveness of a person's training for a job role, signed."""
    person = core_access.get_user_for_user(request.user, username, need=EVALUATE)
    job_role = JobRole.objects.filter(pk=body.job_role).first()
    if job_role is None:
        raise InvalidInput("There is no such job role.", fields={"job_role": "Unknown."})
    evaluation = actions.evaluate_training(
        actor=request.user,
        method=body.method,
        result=body.result,
        comment=body.comment,
        credentials=body.credentials(),
        person=person,
        job_role=job_role,
    )
    return Status(201, _evaluations(pk=evaluation.pk)[0])


# -- the matrix --------------------------------------------------------------------------


def _matrix(request: HttpRequest, q: MatrixFilter) -> matrix.Matrix:
    """Everyone's for matrix readers; a manager's own people otherwise."""
    access.require_matrix_reader(request.user)
    people = None
    if not access.sees_everyone(request.user):
        people = list(access.visible_people(request.user).values_list("pk", flat=True))
    document = _document_named(request.user, q.document).pk if q.document else None
    return matrix.build(
        people=people, job_role=q.job_role, department=q.department, document=document
    )


def _row_out(row: matrix.Row) -> dict[str, Any]:
    return {
        "username": row.username,
        "full_name": row.full_name,
        "department": row.department,
        "required": row.required,
        "current": row.current,
        "percent": row.percent,
        "cells": {k: {"status": c.status, "due": c.due} for k, c in row.cells.items()},
    }


@router.get("/matrix", response=MatrixOut)
def matrix_page(request: HttpRequest, q: Query[MatrixQuery]):
    """People × requirements with each cell's status, paged by people (by name)."""
    built = _matrix(request, q)
    rows = built.rows[q.offset : q.offset + q.limit]
    keys = {k for row in rows for k in row.cells}
    more = q.offset + q.limit < len(built.rows)
    return {
        "day": built.day,
        "columns": [vars(c) for c in built.columns if c.key in keys],
        "rows": [_row_out(r) for r in rows],
        "totals": built.totals(),
        "next_offset": q.offset + q.limit if more else None,
    }


@router.get("/matrix/documents", response=list[DocumentCompletionOut])
def matrix_documents(request: HttpRequest, q: Query[MatrixFilter]):
    """Per document: how many people need it and how many are current on its revision."""
    built = _matrix(request, q)
    stats = built.column_stats()
    return [
        {
            "document": c.label,
            "title": c.title,
            "revision": c.revision,
            "required": stats[c.key][0],
            "current": stats[c.key][1],
            "percent": stats[c.key][2],
        }
        for c in built.columns
        if c.document_id is not None
    ]
