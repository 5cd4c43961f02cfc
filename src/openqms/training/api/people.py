"""Individual training records, competence records, job-role evaluations and the matrix."""

from __future__ import annotations

from typing import Any

from ninja import Query, Status

from openqms.core import access as core_access
from openqms.core.api import signatures_out
from openqms.core.errors import InvalidInput
from openqms.core.http import AuthenticatedHttpRequest
from openqms.core.models import User
from openqms.training import access, actions, matrix
from openqms.training.api.common import (
    assignment_out,
    competence_out,
    competency,
    document_named,
    employee,
    evaluations,
    holding_out,
    need,
    router,
)
from openqms.training.api.schemas import (
    CompetenceIn,
    CompetenceOut,
    DocumentCompletionOut,
    EvaluationOut,
    MatrixFilter,
    MatrixOut,
    MatrixQuery,
    PersonRecordOut,
    ReasonIn,
    RoleEvaluateIn,
)
from openqms.training.models import (
    Assignment,
    CompetenceRecord,
    JobRole,
)
from openqms.training.registry import EVALUATE, RECORDS

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
def person_record(request: AuthenticatedHttpRequest, username: str):
    """The individual training record: job roles, each requirement's status, every
    assignment with its signatures, competence records and evaluations."""
    person = access.get_person_for_user(request.user, username)
    percent, requirements = _requirements_of(person)
    department, manager = employee(person)
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
        "job_roles": [holding_out(h) for h in holdings],
        "requirements": requirements,
        "assignments": [
            {**assignment_out(a), "signatures": signatures_out(a)}
            for a in assignments.order_by("-assigned_at", "-pk")
        ],
        "competence": [competence_out(r) for r in records],
        "evaluations": evaluations(person=person),
    }


@router.post("/people/{username}/competence", response={201: CompetenceOut})
def competence_add(request: AuthenticatedHttpRequest, username: str, body: CompetenceIn):
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
        competency=competency(body.competency),
        notes=body.notes,
    )
    return Status(201, competence_out(record))


@router.post("/competence/{record_id}/withdraw", response=CompetenceOut)
def competence_withdraw(request: AuthenticatedHttpRequest, record_id: int, body: ReasonIn):
    need(request.user, RECORDS)
    record = access.get_record_for_user(request.user, record_id)
    record = actions.withdraw_competence_record(
        actor=request.user, record=record, reason=body.reason
    )
    return competence_out(
        CompetenceRecord.objects.select_related("person", "competency", "recorded_by").get(
            pk=record.pk
        )
    )


@router.post("/people/{username}/evaluate", response={201: EvaluationOut})
def role_evaluate(request: AuthenticatedHttpRequest, username: str, body: RoleEvaluateIn):
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
    return Status(201, evaluations(pk=evaluation.pk)[0])


# -- the matrix --------------------------------------------------------------------------


def _matrix(request: AuthenticatedHttpRequest, q: MatrixFilter) -> matrix.Matrix:
    """Everyone's for matrix readers; a manager's own people otherwise."""
    access.require_matrix_reader(request.user)
    people = None
    if not access.sees_everyone(request.user):
        people = list(access.visible_people(request.user).values_list("pk", flat=True))
    document = document_named(request.user, q.document).pk if q.document else None
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
def matrix_page(request: AuthenticatedHttpRequest, q: Query[MatrixQuery]):
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
def matrix_documents(request: AuthenticatedHttpRequest, q: Query[MatrixFilter]):
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
