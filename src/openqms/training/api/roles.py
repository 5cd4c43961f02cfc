"""Job roles, requirements, holders, competencies, training rules and employees."""

from __future__ import annotations

from ninja import Status

from openqms.core import access as core_access
from openqms.core.errors import InvalidInput, NotFound
from openqms.core.http import AuthenticatedHttpRequest
from openqms.documents.models import DocumentType
from openqms.training import actions
from openqms.training.api.common import (
    LIVE_REQUIREMENTS,
    by_pk,
    competency,
    document_named,
    holding_out,
    job_role,
    job_role_out,
    need,
    process_coded,
    requirement_out,
    router,
    rule_out,
    user_named,
)
from openqms.training.api.schemas import (
    CompetencyIn,
    CompetencyOut,
    EmployeeIn,
    EmployeeOut,
    HolderIn,
    HoldingEndIn,
    HoldingOut,
    JobRoleIn,
    JobRoleOut,
    ReasonIn,
    RequirementIn,
    RequirementOut,
    RuleIn,
    RuleOut,
)
from openqms.training.models import (
    Competency,
    Holding,
    JobRole,
    Requirement,
)
from openqms.training.registry import MANAGE, READ, RECORDS

# -- job roles ---------------------------------------------------------------------------


@router.get("/job-roles", response=list[JobRoleOut])
def job_role_list(request: AuthenticatedHttpRequest):
    """Every job role, retired ones included, with the requirements in force."""
    need(request.user, MANAGE, READ)
    return [job_role_out(r) for r in JobRole.objects.prefetch_related(LIVE_REQUIREMENTS)]


@router.post("/job-roles", response={201: JobRoleOut})
def job_role_create(request: AuthenticatedHttpRequest, body: JobRoleIn):
    need(request.user, MANAGE)
    role = actions.create_job_role(actor=request.user, name=body.name, description=body.description)
    return Status(201, job_role_out(role))


@router.post("/job-roles/{job_role_id}/requirements", response={201: RequirementOut})
def requirement_add(request: AuthenticatedHttpRequest, job_role_id: int, body: RequirementIn):
    """The job role now requires this; its holders are assigned what they lack."""
    role = job_role(request.user, job_role_id)
    document = document_named(request.user, body.document) if body.document else None
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
        process=process_coded(body.process),
        competency=competency(body.competency),
    )
    return Status(201, requirement_out(requirement))


@router.post("/requirements/{requirement_id}/remove", response=RequirementOut)
def requirement_remove(request: AuthenticatedHttpRequest, requirement_id: int, body: ReasonIn):
    """The requirement ends (kept, dated); open training nothing else requires closes."""
    need(request.user, MANAGE)
    requirement = by_pk(Requirement.objects.all(), requirement_id)
    requirement = actions.remove_requirement(
        actor=request.user, requirement=requirement, reason=body.reason
    )
    return requirement_out(requirement)


@router.post("/job-roles/{job_role_id}/holders", response={201: HoldingOut})
def holding_add(request: AuthenticatedHttpRequest, job_role_id: int, body: HolderIn):
    """The person holds the job role and is assigned all it requires."""
    role = job_role(request.user, job_role_id)
    holding = actions.take_job_role(
        actor=request.user,
        person=user_named(body.username, "username"),
        job_role=role,
        started_on=body.started_on,
    )
    return Status(201, holding_out(holding))


@router.post("/holdings/{holding_id}/end", response=HoldingOut)
def holding_end(request: AuthenticatedHttpRequest, holding_id: int, body: HoldingEndIn):
    need(request.user, MANAGE)
    holding = by_pk(Holding.objects.all(), holding_id)
    holding = actions.leave_job_role(
        actor=request.user, holding=holding, reason=body.reason, ended_on=body.ended_on
    )
    return holding_out(holding)


@router.post("/job-roles/{job_role_id}/retire", response=JobRoleOut)
def job_role_retire(request: AuthenticatedHttpRequest, job_role_id: int, body: ReasonIn):
    role = job_role(request.user, job_role_id)
    return job_role_out(
        actions.retire_job_role(actor=request.user, job_role=role, reason=body.reason)
    )


# -- competencies, rules, employees ------------------------------------------------------


@router.get("/competencies", response=list[CompetencyOut])
def competency_list(request: AuthenticatedHttpRequest):
    need(request.user, MANAGE, READ, RECORDS)
    return list(Competency.objects.all())


@router.post("/competencies", response={201: CompetencyOut})
def competency_create(request: AuthenticatedHttpRequest, body: CompetencyIn):
    need(request.user, MANAGE)
    competency = actions.create_competency(
        actor=request.user,
        name=body.name,
        kind=body.kind,
        description=body.description,
        validity_months=body.validity_months,
    )
    return Status(201, competency)


@router.get("/rules", response=list[RuleOut])
def rule_list(request: AuthenticatedHttpRequest):
    """How each document type is trained on."""
    need(request.user, MANAGE, READ)
    return [rule_out(t) for t in DocumentType.objects.select_related("training_rule")]


@router.put("/rules/{doc_type_code}", response=RuleOut)
def rule_edit(request: AuthenticatedHttpRequest, doc_type_code: str, body: RuleIn):
    need(request.user, MANAGE)
    doc_type = DocumentType.objects.filter(code=doc_type_code).first()
    if doc_type is None:
        raise NotFound()
    actions.update_training_rule(
        actor=request.user,
        doc_type=doc_type,
        due_days=body.due_days,
        gate=body.gate,
        effectiveness_check=body.effectiveness_check,
        reason=body.reason,
    )
    return rule_out(DocumentType.objects.select_related("training_rule").get(pk=doc_type.pk))


@router.put("/people/{username}/employee", response=EmployeeOut)
def employee_edit(request: AuthenticatedHttpRequest, username: str, body: EmployeeIn):
    """A person's department and manager (managers see their people's training)."""
    person = core_access.get_user_for_user(request.user, username, need=MANAGE)
    manager = user_named(body.manager, "manager") if body.manager else None
    employee = actions.update_employee(
        actor=request.user, person=person, department=body.department, manager=manager
    )
    return {
        "username": person.username,
        "department": employee.department,
        "manager": manager.username if manager else None,
    }
