"""The training API's request and response schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from openqms.core.api import SignatureIn, SignatureOut
from openqms.training.models import (
    AssignmentState,
    CompetencyKind,
    EvaluationResult,
    RecordKind,
    RequirementKind,
)

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
    process: str = Field(description="Process code (kind process)")
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
    clause: str = Field("", max_length=20, description="ISO 13485 clause tag, e.g. 7.3")
    process: str = Field("", max_length=30, pattern=NO_NUL, description="Process code, e.g. PR-02")
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
    content_hash: str = Field(
        description="SHA-256 of what an evaluation of this person in this job role is "
        "signed against: send it back with the evaluation"
    )


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
    gate: bool = Field(description="The untrained cannot sign as reviewer, approver or performer")
    effectiveness_check: bool
    reason: str = Field(
        min_length=1, max_length=2000, pattern=NO_NUL, description="Why the rule changes (audited)"
    )


class EmployeeIn(Schema):
    department: str = Field("", max_length=100)
    manager: str = Field("", max_length=150, pattern=NO_NUL, description="Username; empty: none")


class EmployeeOut(Schema):
    username: str
    department: str
    manager: str | None


# -- schemas: assignments, quizzes, evaluations ------------------------------------------


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
    allowed_steps: list[str] = Field(
        description="The steps you may take on it now (quiz, sign, evaluate, "
        "evaluate_not_effective): the assignment's lifecycle table decides"
    )
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
    trainer_reason: str = Field(description="Why the trainer was named though not trained on it")
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
    trainer_reason: str = Field(
        "",
        max_length=2000,
        pattern=NO_NUL,
        description="Why a trainer not trained on the revision (and not its author) may give it",
    )


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
